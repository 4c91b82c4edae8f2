import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { ScopeService } from '../../auth/scope.service.js';
import { addDays } from '../../common/calendar-days.js';
import { todayInShanghai } from '../../common/clock.js';
import { UsccError } from '../../common/uscc.js';
import { registeredUscc } from '../../enterprises/registered-uscc.js';
import { FieldProblem, unprocessable } from '../../http/api-errors.js';
import { SettingsService } from '../../settings/settings.service.js';
import { assignInspectors, InspectorShortfallError } from '../rules/inspector-assignment.js';
import { inspectableStatus } from '../rules/item-applicability.js';
import { eventTaskWindow, mergeTarget, OPEN_TASK_STATUSES } from '../rules/trigger-merge.js';
import { VisitsService } from '../visits/visits.service.js';
import type {
  AcceptedTriggerView,
  AcceptTriggerDto,
  CreateTriggerDto,
  DismissTriggerDto,
  TriggerListQuery,
  TriggerPageView,
  TriggerTaskView,
  TriggerView,
} from './dto/trigger.dto.js';
import type { ItemRef } from '../visits/dto/visit.dto.js';

type Queryable = Pick<EntityManager, 'query'>;

/** Inspectors per event task (domain.md 5.1: at least 2). */
const INSPECTORS_PER_TASK = 2;
const OPEN = `(${OPEN_TASK_STATUSES.map((s) => `'${s}'`).join(',')})`;

const TRIGGER_SELECT = `
  SELECT g.id, g.kind, g.reason, g.source_ref, g.department, g.received_on, g.status, g.proposed_at, g.decided_at,
    g.dismissal_reason, g.task_id, e.uscc, e.name AS enterprise_name,
    pu.id AS proposed_by_id, pu.display_name AS proposed_by_name, du.id AS decided_by_id, du.display_name AS decided_by_name,
    coalesce((SELECT json_agg(json_build_object('id', i.id, 'code', i.code, 'name', i.name) ORDER BY i.code)
      FROM inspection_item i WHERE i.id = ANY(g.item_ids)), '[]') AS items,
    CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object(
      'id', t.id, 'status', t.status, 'department', t.department, 'windowStart', t.window_start,
      'windowEnd', t.window_end, 'visitId', t.visit_id,
      'items', coalesce((SELECT json_agg(json_build_object('id', i.id, 'code', i.code, 'name', i.name) ORDER BY i.code)
        FROM inspection_task_item ti JOIN inspection_item i ON i.id = ti.item_id WHERE ti.task_id = t.id), '[]'),
      'inspectors', coalesce((SELECT json_agg(json_build_object('userId', u.id, 'displayName', u.display_name,
          'credentialNo', u.credential_no, 'department', u.department) ORDER BY ii.position)
        FROM inspection_task_inspector ii JOIN app_user u ON u.id = ii.user_id
        WHERE ii.task_id = t.id AND ii.role = 'assigned'), '[]'),
      'triggers', (SELECT count(*) FROM inspection_trigger x WHERE x.task_id = t.id)) END AS task
  FROM inspection_trigger g
  JOIN enterprise e ON e.id = g.enterprise_id
  LEFT JOIN app_user pu ON pu.id = g.proposed_by
  LEFT JOIN app_user du ON du.id = g.decided_by
  LEFT JOIN inspection_task t ON t.id = g.task_id`;

function triggerView(r: Record<string, unknown>): TriggerView {
  type Task = Omit<TriggerTaskView, 'id' | 'visitId'> & {
    id: string | number;
    visitId: string | number | null;
  };
  const task = r.task as Task | null;
  return {
    id: Number(r.id),
    enterprise: { uscc: r.uscc as string, name: r.enterprise_name as string },
    kind: r.kind as string,
    reason: r.reason as string,
    sourceRef: (r.source_ref as string | null) ?? null,
    department: r.department as string,
    items: (r.items as ItemRef[]).map((i) => ({ ...i, id: Number(i.id) })),
    receivedOn: r.received_on as string,
    status: r.status as string,
    proposedBy:
      r.proposed_by_id === null
        ? null
        : { userId: Number(r.proposed_by_id), displayName: r.proposed_by_name as string },
    proposedAt: new Date(r.proposed_at as string).toISOString(),
    decidedBy:
      r.decided_by_id === null
        ? null
        : { userId: Number(r.decided_by_id), displayName: r.decided_by_name as string },
    decidedAt: r.decided_at === null ? null : new Date(r.decided_at as string).toISOString(),
    dismissalReason: (r.dismissal_reason as string | null) ?? null,
    task: task
      ? {
          ...task,
          id: Number(task.id),
          visitId: task.visitId === null ? null : Number(task.visitId),
          items: task.items.map((i) => ({ ...i, id: Number(i.id) })),
          inspectors: task.inspectors.map((i) => ({ ...i, userId: Number(i.userId) })),
          triggers: Number(task.triggers),
        }
      : null,
  };
}

