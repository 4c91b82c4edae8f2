/**
 * What the enterprise sees when it verifies an inspection code (issue 12 "Verifying"; domain.md
 * 5.4): the public answer of GET /api/check-codes/:code/verification and of the page /v/<code>,
 * built from the one verdict (rules/verdict.ts judgeCode) and the stored code. Pure: no database,
 * no clock (the moment and the check word are passed in).
 *
 * What is shown (docs/security.md "Inspection codes: verification"):
 * - valid: the particulars frozen at issue (task kind, plan number or the triggers' reasons, the
 *   enterprise, items with legal basis and requirements, departments, inspectors with credential
 *   numbers), the validity window, the state and the current check word;
 * - not valid, the code genuine (signature and key good: expired, not yet valid, revoked): the
 *   verdict, the reason, what to do, and the code number with its window, nothing more;
 * - not valid otherwise (forged, altered, unreadable, unknown or revoked key, never issued): the
 *   verdict, the reason and what to do only: a forged code's claims are the forger's words and are
 *   never displayed.
 * Never: internal ids (tasks, users, visits, triggers, the code's row), phone numbers, another
 * enterprise, the revocation's free text.
 */
import { DEPARTMENTS } from '../../auth/roles.js';
import { CHECK_METHOD_LABELS } from '../../inspections/public/public-plan-pages.js';
import type { CodeParticulars } from '../codes/dto/check-code.dto.js';
import type { CheckCodeState } from '../rules/check-code-rules.js';
import type { NotValidReason, Verdict } from '../rules/verdict.js';

/** A department as the view shows it: its code and its full name in the district. */
export interface DepartmentView {
  code: string;
  /** e.g. 杨浦区市场监督管理局 */
  name: string;
}

/** One inspection item of the visit. */
export interface ItemView {
  code: string;
  name: string;
  department: DepartmentView;
  /** 检查依据 */
  legalBasis: string;
  /** on_site | documents | data */
  checkMethod: string;
  /** 检查方式 in Chinese */
  checkMethodText: string;
  /** 检查内容: what will be checked, one line each */
  requirements: string[];
}

/** An inspector of the visit: name, enforcement credential number (执法证号), department. */
export interface InspectorView {
  name: string;
  credentialNo: string;
  department: DepartmentView | null;
}

/** Why the visit happens: a published plan's batch, or accepted triggers (reasons only). */
export interface TaskView {
  /** routine: a planned check; event: event-triggered; joint: a joint visit of several departments or tasks */
  kind: 'routine' | 'event' | 'joint';
  /** 计划检查 / 事件触发检查 / 联合检查 */
  kindText: string;
  /** the published plans behind the visit's routine tasks (计划编号, version, batch) */
  plans: { planNo: string; version: number | null; batch: string | null }[];
  /** the accepted triggers behind its event tasks: kind and stated reason (no ids) */
  triggers: { kind: string; kindText: string; reason: string }[];
}

/**
 * The public answer about a code. Times are ISO 8601 instants; `checkWordChangesInSeconds` counts
 * from the answer. Fields of the particulars are null (lists empty) unless the verdict is valid.
 */
export interface VerificationView {
  verdict: 'valid' | 'not_valid';
  /** `valid`, or the verdict's reason (rules/verdict.ts NotValidReason) */
  reason: 'valid' | NotValidReason;
  /** the reason in Chinese (伪造或被篡改, 已过期, 已吊销, 尚未生效, 无法识别 ...) */
  reasonText: string;
  /** what the enterprise should do, in Chinese (whom to call, how to report) */
  whatToDo: string;
  /** the stored state (issued, in_use, completed, expired, revoked) of a genuine code, else null */
  state: CheckCodeState | null;
  /** 待检查 / 检查中 / 已完成 / 已过期 / 已吊销, or null */
  stateText: string | null;
  /** the code number (8 characters A-Z 2-7) of a genuine code, else null */
  codeNo: string | null;
  /** the code number as people read it (JC-K7Q9-M2XD), else null */
  codeNoText: string | null;
  validFrom: string | null;
  validUntil: string | null;
  task: TaskView | null;
  /** the inspected enterprise (the code's own, and only it) */
  enterprise: { name: string; uscc: string } | null;
  items: ItemView[];
  departments: DepartmentView[];
  /** the lead department of a joint visit (牵头部门) */
  lead: DepartmentView | null;
  inspectors: InspectorView[];
  /** when the first inspector checked in (state in_use or later), else null */
  checkedInAt: string | null;
  completedAt: string | null;
  /** 核验词: three characters the inspector reads out from their own page; null unless valid and issued or in use */
  checkWord: string | null;
  /** seconds until the check word changes, null without a check word */
  checkWordChangesInSeconds: number | null;
  /** after completion: where the enterprise rates the visit (phone page, sign-in first), else null */
  ratingPath: string | null;
  /** telephone numbers to call: 12315 and the bureau's (BUREAU_PHONE) */
  phones: { name: string; number: string }[];
}

