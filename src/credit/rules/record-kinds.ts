/**
 * Kinds of credit record (信用记录) and the pure rules that classify them (domain.md 3.1, 3.2).
 * No framework imports.
 */

export const CREDIT_RECORD_KINDS = [
  'administrative_penalty', // 行政处罚
  'listing', // 列入名录: anomaly list 经营异常名录 or serious list 严重违法失信名单
  'complaint', // 投诉举报
  'referral', // 转办/交办
  'inspection_result', // 检查结果
  'judgment_defaulter', // 失信被执行人
  'unpaid_tax', // 欠税
  'product_spot_check', // 产品质量抽检
  'judicial_case', // 涉诉信息 (court judgments, enforcement, announcements): an extension, see docs/domain-notes.md
  'commendation', // 表彰, 守合同重信用 honours (positive)
  'registration_change', // 变更登记: a change of registered particulars (dynamic information, neutral)
  // 监管措施 (issue 14): what a regulator did about a prepaid-risk alert (interview, warning letter, order to
  // stop taking prepayments; the closing of the alert with its findings). Shown on the record list; it feeds
  // no scorecard indicator (the facts behind it, penalties, listings, inspections, count on their own), neutral
  'regulatory_measure',
] as const;
export type CreditRecordKind = (typeof CREDIT_RECORD_KINDS)[number];

export const KIND_LABELS: Record<CreditRecordKind, string> = {
  administrative_penalty: '行政处罚',
  listing: '列入名录',
  complaint: '投诉举报',
  referral: '转办交办',
  inspection_result: '检查结果',
  judgment_defaulter: '失信被执行人',
  unpaid_tax: '欠税',
  product_spot_check: '产品质量抽检',
  judicial_case: '涉诉信息',
  commendation: '表彰荣誉',
  registration_change: '变更登记',
  regulatory_measure: '监管措施',
};

/**
 * Registered particulars whose change is recorded (变更登记事项; 市场主体登记管理条例 art. 8, 24).
 * `KEY_CHANGE_ITEMS` are those whose repeated change in a short time is a risk signal of the
 * dynamic-information group (SAMR 国市监信发〔2022〕6号; domain.md 4): legal representative,
 * domicile, registered capital, shareholders (investors).
 */
export const CHANGE_ITEMS = [
  'name', // 名称
  'legal_representative', // 法定代表人
  'address', // 住所
  'registered_capital', // 注册资本
  'business_scope', // 经营范围
  'shareholders', // 股东(投资人)
  'other', // 其他
] as const;
export type ChangeItem = (typeof CHANGE_ITEMS)[number];
export const KEY_CHANGE_ITEMS: readonly ChangeItem[] = [
  'legal_representative',
  'address',
  'registered_capital',
  'shareholders',
];
export const CHANGE_ITEM_LABELS: Record<ChangeItem, string> = {
  name: '名称',
  legal_representative: '法定代表人',
  address: '住所',
  registered_capital: '注册资本',
  business_scope: '经营范围',
  shareholders: '股东(投资人)',
  other: '其他',
};

const CHANGE_ITEM_BY_LABEL: Record<string, ChangeItem> = {
  ...Object.fromEntries(Object.entries(CHANGE_ITEM_LABELS).map(([k, v]) => [v, k as ChangeItem])),
  股东: 'shareholders',
  投资人: 'shareholders',
  '股东（投资人）': 'shareholders',
  经营场所: 'address',
  负责人: 'legal_representative',
};

/**
 * The change item named by `given`: a code of CHANGE_ITEMS in any case, or its Chinese label
 * (法定代表人, 住所, 注册资本, 股东...; 负责人 and 经营场所 for branches and sole traders).
 * @returns the code, or null when `given` names none
 */
export function changeItemOf(given: string): ChangeItem | null {
  const s = given.trim();
  const code = s.toLowerCase();
  if (CHANGE_ITEMS.includes(code as ChangeItem)) return code as ChangeItem;
  return CHANGE_ITEM_BY_LABEL[s] ?? null;
}

