import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../../common/calendar-days.js';
import {
  aggregateOf,
  departmentRatings,
  periodsOf,
  publishOn,
  type DepartmentRatingsInput,
  type RatingFact,
  wholeRatings,
} from './rating-aggregation.js';

let nextCode = 1;
/** A rating of a market code on `ratedOn`, released `delay` days later, with the given check-ins. */
function rating(
  ratedOn: string,
  f: Partial<RatingFact> & { delay?: number; by?: number[] } = {},
): RatingFact {
  return {
    codeId: nextCode++,
    score: f.score ?? 4,
    necessary: f.necessary ?? true,
    mergeable: f.mergeable ?? false,
    ratedOn,
    releasedOn: f.releasedOn ?? addDays(ratedOn, f.delay ?? 14),
    departments: f.departments ?? ['market'],
    inspectors: f.inspectors ?? (f.by ?? [1, 2]).map((userId) => ({ userId, department: 'market' })),
  };
}
const times = (n: number, make: (i: number) => RatingFact) => Array.from({ length: n }, (_, i) => make(i));

const base = (ratings: RatingFact[], over: Partial<DepartmentRatingsInput> = {}): DepartmentRatingsInput => ({
  department: 'market',
  year: 2026,
  ratings,
  minGroup: 5,
  delayDays: 14,
  today: '2027-02-01',
  ...over,
});
const month = (v: ReturnType<typeof departmentRatings>['total'], m: number) => v.months[m - 1]!;
const quarter = (v: ReturnType<typeof departmentRatings>['total'], q: number) => v.quarters[q - 1]!;

describe('periodsOf', () => {
  it('gives the year, its quarters and its months with their last days (leap years)', () => {
    const p = periodsOf(2028);
    expect(p.year).toEqual({ key: '2028', kind: 'year', from: '2028-01-01', to: '2028-12-31' });
    expect(p.months[1]).toEqual({ key: '2028-02', kind: 'month', from: '2028-02-01', to: '2028-02-29' });
    expect(periodsOf(2026).months[1]!.to).toBe('2026-02-28');
    expect(p.quarters.map((q) => [q.key, q.from, q.to])).toEqual([
      ['2028-Q1', '2028-01-01', '2028-03-31'],
      ['2028-Q2', '2028-04-01', '2028-06-30'],
      ['2028-Q3', '2028-07-01', '2028-09-30'],
      ['2028-Q4', '2028-10-01', '2028-12-31'],
    ]);
    expect(() => periodsOf(1800)).toThrow(RangeError);
  });

  it('publishes a period its last day + the delay, and never on the last day itself', () => {
    const nov = periodsOf(2026).months[10]!;
    expect(publishOn(nov, 14)).toBe('2026-12-14');
    expect(publishOn(nov, 1)).toBe('2026-12-01');
    expect(publishOn(nov, 0)).toBe('2026-12-01');
  });
});

describe('aggregateOf', () => {
  it('counts, averages to 2 decimals and gives shares to 3 decimals', () => {
    const a = aggregateOf([
      { score: 5, necessary: true, mergeable: false },
      { score: 4, necessary: false, mergeable: true },
      { score: 4, necessary: true, mergeable: false },
    ]);
    expect(a).toEqual({ count: 3, meanScore: 4.33, necessaryShare: 0.667, mergeableShare: 0.333 });
    expect(aggregateOf([])).toEqual({
      count: 0,
      meanScore: null,
      necessaryShare: null,
      mergeableShare: null,
    });
  });
});

