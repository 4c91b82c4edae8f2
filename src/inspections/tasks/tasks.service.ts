import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ChecklistItem, combinedChecklist } from '../rules/joint-visits.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { CodesService } from '../../check-codes/codes/codes.service.js';
import { CreditRecordsService } from '../../credit/credit-records.service.js';
import { RECORD_TEXT_LIMITS } from '../../credit/rules/credit-record-input.js';
import { STATUS_LABELS } from '../../enterprises/entities/enterprise.entity.js';
import { unprocessable } from '../../http/api-errors.js';
import type {
  RecordedResultView,
  RecordResultDto,
  TaskListQuery,
  TaskSummaryView,
  TaskView,
  TaskVisitView,
} from './dto/task.dto.js';
import {
  checkTaskResult,
  isOverdue,
  type MyTaskView,
  myTasksRange,
  OPEN_TASK_STATUSES,
  resultRefusal,
  type TaskForResult,
} from './rules/task-result.js';

type Row = Record<string, unknown>;

/** A refusal decided inside the result's transaction, audited after it has rolled back. */
class Refused extends Error {}
/** 无码不检查: a result without a usable inspection code, audited `task.result_refused` after the rollback. */
class NoCode extends Error {
  constructor(
    reason: string,
    readonly codeNos: string[],
  ) {
    super(reason);
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

/** Columns of a task in a list, over `t` (inspection_task), `e` (enterprise), `p` (plan), `b` (batch). */
const SUMMARY_COLUMNS = `t.id, t.kind, t.status, t.department, t.tier, t.window_start, t.window_end, t.plan_id,
  t.batch_id, t.draw_id, t.visit_id, t.outcome, t.recorded_at,
  e.uscc, e.name AS enterprise_name, e.street,
  p.plan_no, p.version AS plan_version, p.title AS plan_title, b.seq AS batch_seq, b.name AS batch_name,
  (SELECT coalesce(json_agg(json_build_object('code', i.code, 'name', i.name) ORDER BY i.code), '[]')
     FROM inspection_task_item x JOIN inspection_item i ON i.id = x.item_id WHERE x.task_id = t.id) AS items,
  (SELECT coalesce(json_agg(json_build_object('userId', u.id, 'displayName', u.display_name,
            'credentialNo', u.credential_no) ORDER BY ti.position), '[]')
     FROM inspection_task_inspector ti JOIN app_user u ON u.id = ti.user_id
     WHERE ti.task_id = t.id AND ti.role = 'assigned') AS inspectors,
  (t.visit_id IS NOT NULL AND (SELECT count(*) FROM inspection_task o
     WHERE o.visit_id = t.visit_id AND o.status NOT IN ('cancelled', 'replaced')) > 1) AS joint_visit`;
const SUMMARY_FROM = `inspection_task t JOIN enterprise e ON e.id = t.enterprise_id
  LEFT JOIN inspection_plan p ON p.id = t.plan_id LEFT JOIN inspection_batch b ON b.id = t.batch_id`;

function summaryOf(r: Row, today: string): TaskSummaryView {
  return {
    id: Number(r.id),
    kind: r.kind as string,
    status: r.status as string,
    department: r.department as string,
    tier: (r.tier as string | null) ?? null,
    windowStart: r.window_start as string,
    windowEnd: r.window_end as string,
    overdue: isOverdue(r.status as string, r.window_end as string, today),
    enterprise: {
      uscc: r.uscc as string,
      name: r.enterprise_name as string,
      street: (r.street as string) ?? null,
    },
    plan:
      r.plan_id === null
        ? null
        : {
            id: Number(r.plan_id),
            planNo: r.plan_no as string,
            version: Number(r.plan_version),
            title: r.plan_title as string,
          },
    batch:
      r.batch_id === null
        ? null
        : { id: Number(r.batch_id), seq: Number(r.batch_seq), name: r.batch_name as string },
    drawId: num(r.draw_id),
    visitId: num(r.visit_id),
    jointVisit: r.joint_visit === true,
    items: r.items as TaskSummaryView['items'],
    inspectors: (r.inspectors as TaskSummaryView['inspectors']).map((i) => ({
      ...i,
      userId: Number(i.userId),
    })),
    outcome: (r.outcome as string | null) ?? null,
    recordedAt: iso(r.recorded_at),
  };
}

/**
 * Inspection tasks (检查任务, issue 11): the regulators' board, an inspector's own tasks, one
 * task with everything needed on the spot (the enterprise's particulars, items with legal basis
 * and requirements, the joint visit's combined checklist 一表通查, inspectors, triggers), and
 * recording its result, which becomes the enterprise's `inspection_result` credit record and
 * rescores it in the same transaction (domain.md 5.1; architecture.md "Flow": results become
 * credit records again). Tasks are made by the draw (plan-draws) and by accepted triggers.
 */
@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: CreditRecordsService,
    private readonly scope: ScopeService,
    private readonly codes: CodesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The task board: tasks matching every filter given, by window end then id (the most urgent
   * first), one page. `from`/`to` keep the tasks whose window overlaps [from, to] (days,
   * inclusive); `overdue` open tasks whose window ended before today (Asia/Shanghai).
   * @throws 422 (`to`) when to is before from
   */
  async list(q: TaskListQuery): Promise<{ items: TaskSummaryView[]; total: number }> {
    if (q.from && q.to && q.to < q.from)
      throw unprocessable([{ field: 'to', reason: `${q.to} is before from ${q.from}` }]);
    const today = todayInShanghai();
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, v: unknown) => {
      params.push(v);
      where.push(sql(`$${params.length}`));
    };
    if (q.status) add((p) => `t.status = ${p}`, q.status);
    if (q.kind) add((p) => `t.kind = ${p}`, q.kind);
    if (q.department) add((p) => `t.department = ${p}`, q.department);
    if (q.planId) add((p) => `t.plan_id = ${p}`, q.planId);
    // a batch's tasks are routine (CHECK inspection_task_routine): the routine key's index finds them
    if (q.batchId) add((p) => `t.batch_id = ${p} AND t.kind = 'routine'`, q.batchId);
    if (q.uscc) add((p) => `t.enterprise_id = (SELECT id FROM enterprise WHERE uscc = ${p})`, q.uscc);
    if (q.inspector)
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM inspection_task_inspector ti WHERE ti.task_id = t.id AND ti.role = 'assigned' AND ti.user_id = ${p})`,
        q.inspector,
      );
    if (q.from) add((p) => `t.window_end >= ${p}::date`, q.from);
    if (q.to) add((p) => `t.window_start <= ${p}::date`, q.to);
    if (q.overdue !== undefined) {
      params.push([...OPEN_TASK_STATUSES], today);
      const overdue = `(t.status = ANY($${params.length - 1}) AND t.window_end < $${params.length}::date)`;
      where.push(q.overdue ? overdue : `NOT ${overdue}`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_task t ${filter}`,
      params,
    );
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} ${filter}
       ORDER BY t.window_end, t.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map((r) => summaryOf(r, today)), total };
  }

  /**
   * The signed-in inspector's tasks (role `assigned`) of one view (myTasksRange: today, week,
   * overdue, open, done): open ones by window end then id, done ones newest result first.
   */
  async mine(
    userId: number,
    when: MyTaskView,
    page: number,
    pageSize: number,
  ): Promise<{ items: TaskSummaryView[]; total: number }> {
    const today = todayInShanghai();
    const range = myTasksRange(when, today);
    const params: unknown[] = [userId, [...range.statuses]];
    const where = [
      `EXISTS (SELECT 1 FROM inspection_task_inspector ti WHERE ti.task_id = t.id AND ti.user_id = $1 AND ti.role = 'assigned')`,
      `t.status = ANY($2)`,
    ];
    if (range.overlaps) {
      params.push(range.overlaps.from, range.overlaps.to);
      where.push(`t.window_end >= $3::date AND t.window_start <= $4::date`);
    }
    if (range.endsBefore) {
      params.push(range.endsBefore);
      where.push(`t.window_end < $${params.length}::date`);
    }
    const filter = `WHERE ${where.join(' AND ')}`;
    const order = when === 'done' ? 't.recorded_at DESC, t.id DESC' : 't.window_end, t.id';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_task t ${filter}`,
      params,
    );
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} ${filter}
       ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map((r) => summaryOf(r, today)), total };
  }

  /**
   * One task (TaskView). Admins and regulators read every task; an inspector reads a task it is
   * assigned to, or one of the same joint visit as a task it is assigned to (they visit together);
   * any other inspector is refused.
   * @throws NotFoundException (404) unknown task
   * @throws ForbiddenException (403, audited `access.denied`) an inspector not on the task or its visit
   */
  async one(id: number, user: AuthUser, actor: Actor): Promise<TaskView> {
    const view = await this.read(this.dataSource.manager, id, user.id);
    if (!view) throw new NotFoundException(`inspection task ${id} does not exist`);
    if (user.role === 'inspector' && !(await this.inspectorMayRead(this.dataSource.manager, id, user.id))) {
      const reason = `inspector ${user.username} is not assigned to task ${id} nor to its joint visit`;
      await this.scope.deny(actor, 'inspection_task', String(id), reason);
      throw new ForbiddenException(reason);
    }
    return view;
  }

  /**
   * Records the result of a task (issue 11 "Results"), in ONE transaction under the task's row
   * lock: the task's outcome, findings, correction deadline and note (status completed); the
   * enterprise's `inspection_result` credit record (CreditRecordsService.createIn: source
   * department the task department's full name, e.g. 杨浦区市场监督管理局, record date today,
   * source_system `planning`, source_key `task:<id>`, details: task, plan, items, findings,
   * deadline, note) and the rescoring it causes (a tier change is kept in the history); the joint
   * visit completed when none of its tasks is open any more; the audit entries
   * (`credit_record.create`, `inspection_task.result` with the tier before and after).
   * Without violation counts in the record, a failed inspection (problems found, refused, not
   * found) weighs as one severe violation in the scorecard (indicator-sql.ts `inspection_violations`).
   * Who and when: resultRefusal (the one seam), with issue 12's 无码不检查: the task covered by an
   * inspection code in use and valid now under which this inspector checked in (CodesService
   * resultState; the code rows locked, so results of one code's tasks are serialised); every code
   * of the task whose tasks are all done becomes completed in the same transaction
   * (CodesService.completeCodesOf).
   * @throws NotFoundException (404) unknown task
   * @throws ForbiddenException (403, audited `access.denied`, nothing else stored) not an inspector assigned to the task
   * @throws ConflictException (409) a result already recorded, a cancelled or replaced task, a window not open yet;
   *   no usable inspection code (audited `task.result_refused`, nothing else stored)
   * @throws 422 every field at fault (checkTaskResult: outcome, findings[i].itemCode, findings[i].finding,
   *   correctionDeadline, note)
   * @throws 503 a full rescoring holds the scoring lock too long (nothing stored; try again)
   */
  async recordResult(
    id: number,
    dto: RecordResultDto,
    user: AuthUser,
    actor: Actor,
  ): Promise<RecordedResultView> {
    const today = todayInShanghai();
    try {
      return await this.dataSource.transaction(async (m) => {
        const [t]: Row[] = await m.query(
          `SELECT t.id, t.status, t.kind, t.department, t.window_start, t.window_end, t.visit_id, t.enterprise_id,
                  e.uscc, p.plan_no, p.version AS plan_version, b.name AS batch_name
           FROM inspection_task t JOIN enterprise e ON e.id = t.enterprise_id
           LEFT JOIN inspection_plan p ON p.id = t.plan_id LEFT JOIN inspection_batch b ON b.id = t.batch_id
           WHERE t.id = $1 FOR UPDATE OF t`,
          [id],
        );
        if (!t) throw new NotFoundException(`inspection task ${id} does not exist`);
        const state = await this.stateFor(m, t);
        const pre = resultRefusal(state, user.id, today);
        if (pre?.code === 'forbidden') throw new Refused(pre.reason);
        if (pre) throw new ConflictException(pre.reason);
        const code = await this.codes.resultState(m, id, user.id, Date.now(), true);
        const refusal = resultRefusal({ ...state, codeRefusal: code.refusal }, user.id, today);
        if (refusal?.code === 'no_code') throw new NoCode(refusal.reason, code.codeNos);
        if (refusal) throw new ConflictException(refusal.reason);
        const items: { code: string; name: string }[] = await m.query(
          `SELECT i.code, i.name FROM inspection_task_item x JOIN inspection_item i ON i.id = x.item_id
           WHERE x.task_id = $1 ORDER BY i.code`,
          [id],
        );
        const check = checkTaskResult(
          dto,
          items.map((i) => i.code),
          today,
        );
        if (!check.ok) throw unprocessable(check.errors);
        const result = check.result;
        const enterpriseId = Number(t.enterprise_id);
        const [before]: Row[] = await m.query(
          `SELECT score, tier FROM credit_score WHERE enterprise_id = $1`,
          [enterpriseId],
        );
        const planText = t.plan_no
          ? `${t.plan_no as string}（第${t.plan_version as number}版）${t.batch_name as string}`
          : '事件触发检查';
        const subject = `检查任务${id}：${planText}，${items.map((i) => i.name).join('、')}`;
        const stored = await this.records.createIn(
          m,
          enterpriseId,
          t.uscc as string,
          {
            kind: 'inspection_result',
            recordDate: today,
            sourceDepartment: departmentName(this.config.DISTRICT_NAME, t.department as string),
            outcome: result.outcome,
            subject: [...subject].slice(0, RECORD_TEXT_LIMITS.subject).join(''),
            details: {
              taskId: id,
              taskKind: t.kind,
              planNo: t.plan_no ?? null,
              planVersion: t.plan_version ?? null,
              items: items.map((i) => i.code),
              findings: result.findings,
              correctionDeadline: result.correctionDeadline,
              note: result.note,
            },
            sourceSystem: 'planning',
            sourceKey: `task:${id}`,
          },
          actor,
        );
        if (!stored.created)
          throw new ConflictException(
            `a credit record for task ${id} (planning/task:${id}) is already stored`,
          );
        await m.query(
          `UPDATE inspection_task SET status = 'completed', outcome = $2, findings = $3, correction_deadline = $4,
             result_note = $5, recorded_by = $6, recorded_at = now(), credit_record_id = $7, updated_at = now()
           WHERE id = $1`,
          [
            id,
            result.outcome,
            JSON.stringify(result.findings),
            result.correctionDeadline,
            result.note,
            user.id,
            stored.record.id,
          ],
        );
        let visitCompleted = false;
        if (t.visit_id !== null) {
          // (a SELECT over the UPDATE: TypeORM answers a bare UPDATE with [rows, count])
          const [{ n }] = await m.query(
            `WITH done AS (
               UPDATE joint_visit SET status = 'completed' WHERE id = $1 AND status = 'open'
                 AND NOT EXISTS (SELECT 1 FROM inspection_task WHERE visit_id = $1 AND status = ANY($2))
               RETURNING id)
             SELECT count(*)::int AS n FROM done`,
            [t.visit_id, [...OPEN_TASK_STATUSES]],
          );
          visitCompleted = n > 0;
        }
        const codesCompleted = await this.codes.completeCodesOf(m, id, actor);
        const score = {
          previousScore: before ? Number(before.score) : null,
          previousTier: (before?.tier as string | undefined) ?? null,
          score: stored.score.score,
          tier: stored.score.tier,
        };
        await appendAudit(sqlOf(m), actor, {
          action: 'inspection_task.result',
          entityType: 'inspection_task',
          entityId: String(id),
          before: { status: state.status },
          after: {
            status: 'completed',
            uscc: t.uscc,
            ...result,
            creditRecordId: Number(stored.record.id),
            score,
            visitId: num(t.visit_id),
            visitCompleted,
            checkCodes: code.codeNos,
            checkCodesCompleted: codesCompleted,
          },
        });
        const task = (await this.read(m, id, user.id))!;
        return { task, creditRecordId: Number(stored.record.id), score };
      });
    } catch (e) {
      if (e instanceof NoCode) {
        await this.codes.auditResultRefused(actor, id, `${user.username}: ${e.message}`, e.codeNos);
        throw new ConflictException(e.message);
      }
      if (!(e instanceof Refused)) throw e;
      await this.scope.deny(actor, 'inspection_task', String(id), `${user.username}: ${e.message}`);
      throw new ForbiddenException(e.message);
    }
  }

  /** What resultRefusal needs of a task row (status, window start) and its assigned inspectors. */
  private async stateFor(m: EntityManager, t: Row): Promise<TaskForResult> {
    const assigned: { user_id: string }[] = await m.query(
      `SELECT user_id FROM inspection_task_inspector WHERE task_id = $1 AND role = 'assigned'`,
      [t.id],
    );
    return {
      status: t.status as string,
      windowStart: t.window_start as string,
      assignedUserIds: assigned.map((a) => Number(a.user_id)),
    };
  }

  /** An inspector assigned to the task, or to a task of the same joint visit. */
  private async inspectorMayRead(m: EntityManager, id: number, userId: number): Promise<boolean> {
    const [row] = await m.query(
      `SELECT 1 FROM inspection_task t
       JOIN inspection_task o ON o.id = t.id OR (t.visit_id IS NOT NULL AND o.visit_id = t.visit_id)
       JOIN inspection_task_inspector ti ON ti.task_id = o.id AND ti.role = 'assigned' AND ti.user_id = $2
       WHERE t.id = $1 LIMIT 1`,
      [id, userId],
    );
    return !!row;
  }

  /** The TaskView of a task (null when unknown); `canRecord` for `userId`. */
  private async read(m: EntityManager, id: number, userId: number | null): Promise<TaskView | null> {
    const today = todayInShanghai();
    const [t]: Row[] = await m.query(
      `SELECT t.*, e.uscc, e.name AS enterprise_name, e.street, e.address, e.industry_code, e.status AS enterprise_status,
              e.entity_type, p.plan_no, p.version AS plan_version, p.title AS plan_title, b.seq AS batch_seq,
              b.name AS batch_name, ru.display_name AS recorded_by_name, ru.credential_no AS recorded_by_credential
       FROM inspection_task t JOIN enterprise e ON e.id = t.enterprise_id
       LEFT JOIN inspection_plan p ON p.id = t.plan_id LEFT JOIN inspection_batch b ON b.id = t.batch_id
       LEFT JOIN app_user ru ON ru.id = t.recorded_by
       WHERE t.id = $1`,
      [id],
    );
    if (!t) return null;
    const items = await this.itemsOf(m, [id]);
    const inspectors: Row[] = await m.query(
      `SELECT ti.user_id, ti.position, ti.role, u.display_name, u.credential_no, u.department
       FROM inspection_task_inspector ti JOIN app_user u ON u.id = ti.user_id
       WHERE ti.task_id = $1 ORDER BY ti.position`,
      [id],
    );
    const triggers: Row[] = await m.query(
      `SELECT id, kind, reason, source_ref, received_on FROM inspection_trigger WHERE task_id = $1 ORDER BY received_on, id`,
      [id],
    );
    const state: TaskForResult = {
      status: t.status as string,
      windowStart: t.window_start as string,
      assignedUserIds: inspectors.filter((i) => i.role === 'assigned').map((i) => Number(i.user_id)),
      codeRefusal: (await this.codes.resultState(m, id, userId, Date.now(), false)).refusal,
    };
    return {
      id,
      kind: t.kind as string,
      status: t.status as string,
      department: t.department as string,
      tier: (t.tier as string | null) ?? null,
      windowStart: t.window_start as string,
      windowEnd: t.window_end as string,
      overdue: isOverdue(t.status as string, t.window_end as string, today),
      enterprise: {
        uscc: t.uscc as string,
        name: t.enterprise_name as string,
        street: (t.street as string | null) ?? null,
        address: (t.address as string | null) ?? null,
        industryCode: (t.industry_code as string | null) ?? null,
        status: t.enterprise_status as string,
        statusLabel:
          STATUS_LABELS[t.enterprise_status as keyof typeof STATUS_LABELS] ?? String(t.enterprise_status),
        entityType: t.entity_type as string,
      },
      plan:
        t.plan_id === null
          ? null
          : {
              id: Number(t.plan_id),
              planNo: t.plan_no as string,
              version: Number(t.plan_version),
              title: t.plan_title as string,
            },
      batch:
        t.batch_id === null
          ? null
          : { id: Number(t.batch_id), seq: Number(t.batch_seq), name: t.batch_name as string },
      drawId: num(t.draw_id),
      items: items.get(id) ?? [],
      inspectors: inspectors.map((i) => ({
        userId: Number(i.user_id),
        displayName: i.display_name as string,
        credentialNo: (i.credential_no as string | null) ?? null,
        department: (i.department as string | null) ?? null,
        position: Number(i.position),
        role: i.role as string,
      })),
      triggers: triggers.map((r) => ({
        id: Number(r.id),
        kind: r.kind as string,
        reason: r.reason as string,
        sourceRef: (r.source_ref as string | null) ?? null,
        receivedOn: r.received_on as string,
      })),
      visit: t.visit_id === null ? null : await this.visitOf(m, Number(t.visit_id)),
      result:
        t.outcome === null
          ? null
          : {
              outcome: t.outcome as string,
              findings: (t.findings as { itemCode: string; finding: string }[] | null) ?? [],
              correctionDeadline: (t.correction_deadline as string | null) ?? null,
              note: (t.result_note as string | null) ?? null,
              recordedAt: iso(t.recorded_at)!,
              recordedBy:
                t.recorded_by === null
                  ? null
                  : {
                      userId: Number(t.recorded_by),
                      displayName: t.recorded_by_name as string,
                      credentialNo: (t.recorded_by_credential as string | null) ?? null,
                    },
              creditRecordId: num(t.credit_record_id),
            },
      cancelReason: (t.cancel_reason as string | null) ?? null,
      createdAt: iso(t.created_at)!,
      canRecord: resultRefusal(state, userId, today) === null,
    };
  }

  /** The items of some tasks, with legal basis and requirements, by task id (items by code). */
  private async itemsOf(m: EntityManager, taskIds: number[]): Promise<Map<number, TaskView['items']>> {
    const rows: Row[] = await m.query(
      `SELECT x.task_id, i.id, i.code, i.name, i.department, i.legal_basis, i.check_method, i.requirements
       FROM inspection_task_item x JOIN inspection_item i ON i.id = x.item_id
       WHERE x.task_id = ANY($1) ORDER BY i.code`,
      [taskIds],
    );
    const out = new Map<number, TaskView['items']>();
    for (const r of rows) {
      const list = out.get(Number(r.task_id)) ?? [];
      list.push({
        id: Number(r.id),
        code: r.code as string,
        name: r.name as string,
        department: r.department as string,
        legalBasis: r.legal_basis as string,
        checkMethod: r.check_method as string,
        requirements: r.requirements as string[],
      });
      out.set(Number(r.task_id), list);
    }
    return out;
  }

  /** A joint visit with its tasks and combined checklist (tasks carrying its visit_id). */
  private async visitOf(m: EntityManager, visitId: number): Promise<TaskVisitView | null> {
    const [v]: Row[] = await m.query(`SELECT * FROM joint_visit WHERE id = $1`, [visitId]);
    if (!v) return null;
    const tasks: Row[] = await m.query(
      `SELECT t.id, t.department, t.kind, t.status,
         (SELECT coalesce(json_agg(json_build_object('userId', u.id, 'displayName', u.display_name,
                   'credentialNo', u.credential_no) ORDER BY ti.position), '[]')
            FROM inspection_task_inspector ti JOIN app_user u ON u.id = ti.user_id
            WHERE ti.task_id = t.id AND ti.role = 'assigned') AS inspectors
       FROM inspection_task t WHERE t.visit_id = $1 ORDER BY t.id`,
      [visitId],
    );
    const items = await this.itemsOf(
      m,
      tasks.map((t) => Number(t.id)),
    );
    const visitTasks = tasks.map((t) => ({
      id: Number(t.id),
      department: t.department as string,
      kind: t.kind as string,
      status: t.status as string,
      inspectors: (t.inspectors as TaskVisitView['tasks'][number]['inspectors']).map((i) => ({
        ...i,
        userId: Number(i.userId),
      })),
      items: items.get(Number(t.id)) ?? [],
    }));
    // cancelled and replaced tasks take no part: their items are not checked
    const live = visitTasks.filter((t) => t.status !== 'cancelled' && t.status !== 'replaced');
    const checklist = combinedChecklist(
      live.map((t) => ({ id: t.id, department: t.department, itemIds: t.items.map((i) => i.id) })),
      [...new Map(live.flatMap((t) => t.items.map((i) => [i.id, i] as const))).values()] as ChecklistItem[],
      v.lead_department as string,
    ).entries.map((e) => ({ ...e, checkMethod: e.checkMethod as string, requirements: [...e.requirements] }));
    return {
      id: visitId,
      leadDepartment: v.lead_department as string,
      status: v.status as string,
      windowStart: v.window_start as string,
      windowEnd: v.window_end as string,
      joint: visitTasks.filter((t) => t.status !== 'cancelled' && t.status !== 'replaced').length > 1,
      tasks: visitTasks.map(({ items: _items, ...rest }) => rest),
      checklist,
    };
  }
}
