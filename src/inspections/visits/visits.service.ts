import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '../../common/clock.js';
import { escapeText } from '../../common/copy-text.js';
import { clientOf, copyInto, copyRows, takeIds } from '../../database/bulk-load.js';
import {
  ChecklistItem,
  combinedChecklist,
  CombinedChecklist,
  PlannedVisit,
  planRegroup,
  StoredVisit,
  visitSavings,
  VisitTask,
} from '../rules/joint-visits.js';
import type {
  VisitListQuery,
  VisitPageView,
  VisitReportView,
  VisitSummaryView,
  VisitTaskView,
  VisitView,
} from './dto/visit.dto.js';

/** Something that runs SQL: the data source or a transaction's manager. */
type Queryable = Pick<EntityManager, 'query'>;

/** Enterprises regrouped per round of statements (bounds the arrays sent and the rows read at once). */
const REGROUP_CHUNK = 10_000;

/** Enterprises planned between two turns of the event loop (`plan`): a few milliseconds of work. */
const PLAN_SLICE = 2_000;

/** Task statuses that are still to be done, so grouped into visits. */
const OPEN = `('assigned','in_progress')`;
/** A task a draw is about to write, placed into a visit first (`placeNewTasks`). */
export interface NewVisitTask extends VisitTask {
  enterpriseId: number;
}

type PlannedTask = VisitTask & { visitId: number | null };

interface TaskRow {
  id: string;
  enterprise_id: string;
  department: string;
  window_start: string;
  window_end: string;
  visit_id: string | null;
  plan_lead: string | null;
}

interface VisitRow {
  id: string;
  enterprise_id: string;
  lead_department: string;
  window_start: string;
  window_end: string;
}

/** A draw's new tasks being placed into visits (`VisitsService.prepareNewTasks`). */
export interface NewTaskPlacement {
  /** plans every enterprise with its new tasks (no SQL; in slices, letting other I/O go on); once */
  plan(tasks: readonly NewVisitTask[]): Promise<void>;
  /**
   * writes the plan (after `plan`): new visits, moved stored tasks, changed and closed visits
   * @returns the visit of each new task (in `plan`'s order), to be written with it; and
   *   `recordMerges`, to be called once the tasks are written (joint_visit_merge references the task)
   */
  write(): Promise<{ visitIds: number[]; recordMerges: () => Promise<void> }>;
}

const TASK_COLUMNS = `t.id, t.enterprise_id, t.department, t.window_start, t.window_end, t.visit_id, p.lead_department AS plan_lead`;

/** The regrouping plans of many enterprises, with indices into `created`. */
interface Gathered {
  created: { enterpriseId: number; visit: PlannedVisit }[];
  moves: { taskId: number; visitId: number | null; created: number | null; reason: string; joint: boolean }[];
  changed: { id: number; lead: string; start: string; end: string }[];
  emptied: number[];
}