/** The stored code as verification reads it (one row of check_code, by code number). */
export interface StoredCodeRow {
  codeNo: string;
  codeText: string;
  status: CheckCodeState;
  revokeReason: string | null;
  /** the frozen snapshot written at issue (codes/...: particulars) */
  particulars: unknown;
  notBefore: string;
  notAfter: string;
  checkedInAt: string | null;
  completedAt: string | null;
}

/** The check word of the code now (rules/check-word.ts), computed by the caller. */
export interface CheckWordNow {
  word: string;
  secondsLeft: number;
}

/** What the view needs of the configuration. */
export interface ViewSettings {
  /** DISTRICT_NAME, e.g. 杨浦区 */
  district: string;
  /** BUREAU_PHONE */
  bureauPhone: string;
  /** BUREAU_PHONE_NAME: whose number it is (上海市民服务热线 by default) */
  bureauPhoneName: string;
}

/** Chinese names of the code states. */
export const STATE_TEXT: Record<CheckCodeState, string> = {
  issued: '待检查',
  in_use: '检查中',
  completed: '已完成',
  expired: '已过期',
  revoked: '已吊销',
};

/** Kinds of triggers (inspection_trigger.kind: TRIGGER_KINDS), in Chinese. */
export const TRIGGER_KIND_TEXT: Record<string, string> = {
  complaint: '投诉',
  report: '举报',
  referral: '转办交办',
  data_alert: '数据预警',
  legal_requirement: '法定要求',
};

/** The reason of a verdict in Chinese. */
export const REASON_TEXT: Record<'valid' | NotValidReason, string> = {
  valid: '本局签发的真实检查码，在有效期内',
  empty: '无法识别：没有检查码内容',
  too_long: '无法识别：内容过长，不是检查码',
  wrong_prefix: '无法识别：不是本局检查码的格式',
  not_base32: '无法识别：含有检查码中不会出现的字符（可能被篡改或抄错）',
  not_cose_sign1: '无法识别：内容不完整或被篡改',
  bad_header: '无法识别：内容不完整或被篡改',
  bad_claims: '无法识别：内容不完整或被篡改',
  unsupported_version: '无法识别：检查码版本不受支持',
  unknown_key: '伪造：签名不是本局发布的密钥所签',
  key_revoked: '无效：签名密钥已被本局吊销',
  unsupported_algorithm: '伪造或被篡改：签名算法不受支持',
  bad_signature: '伪造或被篡改：签名与内容不符',
  issued_outside_key_validity: '伪造：签发时间不在签名密钥的使用期内',
  key_expired: '已过期：签名密钥已过验证期',
  not_yet_valid: '尚未生效：还未到检查码的有效期',
  expired: '已过期：检查码的有效期已过',
  revoked: '已吊销：本局已吊销该检查码',
  not_issued: '伪造：本局没有签发过该检查码',
};

/** Reasons for which the code itself is genuine (signed by a trusted key, issued by the service). */
const GENUINE: ReadonlySet<string> = new Set(['expired', 'key_expired', 'not_yet_valid', 'revoked']);

/**
 * Refusals written to the audit trail (refusal-audit.ts): forgery, alteration and misuse. Left
 * out: nothing given (`empty`), the unusable request (`too_long`, answered 422), and a genuine
 * code outside its window (`expired`, `key_expired`, `not_yet_valid`: an enterprise opening its
 * page again after the visit is no attack).
 */