export const LIST_TYPES = ['anomaly', 'serious'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/**
 * Outcomes of an inspection (检查结果): 未发现问题 no_problem, 发现问题 problems_found, 拒绝检查
 * refused, 查无下落 not_found (the enterprise cannot be found at its registered address; issue 11).
 */
export const INSPECTION_OUTCOMES = ['no_problem', 'problems_found', 'refused', 'not_found'] as const;

/**
 * Outcomes that count against the enterprise as a failed inspection (indicators
 * inspections_failed_2y and, without violation counts, one severe violation in
 * inspection_violations): problems found, refused, and not found at the address. An enterprise
 * that cannot be found where it is registered could not be inspected, as with a refusal, and is
 * the first sign of abnormal operation (企业经营异常名录管理暂行办法 art. 4(4): 通过登记的住所或者
 * 经营场所无法联系 -> anomaly list, a listing the registration authority records separately); so it
 * weighs as a refusal does, never as an inspection without problems. No record with this outcome
 * existed before issue 11 (the input check refused it), so no earlier score changes.
 */
export const FAILED_INSPECTION_OUTCOMES: readonly string[] = ['problems_found', 'refused', 'not_found'];

/**
 * Violation levels an inspection result may count in its details, `{ severe, major, minor }`
 * (the `***`, `**`, `*` of the Boston source), weighed by scorecard v2 and later.
 */
export const VIOLATION_LEVELS = ['severe', 'major', 'minor'] as const;
/** Largest count of one violation level at one inspection: a bound against absurd input (refused above it). */
export const MAX_VIOLATIONS = 9999;
export type InspectionOutcome = (typeof INSPECTION_OUTCOMES)[number];

export const SPOT_CHECK_OUTCOMES = ['passed', 'failed'] as const;
export type SpotCheckOutcome = (typeof SPOT_CHECK_OUTCOMES)[number];

export const JUDICIAL_CASE_TYPES = ['enforcement', 'judgment', 'announcement'] as const;
export type JudicialCaseType = (typeof JUDICIAL_CASE_TYPES)[number];

/** Procedure of a penalty: 简易程序 (summary) or 普通程序 (general). */
export const PENALTY_PROCEDURES = ['summary', 'general'] as const;
export type PenaltyProcedure = (typeof PENALTY_PROCEDURES)[number];

/** Types of administrative penalty (行政处罚法 art. 9), as codes. */
export const PENALTY_TYPES = [
  'warning', // 警告
  'reprimand', // 通报批评
  'fine', // 罚款
  'confiscation', // 没收违法所得、没收非法财物
  'licence_suspension', // 暂扣许可证件
  'qualification_downgrade', // 降低资质等级
  'licence_revocation', // 吊销许可证件 / 营业执照
  'business_restriction', // 限制开展生产经营活动
  'production_suspension', // 责令停产停业
  'closure', // 责令关闭
  'post_ban', // 限制从业
  'detention', // 行政拘留
  'other', // 其他
] as const;
export type PenaltyType = (typeof PENALTY_TYPES)[number];

/**
 * Penalty types whose publication is never ended early (SAMR Order 45, 2021; domain.md 3.2):
 * suspension of production or business, restriction of business, bans on holding posts, downgrade
 * of a qualification, revocation of a licence or business licence (closure counted with them).
 */
export const NEVER_ENDED_EARLY: ReadonlySet<PenaltyType> = new Set([
  'production_suspension',
  'business_restriction',
  'post_ban',
  'qualification_downgrade',
  'licence_revocation',
  'closure',
]);

export const PENALTY_SEVERITIES = ['light', 'general', 'severe'] as const;
export type PenaltySeverity = (typeof PENALTY_SEVERITIES)[number];

/**
 * Severity of a penalty for scoring (domain.md 3.2, SAMR Order 45 of 2021):
 * - `light`: not published at all: summary procedure (简易程序), or only a warning and/or a public
 *   reprimand;
 * - `severe`: includes a type whose publication is never ended early (see NEVER_ENDED_EARLY);
 * - `general`: every other penalty (fines, confiscation, licence suspension...).
 * @param types at least one penalty type
 */
export function penaltySeverity(procedure: PenaltyProcedure, types: readonly PenaltyType[]): PenaltySeverity {
  if (types.some((t) => NEVER_ENDED_EARLY.has(t))) return 'severe';
  if (procedure === 'summary') return 'light';
  if (types.length > 0 && types.every((t) => t === 'warning' || t === 'reprimand')) return 'light';
  return 'general';
}

export type Polarity = 'negative' | 'positive' | 'neutral';

/**
 * Whether a record counts against the enterprise, for it, or neither (domain.md 3.1).
 * Inspections without problems and passed spot checks are positive (every other inspection
 * outcome, not_found included, is negative); court judgments and
 * announcements are neutral (being a party says nothing of fault), and so are registration changes
 * (a change is lawful; only frequent changes weigh, as an indicator); enforcement cases, penalties,
 * listings, complaints, referrals, defaulter status and unpaid tax are negative; commendations
 * are positive.
 */
export function recordPolarity(
  kind: CreditRecordKind,
  outcome?: string | null,
  caseType?: string | null,
): Polarity {
  switch (kind) {
    case 'commendation':
      return 'positive';
    case 'inspection_result':
      return outcome === 'no_problem' ? 'positive' : 'negative';
    case 'product_spot_check':
      return outcome === 'passed' ? 'positive' : 'negative';
    case 'judicial_case':
      return caseType === 'enforcement' ? 'negative' : 'neutral';
    case 'registration_change':
    case 'regulatory_measure':
      return 'neutral';
    default:
      return 'negative';
  }
}
