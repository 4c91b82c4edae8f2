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
 *
 * Cost: per task one pass over the department's inspectors qualified for the task's item set
 * (lists cached per department and item set) and no sorting, so a batch of 200,000 tasks over 500
 * inspectors takes well under a second. The result is the module comment's algorithm exactly
 * (inspector-assignment.spec.ts compares it with a literal implementation on random inputs).
 * @param load tasks each inspector already carries (default none): the batch's earlier work, or
 *   an event task's open workload
 * @returns one entry per task, in key order
 * @throws InspectorShortfallError listing every department short of inspectors (nothing assigned)
 * @throws RangeError when two tasks share a key, an inspector is listed twice or perTask is below 1
 */
export function assignInspectors(
  tasks: readonly TaskToStaff[],
  inspectors: readonly AssignableInspector[],
  recusals: readonly RecusalPair[],
  seed: string,
  perTask = 2,
  load: ReadonlyMap<number, number> = new Map(),
): StaffedTask[] {
  const steps = assignInspectorsInSteps(tasks, inspectors, recusals, seed, perTask, load);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Tasks staffed between two pauses of `assignInspectorsInSteps`. */
const STAFFING_SLICE = 16384;

/**
 * `assignInspectors` with a pause (`yield null`) every STAFFING_SLICE tasks, so that a caller can
 * let other work go on between slices (the draw's COPY of its tasks); the same result.
 */
export function* assignInspectorsInSteps(
  tasks: readonly TaskToStaff[],
  inspectors: readonly AssignableInspector[],
  recusals: readonly RecusalPair[],
  seed: string,
  perTask = 2,
  load: ReadonlyMap<number, number> = new Map(),
): Generator<null, StaffedTask[], void> {
  if (!Number.isInteger(perTask) || perTask < 1) throw new RangeError('perTask must be at least 1');
  const sortedInspectors = [...inspectors].sort((a, b) => a.userId - b.userId);
  for (let i = 1; i < sortedInspectors.length; i++)
    if (sortedInspectors[i]!.userId === sortedInspectors[i - 1]!.userId)
      throw new RangeError(`inspector ${sortedInspectors[i]!.userId} is listed twice`);
  // slot: an inspector's index in sortedInspectors; loads by slot
  const slotOf = new Map(sortedInspectors.map((i, slot) => [i.userId, slot]));
  const loads = new Float64Array(sortedInspectors.length);
  for (const [userId, n] of load) {
    const slot = slotOf.get(userId);
    if (slot !== undefined) loads[slot] = n;
  }
  const byDepartment = new Map<string, number[]>();
  sortedInspectors.forEach((i, slot) => {
    const list = byDepartment.get(i.department) ?? [];
    list.push(slot);
    byDepartment.set(i.department, list);
  });
  // per department: the slots in shuffled order (the walk)
  const order = new Map<string, Int32Array>();
  for (const [department, list] of byDepartment)
    order.set(
      department,
      Int32Array.from(shuffledPrefix(list, list.length, new Sha256Stream(seed, `inspectors|${department}`))),
    );
  const qualifications = sortedInspectors.map((i) => new Set(i.itemIds));
  // per department and item set: the walk positions (ascending) of the inspectors qualified for every item
  const qualifiedCache = new Map<string, Int32Array>();
  const qualifiedPositions = (department: string, itemIds: readonly number[]): Int32Array => {
    let ascending = true;
    for (let k = 1; k < itemIds.length && ascending; k++) ascending = itemIds[k - 1]! < itemIds[k]!;
    const items = ascending ? itemIds : [...new Set(itemIds)].sort((a, b) => a - b);
    const key = items.length === 1 ? `${department}|${items[0]}` : `${department}|${items.join(',')}`;
    let positions = qualifiedCache.get(key);
    if (!positions) {
      const walk = order.get(department) ?? new Int32Array(0);
      const found: number[] = [];
      for (let p = 0; p < walk.length; p++)
        if (items.every((id) => qualifications[walk[p]!]!.has(id))) found.push(p);
      positions = Int32Array.from(found);
      qualifiedCache.set(key, positions);
    }
    return positions;
  };
  // per enterprise: user id -> recusal id
  const conflicts = new Map<number, Map<number, number>>();
  for (const r of recusals) {
    const m = conflicts.get(r.enterpriseId) ?? new Map<number, number>();
    m.set(r.inspectorId, r.id);
    conflicts.set(r.enterpriseId, m);
  }
  const cursor = new Map<string, number>();
  // per department: how many of its inspectors carry each load, and the lowest load (no one of the
  // department can be less loaded: a pass stops early once it holds perTask at that load)
  const departmentOf = new Int32Array(sortedInspectors.length);
  const departments = [...byDepartment.keys()];
  const atLoad = departments.map(() => new Map<number, number>());
  const minLoad = new Float64Array(departments.length);
  departments.forEach((department, k) => {
    const slots = byDepartment.get(department)!;
    for (const slot of slots) {
      departmentOf[slot] = k;
      atLoad[k]!.set(loads[slot]!, (atLoad[k]!.get(loads[slot]!) ?? 0) + 1);
    }
    minLoad[k] = Math.min(...slots.map((slot) => loads[slot]!));
  });
  const departmentIndex = new Map(departments.map((d, k) => [d, k]));
  const addLoad = (slot: number) => {
    const k = departmentOf[slot]!;
    const l = loads[slot]!;
    const counts = atLoad[k]!;
    counts.set(l, counts.get(l)! - 1);
    counts.set(l + 1, (counts.get(l + 1) ?? 0) + 1);
    loads[slot] = l + 1;
    if (l === minLoad[k] && counts.get(l) === 0) {
      // the next lowest load present (loads are integers in practice; search the stored ones)
      let next = Infinity;
      for (const [level, c] of counts) if (c > 0 && level < next) next = level;
      minLoad[k] = next;
    }
  };
  // tasks in key order (already so when the caller made them in that order: no sort then)
  let inOrder = true;
  for (let t = 1; t < tasks.length && inOrder; t++)
    inOrder = byCodePoint(tasks[t - 1]!.key, tasks[t]!.key) <= 0;
  const sorted = inOrder ? tasks : [...tasks].sort((a, b) => byCodePoint(a.key, b.key));
  const out: StaffedTask[] = [];
  const short = new Map<string, Shortfall>();
  // the best `perTask` candidates so far, ordered by (load, walk)
  const bestLoad = new Float64Array(perTask);
  const bestWalk = new Int32Array(perTask);
  const bestSlot = new Int32Array(perTask);
  for (let t = 0; t < sorted.length; t++) {
    if (t % STAFFING_SLICE === STAFFING_SLICE - 1) yield null;
    const task = sorted[t]!;
    if (t > 0 && sorted[t - 1]!.key === task.key) throw new RangeError(`two tasks share the key ${task.key}`);
    const walkOrder = order.get(task.department) ?? new Int32Array(0);
    const L = walkOrder.length;
    const start = cursor.get(task.department) ?? 0;
    const positions = qualifiedPositions(task.department, task.itemIds);
    const m = positions.length;
    const recused = conflicts.get(task.enterpriseId);
    // the first qualified position at or after the cursor (the walk starts there)
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positions[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    let eligibleCount = m;
    if (recused)
      for (let j = 0; j < m; j++)
        if (recused.has(sortedInspectors[walkOrder[positions[j]!]!]!.userId)) eligibleCount--;
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
    // least loaded first, then walk order: keep the best perTask of the eligible in one pass (walk
    // grows along the pass, so a later candidate displaces one only with a strictly lower load)
    let count = 0;
    const floor = minLoad[departmentIndex.get(task.department) ?? 0] ?? 0;
    for (let j = 0; j < m; j++) {
      if (count === perTask && bestLoad[perTask - 1]! <= floor) break;
      const p = positions[(first + j) % m]!;
      const slot = walkOrder[p]!;
      if (recused?.has(sortedInspectors[slot]!.userId)) continue;
      const l = loads[slot]!;
      if (count === perTask && l >= bestLoad[perTask - 1]!) continue;
      let at = count === perTask ? perTask - 1 : count++;
      while (at > 0 && bestLoad[at - 1]! > l) {
        bestLoad[at] = bestLoad[at - 1]!;
        bestWalk[at] = bestWalk[at - 1]!;
        bestSlot[at] = bestSlot[at - 1]!;
        at--;
      }
      bestLoad[at] = l;
      bestWalk[at] = (p - start + L) % L;
      bestSlot[at] = slot;
    }
    // a recused inspector ranked before the last one taken would have been taken: recorded as skipped
    const skipped: StaffedTask['skipped'] = [];
    if (recused) {
      const lastLoad = bestLoad[perTask - 1]!;
      const lastWalk = bestWalk[perTask - 1]!;
      const passed: { load: number; walk: number; userId: number; recusalId: number }[] = [];
      for (let j = 0; j < m; j++) {
        const p = positions[j]!;
        const userId = sortedInspectors[walkOrder[p]!]!.userId;
        const recusalId = recused.get(userId);
        if (recusalId === undefined) continue;
        const l = loads[walkOrder[p]!]!;
        const w = (p - start + L) % L;
        if (l < lastLoad || (l === lastLoad && w < lastWalk))
          passed.push({ load: l, walk: w, userId, recusalId });
      }
      passed.sort((a, b) => a.load - b.load || a.walk - b.walk);
      for (const q of passed) skipped.push({ userId: q.userId, recusalId: q.recusalId });
    }
    const taken: { slot: number; walk: number }[] = [];
    for (let i = 0; i < perTask; i++) taken.push({ slot: bestSlot[i]!, walk: bestWalk[i]! });
    taken.sort((a, b) => a.walk - b.walk);
    for (const e of taken) addLoad(e.slot);
    cursor.set(task.department, (start + taken[taken.length - 1]!.walk + 1) % L);
    out.push({ key: task.key, inspectors: taken.map((e) => sortedInspectors[e.slot]!.userId), skipped });
  }
  if (short.size) throw new InspectorShortfallError([...short.values()]);
  return out;
}
