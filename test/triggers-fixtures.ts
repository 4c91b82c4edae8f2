/**
 * SQL fixtures for the tests of event triggers, joint visits and alerts (issue 11, part 5): the
 * items, inspectors and routine tasks other parts build, inserted as rows so these tests do not
 * depend on those parts' services. Real tables, real constraints; no mocks.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { buildUscc } from '../src/common/uscc.js';
import type { TestApp } from './helpers.js';

let seq = 0;

/** A valid USCC in Yangpu (310110), different for every call of the test process. */
export function freshUscc(): string {
  seq++;
  const body =
    (Date.now() % 1e6).toString(36).toUpperCase().padStart(4, '0').slice(-4) + String(seq).padStart(4, '0');
  return buildUscc('91', '310110', body.replace(/[IOSVZ]/g, 'A'));
}

/** An enterprise of the register with a current tier (credit_score row). @returns its id and USCC */
export async function insertEnterprise(
  ds: DataSource,
  opts: { name: string; tier?: string | null; status?: string; industry?: string | null },
): Promise<{ id: number; uscc: string }> {
  const uscc = freshUscc();
  const [e] = await ds.query(
    `INSERT INTO enterprise (uscc, name, industry_code, status) VALUES ($1, $2, $3, $4) RETURNING id`,
    [uscc, opts.name, opts.industry ?? 'H62', opts.status ?? 'active'],
  );
  if (opts.tier !== null)
    await ds.query(
      `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
       VALUES ($1, 80, $2, 'test', current_date, now(), 0, '[]')`,
      [e.id, opts.tier ?? 'B'],
    );
  return { id: Number(e.id), uscc };
}

/** An item of the list. @returns its id */
export async function insertItem(
  ds: DataSource,
  code: string,
  department: string,
  opts: { active?: boolean; checkMethod?: string; requirements?: string[] } = {},
): Promise<number> {
  const [r] = await ds.query(
    `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, requirements, active)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id`,
    [
      code,
      `检查事项${code}`,
      department,
      `《上海市优化营商环境条例》（${code}）`,
      opts.checkMethod ?? 'on_site',
      JSON.stringify(opts.requirements ?? [`${code} 要求一`, `${code} 要求二`]),
      opts.active ?? true,
    ],
  );
  return Number(r.id);
}

/** An inspector user of `department` on the roster, qualified for `itemIds`. @returns its user id */
export async function insertInspector(
  t: TestApp,
  department: string,
  itemIds: number[],
  opts: { onRoster?: boolean } = {},
): Promise<number> {
  const { user } = await t.signIn('inspector', { department });
  await t.dataSource.query(`INSERT INTO inspector_profile (user_id, on_roster) VALUES ($1, $2)`, [
    user.id,
    opts.onRoster ?? true,
  ]);
  for (const item of itemIds)
    await t.dataSource.query(`INSERT INTO inspector_qualification (user_id, item_id) VALUES ($1, $2)`, [
      user.id,
      item,
    ]);
  return user.id;
}

/**
 * A published plan of `year` led by `lead` with one batch and a drawn draw, its tier policy
 * `caps` (tier -> yearly cap). @returns the plan, batch and draw ids
 */
export async function insertPlan(
  ds: DataSource,
  opts: { year: number; lead: string; caps?: Record<string, number>; itemIds?: number[] },
): Promise<{ planId: number; batchId: number; drawId: number }> {
  const [plan] = await ds.query(
    `INSERT INTO inspection_plan (plan_no, year, title, lead_department) VALUES ($1, $2, '测试年度计划', $3) RETURNING id`,
    [`${opts.year}-${opts.lead}-${randomBytes(3).toString('hex')}`, opts.year, opts.lead],
  );
  const planId = Number(plan.id);
  for (const [tier, cap] of Object.entries(opts.caps ?? { A: 0, B: 2, C: 2, D: 2 }))
    await ds.query(
      `INSERT INTO inspection_plan_tier (plan_id, tier, ratio, yearly_cap) VALUES ($1, $2, 0.2, $3)`,
      [planId, tier, cap],
    );
  for (const item of opts.itemIds ?? [])
    await ds.query(`INSERT INTO inspection_plan_item (plan_id, item_id) VALUES ($1, $2)`, [planId, item]);
  const [batch] = await ds.query(
    `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end)
     VALUES ($1, 1, '第一批', make_date($2, 1, 1), make_date($2, 12, 31)) RETURNING id`,
    [planId, opts.year],
  );
  await ds.query(
    `UPDATE inspection_plan SET status = 'published', published_at = now(), late = false WHERE id = $1`,
    [planId],
  );
  const [draw] = await ds.query(
    `INSERT INTO plan_draw (batch_id, status, algorithm, tier_date, commitment, public_source, inputs_digest,
       public_value, public_value_at, secret, final_seed, drawn_at)
     VALUES ($1, 'drawn', 'test', make_date($2, 1, 1), repeat('a', 64), '测试', repeat('b', 64),
       'v', now(), 's', repeat('c', 64), now()) RETURNING id`,
    [batch.id, opts.year],
  );
  return { planId, batchId: Number(batch.id), drawId: Number(draw.id) };
}

/** A routine task of a plan's batch (a draw's task, as the draw stores it). @returns its id */
export async function insertRoutineTask(
  ds: DataSource,
  plan: { planId: number; batchId: number; drawId: number },
  opts: {
    enterpriseId: number;
    department: string;
    tier: string;
    windowStart: string;
    windowEnd: string;
    itemIds: number[];
  },
): Promise<number> {
  const [task] = await ds.query(
    `INSERT INTO inspection_task (kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start, window_end, assignment_seed)
     VALUES ('routine', $1, $2, $3, $4, $5, $6, $7, $8, 'seed') RETURNING id`,
    [
      opts.enterpriseId,
      opts.department,
      plan.planId,
      plan.batchId,
      plan.drawId,
      opts.tier,
      opts.windowStart,
      opts.windowEnd,
    ],
  );
  for (const item of opts.itemIds)
    await ds.query(`INSERT INTO inspection_task_item (task_id, item_id) VALUES ($1, $2)`, [task.id, item]);
  return Number(task.id);
}

/** Records a result on a task as the result endpoint would (status completed, outcome, when). */
export async function completeTask(
  ds: DataSource,
  taskId: number,
  outcome: string,
  recordedAt: string,
  inspectorId?: number,
): Promise<void> {
  await ds.query(
    `UPDATE inspection_task SET status = 'completed', outcome = $2, recorded_at = $3::timestamptz WHERE id = $1`,
    [taskId, outcome, recordedAt],
  );
  if (inspectorId !== undefined)
    await ds.query(
      `INSERT INTO inspection_task_inspector (task_id, user_id, position, role) VALUES ($1, $2, 1, 'assigned')
       ON CONFLICT DO NOTHING`,
      [taskId, inspectorId],
    );
}
