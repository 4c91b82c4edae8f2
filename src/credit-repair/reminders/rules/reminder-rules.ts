/**
 * What the enterprise is told on its own page (企业专属网页, domain.md 3.5: "reminders ... when
 * repair becomes possible and before a deadline") and the publication state of a record as its
 * page shows it. Pure: no framework, no clock; `today` is always a parameter (YYYY-MM-DD, a day
 * in Asia/Shanghai).
 *
 * Every reminder has a dedupe key naming the fact it is about, so that the daily job creates it
 * exactly once however often it runs (enterprise_reminder.dedupe_key is unique):
 * - `repair_possible:<record id>`: repair may be applied for (earliest_repair_on reached);
 * - `period_ending:<record id>:<last day>`: the record's maximum publication period ends soon
 *   (a recomputed last day is a new fact and gets its own reminder);
 * - `compliance_notice:<enterprise id>`: a newly registered enterprise's compliance notice.
 */
import { addDays, daysBetween } from '../../../common/calendar-days.js';
import { chineseDate } from '../../../credit/rules/record-counting.js';

/** A parameter as data, with why it has its value. */
export interface ReasonedParameter {
  value: number;
  /** unit of `value` */
  unit: 'calendar days';
  reason: string;
}

/**
 * The reminder job's parameters. Changing one changes what the job creates from the next run on;
 * reminders already created stay (their dedupe keys do not contain the parameter).
 */
export const REMINDER_PARAMETERS = {
  /** days before a record's publication last day on which the period_ending reminder appears */
  periodEndingNoticeDays: {
    value: 30,
    unit: 'calendar days',
    reason:
      '公示期以月、年计（最短 3 个月，domain.md 3.2）：提前一个月提醒，企业有时间核对届满日，需要时仍可在届满前申请信用修复；届满后记录自动停止公示、不再计入信用评价（domain.md 3.3 末项）。',
  },
  /** an enterprise established within this many days (today included) gets the compliance notice reminder */
  complianceNoticeNewDays: {
    value: 30,
    unit: 'calendar days',
    reason:
      '新入经营主体合规告知在设立登记后尽快送达：登记后 30 日内（含登记当日）的企业收到一次提醒；此后告知仍在本企业页面可查。',
  },
  /** how many days back a run by hand (CLI --today) may catch up on */
  catchUpDays: {
    value: 31,
    unit: 'calendar days',
    reason:
      '手动补跑（服务停机漏跑的日子）以一个月为限：提醒按真实时间记录、每条只产生一次（去重键），补跑更早的日子只会产生早已过时的提醒；晚于今天的日子不能运行，否则未来的提醒现在就出现，到了当天也不会再出现。',
  },
} as const satisfies Record<string, ReasonedParameter>;

/**
 * Why a run of the reminders as of `day` may not be made by hand on `realToday` (both YYYY-MM-DD,
 * Asia/Shanghai), or null when it may: a day after today is refused (its reminders would be
 * created now, stamped with the real time, and, each existing once by its dedupe key, never
 * come again on the day itself); so is a day more than `catchUpDays` calendar days before today
 * (REMINDER_PARAMETERS.catchUpDays: a missed day is caught up within a month).
 */
export function runDayProblem(
  day: string,
  realToday: string,
  catchUpDays: number = REMINDER_PARAMETERS.catchUpDays.value,
): string | null {
  if (day > realToday)
    return `--today ${day} is after today (${realToday}, Asia/Shanghai): a future day's reminders would show now and, each created once, never come on the day; reminders run only as of today or a missed day`;
  const earliest = addDays(realToday, -catchUpDays);
  if (day < earliest)
    return `--today ${day} is more than ${catchUpDays} days before today (${realToday}, Asia/Shanghai): a missed day is caught up from ${earliest} on`;
  return null;
}

export type ReminderKind = 'repair_possible' | 'period_ending' | 'compliance_notice';

/** A penalty record's publication window as stored on credit_record (dates YYYY-MM-DD or null). */
export interface RecordPeriodFacts {
  recordId: number;
  enterpriseId: number;
  /** the penalty decision the record came from (penalty_decision), when recorded as one */
  decisionId: number | null;
  decisionNo: string | null;
  publicationStart: string | null;
  publicationLastDay: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  repairedOn: string | null;
}

/** A reminder to store (enterprise_reminder), not yet stored. */
export interface ReminderDraft {
  kind: ReminderKind;
  enterpriseId: number;
  creditRecordId: number | null;
  decisionId: number | null;
  /** the day it is about: repair opens, the period's last day, the enterprise's establishment */
  dueOn: string;
  /** what the enterprise reads (Chinese) */
  message: string;
  dedupeKey: string;
}

const recordName = (r: RecordPeriodFacts) =>
  r.decisionNo ? `行政处罚记录（决定书文号 ${r.decisionNo}）` : `行政处罚记录（编号 ${r.recordId}）`;

