/** Shapes of the tasks API the pages read (src/inspections/tasks/dto/task.dto.ts). */

export interface TaskInspectorRef {
  userId: number;
  displayName: string;
  credentialNo: string | null;
}

/** TaskSummaryView (GET /api/tasks, GET /api/my/tasks). */
export interface TaskSummary {
  id: number;
  kind: string;
  status: string;
  department: string;
  tier: string | null;
  windowStart: string;
  windowEnd: string;
  overdue: boolean;
  enterprise: { uscc: string; name: string; street: string | null };
  plan: { id: number; planNo: string; version: number; title: string } | null;
  batch: { id: number; seq: number; name: string } | null;
  drawId: number | null;
  visitId: number | null;
  /** the visit holds other live tasks: 综合查一次 (a visit of one task is no joint visit) */
  jointVisit: boolean;
  items: { code: string; name: string }[];
  inspectors: TaskInspectorRef[];
  outcome: string | null;
  recordedAt: string | null;
}

export interface TaskPage {
  items: TaskSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TaskItem {
  id: number;
  code: string;
  name: string;
  department: string;
  legalBasis: string;
  checkMethod: string;
  requirements: string[];
}

export interface Finding {
  itemCode: string;
  finding: string;
}

/** TaskView (GET /api/tasks/:id). */
export interface TaskDetail {
  id: number;
  kind: string;
  status: string;
  department: string;
  tier: string | null;
  windowStart: string;
  windowEnd: string;
  overdue: boolean;
  enterprise: {
    uscc: string;
    name: string;
    street: string | null;
    address: string | null;
    industryCode: string | null;
    status: string;
    statusLabel: string;
    entityType: string;
  };
  plan: TaskSummary['plan'];
  batch: TaskSummary['batch'];
  drawId: number | null;
  items: TaskItem[];
  inspectors: (TaskInspectorRef & { department: string | null; position: number; role: string })[];
  triggers: { id: number; kind: string; reason: string; sourceRef: string | null; receivedOn: string }[];
  visit: {
    id: number;
    leadDepartment: string;
    status: string;
    windowStart: string;
    windowEnd: string;
    joint: boolean;
    tasks: { id: number; department: string; kind: string; status: string; inspectors: TaskInspectorRef[] }[];
    checklist: (TaskItem & { taskIds: number[] })[];
  } | null;
  result: {
    outcome: string;
    findings: Finding[];
    correctionDeadline: string | null;
    note: string | null;
    recordedAt: string;
    recordedBy: TaskInspectorRef | null;
    creditRecordId: number | null;
  } | null;
  cancelReason: string | null;
  createdAt: string;
  canRecord: boolean;
}

/** RecordedResultView (POST /api/tasks/:id/result). */
export interface RecordedResult {
  task: TaskDetail;
  creditRecordId: number;
  score: { previousScore: number | null; previousTier: string | null; score: number; tier: string };
}

/** Body of POST /api/tasks/:id/result. */
export interface ResultBody {
  outcome: string;
  findings?: Finding[];
  correctionDeadline?: string;
  note?: string;
}

/**
 * The body to send from a result form: findings only for problems_found (blank rows dropped),
 * the deadline only there, an empty note left out.
 */
export function resultBody(form: {
  outcome: string;
  findings: Finding[];
  correctionDeadline: string | null;
  note: string;
}): ResultBody {
  const body: ResultBody = { outcome: form.outcome };
  if (form.outcome === 'problems_found') {
    body.findings = form.findings
      .filter((f) => f.itemCode || f.finding.trim())
      .map((f) => ({ itemCode: f.itemCode, finding: f.finding.trim() }));
    if (form.correctionDeadline) body.correctionDeadline = form.correctionDeadline;
  }
  if (form.note.trim()) body.note = form.note.trim();
  return body;
}

/** The Chinese of the result refusals a person meets (422 reasons and 409 messages of the API). */
export function resultReasonZh(reason: string): string {
  if (/at least one finding/.test(reason)) return '请至少填写一条发现的问题';
  if (/is not an item of this task/.test(reason)) return '请选择本任务的检查事项';
  if (/^required: what was found/.test(reason)) return '请填写发现的问题';
  if (/^required: the code/.test(reason)) return '请选择检查事项';
  if (/not after today/.test(reason)) return '整改期限须晚于今天';
  if (/days ahead/.test(reason)) return '整改期限最长为一年';
  if (/only with problems_found/.test(reason)) return '仅“发现问题”时填写';
  if (/is not a date/.test(reason)) return '请选择日期';
  if (/longer than|at most \d+ characters|characters long/.test(reason)) return '内容过长';
  if (/already has its result/.test(reason)) return '该任务已记录检查结果，不能重复记录';
  if (/window opens on (\d{4}-\d{2}-\d{2})/.test(reason))
    return `检查期限尚未开始（${/(\d{4}-\d{2}-\d{2})/.exec(reason)![1]} 起），暂不能记录结果`;
  if (/is (cancelled|replaced)/.test(reason)) return '该任务已取消或已被替补，不能记录结果';
  if (/only an inspector assigned/.test(reason)) return '只有本任务的检查人员可以记录检查结果';
  if (/full rescoring is running/.test(reason)) return '系统正在全量重新评分，未保存，请一分钟后重试';
  // issue 12, 无码不检查
  if (/no inspection code covers this task/.test(reason))
    return '尚未申请检查码：请先申请检查码并签到，再记录结果（无码不检查）';
  if (/nobody has checked in/.test(reason)) return '尚无检查人员签到：请先在检查码页面签到（无码不检查）';
  if (/you have not checked in/.test(reason)) return '您尚未签到：请先在检查码页面签到（无码不检查）';
  if (/inspection code of this task is not usable/.test(reason))
    return '检查码已失效：请重新申请检查码并签到（无码不检查）';
  return reason;
}
