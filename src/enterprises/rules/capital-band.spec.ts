import { describe, expect, it } from '@jest/globals';
import { CAPITAL_BANDS, MAX_CAPITAL_FEN, capitalBand, capitalBandSql } from './capital-band.js';

describe('registered-capital band (basic attributes, SAMR 国市监信发〔2022〕6号)', () => {
  const yuan = (y: number) => y * 100;

  it('puts each capital in its band, lower bounds inclusive', () => {
    expect(capitalBand('company', 0)).toBe('micro');
    expect(capitalBand('company', yuan(100_000) - 1)).toBe('micro');
    expect(capitalBand('company', yuan(100_000))).toBe('small');
    expect(capitalBand('company', yuan(1_000_000) - 1)).toBe('small');
    expect(capitalBand('partnership', yuan(1_000_000))).toBe('medium');
    expect(capitalBand('cooperative', yuan(10_000_000) - 1)).toBe('medium');
    expect(capitalBand('company', yuan(10_000_000))).toBe('large');
    expect(capitalBand('company', MAX_CAPITAL_FEN)).toBe('large');
  });

  it('gives no band to entities without a registered capital, or when it is unknown', () => {
    expect(capitalBand('sole_trader', yuan(10))).toBeNull();
    expect(capitalBand('branch', yuan(10))).toBeNull();
    expect(capitalBand('other', yuan(10))).toBeNull();
    expect(capitalBand('company', null)).toBeNull();
  });

  it.each([-1, 1.5, Number.NaN, MAX_CAPITAL_FEN + 1])('refuses %p fen', (fen) => {
    expect(() => capitalBand('company', fen)).toThrow(RangeError);
  });

  it('has ordered limits and an SQL condition per band with the same limits', () => {
    const limits = CAPITAL_BANDS.map((b) => b.belowFen);
    expect([...limits].sort((a, b) => a - b)).toEqual(limits);
    expect(capitalBandSql('micro')).toBe(
      "(e.entity_type IN ('company','partnership','cooperative') AND e.registered_capital_fen >= 0 AND e.registered_capital_fen < 10000000)",
    );
    expect(capitalBandSql('large', 'x')).toBe(
      "(x.entity_type IN ('company','partnership','cooperative') AND x.registered_capital_fen >= 1000000000)",
    );
  });
});
