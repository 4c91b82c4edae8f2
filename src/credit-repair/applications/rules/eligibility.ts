/**
 * Who may apply for credit repair (信用修复) of which record, and why not (domain.md 3.3, 3.4).
 * Pure: no framework imports, no clock (`today` is a parameter).
 *
 * Three kinds of application, each with its own conditions:
 * - `penalty` (提前停止公示行政处罚信息; SAMR 信用修复管理办法 2021, NDRC Order 58 2023, Shanghai
 *   优化营商环境条例 art. 67): the record's earliest repair day reached (credit_record.earliest_repair_on,
 *   computed by the publication regime); not a penalty that is never ended early (吊销许可证件,
 *   责令停产停业...: SAMR Order 45 2021); not already repaired; publication not already over; and the
 *   four conditions: penalty obligations fulfilled, harm removed (both declared by the enterprise,
 *   verified by the regulator from the proof), no repeat penalty for the same kind of violation since
 *   (checked against the records: a later penalty with the same legal basis), not currently on the
 *   anomaly list or the serious list;
 * - `anomaly_removal` (移出经营异常名录): the listing still in force and its cause fixed (declared);
 * - `serious_removal` (提前移出严重违法失信名单): at least 1 year on the list (Civil Code art. 201/202:
 *   the year counted from the day after listing; apply from the day after its last day),
 *   obligations fulfilled, harm removed, and no heavier penalty since the listing (a published
 *   penalty, severity general or severe: a light one is not published).
 * The authority that recorded the information decides (谁认定谁修复): the record's source department,
 * which must be a department of the district, else no application here.
 *
 * Every refusal names its condition by a code and a Chinese message.
 */
import { addDays } from '../../../common/calendar-days.js';
import { periodLastDay } from '../../../common/legal-periods.js';
import { chineseDate } from '../../../credit/rules/record-counting.js';

/** The one date form of the rules' texts (credit/rules/record-counting.ts), for this module's users. */
export { chineseDate };

/** The kinds of repair application (repair_application.kind). */
export const REPAIR_KINDS = ['penalty', 'anomaly_removal', 'serious_removal'] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

export const REPAIR_KIND_LABELS: Record<RepairKind, string> = {
  penalty: '行政处罚信息信用修复',
  anomaly_removal: '移出经营异常名录',
  serious_removal: '移出严重违法失信名单',
};

/** The record applied for, as the eligibility rule needs it (dates YYYY-MM-DD). */
export interface RepairRecord {
  id: number;
  /** credit_record.kind */
  kind: string;
  polarity: string;
  recordDate: string;
  sourceDepartment: string;
  decisionNo: string | null;
  /** legal basis of the violation (penalty_decision.legal_basis, else credit_record.subject): "same kind" */
  violationKey: string | null;
  penaltySeverity: string | null;
  listType: 'anomaly' | 'serious' | null;
  listedOn: string | null;
  removedOn: string | null;
  publicationLastDay: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  repairedOn: string | null;
}

/** Another record of the same enterprise (the repeat, list and heavier-penalty checks). */
export interface OtherRecord {
  id: number;
  kind: string;
  recordDate: string;
  decisionNo: string | null;
  violationKey: string | null;
  penaltySeverity: string | null;
  listType: 'anomaly' | 'serious' | null;
  listedOn: string | null;
  removedOn: string | null;
  repairedOn: string | null;
}

/** What the enterprise declares with its application (checked against the proof by the regulator). */
export interface Declarations {
  /** 已履行行政处罚决定规定的义务 (fine paid...) */
  obligationsFulfilled?: boolean;
  /** 已主动消除危害后果和不良影响 */
  harmRemoved?: boolean;
  /** 列入经营异常名录的情形已消除 (annual report filed, address reachable...) */
  causeFixed?: boolean;
}

export const CONDITION_CODES = [
  'NOT_REPAIRABLE_KIND',
  'DEPARTMENT_OUTSIDE_DISTRICT',
  'NO_REPAIR_DATE',
  'NEVER_ENDED_EARLY',
  'ALREADY_REPAIRED',
  'PUBLICATION_OVER',
  'NOT_YET',
  'OBLIGATIONS_FULFILLED',
  'HARM_REMOVED',
  'NO_REPEAT_PENALTY',
  'NOT_ON_ANOMALY_LIST',
  'NOT_ON_SERIOUS_LIST',
  'LISTING_IN_FORCE',
  'CAUSE_FIXED',
  'LISTED_ONE_YEAR',
  'NO_HEAVIER_PENALTY',
] as const;
export type ConditionCode = (typeof CONDITION_CODES)[number];

