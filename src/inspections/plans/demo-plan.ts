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
 * The demo's draft plan for next year (Asia/Shanghai): led by market with health and fire
 * joint, the demo items that exist (each missing one is skipped with a log line; none: no plan),
 * the default tier policy and two batches (April-June, September-November), so that a regulator
 * of market on the demo can publish it and draw. Skipped when a plan of that year led by market
 * exists already.
 * @returns the plan's id, or null when none was made
 */
export async function loadDemoPlan(app: INestApplicationContext, actor: Actor): Promise<number | null> {
  const logger = new Logger('DemoData');
  const ds = app.get(DataSource);
  const year = Number(todayInShanghai().slice(0, 4)) + 1;
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
      batches: [
        { name: '第一批', windowStart: `${year}-04-01`, windowEnd: `${year}-06-30` },
        { name: '第二批', windowStart: `${year}-09-01`, windowEnd: `${year}-11-30` },
      ],
    },
    actor,
  );
  logger.log(`demo plan: draft ${plan.planNo} (plan ${plan.id}) with ${itemCodes.length} items, two batches`);
  return plan.id;
}