export function auditedReason(reason: 'valid' | NotValidReason): boolean {
  return !['valid', 'empty', 'too_long', 'expired', 'key_expired', 'not_yet_valid'].includes(reason);
}

/** The code number as people read it: JC-K7Q9-M2XD. */
export function codeNoText(codeNo: string): string {
  return `JC-${codeNo.slice(0, 4)}-${codeNo.slice(4)}`;
}

/** A department code as the view shows it (the code itself when unknown). */
export function departmentView(code: string, district: string): DepartmentView {
  const name = (DEPARTMENTS as Record<string, string>)[code];
  return { code, name: name ? `${district}${name}` : code };
}

/** The numbers to call: the national market-supervision complaint line and the bureau's own. */
export function phonesOf(s: ViewSettings): VerificationView['phones'] {
  return [
    { name: '全国市场监管投诉举报热线', number: '12315' },
    { name: s.bureauPhoneName, number: s.bureauPhone },
  ];
}

/** What to do, in Chinese, for a verdict's reason (and the stored state of a genuine code). */
export function whatToDo(
  reason: 'valid' | NotValidReason,
  state: CheckCodeState | null,
  s: ViewSettings,
): string {
  const call = `请拨打 12315 或${s.bureauPhoneName} ${s.bureauPhone}`;
  const report = `${call}举报，说明时间、地点、来人姓名和所称证件号；可保存本页截图，拍下来人证件（如能做到，不要与其争执）。`;
  switch (reason) {
    case 'valid':
      return state === 'completed'
        ? '本次检查已完成，欢迎对本次检查进行评价（匿名）。如对检查有疑问，' + call + '。'
        : '请检查人员读出其执法终端上的核验词：与本页显示的一致，方为真实检查；不一致或对方拒绝读出，请勿接受检查，并' +
            call +
            '。请同时核对检查人员的姓名和执法证号。';
    case 'revoked':
    case 'key_revoked':
      return `该检查码已被本局吊销，不能凭此码实施检查。请勿接受凭此码进行的检查，不要提供资料、签字或付款，并${call}核实。`;
    case 'expired':
    case 'key_expired':
      return state === 'completed'
        ? '本次检查已完成，检查码已过有效期。如对检查有疑问，' + call + '。'
        : `该检查码已过有效期，不能凭此码实施检查。如有人仍凭此码要求检查，请要求其出示新的检查码，或${call}核实。`;
    case 'not_yet_valid':
      return `该检查码尚未到有效期，现在不能凭此码实施检查。请要求检查人员在有效期内再来，或${call}核实。`;
    default:
      return `请勿接受检查，不要提供资料、签字或付款。此码不是本局签发的有效检查码：${report}`;
  }
}

const KIND_TEXT: Record<TaskView['kind'], string> = {
  routine: '计划检查',
  event: '事件触发检查',
  joint: '联合检查',
};

/**
 * Phone numbers in a text typed by the bureau's staff (a complaint's reason often names the
 * complainant's), masked for the public page, which shows no phone number but the bureau's: mobile
 * numbers (with +86, spaces or hyphens) and landlines of 7 or 8 digits (with an area code); short
 * service numbers (12315, 12345), dates and reference numbers are kept.
 */
export function withoutPhoneNumbers(text: string): string {
  return text
    .replace(/(?<![\d+])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g, '***')
    .replace(/(?<!\d)(?:0\d{2,3}[\s-]?)?[2-8]\d{6,7}(?!\d)/g, '***');
}

/**
 * The particulars of a valid code as the public may see them: every field picked by name from
 * the snapshot stored at issue (codes.service.ts particularsOf, CodeParticulars), so an id (the
 * triggers'), a complaint's source reference or anything added to the snapshot later never
 * reaches the answer unless it is picked here.
 */