/**
 * One condition and its state: `met`; `failed` (a refusal, with the reason); `to_declare` (the
 * enterprise has not declared it yet: eligibility shown before applying).
 */
export interface Condition {
  code: ConditionCode;
  /** the condition in Chinese */
  label: string;
  state: 'met' | 'failed' | 'to_declare';
  /**
   * `checked`: the rule checked it against the records; `declared`: the enterprise declares it
   * (met means declared, not verified: the regulator verifies it from the proof)
   */
  basis: 'checked' | 'declared';
  /** why failed, in Chinese (names the date, decision number, list...) */
  message: string | null;
  /**
   * the other record a failure is about, when there is one: the repeat penalty, the heavier
   * penalty, the listing still in force (the page links 申请移出 to it)
   */
  relatedRecordId?: number;
}

export interface Eligibility {
  recordId: number;
  kind: RepairKind | null;
  /** true when no condition failed and none is left to declare */
  eligible: boolean;
  /** true when only declarations are missing (the enterprise may apply by declaring them) */
  mayApply: boolean;
  /** 谁认定谁修复: the record's source department */
  decidingDepartment: string;
  /** the earliest day an application is possible (YYYY-MM-DD), when a date condition applies */
  earliestOn: string | null;
  conditions: Condition[];
  /** the failed conditions (codes and messages): what a refusal says */
  refusals: { code: ConditionCode; message: string }[];
}

/** The kind of repair a record takes, or null when it takes none (positive, neutral and other kinds). */
export function repairKindOf(r: Pick<RepairRecord, 'kind' | 'listType'>): RepairKind | null {
  if (r.kind === 'administrative_penalty') return 'penalty';
  if (r.kind === 'listing' && r.listType === 'anomaly') return 'anomaly_removal';
  if (r.kind === 'listing' && r.listType === 'serious') return 'serious_removal';
  return null;
}

/**
 * The first day an application to leave the serious list is possible: the day after one year on
 * the list ends (Civil Code art. 201/202 via common/legal-periods.ts, no holiday shift: an
 * application may be made on any day). 2025-03-10 -> 2026-03-11; 2024-02-29 -> 2025-03-01.
 */
export function seriousRemovalFrom(listedOn: string): string {
  return addDays(periodLastDay(listedOn, { years: 1 }, undefined, false).lastDay, 1);
}

const listed = (o: OtherRecord, type: 'anomaly' | 'serious', today: string) =>
  o.kind === 'listing' &&
  o.listType === type &&
  o.listedOn !== null &&
  o.listedOn <= today &&
  (o.removedOn === null || o.removedOn > today) &&
  (o.repairedOn === null || o.repairedOn > today);

/**
 * Whether `record` may be repaired on `today`, condition by condition.
 * @param others the enterprise's other records (any kind; the record itself is ignored if present)
 * @param declared what the enterprise declares; absent entries are `to_declare`
 * @param inDistrict whether the record's source department is one of the district's (谁认定谁修复)
 */
