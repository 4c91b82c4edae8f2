import { Sha256Stream, shuffledPrefix } from './sha256-stream.js';

/**
 * Drawing inspectors for tasks (双随机: the second roster, domain.md 5.1). Pure and seeded, so a
 * draw's assignment can be recomputed by anyone holding its inputs.
 *
 * Rules (issue 11; domain.md 5.1):
 * - at least `perTask` (2) inspectors per task, from the task's department, each qualified for
 *   every item of the task and on the roster;
 * - recusal (回避): an inspector with an approved conflict with the task's enterprise is skipped
 *   and the next one taken; the skip is part of the result;
 * - workload even within a batch: the least-loaded eligible inspectors are taken.
 *
 * Algorithm `inspectors-round-robin-sha256/v1`:
 * 1. per department, its inspectors sorted by user id are shuffled whole (Fisher-Yates with
 *    Sha256Stream(seed, `inspectors|<department>`));
 * 2. tasks are taken in code-point order of their key; each department keeps a cursor into its
 *    shuffled list, starting at 0;
 * 3. for a task, the department's list is walked once round from the cursor; inspectors not
 *    qualified for every item are passed over; the rest are ranked by load (starting load plus
 *    tasks given so far), ties going to the earlier in the walk, and taken in that rank until
 *    `perTask` are taken; a recused inspector reached in that rank before then is recorded as
 *    skipped and not taken; the taken ones are listed in walk order; the cursor moves past the
 *    last of them in the walk.
 */
export const ASSIGNMENT_ALGORITHM = 'inspectors-round-robin-sha256/v1';

export interface AssignableInspector {
  userId: number;
  department: string;
  /** the items the inspector is qualified for (inspector_qualification) */
  itemIds: readonly number[];
}

export interface TaskToStaff {
  /** stable key that orders the tasks (e.g. `<enterpriseUscc>|<department>`) */
  key: string;
  enterpriseId: number;
  department: string;
  itemIds: readonly number[];
}

/** An approved conflict declaration (recusal with status approved). */
export interface RecusalPair {
  id: number;
  inspectorId: number;
  enterpriseId: number;
}

export interface StaffedTask {
  key: string;
  /** the inspectors taken, in order (position 1 first) */
  inspectors: number[];
  /** the inspectors passed over for recusal, with the declaration */
  skipped: { userId: number; recusalId: number }[];
}

export interface Shortfall {
  department: string;
  /** tasks of the department that could not get `needed` inspectors */
  tasks: number;
  needed: number;
  /** the most eligible inspectors any of those tasks had */
  available: number;
  /** the first such task's key and items */
  exampleKey: string;
  exampleItemIds: readonly number[];
}

/** Not enough qualified inspectors: one entry per department short, nothing assigned. */
export class InspectorShortfallError extends Error {
  constructor(readonly shortfalls: Shortfall[]) {
    super(
      shortfalls
        .map(
          (s) =>
            `department ${s.department}: ${s.tasks} task(s) need ${s.needed} qualified inspectors, at most ${s.available} available (e.g. task ${s.exampleKey}, items ${s.exampleItemIds.join(', ')})`,
        )
        .join('; '),
    );
    this.name = 'InspectorShortfallError';
  }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Assigns inspectors to every task (see the module comment for the rules and algorithm).
 * @param load tasks each inspector already carries (default none): the batch's earlier work, or
 *   an event task's open workload
 * @returns one entry per task, in key order
 * @throws InspectorShortfallError listing every department short of inspectors (nothing assigned)
 * @throws RangeError when two tasks share a key or perTask is below 1
 */
export function assignInspectors(
  tasks: readonly TaskToStaff[],
  inspectors: readonly AssignableInspector[],
  recusals: readonly RecusalPair[],
  seed: string,
  perTask = 2,
  load: ReadonlyMap<number, number> = new Map(),
): StaffedTask[] {
  if (!Number.isInteger(perTask) || perTask < 1) throw new RangeError('perTask must be at least 1');
  const byDepartment = new Map<string, AssignableInspector[]>();
  for (const i of [...inspectors].sort((a, b) => a.userId - b.userId)) {
    const list = byDepartment.get(i.department) ?? [];
    list.push(i);
    byDepartment.set(i.department, list);
  }
  const order = new Map<string, AssignableInspector[]>();
  for (const [department, list] of byDepartment)
    order.set(
      department,
      shuffledPrefix(list, list.length, new Sha256Stream(seed, `inspectors|${department}`)),
    );
  const qualified = new Map(inspectors.map((i) => [i.userId, new Set(i.itemIds)]));
  const conflicts = new Map<string, number>();
  for (const r of recusals) conflicts.set(`${r.inspectorId}|${r.enterpriseId}`, r.id);
  const current = new Map(load);
  const cursor = new Map<string, number>();
  const sorted = [...tasks].sort((a, b) => byCodePoint(a.key, b.key));
  const out: StaffedTask[] = [];
  const short = new Map<string, Shortfall>();
  for (let t = 0; t < sorted.length; t++) {
    const task = sorted[t]!;
    if (t > 0 && sorted[t - 1]!.key === task.key) throw new RangeError(`two tasks share the key ${task.key}`);
    const list = order.get(task.department) ?? [];
    const start = cursor.get(task.department) ?? 0;
    // every qualified inspector in walk order, the recused ones marked
    const qualifiedHere: { userId: number; walk: number; recusalId?: number }[] = [];
    for (let w = 0; w < list.length; w++) {
      const inspector = list[(start + w) % list.length]!;
      const items = qualified.get(inspector.userId)!;
      if (!task.itemIds.every((id) => items.has(id))) continue;
      qualifiedHere.push({
        userId: inspector.userId,
        walk: w,
        recusalId: conflicts.get(`${inspector.userId}|${task.enterpriseId}`),
      });
    }
    const eligibleCount = qualifiedHere.filter((q) => q.recusalId === undefined).length;
    if (eligibleCount < perTask) {
      const s = short.get(task.department);
      if (s) {
        s.tasks++;
        s.available = Math.max(s.available, eligibleCount);
      } else
        short.set(task.department, {
          department: task.department,
          tasks: 1,
          needed: perTask,
          available: eligibleCount,
          exampleKey: task.key,
          exampleItemIds: task.itemIds,
        });
      continue;
    }
    // least loaded first, then walk order; a recused inspector met before the task is staffed is
    // recorded as skipped (it would have been taken), and the next one is taken instead
    const ranked = [...qualifiedHere].sort(
      (a, b) => (current.get(a.userId) ?? 0) - (current.get(b.userId) ?? 0) || a.walk - b.walk,
    );
    const taken: { userId: number; walk: number }[] = [];
    const skipped: StaffedTask['skipped'] = [];
    for (const q of ranked) {
      if (taken.length === perTask) break;
      if (q.recusalId !== undefined) skipped.push({ userId: q.userId, recusalId: q.recusalId });
      else taken.push(q);
    }
    taken.sort((a, b) => a.walk - b.walk);
    for (const e of taken) current.set(e.userId, (current.get(e.userId) ?? 0) + 1);
    cursor.set(task.department, (start + taken[taken.length - 1]!.walk + 1) % list.length);
    out.push({ key: task.key, inspectors: taken.map((e) => e.userId), skipped });
  }
  if (short.size) throw new InspectorShortfallError([...short.values()]);
  return out;
}
