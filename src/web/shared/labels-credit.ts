/**
 * Chinese labels of the credit and register codes the API answers with (codes in English, pages in
 * Chinese). Each table is a copy of the backend's own, named beside it; labels-credit.spec.ts
 * fails when a copy and its source differ, so a new code cannot reach the pages unlabelled.
 */

/** 信用记录类别: src/credit/rules/record-kinds.ts KIND_LABELS. */
export const RECORD_KIND_LABELS: Record<string, string> = {
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

/** 变更事项: src/credit/rules/record-kinds.ts CHANGE_ITEM_LABELS. */
export const CHANGE_ITEM_LABELS: Record<string, string> = {
  name: '名称',
  legal_representative: '法定代表人',
  address: '住所',
  registered_capital: '注册资本',
  business_scope: '经营范围',
  shareholders: '股东(投资人)',
  other: '其他',
};

/** 名录类别: src/credit/rules/record-kinds.ts LIST_TYPES (labels as in docs/import-formats.md). */
export const LIST_TYPE_LABELS: Record<string, string> = {
  anomaly: '经营异常名录',
  serious: '严重违法失信名单',
};

/** 检查结果: src/credit/rules/record-kinds.ts INSPECTION_OUTCOMES. */
export const INSPECTION_OUTCOME_LABELS: Record<string, string> = {
  no_problem: '未发现问题',
  problems_found: '发现问题',
  refused: '拒绝检查',
  not_found: '查无下落',
};

/** 抽检结果: src/credit/rules/record-kinds.ts SPOT_CHECK_OUTCOMES. */
export const SPOT_CHECK_OUTCOME_LABELS: Record<string, string> = {
  passed: '合格',
  failed: '不合格',
};

/** 涉诉类别: src/credit/rules/record-kinds.ts JUDICIAL_CASE_TYPES. */
export const CASE_TYPE_LABELS: Record<string, string> = {
  enforcement: '强制执行',
  judgment: '裁判文书',
  announcement: '法院公告',
};

/** 处罚程序: src/credit/rules/record-kinds.ts PENALTY_PROCEDURES. */
export const PROCEDURE_LABELS: Record<string, string> = {
  summary: '简易程序',
  general: '普通程序',
};

/**
 * 处罚种类 (行政处罚法 art. 9; 'other' is its item 6, 法律、行政法规规定的其他行政处罚): src/credit/rules/record-kinds.ts
 * PENALTY_TYPES, in the words the printed documents use (penalties/rules/publication-regimes.ts penaltyTypeLabel;
 * labels-credit.spec.ts holds them equal).
 */
export const PENALTY_TYPE_LABELS: Record<string, string> = {
  warning: '警告',
  reprimand: '通报批评',
  fine: '罚款',
  confiscation: '没收违法所得、没收非法财物',
  licence_suspension: '暂扣许可证件',
  qualification_downgrade: '降低资质等级',
  licence_revocation: '吊销许可证件',
  business_restriction: '限制开展生产经营活动',
  production_suspension: '责令停产停业',
  closure: '责令关闭',
  post_ban: '限制从业',
  detention: '行政拘留',
  other: '其他行政处罚',
};

/** 处罚轻重 (SAMR Order 45): src/credit/rules/record-kinds.ts PENALTY_SEVERITIES. */
export const PENALTY_SEVERITY_LABELS: Record<string, string> = {
  light: '轻微',
  general: '一般',
  severe: '严重',
};

/** 记录性质: src/credit/rules/record-kinds.ts Polarity. */
export const POLARITY_LABELS: Record<string, string> = {
  negative: '失信',
  positive: '守信',
  neutral: '中性',
};

/** 主体类型: src/enterprises/entities/enterprise.entity.ts ENTITY_TYPE_LABELS. */
export const ENTITY_TYPE_LABELS: Record<string, string> = {
  company: '公司',
  sole_trader: '个体工商户',
  cooperative: '农民专业合作社',
  branch: '分支机构',
  partnership: '合伙企业',
  other: '其他',
};

/** 登记状态: src/enterprises/entities/enterprise.entity.ts STATUS_LABELS. */
export const STATUS_LABELS: Record<string, string> = {
  active: '存续',
  suspended: '停业',
  moved_out: '迁出',
  deregistered: '注销',
  revoked: '吊销',
};

/** 待核查事项: src/enterprises/dto/enterprise.dto.ts REVIEW_FLAGS (meanings from EnterpriseView). */
export const REVIEW_FLAG_LABELS: Record<string, string> = {
  uscc_check_char_failed: '统一社会信用代码校验位不符',
  division_mismatch: '行政区划与信用代码不一致',
};

/** 部门: src/auth/roles.ts DEPARTMENTS (a record's source department is the district + this). */
export const DEPARTMENT_NAMES: Record<string, string> = {
  market: '市场监督管理局',
  health: '卫生健康委员会',
  fire: '消防救援支队',
  culture: '文化和旅游局',
  city: '城市管理行政执法局',
  ecology: '生态环境局',
  commerce: '商务委员会',
  education: '教育局',
  tax: '税务局',
  court: '人民法院',
  oversight: '司法局',
};

/** The district's name before a department's (src/config/configuration.ts DISTRICT_NAME default). */
export const DISTRICT_NAME = '杨浦区';

/**
 * Departments that may post each kind of record, or 'any' (src/credit/rules/record-authorities.ts
 * RECORD_AUTHORITIES): the add-record dialog offers a regulator only the kinds its department issues.
 */
export const RECORD_ISSUERS: Record<string, 'any' | string[]> = {
  administrative_penalty: 'any',
  listing: ['market'],
  complaint: 'any',
  referral: 'any',
  inspection_result: 'any',
  judgment_defaulter: ['court'],
  unpaid_tax: ['tax'],
  product_spot_check: ['market'],
  judicial_case: ['court'],
  commendation: 'any',
  registration_change: ['market'],
  regulatory_measure: ['market'],
};

/** Kinds of record a user of `department` may post (all for an admin: department null). */
export function kindsFor(department: string | null): string[] {
  return Object.keys(RECORD_KIND_LABELS).filter((k) => {
    const who = RECORD_ISSUERS[k];
    return department === null || who === 'any' || who.includes(department);
  });
}

/** The outcome of a record in Chinese (inspection, spot check), or the code when unknown. */
export function outcomeLabel(kind: string, outcome: string | null): string {
  if (!outcome) return '—';
  const table = kind === 'product_spot_check' ? SPOT_CHECK_OUTCOME_LABELS : INSPECTION_OUTCOME_LABELS;
  return table[outcome] ?? CASE_TYPE_LABELS[outcome] ?? outcome;
}

/** Element Plus tag type of a tier: A best (success) ... D worst (danger); others info. */
export function tierTagType(
  tier: string | null | undefined,
): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  return ({ A: 'success', B: 'primary', C: 'warning', D: 'danger' } as const)[tier ?? ''] ?? 'info';
}
