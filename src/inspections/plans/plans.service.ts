import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { departmentName, INSPECTING_DEPARTMENTS } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { ScorecardVersionsService } from '../../credit/scorecard-versions.service.js';
import { unprocessable } from '../../http/api-errors.js';
import type {
  PlanBatchView,
  PlanFormOptionsView,
  PlanItemView,
  PlanStatus,
  PlanSummaryView,
  PlanTierView,
  PlanView,
} from './dto/plan.dto.js';
import {
  checkPlan,
  defaultTierPolicy,
  isLate,
  planNumber,
  type PlanContext,
  type PlanInput,
} from './rules/plan-policy.js';

/** Departments that may lead or join a plan (roles.ts INSPECTING_DEPARTMENTS). */
export const PLAN_DEPARTMENTS = INSPECTING_DEPARTMENTS;

/** Serialises the numbering of new plans (`<year>-<lead>-<seq>`). */
const PLAN_NO_LOCK = 'inspection_plan_no';

/** Filters of the staff list. */
export interface PlanFilters {
  year?: number;
  status?: PlanStatus;
  department?: string;
}

/**
 * Runs `work` and turns the plan-frozen trigger's refusal (SQLSTATE P0001: a published plan, its
 * items, tiers and batches never change) into a 409, never a 500.
 */
async function frozenAs409<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const code =
      (e as { driverError?: { code?: string }; code?: string })?.driverError?.code ??
      (e as { code?: string })?.code;
    if (code === 'P0001') throw new ConflictException((e as Error).message);
    throw e;
  }
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const SUMMARY_COLUMNS = `p.id, p.plan_no, p.version, p.replaces_id, p.year, p.title, p.lead_department,
  p.joint_departments, p.scope, p.status, p.published_at, p.late, p.created_at, p.created_by,
  (SELECT count(*)::int FROM inspection_plan_item pi WHERE pi.plan_id = p.id) AS item_count,
  (SELECT count(*)::int FROM inspection_batch b WHERE b.plan_id = p.id) AS batch_count,
  (SELECT s.id FROM inspection_plan s WHERE s.replaces_id = p.id AND s.status <> 'draft' LIMIT 1) AS superseded_by_id`;

function summaryOf(r: Record<string, unknown>): PlanSummaryView {
  return {
    id: Number(r.id),
    planNo: r.plan_no as string,
    version: r.version as number,
    replacesId: r.replaces_id === null ? null : Number(r.replaces_id),
    year: r.year as number,
    title: r.title as string,
    leadDepartment: r.lead_department as string,
    jointDepartments: r.joint_departments as string[],
    status: r.status as PlanStatus,
    publishedAt: iso(r.published_at),
    late: (r.late as boolean | null) ?? null,
    itemCount: r.item_count as number,
    batchCount: r.batch_count as number,
    createdAt: iso(r.created_at)!,
  };
}

