/**
 * Inspection codes (检查码, issue 12) as the pages read them: the shapes of the API
 * (src/check-codes/codes/dto/check-code.dto.ts), Chinese labels of states and verdict reasons, and
 * the API's refusals in words for a person.
 */

export interface CodeParticulars {
  format: number;
  codeNo: string;
  kind: 'routine' | 'event' | 'joint';
  kinds: ('routine' | 'event')[];
  enterprise: { name: string; uscc: string };
  window: { start: string; end: string };
  plans: {
    planNo: string;
    version: number;
    title: string;
    batchSeq: number;
    batchName: string;
    department: string;
  }[];
  triggers: {
    id: number;
    kind: string;
    kindLabel: string;
    reason: string;
    sourceRef: string | null;
    receivedOn: string;
  }[];
  items: {
    code: string;
    name: string;
    department: string;
    departmentName: string;
    legalBasis: string;
    checkMethod: string;
    checkMethodLabel: string;
    requirements: string[];
  }[];
  departments: { code: string; name: string; lead: boolean }[];
  lead: { code: string; name: string };
  inspectors: {
    name: string;
    credentialNo: string;
    department: string | null;
    departmentName: string | null;
  }[];
}

/** CheckCodeSummaryView (GET /api/check-codes). */
export interface CheckCodeSummary {
  id: number;
  codeNo: string;
  codeNoDisplay: string;
  status: CheckCodeState;
  statusLabel: string;
  kind: 'routine' | 'event' | 'joint';
  enterprise: { name: string; uscc: string };
  departments: string[];
  planNos: string[];
  inspectors: { name: string; credentialNo: string | null }[];
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  completedAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
}

export interface CheckCodeEvent {
  kind: 'check_in' | 'check_out';
  at: string;
  inspector: { name: string; credentialNo: string | null };
}

/** CheckCodeView (GET /api/check-codes/:id). */
export interface CheckCodeDetail extends CheckCodeSummary {
  codeText: string;
  verifyUrl: string;
  qrPng: string;
  qrSvg: string;
  kid: string;
  visitId: number;
  taskIds: number[];
  issuedBy: { name: string; credentialNo: string | null };
  revokedBy: { name: string } | null;
  particulars: CodeParticulars;
  events: CheckCodeEvent[];
  validNow: { valid: boolean; reason: string | null; detail: string | null };
  checkWord: string | null;
  checkWordSecondsLeft: number | null;
}