/**
 * Event-triggered checks (事件触发式检查; issue 11, domain.md 5.2): a complaint, report, referral,
 * data alert or legal requirement proposes a check of an enterprise with its reason, whatever its
 * tier and outside the yearly caps; a regulator of the trigger's department accepts it (a task
 * with inspectors drawn by `assignInspectors`, or the trigger joins an open event task of the same
 * enterprise and department within the merge window: inspections/rules/trigger-merge.ts) or
 * dismisses it with a reason. Every change audited in its transaction.
 */
/**
 * Oldest a trigger's receipt may be, calendar days: a violation not discovered within two years is
 * no longer punished (行政处罚法 art. 36), so an older complaint or referral proposes no check.
 */
export const TRIGGER_RECEIVED_MAX_AGE_DAYS = 730;

@Injectable()
export class TriggersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly visits: VisitsService,
    private readonly settings: SettingsService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * Proposes a check (status proposed), audited `inspection_trigger.create`. Any regulator may
   * propose to any department (a referral 转办 to the department concerned); the CLI as well.
   * @throws 422 naming each field at fault: `enterpriseUscc` (invalid, not in the register, not in
   *   business: deregistered, revoked or moved out), `receivedOn` (after today), `itemCodes[i]`
   *   (unknown, inactive or of another department, repeated)
   */
  async create(dto: CreateTriggerDto, actor: Actor): Promise<TriggerView> {
    return this.dataSource.transaction(async (m) => {
      const problems: FieldProblem[] = [];
      const enterprise = await this.enterpriseOf(m, dto.enterpriseUscc, problems);
      if (!dto.reason.trim()) problems.push({ field: 'reason', reason: 'must not be blank (only spaces)' });
      const today = todayInShanghai();
      const earliest = addDays(today, -TRIGGER_RECEIVED_MAX_AGE_DAYS);
      if (dto.receivedOn > today)
        problems.push({ field: 'receivedOn', reason: `${dto.receivedOn} is after today (${today})` });
      else if (dto.receivedOn < earliest)
        problems.push({
          field: 'receivedOn',
          reason: `${dto.receivedOn} is more than two years ago (earliest ${earliest}): a violation not found within two years is not punished (行政处罚法 art. 36)`,
        });
      const items = await this.itemsOf(m, dto.itemCodes ?? [], dto.department, problems);
      if (problems.length) throw unprocessable(problems);
      const [row] = await m.query(
        `INSERT INTO inspection_trigger (enterprise_id, kind, reason, source_ref, department, item_ids, received_on, proposed_by)
         VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7, $8) RETURNING id`,
        [
          enterprise!.id,
          dto.kind,
          dto.reason.trim(),
          dto.sourceRef?.trim() || null,
          dto.department,
          items.map((i) => i.id),
          dto.receivedOn,
          actor.userId,
        ],
      );
      const id = Number(row.id);
      const view = await this.read(m, id);
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_trigger.create',
        entityType: 'inspection_trigger',
        entityId: id,
        after: {
          enterprise: enterprise!.uscc,
          kind: dto.kind,
          reason: view.reason,
          sourceRef: view.sourceRef,
          department: dto.department,
          itemCodes: items.map((i) => i.code),
          receivedOn: dto.receivedOn,
        },
      });
      return view;
    });
  }

  /** Triggers, newest proposal first, one page, filtered by status, department, enterprise, task. */
  async list(q: TriggerListQuery): Promise<TriggerPageView> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (q.status) where.push(`g.status = ${p(q.status)}`);
    if (q.department) where.push(`g.department = ${p(q.department)}`);
    if (q.uscc) where.push(`e.uscc = ${p(q.uscc.trim().toUpperCase())}`);
    if (q.taskId) where.push(`g.task_id = ${p(q.taskId)}`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_trigger g JOIN enterprise e ON e.id = g.enterprise_id ${cond}`,
      params,
    );
    const rows = await this.dataSource.query(
      `${TRIGGER_SELECT} ${cond} ORDER BY g.proposed_at DESC, g.id DESC LIMIT ${p(q.pageSize)} OFFSET ${p((q.page - 1) * q.pageSize)}`,
      params,
    );
    return { items: rows.map(triggerView), total, page: q.page, pageSize: q.pageSize };
  }

  /** One trigger. @throws NotFoundException unknown id */
  one(id: number): Promise<TriggerView> {
    return this.read(this.dataSource, id);
  }

  private async read(m: Queryable, id: number): Promise<TriggerView> {
    const [row] = await m.query(`${TRIGGER_SELECT} WHERE g.id = $1`, [id]);
    if (!row) throw new NotFoundException(`trigger ${id} does not exist`);
    return triggerView(row);
  }

  /**
   * Accepts a proposed trigger. In one transaction, serialised with every regrouping (advisory
   * lock `joint_visit.regroup`): the items (the body's or the trigger's: active items of the
   * trigger's department, at least one); then either the trigger joins the open event task of the
   * same enterprise and department whose first trigger was received within triggerMergeWindowDays
   * (`mergeTarget`): the task gains the trigger's items and keeps its window; its inspectors stay
   * when qualified for every item, else are drawn again (the earlier ones recorded `withdrawn`);
   * or a new event task: window `eventTaskWindow(today, windowDays ?? eventTaskWindowDays)`, the
   * enterprise's tier now, two inspectors of the department on the roster and qualified for every
   * item, drawn by `assignInspectors` (recusal honoured, skipped ones recorded) with a seed of 32
   * random bytes (hex, kept in assignment_seed) and the open assigned tasks as load. Then the
   * enterprise's open tasks are regrouped into visits (VisitsService.regroup). Audited
   * `inspection_trigger.accept` (and `inspection_task.create` for a new task).
   * @throws NotFoundException unknown trigger
   * @throws ForbiddenException (403, audited `access.denied`) a regulator of another department
   * @throws ConflictException (409) the trigger is not proposed any more; the enterprise is no longer in business
   * @throws 422 `itemCodes` / `itemCodes[i]` (none, unknown, inactive, other department), `inspectors`
   *   (too few qualified inspectors: the department, needed and available)
   */
  async accept(id: number, dto: AcceptTriggerDto, actor: Actor): Promise<AcceptedTriggerView> {
    await this.mayDecide(id, actor, 'accept');
    const settings = await this.settings.get();
    const result = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('joint_visit.regroup'))`);
      const trigger = await this.lockProposed(m, id);
      const [enterprise] = await m.query(`SELECT id, uscc, status FROM enterprise WHERE id = $1`, [
        trigger.enterprise_id,
      ]);
      if (!inspectableStatus(enterprise.status))
        throw new ConflictException(
          `enterprise ${enterprise.uscc} is ${enterprise.status}: it cannot be inspected; dismiss the trigger with that reason`,
        );
      const problems: FieldProblem[] = [];
      const codes =
        dto.itemCodes ??
        (
          await m.query(`SELECT code FROM inspection_item WHERE id = ANY($1::bigint[]) ORDER BY code`, [
            trigger.item_ids,
          ])
        ).map((r: { code: string }) => r.code);
      const items = await this.itemsOf(m, codes, trigger.department, problems);
      if (!codes.length)
        problems.push({
          field: 'itemCodes',
          reason: 'give at least one item to check (the trigger names none)',
        });
      if (problems.length) throw unprocessable(problems);
      const itemIds = items.map((i) => i.id);

      const open: { id: string; status: string; first: string }[] = await m.query(
        `SELECT t.id, t.status, min(g.received_on)::text AS first
         FROM inspection_task t JOIN inspection_trigger g ON g.task_id = t.id
         WHERE t.enterprise_id = $1 AND t.department = $2 AND t.kind = 'event' AND t.status IN ${OPEN}
         GROUP BY t.id`,
        [trigger.enterprise_id, trigger.department],
      );
      const joinId = mergeTarget(
        {
          enterpriseId: Number(trigger.enterprise_id),
          department: trigger.department,
          receivedOn: trigger.received_on,
        },
        open.map((t) => ({
          id: Number(t.id),
          enterpriseId: Number(trigger.enterprise_id),
          department: trigger.department,
          status: t.status,
          firstReceivedOn: t.first,
        })),
        settings.triggerMergeWindowDays,
      );
      let taskId: number;
      let staffing: {
        seed: string;
        inspectors: number[];
        skipped: { userId: number; recusalId: number }[];
      } | null;
      if (joinId !== null) {
        taskId = joinId;
        await m.query(
          `INSERT INTO inspection_task_item (task_id, item_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
          [taskId, itemIds],
        );
        staffing = await this.restaffIfNeeded(m, taskId, enterprise.uscc);
      } else {
        const window = eventTaskWindow(todayInShanghai(), dto.windowDays ?? settings.eventTaskWindowDays);
        const seed = randomBytes(32).toString('hex');
        const staffed = await this.staff(
          m,
          Number(enterprise.id),
          enterprise.uscc,
          trigger.department,
          itemIds,
          seed,
        );
        const [tier] = await m.query(`SELECT tier FROM credit_score WHERE enterprise_id = $1`, [
          enterprise.id,
        ]);
        const [task] = await m.query(
          `INSERT INTO inspection_task (kind, enterprise_id, department, tier, window_start, window_end, assignment_seed, created_by)
           VALUES ('event', $1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [
            enterprise.id,
            trigger.department,
            tier?.tier ?? null,
            window.windowStart,
            window.windowEnd,
            seed,
            actor.userId,
          ],
        );
        taskId = Number(task.id);
        await m.query(`INSERT INTO inspection_task_item (task_id, item_id) SELECT $1, unnest($2::bigint[])`, [
          taskId,
          itemIds,
        ]);
        await this.writeInspectors(m, taskId, staffed.inspectors, staffed.skipped);
        staffing = { seed, ...staffed };
      }
      await m.query(
        `UPDATE inspection_trigger SET status = 'accepted', decided_by = $2, decided_at = now(), task_id = $3, item_ids = $4::bigint[]
         WHERE id = $1`,
        [id, actor.userId, taskId, itemIds],
      );
      await this.visits.regroup(m, [Number(enterprise.id)]);
      const view = await this.read(m, id);
      if (joinId === null)
        await appendAudit(sqlOf(m), actor, {
          action: 'inspection_task.create',
          entityType: 'inspection_task',
          entityId: taskId,
          after: {
            kind: 'event',
            enterprise: enterprise.uscc,
            department: trigger.department,
            itemCodes: items.map((i) => i.code),
            windowStart: view.task!.windowStart,
            windowEnd: view.task!.windowEnd,
            assignmentSeed: staffing!.seed,
            inspectors: staffing!.inspectors,
            skippedForRecusal: staffing!.skipped,
            trigger: id,
          },
        });
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_trigger.accept',
        entityType: 'inspection_trigger',
        entityId: id,
        before: { status: 'proposed' },
        after: {
          status: 'accepted',
          taskId,
          joinedExisting: joinId !== null,
          itemCodes: items.map((i) => i.code),
          visitId: view.task!.visitId,
          ...(joinId !== null && staffing ? { restaffed: staffing } : {}),
        },
      });
      return { ...view, joinedExisting: joinId !== null };
    });
    return result;
  }

  /**
   * Dismisses a proposed trigger with the reason, audited `inspection_trigger.dismiss`.
   * @throws NotFoundException unknown; ForbiddenException (403, audited) another department's;
   *   ConflictException (409) not proposed any more
   */
  async dismiss(id: number, dto: DismissTriggerDto, actor: Actor): Promise<TriggerView> {
    if (!dto.reason.trim())
      throw unprocessable([{ field: 'reason', reason: 'must not be blank (only spaces)' }]);
    await this.mayDecide(id, actor, 'dismiss');
    return this.dataSource.transaction(async (m) => {
      await this.lockProposed(m, id);
      await m.query(
        `UPDATE inspection_trigger SET status = 'dismissed', decided_by = $2, decided_at = now(), dismissal_reason = $3 WHERE id = $1`,
        [id, actor.userId, dto.reason.trim()],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_trigger.dismiss',
        entityType: 'inspection_trigger',
        entityId: id,
        before: { status: 'proposed' },
        after: { status: 'dismissed', reason: dto.reason.trim() },
      });
      return this.read(m, id);
    });
  }

  /** A regulator decides the triggers of its own department only (admins and the CLI any). */
  private async mayDecide(id: number, actor: Actor, what: string): Promise<void> {
    const [row] = await this.dataSource.query(`SELECT department FROM inspection_trigger WHERE id = $1`, [
      id,
    ]);
    if (!row) throw new NotFoundException(`trigger ${id} does not exist`);
    if (actor.role !== 'regulator' || actor.department === row.department) return;
    const reason = `a regulator of ${actor.department} may not ${what} trigger ${id} of department ${row.department}: its regulators decide`;
    await this.scope.deny(actor, 'inspection_trigger', String(id), reason);
    throw new ForbiddenException(reason);
  }

  private async lockProposed(
    m: EntityManager,
    id: number,
  ): Promise<{
    enterprise_id: string;
    department: string;
    received_on: string;
    item_ids: string[];
    status: string;
  }> {
    const [t] = await m.query(
      `SELECT enterprise_id, department, received_on, item_ids, status FROM inspection_trigger WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!t) throw new NotFoundException(`trigger ${id} does not exist`);
    if (t.status !== 'proposed') throw new ConflictException(`trigger ${id} is already ${t.status}`);
    return t;
  }

  /** The enterprise named by a USCC, or a problem on `enterpriseUscc`. */
  private async enterpriseOf(
    m: Queryable,
    input: string,
    problems: FieldProblem[],
  ): Promise<{ id: number; uscc: string } | null> {
    let uscc: string;
    try {
      uscc = await registeredUscc((sql, params) => m.query(sql, params), input);
    } catch (e) {
      if (e instanceof UsccError) {
        problems.push({ field: 'enterpriseUscc', reason: e.message });
        return null;
      }
      throw e;
    }
    const [row] = await m.query(`SELECT id, status FROM enterprise WHERE uscc = $1`, [uscc]);
    if (!row) {
      problems.push({ field: 'enterpriseUscc', reason: `${uscc} is not in the register` });
      return null;
    }
    if (!inspectableStatus(row.status)) {
      problems.push({ field: 'enterpriseUscc', reason: `${uscc} is ${row.status}: it cannot be inspected` });
      return null;
    }
    return { id: Number(row.id), uscc };
  }

  /** The active items of `department` named by `codes`, or a problem per code at fault (`itemCodes[i]`). */
  private async itemsOf(
    m: Queryable,
    codes: readonly string[],
    department: string,
    problems: FieldProblem[],
  ): Promise<{ id: number; code: string }[]> {
    const trimmed = codes.map((c) => c.trim());
    const rows: { id: string; code: string; department: string; active: boolean }[] = trimmed.length
      ? await m.query(
          `SELECT id, code, department, active FROM inspection_item WHERE code = ANY($1::text[])`,
          [trimmed],
        )
      : [];
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const out: { id: number; code: string }[] = [];
    trimmed.forEach((code, i) => {
      const field = `itemCodes[${i}]`;
      const r = byCode.get(code);
      if (trimmed.indexOf(code) !== i) problems.push({ field, reason: `${code} is given twice` });
      else if (!r) problems.push({ field, reason: `${code} is not in the item list` });
      else if (!r.active) problems.push({ field, reason: `${code} is not active` });
      else if (r.department !== department)
        problems.push({ field, reason: `${code} is an item of ${r.department}, not of ${department}` });
      else out.push({ id: Number(r.id), code });
    });
    return out;
  }

  /**
   * Draws the inspectors of one event task of `department` with `itemIds` (assignInspectors: on
   * the roster, active accounts, qualified for every item; approved recusals; the open assigned
   * tasks as load).
   * @throws 422 `inspectors` on a shortfall (department, needed, available)
   */
  private async staff(
    m: Queryable,
    enterpriseId: number,
    uscc: string,
    department: string,
    itemIds: readonly number[],
    seed: string,
  ): Promise<{ inspectors: number[]; skipped: { userId: number; recusalId: number }[] }> {
    const inspectors: { id: string; item_ids: string[] }[] = await m.query(
      `SELECT u.id, coalesce(array_agg(q.item_id) FILTER (WHERE q.item_id IS NOT NULL), '{}') AS item_ids
       FROM app_user u JOIN inspector_profile p ON p.user_id = u.id
       LEFT JOIN inspector_qualification q ON q.user_id = u.id
       WHERE u.role = 'inspector' AND u.deleted_at IS NULL AND u.active AND p.on_roster AND u.department = $1
       GROUP BY u.id`,
      [department],
    );
    const recusals: { id: string; inspector_id: string }[] = await m.query(
      `SELECT id, inspector_id FROM recusal WHERE enterprise_id = $1 AND status = 'approved'`,
      [enterpriseId],
    );
    const load: { user_id: string; n: number }[] = inspectors.length
      ? await m.query(
          `SELECT ii.user_id, count(*)::int AS n FROM inspection_task_inspector ii JOIN inspection_task t ON t.id = ii.task_id
           WHERE ii.role = 'assigned' AND t.status IN ${OPEN} AND ii.user_id = ANY($1::bigint[]) GROUP BY ii.user_id`,
          [inspectors.map((i) => i.id)],
        )
      : [];
    try {
      const [staffed] = assignInspectors(
        [{ key: `${uscc}|${department}`, enterpriseId, department, itemIds }],
        inspectors.map((i) => ({ userId: Number(i.id), department, itemIds: i.item_ids.map(Number) })),
        recusals.map((r) => ({ id: Number(r.id), inspectorId: Number(r.inspector_id), enterpriseId })),
        seed,
        INSPECTORS_PER_TASK,
        new Map(load.map((l) => [Number(l.user_id), l.n])),
      );
      return { inspectors: staffed!.inspectors, skipped: staffed!.skipped };
    } catch (e) {
      if (e instanceof InspectorShortfallError)
        throw unprocessable(
          e.shortfalls.map((s) => ({
            field: 'inspectors',
            reason: `department ${s.department} has ${s.available} inspector(s) on the roster qualified for every item of the task and free of recusal; ${s.needed} are needed`,
          })),
        );
      throw e;
    }
  }

  /** Records a task's inspectors: the assigned in order (position 1...), then the ones skipped for recusal. */
  private async writeInspectors(
    m: Queryable,
    taskId: number,
    assigned: readonly number[],
    skipped: readonly { userId: number; recusalId: number }[],
  ): Promise<void> {
    const users = [...assigned, ...skipped.map((s) => s.userId)];
    await m.query(
      `INSERT INTO inspection_task_inspector (task_id, user_id, position, role, recusal_id)
       SELECT $1, u, p, r, rc FROM unnest($2::bigint[], $3::int[], $4::text[], $5::bigint[]) AS x(u, p, r, rc)
       ON CONFLICT (task_id, user_id) DO UPDATE SET position = EXCLUDED.position, role = EXCLUDED.role, recusal_id = EXCLUDED.recusal_id`,
      [
        taskId,
        users,
        users.map((_, i) => i + 1),
        [...assigned.map(() => 'assigned'), ...skipped.map(() => 'skipped_recusal')],
        [...assigned.map(() => null), ...skipped.map((s) => s.recusalId)],
      ],
    );
  }

  /**
   * An approved recusal (回避) takes effect on work already assigned: every open task (assigned,
   * in progress) of `enterpriseId` on which `inspectorId` is assigned is staffed again with a new
   * recorded seed (assignInspectors honours the approved recusal: the inspector is recorded
   * skipped, another one taken), the earlier inspectors recorded `withdrawn`. In the caller's
   * transaction (the recusal's review).
   * @returns the tasks staffed again
   * @throws 422 `inspectors` when a task would be left without enough qualified inspectors
   */
  async restaffAfterRecusal(m: Queryable, enterpriseId: number, inspectorId: number): Promise<number[]> {
    // the tasks are locked first (a result recorded meanwhile waits, then finds the new staffing)
    await m.query(
      `SELECT t.id FROM inspection_task t WHERE t.enterprise_id = $1 AND t.status IN ${OPEN} AND EXISTS (
         SELECT 1 FROM inspection_task_inspector ii WHERE ii.task_id = t.id AND ii.user_id = $2 AND ii.role = 'assigned')
       ORDER BY t.id FOR UPDATE`,
      [enterpriseId, inspectorId],
    );
    const tasks: { id: string; department: string; uscc: string; item_ids: string[] }[] = await m.query(
      `SELECT t.id, t.department, e.uscc, array_agg(x.item_id) AS item_ids
       FROM inspection_task t JOIN enterprise e ON e.id = t.enterprise_id
       JOIN inspection_task_item x ON x.task_id = t.id
       WHERE t.enterprise_id = $1 AND t.status IN ${OPEN} AND EXISTS (
         SELECT 1 FROM inspection_task_inspector ii WHERE ii.task_id = t.id AND ii.user_id = $2 AND ii.role = 'assigned')
       GROUP BY t.id, e.uscc ORDER BY t.id`,
      [enterpriseId, inspectorId],
    );
    for (const t of tasks) {
      const taskId = Number(t.id);
      const seed = randomBytes(32).toString('hex');
      await m.query(
        `UPDATE inspection_task_inspector SET role = 'withdrawn', recusal_id = NULL WHERE task_id = $1`,
        [taskId],
      );
      const staffed = await this.staff(m, enterpriseId, t.uscc, t.department, t.item_ids.map(Number), seed);
      await m.query(`UPDATE inspection_task SET assignment_seed = $2, updated_at = now() WHERE id = $1`, [
        taskId,
        seed,
      ]);
      await this.writeInspectors(m, taskId, staffed.inspectors, staffed.skipped);
    }
    return tasks.map((t) => Number(t.id));
  }

  /**
   * After a trigger joined a task with new items: keeps the assigned inspectors when each is
   * qualified for every item of the task; else draws them again with a new seed (recorded in
   * assignment_seed), the earlier ones not drawn again recorded `withdrawn`.
   * @returns the new staffing, or null when it stays
   */
  private async restaffIfNeeded(
    m: Queryable,
    taskId: number,
    uscc: string,
  ): Promise<{
    seed: string;
    inspectors: number[];
    skipped: { userId: number; recusalId: number }[];
  } | null> {
    const [task] = await m.query(
      `SELECT t.enterprise_id, t.department, array_agg(ti.item_id) AS item_ids,
         (SELECT count(*)::int FROM inspection_task_inspector ii WHERE ii.task_id = t.id AND ii.role = 'assigned'
            AND EXISTS (SELECT 1 FROM inspection_task_item x WHERE x.task_id = t.id AND NOT EXISTS (
              SELECT 1 FROM inspector_qualification q WHERE q.user_id = ii.user_id AND q.item_id = x.item_id))) AS unqualified
       FROM inspection_task t JOIN inspection_task_item ti ON ti.task_id = t.id WHERE t.id = $1 GROUP BY t.id`,
      [taskId],
    );
    if (task.unqualified === 0) return null;
    const seed = randomBytes(32).toString('hex');
    const itemIds = (task.item_ids as string[]).map(Number);
    // the task's own inspectors are not its load
    await m.query(
      `UPDATE inspection_task_inspector SET role = 'withdrawn', recusal_id = NULL WHERE task_id = $1`,
      [taskId],
    );
    const staffed = await this.staff(m, Number(task.enterprise_id), uscc, task.department, itemIds, seed);
    await m.query(`UPDATE inspection_task SET assignment_seed = $2, updated_at = now() WHERE id = $1`, [
      taskId,
      seed,
    ]);
    // the new staffing takes positions 1.. again (a withdrawn inspector drawn again is assigned anew)
    await this.writeInspectors(m, taskId, staffed.inspectors, staffed.skipped);
    return { seed, ...staffed };
  }
}