/**
 * Whether repair can be applied for today (SAMR 信用修复管理办法 2021; NDRC Order 58; Shanghai 条例
 * art. 67; domain.md 3.3): the record has a computed window, is not repaired, can be ended early,
 * its earliest repair day is reached and its publication has not ended. The four conditions
 * (obligations fulfilled...) are checked by the application itself, not here.
 */
export function repairOpen(r: RecordPeriodFacts, today: string): boolean {
  return (
    r.repairedOn === null &&
    !r.neverEndedEarly &&
    r.earliestRepairOn !== null &&
    r.publicationLastDay !== null &&
    r.earliestRepairOn <= today &&
    today <= r.publicationLastDay
  );
}

/**
 * The reminders a record calls for today (0, 1 or 2), each with its dedupe key:
 * - repair_possible from the earliest repair day on (the day of included) while repairOpen holds;
 *   a job that missed that day creates it on the next run within the period;
 * - period_ending from `noticeDays` days before the publication last day up to the last day
 *   (both included), unless repaired; for a never-ended-early record too (it ends at its maximum).
 * Nothing before the window starts, after the last day, or once repaired.
 */
export function recordReminders(
  r: RecordPeriodFacts,
  today: string,
  noticeDays: number = REMINDER_PARAMETERS.periodEndingNoticeDays.value,
): ReminderDraft[] {
  const out: ReminderDraft[] = [];
  const base = { enterpriseId: r.enterpriseId, creditRecordId: r.recordId, decisionId: r.decisionId };
  if (repairOpen(r, today))
    out.push({
      ...base,
      kind: 'repair_possible',
      dueOn: r.earliestRepairOn!,
      message: `您的${recordName(r)}自${chineseDate(r.earliestRepairOn!)}起可以申请信用修复。履行处罚义务、消除不良影响后，可在“信用记录”中点击“申请信用修复”提交申请（需信用修复申请书、信用承诺书和履行义务的证明材料）。`,
      dedupeKey: `repair_possible:${r.recordId}`,
    });
  const last = r.publicationLastDay;
  if (last !== null && r.repairedOn === null && addDays(last, -noticeDays) <= today && today <= last) {
    const left = daysBetween(today, last);
    out.push({
      ...base,
      kind: 'period_ending',
      dueOn: last,
      message: `您的${recordName(r)}公示期将于${chineseDate(last)}届满（还有 ${left} 天）。届满后该记录不再公示，也不再计入信用评价。`,
      dedupeKey: `period_ending:${r.recordId}:${last}`,
    });
  }
  return out;
}

/** An enterprise as the compliance-notice reminder needs it. */
export interface NewEnterpriseFacts {
  enterpriseId: number;
  /** 成立日期 (YYYY-MM-DD) or null when unknown */
  establishedOn: string | null;
  status: string;
}

/**
 * Whether an enterprise counts as newly registered today: in business and established within the
 * last `newDays` days, today included (established today - (newDays - 1) .. today). An unknown
 * or future establishment date does not count.
 */
export function newlyRegistered(
  e: Pick<NewEnterpriseFacts, 'establishedOn' | 'status'>,
  today: string,
  newDays: number = REMINDER_PARAMETERS.complianceNoticeNewDays.value,
): boolean {
  if (e.establishedOn === null || e.status !== 'active') return false;
  const age = daysBetween(e.establishedOn, today);
  return age >= 0 && age < newDays;
}

/** The compliance-notice reminder of a newly registered enterprise today, or null (新入经营主体合规告知). */
export function complianceReminder(
  e: NewEnterpriseFacts,
  today: string,
  newDays: number = REMINDER_PARAMETERS.complianceNoticeNewDays.value,
): ReminderDraft | null {
  if (!newlyRegistered(e, today, newDays)) return null;
  return {
    kind: 'compliance_notice',
    enterpriseId: e.enterpriseId,
    creditRecordId: null,
    decisionId: null,
    dueOn: e.establishedOn!,
    message:
      '欢迎新设立的经营主体！本局为您准备了“新入经营主体合规告知”：适用于贵企业所属行业的检查事项和合规要求，请在“本企业”页面查看。',
    dedupeKey: `compliance_notice:${e.enterpriseId}`,
  };
}

/** A record's publication state on the enterprise's page. */
export type PublicationState = 'not_computed' | 'pending' | 'published' | 'ended' | 'repaired';

/** The state's words on the page. */
export const PUBLICATION_STATE_LABELS: Record<PublicationState, string> = {
  not_computed: '未计算公示期',
  pending: '待公示',
  published: '公示中',
  ended: '公示期已届满',
  repaired: '已信用修复',
};

/**
 * The publication state today: repaired (repair granted on or before today), not computed (no
 * window stored: a record imported without one, or a penalty that is not published), pending
 * (before the start), published (start .. last day, both included), ended (after the last day).
 */
export function publicationState(r: RecordPeriodFacts, today: string): PublicationState {
  if (r.repairedOn !== null && r.repairedOn <= today) return 'repaired';
  if (r.publicationStart === null || r.publicationLastDay === null) return 'not_computed';
  if (today < r.publicationStart) return 'pending';
  if (today > r.publicationLastDay) return 'ended';
  return 'published';
}