export interface CheckCodePage {
  items: CheckCodeSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** TaskCheckCodeView (GET /api/tasks/:id/check-code). */
export interface TaskCheckCode {
  live: CheckCodeDetail | null;
  latest: CheckCodeDetail | null;
}

export type CheckCodeState = 'issued' | 'in_use' | 'completed' | 'expired' | 'revoked';

/** The states of a code (check_code.status). */
export const CHECK_CODE_STATE_LABELS: Record<CheckCodeState, string> = {
  issued: '待检查',
  in_use: '检查中',
  completed: '已完成',
  expired: '已过期',
  revoked: '已吊销',
};

/** Tag types of the states (Vant and Element Plus share these names). */
export const CHECK_CODE_STATE_TAG: Record<CheckCodeState, 'primary' | 'success' | 'warning' | 'danger'> = {
  issued: 'primary',
  in_use: 'warning',
  completed: 'success',
  expired: 'danger',
  revoked: 'danger',
};

/** Kinds of a code's inspection. */
export const CHECK_CODE_KIND_LABELS: Record<'routine' | 'event' | 'joint', string> = {
  routine: '计划检查',
  event: '事件触发检查',
  joint: '联合检查（综合查一次）',
};

/** Events under a code. */
export const CHECK_CODE_EVENT_LABELS: Record<'check_in' | 'check_out', string> = {
  check_in: '签到',
  check_out: '签退',
};

/** judgeCode's reasons (src/check-codes/rules/verdict.ts NotValidReason) in words. */
export const VERDICT_REASON_LABELS: Record<string, string> = {
  empty: '没有检查码',
  too_long: '无法识别（内容过长）',
  wrong_prefix: '无法识别（不是检查码）',
  not_base32: '无法识别（含有非法字符）',
  not_cose_sign1: '无法识别（内容不完整或被改动）',
  bad_header: '无法识别（签名信息有误）',
  bad_claims: '无法识别（内容有误）',
  unsupported_version: '无法识别（版本不受支持）',
  unknown_key: '签名密钥不明（可能伪造）',
  key_revoked: '签名密钥已吊销',
  unsupported_algorithm: '签名算法不受支持',
  bad_signature: '签名不符（伪造或被篡改）',
  issued_outside_key_validity: '签发时间不在密钥有效期内',
  key_expired: '签名密钥已过期',
  not_yet_valid: '尚未生效',
  expired: '已过期',
  revoked: '已吊销',
  not_issued: '系统未签发此检查码',
};

/**
 * The end of a code's validity in Shanghai time: an end at midnight is the previous day's 24:00
 * (a window's last day is valid to its end), e.g. '2026年12月12日 24:00'.
 */
export function formatValidUntil(instant: string, formatDateTime: (iso: string) => string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const shanghai = new Date(ms + 8 * 3_600_000);
  if (shanghai.getUTCHours() === 0 && shanghai.getUTCMinutes() === 0 && shanghai.getUTCSeconds() === 0)
    return formatDateTime(new Date(ms - 60_000).toISOString()).replace(/ 23:59$/, ' 24:00');
  return formatDateTime(instant);
}

/** 'x 分钟后更换' for the seconds left in the check word's window. */
export function changesIn(seconds: number): string {
  if (seconds <= 0) return '正在更换';
  if (seconds < 60) return `${seconds} 秒后更换`;
  return `${Math.ceil(seconds / 60)} 分钟后更换`;
}

/**
 * An API refusal about codes (issuing, check-in, check-out, revocation, 无码不检查 results) in words;
 * the message itself when it is not one of them.
 */
export function codeReasonZh(message: string): string {
  const live = /live code (JC-[A-Z2-7]{4}-[A-Z2-7]{4})/.exec(message);
  if (live) return `本次检查已有有效的检查码 ${live[1]}，请直接使用`;
  const ended = /window ended on (\d{4}-\d{2}-\d{2})/.exec(message);
  if (ended) return `检查期限已于 ${ended[1]} 结束，不能申请检查码`;
  const far = /opens on (\d{4}-\d{2}-\d{2}), more than (\d+) days/.exec(message);
  if (far) return `检查期限 ${far[1]} 才开始，请在开始前 ${far[2]} 天内申请`;
  if (/is not published/.test(message)) return '抽查计划尚未公布，不能申请检查码';
  if (/needs an accepted trigger/.test(message)) return '事件触发检查须有已受理的触发事由，不能申请检查码';
  if (/applies for (its|the) code/.test(message)) return '只有本次检查的检查人员可以申请检查码';
  if (/is completed: its result is recorded/.test(message)) return '该任务已记录检查结果，无需检查码';
  if (/is (cancelled|replaced): it is not inspected/.test(message)) return '该任务已取消或已被替补，不再检查';
  if (/not placed in a visit/.test(message)) return '该任务尚未编入检查安排，暂不能申请检查码';
  if (/no enforcement credential number/.test(message)) return '有检查人员没有执法证号，不能申请检查码';
  if (/already checked in/.test(message)) return '您已签到';
  if (/already checked out/.test(message)) return '您已签退';
  if (/check in first/.test(message) && /not checked in under this code/.test(message))
    return '请先签到再签退';
  const invalid = /not valid now: (\w+)/.exec(message);
  if (invalid) return `检查码当前无效：${VERDICT_REASON_LABELS[invalid[1]!] ?? invalid[1]}`;
  if (/the code is completed/.test(message)) return '检查已完成，无需再签到';
  if (/named in this code/.test(message)) return '只有检查码上的检查人员可以签到、签退';
  if (/only a live code is revoked/.test(message)) return '检查码已不在有效状态，无需吊销';
  if (/revokes it/.test(message)) return '只有本次检查的检查人员或相关部门的监管人员可以吊销';
  if (/no inspection code covers this task/.test(message))
    return '尚未申请检查码：请先申请检查码并签到，再记录结果（无码不检查）';
  if (/nobody has checked in/.test(message)) return '尚无检查人员签到：请先在检查码页面签到（无码不检查）';
  if (/you have not checked in/.test(message)) return '您尚未签到：请先在检查码页面签到（无码不检查）';
  if (/is not usable/.test(message)) return '检查码已失效：请重新申请检查码并签到（无码不检查）';
  return message;
}