export function particularsView(
  particulars: unknown,
  district: string,
): Pick<VerificationView, 'task' | 'enterprise' | 'items' | 'departments' | 'lead' | 'inspectors'> {
  const p = (particulars ?? {}) as Partial<CodeParticulars>;
  const dep = (code: string) => departmentView(code, district);
  const kind: TaskView['kind'] = p.kind === 'event' || p.kind === 'joint' ? p.kind : 'routine';
  return {
    task: {
      kind,
      kindText: KIND_TEXT[kind],
      plans: (p.plans ?? []).map((x) => ({
        planNo: x.planNo,
        version: x.version ?? null,
        batch: x.batchName ?? null,
      })),
      triggers: (p.triggers ?? []).map((x) => ({
        kind: x.kind,
        kindText: TRIGGER_KIND_TEXT[x.kind] ?? x.kind,
        reason: withoutPhoneNumbers(x.reason),
      })),
    },
    enterprise: p.enterprise ? { name: p.enterprise.name, uscc: p.enterprise.uscc } : null,
    items: (p.items ?? []).map((i) => ({
      code: i.code,
      name: i.name,
      department: dep(i.department),
      legalBasis: i.legalBasis,
      checkMethod: i.checkMethod,
      checkMethodText: CHECK_METHOD_LABELS[i.checkMethod] ?? i.checkMethod,
      requirements: [...(i.requirements ?? [])],
    })),
    departments: (p.departments ?? []).map((d) => dep(d.code)),
    lead: p.lead ? dep(p.lead.code) : null,
    inspectors: (p.inspectors ?? []).map((x) => ({
      name: x.name,
      credentialNo: x.credentialNo,
      department: x.department ? dep(x.department) : null,
    })),
  };
}

const picked = new WeakMap<object, { district: string; view: ReturnType<typeof particularsView> }>();

/** particularsView, made once per stored snapshot object (a stored row is reused for a second). */
function particularsOnce(particulars: unknown, district: string): ReturnType<typeof particularsView> {
  if (!particulars || typeof particulars !== 'object') return particularsView(particulars, district);
  const hit = picked.get(particulars);
  if (hit?.district === district) return hit.view;
  const view = particularsView(particulars, district);
  picked.set(particulars, { district, view });
  return view;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The public view of a verdict.
 * @param verdict judgeCode's verdict, online (with the stored row when the code was genuine)
 * @param row the stored code when the verdict looked at it (a genuine signature), else null
 * @param checkWord the code's check word now (asked for only when the verdict is valid)
 */
export function verificationView(
  verdict: Verdict,
  row: StoredCodeRow | null,
  checkWord: (codeNo: string) => CheckWordNow,
  s: ViewSettings,
): VerificationView {
  const reason = verdict.valid ? 'valid' : verdict.reason;
  const genuine = verdict.valid || GENUINE.has(reason);
  const claims = genuine ? verdict.claims : null;
  // a genuine code's stored row is the service's own record of it
  const stored = genuine && row && claims && row.codeNo === claims.codeNo ? row : null;
  const state = stored?.status ?? (reason === 'revoked' ? 'revoked' : null);
  const base: VerificationView = {
    verdict: verdict.valid ? 'valid' : 'not_valid',
    reason,
    reasonText: REASON_TEXT[reason],
    whatToDo: whatToDo(reason, state, s),
    state,
    stateText: state ? STATE_TEXT[state] : null,
    codeNo: claims?.codeNo ?? null,
    codeNoText: claims ? codeNoText(claims.codeNo) : null,
    validFrom: claims ? iso(claims.notBefore) : null,
    validUntil: claims ? iso(claims.notAfter) : null,
    task: null,
    enterprise: null,
    items: [],
    departments: [],
    lead: null,
    inspectors: [],
    checkedInAt: null,
    completedAt: null,
    checkWord: null,
    checkWordChangesInSeconds: null,
    ratingPath: stored?.status === 'completed' ? `/m/codes/${stored.codeNo}/rate` : null,
    phones: phonesOf(s),
  };
  if (!verdict.valid || !stored) return base;
  // the word is for checking the person at the door: only while the inspection is to come or under way
  const word = stored.status === 'issued' || stored.status === 'in_use' ? checkWord(stored.codeNo) : null;
  return {
    ...base,
    ...particularsOnce(stored.particulars, s.district),
    checkedInAt: stored.checkedInAt,
    completedAt: stored.completedAt,
    checkWord: word?.word ?? null,
    checkWordChangesInSeconds: word?.secondsLeft ?? null,
  };
}
