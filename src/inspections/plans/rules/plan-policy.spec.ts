import { describe, expect, it } from '@jest/globals';
import {
  checkPlan,
  defaultTierPolicy,
  isLate,
  PLAN_LIMITS,
  planNumber,
  type PlanContext,
  type PlanProblem,
} from './plan-policy.js';

const ctx: PlanContext = {
  tiers: ['A', 'B', 'C', 'D'],
  departments: ['market', 'health', 'fire'],
  items: new Map([
    ['YP-SC-01', { department: 'market', active: true }],
    ['YP-SC-02', { department: 'health', active: true }],
    ['YP-SC-03', { department: 'fire', active: true }],
    ['YP-OLD-01', { department: 'market', active: false }],
  ]),
  thisYear: 2026,
};

const good = () => ({
  year: 2027,
  title: '2027年度双随机抽查计划',
  leadDepartment: 'market',
  jointDepartments: ['health'],
  scope: '杨浦区内在营市场主体',
  itemCodes: ['YP-SC-01', 'YP-SC-02'],
  tiers: [
    { tier: 'A', ratio: 0, yearlyCap: 0 },
    { tier: 'B', ratio: 0.05, yearlyCap: 2 },
    { tier: 'C', ratio: 0.2, yearlyCap: 2 },
    { tier: 'D', ratio: 0.6, yearlyCap: 3 },
  ],
  batches: [
    { name: '第一批', windowStart: '2027-04-01', windowEnd: '2027-06-30' },
    { name: '第二批', windowStart: '2027-09-01', windowEnd: '2027-11-30' },
  ],
});

/** the problems of `change` applied to a good plan */
const problems = (change: Record<string, unknown>): PlanProblem[] =>
  checkPlan({ ...good(), ...change }, ctx).problems;
const fields = (change: Record<string, unknown>) => problems(change).map((p) => p.field);

describe('default tier policy (domain.md 5.2)', () => {
  it('is A 0, B 5 %, C 20 %, D 60 %, at most 2 a year', () => {
    expect(defaultTierPolicy(['A', 'B', 'C', 'D'])).toEqual([
      { tier: 'A', ratio: 0, yearlyCap: 2 },
      { tier: 'B', ratio: 0.05, yearlyCap: 2 },
      { tier: 'C', ratio: 0.2, yearlyCap: 2 },
      { tier: 'D', ratio: 0.6, yearlyCap: 2 },
    ]);
  });

  it('gives other scorecards the best tier 0 and the others 5 %..60 % by rank', () => {
    expect(defaultTierPolicy(['A', 'B', 'C', 'D', 'E']).map((t) => t.ratio)).toEqual([
      0, 0.05, 0.233333, 0.416667, 0.6,
    ]);
    expect(defaultTierPolicy(['L', 'H']).map((t) => t.ratio)).toEqual([0, 0.6]);
    expect(defaultTierPolicy(['X']).map((t) => t.ratio)).toEqual([0]);
    expect(defaultTierPolicy([])).toEqual([]);
  });

  it('passes its own check', () => {
    const { tiers: _t, ...rest } = good();
    const r = checkPlan(rest, ctx);
    expect(r.problems).toEqual([]);
    expect(r.plan?.tiers).toEqual(defaultTierPolicy(ctx.tiers));
  });
});

describe('isLate (上海市优化营商环境条例 art. 62: by the end of March)', () => {
  it('is on time up to March 31 of the plan year, late from April 1', () => {
    expect(isLate('2027-03-31', 2027)).toBe(false);
    expect(isLate('2027-04-01', 2027)).toBe(true);
    expect(isLate('2027-01-01', 2027)).toBe(false);
    expect(isLate('2026-12-31', 2027)).toBe(false);
    expect(isLate('2028-01-01', 2027)).toBe(true);
    expect(isLate('2028-02-29', 2028)).toBe(false);
  });
  it('refuses a day that is not a date', () => {
    expect(() => isLate('2027-02-30', 2027)).toThrow(RangeError);
    expect(() => isLate('2027/03/01', 2027)).toThrow(RangeError);
  });
});

