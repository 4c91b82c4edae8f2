import { describe, expect, it } from '@jest/globals';
import { ANALYZE_SCALE_FACTOR, ANALYZE_THRESHOLD_ROWS, analyzeDue } from './table-statistics.js';

const known = { modifiedSinceAnalyze: 0, reltuples: 1_000_000, hasStatistics: true };

describe("analyzeDue: autovacuum's analyze rule, applied by the bulk write itself", () => {
  it("uses autovacuum's defaults (50 rows + 10 %)", () => {
    expect([ANALYZE_THRESHOLD_ROWS, ANALYZE_SCALE_FACTOR]).toEqual([50, 0.1]);
  });
  it('a table without statistics is analyzed after any write (a first import)', () => {
    expect(analyzeDue({ written: 1, modifiedSinceAnalyze: 0, reltuples: -1, hasStatistics: false })).toBe(
      true,
    );
    expect(
      analyzeDue({ written: 1_000_000, modifiedSinceAnalyze: 0, reltuples: 0, hasStatistics: false }),
    ).toBe(true);
    // reltuples -1 (a table just truncated, or never analyzed) counts as unknown even with old pg_stats rows
    expect(analyzeDue({ written: 10, modifiedSinceAnalyze: 0, reltuples: -1, hasStatistics: true })).toBe(
      true,
    );
  });
  it('a write that changes nothing never analyzes', () => {
    expect(analyzeDue({ written: 0, modifiedSinceAnalyze: 0, reltuples: -1, hasStatistics: false })).toBe(
      false,
    );
    expect(analyzeDue({ ...known, written: 0, modifiedSinceAnalyze: 500_000 })).toBe(false);
  });
  it('an analyzed table: only past 50 + 10 % of its rows changed, earlier writes counted', () => {
    expect(analyzeDue({ ...known, written: 100_050 })).toBe(false); // exactly the threshold
    expect(analyzeDue({ ...known, written: 100_051 })).toBe(true);
    expect(analyzeDue({ ...known, written: 3 })).toBe(false); // a small import into a large register
    expect(analyzeDue({ ...known, written: 3, modifiedSinceAnalyze: 100_048 })).toBe(true); // small ones add up
    expect(analyzeDue({ written: 51, modifiedSinceAnalyze: 0, reltuples: 0, hasStatistics: true })).toBe(
      true,
    );
    expect(analyzeDue({ written: 50, modifiedSinceAnalyze: 0, reltuples: 0, hasStatistics: true })).toBe(
      false,
    );
  });
  it('a whole rewrite (full rescoring) is always due', () => {
    expect(analyzeDue({ ...known, written: 1_000_000 })).toBe(true);
  });
  it('refuses counts that cannot be', () => {
    expect(() => analyzeDue({ ...known, written: -1 })).toThrow(/written: a count >= 0, got -1/);
    expect(() => analyzeDue({ ...known, written: 1, modifiedSinceAnalyze: NaN })).toThrow(
      /modifiedSinceAnalyze/,
    );
    expect(() => analyzeDue({ ...known, written: 1, reltuples: Infinity })).toThrow(/reltuples/);
  });
});
