/**
 * Labels of event triggers, tasks, joint visits and alerts (issue 11, part 5): copies of the
 * backend's codes (src/inspections/triggers/dto/trigger.dto.ts TRIGGER_KINDS, TRIGGER_STATUSES;
 * src/inspections/visits/dto/visit.dto.ts VISIT_STATUSES; the task columns of migration
 * 1765584000000), each with its Chinese label; labels-events.spec.ts keeps the codes equal.
 */

/** 事件触发的来源: TRIGGER_KINDS. */
export const TRIGGER_KIND_LABELS: Record<string, string> = {
  complaint: '投诉',
  report: '举报',
  referral: '转办交办',
  data_alert: '数据预警',
  legal_requirement: '法定要求',
};

/** 事件触发的状态: TRIGGER_STATUSES. */
export const TRIGGER_STATUS_LABELS: Record<string, string> = {
  proposed: '待受理',
  accepted: '已受理',
  dismissed: '不予受理',
};

export const TRIGGER_STATUS_TAGS: Record<string, 'warning' | 'success' | 'info'> = {
  proposed: 'warning',
  accepted: 'success',
  dismissed: 'info',
};

/** 联合检查的状态: VISIT_STATUSES. */
export const VISIT_STATUS_LABELS: Record<string, string> = {
  open: '待检查',
  completed: '已完成',
  cancelled: '已撤销',
};

/** 检查任务的种类 (inspection_task.kind). */
export const TASK_KIND_LABELS: Record<string, string> = {
  routine: '日常抽查',
  event: '事件触发',
};

/** 检查任务的状态 (inspection_task.status). */
export const TASK_STATUS_LABELS: Record<string, string> = {
  assigned: '已派发',
  in_progress: '检查中',
  completed: '已完成',
  cancelled: '已取消',
  replaced: '已替补',
};

/** 检查方式 (inspection_item.check_method). */
export const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/** 检查结果 (inspection_task.outcome). */
export const TASK_OUTCOME_LABELS: Record<string, string> = {
  no_problem: '未发现问题',
  problems_found: '发现问题',
  refused: '拒绝检查',
  not_found: '查无下落',
};

/** 重复检查的规则 (inspections/rules/frequency-alerts.ts REPEAT_VISIT_LIMITS). */
export const REPEAT_RULE_LABELS: Record<string, string> = {
  day: '同一天',
  week: '7天内',
  month: '同一自然月',
};
