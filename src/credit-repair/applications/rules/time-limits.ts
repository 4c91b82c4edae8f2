/**
 * Time limits of a credit-repair application, in working days on the official calendar
 * (common/working-days.ts, domain.md 3.6), as data with their source. Pure: no framework, no clock.
 *
 * The limits chosen (docs/credit-repair.md "Time limits"):
 * - SAMR-2021 (市场监督管理信用修复管理办法, 国市监信规〔2021〕3号; applications submitted before
 *   2026-04-01): the regulator decides whether to accept within 3 working days of receipt, and
 *   decides within 15 working days of acceptance;
 * - NDRC-2026 (国家发展改革委 信用修复管理办法, in force 2026-04-01; 国办发〔2025〕22号): Credit China is
 *   the single window and the sector regulator decides within 3 working days of receiving the
 *   case: acceptance within 3 working days of receipt, decision within 3 working days of acceptance.
 * - the result is shared to Credit China (信用中国) within 3 working days of the decision (both).
 *
 * A deadline that runs into a year the calendar does not cover is `provisional` (flagged in the
 * row, logged by the service), never counted as Monday to Friday silently.
 */
import {
  addWorkingDays,
  officialCalendar,
  workingDaysBetween,
  type WorkingDayCalendar,
} from '../../../common/working-days.js';

/** One set of limits, with the rule it comes from and its dates of force (by submission day). */
export interface RepairTimeLimits {
  code: 'SAMR-2021' | 'NDRC-2026';
  source: string;
  /** applications submitted on or after this day (YYYY-MM-DD) */
  from: string;
  /** working days from receipt to the acceptance decision */
  acceptWithin: number;
  /** working days from acceptance to the decision */
  decideWithin: number;
  /** working days from the decision to sharing the result with Credit China */
  shareWithin: number;
}

/** The limits, oldest first. A change is a new entry, never an edit. */
export const REPAIR_TIME_LIMITS: readonly RepairTimeLimits[] = [
  {
    code: 'SAMR-2021',
    source:
      '《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）：受理3个工作日、受理后15个工作日内作出决定（本局选定）',
    from: '2021-07-30',
    acceptWithin: 3,
    decideWithin: 15,
    shareWithin: 3,
  },
  {
    code: 'NDRC-2026',
    source:
      '国家发展改革委《信用修复管理办法》（2026年4月1日施行）：认定单位收到信用中国转送申请后3个工作日内作出决定',
    from: '2026-04-01',
    acceptWithin: 3,
    decideWithin: 3,
    shareWithin: 3,
  },
];

/** The limits in force for an application submitted on `submittedOn`. @throws RangeError before the first */
export function timeLimitsFor(submittedOn: string): RepairTimeLimits {
  const found = [...REPAIR_TIME_LIMITS].reverse().find((l) => l.from <= submittedOn);
  if (!found) throw new RangeError(`no credit-repair time limits in force on ${submittedOn}`);
  return found;
}

/** A deadline (YYYY-MM-DD) and whether it rests on a year the calendar does not cover. */
export interface Deadline {
  date: string;
  provisional: boolean;
  uncoveredYears: number[];
}

/** The deadline `n` working days after `from` (the day itself not counted). */
export function deadlineAfter(from: string, n: number, cal: WorkingDayCalendar = officialCalendar): Deadline {
  const r = addWorkingDays(from, n, cal);
  return { date: r.date, provisional: r.provisional, uncoveredYears: r.uncoveredYears };
}

/**
 * A deadline after a suspension of the clock (materials requested): the working days after the
 * suspension day up to and including the resumption day do not count, so the deadline moves by
 * that many working days. Suspended and resumed the same day: 0 days, deadline unchanged.
 * @returns the new deadline and the working days suspended
 */
export function extendBySuspension(
  deadline: string,
  suspendedOn: string,
  resumedOn: string,
  cal: WorkingDayCalendar = officialCalendar,
): Deadline & { suspendedWorkingDays: number } {
  const between = workingDaysBetween(suspendedOn, resumedOn, cal);
  const moved = addWorkingDays(deadline, between.days, cal);
  const years = [...new Set([...between.uncoveredYears, ...moved.uncoveredYears])].sort((a, b) => a - b);
  return {
    date: moved.date,
    provisional: between.provisional || moved.provisional,
    uncoveredYears: years,
    suspendedWorkingDays: between.days,
  };
}

/** The states of an application and what is overdue on `today`. */
export interface ClockState {
  status: string;
  acceptBy: string;
  decideBy: string | null;
  suspendedOn: string | null;
  suspensionLatestEnd: string | null;
}

/**
 * Whether the application is overdue on `today`: submitted and not accepted by acceptBy; accepted
 * and not decided by decideBy; suspended past its latest end (the requested materials not
 * received in time: the regulator resumes or rejects). A suspended clock is not overdue before
 * its latest end. @returns the reason code, or null
 */
export function overdue(s: ClockState, today: string): 'accept' | 'decide' | 'suspension' | null {
  if (s.status !== 'submitted' && s.status !== 'accepted') return null;
  if (s.suspendedOn !== null)
    return s.suspensionLatestEnd !== null && today > s.suspensionLatestEnd ? 'suspension' : null;
  if (s.status === 'submitted') return today > s.acceptBy ? 'accept' : null;
  return s.decideBy !== null && today > s.decideBy ? 'decide' : null;
}
