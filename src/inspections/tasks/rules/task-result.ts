/**
 * The pure rules of inspection tasks and their results (issue 11 "Results"; domain.md 5.1): who
 * may record a task's result and when (resultRefusal: the one seam where issue 12's inspection
 * code, a check-in before a result, adds its condition), what a result must hold
 * (checkTaskResult), which of an inspector's tasks a view shows (myTasksRange) and overdue. The
 * combined checklist of a joint visit is the joint-visit rule's (rules/joint-visits.ts). No
 * framework imports.
 */
import { addDays } from '../../../common/calendar-days.js';
import { textProblem } from '../../../common/text-check.js';
import { isIsoDate } from '../../../common/clock.js';
import { INSPECTION_OUTCOMES, type InspectionOutcome } from '../../../credit/rules/record-kinds.js';

/** Task statuses (inspection_task.status). */
export const TASK_STATUSES = ['assigned', 'in_progress', 'completed', 'cancelled', 'replaced'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** A task still to be done: assigned, or started (in_progress). */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['assigned', 'in_progress'];
export const TASK_KINDS = ['routine', 'event'] as const;

/** The outcomes of a task's result: those of an inspection_result credit record (record-kinds.ts). */
export const TASK_OUTCOMES = INSPECTION_OUTCOMES;

/** Longest texts of a result, in characters (the DTO's IsLimitedText and checkTaskResult). */
export const RESULT_TEXT_LIMITS = { finding: 1000, note: 1000, itemCode: 40 } as const;
/** Most findings one result may list. */
export const MAX_FINDINGS = 100;

export interface FieldError {
  field: string;
  reason: string;
}

/** A task as far as recording its result is concerned. */
export interface TaskForResult {
  status: string;
  /** YYYY-MM-DD, the first day of the task's window */
  windowStart: string;
  /** app_user ids of the inspectors with role `assigned` on the task */
  assignedUserIds: readonly number[];
  /**
   * Issue 12 (无码不检查): why the user has no usable inspection code for the task (no code covers
   * it, nobody or not this user checked in, the code is not valid now), null when it has one
   * (check-codes/codes/rules/code-rules.ts resultCodeRefusal). Absent: not asked.
   */
  codeRefusal?: string | null;
}

/**
 * Why a result cannot be recorded: `forbidden` answers 403 (audited access.denied), `conflict`
 * 409, `no_code` 409 (audited task.result_refused: 无码不检查).
 */
export interface ResultRefusal {
  code: 'forbidden' | 'conflict' | 'no_code';
  reason: string;
}

/** Furthest a correction deadline (整改期限) may lie ahead of the day the result is recorded, calendar days. */
export const CORRECTION_DEADLINE_MAX_DAYS = 365;

/**
 * Whether the user may record the task's result today; the ONE place that decides it (the
 * service asks it under the task's row lock, inside the result's transaction). Issue 12
 * (inspection codes, 检查码: a check-in with the code before the result, domain.md 5.4) adds its
 * condition here and nowhere else.
 * Rules, in this order:
 * - only an inspector assigned to the task (inspection_task_inspector role `assigned`) records
 *   its result (issue 11 "a result from an inspector not assigned": 403, audited);
 * - a task with a result (completed) has it once; a cancelled or replaced task has none (409);
 * - not before its window opens (the published plan's batch window, or an event task's window
 *   from its acceptance): the check has not begun (409);
 * - 无码不检查 (issue 12, domain.md 5.4): only under an inspection code covering the task that is in
 *   use and valid now, under which this inspector checked in (`codeRefusal`; 409, audited).
 * A task whose window has ended (overdue) has no valid code any more (a code ends with the visit
 * window): its result needs a code issued and checked in before the window ended.
 * @param userId the signed-in user's app_user id (null: the system, never an inspector)
 * @param today YYYY-MM-DD in Asia/Shanghai
 * @returns null when the result may be recorded, else the refusal
 */
export function resultRefusal(
  task: TaskForResult,
  userId: number | null,
  today: string,
): ResultRefusal | null {
  if (userId === null || !task.assignedUserIds.includes(userId))
    return {
      code: 'forbidden',
      reason: 'only an inspector assigned to this task records its result',
    };
  if (task.status === 'completed')
    return { code: 'conflict', reason: 'this task already has its result: a result is recorded once' };
  if (task.status === 'cancelled' || task.status === 'replaced')
    return { code: 'conflict', reason: `this task is ${task.status}: it takes no result` };
  if (!OPEN_TASK_STATUSES.includes(task.status as TaskStatus))
    return { code: 'conflict', reason: `this task is ${task.status}` };
  if (today < task.windowStart)
    return {
      code: 'conflict',
      reason: `the task's window opens on ${task.windowStart}: no result before the check may begin`,
    };
  if (task.codeRefusal) return { code: 'no_code', reason: task.codeRefusal };
  return null;
}

/** A result as a client sends it (POST /api/tasks/:id/result). */
export interface TaskResultInput {
  outcome?: string | null;
  findings?: ({ itemCode?: string | null; finding?: string | null } | null)[] | null;
  correctionDeadline?: string | null;
  note?: string | null;
}

/** A checked result, as stored on the task (findings in the order given, texts trimmed). */
export interface TaskResult {
  outcome: InspectionOutcome;
  findings: { itemCode: string; finding: string }[];
  correctionDeadline: string | null;
  note: string | null;
}

export type TaskResultCheck = { ok: true; result: TaskResult } | { ok: false; errors: FieldError[] };

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Checks a task's result against the task's items (issue 11 "Results"):
 * - `outcome`: required, one of no_problem, problems_found, refused, not_found (未发现问题 /
 *   发现问题 / 拒绝检查 / 查无下落);
 * - `findings`: for problems_found at least one and at most MAX_FINDINGS, each `{ itemCode,
 *   finding }` with the code of one of the task's items (`findings[i].itemCode`) and the finding
 *   in words (`findings[i].finding`, at most 1000 characters); several findings may name the same
 *   item; for any other outcome none (an inspection without problems has no findings);
 * - `correctionDeadline` (整改期限, YYYY-MM-DD): only with problems_found, optional there (a
 *   problem corrected on the spot needs none), and after today;
 * - `note`: optional, at most 1000 characters.
 * Every text passes the one text check (common/text-check.ts textProblem).
 * @param itemCodes the codes of the task's items
 * @param today YYYY-MM-DD in Asia/Shanghai
 * @returns the result, or every field error found
 */
export function checkTaskResult(
  input: TaskResultInput,
  itemCodes: readonly string[],
  today: string,
): TaskResultCheck {
  const errors: FieldError[] = [];
  const err = (field: string, reason: string) => errors.push({ field, reason });
  const outcome = typeof input.outcome === 'string' ? input.outcome.trim() : '';
  if (!outcome) err('outcome', `required: ${TASK_OUTCOMES.join(', ')}`);
  else if (!(TASK_OUTCOMES as readonly string[]).includes(outcome))
    err('outcome', `'${outcome}' is not one of ${TASK_OUTCOMES.join(', ')}`);
  const problems = outcome === 'problems_found';

  const findings: TaskResult['findings'] = [];
  const given = input.findings ?? [];
  if (!Array.isArray(given)) err('findings', 'a list of { itemCode, finding }');
  else if (problems && given.length === 0)
    err('findings', 'at least one finding (item and what was found) for problems_found');
  else if (!problems && outcome && given.length > 0)
    err('findings', `findings only with problems_found, not with ${outcome}`);
  else if (given.length > MAX_FINDINGS) err('findings', `at most ${MAX_FINDINGS} findings`);
  else
    given.forEach((f, i) => {
      const code = typeof f?.itemCode === 'string' ? f.itemCode.trim() : '';
      const text = typeof f?.finding === 'string' ? f.finding.trim() : '';
      if (!code) err(`findings[${i}].itemCode`, 'required: the code of one of the task items');
      else if (!itemCodes.includes(code))
        err(`findings[${i}].itemCode`, `'${code}' is not an item of this task (${itemCodes.join(', ')})`);
      if (!text) err(`findings[${i}].finding`, 'required: what was found');
      else {
        const p = textProblem(text, RESULT_TEXT_LIMITS.finding);
        if (p) err(`findings[${i}].finding`, p);
      }
      findings.push({ itemCode: code, finding: text });
    });

  let correctionDeadline: string | null = null;
  if (!blank(input.correctionDeadline)) {
    const d = String(input.correctionDeadline).trim();
    if (outcome && !problems)
      err('correctionDeadline', `a correction deadline only with problems_found, not with ${outcome}`);
    else if (!isIsoDate(d)) err('correctionDeadline', `'${d}' is not a date YYYY-MM-DD`);
    else if (d <= today) err('correctionDeadline', `${d} is not after today (${today})`);
    else if (d > addDays(today, CORRECTION_DEADLINE_MAX_DAYS))
      err(
        'correctionDeadline',
        `${d} is more than ${CORRECTION_DEADLINE_MAX_DAYS} days ahead (latest ${addDays(today, CORRECTION_DEADLINE_MAX_DAYS)}): a correction order gives a period, not an open end`,
      );
    else correctionDeadline = d;
  }

  let note: string | null = null;
  if (!blank(input.note)) {
    note = String(input.note).trim();
    const p = textProblem(note, RESULT_TEXT_LIMITS.note);
    if (p) err('note', p);
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, result: { outcome: outcome as InspectionOutcome, findings, correctionDeadline, note } };
}

/** Views of an inspector's own tasks (GET /api/my/tasks?when=). */
export const MY_TASK_VIEWS = ['today', 'week', 'overdue', 'open', 'done'] as const;
export type MyTaskView = (typeof MY_TASK_VIEWS)[number];

/** The tasks a view shows: by status, and windows overlapping [from, to] or ending before `endsBefore`. */
export interface MyTaskRange {
  statuses: readonly TaskStatus[];
  /** the window overlaps [from, to] (both YYYY-MM-DD, inclusive) */
  overlaps?: { from: string; to: string };
  /** the window ended before this day */
  endsBefore?: string;
}

/** The Sunday ending the calendar week (Monday to Sunday, the Chinese week) of `date`. */
export function endOfWeek(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay(); // 0 Sunday .. 6 Saturday
  return addDays(date, weekday === 0 ? 0 : 7 - weekday);
}

/**
 * Which tasks each view of 我的任务 shows, on `today` (Asia/Shanghai):
 * - `today` 今日: open tasks whose window includes today;
 * - `week` 本周: open tasks whose window overlaps the rest of this calendar week (today to
 *   Sunday), so an overdue task is under `overdue`, not here;
 * - `overdue` 逾期: open tasks whose window ended before today;
 * - `open` 未完成: every open task;
 * - `done` 已完成: tasks with a result.
 */
export function myTasksRange(when: MyTaskView, today: string): MyTaskRange {
  switch (when) {
    case 'today':
      return { statuses: OPEN_TASK_STATUSES, overlaps: { from: today, to: today } };
    case 'week':
      return { statuses: OPEN_TASK_STATUSES, overlaps: { from: today, to: endOfWeek(today) } };
    case 'overdue':
      return { statuses: OPEN_TASK_STATUSES, endsBefore: today };
    case 'open':
      return { statuses: OPEN_TASK_STATUSES };
    case 'done':
      return { statuses: ['completed'] };
  }
}

/** An open task whose window ended before today (逾期). */
export function isOverdue(status: string, windowEnd: string, today: string): boolean {
  return OPEN_TASK_STATUSES.includes(status as TaskStatus) && windowEnd < today;
}
