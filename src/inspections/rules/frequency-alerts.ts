import { dayNumber } from '../../common/calendar-days.js';

/**
 * Frequency alerts (频次预警; domain.md 5.2-5.3, 国办发〔2024〕54号: "big-data alerts flag repeated
 * or high-frequency checks of the same enterprise"). Pure.
 *
 * - Over the cap (`overCap`): an enterprise with more routine checks in a year than the yearly cap
 *   of its tier (domain.md 5.2: at most 2 a year in principle; each plan sets the cap per tier).
 *   Event-triggered checks are not capped and not counted.
 * - Repeat visits (`repeatVisits`): more than one visit on a day, more than two in any 7
 *   consecutive days, more than three in a calendar month (REPEAT_VISIT_LIMITS). A joint visit is
 *   one visit, however many tasks it holds; since inspection codes (issue 12) a visit is a check-in
 *   under a code (`visitsForAlerts`).
 * - Inspectors to review (`inspectorsToReview`): an inspector whose latest checks of one
 *   enterprise found nothing N times in a row (setting inspectorNoFindingStreak).
 */

/** The most visits allowed on a day, in 7 consecutive days and in a calendar month; more is an alert. */
export const REPEAT_VISIT_LIMITS = { day: 1, week: 2, month: 3 } as const;

/** One routine check of an enterprise in the year, with the cap its plan sets for the tier it had. */
export interface RoutineCheck {
  taskId: number;
  /** the yearly cap of the enterprise's tier in the plan the task comes from */
  cap: number;
}

/** An enterprise over its cap: its checks, the cap (the strictest of its plans) and by how many. */
export interface OverCap {
  checks: number;
  cap: number;
  over: number;
  taskIds: number[];
}

/**
 * Whether one enterprise's routine checks of a year exceed its cap: the lowest cap of the plans
 * its checks come from (the strictest applies).
 * @returns the excess, or null when within the cap (or no check)
 * @throws RangeError for a cap that is not an integer >= 0
 */
export function overCap(checks: readonly RoutineCheck[]): OverCap | null {
  if (!checks.length) return null;
  for (const c of checks)
    if (!Number.isInteger(c.cap) || c.cap < 0)
      throw new RangeError(`task ${c.taskId}: cap ${c.cap} is not an integer >= 0`);
  const cap = Math.min(...checks.map((c) => c.cap));
  if (checks.length <= cap) return null;
  return {
    checks: checks.length,
    cap,
    over: checks.length - cap,
    taskIds: checks.map((c) => c.taskId).sort((a, b) => a - b),
  };
}

/**
 * One visit that took place: an id (`code:<code number>` for a visit under an inspection code,
 * `visit:12` for a joint visit recorded without one, `task:5` for a task outside a visit) and its day.
 */
export interface DoneVisit {
  key: string;
  /** YYYY-MM-DD (Asia/Shanghai) */
  date: string;
}

/** A code of the enterprise, as far as its visits go. */
export interface CodedVisit {
  codeNo: string;
  visitId: number;
  /** the day (Asia/Shanghai) of the first check-in under the code, null when nobody checked in */
  checkedInOn: string | null;
}

/** A visit without a code (a result recorded before codes, issue 11): its joint visit or task and the day of its first result. */
export interface UncodedVisit {
  visitId: number | null;
  taskId: number;
  date: string;
}

/**
 * The check-ins that are visits, in the given order: every code checked in under, and of the
 * codes of one joint visit checked in on the same day only the first (a code revoked on the spot
 * and issued again is one visit; on another day it is another visit). A code never checked in
 * under is no visit. The one rule behind the repeat-visit alerts (visitsForAlerts) and the
 * yearly counts of coded inspections (check-codes/ratings/rules/visit-stats.ts inspectionsOf).
 */