describe('planNumber', () => {
  it('is <year>-<lead>-<seq> with two digits or more', () => {
    expect(planNumber(2027, 'market', 1)).toBe('2027-market-01');
    expect(planNumber(2027, 'fire', 12)).toBe('2027-fire-12');
    expect(planNumber(2027, 'fire', 123)).toBe('2027-fire-123');
  });
  it('refuses a sequence that is not a positive integer', () => {
    expect(() => planNumber(2027, 'market', 0)).toThrow(RangeError);
    expect(() => planNumber(2027, 'market', 1.5)).toThrow(RangeError);
  });
});

describe('checkPlan', () => {
  it('accepts a good plan and trims its texts', () => {
    const r = checkPlan({ ...good(), title: '  计划  ', scope: '   ' }, ctx);
    expect(r.problems).toEqual([]);
    expect(r.plan).toMatchObject({ title: '计划', scope: null, jointDepartments: ['health'] });
    expect(r.plan?.tiers.map((t) => t.tier)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('orders the tiers best first whatever the order given', () => {
    const r = checkPlan({ ...good(), tiers: [...good().tiers].reverse() }, ctx);
    expect(r.plan?.tiers.map((t) => t.tier)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('refuses a body that is not an object, and unknown fields', () => {
    expect(checkPlan([], ctx).problems).toEqual([{ field: '(body)', reason: 'must be a JSON object' }]);
    expect(checkPlan(null, ctx).problems[0]!.field).toBe('(body)');
    expect(fields({ status: 'published' })).toEqual(['status']);
  });

  it('names every required field that is missing, all at once', () => {
    expect(checkPlan({}, ctx).problems.map((p) => p.field)).toEqual([
      'year',
      'title',
      'leadDepartment',
      'itemCodes',
      'batches',
    ]);
  });

  it('checks the year', () => {
    expect(fields({ year: 1999 })).toEqual(['year']);
    expect(fields({ year: 2101 })).toEqual(['year']);
    expect(fields({ year: 2027.5 })).toEqual(['year']);
    expect(fields({ year: '2027' })).toEqual(['year']);
    // this year is the earliest: a plan for a year that is over cannot be carried out
    const batchesOf = (y: number) => [{ name: 'x', windowStart: `${y}-01-01`, windowEnd: `${y}-12-31` }];
    expect(fields({ year: 2026, batches: batchesOf(2026) })).toEqual([]);
    expect(checkPlan({ ...good(), year: 2025, batches: batchesOf(2025) }, ctx).problems).toEqual([
      { field: 'year', reason: '2025 is over: a plan is made for this year (2026) or a later one' },
    ]);
    expect(
      checkPlan(
        { ...good(), year: PLAN_LIMITS.minYear, batches: batchesOf(2000) },
        { ...ctx, thisYear: 2000 },
      ).problems,
    ).toEqual([]);
  });

  it('checks title and scope: text, blank, length, unstorable characters', () => {
    expect(fields({ title: '   ' })).toEqual(['title']);
    expect(fields({ title: 12 })).toEqual(['title']);
    expect(fields({ title: 'x'.repeat(101) })).toEqual(['title']);
    expect(fields({ title: 'x'.repeat(100) })).toEqual([]);
    expect(fields({ title: 'a\u0000b' })).toEqual(['title']);
    expect(fields({ scope: 'x'.repeat(2001) })).toEqual(['scope']);
    expect(fields({ scope: null })).toEqual([]);
    expect(problems({ title: 'x'.repeat(101) })[0]!.reason).toMatch(/longer than 100 characters/);
  });

  it('checks departments: known, lead not among the joint, none twice', () => {
    expect(fields({ leadDepartment: 'police' })).toEqual(['leadDepartment']);
    expect(fields({ jointDepartments: ['health', 'market'] })).toEqual(['jointDepartments[1]']);
    expect(problems({ jointDepartments: ['market'] })[0]!.reason).toMatch(/leads or joins, not both/);
    expect(fields({ jointDepartments: ['health', 'health'] })).toEqual(['jointDepartments[1]']);
    expect(fields({ jointDepartments: ['health', 'tax'] })).toEqual(['jointDepartments[1]']);
    expect(fields({ jointDepartments: 'health' })).toEqual(['jointDepartments']);
    expect(fields({ jointDepartments: undefined, itemCodes: ['YP-SC-01'] })).toEqual([]);
  });

  it('checks items: at least one, known, active, once, of a department of the plan', () => {
    expect(fields({ itemCodes: [] })).toEqual(['itemCodes']);
    expect(fields({ itemCodes: 'YP-SC-01' })).toEqual(['itemCodes']);
    expect(fields({ itemCodes: ['YP-SC-01', 'NOPE'] })).toEqual(['itemCodes[1]']);
    expect(problems({ itemCodes: ['YP-OLD-01'] })[0]!.reason).toBe('item YP-OLD-01 is inactive');
    expect(fields({ itemCodes: ['YP-SC-01', ' YP-SC-01 '] })).toEqual(['itemCodes[1]']);
    expect(fields({ itemCodes: ['YP-SC-01', 'YP-SC-03'] })).toEqual(['itemCodes[1]']);
    expect(problems({ itemCodes: ['YP-SC-03'] })[0]!.reason).toMatch(/department fire, which is neither/);
    expect(fields({ itemCodes: [''] })).toEqual(['itemCodes[0]']);
    expect(fields({ itemCodes: Array.from({ length: 501 }, () => 'YP-SC-01') })).toEqual(['itemCodes']);
  });

  it('checks the tier policy: ratios in [0, 1], caps integers >= 0, tiers of the scorecard, the best at 0', () => {
    const tiers = (change: Record<string, Record<string, unknown>>) =>
      good().tiers.map((t) => ({ ...t, ...(change[t.tier] ?? {}) }));
    expect(fields({ tiers: tiers({ B: { ratio: -0.01 } }) })).toEqual(['tiers.B.ratio']);
    expect(fields({ tiers: tiers({ B: { ratio: 1.01 } }) })).toEqual(['tiers.B.ratio']);
    expect(fields({ tiers: tiers({ B: { ratio: 1 }, C: { ratio: 0 } }) })).toEqual([]);
    expect(fields({ tiers: tiers({ B: { ratio: '0.1' } }) })).toEqual(['tiers.B.ratio']);
    expect(fields({ tiers: tiers({ B: { ratio: Number.NaN } }) })).toEqual(['tiers.B.ratio']);
    expect(fields({ tiers: tiers({ B: { ratio: 0.1234567 } }) })).toEqual(['tiers.B.ratio']);
    expect(fields({ tiers: tiers({ B: { ratio: 0.123456 } }) })).toEqual([]);
    expect(fields({ tiers: tiers({ A: { ratio: 0.01 } }) })).toEqual(['tiers.A.ratio']);
    expect(problems({ tiers: tiers({ A: { ratio: 0.01 } }) })[0]!.reason).toMatch(/无事不扰/);
    expect(fields({ tiers: tiers({ C: { yearlyCap: -1 } }) })).toEqual(['tiers.C.yearlyCap']);
    expect(fields({ tiers: tiers({ C: { yearlyCap: 1.5 } }) })).toEqual(['tiers.C.yearlyCap']);
    expect(fields({ tiers: tiers({ C: { yearlyCap: 101 } }) })).toEqual(['tiers.C.yearlyCap']);
    expect(fields({ tiers: tiers({ C: { yearlyCap: 0 } }) })).toEqual([]);
    expect(fields({ tiers: tiers({ B: { ratio: 2, yearlyCap: -1 } }) })).toEqual([
      'tiers.B.ratio',
      'tiers.B.yearlyCap',
    ]);
    expect(fields({ tiers: [...good().tiers, { tier: 'E', ratio: 1, yearlyCap: 1 }] })).toEqual([
      'tiers[4].tier',
    ]);
    expect(fields({ tiers: [...good().tiers, { tier: 'B', ratio: 1, yearlyCap: 1 }] })).toEqual([
      'tiers[4].tier',
    ]);
    expect(fields({ tiers: good().tiers.slice(0, 3) })).toEqual(['tiers.D']);
    expect(fields({ tiers: [{ ...good().tiers[0], extra: 1 }, ...good().tiers.slice(1)] })).toEqual([
      'tiers[0].extra',
    ]);
    expect(fields({ tiers: ['A', ...good().tiers.slice(1)] })).toEqual(['tiers[0]', 'tiers.A']);
    expect(fields({ tiers: {} })).toEqual(['tiers']);
  });

  it('checks batches: at least one, names, dates inside the year, start <= end', () => {
    const b = (i: number, change: Record<string, unknown>) =>
      good().batches.map((x, j) => (j === i ? { ...x, ...change } : x));
    expect(fields({ batches: [] })).toEqual(['batches']);
    expect(fields({ batches: {} })).toEqual(['batches']);
    expect(fields({ batches: b(1, { name: ' ' }) })).toEqual(['batches[1].name']);
    expect(fields({ batches: b(1, { name: '第一批' }) })).toEqual(['batches[1].name']);
    expect(fields({ batches: b(1, { windowEnd: '2027-02-30' }) })).toEqual(['batches[1].windowEnd']);
    expect(fields({ batches: b(1, { windowEnd: '20271130' }) })).toEqual(['batches[1].windowEnd']);
    expect(fields({ batches: b(1, { windowStart: undefined }) })).toEqual(['batches[1].windowStart']);
    expect(fields({ batches: b(0, { windowStart: '2026-12-31' }) })).toEqual(['batches[0].windowStart']);
    expect(fields({ batches: b(1, { windowEnd: '2028-01-01' }) })).toEqual(['batches[1].windowEnd']);
    expect(fields({ batches: b(1, { windowStart: '2027-12-01', windowEnd: '2027-11-30' }) })).toEqual([
      'batches[1].windowEnd',
    ]);
    expect(fields({ batches: b(1, { windowStart: '2027-11-30', windowEnd: '2027-11-30' }) })).toEqual([]);
    expect(fields({ batches: b(1, { color: 'red' }) })).toEqual(['batches[1].color']);
    expect(fields({ batches: [1] })).toEqual(['batches[0]']);
    expect(
      fields({
        batches: Array.from({ length: 25 }, (_, i) => ({
          name: `${i}`,
          windowStart: '2027-01-01',
          windowEnd: '2027-01-01',
        })),
      }),
    ).toEqual(['batches']);
    // a wrong year reports the year, not every batch date
    expect(fields({ year: 'x' })).toEqual(['year']);
  });

  it('refuses overlapping windows, naming the later batch and the one it overlaps', () => {
    const overlap = problems({
      batches: [
        { name: '二', windowStart: '2027-06-01', windowEnd: '2027-08-31' },
        { name: '一', windowStart: '2027-04-01', windowEnd: '2027-06-01' },
        { name: '三', windowStart: '2027-09-01', windowEnd: '2027-09-30' },
      ],
    });
    expect(overlap).toEqual([
      {
        field: 'batches[0].windowStart',
        reason: 'overlaps batches[1] (2027-04-01 to 2027-06-01): batch windows must not overlap',
      },
    ]);
    // touching windows (one ends the day before the next starts) are fine; a window inside another is not
    expect(
      fields({
        batches: [
          { name: '一', windowStart: '2027-01-01', windowEnd: '2027-05-31' },
          { name: '二', windowStart: '2027-06-01', windowEnd: '2027-06-30' },
        ],
      }),
    ).toEqual([]);
    expect(
      fields({
        batches: [
          { name: '一', windowStart: '2027-01-01', windowEnd: '2027-12-31' },
          { name: '二', windowStart: '2027-03-01', windowEnd: '2027-03-31' },
          { name: '三', windowStart: '2027-05-01', windowEnd: '2027-05-31' },
        ],
      }),
    ).toEqual(['batches[1].windowStart', 'batches[2].windowStart']);
  });
});
