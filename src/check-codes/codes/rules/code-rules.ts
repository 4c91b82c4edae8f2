/**
 * The pure rules of issuing and carrying out an inspection under a code (检查码, domain.md 5.4;
 * issue 12 "Issuing", "Carrying out the inspection"): the validity window of a new code, which
 * tasks of a visit it may cover, the code number, check-in and check-out, and 无码不检查 (no
 * result without a check-in under a valid code). No framework imports, no clock: the moment is
 * passed in (ms since 1970), days are YYYY-MM-DD in Asia/Shanghai.
 */
import { addDays } from '../../../common/calendar-days.js';
import type { CheckCodeState } from '../../rules/check-code-rules.js';

/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET = '+08:00';
const DAY_MS = 86_400_000;

/** The instant (ms) a Shanghai day begins (00:00 Asia/Shanghai). */
export function shanghaiDayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00${SHANGHAI_OFFSET}`);
}

/** A refusal: `forbidden` answers 403 (audited), `conflict` 409, `not_found` 404. */
export interface Refusal {
  code: 'forbidden' | 'conflict' | 'not_found';
  reason: string;
}

/** The validity of a new code: whole seconds since 1970 (as the claims carry them). */
export interface CodeWindow {
  issuedAt: number;
  notBefore: number;
  notAfter: number;
}

/**
 * The validity window of a code issued at `nowMs` for a visit whose window is [windowStart,
 * windowEnd] (days, inclusive) (issue 12 "Validity: the task window, at most N days"):
 *   notBefore = max(now, windowStart 00:00 Shanghai)
 *   notAfter  = min(windowEnd + 1 day 00:00 Shanghai (the end of its last day), now + maxDays days)
 * in whole seconds (issuedAt rounded down, notBefore up, notAfter down, so the signed window never
 * exceeds the rule's). Refused (409): the window is over (its last day has ended), or it opens more
 * than maxDays from now (the code would end before it begins: apply nearer the window).
 */
export function codeWindow(
  nowMs: number,
  windowStart: string,
  windowEnd: string,
  maxDays: number,
): { ok: true; window: CodeWindow } | { ok: false; refusal: Refusal } {
  const endMs = shanghaiDayStartMs(addDays(windowEnd, 1));
  if (nowMs >= endMs)
    return {
      ok: false,
      refusal: {
        code: 'conflict',
        reason: `the visit's window ended on ${windowEnd}: no code for a window that is over (a new task is needed)`,
      },
    };
  const issuedAt = Math.floor(nowMs / 1000);
  const notBefore = Math.max(issuedAt, Math.ceil(shanghaiDayStartMs(windowStart) / 1000));
  const notAfter = Math.floor(Math.min(endMs, nowMs + maxDays * DAY_MS) / 1000);
  if (notBefore >= notAfter)
    return {
      ok: false,
      refusal: {
        code: 'conflict',
        reason: `the visit's window opens on ${windowStart}, more than ${maxDays} days (the longest validity of a code) from now: apply nearer the day`,
      },
    };
  return { ok: true, window: { issuedAt, notBefore, notAfter } };
}

/** A task of the visit as issuing sees it. */
export interface TaskForCode {
  id: number;
  kind: string;
  status: string;
  department: string;
  /** routine: the plan's status (draft, published, superseded); null for an event task */
  planStatus: string | null;
  planNo: string | null;
  /** event: how many accepted triggers made it */
  acceptedTriggers: number;
  /** user ids of its inspectors with role `assigned` */
  assignedUserIds: readonly number[];
}

const OPEN = ['assigned', 'in_progress'];

/**
 * Which tasks of a visit a new code covers, or why none may be issued (issue 12 "Issuing"):
 * - only an inspector assigned (role `assigned`, not skipped or withdrawn) to a task of the
 *   visit applies (403, audited);
 * - the task asked about must be open: not completed, cancelled or replaced (409);
 * - the code covers every open task of the visit (a joint visit gets one code), each of which must
 *   be a routine task of a published plan (a superseded version was published too: its drawn tasks
 *   stand) or an event task made from accepted triggers (409 naming the task);
 * - completed, cancelled and replaced tasks of the visit are not covered.
 */
