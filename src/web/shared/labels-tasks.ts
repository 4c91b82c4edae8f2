/**
 * Labels of inspection tasks (issue 11), copies of the server's codes (src/inspections/tasks/rules/
 * task-result.ts, src/credit/rules/record-kinds.ts, the schema's CHECKs of migration
 * 1765584000000); labels-tasks.spec.ts keeps each copy equal to its source. Pure: the pages and
 * the phone pages share them.
 */
import { INSPECTION_OUTCOME_LABELS } from './labels-credit';

/** 任务状态: inspection_task.status. */
export const TASK_STATUS_LABELS: Record<string, string> = {
  assigned: '待检查',
  in_progress: '检查中',
  completed: '已完成',
  cancelled: '已取消',
  replaced: '已替补',
};

/** Element Plus tag type of a task status (overdue is its own tag). */
export const TASK_STATUS_TAG: Record<string, 'primary' | 'warning' | 'success' | 'info' | 'danger'> = {
  assigned: 'primary',
  in_progress: 'warning',
  completed: 'success',
  cancelled: 'info',
  replaced: 'info',
};

/** 任务类型: routine 日常抽查 / event 事件触发. */
export const TASK_KIND_LABELS: Record<string, string> = {
  routine: '日常抽查',
  event: '事件触发',
};

/** 检查结果 (the four outcomes of a task, those of an inspection_result record). */
export const TASK_OUTCOME_LABELS: Record<string, string> = INSPECTION_OUTCOME_LABELS;

/** What each outcome means, said to the inspector choosing it. */
export const TASK_OUTCOME_HINTS: Record<string, string> = {
  no_problem: '检查事项均符合要求',
  problems_found: '逐项填写发现的问题，可设整改期限',
  refused: '企业拒绝、阻挠检查',
  not_found: '在登记住所或经营场所找不到该企业',
};

/** 检查方式: inspection_item.check_method. */
export const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/** 触发来源: inspection_trigger.kind. */
export const TRIGGER_KIND_LABELS: Record<string, string> = {
  complaint: '投诉',
  report: '举报',
  referral: '转办交办',
  data_alert: '数据预警',
  legal_requirement: '法定要求',
};

/** 检查人员: inspection_task_inspector.role. */
export const INSPECTOR_ROLE_LABELS: Record<string, string> = {
  assigned: '检查人员',
  skipped_recusal: '已回避',
  withdrawn: '已退出',
};

/** 联合检查状态: joint_visit.status. */
export const VISIT_STATUS_LABELS: Record<string, string> = {
  open: '进行中',
  completed: '已完成',
  cancelled: '已取消',
};

/** 我的任务 views (GET /api/my/tasks?when=), in tab order. */
export const MY_TASK_VIEW_LABELS: Record<string, string> = {
  today: '今日',
  week: '本周',
  overdue: '逾期',
  open: '全部未完成',
  done: '已完成',
};

/** A window as 2026年12月1日 至 2026年12月31日 (formatted by the caller's `format`). */
export function windowText(start: string, end: string, format: (d: string) => string): string {
  return start === end ? format(start) : `${format(start)} 至 ${format(end)}`;
}
