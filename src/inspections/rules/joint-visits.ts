import { DEPARTMENTS } from '../../auth/roles.js';
import { dayNumber } from '../../common/calendar-days.js';

/**
 * One visit instead of many (综合查一次, 一业一查; 国办发〔2024〕54号, domain.md 5.3): an
 * enterprise's open tasks from different items or departments whose windows overlap become one
 * joint visit with one combined checklist (一表通查) and a lead department. Pure.
 *
 * Grouping (`groupVisits`): the tasks sorted by window start, then window end, then id; a task
 * joins the current group while its window overlaps the window every task of the group shares
 * (the intersection), and that intersection becomes the visit's window; else it opens a new
 * group. So every task of a visit can be done on any day of the visit's window, and the number
 * of visits is the least possible (each group closes at an interval disjoint from the next
 * group's first task: as many visits as pairwise disjoint windows, the lower bound).
 *
 * Lead department (`leadDepartment`, 一业一查: the sector regulator leads): the lead department of
 * a plan one of the visit's routine tasks comes from, when that department has a task in the
 * visit; among several such plan leads, or when there is none, the department with the most
 * distinct items in the visit; ties by department code (code-point order).
 */

/** An open task (assigned or in progress) of one enterprise, as grouping needs it. */
export interface VisitTask {
  id: number;
  department: string;
  /** first and last day of the task's window, YYYY-MM-DD */
  windowStart: string;
  windowEnd: string;
  itemIds: readonly number[];
  /** the lead department of the plan a routine task comes from; null for an event task */
  planLead: string | null;
}

