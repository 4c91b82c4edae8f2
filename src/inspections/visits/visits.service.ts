import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '../../common/clock.js';
import {
  ChecklistItem,
  combinedChecklist,
  CombinedChecklist,
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

/** Task statuses that are still to be done, so grouped into visits. */
const OPEN = `('assigned','in_progress')`;
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
 * rule of inspections/rules/joint-visits.ts, each task put into a visit recorded in
 * joint_visit_merge with the reason; the visits with their combined checklist (一表通查); the
 * savings report.
 */
@Injectable()
export class VisitsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Regroups the open tasks (assigned, in progress) of `enterpriseIds` into visits, in the
   * caller's transaction `m` (the draw after inserting its tasks; accepting a trigger). Per
   * enterprise: the groups of overlapping windows (`groupVisits`), each keeping the open visit that
   * holds most of its tasks or getting a new one (`planRegroup`); every task put into a visit it was
   * not in gets a joint_visit_merge row with the reason; a visit left without an open task is
   * closed (completed when it holds a completed task, else cancelled). A visit of one task is
   * still a visit (not joint).
   *
   * Set-based: per 10 000 enterprises, one read of the tasks (with their plan's lead), one of the
   * items of enterprises with several open tasks, one of their visits, and one statement each for new visits, moved tasks, merges, changed and closed
   * visits; so a draw's 100 000 tasks cost a few dozen statements. Regroupings are serialised by a
   * transaction-scoped advisory lock (`joint_visit.regroup`), so two transactions never group the
   * same enterprise from different snapshots; the lock is held to the caller's commit.
   * The caller audits its own change; the merges are their own record.
   */
  async regroup(m: EntityManager, enterpriseIds: readonly number[]): Promise<void> {
    const ids = [...new Set(enterpriseIds.map(Number))].sort((a, b) => a - b);
    if (!ids.length) return;
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('joint_visit.regroup'))`);
    for (let i = 0; i < ids.length; i += REGROUP_CHUNK)
      await this.regroupChunk(m, ids.slice(i, i + REGROUP_CHUNK));
  }

  private async regroupChunk(m: EntityManager, enterpriseIds: number[]): Promise<void> {
    const rows: {
      id: string;
      enterprise_id: string;
      department: string;
      window_start: string;
      window_end: string;
      visit_id: string | null;
      plan_lead: string | null;
    }[] = await m.query(
      `SELECT t.id, t.enterprise_id, t.department, t.window_start, t.window_end, t.visit_id, p.lead_department AS plan_lead
       FROM inspection_task t LEFT JOIN inspection_plan p ON p.id = t.plan_id
       WHERE t.enterprise_id = ANY($1::bigint[]) AND t.status IN ${OPEN}`,
      [enterpriseIds],
    );
    if (!rows.length) return;
    const visitIds = [...new Set(rows.filter((r) => r.visit_id !== null).map((r) => Number(r.visit_id)))];
    const visits: {
      id: string;
      enterprise_id: string;
      lead_department: string;
      window_start: string;
      window_end: string;
    }[] = visitIds.length
      ? await m.query(
          `SELECT id, enterprise_id, lead_department, window_start, window_end FROM joint_visit
             WHERE id = ANY($1::bigint[]) AND status = 'open'`,
          [visitIds],
        )
      : [];
    // items matter only to the lead of a visit of several departments: read only where an
    // enterprise has several open tasks (a draw's enterprise mostly has one)
    const perEnterprise = new Map<string, number>();
    for (const r of rows) perEnterprise.set(r.enterprise_id, (perEnterprise.get(r.enterprise_id) ?? 0) + 1);
    const several = rows.filter((r) => perEnterprise.get(r.enterprise_id)! > 1).map((r) => r.id);
    const itemsOf = new Map<string, number[]>();
    if (several.length)
      for (const r of (await m.query(
        `SELECT task_id, array_agg(item_id) AS item_ids FROM inspection_task_item WHERE task_id = ANY($1::bigint[]) GROUP BY task_id`,
        [several],
      )) as { task_id: string; item_ids: string[] }[])
        itemsOf.set(r.task_id, r.item_ids.map(Number));
    const tasksOf = new Map<number, (VisitTask & { visitId: number | null })[]>();
    for (const r of rows) {
      const e = Number(r.enterprise_id);
      const list = tasksOf.get(e) ?? [];
      list.push({
        id: Number(r.id),
        department: r.department,
        windowStart: r.window_start,
        windowEnd: r.window_end,
        itemIds: itemsOf.get(r.id) ?? [],
        planLead: r.plan_lead,
        visitId: r.visit_id === null ? null : Number(r.visit_id),
      });
      tasksOf.set(e, list);
    }
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

    const created: { enterpriseId: number; lead: string; start: string; end: string }[] = [];
    const moves: { taskId: number; visitId: number | null; created: number | null; reason: string }[] = [];
    const changed: { id: number; lead: string; start: string; end: string }[] = [];
    const emptied: number[] = [];
    for (const [enterpriseId, tasks] of tasksOf) {
      // only the enterprise's own open visits count as stored (a visit id of another enterprise never)
      const plan = planRegroup(tasks, visitsOf.get(enterpriseId) ?? []);
      const base = created.length;
      for (const c of plan.created)
        created.push({ enterpriseId, lead: c.leadDepartment, start: c.windowStart, end: c.windowEnd });
      for (const mv of plan.moves)
        moves.push({ ...mv, created: mv.created === null ? null : base + mv.created });
      for (const k of plan.kept)
        if (k.changed)
          changed.push({ id: k.visitId, lead: k.leadDepartment, start: k.windowStart, end: k.windowEnd });
      emptied.push(...plan.emptied);
    }

    // the new visits of one enterprise have disjoint windows: (enterprise, window start) names each
    const newIds = new Map<string, number>();
    if (created.length) {
      const inserted: { id: string; enterprise_id: string; window_start: string }[] = await m.query(
        `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::date[], $4::date[])
         RETURNING id, enterprise_id, window_start`,
        [
          created.map((c) => c.enterpriseId),
          created.map((c) => c.lead),
          created.map((c) => c.start),
          created.map((c) => c.end),
        ],
      );
      for (const r of inserted) newIds.set(`${r.enterprise_id}|${r.window_start}`, Number(r.id));
    }
    if (moves.length) {
      const target = moves.map((mv) => {
        if (mv.created === null) return mv.visitId!;
        const c = created[mv.created]!;
        return newIds.get(`${c.enterpriseId}|${c.start}`)!;
      });
      await m.query(
        `UPDATE inspection_task t SET visit_id = x.visit_id, updated_at = now()
         FROM unnest($1::bigint[], $2::bigint[]) AS x(id, visit_id)
         -- the ANY lets the primary key find the rows: no pass over every task of the database
         WHERE t.id = x.id AND t.id = ANY($1::bigint[])`,
        [moves.map((mv) => mv.taskId), target],
      );
      await m.query(
        `INSERT INTO joint_visit_merge (visit_id, task_id, reason)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])`,
        [target, moves.map((mv) => mv.taskId), moves.map((mv) => mv.reason)],
      );
    }
    if (changed.length)
      await m.query(
        `UPDATE joint_visit v SET lead_department = x.lead, window_start = x.ws, window_end = x.we
         FROM unnest($1::bigint[], $2::text[], $3::date[], $4::date[]) AS x(id, lead, ws, we)
         WHERE v.id = x.id AND v.id = ANY($1::bigint[])`,
        [
          changed.map((c) => c.id),
          changed.map((c) => c.lead),
          changed.map((c) => c.start),
          changed.map((c) => c.end),
        ],
      );
    if (emptied.length)
      await m.query(
        `UPDATE joint_visit v SET status = CASE WHEN EXISTS (
           SELECT 1 FROM inspection_task t WHERE t.visit_id = v.id AND t.status = 'completed') THEN 'completed' ELSE 'cancelled' END
         WHERE v.id = ANY($1::bigint[]) AND v.status = 'open'`,
        [emptied],
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
