import { type INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { todayInShanghai } from '../../common/clock.js';
import { PlansService } from './plans.service.js';

/** The demo items the demo plan takes (catalog demo data: departments market, health, fire). */
export const DEMO_PLAN_ITEMS = Array.from(
  { length: 10 },
  (_, i) => `YP-SC-${String(i + 1).padStart(2, '0')}`,
);

/**
 * The demo plan's batches in the year of `today` (YYYY-MM-DD): the first from today for 90 days
 * (at most to December 31), so that the tasks of its draw can take their results today (a task
 * takes none before its window opens); the second from the day after to December 31 when at
 * least a month is left.
 */
export function demoBatchWindows(today: string): { name: string; windowStart: string; windowEnd: string }[] {
  const yearEnd = `${today.slice(0, 4)}-12-31`;
  const day = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const end1 = day(today, 89) < yearEnd ? day(today, 89) : yearEnd;
  const batches = [{ name: '第一批', windowStart: today, windowEnd: end1 }];
  if (day(end1, 30) <= yearEnd)
    batches.push({ name: '第二批', windowStart: day(end1, 1), windowEnd: yearEnd });
  return batches;
}

/**
 * The demo's draft plan for this year (Asia/Shanghai): led by market with health and fire joint,
 * the demo items that exist (each missing one is skipped with a log line; none: no plan), the
 * default tier policy and the batches of demoBatchWindows (the first open from today), so that a
 * regulator of market on the demo can publish it and draw, and the drawn inspectors record
 * results that move tiers the same day. Published after March 31 it is flagged late, as any plan
 * would be. Skipped when a plan of that year led by market exists already.
 * @returns the plan's id, or null when none was made
 */
export async function loadDemoPlan(app: INestApplicationContext, actor: Actor): Promise<number | null> {
  const logger = new Logger('DemoData');
  const ds = app.get(DataSource);
  const today = todayInShanghai();
  const year = Number(today.slice(0, 4));
  const [existing] = await ds.query(
    `SELECT id FROM inspection_plan WHERE year = $1 AND lead_department = 'market' LIMIT 1`,
    [year],
  );
  if (existing) return null;
  const rows: { code: string }[] = await ds.query(
    `SELECT code FROM inspection_item WHERE code = ANY($1::text[]) AND active AND department IN ('market', 'health', 'fire')`,
    [DEMO_PLAN_ITEMS],
  );
  const found = new Set(rows.map((r) => r.code));
  for (const code of DEMO_PLAN_ITEMS)
    if (!found.has(code)) logger.log(`demo plan: item ${code} is not in the item list, left out`);
  const itemCodes = DEMO_PLAN_ITEMS.filter((c) => found.has(c));
  if (!itemCodes.length) {
    logger.log('demo plan: none of the demo items is in the item list: no demo plan');
    return null;
  }
  const plan = await app.get(PlansService).create(
    {
      year,
      title: `${year}年度杨浦区市场监管领域部门联合双随机抽查计划`,
      leadDepartment: 'market',
      jointDepartments: ['health', 'fire'],
      scope: '杨浦区内登记在营的市场主体（食品经营、公共场所卫生、消防安全重点单位等）',
      itemCodes,
      batches: demoBatchWindows(today),
    },
    actor,
  );
  logger.log(
    `demo plan: draft ${plan.planNo} (plan ${plan.id}) with ${itemCodes.length} items, ${plan.batches.length} batch(es)`,
  );
  return plan.id;
}