/** Serialises regroupings to the caller's commit (see `regroup`). */
async function lock(m: EntityManager): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('joint_visit.regroup'))`);
}

/** Task statuses that no longer count in a visit. */
const GONE = `('cancelled','replaced')`;

const SUMMARY_COLUMNS = `v.id, v.lead_department, v.window_start, v.window_end, v.status, v.created_at,
  e.uscc, e.name AS enterprise_name,
  (SELECT count(*)::int FROM inspection_task t WHERE t.visit_id = v.id AND t.status NOT IN ${GONE}) AS task_count,
  (SELECT coalesce(array_agg(DISTINCT t.department), '{}') FROM inspection_task t
    WHERE t.visit_id = v.id AND t.status NOT IN ${GONE}) AS departments`;

function summaryView(r: Record<string, unknown>): VisitSummaryView {
  const lead = r.lead_department as string;
  const departments = (r.departments as string[]).sort((a, b) =>
    a === lead ? -1 : b === lead ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return {
    id: Number(r.id),
    enterprise: { uscc: r.uscc as string, name: r.enterprise_name as string },
    leadDepartment: lead,
    windowStart: r.window_start as string,
    windowEnd: r.window_end as string,
    status: r.status as string,
    taskCount: r.task_count as number,
    departments,
    joint: (r.task_count as number) > 1,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}

/**
 * Joint visits (综合查一次, domain.md 5.3): regrouping an enterprise's open tasks into visits by the
 * rule of inspections/rules/joint-visits.ts (a draw's new tasks placed before they are written),
 * each task merged into a visit with other tasks recorded in joint_visit_merge with the reason
 * (a task alone in its visit has no merge row: nothing was merged); the visits with their
 * combined checklist (一表通查); the savings report (from the tasks and visits, not the merges).
 */
@Injectable()
export class VisitsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Regroups the open tasks (assigned, in progress) of `enterpriseIds` into visits, in the
   * caller's transaction `m` (accepting a trigger, a replacement; a draw places its new tasks with
   * `placeNewTasks` instead). Per enterprise: the groups of overlapping windows (`groupVisits`),
   * each keeping the open visit that holds most of its tasks or getting a new one
   * (`planRegroup`); a task put into a visit it was not in, where that visit holds other tasks as
   * well (a merge), gets a joint_visit_merge row with the reason; a task that is alone in its
   * visit has none (nothing was merged); a visit left without an open task is closed (completed
   * when it holds a completed task, else cancelled). A visit of one task is still a visit (not
   * joint).
   *
   * Set-based: per 10 000 enterprises, one read of the tasks (with their plan's lead), one of the
   * items of enterprises with several open tasks, one of their visits, and one statement each for
   * the new visits' ids, new visits, moved tasks, merges, changed and closed visits; so 100 000
   * tasks cost a few dozen statements. Regroupings are serialised by a transaction-scoped
   * advisory lock (`joint_visit.regroup`), so two transactions never group the same enterprise
   * from different snapshots; the lock is held to the caller's commit.
   * The caller audits its own change; the merges are their own record.
   */
  async regroup(m: EntityManager, enterpriseIds: readonly number[]): Promise<void> {
    const ids = [...new Set(enterpriseIds.map(Number))].sort((a, b) => a - b);
    if (!ids.length) return;
    await lock(m);
    for (let i = 0; i < ids.length; i += REGROUP_CHUNK) {
      const chunk = ids.slice(i, i + REGROUP_CHUNK);
      const rows: TaskRow[] = await m.query(
        `SELECT ${TASK_COLUMNS} FROM inspection_task t LEFT JOIN inspection_plan p ON p.id = t.plan_id
         WHERE t.enterprise_id = ANY($1::bigint[]) AND t.status IN ${OPEN}`,
        [chunk],
      );
      if (!rows.length) continue;
      const state = await this.stateOf(m, rows, []);
      const plan = await this.plan(state);
      const merges = await this.apply(m, plan, null);
      await this.insertMerges(m, merges);
    }
  }

  /**
   * Places the new tasks of a draw into visits BEFORE they are written, in the caller's
   * transaction `m`: the same rule and the same result as writing them without a visit and
   * calling `regroup` on their enterprises, without rewriting a quarter of a million new tasks.
   * `prepareNewTasks`, `plan` and `write` (see NewTaskPlacement) in one call.
   * @param tasks the new tasks, with the ids they will be written with (higher than every stored task's)
   * @returns the visit of each new task (same order), to be written with it; and `recordMerges`,
   *   to be called once the tasks are written, which stores the merges (joint_visit_merge
   *   references the task)
   */
  async placeNewTasks(
    m: EntityManager,
    tasks: readonly NewVisitTask[],
  ): Promise<{ visitIds: number[]; recordMerges: () => Promise<void> }> {
    const placement = await this.prepareNewTasks(
      m,
      tasks.map((t) => t.enterpriseId),
    );
    await placement.plan(tasks);
    return placement.write();
  }

  /**
   * The first step of placing a draw's new tasks (`placeNewTasks`), so that the draw can write
   * something else (its targets) while Node plans: takes the regrouping lock and reads what the
   * enterprises have already (their open tasks with their items, and their open visits: one join
   * over the enterprise ids, an index probe each). Then `plan(tasks)` plans each enterprise with
   * `planRegroup` (its stored open tasks and the new ones, whose ids are taken from the sequence
   * by the caller): no SQL, in slices that let the connection's other I/O go on (a COPY in
   * flight); and `write()` inserts the new visits (COPY, ids from the sequence first), moves the
   * stored tasks that change visit (few), updates and closes visits as `regroup` does.
   * @param enterpriseIds the enterprises of the new tasks (every one of them)
   */
  async prepareNewTasks(m: EntityManager, enterpriseIds: readonly number[]): Promise<NewTaskPlacement> {
    const enterprises = [...new Set(enterpriseIds)].sort((a, b) => a - b);
    if (!enterprises.length)
      return {
        plan: async (tasks) => {
          if (tasks.length) throw new Error('new tasks of enterprises not prepared');
        },
        write: async () => ({ visitIds: [], recordMerges: async () => undefined }),
      };
    await lock(m);
    // unnest join: an index probe per enterprise, no = ANY over a huge array (sent as one text)
    const rows: TaskRow[] = await m.query(
      `SELECT ${TASK_COLUMNS} FROM unnest($1::text::bigint[]) AS x(enterprise_id)
       JOIN inspection_task t ON t.enterprise_id = x.enterprise_id
       LEFT JOIN inspection_plan p ON p.id = t.plan_id
       WHERE t.status IN ${OPEN}`,
      [`{${enterprises.join(',')}}`],
    );
    // every stored row's enterprise gets a new task: each has several open tasks, items read for all
    const stored = await this.storedOf(m, rows, rows);
    let planned: { plan: Gathered; tasks: readonly NewVisitTask[] } | null = null;
    return {
      plan: async (tasks) => {
        const known = new Set(enterprises);
        const stranger = tasks.find((t) => !known.has(t.enterpriseId));
        if (stranger)
          throw new Error(`new task ${stranger.id}: enterprise ${stranger.enterpriseId} was not prepared`);
        planned = { plan: await this.plan(this.assemble(rows, stored, tasks)), tasks };
      },
      write: async () => {
        if (!planned) throw new Error('write() before plan()');
        const { plan, tasks } = planned;
        const index = new Map<number, number>();
        tasks.forEach((t, i) => index.set(t.id, i));
        const visitIds: number[] = new Array<number>(tasks.length);
        const merges = await this.apply(m, plan, { index, visitIds });
        const missing = visitIds.findIndex((v) => v === undefined);
        if (missing >= 0) throw new Error(`new task ${tasks[missing]!.id} was not placed in a visit`);
        return { visitIds, recordMerges: () => this.insertMerges(m, merges) };
      },
    };
  }

  /**
   * The enterprises' open tasks (stored `rows`, and `added` ones not written yet) with their
   * items where an enterprise has several, and their open visits.
   */
  private async stateOf(
    m: EntityManager,
    rows: readonly TaskRow[],
    added: readonly NewVisitTask[],
  ): Promise<{ tasksOf: Map<number, PlannedTask[]>; visitsOf: Map<number, StoredVisit[]> }> {
    // items matter only to the lead of a visit of several departments: read only where an
    // enterprise has several open tasks (a draw's enterprise mostly has one)
    const perEnterprise = new Map<number, number>();
    for (const r of rows)
      perEnterprise.set(Number(r.enterprise_id), (perEnterprise.get(Number(r.enterprise_id)) ?? 0) + 1);
    for (const t of added) perEnterprise.set(t.enterpriseId, (perEnterprise.get(t.enterpriseId) ?? 0) + 1);
    const several = rows.filter((r) => perEnterprise.get(Number(r.enterprise_id))! > 1);
    return this.assemble(rows, await this.storedOf(m, rows, several), added);
  }

  /** The open visits the stored `rows` are in, and the items of the stored tasks `withItems`. */
  private async storedOf(
    m: EntityManager,
    rows: readonly TaskRow[],
    withItems: readonly TaskRow[],
  ): Promise<{ visits: VisitRow[]; itemsOf: Map<string, number[]> }> {
    const visitIds = [...new Set(rows.filter((r) => r.visit_id !== null).map((r) => Number(r.visit_id)))];
    const visits: VisitRow[] = visitIds.length
      ? await m.query(
          `SELECT id, enterprise_id, lead_department, window_start, window_end FROM joint_visit
             WHERE id = ANY($1::bigint[]) AND status = 'open'`,
          [visitIds],
        )
      : [];
    const itemsOf = new Map<string, number[]>();
    if (withItems.length)
      for (const r of (await m.query(
        `SELECT task_id, array_agg(item_id) AS item_ids FROM inspection_task_item WHERE task_id = ANY($1::bigint[]) GROUP BY task_id`,
        [withItems.map((r) => r.id)],
      )) as { task_id: string; item_ids: string[] }[])
        itemsOf.set(String(r.task_id), r.item_ids.map(Number));
    return { visits, itemsOf };
  }

  /** The planning state: every enterprise's open tasks (stored and added) and open visits. */
  private assemble(
    rows: readonly TaskRow[],
    stored: { visits: readonly VisitRow[]; itemsOf: ReadonlyMap<string, number[]> },
    added: readonly NewVisitTask[],
  ): { tasksOf: Map<number, PlannedTask[]>; visitsOf: Map<number, StoredVisit[]> } {
    const { visits, itemsOf } = stored;
    const tasksOf = new Map<number, PlannedTask[]>();
    const push = (e: number, task: PlannedTask) => {
      const list = tasksOf.get(e);
      if (list) list.push(task);
      else tasksOf.set(e, [task]);
    };
    for (const r of rows)
      push(Number(r.enterprise_id), {
        id: Number(r.id),
        department: r.department,
        windowStart: r.window_start,
        windowEnd: r.window_end,
        itemIds: itemsOf.get(String(r.id)) ?? [],
        planLead: r.plan_lead,
        visitId: r.visit_id === null ? null : Number(r.visit_id),
      });
    for (const t of added)
      push(t.enterpriseId, {
        id: t.id,
        department: t.department,
        windowStart: t.windowStart,
        windowEnd: t.windowEnd,
        itemIds: t.itemIds,
        planLead: t.planLead,
        visitId: null,
      });
    const visitsOf = new Map<number, StoredVisit[]>();
    for (const v of visits) {
      const e = Number(v.enterprise_id);
      visitsOf.set(e, [
        ...(visitsOf.get(e) ?? []),
        {
          id: Number(v.id),
          leadDepartment: v.lead_department,
          windowStart: v.window_start,
          windowEnd: v.window_end,
        },
      ]);
    }
    return { tasksOf, visitsOf };
  }

  /**
   * `planRegroup` of every enterprise, gathered; in slices of PLAN_SLICE enterprises with the
   * event loop let through in between (a draw's COPY of its targets runs meanwhile).
   */
  private async plan(state: {
    tasksOf: Map<number, PlannedTask[]>;
    visitsOf: Map<number, StoredVisit[]>;
  }): Promise<Gathered> {
    const g: Gathered = { created: [], moves: [], changed: [], emptied: [] };
    let n = 0;
    for (const [enterpriseId, tasks] of state.tasksOf) {
      if (++n % PLAN_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // only the enterprise's own open visits count as stored (a visit id of another enterprise never)
      const plan = planRegroup(tasks, state.visitsOf.get(enterpriseId) ?? []);
      const base = g.created.length;
      for (const c of plan.created) g.created.push({ enterpriseId, visit: c });
      for (const mv of plan.moves) {
        const joint =
          mv.created === null
            ? plan.kept.find((k) => k.visitId === mv.visitId)!.joint
            : plan.created[mv.created]!.joint;
        g.moves.push({
          taskId: mv.taskId,
          visitId: mv.visitId,
          created: mv.created === null ? null : base + mv.created,
          reason: mv.reason,
          joint,
        });
      }
      for (const k of plan.kept)
        if (k.changed)
          g.changed.push({ id: k.visitId, lead: k.leadDepartment, start: k.windowStart, end: k.windowEnd });
      g.emptied.push(...plan.emptied);
    }
    return g;
  }

  /**
   * Writes a gathered plan: the new visits (ids from the sequence first), the moved tasks (of
   * `fresh`, the tasks not written yet: only their visit noted in `fresh.visitIds`), the changed
   * and the closed visits.
   * @returns the merges to record (moves into a visit holding other tasks too)
   */
  private async apply(
    m: EntityManager,
    g: Gathered,
    fresh: { index: Map<number, number>; visitIds: number[] } | null,
  ): Promise<{ visitId: number; taskId: number; reason: string }[]> {
    // the new visits: ids from the sequence first (the tasks are written with theirs), then COPY
    const newIds = await takeIds(m, 'joint_visit', g.created.length);
    if (g.created.length)
      await copyInto(
        clientOf(m),
        `COPY joint_visit (id, enterprise_id, lead_department, window_start, window_end) FROM STDIN`,
        copyRows(g.created.length, (i) => {
          const c = g.created[i]!;
          return `${newIds[i]}\t${c.enterpriseId}\t${escapeText(c.visit.leadDepartment)}\t${c.visit.windowStart}\t${c.visit.windowEnd}\n`;
        }),
      );
    const merges: { visitId: number; taskId: number; reason: string }[] = [];
    const stored: { taskId: number; visitId: number }[] = [];
    for (const mv of g.moves) {
      const visitId = mv.created === null ? mv.visitId! : newIds[mv.created]!;
      const k = fresh?.index.get(mv.taskId);
      if (k !== undefined) fresh!.visitIds[k] = visitId;
      else stored.push({ taskId: mv.taskId, visitId });
      if (mv.joint) merges.push({ visitId, taskId: mv.taskId, reason: mv.reason });
    }
    if (stored.length)
      await m.query(
        `UPDATE inspection_task t SET visit_id = x.visit_id, updated_at = now()
         FROM unnest($1::bigint[], $2::bigint[]) AS x(id, visit_id)
         -- the ANY lets the primary key find the rows: no pass over every task of the database
         WHERE t.id = x.id AND t.id = ANY($1::bigint[])`,
        [stored.map((x) => x.taskId), stored.map((x) => x.visitId)],
      );
    if (g.changed.length)
      await m.query(
        `UPDATE joint_visit v SET lead_department = x.lead, window_start = x.ws, window_end = x.we
         FROM unnest($1::bigint[], $2::text[], $3::date[], $4::date[]) AS x(id, lead, ws, we)
         WHERE v.id = x.id AND v.id = ANY($1::bigint[])`,
        [
          g.changed.map((c) => c.id),
          g.changed.map((c) => c.lead),
          g.changed.map((c) => c.start),
          g.changed.map((c) => c.end),
        ],
      );
    if (g.emptied.length)
      await m.query(
        `UPDATE joint_visit v SET status = CASE WHEN EXISTS (
           SELECT 1 FROM inspection_task t WHERE t.visit_id = v.id AND t.status = 'completed') THEN 'completed' ELSE 'cancelled' END
         WHERE v.id = ANY($1::bigint[]) AND v.status = 'open'`,
        [g.emptied],
      );
    return merges;
  }

  private async insertMerges(
    m: EntityManager,
    merges: readonly { visitId: number; taskId: number; reason: string }[],
  ): Promise<void> {
    if (merges.length)
      await copyInto(
        clientOf(m),
        `COPY joint_visit_merge (visit_id, task_id, reason) FROM STDIN`,
        copyRows(merges.length, (i) => {
          const x = merges[i]!;
          return `${x.visitId}\t${x.taskId}\t${escapeText(x.reason)}\n`;
        }),
      );
  }

  /**
   * Joint visits, newest window first, one page, with filters (status: default every status but
   * cancelled; department: visits with a task of it; uscc; joint; from/to: windows overlapping the
   * days). Each with its enterprise, lead, window, task count and departments.
   */
  async list(q: VisitListQuery): Promise<VisitPageView> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    where.push(q.status ? `v.status = ${p(q.status)}` : `v.status <> 'cancelled'`);
    if (q.department)
      where.push(
        `EXISTS (SELECT 1 FROM inspection_task t WHERE t.visit_id = v.id AND t.department = ${p(q.department)} AND t.status NOT IN ${GONE})`,
      );
    if (q.uscc) where.push(`e.uscc = ${p(q.uscc.trim().toUpperCase())}`);
    if (q.joint !== undefined)
      where.push(
        `(SELECT count(*) FROM inspection_task t WHERE t.visit_id = v.id AND t.status NOT IN ${GONE}) ${q.joint ? '>' : '<='} 1`,
      );
    if (q.from) where.push(`v.window_end >= ${p(q.from)}::date`);
    if (q.to) where.push(`v.window_start <= ${p(q.to)}::date`);
    const from = `FROM joint_visit v JOIN enterprise e ON e.id = v.enterprise_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} ${from} ORDER BY v.window_start DESC, v.id DESC LIMIT ${p(q.pageSize)} OFFSET ${p((q.page - 1) * q.pageSize)}`,
      params,
    );
    return { items: rows.map(summaryView), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * One visit: its tasks (items, assigned inspectors, triggers), the combined checklist of the
   * tasks still counting (not cancelled or replaced) and every merge with its reason.
   * @throws NotFoundException unknown visit
   */
  async one(id: number, m: Queryable = this.dataSource): Promise<VisitView> {
    const [row] = await m.query(
      `SELECT ${SUMMARY_COLUMNS} FROM joint_visit v JOIN enterprise e ON e.id = v.enterprise_id WHERE v.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundException(`joint visit ${id} does not exist`);
    const summary = summaryView(row);
    const tasks: Record<string, unknown>[] = await m.query(
      `SELECT t.id, t.kind, t.department, t.status, t.window_start, t.window_end, t.plan_id, t.batch_id, t.outcome,
         coalesce((SELECT json_agg(json_build_object('id', i.id, 'code', i.code, 'name', i.name) ORDER BY i.code)
           FROM inspection_task_item ti JOIN inspection_item i ON i.id = ti.item_id WHERE ti.task_id = t.id), '[]') AS items,
         coalesce((SELECT json_agg(json_build_object('userId', u.id, 'displayName', u.display_name,
             'credentialNo', u.credential_no, 'department', u.department) ORDER BY ii.position)
           FROM inspection_task_inspector ii JOIN app_user u ON u.id = ii.user_id
           WHERE ii.task_id = t.id AND ii.role = 'assigned'), '[]') AS inspectors,
         coalesce((SELECT json_agg(json_build_object('id', g.id, 'kind', g.kind, 'reason', g.reason,
             'sourceRef', g.source_ref, 'receivedOn', g.received_on) ORDER BY g.received_on, g.id)
           FROM inspection_trigger g WHERE g.task_id = t.id), '[]') AS triggers
       FROM inspection_task t WHERE t.visit_id = $1 ORDER BY t.id`,
      [id],
    );
    const taskViews: VisitTaskView[] = tasks.map((t) => ({
      id: Number(t.id),
      kind: t.kind as string,
      department: t.department as string,
      status: t.status as string,
      windowStart: t.window_start as string,
      windowEnd: t.window_end as string,
      planId: t.plan_id === null ? null : Number(t.plan_id),
      batchId: t.batch_id === null ? null : Number(t.batch_id),
      outcome: (t.outcome as string | null) ?? null,
      items: (t.items as { id: string | number; code: string; name: string }[]).map((i) => ({
        ...i,
        id: Number(i.id),
      })),
      inspectors: (t.inspectors as { userId: number }[]).map((i) => ({
        ...i,
        userId: Number(i.userId),
      })) as VisitTaskView['inspectors'],
      triggers: (t.triggers as { id: number }[]).map((g) => ({
        ...g,
        id: Number(g.id),
      })) as VisitTaskView['triggers'],
    }));
    const counting = taskViews.filter((t) => t.status !== 'cancelled' && t.status !== 'replaced');
    const checklist = await this.checklistOf(
      counting.map((t) => ({ id: t.id, department: t.department, itemIds: t.items.map((i) => i.id) })),
      summary.leadDepartment,
      m,
    );
    const merges: Record<string, unknown>[] = await m.query(
      `SELECT id, task_id, merged_at, reason FROM joint_visit_merge WHERE visit_id = $1 ORDER BY merged_at, id`,
      [id],
    );
    return {
      ...summary,
      tasks: taskViews,
      checklist: {
        ...checklist,
        entries: checklist.entries.map((e) => ({ ...e, requirements: [...e.requirements] })),
      },
      merges: merges.map((r) => ({
        id: Number(r.id),
        taskId: Number(r.task_id),
        mergedAt: new Date(r.merged_at as string).toISOString(),
        reason: r.reason as string,
      })),
    };
  }

  /**
   * The combined checklist (一表通查, `combinedChecklist`) of `tasks` with the lead department
   * `lead`: every item once with its requirements and the tasks asking for it. For the task
   * detail of a task in a visit as well (the tasks of `one(visitId).tasks`).
   */
  async checklistOf(
    tasks: readonly { id: number; department: string; itemIds: readonly number[] }[],
    lead: string,
    m: Queryable = this.dataSource,
  ): Promise<CombinedChecklist> {
    const itemIds = [...new Set(tasks.flatMap((t) => t.itemIds))];
    const items: ChecklistItem[] = itemIds.length
      ? (
          await m.query(
            `SELECT id, code, name, department, legal_basis, check_method, requirements FROM inspection_item WHERE id = ANY($1::bigint[])`,
            [itemIds],
          )
        ).map((r: Record<string, unknown>) => ({
          id: Number(r.id),
          code: r.code as string,
          name: r.name as string,
          department: r.department as string,
          legalBasis: r.legal_basis as string,
          checkMethod: r.check_method as ChecklistItem['checkMethod'],
          requirements: r.requirements as string[],
        }))
      : [];
    return combinedChecklist(tasks, items, lead);
  }

  /**
   * The savings of joint visits in `year` (default this year in Asia/Shanghai): the visits whose
   * window starts in the year and that are not cancelled, with their tasks still counting; visits
   * saved = tasks - visits, by department (`visitSavings`).
   */
  async report(year?: number): Promise<VisitReportView> {
    const y = year ?? Number(todayInShanghai().slice(0, 4));
    const rows: { lead_department: string; departments: string[] }[] = await this.dataSource.query(
      `SELECT v.lead_department, array_agg(t.department ORDER BY t.id) AS departments
       FROM joint_visit v JOIN inspection_task t ON t.visit_id = v.id AND t.status NOT IN ${GONE}
       WHERE v.status <> 'cancelled' AND v.window_start >= make_date($1, 1, 1) AND v.window_start < make_date($1 + 1, 1, 1)
       GROUP BY v.id, v.lead_department`,
      [y],
    );
    return {
      year: y,
      ...visitSavings(
        rows.map((r) => ({ leadDepartment: r.lead_department, taskDepartments: r.departments })),
      ),
    };
  }
}
