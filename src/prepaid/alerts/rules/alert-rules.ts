/**
 * Pure rules of a prepaid-risk alert (风险预警, issue 14 "Alerts and the closed loop"): its time limit,
 * whether it is overdue, and which step may follow which. No Nest, no TypeORM, no clock: `today` is an
 * argument. The working-day calendar is the official one (common/working-days.ts, chinese-days).
 */
import { addWorkingDays, type WorkingDayCalendar, officialCalendar } from '../../../common/working-days.js';
import type { AlertLevel } from '../../rules/risk-facts.js';

/**
 * Working days from the opening (or the last raise) to the first disposal, per level. OUR CHOICE: no
 * rule fixes them. Red means loss of consumers' money may be imminent (closing with short notice,
 * unreachable): two working days is as fast as an interview or on-site check can be arranged. Orange:
 * a week (5). Yellow: two weeks (10), the time a warning letter and the issuer's answer take. Documented
 * in docs/prepaid.md "Alerts".
 */
export const DISPOSAL_TIME_LIMIT_WORKING_DAYS: Readonly<Record<AlertLevel, number>> = {
  red: 2,
  orange: 5,
  yellow: 10,
};

/** Statuses of an alert, in lifecycle order. */
export const ALERT_STATUSES = ['open', 'assigned', 'disposing', 'feedback', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Disposals (处置): 约谈 / 警示函 / 现场检查 / 责令停止收取预付款 / 移送. */
export const DISPOSAL_KINDS = [
  'interview',
  'warning_letter',
  'onsite_check',
  'stop_prepayment_order',
  'referral',
] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];

/** Chinese names of the disposals (documents, credit records). */
export const DISPOSAL_LABELS: Record<DisposalKind, string> = {
  interview: '约谈',
  warning_letter: '警示函',
  onsite_check: '现场检查',
  stop_prepayment_order: '责令停止收取预付款',
  referral: '移送',
};

/**
 * Disposals that write their own credit record `regulatory_measure` (监管措施) when decided: the ones
 * that are measures addressed to the issuer (an interview, a warning letter, an order to stop taking
 * prepayments, 消保法实施条例 art. 22). An on-site check's findings become the task's own
 * inspection_result record when its inspectors record the result; a referral is an internal transfer
 * (the receiving department records what it does). OUR CHOICE, documented in docs/prepaid.md.
 */
export const DISPOSALS_WITH_RECORD: readonly DisposalKind[] = [
  'interview',
  'warning_letter',
  'stop_prepayment_order',
];

/** Outcomes of the feedback (反馈结果). */
export const ALERT_OUTCOMES = [
  'risk_resolved',
  'risk_reduced',
  'risk_persists',
  'business_closed',
  'referred',
] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];
export const ALERT_OUTCOME_LABELS: Record<AlertOutcome, string> = {
  risk_resolved: '风险已消除',
  risk_reduced: '风险已降低',
  risk_persists: '风险仍存在',
  business_closed: '已停业',
  referred: '已移送',
};

/** Steps of the lifecycle and the statuses each may start from. */
export const ALERT_STEPS = {
  /** (re)assign to a regulator of the department: before feedback */
  assign: ['open', 'assigned', 'disposing'],
  /** record a disposal: once assigned, and while disposing (several disposals) */
  dispose: ['assigned', 'disposing'],
  /** record the feedback: after at least one disposal */
  feedback: ['disposing'],
  /** close: after the feedback */
  close: ['feedback'],
} as const satisfies Record<string, readonly AlertStatus[]>;
export type AlertStep = keyof typeof ALERT_STEPS;

/** The status after a step. */
export const STATUS_AFTER: Record<AlertStep, (from: AlertStatus) => AlertStatus> = {
  assign: (from) => (from === 'open' ? 'assigned' : from),
  dispose: () => 'disposing',
  feedback: () => 'feedback',
  close: () => 'closed',
};

/**
 * Why `step` may not be taken from `status`, naming the current status and what it needs; null when it may.
 */
export function stepRefusal(step: AlertStep, status: AlertStatus): string | null {
  if ((ALERT_STEPS[step] as readonly string[]).includes(status)) return null;
  return `the alert is ${status}: ${step} needs status ${ALERT_STEPS[step].join(' or ')}`;
}

/** The due day (YYYY-MM-DD) of the first disposal for an alert opened or raised on `from` at `level`. */
export function disposalDueOn(
  from: string,
  level: AlertLevel,
  cal: WorkingDayCalendar = officialCalendar,
): { dueOn: string; provisional: boolean } {
  const r = addWorkingDays(from, DISPOSAL_TIME_LIMIT_WORKING_DAYS[level], cal);
  return { dueOn: r.date, provisional: r.provisional };
}

/**
 * The due day after a raise on `raisedOn` to `level`: the new level's limit from the raise, but never
 * later than a due day still running (no disposal since the opening or last raise): a raise shortens
 * a time limit, it never lengthens one.
 */
export function dueAfterRaise(
  current: { dueOn: string; disposedSinceLastStart: boolean },
  raisedOn: string,
  level: AlertLevel,
  cal: WorkingDayCalendar = officialCalendar,
): { dueOn: string; provisional: boolean } {
  const fresh = disposalDueOn(raisedOn, level, cal);
  if (!current.disposedSinceLastStart && current.dueOn < fresh.dueOn)
    return { dueOn: current.dueOn, provisional: false };
  return fresh;
}

/**
 * Overdue (逾期): today is after the due day, and no disposal has been decided since the alert opened
 * or was last raised, and it has not reached feedback or closed. A disposal answers the time limit; a
 * raise asks for a new disposal within the new limit.
 */
export function isOverdue(
  a: { status: AlertStatus; dueOn: string; disposedSinceLastStart: boolean },
  today: string,
): boolean {
  if (a.status === 'feedback' || a.status === 'closed') return false;
  return !a.disposedSinceLastStart && today > a.dueOn;
}

/**
 * The SQL form of isOverdue over an alert row `a` (columns status, due_on, opened_on, raised_on) and
 * its disposals (prepaid_disposal), `today` a date expression: the list's filter and the map's counts.
 */
export const overdueSql = (today: string, a = 'a') =>
  `(${a}.status IN ('open','assigned','disposing') AND ${a}.due_on < ${today} AND NOT EXISTS (
     SELECT 1 FROM prepaid_disposal dd WHERE dd.alert_id = ${a}.id AND dd.decided_on >= coalesce(${a}.raised_on, ${a}.opened_on)))`;
