/**
 * Chinese labels of the item list's, roster's and recusal codes (issue 11). Each table is a copy
 * of the backend's own (src/inspections/catalog/rules/catalog-input.ts), kept equal by
 * labels-catalog.spec.ts.
 */

/** 检查方式: CHECK_METHOD_LABELS. */
export const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/** 回避状态: RECUSAL_STATUSES. */
export const RECUSAL_STATUS_LABELS: Record<string, string> = {
  pending: '待审核',
  approved: '已同意',
  rejected: '已驳回',
};

/** 回避来源: RECUSAL_SOURCES (申报: the inspector's own; 申请: the enterprise's request). */
export const RECUSAL_SOURCE_LABELS: Record<string, string> = {
  inspector: '执法人员申报',
  enterprise: '企业申请',
  regulator: '监管人员登记',
};

/** Element Plus tag types of the recusal states. */
export const RECUSAL_STATUS_TAGS: Record<string, 'warning' | 'success' | 'info'> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'info',
};
