import type { DataSource } from 'typeorm';

/**
 * SQL fixtures of the draw's tests (the plans, items and roster parts are built in parallel):
 * enterprises with tiers, items, a published plan with its batches, inspectors with profiles and
 * qualifications, recusals. Real rows in the real schema; no mocks.
 */

/** An 18-character USCC-shaped code (the register's format; the check character is not checked here). */
export const fakeUscc = (i: number): string => `91310110${String(i).padStart(9, '0')}X`;

export interface EnterpriseSpec {
  industry: string | null;
  tier: string | null;
  status?: string;
}

/** Inserts enterprises and their current scores (as of `asOf`). @returns their ids in order */
export async function insertEnterprises(
  ds: DataSource,
  specs: EnterpriseSpec[],
  asOf = '2026-01-01',
  from = 1,
): Promise<number[]> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO enterprise (uscc, name, industry_code, street, status)
     SELECT u, '测试企业' || n, ind, '五角场街道', st FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS x(u, n, ind, st)
     RETURNING id`,
    [
      specs.map((_, i) => fakeUscc(from + i)),
      specs.map((_, i) => from + i),
      specs.map((s) => s.industry),
      specs.map((s) => s.status ?? 'active'),
    ],
  );
  const ids = rows.map((r) => Number(r.id));
  const scored = specs.map((s, i) => ({ id: ids[i]!, tier: s.tier })).filter((s) => s.tier !== null);
  await ds.query(
    `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
     SELECT e, 70, t, 'fixture', $3, now(), 0, '[]' FROM unnest($1::bigint[], $2::text[]) AS x(e, t)`,
    [scored.map((s) => s.id), scored.map((s) => s.tier), asOf],
  );
  return ids;
}

export interface ItemSpec {
  code: string;
  name?: string;
  department: string;
  industries?: string[];
  fullCoveragePerYear?: number;
}

/** Inserts items. @returns code -> id */
export async function insertItems(ds: DataSource, items: ItemSpec[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const i of items) {
    const [r] = await ds.query(
      `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, industries, requirements,
         full_coverage, full_coverage_per_year)
       VALUES ($1, $2, $3, '《市场监督管理行政处罚程序规定》', 'on_site', $4, '["核对营业执照"]', $5, $6) RETURNING id`,
      [
        i.code,
        i.name ?? `检查事项${i.code}`,
        i.department,
        i.industries ?? [],
        !!i.fullCoveragePerYear,
        i.fullCoveragePerYear ?? null,
      ],
    );
    ids.set(i.code, Number(r.id));
  }
  return ids;
}

export interface PlanSpec {
  year: number;
  lead: string;
  itemIds: number[];
  tiers: { tier: string; ratio: number; yearlyCap: number }[];
  batches: { name: string; windowStart: string; windowEnd: string }[];
  publish?: boolean;
  planNo?: string;
}

/** Inserts a plan (draft, then published unless `publish: false`). @returns plan id and batch ids */
export async function insertPlan(
  ds: DataSource,
  p: PlanSpec,
): Promise<{ planId: number; batchIds: number[] }> {
  const [plan] = await ds.query(
    `INSERT INTO inspection_plan (plan_no, year, title, lead_department, joint_departments, scope)
     VALUES ($1, $2, $3, $4, '{health,fire}', '本区登记的市场主体') RETURNING id`,
    [
      p.planNo ?? `${p.year}-${p.lead}-${Math.floor(Math.random() * 1e6)}`,
      p.year,
      `${p.year}年度双随机抽查计划`,
      p.lead,
    ],
  );
  const planId = Number(plan.id);
  for (const item of p.itemIds)
    await ds.query(`INSERT INTO inspection_plan_item (plan_id, item_id) VALUES ($1, $2)`, [planId, item]);
  for (const t of p.tiers)
    await ds.query(
      `INSERT INTO inspection_plan_tier (plan_id, tier, ratio, yearly_cap) VALUES ($1, $2, $3, $4)`,
      [planId, t.tier, t.ratio, t.yearlyCap],
    );
  const batchIds: number[] = [];
  for (const [i, b] of p.batches.entries()) {
    const [r] = await ds.query(
      `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [planId, i + 1, b.name, b.windowStart, b.windowEnd],
    );
    batchIds.push(Number(r.id));
  }
  if (p.publish !== false)
    await ds.query(
      `UPDATE inspection_plan SET status = 'published', published_at = now(), late = false WHERE id = $1`,
      [planId],
    );
  return { planId, batchIds };
}

/** Puts existing inspector users on the roster with these qualifications. */
export async function rosterInspector(
  ds: DataSource,
  userId: number,
  itemIds: number[],
  onRoster = true,
): Promise<void> {
  await ds.query(`INSERT INTO inspector_profile (user_id, on_roster) VALUES ($1, $2)`, [userId, onRoster]);
  for (const item of itemIds)
    await ds.query(`INSERT INTO inspector_qualification (user_id, item_id) VALUES ($1, $2)`, [userId, item]);
}

/** Approved recusals of one inspector for these enterprises. @returns their ids */
export async function approvedRecusals(
  ds: DataSource,
  inspectorId: number,
  enterpriseIds: number[],
): Promise<number[]> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO recusal (inspector_id, enterprise_id, source, reason, status, reviewed_at, review_note)
     SELECT $1, e, 'inspector', '亲属在该企业任职', 'approved', now(), '同意' FROM unnest($2::bigint[]) AS x(e) RETURNING id`,
    [inspectorId, enterpriseIds],
  );
  return rows.map((r) => Number(r.id));
}
