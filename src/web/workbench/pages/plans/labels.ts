/**
 * Labels of the plan pages: copies of the server's tables in
 * src/inspections/public/public-plan-pages.ts (labels.spec.ts keeps each copy equal to its source).
 */

/** 计划状态. */
export const PLAN_STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  published: '已发布',
  superseded: '已被替代',
};

/** Element Plus tag types per plan status. */
export const PLAN_STATUS_TAGS: Record<string, 'info' | 'success' | 'warning'> = {
  draft: 'info',
  published: 'success',
  superseded: 'warning',
};

/** 检查方式 (inspection_item.check_method). */
export const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/** 抽取状态 (plan_draw.status). */
export const DRAW_STATUS_LABELS: Record<string, string> = {
  committed: '已承诺种子，待公开随机数与揭示',
  revealed: '已揭示种子，待抽取',
  drawn: '已抽取',
};