describe('departmentRatings: the minimum group (k)', () => {
  it('shows a group of exactly k ratings and hides one of k-1, without its count', () => {
    const five = times(5, (i) => rating(`2026-03-0${i + 1}`, { score: (i % 5) + 1 }));
    const shown = departmentRatings(base(five));
    expect(month(shown.total, 3)).toMatchObject({
      status: 'shown',
      aggregate: { count: 5, meanScore: 3, necessaryShare: 1, mergeableShare: 0 },
    });
    const four = departmentRatings(base(five.slice(0, 4)));
    expect(month(four.total, 3)).toEqual({
      period: periodsOf(2026).months[2],
      status: 'below_minimum',
      publishOn: '2026-04-14',
      aggregate: null,
    });
    // with k = 4 the same four are shown
    expect(month(departmentRatings(base(five.slice(0, 4), { minGroup: 4 })).total, 3).status).toBe('shown');
  });

  it('hides every group of a department with k-1 ratings in the year, its inspectors too', () => {
    const v = departmentRatings(base(times(4, (i) => rating(`2026-0${i + 1}-10`, { by: [1] }))));
    const cells = [
      v.total.year,
      ...v.total.quarters,
      ...v.total.months,
      ...v.inspectors.flatMap((x) => [x.series.year, ...x.series.quarters, ...x.series.months]),
    ];
    expect(new Set(cells.map((c) => c.status))).toEqual(new Set(['below_minimum']));
    expect(cells.every((c) => c.aggregate === null)).toBe(true);
    expect(v.inspectors.map((x) => x.userId)).toEqual([1]);
  });

  it('never answers a code id, a date of a rating or a single score', () => {
    const v = departmentRatings(base(times(7, (i) => rating(`2026-05-1${i}`, { score: 5 - (i % 2) }))));
    const text = JSON.stringify(v);
    expect(text).not.toMatch(/codeId|ratedOn|releasedOn|score"/);
    expect(text).not.toContain('2026-05-10');
  });
});

describe('departmentRatings: the delay and the end of the period', () => {
  const november = times(5, (i) => rating(`2026-11-2${i + 5}`));

  it('publishes a month on its last day + delay, not the day before', () => {
    expect(month(departmentRatings(base(november, { today: '2026-12-13' })).total, 11).status).toBe(
      'pending',
    );
    expect(month(departmentRatings(base(november, { today: '2026-12-14' })).total, 11).status).toBe('shown');
  });

  it('with no delay, the day after the period ends: never while ratings can still join it', () => {
    const today = times(5, (i) => rating('2026-11-30', { delay: 0, by: [i + 1] }));
    expect(
      month(departmentRatings(base(today, { today: '2026-11-30', delayDays: 0 })).total, 11).status,
    ).toBe('pending');
    expect(
      month(departmentRatings(base(today, { today: '2026-12-01', delayDays: 0 })).total, 11).status,
    ).toBe('shown');
  });

  it('waits for a rating released later than the setting says (the delay was longer when it was made)', () => {
    const late = [...november.slice(0, 4), rating('2026-11-30', { delay: 30 })];
    expect(month(departmentRatings(base(late, { today: '2026-12-29' })).total, 11).status).toBe('pending');
    expect(month(departmentRatings(base(late, { today: '2026-12-30' })).total, 11).status).toBe('shown');
  });

  it('keeps the open quarter and the year pending while their months are published', () => {
    const v = departmentRatings(base(november, { today: '2026-12-20' }));
    expect(month(v.total, 11).status).toBe('shown');
    expect(quarter(v.total, 4).status).toBe('pending');
    expect(v.total.year.status).toBe('pending');
    expect(v.total.year.publishOn).toBe('2027-01-14');
  });

  it('never changes a published group when later ratings come', () => {
    const before = departmentRatings(base(november, { today: '2026-12-20' }));
    const after = departmentRatings(
      base([...november, rating('2026-12-20', { score: 1 }), rating('2026-12-21', { score: 1 })], {
        today: '2026-12-21',
      }),
    );
    expect(month(after.total, 11)).toEqual(month(before.total, 11));
    expect(after.inspectors.map((x) => x.series.months[10])).toEqual(
      before.inspectors.map((x) => x.series.months[10]),
    );
  });
});

describe('departmentRatings: nothing worked out from the groups shown', () => {
  it('hides a quarter whose ratings outside its shown months are 1..k-1', () => {
    const q1 = [
      ...times(5, () => rating('2026-01-15')),
      ...times(5, () => rating('2026-02-15')),
      ...times(2, () => rating('2026-03-15')),
    ];
    const v = departmentRatings(base(q1));
    expect([1, 2, 3].map((m) => month(v.total, m).status)).toEqual(['shown', 'shown', 'below_minimum']);
    // Q1 less January and February would be March's two ratings
    expect(quarter(v.total, 1)).toMatchObject({ status: 'complementary', aggregate: null });
    // and the year less its quarters too (Q1 hidden: January and February cover it but March)
    expect(v.total.year.status).toBe('complementary');
  });

  it('shows the quarter when its hidden months hold none or at least k', () => {
    const none = [...times(5, () => rating('2026-01-15')), ...times(5, () => rating('2026-02-15'))];
    expect(quarter(departmentRatings(base(none)).total, 1).status).toBe('shown');
    // three months of 3: each hidden, together 9 >= k
    const small = [1, 2, 3].flatMap((m) => times(3, () => rating(`2026-0${m}-10`)));
    const v = departmentRatings(base(small));
    expect([1, 2, 3].map((m) => month(v.total, m).status)).toEqual([
      'below_minimum',
      'below_minimum',
      'below_minimum',
    ]);
    expect(quarter(v.total, 1)).toMatchObject({ status: 'shown', aggregate: { count: 9 } });
    expect(v.total.year).toMatchObject({ status: 'shown', aggregate: { count: 9 } });
  });

  it('hides an inspector whose group is the department less 1..k-1 ratings', () => {
    // six ratings in March: inspector 1 on five of them, inspector 9 on the sixth
    const march = [...times(5, () => rating('2026-03-10', { by: [1] })), rating('2026-03-11', { by: [9] })];
    const v = departmentRatings(base(march));
    expect(month(v.total, 3).status).toBe('shown');
    const one = v.inspectors.find((x) => x.userId === 1)!;
    expect(month(one.series, 3)).toMatchObject({ status: 'complementary', aggregate: null });
    expect(month(v.inspectors.find((x) => x.userId === 9)!.series, 3).status).toBe('below_minimum');
  });

  it('shows two inspectors of disjoint groups of k each, and hides one when 1..k-1 are left outside both', () => {
    const ten = [
      ...times(5, () => rating('2026-04-10', { by: [1] })),
      ...times(5, () => rating('2026-04-12', { by: [2] })),
    ];
    const v = departmentRatings(base(ten));
    expect(v.inspectors.map((x) => month(x.series, 4).status)).toEqual(['shown', 'shown']);
    const eleven = departmentRatings(base([...ten, rating('2026-04-20', { by: [3] })]));
    // department 11 - inspector 1 (5) - inspector 2 (5) = inspector 3's one rating: one of them is hidden
    expect(eleven.inspectors.map((x) => month(x.series, 4).status).sort()).toEqual([
      'below_minimum',
      'complementary',
      'shown',
    ]);
  });

  it('hides the smaller of two nested inspector groups that differ by 1..k-1', () => {
    // inspector 1 on all 12, inspector 2 on 11 of them: 1 less 2 is one rating
    const v = departmentRatings(
      base([
        ...times(11, () => rating('2026-06-03', { by: [1, 2] })),
        rating('2026-06-04', { by: [1, 7] }),
        ...times(5, () => rating('2026-06-05', { by: [7] })),
      ]),
    );
    const status = (id: number) => month(v.inspectors.find((x) => x.userId === id)!.series, 6).status;
    expect(month(v.total, 6).status).toBe('shown');
    expect(status(1)).toBe('shown');
    expect(status(2)).toBe('complementary');
  });

  it('hides an inspector whose department group is hidden, and an inspector quarter rebuilt from months', () => {
    const q = [
      ...times(5, () => rating('2026-07-15', { by: [1] })),
      ...times(5, () => rating('2026-08-15', { by: [1] })),
      ...times(2, () => rating('2026-09-15', { by: [1] })),
    ];
    const v = departmentRatings(base(q));
    const one = v.inspectors[0]!.series;
    expect(quarter(v.total, 3).status).toBe('complementary');
    expect(quarter(one, 3).status).toBe('complementary');
    expect([7, 8].map((m) => month(one, m).status)).toEqual(['shown', 'shown']);
  });
});

describe('departmentRatings: departments and inspectors', () => {
  // inspector 1 (market) on market-only codes and on joint market + health codes; inspector 5 (health)
  // on the joint ones
  const joint = (d: string) =>
    rating(d, {
      departments: ['market', 'health'],
      inspectors: [
        { userId: 1, department: 'market' },
        { userId: 5, department: 'health' },
      ],
    });
  const ratings = [
    ...times(3, () => rating('2026-05-06', { by: [1] })),
    ...times(5, () => joint('2026-05-07')),
  ];

  it("counts a joint visit's code in each of its departments, an inspector in its own department only", () => {
    const market = departmentRatings(base(ratings));
    expect(month(market.total, 5).aggregate?.count).toBe(8);
    expect(market.inspectors.map((x) => x.userId)).toEqual([1]);
    expect(month(market.inspectors[0]!.series, 5)).toMatchObject({
      status: 'shown',
      aggregate: { count: 8 },
    });

    const health = departmentRatings(base(ratings, { department: 'health' }));
    expect(month(health.total, 5).aggregate?.count).toBe(5);
    expect(health.inspectors.map((x) => x.userId)).toEqual([5]);
    expect(month(health.inspectors[0]!.series, 5).aggregate?.count).toBe(5);
  });

  it('leaves out the ratings of other departments and other years', () => {
    const v = departmentRatings(
      base([...ratings, rating('2025-12-30'), rating('2026-05-08', { departments: ['fire'], by: [8] })]),
    );
    expect(v.total.year.aggregate?.count).toBe(8);
    expect(v.inspectors.map((x) => x.userId)).toEqual([1]);
  });

  it('refuses a minimum below 1 and a negative delay', () => {
    expect(() => departmentRatings(base([], { minGroup: 0 }))).toThrow(RangeError);
    expect(() => departmentRatings(base([], { delayDays: -1 }))).toThrow(RangeError);
    expect(() => departmentRatings(base([], { today: '2026-13-01' }))).toThrow(RangeError);
  });
});

describe('wholeRatings (the supervising body)', () => {
  it('shows every group, small, unreleased and open ones, with exact counts', () => {
    const v = wholeRatings(base([rating('2026-12-01', { by: [1] })], { today: '2026-12-01' }));
    expect(v.view).toBe('whole');
    expect(month(v.total, 12)).toMatchObject({ status: 'shown', aggregate: { count: 1, meanScore: 4 } });
    expect(month(v.total, 1)).toMatchObject({ status: 'shown', aggregate: { count: 0, meanScore: null } });
    expect(v.inspectors[0]!.series.year.aggregate?.count).toBe(1);
    expect(v.minGroup).toBe(5);
  });
});
