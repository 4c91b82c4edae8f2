/**
 * SQL fixtures of inspection planning (issue 11) for tests that need items, plans, batches,
 * draws, tasks, joint visits and triggers before (or without) the draw and the triggers making
 * them: rows inserted straight into the tables of migration 1765584000000, never mocks. Each
 * helper returns the new row's id. Dates are YYYY-MM-DD; `today` is todayInShanghai().
 */
import type { DataSource } from 'typeorm';
import { todayInShanghai } from '../src/common/clock.js';
import { addDays } from '../src/common/calendar-days.js';

type Db = Pick<DataSource, 'query'>;

export const today = () => todayInShanghai();
export const daysFromToday = (n: number) => addDays(todayInShanghai(), n);

let seq = 0;
const next = () => ++seq;

export interface ItemFixture {
  code?: string;
  name?: string;
  department?: string;
  legalBasis?: string;
  checkMethod?: 'on_site' | 'documents' | 'data';
  industries?: string[];
  requirements?: string[];
}

/** An item of the item list (随机抽查事项清单). @returns its id and code */
export async function insertItem(db: Db, f: ItemFixture = {}): Promise<{ id: number; code: string }> {
  const n = next();
  const code = f.code ?? `FX-${n}`;
  const [{ id }] = await db.query(
    `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, industries, requirements)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      code,
      f.name ?? `测试检查事项${n}`,
      f.department ?? 'market',
      f.legalBasis ?? '《中华人民共和国食品安全法》第一百一十条',
      f.checkMethod ?? 'on_site',
      f.industries ?? [],
      JSON.stringify(f.requirements ?? [`要求${n}-1`, `要求${n}-2`]),
    ],
  );
  return { id: Number(id), code };
}

/** A profile on the inspector roster for an inspector user, with its qualifications. */
export async function insertInspectorProfile(db: Db, userId: number, itemIds: number[] = []): Promise<void> {
  await db.query(`INSERT INTO inspector_profile (user_id) VALUES ($1) ON CONFLICT DO NOTHING`, [userId]);
  for (const itemId of itemIds)
    await db.query(
      `INSERT INTO inspector_qualification (user_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [userId, itemId],
    );
}

export interface PlanFixture {
  year?: number;
  lead?: string;
  joint?: string[];
  itemIds: number[];
  batch?: { name?: string; windowStart?: string; windowEnd?: string };
}

/**
 * A published plan with its items, the default tier policy, one batch and a drawn plan_draw of
 * that batch (inserted as a draft, then published: the frozen trigger allows only that order).
 * @returns the ids of the plan, batch and draw, and the plan number
 */
export async function insertPublishedPlan(
  db: Db,
  f: PlanFixture,
): Promise<{ planId: number; batchId: number; drawId: number; planNo: string }> {
  const n = next();
  const year = f.year ?? Number(today().slice(0, 4));
  const lead = f.lead ?? 'market';
  const planNo = `${year}-${lead}-${900 + n}`;
  const [{ id: planId }] = await db.query(
    `INSERT INTO inspection_plan (plan_no, year, title, lead_department, joint_departments, scope)
     VALUES ($1, $2, $3, $4, $5, '测试范围') RETURNING id`,
    [planNo, year, `${year}年度测试抽查计划${n}`, lead, f.joint ?? []],
  );
  for (const itemId of f.itemIds)
    await db.query(`INSERT INTO inspection_plan_item (plan_id, item_id) VALUES ($1, $2)`, [planId, itemId]);
  for (const [tier, ratio] of [
    ['A', 0],
    ['B', 0.05],
    ['C', 0.2],
    ['D', 0.6],
  ] as const)
    await db.query(
      `INSERT INTO inspection_plan_tier (plan_id, tier, ratio, yearly_cap) VALUES ($1, $2, $3, 2)`,
      [planId, tier, ratio],
    );
  const [{ id: batchId }] = await db.query(
    `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end) VALUES ($1, 1, $2, $3, $4) RETURNING id`,
    [
      planId,
      f.batch?.name ?? '第一批',
      f.batch?.windowStart ?? daysFromToday(-10),
      f.batch?.windowEnd ?? daysFromToday(20),
    ],
  );
  await db.query(
    `UPDATE inspection_plan SET status = 'published', published_at = now(), late = false WHERE id = $1`,
    [planId],
  );
  const hex = (c: string) => c.repeat(64);
  const [{ id: drawId }] = await db.query(
    `INSERT INTO plan_draw (batch_id, status, algorithm, tier_date, commitment, public_source, inputs_digest,
       public_value, public_value_at, secret, revealed_at, final_seed, drawn_at, result_digest, summary)
     VALUES ($1, 'drawn', 'fixture/v1', $2, $3, '测试公开随机数', $4, '12345', now(), 'secret', now(), $5, now(), $6, '[]')
     RETURNING id`,
    [batchId, today(), hex('a'), hex('b'), hex('c'), hex('d')],
  );
  return { planId: Number(planId), batchId: Number(batchId), drawId: Number(drawId), planNo };
}

export interface TaskFixture {
  kind?: 'routine' | 'event';
  enterpriseId: number;
  department?: string;
  /** routine tasks: the plan, batch and draw (insertPublishedPlan) */
  plan?: { planId: number; batchId: number; drawId: number };
  tier?: string | null;
  windowStart?: string;
  windowEnd?: string;
  status?: string;
  visitId?: number | null;
  itemIds: number[];
  /** user ids assigned, in order */
  inspectors?: number[];
  /** user ids skipped for recusal: their recusal rows are inserted (approved) */
  skipped?: number[];
}

/** A task with its items and inspectors. @returns its id */
export async function insertTask(db: Db, f: TaskFixture): Promise<number> {
  const kind = f.kind ?? (f.plan ? 'routine' : 'event');
  const [{ id }] = await db.query(
    `INSERT INTO inspection_task (kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start,
       window_end, status, visit_id, assignment_seed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'fixture-seed') RETURNING id`,
    [
      kind,
      f.enterpriseId,
      f.department ?? 'market',
      f.plan?.planId ?? null,
      f.plan?.batchId ?? null,
      f.plan?.drawId ?? null,
      f.tier ?? null,
      f.windowStart ?? daysFromToday(-5),
      f.windowEnd ?? daysFromToday(10),
      f.status ?? 'assigned',
      f.visitId ?? null,
    ],
  );
  for (const itemId of f.itemIds)
    await db.query(`INSERT INTO inspection_task_item (task_id, item_id) VALUES ($1, $2)`, [id, itemId]);
  let position = 0;
  for (const userId of f.skipped ?? []) {
    const [{ id: recusalId }] = await db.query(
      `INSERT INTO recusal (inspector_id, enterprise_id, source, reason, status, reviewed_at)
       VALUES ($1, $2, 'inspector', '亲属在该企业任职', 'approved', now()) RETURNING id`,
      [userId, f.enterpriseId],
    );
    await db.query(
      `INSERT INTO inspection_task_inspector (task_id, user_id, position, role, recusal_id) VALUES ($1, $2, $3, 'skipped_recusal', $4)`,
      [id, userId, ++position, recusalId],
    );
  }
  for (const userId of f.inspectors ?? [])
    await db.query(
      `INSERT INTO inspection_task_inspector (task_id, user_id, position, role) VALUES ($1, $2, $3, 'assigned')`,
      [id, userId, ++position],
    );
  return Number(id);
}

/** A joint visit of an enterprise (its tasks point to it by visit_id). @returns its id */
export async function insertJointVisit(
  db: Db,
  f: { enterpriseId: number; leadDepartment?: string; windowStart?: string; windowEnd?: string },
): Promise<number> {
  const [{ id }] = await db.query(
    `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end) VALUES ($1, $2, $3, $4) RETURNING id`,
    [
      f.enterpriseId,
      f.leadDepartment ?? 'market',
      f.windowStart ?? daysFromToday(-5),
      f.windowEnd ?? daysFromToday(10),
    ],
  );
  return Number(id);
}

/** An accepted trigger of an event task. @returns its id */
export async function insertTrigger(
  db: Db,
  f: {
    enterpriseId: number;
    taskId: number;
    kind?: string;
    reason?: string;
    sourceRef?: string;
    department?: string;
  },
): Promise<number> {
  const [{ id }] = await db.query(
    `INSERT INTO inspection_trigger (enterprise_id, kind, reason, source_ref, department, received_on, status,
       decided_at, task_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'accepted', now(), $7) RETURNING id`,
    [
      f.enterpriseId,
      f.kind ?? 'complaint',
      f.reason ?? '消费者投诉：销售过期食品',
      f.sourceRef ?? '12315-2026-000001',
      f.department ?? 'market',
      today(),
      f.taskId,
    ],
  );
  return Number(id);
}

/**
 * An enterprise in business with a current tier (from the demo data's scores) and no inspection
 * result among its records (so one failed inspection today weighs its full 20 points in
 * scorecard v3, moving a B enterprise to C), best score first within the tier.
 * @returns id, USCC, name, score and tier
 */
export async function enterpriseOfTier(
  db: Db,
  tier: string,
  skip = 0,
): Promise<{ id: number; uscc: string; name: string; score: number; tier: string }> {
  const [r] = await db.query(
    `SELECT e.id, e.uscc, e.name, s.score, s.tier FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
     WHERE e.status = 'active' AND s.tier = $1
       AND NOT EXISTS (SELECT 1 FROM credit_record r WHERE r.enterprise_id = e.id AND r.kind = 'inspection_result')
     ORDER BY s.score DESC, e.uscc OFFSET $2 LIMIT 1`,
    [tier, skip],
  );
  if (!r) throw new Error(`no active enterprise of tier ${tier} (offset ${skip})`);
  return { id: Number(r.id), uscc: r.uscc, name: r.name, score: Number(r.score), tier: r.tier };
}
