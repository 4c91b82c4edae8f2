import { addDays } from '../../../common/calendar-days.js';

/**
 * Who sees what of the enterprises' ratings of inspections (issue 12; docs/security.md
 * "Ratings"). Pure: today, the settings and the ratings are arguments.
 *
 * A rating is anonymous to the inspected department by construction: the table holds no rater, and
 * a department (its regulators) is only ever answered aggregates of groups of ratings, never one
 * rating, never a comment, never which visit was rated. A group is a department or one of its
 * inspectors, over a period of rating days (a month, a quarter, the year). The department sees a
 * group's aggregate (count, mean score, share "necessary", share "could have been merged") only
 * when all of these hold:
 *
 * 1. **The period is over and published**: today is on or after `publishOn` = the period's last
 *    day + max(1, ratingDelayDays), and every rating of the period is released (released_on <=
 *    today). No rating can join a period after it ends (a rating is dated the day it is made), so
 *    a published group never changes: watching the page day by day tells nothing about the
 *    rating made on one day. (A group that grew as ratings were released would give away each new
 *    rating as the difference of two days' aggregates.)
 * 2. **At least `minGroup` ratings** (setting ratingMinGroup, k): a smaller group shows
 *    `below_minimum` ("不足 k 条，暂不显示"), without its count.
 * 3. **No single rating can be worked out from the groups shown** (`complementary`, "为防推算
 *    暂不显示"): a difference of two shown groups, or a shown group less the shown groups inside
 *    it, must be none or at least k ratings. Checked, in the order groups are published (a group
 *    once shown stays shown, so a later group is hidden rather than an earlier one):
 *    - the department's own periods form a tree (months in quarters in the year): a quarter (the
 *      year) is hidden when the ratings of it not in its shown months (shown quarters and months)
 *      are between 1 and k-1;
 *    - an inspector's periods, the same tree of the inspector's ratings;
 *    - within one period, an inspector's group is shown only when the department's is; it is
 *      hidden when the department's ratings outside it, the ratings of another shown inspector
 *      outside it (for a group inside another), or the department's ratings outside every shown
 *      inspector's are between 1 and k-1 (hiding the smallest group first, until none is).
 *
 * Inspectors of a department's groups are the department's own staff (their user's department)
 * who checked in under a rated code of the department. A code of a joint visit counts for every
 * department of its tasks; an inspector of another department on it counts in that department.
 *
 * What this does not cover (docs/security.md): differences of three or more overlapping inspector
 * groups across periods are not all searched; the supervising body (and the database's owner)
 * sees the ratings whole.
 */

/** One rating with what the rules need of its code (from check_code_rating, the code's tasks and check-ins). */
export interface RatingFact {
  /** the rated code's id: used to tell ratings apart, never part of an answer to a department */
  codeId: number;
  /** 1-5 */
  score: number;
  necessary: boolean;
  mergeable: boolean;
  /** YYYY-MM-DD (Asia/Shanghai), the day it was made */
  ratedOn: string;
  /** YYYY-MM-DD: ratedOn + the delay in force when it was made */
  releasedOn: string;
  /** departments of the code's tasks (a joint visit: several) */
  departments: readonly string[];
  /** inspectors who checked in under the code, with their own department */
  inspectors: readonly { userId: number; department: string | null }[];
}

export type PeriodKind = 'year' | 'quarter' | 'month';

/** A period of rating days: `2026`, `2026-Q3` or `2026-07`, first and last day. */
export interface RatingPeriod {
  key: string;
  kind: PeriodKind;
  from: string;
  to: string;
}

/** What a group's ratings add up to. Shares are fractions 0..1 (3 decimals), the mean 2 decimals. */
export interface RatingAggregate {
  count: number;
  /** null for no rating (the supervising body's view of an empty group) */
  meanScore: number | null;
  necessaryShare: number | null;
  mergeableShare: number | null;
}

/**
 * shown: the aggregate; below_minimum: fewer than k ratings; complementary: hidden so that no
 * single rating can be worked out; pending: the period is not over or not all its ratings are released.
 */