export function repairEligibility(
  record: RepairRecord,
  others: readonly OtherRecord[],
  declared: Declarations,
  today: string,
  inDistrict: boolean,
): Eligibility {
  const kind = repairKindOf(record);
  const conditions: Condition[] = [];
  const add = (
    code: ConditionCode,
    label: string,
    failed: string | null,
    declare = false,
    related?: { id: number },
    declaration = false,
  ) =>
    conditions.push({
      code,
      label,
      state: failed !== null ? 'failed' : declare ? 'to_declare' : 'met',
      basis: declaration ? 'declared' : 'checked',
      message: failed,
      ...(failed !== null && related ? { relatedRecordId: related.id } : {}),
    });
  const declaration = (code: ConditionCode, label: string, value: boolean | undefined, no: string) =>
    add(code, label, value === false ? no : null, value === undefined, undefined, true);
  const rest = others.filter((o) => o.id !== record.id);
  let earliestOn: string | null = null;

  if (kind === null) {
    add(
      'NOT_REPAIRABLE_KIND',
      '可修复的信用记录',
      '该记录不是行政处罚或名录列入信息，无需也不能申请信用修复',
    );
  } else {
    add(
      'DEPARTMENT_OUTSIDE_DISTRICT',
      '由本区认定部门修复（谁认定谁修复）',
      inDistrict ? null : `该信息由${record.sourceDepartment}认定，请向该单位申请信用修复（谁认定谁修复）`,
    );
    if (record.repairedOn !== null)
      add('ALREADY_REPAIRED', '尚未修复', `该记录已于${chineseDate(record.repairedOn)}完成信用修复`);
  }

  if (kind === 'penalty') {
    if (record.neverEndedEarly)
      add(
        'NEVER_ENDED_EARLY',
        '可提前停止公示',
        '该行政处罚含责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件等，公示期满前不得提前停止公示（不予修复）',
      );
    else if (record.earliestRepairOn === null)
      add(
        'NO_REPAIR_DATE',
        '已确定最早可申请修复日期',
        '该行政处罚不予公示或未计算公示期，无需申请信用修复；如有疑问请联系认定部门',
      );
    else {
      earliestOn = record.earliestRepairOn;
      if (record.publicationLastDay !== null && record.publicationLastDay < today)
        add(
          'PUBLICATION_OVER',
          '仍在公示期内',
          `该行政处罚的公示期已于${chineseDate(record.publicationLastDay)}届满，已停止公示，无需申请修复`,
        );
      add(
        'NOT_YET',
        '已届最短公示期',
        today < record.earliestRepairOn ? `可于${chineseDate(record.earliestRepairOn)}起申请` : null,
      );
    }
    declaration(
      'OBLIGATIONS_FULFILLED',
      '已履行行政处罚义务',
      declared.obligationsFulfilled,
      '尚未履行行政处罚决定规定的义务',
    );
    declaration(
      'HARM_REMOVED',
      '已消除危害后果和不良影响',
      declared.harmRemoved,
      '尚未消除危害后果和不良影响',
    );
    const repeat = rest.find(
      (o) =>
        o.kind === 'administrative_penalty' &&
        record.violationKey !== null &&
        o.violationKey === record.violationKey &&
        o.recordDate > record.recordDate &&
        o.recordDate <= today,
    );
    add(
      'NO_REPEAT_PENALTY',
      '未再因同类违法行为受到行政处罚',
      repeat
        ? `${chineseDate(repeat.recordDate)}又因同类违法行为受到行政处罚（${repeat.decisionNo ?? `记录${repeat.id}`}）`
        : null,
      false,
      repeat,
    );
    const anomaly = rest.find((o) => listed(o, 'anomaly', today));
    add(
      'NOT_ON_ANOMALY_LIST',
      '未被列入经营异常名录',
      anomaly ? '目前仍在经营异常名录中，请先申请移出' : null,
      false,
      anomaly,
    );
    const serious = rest.find((o) => listed(o, 'serious', today));
    add(
      'NOT_ON_SERIOUS_LIST',
      '未被列入严重违法失信名单',
      serious ? '目前仍在严重违法失信名单中，请先申请移出' : null,
      false,
      serious,
    );
  }

  if (kind === 'anomaly_removal' || kind === 'serious_removal') {
    const inForce = record.removedOn === null || record.removedOn > today;
    add(
      'LISTING_IN_FORCE',
      '仍在名录中',
      inForce ? null : `该列入信息已于${chineseDate(record.removedOn!)}移出`,
    );
  }
  if (kind === 'anomaly_removal')
    declaration(
      'CAUSE_FIXED',
      '列入经营异常名录的情形已消除',
      declared.causeFixed,
      '列入经营异常名录的情形尚未消除',
    );

  if (kind === 'serious_removal') {
    earliestOn = seriousRemovalFrom(record.listedOn ?? record.recordDate);
    add(
      'LISTED_ONE_YEAR',
      '列入严重违法失信名单满1年',
      today < earliestOn ? `列入满1年后可申请，可于${chineseDate(earliestOn)}起申请` : null,
    );
    declaration('OBLIGATIONS_FULFILLED', '已履行相关义务', declared.obligationsFulfilled, '尚未履行相关义务');
    declaration(
      'HARM_REMOVED',
      '已消除危害后果和不良影响',
      declared.harmRemoved,
      '尚未消除危害后果和不良影响',
    );
    const since = record.listedOn ?? record.recordDate;
    const heavier = rest.find(
      (o) =>
        o.kind === 'administrative_penalty' &&
        (o.penaltySeverity === 'general' || o.penaltySeverity === 'severe') &&
        o.recordDate > since &&
        o.recordDate <= today,
    );
    add(
      'NO_HEAVIER_PENALTY',
      '列入后未再受到较重行政处罚',
      heavier
        ? `列入后于${chineseDate(heavier.recordDate)}又受到较重行政处罚（${heavier.decisionNo ?? `记录${heavier.id}`}）`
        : null,
      false,
      heavier,
    );
  }

  const refusals = conditions
    .filter((c) => c.state === 'failed')
    .map((c) => ({ code: c.code, message: c.message! }));
  const open = conditions.some((c) => c.state === 'to_declare');
  return {
    recordId: record.id,
    kind,
    eligible: refusals.length === 0 && !open,
    mayApply: refusals.length === 0,
    decidingDepartment: record.sourceDepartment,
    earliestOn,
    conditions,
    refusals,
  };
}
