import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ScorecardVersionsService } from '../../credit/scorecard-versions.service.js';
import type {
  PublicBatchView,
  PublicOutcomeCountsView,
  PublicPlanSummaryView,
  PublicPlanVersionView,
  PublicPlanView,
  PublicResultView,
} from '../plans/dto/plan.dto.js';
import { PlansService } from '../plans/plans.service.js';

/** Outcomes of a task's result (inspection_task.outcome), in the order the public pages list them. */
export const OUTCOMES = ['no_problem', 'problems_found', 'refused', 'not_found'] as const;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/**
 * What the public may read of the annual plans without signing in (一公开, domain.md 5.1: every
 * department publishes its plan, and results are published): published and superseded plans
 * with their version chain, items with their legal basis, the sampling policy by tier, the
 * batches with their draw's commitment and progress, and the recorded results (enterprise name,
 * USCC, items, outcome). Never a draft, and never an enterprise's tier (domain.md 4: tiers
 * allocate supervision and are not a published rating): no query here reads a tier of an
 * enterprise (inspection_task.tier, plan_draw_target.tier, credit_score).
 */
@Injectable()
export class PublicPlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly scorecards: ScorecardVersionsService,
  ) {}

  /** Published versions of these plan numbers, oldest first, by plan number. */
  private async versions(planNos: string[]): Promise<Map<string, PublicPlanVersionView[]>> {
    const rows = await this.dataSource.query(
      `SELECT id, plan_no, version, status, published_at, late FROM inspection_plan
       WHERE plan_no = ANY($1::text[]) AND status <> 'draft' ORDER BY plan_no, version`,
      [planNos],
    );
    const out = new Map<string, PublicPlanVersionView[]>();
    for (const r of rows) {
      const list = out.get(r.plan_no) ?? [];
      list.push({
        id: Number(r.id),
        version: r.version,
        status: r.status,
        publishedAt: iso(r.published_at)!,
        late: r.late,
      });
      out.set(r.plan_no, list);
    }
    return out;
  }

  private summary(
    r: Record<string, unknown>,
    versions: Map<string, PublicPlanVersionView[]>,
  ): PublicPlanSummaryView {
    return {
      id: Number(r.id),
      planNo: r.plan_no as string,
      version: r.version as number,
      year: r.year as number,
      title: r.title as string,
      leadDepartment: r.lead_department as string,
      leadDepartmentName: this.plans.departmentName(r.lead_department as string),
      jointDepartments: r.joint_departments as string[],
      status: r.status as string,
      publishedAt: iso(r.published_at)!,
      late: r.late as boolean,
      versions: versions.get(r.plan_no as string) ?? [],
    };
  }

  /** Published and superseded plans, newest year first, one page. */
  async list(
    year: number | undefined,
    page: number,
    pageSize: number,
  ): Promise<{ items: PublicPlanSummaryView[]; total: number }> {
    const params: unknown[] = [];
    const cond = `WHERE status <> 'draft'${year === undefined ? '' : ` AND year = $${params.push(year)}`}`;
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_plan ${cond}`,
      params,
    );
    const rows = await this.dataSource.query(
      `SELECT id, plan_no, version, year, title, lead_department, joint_departments, status, published_at, late
       FROM inspection_plan ${cond} ORDER BY year DESC, plan_no, version DESC
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const versions = await this.versions([
      ...new Set(rows.map((r: { plan_no: string }) => r.plan_no)),
    ] as string[]);
    return { items: rows.map((r: Record<string, unknown>) => this.summary(r, versions)), total };
  }

  /**
   * One published or superseded plan with its batches, each batch's draw and its results by
   * outcome. @throws NotFoundException unknown id or a draft (drafts are not public)
   */
  async one(id: number): Promise<PublicPlanView> {
    const [r] = await this.dataSource.query(
      `SELECT id, plan_no, version, year, title, lead_department, joint_departments, scope, status, published_at, late,
         (SELECT s.id FROM inspection_plan s WHERE s.replaces_id = p.id AND s.status <> 'draft' LIMIT 1) AS superseded_by_id
       FROM inspection_plan p WHERE id = $1 AND status <> 'draft'`,
      [id],
    );
    if (!r) throw new NotFoundException(`no published plan ${id}`);
    const versions = await this.versions([r.plan_no]);
    const items = await this.dataSource.query(
      `SELECT i.code, i.name, i.department, i.legal_basis, i.check_method, i.full_coverage
       FROM inspection_plan_item pi JOIN inspection_item i ON i.id = pi.item_id WHERE pi.plan_id = $1 ORDER BY i.code`,
      [id],
    );
    const order = (await this.scorecards.activeScorecard()).tiers.map((t) => t.tier);
    const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
    const tiers: { tier: string; ratio: string; yearly_cap: number }[] = await this.dataSource.query(
      `SELECT tier, ratio, yearly_cap FROM inspection_plan_tier WHERE plan_id = $1`,
      [id],
    );
    tiers.sort((a, b) => rank(a.tier) - rank(b.tier) || a.tier.localeCompare(b.tier));
    const batches = await this.dataSource.query(
      `SELECT b.id, b.seq, b.name, b.window_start, b.window_end,
         d.id AS draw_id, d.status AS draw_status, d.commitment, d.public_source, d.public_value, d.committed_at, d.drawn_at,
         (SELECT count(*)::int FROM plan_draw_target t WHERE t.draw_id = d.id) AS targets
       FROM inspection_batch b LEFT JOIN plan_draw d ON d.batch_id = b.id WHERE b.plan_id = $1 ORDER BY b.seq`,
      [id],
    );
    const counts: { batch_id: string; outcome: string | null; n: number }[] = await this.dataSource.query(
      `SELECT batch_id, outcome, count(*)::int AS n FROM inspection_task
       WHERE plan_id = $1 AND status NOT IN ('cancelled', 'replaced') GROUP BY batch_id, outcome`,
      [id],
    );
    return {
      ...this.summary(r, versions),
      scope: r.scope ?? null,
      supersededById: r.superseded_by_id === null ? null : Number(r.superseded_by_id),
      items: items.map((i: Record<string, unknown>) => ({
        code: i.code as string,
        name: i.name as string,
        department: i.department as string,
        legalBasis: i.legal_basis as string,
        checkMethod: i.check_method as string,
        fullCoverage: i.full_coverage as boolean,
      })),
      tiers: tiers.map((t) => ({ tier: t.tier, ratio: Number(t.ratio), yearlyCap: t.yearly_cap })),
      batches: batches.map((b: Record<string, unknown>): PublicBatchView => ({
        id: Number(b.id),
        seq: b.seq as number,
        name: b.name as string,
        windowStart: b.window_start as string,
        windowEnd: b.window_end as string,
        draw:
          b.draw_id === null
            ? null
            : {
                id: Number(b.draw_id),
                status: b.draw_status as string,
                commitment: b.commitment as string,
                publicSource: b.public_source as string,
                publicValue: (b.public_value as string | null) ?? null,
                committedAt: iso(b.committed_at)!,
                drawnAt: iso(b.drawn_at),
                targets: b.targets as number,
                page: `/public/draws/${b.draw_id}`,
              },
        results: outcomeCounts(counts.filter((c) => Number(c.batch_id) === Number(b.id))),
      })),
    };
  }

  /**
   * One page of a public plan's batch's recorded results, in the order recorded: enterprise name,
   * USCC, department, item names, outcome, correction deadline, day recorded. No tier.
   * @throws NotFoundException a plan that is not public, or a batch not of it
   */
  async results(
    planId: number,
    batchId: number,
    page: number,
    pageSize: number,
  ): Promise<{ items: PublicResultView[]; total: number }> {
    const [ok] = await this.dataSource.query(
      `SELECT 1 FROM inspection_batch b JOIN inspection_plan p ON p.id = b.plan_id
       WHERE b.id = $1 AND p.id = $2 AND p.status <> 'draft'`,
      [batchId, planId],
    );
    if (!ok) throw new NotFoundException(`no batch ${batchId} of a published plan ${planId}`);
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inspection_task WHERE batch_id = $1 AND kind = 'routine' AND status = 'completed'`,
      [batchId],
    );
    const rows = await this.dataSource.query(
      `SELECT t.id, e.name, e.uscc, t.department, t.outcome, t.correction_deadline,
         to_char(t.recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS recorded_on,
         ARRAY(SELECT i.name FROM inspection_task_item ti JOIN inspection_item i ON i.id = ti.item_id
               WHERE ti.task_id = t.id ORDER BY i.code) AS items
       FROM inspection_task t JOIN enterprise e ON e.id = t.enterprise_id
       WHERE t.batch_id = $1 AND t.kind = 'routine' AND t.status = 'completed'
       ORDER BY t.recorded_at, t.id LIMIT $2 OFFSET $3`,
      [batchId, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r: Record<string, unknown>): PublicResultView => ({
        taskId: Number(r.id),
        enterpriseName: r.name as string,
        uscc: r.uscc as string,
        department: r.department as string,
        items: r.items as string[],
        outcome: r.outcome as string,
        correctionDeadline: (r.correction_deadline as string | null) ?? null,
        recordedOn: r.recorded_on as string,
      })),
      total,
    };
  }
}

/** Counts by outcome (null outcome: pending). */
function outcomeCounts(rows: { outcome: string | null; n: number }[]): PublicOutcomeCountsView {
  const c: PublicOutcomeCountsView = {
    tasks: 0,
    pending: 0,
    no_problem: 0,
    problems_found: 0,
    refused: 0,
    not_found: 0,
  };
  for (const r of rows) {
    c.tasks += r.n;
    if (r.outcome === null) c.pending += r.n;
    else if ((OUTCOMES as readonly string[]).includes(r.outcome))
      c[r.outcome as (typeof OUTCOMES)[number]] += r.n;
  }
  return c;
}