/**
 * Annual random-check plans (年度抽查计划, domain.md 5.1-5.2; issue 11 "Annual plans and sampling
 * policy"): drafts, publication (immutable from then on: the database's trigger
 * inspection_plan_frozen holds it), versions that replace a published plan, and the reads the
 * staff pages, the CLI, the draw and the public pages use.
 *
 * Who may change a plan: a regulator the plans its own department leads (created as lead, edited,
 * deleted, published, versioned); an admin or the CLI (system) any. Others: 403, audited
 * `access.denied`. Every change writes its audit entry (`inspection_plan.*`) in its own
 * transaction.
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scorecards: ScorecardVersionsService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The district's full name of a department (杨浦区市场监督管理局). */
  departmentName(code: string): string {
    return departmentName(this.config.DISTRICT_NAME, code);
  }

  /** What the rules need: the active scorecard's tiers, the departments, the item list. */
  async context(m: EntityManager = this.dataSource.manager): Promise<PlanContext> {
    const card = await this.scorecards.activeScorecard(m);
    const rows: { code: string; department: string; active: boolean }[] = await m.query(
      `SELECT code, department, active FROM inspection_item`,
    );
    return {
      tiers: card.tiers.map((t) => t.tier),
      departments: PLAN_DEPARTMENTS,
      items: new Map(rows.map((r) => [r.code, { department: r.department, active: r.active }])),
      thisYear: Number(todayInShanghai().slice(0, 4)),
    };
  }

  /** The plan editor's choices: tiers with labels and the default policy, departments, active items. */
  async formOptions(): Promise<PlanFormOptionsView> {
    const card = await this.scorecards.activeScorecard();
    const defaults = defaultTierPolicy(card.tiers.map((t) => t.tier));
    const items = await this.dataSource.query(
      `SELECT id, code, name, department, check_method, full_coverage FROM inspection_item
       WHERE active ORDER BY department, code`,
    );
    return {
      tiers: card.tiers.map((t, i) => ({ ...defaults[i]!, label: t.label.zh })),
      departments: PLAN_DEPARTMENTS.map((code) => ({ code, name: this.departmentName(code) })),
      items: items.map(itemOf),
    };
  }

  /**
   * Refuses (403, logged and audited `access.denied`) a regulator acting on a plan its department
   * does not lead; admins and the system pass; any other role is refused.
   * @throws ForbiddenException naming the department that may
   */
  private async mayChange(actor: Actor, lead: string, planId: number | null, what: string): Promise<void> {
    if (actor.role === 'admin' || actor.role === 'system') return;
    if (actor.role === 'regulator' && actor.department === lead) return;
    const reason =
      actor.role === 'regulator'
        ? `a regulator of ${actor.department} may ${what} only plans its own department leads, not one led by ${lead}`
        : `role ${actor.role} may not ${what} plans`;
    await this.scope.deny(actor, 'inspection_plan', planId === null ? null : String(planId), reason);
    throw new ForbiddenException(reason);
  }

  /**
   * Staff list, newest year first then plan number and version, one page.
   * @returns the page and how many match
   */
  async list(
    filters: PlanFilters,
    page: number,
    pageSize: number,
  ): Promise<{ items: PlanSummaryView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.year !== undefined) where.push(`p.year = $${params.push(filters.year)}`);
    if (filters.status !== undefined) where.push(`p.status = $${params.push(filters.status)}`);
    if (filters.department !== undefined) {
      const n = params.push(filters.department);
      where.push(`(p.lead_department = $${n} OR $${n} = ANY(p.joint_departments))`);
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_plan p ${cond}`,
      params,
    );
    const rows = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM inspection_plan p ${cond}
       ORDER BY p.year DESC, p.plan_no, p.version DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map(summaryOf), total };
  }

  /** One plan with items, tiers, batches (and each batch's draw). @throws NotFoundException unknown id */
  async one(id: number, m: EntityManager = this.dataSource.manager): Promise<PlanView> {
    const [r] = await m.query(
      `SELECT ${SUMMARY_COLUMNS}, u.username, u.display_name
       FROM inspection_plan p LEFT JOIN app_user u ON u.id = p.created_by WHERE p.id = $1`,
      [id],
    );
    if (!r) throw new NotFoundException(`plan ${id} does not exist`);
    const items = await m.query(
      `SELECT i.id, i.code, i.name, i.department, i.check_method, i.full_coverage
       FROM inspection_plan_item pi JOIN inspection_item i ON i.id = pi.item_id WHERE pi.plan_id = $1 ORDER BY i.code`,
      [id],
    );
    const tiers: { tier: string; ratio: string; yearly_cap: number }[] = await m.query(
      `SELECT tier, ratio, yearly_cap FROM inspection_plan_tier WHERE plan_id = $1`,
      [id],
    );
    // best first, in the order of the active scorecard (a tier it no longer has: after, by name)
    const order = (await this.scorecards.activeScorecard(m)).tiers.map((t) => t.tier);
    const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
    tiers.sort((a, b) => rank(a.tier) - rank(b.tier) || a.tier.localeCompare(b.tier));
    const batches = await m.query(
      `SELECT b.id, b.seq, b.name, b.window_start, b.window_end, d.id AS draw_id, d.status AS draw_status
       FROM inspection_batch b LEFT JOIN plan_draw d ON d.batch_id = b.id WHERE b.plan_id = $1 ORDER BY b.seq`,
      [id],
    );
    return {
      ...summaryOf(r),
      scope: (r.scope as string | null) ?? null,
      items: items.map(itemOf),
      tiers: tiers.map((t): PlanTierView => ({
        tier: t.tier,
        ratio: Number(t.ratio),
        yearlyCap: t.yearly_cap,
      })),
      batches: batches.map((b: Record<string, unknown>): PlanBatchView => ({
        id: Number(b.id),
        seq: b.seq as number,
        name: b.name as string,
        windowStart: b.window_start as string,
        windowEnd: b.window_end as string,
        draw: b.draw_id === null ? null : { id: Number(b.draw_id), status: b.draw_status as string },
      })),
      createdBy:
        r.created_by === null
          ? null
          : { userId: Number(r.created_by), username: r.username, displayName: r.display_name ?? null },
      supersededById: r.superseded_by_id === null ? null : Number(r.superseded_by_id),
    };
  }

  /** The body of a stored plan, in the shape `checkPlan` reads. */
  private bodyOf(p: PlanView): Record<string, unknown> {
    return {
      year: p.year,
      title: p.title,
      leadDepartment: p.leadDepartment,
      jointDepartments: p.jointDepartments,
      scope: p.scope,
      itemCodes: p.items.map((i) => i.code),
      tiers: p.tiers.map(({ tier, ratio, yearlyCap }) => ({ tier, ratio, yearlyCap })),
      batches: p.batches.map(({ name, windowStart, windowEnd }) => ({ name, windowStart, windowEnd })),
    };
  }

  /** `checkPlan` against the current context. @throws 422 naming every field at fault */
  private async checked(body: unknown, m: EntityManager): Promise<PlanInput> {
    const { plan, problems } = checkPlan(body, await this.context(m));
    if (!plan) throw unprocessable(problems);
    return plan;
  }

  /** Writes a plan's items, tiers and batches (batches numbered in window order). */
  private async writeParts(m: EntityManager, id: number, plan: PlanInput): Promise<void> {
    await m.query(
      `INSERT INTO inspection_plan_item (plan_id, item_id)
       SELECT $1, id FROM inspection_item WHERE code = ANY($2::text[])`,
      [id, plan.itemCodes],
    );
    await m.query(
      `INSERT INTO inspection_plan_tier (plan_id, tier, ratio, yearly_cap)
       SELECT $1, t, r, c FROM unnest($2::text[], $3::numeric[], $4::int[]) AS x(t, r, c)`,
      [id, plan.tiers.map((t) => t.tier), plan.tiers.map((t) => t.ratio), plan.tiers.map((t) => t.yearlyCap)],
    );
    const batches = [...plan.batches].sort((a, b) => a.windowStart.localeCompare(b.windowStart));
    await m.query(
      `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end)
       SELECT $1, s, n, ws, we FROM unnest($2::int[], $3::text[], $4::date[], $5::date[]) AS x(s, n, ws, we)`,
      [
        id,
        batches.map((_, i) => i + 1),
        batches.map((b) => b.name),
        batches.map((b) => b.windowStart),
        batches.map((b) => b.windowEnd),
      ],
    );
  }

  /** The next free plan number of a year and lead (under the numbering lock). */
  private async nextPlanNo(m: EntityManager, year: number, lead: string): Promise<string> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [PLAN_NO_LOCK]);
    const [{ seq }] = await m.query(
      `SELECT coalesce(max(substring(plan_no from '-([0-9]+)$')::int), 0) + 1 AS seq
       FROM inspection_plan WHERE year = $1 AND lead_department = $2`,
      [year, lead],
    );
    return planNumber(year, lead, seq);
  }

  /**
   * A new draft (version 1, a new plan number `<year>-<lead>-<seq>`), audited
   * `inspection_plan.create`. Body: CreatePlanDto (tiers absent: the defaults of domain.md 5.2).
   * @throws UnprocessableEntityException (422) every field at fault (checkPlan)
   * @throws ForbiddenException (403, audited) a regulator creating a plan another department leads
   */
  async create(body: unknown, actor: Actor): Promise<PlanView> {
    return this.dataSource.transaction(async (m) => {
      const plan = await this.checked(body, m);
      await this.mayChange(actor, plan.leadDepartment, null, 'create');
      const planNo = await this.nextPlanNo(m, plan.year, plan.leadDepartment);
      const [{ id }] = await m.query(
        `INSERT INTO inspection_plan (plan_no, year, title, lead_department, joint_departments, scope, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [planNo, plan.year, plan.title, plan.leadDepartment, plan.jointDepartments, plan.scope, actor.userId],
      );
      await this.writeParts(m, Number(id), plan);
      const view = await this.one(Number(id), m);
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_plan.create',
        entityType: 'inspection_plan',
        entityId: view.id,
        after: { planNo, version: 1, ...plan },
      });
      return view;
    });
  }

  /** The plan row locked for a change, or 404. */
  private async locked(m: EntityManager, id: number): Promise<Record<string, unknown>> {
    const [row] = await m.query(`SELECT * FROM inspection_plan WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new NotFoundException(`plan ${id} does not exist`);
    return row;
  }

  /** 409 unless the plan is a draft. */
  private draftOnly(row: Record<string, unknown>, what: string): void {
    if (row.status !== 'draft')
      throw new ConflictException(
        `plan ${row.id} (${row.plan_no} version ${row.version}) is ${row.status}: it cannot be ${what}; a change is a new version (POST /api/plans/${row.id}/versions)`,
      );
  }

  /**
   * Changes a draft: the fields given replace the draft's (a list replaces the whole list), and
   * the whole result is checked again. Version 1 is renumbered when its year or lead changes; a
   * later version keeps both (its plan number is the plan's). Audited `inspection_plan.update`
   * with before and after.
   * @throws NotFoundException unknown id
   * @throws ConflictException (409) not a draft
   * @throws ForbiddenException (403, audited) a regulator outside the lead department (before or after)
   * @throws UnprocessableEntityException (422) every field at fault
   */
  async update(id: number, changes: Record<string, unknown>, actor: Actor): Promise<PlanView> {
    return frozenAs409(() =>
      this.dataSource.transaction(async (m) => {
        const row = await this.locked(m, id);
        await this.mayChange(actor, row.lead_department as string, id, 'change');
        this.draftOnly(row, 'changed');
        const before = await this.one(id, m);
        const merged = this.bodyOf(before);
        for (const [k, v] of Object.entries(changes)) if (v !== undefined) merged[k] = v;
        const plan = await this.checked(merged, m);
        if (plan.leadDepartment !== before.leadDepartment)
          await this.mayChange(actor, plan.leadDepartment, id, 'hand over');
        let planNo = before.planNo;
        if (plan.year !== before.year || plan.leadDepartment !== before.leadDepartment) {
          if (before.version > 1) {
            const problems = [];
            if (plan.year !== before.year)
              problems.push({
                field: 'year',
                reason: `a new version keeps the year of plan ${planNo} (${before.year})`,
              });
            if (plan.leadDepartment !== before.leadDepartment)
              problems.push({
                field: 'leadDepartment',
                reason: `a new version keeps the lead department of plan ${planNo} (${before.leadDepartment})`,
              });
            throw unprocessable(problems);
          }
          planNo = await this.nextPlanNo(m, plan.year, plan.leadDepartment);
        }
        await m.query(
          `UPDATE inspection_plan SET plan_no = $2, year = $3, title = $4, lead_department = $5, joint_departments = $6,
             scope = $7, updated_at = now() WHERE id = $1`,
          [id, planNo, plan.year, plan.title, plan.leadDepartment, plan.jointDepartments, plan.scope],
        );
        for (const t of ['inspection_plan_item', 'inspection_plan_tier', 'inspection_batch'])
          await m.query(`DELETE FROM ${t} WHERE plan_id = $1`, [id]);
        await this.writeParts(m, id, plan);
        const view = await this.one(id, m);
        await appendAudit(sqlOf(m), actor, {
          action: 'inspection_plan.update',
          entityType: 'inspection_plan',
          entityId: id,
          before: { planNo: before.planNo, ...this.bodyOf(before) },
          after: { planNo, ...plan },
        });
        return view;
      }),
    );
  }

  /**
   * Deletes a draft (its items, tiers and batches with it), audited `inspection_plan.delete`.
   * @throws NotFoundException unknown id; ConflictException (409) not a draft; ForbiddenException (403, audited)
   */
  async remove(id: number, actor: Actor): Promise<void> {
    await frozenAs409(() =>
      this.dataSource.transaction(async (m) => {
        const row = await this.locked(m, id);
        await this.mayChange(actor, row.lead_department as string, id, 'delete');
        this.draftOnly(row, 'deleted');
        const before = await this.one(id, m);
        await m.query(`DELETE FROM inspection_plan WHERE id = $1`, [id]);
        await appendAudit(sqlOf(m), actor, {
          action: 'inspection_plan.delete',
          entityType: 'inspection_plan',
          entityId: id,
          before: { planNo: before.planNo, version: before.version, ...this.bodyOf(before) },
        });
      }),
    );
  }

  /**
   * Publishes a draft: checked again against today's item list and scorecard (an item made
   * inactive since is a 422), stamped with the instant and who, flagged `late` when published
   * after March 31 of its year (Asia/Shanghai day; 上海市优化营商环境条例 art. 62); the version it
   * replaces becomes superseded. From then on the plan never changes (trigger
   * inspection_plan_frozen). Audited `inspection_plan.publish`.
   * @param today the Asia/Shanghai day of publication (tests; default: today)
   * @throws NotFoundException unknown id; ConflictException (409) already published or superseded,
   *   or the version it replaces is no longer the published one; ForbiddenException (403, audited);
   *   UnprocessableEntityException (422) the plan no longer passes the rules
   */
  async publish(id: number, actor: Actor, now: Date = new Date()): Promise<PlanView> {
    return frozenAs409(() =>
      this.dataSource.transaction(async (m) => {
        const row = await this.locked(m, id);
        await this.mayChange(actor, row.lead_department as string, id, 'publish');
        if (row.status !== 'draft')
          throw new ConflictException(
            `plan ${id} (${row.plan_no} version ${row.version}) is already ${row.status}: a plan is published once`,
          );
        const before = await this.one(id, m);
        await this.checked(this.bodyOf(before), m);
        const late = isLate(todayInShanghai(now), before.year);
        let superseded: number | null = null;
        if (before.replacesId !== null) {
          const [old] = await m.query(`SELECT status FROM inspection_plan WHERE id = $1 FOR UPDATE`, [
            before.replacesId,
          ]);
          if (old?.status !== 'published')
            throw new ConflictException(
              `plan ${before.replacesId}, which this version replaces, is ${old?.status ?? 'gone'}: only the published version can be replaced`,
            );
          await m.query(
            `UPDATE inspection_plan SET status = 'superseded', updated_at = now() WHERE id = $1`,
            [before.replacesId],
          );
          superseded = before.replacesId;
        }
        await m.query(
          `UPDATE inspection_plan SET status = 'published', published_at = $2, published_by = $3, late = $4,
             updated_at = now() WHERE id = $1`,
          [id, now.toISOString(), actor.userId, late],
        );
        const view = await this.one(id, m);
        await appendAudit(sqlOf(m), actor, {
          action: 'inspection_plan.publish',
          entityType: 'inspection_plan',
          entityId: id,
          before: { status: 'draft' },
          after: {
            planNo: view.planNo,
            version: view.version,
            status: 'published',
            late,
            supersededId: superseded,
          },
        });
        return view;
      }),
    );
  }

  /**
   * A new draft version of a published plan: the same plan number, version + 1, `replacesId` the
   * published one, a copy of its fields, items, tiers and batches (new batch ids, no draws).
   * Published, it supersedes the one it replaces. Audited `inspection_plan.version`.
   * @throws NotFoundException unknown id; ConflictException (409) a draft (edit it instead), a
   *   superseded version (only the current one is revised) or a draft version already open;
   *   ForbiddenException (403, audited)
   */
  async newVersion(id: number, actor: Actor): Promise<PlanView> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.locked(m, id);
      await this.mayChange(actor, row.lead_department as string, id, 'revise');
      if (row.status === 'draft')
        throw new ConflictException(
          `plan ${id} is a draft: change it (PATCH /api/plans/${id}) instead of versioning it`,
        );
      if (row.status === 'superseded')
        throw new ConflictException(
          `plan ${id} is superseded: only the current version of ${row.plan_no} can be revised`,
        );
      const [open] = await m.query(`SELECT id FROM inspection_plan WHERE plan_no = $1 AND status = 'draft'`, [
        row.plan_no,
      ]);
      if (open)
        throw new ConflictException(
          `plan ${row.plan_no} already has a draft version (plan ${open.id}): change that one`,
        );
      const source = await this.one(id, m);
      const [{ version }] = await m.query(
        `SELECT max(version) + 1 AS version FROM inspection_plan WHERE plan_no = $1`,
        [row.plan_no],
      );
      const [{ id: newId }] = await m.query(
        `INSERT INTO inspection_plan (plan_no, version, replaces_id, year, title, lead_department, joint_departments, scope, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          row.plan_no,
          version,
          id,
          source.year,
          source.title,
          source.leadDepartment,
          source.jointDepartments,
          source.scope,
          actor.userId,
        ],
      );
      const body = this.bodyOf(source);
      await this.writeParts(m, Number(newId), {
        ...(body as unknown as PlanInput),
        tiers: source.tiers,
      });
      const view = await this.one(Number(newId), m);
      await appendAudit(sqlOf(m), actor, {
        action: 'inspection_plan.version',
        entityType: 'inspection_plan',
        entityId: view.id,
        after: { planNo: view.planNo, version: view.version, replacesId: id },
      });
      return view;
    });
  }
}

function itemOf(r: Record<string, unknown>): PlanItemView {
  return {
    id: Number(r.id),
    code: r.code as string,
    name: r.name as string,
    department: r.department as string,
    checkMethod: r.check_method as string,
    fullCoverage: r.full_coverage as boolean,
  };
}