/** A visit the rule makes: its tasks (ids ascending), shared window and lead. */
export interface PlannedVisit {
  taskIds: number[];
  /** the window every task of the visit shares (the intersection of their windows) */
  windowStart: string;
  windowEnd: string;
  leadDepartment: string;
  /** more than one task: a joint visit (联合检查); a visit of one task is still a visit */
  joint: boolean;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The lead department of a visit of `tasks` (see the module comment).
 * @throws RangeError when there is no task
 */
export function leadDepartment(tasks: readonly VisitTask[]): string {
  if (!tasks.length) throw new RangeError('a visit needs at least one task');
  const present = new Set(tasks.map((t) => t.department));
  const items = new Map<string, Set<number>>();
  for (const t of tasks) {
    const s = items.get(t.department) ?? new Set<number>();
    for (const i of t.itemIds) s.add(i);
    items.set(t.department, s);
  }
  const planLeads = [
    ...new Set(tasks.map((t) => t.planLead).filter((d): d is string => !!d && present.has(d))),
  ];
  const candidates = planLeads.length ? planLeads : [...present];
  return candidates.sort(
    (a, b) => (items.get(b)?.size ?? 0) - (items.get(a)?.size ?? 0) || byCodePoint(a, b),
  )[0]!;
}

/**
 * Groups one enterprise's open tasks into visits (see the module comment).
 * @returns the visits in window order, each with its tasks' ids ascending
 * @throws RangeError for a window that is not two dates with start <= end, or two tasks sharing an id
 */
export function groupVisits(tasks: readonly VisitTask[]): PlannedVisit[] {
  const ids = new Set<number>();
  for (const t of tasks) {
    if (ids.has(t.id)) throw new RangeError(`two tasks share the id ${t.id}`);
    ids.add(t.id);
    if (dayNumber(t.windowStart) > dayNumber(t.windowEnd))
      throw new RangeError(`task ${t.id}: window ${t.windowStart}..${t.windowEnd} ends before it starts`);
  }
  const sorted = [...tasks].sort(
    (a, b) =>
      byCodePoint(a.windowStart, b.windowStart) || byCodePoint(a.windowEnd, b.windowEnd) || a.id - b.id,
  );
  const groups: { tasks: VisitTask[]; start: string; end: string }[] = [];
  for (const t of sorted) {
    const g = groups[groups.length - 1];
    // sorted by start: the task's start is at or after the group's; it overlaps when it starts
    // on or before the group's shared end
    if (g && t.windowStart <= g.end) {
      g.tasks.push(t);
      g.start = t.windowStart;
      if (t.windowEnd < g.end) g.end = t.windowEnd;
    } else groups.push({ tasks: [t], start: t.windowStart, end: t.windowEnd });
  }
  return groups.map((g) => ({
    taskIds: g.tasks.map((t) => t.id).sort((a, b) => a - b),
    windowStart: g.start,
    windowEnd: g.end,
    leadDepartment: leadDepartment(g.tasks),
    joint: g.tasks.length > 1,
  }));
}

/** A department's Chinese name (market -> 市场监督管理局), or its code when unknown. */
export function departmentLabel(code: string): string {
  return (DEPARTMENTS as Record<string, string>)[code] ?? code;
}

/**
 * Why a task is in its visit, as joint_visit_merge records it (Chinese, for the people reading
 * the visit): the other tasks it shares the window with, the shared window and the lead, or that
 * no other open task of the enterprise overlaps it (VisitsService stores merges into joint
 * visits only).
 */
export function mergeReason(taskId: number, visit: PlannedVisit): string {
  const others = visit.taskIds.filter((id) => id !== taskId);
  const window = `${visit.windowStart} 至 ${visit.windowEnd}`;
  if (!others.length) return `单独一次检查：该企业没有与本任务检查窗口重叠的其他待办任务（窗口 ${window}）`;
  return `与任务 ${others.map((id) => `#${id}`).join('、')} 检查窗口重叠，合并为一次联合检查（共同窗口 ${window}，牵头部门 ${departmentLabel(visit.leadDepartment)}）`;
}

/** An open visit already stored for the enterprise. */
export interface StoredVisit {
  id: number;
  leadDepartment: string;
  windowStart: string;
  windowEnd: string;
}

/** What regrouping one enterprise changes (`planRegroup`). */
export interface RegroupPlan {
  /** stored visits that go on, with their (possibly new) window, lead and tasks */
  kept: (PlannedVisit & { visitId: number; changed: boolean })[];
  /** visits to create */
  created: PlannedVisit[];
  /**
   * tasks put into a visit they were not in (recorded in joint_visit_merge with the reason when
   * the visit is joint, VisitsService): `visitId` for a kept visit, `created` the index into
   * `created` for a new one
   */
  moves: { taskId: number; visitId: number | null; created: number | null; reason: string }[];
  /** stored visits left without an open task (cancelled unless a closed task keeps them) */
  emptied: number[];
}

/**
 * Regroups one enterprise's open tasks (`groupVisits`) against the visits they are in now, moving
 * as few tasks as possible: each new group, in window order, keeps the stored open visit holding
 * most of its tasks (ties: the lower id) that no earlier group kept; a group keeping none gets a
 * new visit. Only tasks that change visit are moves.
 * @param tasks the enterprise's open tasks with the open visit each is in now (null: none)
 * @param visits the open visits those tasks are in
 */
export function planRegroup(
  tasks: readonly (VisitTask & { visitId: number | null })[],
  visits: readonly StoredVisit[],
): RegroupPlan {
  if (tasks.length === 1 && tasks[0]!.visitId === null) {
    // the common case of a draw: one new task of an enterprise, a visit of its own (what
    // groupVisits makes of one task: its window; the lead is its department, whatever its plan's)
    const t = tasks[0]!;
    if (dayNumber(t.windowStart) > dayNumber(t.windowEnd))
      throw new RangeError(`task ${t.id}: window ${t.windowStart}..${t.windowEnd} ends before it starts`);
    const g: PlannedVisit = {
      taskIds: [t.id],
      windowStart: t.windowStart,
      windowEnd: t.windowEnd,
      leadDepartment: t.department,
      joint: false,
    };
    return {
      kept: [],
      created: [g],
      moves: [{ taskId: t.id, visitId: null, created: 0, reason: mergeReason(t.id, g) }],
      emptied: visits.length ? visits.map((v) => v.id).sort((a, b) => a - b) : [],
    };
  }
  const stored = new Map(visits.map((v) => [v.id, v]));
  const current = new Map(
    tasks.map((t) => [t.id, t.visitId !== null && stored.has(t.visitId) ? t.visitId : null]),
  );
  const used = new Set<number>();
  const plan: RegroupPlan = { kept: [], created: [], moves: [], emptied: [] };
  for (const g of groupVisits(tasks)) {
    const counts = new Map<number, number>();
    for (const id of g.taskIds) {
      const v = current.get(id);
      if (v != null && !used.has(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    if (best !== undefined) {
      used.add(best);
      const s = stored.get(best)!;
      plan.kept.push({
        ...g,
        visitId: best,
        changed:
          s.leadDepartment !== g.leadDepartment ||
          s.windowStart !== g.windowStart ||
          s.windowEnd !== g.windowEnd,
      });
      for (const id of g.taskIds)
        if (current.get(id) !== best)
          plan.moves.push({ taskId: id, visitId: best, created: null, reason: mergeReason(id, g) });
    } else {
      const index = plan.created.push(g) - 1;
      for (const id of g.taskIds)
        plan.moves.push({ taskId: id, visitId: null, created: index, reason: mergeReason(id, g) });
    }
  }
  plan.emptied = visits
    .map((v) => v.id)
    .filter((id) => !used.has(id))
    .sort((a, b) => a - b);
  return plan;
}

/** An item as the combined checklist shows it. */
export interface ChecklistItem {
  id: number;
  code: string;
  name: string;
  department: string;
  legalBasis: string;
  checkMethod: 'on_site' | 'documents' | 'data';
  /** the compliance requirements an inspector checks, in order */
  requirements: readonly string[];
}

/** One line group of the combined checklist: an item, its requirements and the tasks asking for it. */
export interface ChecklistEntry extends ChecklistItem {
  taskIds: number[];
}

/** The combined checklist (一表通查) of a visit. */
export interface CombinedChecklist {
  leadDepartment: string;
  /** departments of the visit, the lead first, then by code */
  departments: string[];
  /** every item once, the lead department's first, then by department code, then item code */
  entries: ChecklistEntry[];
  /** whether the visit must go on site: some item is checked on site (else documents or data suffice) */
  onSite: boolean;
}

/**
 * The combined checklist of a visit of `tasks`: each item once with the tasks asking for it and
 * its requirements, grouped by item, the lead department's items first (domain.md 5.3: one
 * checklist, no on-site visit where documents or data suffice).
 * @throws RangeError when a task names an item missing from `items`
 */
export function combinedChecklist(
  tasks: readonly { id: number; department: string; itemIds: readonly number[] }[],
  items: readonly ChecklistItem[],
  lead: string,
): CombinedChecklist {
  const known = new Map(items.map((i) => [i.id, i]));
  const entries = new Map<number, ChecklistEntry>();
  for (const t of [...tasks].sort((a, b) => a.id - b.id))
    for (const itemId of t.itemIds) {
      const item = known.get(itemId);
      if (!item) throw new RangeError(`task ${t.id} names item ${itemId}, which is not given`);
      const e = entries.get(itemId) ?? { ...item, requirements: [...item.requirements], taskIds: [] };
      if (!e.taskIds.includes(t.id)) e.taskIds.push(t.id);
      entries.set(itemId, e);
    }
  const rank = (d: string) => (d === lead ? '' : d);
  const departments = [...new Set(tasks.map((t) => t.department))].sort((a, b) =>
    byCodePoint(rank(a), rank(b)),
  );
  const list = [...entries.values()].sort(
    (a, b) => byCodePoint(rank(a.department), rank(b.department)) || byCodePoint(a.code, b.code),
  );
  return {
    leadDepartment: lead,
    departments,
    entries: list,
    onSite: list.some((e) => e.checkMethod === 'on_site'),
  };
}

/** A visit counted in the savings report: its tasks' departments and its lead. */
export interface CountedVisit {
  leadDepartment: string;
  /** the departments of its tasks, one entry per task, ordered by task id */
  taskDepartments: readonly string[];
}

/** Savings of a department (联合检查成效). */
export interface DepartmentSavings {
  department: string;
  tasks: number;
  /** its tasks done in a visit with other tasks */
  inJointVisits: number;
  /** visits it leads */
  led: number;
  /** visits the enterprises did not host because its tasks joined another's visit */
  saved: number;
}

/**
 * How many visits merging saved (报告: visits saved by merging, by department): a visit of n
 * tasks saves n - 1 visits. Each saved visit is counted for the department of a task beyond the
 * visit's first, the first being the lead department's task with the lowest id; so the
 * departments' savings add up to the total.
 */
export function visitSavings(visits: readonly CountedVisit[]): {
  tasks: number;
  visits: number;
  jointVisits: number;
  saved: number;
  byDepartment: DepartmentSavings[];
} {
  const by = new Map<string, DepartmentSavings>();
  const of = (d: string) => {
    let s = by.get(d);
    if (!s) by.set(d, (s = { department: d, tasks: 0, inJointVisits: 0, led: 0, saved: 0 }));
    return s;
  };
  let tasks = 0;
  let joint = 0;
  for (const v of visits) {
    if (!v.taskDepartments.length) continue;
    tasks += v.taskDepartments.length;
    if (v.taskDepartments.length > 1) joint++;
    of(v.leadDepartment).led++;
    let anchor = v.taskDepartments.indexOf(v.leadDepartment);
    if (anchor < 0) anchor = 0;
    v.taskDepartments.forEach((d, i) => {
      const s = of(d);
      s.tasks++;
      if (v.taskDepartments.length > 1) s.inJointVisits++;
      if (i !== anchor) s.saved++;
    });
  }
  const counted = visits.filter((v) => v.taskDepartments.length).length;
  return {
    tasks,
    visits: counted,
    jointVisits: joint,
    saved: tasks - counted,
    byDepartment: [...by.values()].sort((a, b) => byCodePoint(a.department, b.department)),
  };
}