export function checkInsOnce<T extends { visitId: number; checkedInOn: string | null }>(
  codes: readonly T[],
): T[] {
  const seen = new Set<string>();
  return codes.filter((c) => {
    if (c.checkedInOn === null) return false;
    const k = `${c.visitId}|${c.checkedInOn}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The visits that took place, for the repeat-visit rule: every code checked in under is one visit
 * on the day of its first check-in (`code:<code number>`; a joint visit has one code, however many
 * departments and tasks), and codes of the same joint visit checked in on the same day are one
 * visit (a code revoked and issued again on the spot: the new-user trial saw one visit counted
 * twice and a false same-day alert); a visit recorded without a code counts as before (`visit:<id>`, or
 * `task:<id>` outside a visit, on the day of its first result) unless a code of the same joint
 * visit was checked in under (then that check-in is the visit). A code issued and never checked
 * in under is no visit. Ordered by day, then key.
 */
export function visitsForAlerts(coded: readonly CodedVisit[], uncoded: readonly UncodedVisit[]): DoneVisit[] {
  const codedVisits = new Set(coded.filter((c) => c.checkedInOn !== null).map((c) => c.visitId));
  // under the first code's number of its joint visit and day
  const byCodeNo = [...coded].sort((a, b) => (a.codeNo < b.codeNo ? -1 : 1));
  const out: DoneVisit[] = checkInsOnce(byCodeNo).map((c) => ({
    key: `code:${c.codeNo}`,
    date: c.checkedInOn!,
  }));
  const seen = new Map<string, string>();
  for (const u of uncoded) {
    if (u.visitId !== null && codedVisits.has(u.visitId)) continue;
    const key = u.visitId !== null ? `visit:${u.visitId}` : `task:${u.taskId}`;
    const day = seen.get(key);
    if (day === undefined || u.date < day) seen.set(key, u.date);
  }
  for (const [key, date] of seen) out.push({ key, date });
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : 1));
}

/** A breach of REPEAT_VISIT_LIMITS: which rule, the first and last day of the visits, the visits. */
export interface RepeatVisitAlert {
  rule: 'day' | 'week' | 'month';
  limit: number;
  from: string;
  to: string;
  visits: string[];
}

/**
 * The repeat-visit alerts of one enterprise. Day: every day with more than `limits.day` visits.
 * Week: for each visit, the visits of the 7 days starting on its day (d .. d+6); more than
 * `limits.week` is an alert, unless its visits are all in the alert found just before (so a
 * crowded fortnight gives its distinct windows, not one alert per visit). Month: every calendar
 * month with more than `limits.month`. Ordered by rule (day, week, month), then date.
 * @throws RangeError for a date that is not YYYY-MM-DD
 */
export function repeatVisits(
  visits: readonly DoneVisit[],
  limits: { day: number; week: number; month: number } = REPEAT_VISIT_LIMITS,
): RepeatVisitAlert[] {
  const sorted = [...visits]
    .map((v) => ({ ...v, n: dayNumber(v.date) }))
    .sort((a, b) => a.n - b.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: RepeatVisitAlert[] = [];
  const grouped = (keyOf: (v: (typeof sorted)[number]) => string, rule: 'day' | 'month', limit: number) => {
    const groups = new Map<string, typeof sorted>();
    for (const v of sorted) {
      const k = keyOf(v);
      groups.set(k, [...(groups.get(k) ?? []), v]);
    }
    for (const g of groups.values())
      if (g.length > limit)
        out.push({ rule, limit, from: g[0]!.date, to: g[g.length - 1]!.date, visits: g.map((v) => v.key) });
  };
  grouped((v) => v.date, 'day', limits.day);
  let last: Set<string> | null = null;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.n - sorted[i]!.n <= 6) j++;
    if (j - i + 1 <= limits.week) continue;
    const window = sorted.slice(i, j + 1);
    if (last && window.every((v) => last!.has(v.key))) continue;
    last = new Set(window.map((v) => v.key));
    out.push({
      rule: 'week',
      limit: limits.week,
      from: window[0]!.date,
      to: window[window.length - 1]!.date,
      visits: window.map((v) => v.key),
    });
  }
  grouped((v) => v.date.slice(0, 7), 'month', limits.month);
  return out;
}

/** A recorded result of a check by one inspector of one enterprise. */
export interface InspectorCheck {
  inspectorId: number;
  enterpriseId: number;
  taskId: number;
  /** when the result was recorded (ISO instant or date; compared as text, so one form throughout) */
  recordedAt: string;
  outcome: 'no_problem' | 'problems_found' | 'refused' | 'not_found';
}

/** An inspector whose latest checks of one enterprise found nothing `streak` times in a row. */
export interface InspectorToReview {
  inspectorId: number;
  enterpriseId: number;
  streak: number;
  /** the checks of the streak, oldest first */
  taskIds: number[];
  from: string;
  to: string;
}

/**
 * Inspectors to review: per inspector and enterprise, the run of `no_problem` results at the end
 * of their checks (a `problems_found` ends a run; `refused` and `not_found` found neither, so they
 * neither count nor end it); a run of `streak` or more is flagged. Ordered by inspector, then
 * enterprise.
 * @throws RangeError when streak is not an integer >= 1
 */
export function inspectorsToReview(checks: readonly InspectorCheck[], streak: number): InspectorToReview[] {
  if (!Number.isInteger(streak) || streak < 1) throw new RangeError('streak must be an integer >= 1');
  const pairs = new Map<string, InspectorCheck[]>();
  for (const c of checks) {
    const k = `${c.inspectorId}|${c.enterpriseId}`;
    pairs.set(k, [...(pairs.get(k) ?? []), c]);
  }
  const out: InspectorToReview[] = [];
  for (const list of pairs.values()) {
    list.sort((a, b) =>
      a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.taskId - b.taskId,
    );
    const run: InspectorCheck[] = [];
    for (const c of list) {
      if (c.outcome === 'problems_found') run.length = 0;
      else if (c.outcome === 'no_problem') run.push(c);
    }
    if (run.length >= streak)
      out.push({
        inspectorId: list[0]!.inspectorId,
        enterpriseId: list[0]!.enterpriseId,
        streak: run.length,
        taskIds: run.map((c) => c.taskId),
        from: run[0]!.recordedAt,
        to: run[run.length - 1]!.recordedAt,
      });
  }
  return out.sort((a, b) => a.inspectorId - b.inspectorId || a.enterpriseId - b.enterpriseId);
}

/** Bounds and default of the setting inspectorNoFindingStreak (results in a row). */
export const NO_FINDING_STREAK = { min: 2, max: 50, default: 3 } as const;