export type RatingCellStatus = 'shown' | 'below_minimum' | 'complementary' | 'pending';

/** One group's cell: its period, what is shown, and from when it is (or was) published. */
export interface RatingCell {
  period: RatingPeriod;
  status: RatingCellStatus;
  /** the day the period is published, YYYY-MM-DD (last day + max(1, delay)) */
  publishOn: string;
  /** the aggregate when shown, else null (no count either) */
  aggregate: RatingAggregate | null;
}

/** A group's cells for the year, its quarters and its months, in order. */
export interface RatingSeries {
  year: RatingCell;
  quarters: RatingCell[];
  months: RatingCell[];
}

/** What a department's ratings of a year show: the department's groups and its inspectors'. */
export interface DepartmentRatings {
  department: string;
  year: number;
  minGroup: number;
  delayDays: number;
  /** the anonymity rule applied ('department') or not ('whole': the supervising body) */
  view: 'department' | 'whole';
  total: RatingSeries;
  /** the department's own inspectors who checked in under a rated code of it, by user id */
  inspectors: { userId: number; series: RatingSeries }[];
}

export interface DepartmentRatingsInput {
  department: string;
  year: number;
  /** ratings of codes of the department (others are left out), any year (others are left out) */
  ratings: readonly RatingFact[];
  /** k: setting ratingMinGroup (>= 1) */
  minGroup: number;
  /** setting ratingDelayDays (>= 0), for the publication day of a period */
  delayDays: number;
  /** YYYY-MM-DD (Asia/Shanghai) */
  today: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The periods of a year: the year, its four quarters, its twelve months. @throws RangeError for a year outside 1900-2199 */
export function periodsOf(year: number): {
  year: RatingPeriod;
  quarters: RatingPeriod[];
  months: RatingPeriod[];
} {
  if (!Number.isInteger(year) || year < 1900 || year > 2199)
    throw new RangeError(`year ${year} out of range`);
  const lastDay = (m: number) => addDays(m === 12 ? `${year + 1}-01-01` : `${year}-${pad(m + 1)}-01`, -1);
  const months = Array.from({ length: 12 }, (_, i) => ({
    key: `${year}-${pad(i + 1)}`,
    kind: 'month' as const,
    from: `${year}-${pad(i + 1)}-01`,
    to: lastDay(i + 1),
  }));
  const quarters = [1, 2, 3, 4].map((q) => ({
    key: `${year}-Q${q}`,
    kind: 'quarter' as const,
    from: months[(q - 1) * 3]!.from,
    to: months[q * 3 - 1]!.to,
  }));
  return {
    year: { key: String(year), kind: 'year', from: `${year}-01-01`, to: `${year}-12-31` },
    quarters,
    months,
  };
}

/** The day a period's groups are published: its last day + max(1, delayDays). */
export function publishOn(period: RatingPeriod, delayDays: number): string {
  return addDays(period.to, Math.max(1, delayDays));
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Count, mean score (2 decimals) and the shares (3 decimals) of some ratings; nulls for none. */
export function aggregateOf(
  ratings: readonly Pick<RatingFact, 'score' | 'necessary' | 'mergeable'>[],
): RatingAggregate {
  const n = ratings.length;
  if (!n) return { count: 0, meanScore: null, necessaryShare: null, mergeableShare: null };
  let sum = 0;
  let necessary = 0;
  let mergeable = 0;
  for (const r of ratings) {
    sum += r.score;
    if (r.necessary) necessary++;
    if (r.mergeable) mergeable++;
  }
  return {
    count: n,
    meanScore: round(sum / n, 2),
    necessaryShare: round(necessary / n, 3),
    mergeableShare: round(mergeable / n, 3),
  };
}

/** A group in the making: its ratings (indexes into the department's list) and its status. */
interface Group {
  period: RatingPeriod;
  members: Set<number>;
  status: RatingCellStatus;
}

const inPeriod = (r: RatingFact, p: RatingPeriod) => r.ratedOn >= p.from && r.ratedOn <= p.to;
/** Between 1 and k-1: a number of ratings that must not be told apart. */
const revealing = (n: number, k: number) => n > 0 && n < k;
const minus = (a: Set<number>, b: Iterable<number>) => {
  const out = new Set(a);
  for (const x of b) out.delete(x);
  return out;
};

/**
 * The department's view of its ratings of a year, by the rule above (`view: 'department'`): for
 * the department and each of its inspectors, one cell per period with its status and, when
 * shown, the aggregate.
 * @throws RangeError for minGroup < 1, delayDays < 0, a bad year or date
 */
export function departmentRatings(input: DepartmentRatingsInput): DepartmentRatings {
  const { department, year, minGroup: k, delayDays, today } = input;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`minGroup ${k} must be an integer >= 1`);
  if (!Number.isInteger(delayDays) || delayDays < 0)
    throw new RangeError(`delayDays ${delayDays} must be >= 0`);
  addDays(today, 0); // checks the date
  const periods = periodsOf(year);
  const ratings = input.ratings.filter(
    (r) => r.departments.includes(department) && inPeriod(r, periods.year),
  );
  const all = [periods.year, ...periods.quarters, ...periods.months];
  const published = new Map(
    all.map((p) => [
      p.key,
      today >= publishOn(p, delayDays) && ratings.every((r) => !inPeriod(r, p) || r.releasedOn <= today),
    ]),
  );
  // each rating's month (0-11), and the ratings of each inspector: a group's members are read from
  // its series' own ratings, not from every rating of the department
  const monthOf = ratings.map((r) => Number(r.ratedOn.slice(5, 7)) - 1);
  const byInspector = new Map<number, number[]>();
  ratings.forEach((r, i) => {
    for (const x of new Set(r.inspectors.map((x) => x.userId))) {
      const list = byInspector.get(x);
      if (list) list.push(i);
      else byInspector.set(x, [i]);
    }
  });
  const everyRating = ratings.map((_, i) => i);
  const monthsOfPeriod = (p: RatingPeriod) =>
    p.kind === 'year'
      ? null
      : p.kind === 'quarter'
        ? new Set([0, 1, 2].map((d) => (Number(p.key.slice(6)) - 1) * 3 + d))
        : new Set([Number(p.key.slice(5)) - 1]);
  const membersOf = (p: RatingPeriod, of: readonly number[]) => {
    const months = monthsOfPeriod(p);
    return new Set(months ? of.filter((i) => months.has(monthOf[i]!)) : of);
  };

  // a series' groups: each on its own first (published, k, whether the department's is shown)
  const makeGroups =
    (of: readonly number[], mayShow: (p: RatingPeriod) => boolean) =>
    (p: RatingPeriod): Group => {
      const members = membersOf(p, of);
      const status: RatingCellStatus = !published.get(p.key)
        ? 'pending'
        : members.size < k
          ? 'below_minimum'
          : mayShow(p)
            ? 'shown'
            : 'complementary';
      return { period: p, members, status };
    };
  const shownCover = (groups: Group[]) =>
    groups.filter((g) => g.status === 'shown').flatMap((g) => [...g.members]);
  // then up the series' tree: a quarter whose ratings outside its shown months are 1..k-1 is hidden
  const decideQuarters = (months: Group[], quarters: Group[]) =>
    quarters.forEach((q, i) => {
      if (
        q.status === 'shown' &&
        revealing(minus(q.members, shownCover(months.slice(i * 3, i * 3 + 3))).size, k)
      )
        q.status = 'complementary';
    });
  // and the year, over its shown quarters and, under a hidden quarter, that quarter's shown months
  const decideYear = (months: Group[], quarters: Group[], y: Group) => {
    if (y.status !== 'shown') return;
    const cover = quarters.flatMap((q, i) =>
      q.status === 'shown' ? [...q.members] : shownCover(months.slice(i * 3, i * 3 + 3)),
    );
    if (revealing(minus(y.members, cover).size, k)) y.status = 'complementary';
  };

  // the department
  const dept = makeGroups(everyRating, () => true);
  const dMonths = periods.months.map(dept);
  const dQuarters = periods.quarters.map(dept);
  const dYear = dept(periods.year);
  decideQuarters(dMonths, dQuarters);
  decideYear(dMonths, dQuarters, dYear);
  const deptGroup = new Map([...dMonths, ...dQuarters, dYear].map((g) => [g.period.key, g]));

  // its inspectors: own staff who checked in under one of its rated codes
  const inspectorIds = [
    ...new Set(
      ratings.flatMap((r) => r.inspectors.filter((x) => x.department === department).map((x) => x.userId)),
    ),
  ].sort((a, b) => a - b);
  const inspectors = inspectorIds.map((userId) => {
    const make = makeGroups(byInspector.get(userId)!, (p) => deptGroup.get(p.key)!.status === 'shown');
    return {
      userId,
      months: periods.months.map(make),
      quarters: periods.quarters.map(make),
      year: make(periods.year),
    };
  });

  // within one period: against the department's group and each other, smallest hidden first
  const settle = (groups: Group[], deptG: Group) => {
    for (;;) {
      const shown = groups.filter((g) => g.status === 'shown');
      const hide =
        shown.find((g) => revealing(deptG.members.size - g.members.size, k)) ??
        shown.find((g) =>
          shown.some(
            (h) =>
              h !== g &&
              h.members.size > g.members.size &&
              [...g.members].every((x) => h.members.has(x)) &&
              revealing(h.members.size - g.members.size, k),
          ),
        ) ??
        (revealing(minus(deptG.members, shownCover(shown)).size, k)
          ? [...shown].sort((a, b) => a.members.size - b.members.size)[0]
          : undefined);
      if (!hide) return;
      hide.status = 'complementary';
    }
  };
  periods.months.forEach((p, i) =>
    settle(
      inspectors.map((x) => x.months[i]!),
      deptGroup.get(p.key)!,
    ),
  );
  for (const x of inspectors) decideQuarters(x.months, x.quarters);
  periods.quarters.forEach((p, i) =>
    settle(
      inspectors.map((x) => x.quarters[i]!),
      deptGroup.get(p.key)!,
    ),
  );
  for (const x of inspectors) decideYear(x.months, x.quarters, x.year);
  settle(
    inspectors.map((x) => x.year),
    dYear,
  );

  const cell = (g: Group): RatingCell => ({
    period: g.period,
    status: g.status,
    publishOn: publishOn(g.period, delayDays),
    aggregate: g.status === 'shown' ? aggregateOf([...g.members].map((i) => ratings[i]!)) : null,
  });
  const out = (months: Group[], quarters: Group[], y: Group): RatingSeries => ({
    year: cell(y),
    quarters: quarters.map(cell),
    months: months.map(cell),
  });
  return {
    department,
    year,
    minGroup: k,
    delayDays,
    view: 'department',
    total: out(dMonths, dQuarters, dYear),
    inspectors: inspectors.map((x) => ({ userId: x.userId, series: out(x.months, x.quarters, x.year) })),
  };
}

/**
 * The supervising body's view of a department's ratings of a year (`view: 'whole'`): the same
 * groups, every one shown with its aggregate (empty groups too), released or not, with no minimum.
 * @throws RangeError as departmentRatings
 */
export function wholeRatings(input: DepartmentRatingsInput): DepartmentRatings {
  const shaped = departmentRatings({ ...input, minGroup: 1 });
  const periods = periodsOf(input.year);
  const ratings = input.ratings.filter(
    (r) => r.departments.includes(input.department) && inPeriod(r, periods.year),
  );
  const fill = (s: RatingSeries, of: (r: RatingFact) => boolean): RatingSeries => {
    const c = (x: RatingCell): RatingCell => ({
      ...x,
      status: 'shown',
      aggregate: aggregateOf(ratings.filter((r) => inPeriod(r, x.period) && of(r))),
    });
    return { year: c(s.year), quarters: s.quarters.map(c), months: s.months.map(c) };
  };
  return {
    ...shaped,
    minGroup: input.minGroup,
    view: 'whole',
    total: fill(shaped.total, () => true),
    inspectors: shaped.inspectors.map((x) => ({
      userId: x.userId,
      series: fill(x.series, (r) => r.inspectors.some((i) => i.userId === x.userId)),
    })),
  };
}
