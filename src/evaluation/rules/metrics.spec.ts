import { describe, expect, it } from '@jest/globals';
import { auc, report, tiersByShares, byPeriod, quarterOf, stratifiedAuc } from './metrics.js';

const c = (risk: number, problem: boolean, tier = 'A') => ({ risk, problem, tier });

describe('auc', () => {
  it('is 1 for a perfect ordering, 0 for a reversed one, 0.5 for all ties', () => {
    expect(auc([c(1, false), c(2, false), c(3, true), c(4, true)])).toBe(1);
    expect(auc([c(4, false), c(3, false), c(2, true), c(1, true)])).toBe(0);
    expect(auc([c(1, false), c(1, true), c(1, false), c(1, true)])).toBe(0.5);
  });
  it('counts ties half (Mann-Whitney)', () => {
    // pairs (problem, clean): (2 vs 1) win, (2 vs 2) half, (3 vs 1) win, (3 vs 2) win -> 3.5 / 4
    expect(auc([c(1, false), c(2, false), c(2, true), c(3, true)])).toBe(0.875);
  });
  it('is NaN without both classes', () => {
    expect(auc([c(1, true), c(2, true)])).toBeNaN();
  });
});

describe('report', () => {
  it('gives per-tier rates, shares, lift, monotonicity and the riskier-half share', () => {
    const cases = [
      c(0, false, 'A'),
      c(0, false, 'A'),
      c(0, false, 'A'),
      c(0, true, 'A'),
      c(1, false, 'B'),
      c(1, true, 'B'),
      c(2, true, 'C'),
      c(2, false, 'C'),
      c(3, true, 'D'),
      c(3, true, 'D'),
    ];
    const r = report(cases, ['A', 'B', 'C', 'D']);
    expect(r.cases).toBe(10);
    expect(r.problems).toBe(5);
    expect(r.tiers.map((t) => t.rate)).toEqual([0.25, 0.5, 0.5, 1]);
    expect(r.tiers.map((t) => t.share)).toEqual([0.4, 0.2, 0.2, 0.2]);
    expect(r.lift).toBe(4);
    expect(r.monotonic).toBe(false); // B = C is not strictly rising
    // riskier half: the 5 highest risks: D, D, C(true), C(false), B(first: false) -> 3 of 5 problems
    expect(r.riskierHalfShare).toBe(0.6);
    expect(r.minTierShare).toBe(0.2);
  });
});

describe('tiersByShares', () => {
  it('cuts by cumulative shares, lowest risk in the best tier', () => {
    expect(tiersByShares([5, 1, 3, 2, 4], ['A', 'B'], [0.6, 0.4])).toEqual(['B', 'A', 'A', 'A', 'B']);
  });
  it('keeps equal risks in one tier', () => {
    expect(tiersByShares([0, 0, 0, 1], ['A', 'B'], [0.5, 0.5])).toEqual(['A', 'A', 'A', 'B']);
  });
});

describe('byPeriod and quarterOf', () => {
  it('gives cases, rate and each ordering’s AUC per period, in period order', () => {
    const rows = byPeriod(
      ['2012-Q4', '2012-Q1', '2012-Q1', '2012-Q4', '2012-Q4'],
      [true, false, true, false, false],
      { model: [3, 1, 2, 1, 2], flat: [0, 0, 0, 0, 0] },
    );
    expect(rows).toEqual([
      { period: '2012-Q1', cases: 2, problems: 1, rate: 0.5, auc: { model: 1, flat: 0.5 } },
      { period: '2012-Q4', cases: 3, problems: 1, rate: 1 / 3, auc: { model: 1, flat: 0.5 } },
    ]);
    expect(byPeriod(['a'], [false], { m: [1] })[0]!.auc.m).toBeNaN(); // one class only
    expect(() => byPeriod(['a', 'b'], [true], { m: [1, 2] })).toThrow(RangeError);
  });

  it.each([
    ['2012-01-01', '2012-Q1'],
    ['2012-03-31', '2012-Q1'],
    ['2012-04-01', '2012-Q2'],
    ['2013-12-31', '2013-Q4'],
  ])('%s is in %s', (d, q) => expect(quarterOf(d)).toBe(q));

  it('refuses what is not a date', () => {
    expect(() => quarterOf('2012-13-01')).toThrow(RangeError);
    expect(() => quarterOf('yesterday')).toThrow(RangeError);
  });
});

describe('stratifiedAuc', () => {
  // Q1: 4 cases, AUC 1; Q2: 2 cases, AUC 0; Q3: 3 cases, all with problems (no AUC)
  const periods = [
    '2012-Q1',
    '2012-Q1',
    '2012-Q1',
    '2012-Q1',
    '2012-Q2',
    '2012-Q2',
    '2012-Q3',
    '2012-Q3',
    '2012-Q3',
  ];
  const problems = [false, false, true, true, true, false, true, true, true];
  const rows = byPeriod(periods, problems, {
    model: [1, 2, 3, 4, 1, 2, 5, 6, 7],
    flat: [0, 0, 0, 0, 0, 0, 0, 0, 0],
  });

  it('weighs each period by its cases: (1 * 4 + 0 * 2) / 6', () => {
    expect(stratifiedAuc(rows, 'model')).toEqual({ auc: 4 / 6, cases: 6, excluded: ['2012-Q3'] });
    expect(stratifiedAuc(rows, 'flat').auc).toBe(0.5);
  });

  it('leaves a single-class period out with its weight, never as 0.5, and names it', () => {
    const withoutQ3 = byPeriod(periods.slice(0, 6), problems.slice(0, 6), { model: [1, 2, 3, 4, 1, 2] });
    const r = stratifiedAuc(rows, 'model');
    expect(r.auc).toBe(stratifiedAuc(withoutQ3, 'model').auc);
    expect(r.excluded).toEqual(['2012-Q3']);
  });

  it('differs from the pooled AUC when base rates differ between periods', () => {
    // within each quarter the ordering is perfect; pooled, the clean Q2 cases outrank Q1's problems
    const rs = byPeriod(['Q1', 'Q1', 'Q2', 'Q2'], [false, true, false, true], { m: [1, 2, 10, 11] });
    expect(stratifiedAuc(rs, 'm').auc).toBe(1);
    expect(auc([c(1, false), c(2, true), c(10, false), c(11, true)])).toBe(0.75);
  });

  it('is NaN with no usable period, and refuses an unknown ordering', () => {
    const single = byPeriod(['Q1', 'Q2'], [true, false], { m: [1, 2] });
    expect(stratifiedAuc(single, 'm')).toEqual({ auc: NaN, cases: 0, excluded: ['Q1', 'Q2'] });
    expect(() => stratifiedAuc(single, 'other')).toThrow(/no AUC for 'other'/);
  });
});