export function coveredTasks(
  asked: number,
  tasks: readonly TaskForCode[],
  userId: number,
): { ok: true; tasks: TaskForCode[] } | { ok: false; refusal: Refusal } {
  const task = tasks.find((t) => t.id === asked);
  if (!task)
    return { ok: false, refusal: { code: 'not_found', reason: `inspection task ${asked} does not exist` } };
  if (!tasks.some((t) => t.assignedUserIds.includes(userId)))
    return {
      ok: false,
      refusal: {
        code: 'forbidden',
        reason: `only an inspector assigned to a task of this visit applies for its code (task ${asked})`,
      },
    };
  if (!OPEN.includes(task.status))
    return {
      ok: false,
      refusal: {
        code: 'conflict',
        reason:
          task.status === 'completed'
            ? `task ${asked} is completed: its result is recorded, no code is needed`
            : `task ${asked} is ${task.status}: it is not inspected`,
      },
    };
  const open = tasks.filter((t) => OPEN.includes(t.status));
  for (const t of open) {
    if (t.kind === 'routine' && t.planStatus !== 'published' && t.planStatus !== 'superseded')
      return {
        ok: false,
        refusal: {
          code: 'conflict',
          reason: `task ${t.id}: plan ${t.planNo ?? '?'} is not published; a planned check needs a published plan`,
        },
      };
    if (t.kind === 'event' && t.acceptedTriggers === 0)
      return {
        ok: false,
        refusal: {
          code: 'conflict',
          reason: `task ${t.id}: an event-triggered check needs an accepted trigger stating its reason`,
        },
      };
    if (t.assignedUserIds.length === 0)
      return {
        ok: false,
        refusal: { code: 'conflict', reason: `task ${t.id} has no assigned inspector` },
      };
  }
  return { ok: true, tasks: [...open].sort((a, b) => a.id - b.id) };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A code number from 5 random bytes: 8 characters of base32 (A-Z 2-7), 40 bits. */
export function codeNoOf(bytes: Uint8Array): string {
  if (bytes.length < 5) throw new RangeError('a code number takes 5 random bytes');
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(bytes[i]!);
  let out = '';
  for (let i = 7; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/** The code number as people read it: JC-K7Q3-M2XD. */
export function formatCodeNo(codeNo: string): string {
  return `JC-${codeNo.slice(0, 4)}-${codeNo.slice(4)}`;
}

/** A code number as typed (JC-K7Q3-M2XD, k7q3m2xd...) to its stored form, or null. */
export function parseCodeNo(input: string): string | null {
  const s = input.trim().toUpperCase().replace(/^JC-?/, '').replace(/[-\s]/g, '');
  return /^[A-Z2-7]{8}$/.test(s) ? s : null;
}

/** Chinese labels of the code states (pages). */
export const STATE_LABELS: Record<CheckCodeState, string> = {
  issued: '待检查',
  in_use: '检查中',
  completed: '已完成',
  expired: '已过期',
  revoked: '已吊销',
};

/** A code as check-in, check-out and results see it. */
export interface CodeForVisit {
  status: CheckCodeState;
  /** judgeCode's verdict now (online: with the stored row) */
  valid: boolean;
  /** the verdict's reason when not valid */
  invalidReason: string | null;
  /** the user is an assigned inspector named in the code (credential number in its claims) */
  userIsInspector: boolean;
  /** the user's own events under the code */
  checkedIn: boolean;
  checkedOut: boolean;
}

/**
 * Whether the user may check in under the code now (issue 12 "Check-in and check-out against the
 * code by the assigned inspectors"): an assigned inspector named in the code (403, audited), the
 * code valid online (judgeCode: genuine, in its window, not revoked or expired; 409 with the
 * reason), not completed (409), not checked in already (409: once per inspector and code).
 */
export function checkInRefusal(c: CodeForVisit): Refusal | null {
  if (!c.userIsInspector)
    return { code: 'forbidden', reason: 'only an assigned inspector named in this code checks in under it' };
  if (!c.valid)
    return { code: 'conflict', reason: `the code is not valid now: ${c.invalidReason ?? 'unknown'}` };
  if (c.status === 'completed')
    return { code: 'conflict', reason: 'the code is completed: every task it covers has its result' };
  if (c.checkedIn) return { code: 'conflict', reason: 'already checked in under this code' };
  return null;
}

/**
 * Whether the user may check out under the code now: an assigned inspector named in the code
 * (403, audited), the code valid online (a completed code still is: inspectors leave after the
 * last result), checked in before (409) and not checked out already (409).
 */
export function checkOutRefusal(c: CodeForVisit): Refusal | null {
  if (!c.userIsInspector)
    return { code: 'forbidden', reason: 'only an assigned inspector named in this code checks out under it' };
  if (!c.valid)
    return { code: 'conflict', reason: `the code is not valid now: ${c.invalidReason ?? 'unknown'}` };
  if (!c.checkedIn) return { code: 'conflict', reason: 'not checked in under this code: check in first' };
  if (c.checkedOut) return { code: 'conflict', reason: 'already checked out under this code' };
  return null;
}

/**
 * 无码不检查 (issue 12 "A task's result can be recorded only after check-in with a valid code"):
 * why the user may not record a task's result under the codes covering it, or null. The task
 * must be covered by a code that is in use (checked in), valid now, and under which this
 * inspector checked in. `codes` are the codes covering the task (any state); the first that
 * passes wins. Refusals are 409 (audited `task.result_refused` by the caller).
 */
export function resultCodeRefusal(codes: readonly CodeForVisit[]): string | null {
  if (codes.length === 0)
    return 'no inspection code covers this task: apply for the code (申请检查码) and check in before recording its result (无码不检查)';
  if (codes.some((c) => c.status === 'in_use' && c.valid && c.checkedIn)) return null;
  const usable = codes.find((c) => c.status === 'in_use' && c.valid);
  if (usable)
    return 'you have not checked in under the inspection code of this task: check in first (无码不检查)';
  const issued = codes.find((c) => c.status === 'issued' && c.valid);
  if (issued)
    return 'nobody has checked in under the inspection code of this task: check in first (无码不检查)';
  const reasons = [...new Set(codes.map((c) => (c.valid ? c.status : (c.invalidReason ?? c.status))))];
  return `the inspection code of this task is not usable (${reasons.join(', ')}): apply for a new code and check in (无码不检查)`;
}

/**
 * Whether a code is completed by a task's result: none of the tasks it covers is still open
 * (cancelled and replaced ones take no result) and at least one is completed.
 */
export function codeCompletedBy(taskStatuses: readonly string[]): boolean {
  return taskStatuses.some((s) => s === 'completed') && !taskStatuses.some((s) => OPEN.includes(s));
}
