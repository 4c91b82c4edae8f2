/**
 * Chinese labels for what the enterprise's pages show, restated from the backend's codes (the
 * workbench keeps its own in shared/): record kinds and their fields from
 * src/credit/rules/record-kinds.ts, entity types from src/enterprises/entities/enterprise.entity.ts,
 * password-policy reasons from src/auth/rules/password-policy.ts. A code missing here shows as is.
 */

/** record-kinds.ts KIND_LABELS */
export const KIND_LABELS: Record<string, string> = {
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
};

/** record-kinds.ts LIST_TYPES */
export const LIST_TYPE_LABELS: Record<string, string> = {
  anomaly: '经营异常名录',
  serious: '严重违法失信名单',
};

/** record-kinds.ts INSPECTION_OUTCOMES, SPOT_CHECK_OUTCOMES, JUDICIAL_CASE_TYPES */
export const OUTCOME_LABELS: Record<string, string> = {
  no_problem: '未发现问题',
  problems_found: '发现问题',
  refused: '拒绝检查',
  passed: '合格',
  failed: '不合格',
  enforcement: '被执行',
  judgment: '裁判文书',
  announcement: '法院公告',
};

/** record-kinds.ts PENALTY_PROCEDURES */
export const PROCEDURE_LABELS: Record<string, string> = { summary: '简易程序', general: '普通程序' };

/** record-kinds.ts PENALTY_TYPES (行政处罚法 art. 9) */
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
  other: '其他',
};

/** record-kinds.ts CHANGE_ITEM_LABELS */
export const CHANGE_ITEM_LABELS: Record<string, string> = {
  name: '名称',
  legal_representative: '法定代表人',
  address: '住所',
  registered_capital: '注册资本',
  business_scope: '经营范围',
  shareholders: '股东(投资人)',
  other: '其他',
};

/** enterprise.entity.ts ENTITY_TYPE_LABELS */
export const ENTITY_TYPE_LABELS: Record<string, string> = {
  company: '公司',
  sole_trader: '个体工商户',
  cooperative: '农民专业合作社',
  branch: '分支机构',
  partnership: '合伙企业',
  other: '其他',
};

/** password-policy.ts passwordProblem reasons */
const PASSWORD_PROBLEMS: Record<string, string> = {
  'required: text': '请输入新密码',
  'at least 10 characters': '新密码至少10个字符',
  'no spaces at the start or the end': '新密码首尾不能有空格',
  'at least 5 different characters': '新密码至少包含5个不同的字符',
  'at most 72 bytes (bcrypt ignores the rest)': '新密码过长（最多72字节）',
  'needs at least one letter and one digit': '新密码需同时包含字母和数字',
  'must not contain the username': '新密码不能包含用户名',
};

/** The Chinese of a password-policy refusal (422 field newPassword); unknown reasons in general words. */
export function passwordProblemLabel(reason: string): string {
  return PASSWORD_PROBLEMS[reason] ?? '新密码不符合密码规则：至少10个字符，包含字母和数字';
}

/** `labels[code]`, or the code itself when it has no label; null/empty -> '—'. */
export function label(labels: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '—';
  return labels[code] ?? code;
}
