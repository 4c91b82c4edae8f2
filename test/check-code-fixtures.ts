/**
 * Inspection codes (issue 12) for tests: an enterprise with a task of a published plan (or an
 * event task from an accepted trigger, or a joint visit of both) in a visit whose window is open,
 * two assigned inspectors signed in, and the code issued through the API as the first inspector
 * would (POST /api/tasks/:id/check-code); then check-in and results to completion through the API.
 * Rows for the planning side come from the planning fixtures (real tables, no mocks).
 *
 * The signatures of `issueTestCode` and `completeTestCode` are kept stable: other test files
 * (verification, ratings) use them.
 */
import { expect } from '@jest/globals';
import type { UserView } from '../src/auth/dto/user.dto.js';
import type { Agent, TestApp } from './helpers.js';
import {
  daysFromToday,
  insertInspectorProfile,
  insertItem,
  insertJointVisit,
  insertPublishedPlan,
  insertTask,
  insertTrigger,
} from './planning-fixtures.js';
import { insertEnterprise } from './triggers-fixtures.js';

/** A signed-in inspector of a test code. */
export interface TestInspector {
  agent: Agent;
  user: UserView;
  token: string;
}

export interface TestCodeOptions {
  /** routine (default): a task of a published plan; event: from an accepted trigger; joint: both, market lead + health */
  kind?: 'routine' | 'event' | 'joint';
  /** the visit's window (default: 5 days ago to 10 days ahead) */
  windowStart?: string;
  windowEnd?: string;
  /** an existing enterprise (default: a new one, tier B) */
  enterprise?: { id: number; uscc: string; name?: string };
  /** the enterprise's name when a new one is made */
  enterpriseName?: string;
}

export interface TestCode {
  codeId: number;
  /** 8 characters A-Z 2-7 */
  codeNo: string;
  /** the signed text JC1.... */
  codeText: string;
  /** the URL the QR carries (upper-cased) */
  verifyUrl: string;
  visitId: number;
  /** the tasks the code covers, ascending */
  taskIds: number[];
  enterprise: { id: number; uscc: string; name: string };
  /** the market task's two inspectors first; a joint visit adds the health task's two */
  inspectors: TestInspector[];
  /** the inspectors of each task, by task id */
  inspectorsOf: Record<number, TestInspector[]>;
  planNo: string | null;
  triggerIds: number[];
  itemCodes: string[];
  /** the issue answer (CheckCodeView) */
  view: Record<string, unknown>;
}

let n = 0;

/**
 * Makes an enterprise, a visit with its task(s) and two assigned inspectors per task, and issues
 * the visit's code through the API as the first inspector.
 */
export async function issueTestCode(t: TestApp, opts: TestCodeOptions = {}): Promise<TestCode> {
  n++;
  const kind = opts.kind ?? 'routine';
  const ds = t.dataSource;
  const name = opts.enterprise?.name ?? opts.enterpriseName ?? `上海检查码测试${n}有限公司`;
  const ent = opts.enterprise
    ? { id: opts.enterprise.id, uscc: opts.enterprise.uscc, name }
    : { ...(await insertEnterprise(ds, { name, tier: 'B' })), name };
  const windowStart = opts.windowStart ?? daysFromToday(-5);
  const windowEnd = opts.windowEnd ?? daysFromToday(10);
  const inspector = async (department: string): Promise<TestInspector> =>
    t.signIn('inspector', { department });
  const visitId = await insertJointVisit(ds, {
    enterpriseId: ent.id,
    leadDepartment: 'market',
    windowStart,
    windowEnd,
  });
  const inspectorsOf: Record<number, TestInspector[]> = {};
  const itemCodes: string[] = [];
  let planNo: string | null = null;
  const triggerIds: number[] = [];

  const marketItems = [
    await insertItem(ds, {
      code: `CC-FOOD-${n}`,
      name: '食品经营许可情况检查',
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      requirements: ['公示食品经营许可证', '从业人员持有健康证明'],
    }),
    await insertItem(ds, {
      code: `CC-LIC-${n}`,
      name: '营业执照公示情况检查',
      legalBasis: '《中华人民共和国市场主体登记管理条例》第三十六条',
      checkMethod: 'documents',
      requirements: ['在住所醒目位置悬挂营业执照'],
    }),
  ];
  const market = [await inspector('market'), await inspector('market')];
  for (const u of market)
    await insertInspectorProfile(
      ds,
      u.user.id,
      marketItems.map((i) => i.id),
    );
  let first: number;
  if (kind === 'event') {
    first = await insertTask(ds, {
      enterpriseId: ent.id,
      kind: 'event',
      tier: 'B',
      itemIds: marketItems.map((i) => i.id),
      inspectors: market.map((u) => u.user.id),
      visitId,
      windowStart,
      windowEnd,
    });
    triggerIds.push(
      await insertTrigger(ds, { enterpriseId: ent.id, taskId: first, reason: '消费者投诉：销售过期食品' }),
    );
  } else {
    const plan = await insertPublishedPlan(ds, {
      itemIds: marketItems.map((i) => i.id),
      joint: kind === 'joint' ? ['health'] : [],
      batch: { windowStart, windowEnd },
    });
    planNo = plan.planNo;
    first = await insertTask(ds, {
      enterpriseId: ent.id,
      plan,
      tier: 'B',
      itemIds: marketItems.map((i) => i.id),
      inspectors: market.map((u) => u.user.id),
      visitId,
      windowStart,
      windowEnd,
    });
  }
  inspectorsOf[first] = market;
  itemCodes.push(...marketItems.map((i) => i.code));
  const inspectors = [...market];
  if (kind === 'joint') {
    const hygiene = await insertItem(ds, {
      code: `CC-HYG-${n}`,
      name: '公共场所卫生检查',
      department: 'health',
      legalBasis: '《公共场所卫生管理条例》第十四条',
      requirements: ['卫生许可证', '空气质量检测报告'],
    });
    const health = [await inspector('health'), await inspector('health')];
    for (const u of health) await insertInspectorProfile(ds, u.user.id, [hygiene.id]);
    const second = await insertTask(ds, {
      enterpriseId: ent.id,
      kind: 'event',
      department: 'health',
      tier: 'B',
      itemIds: [hygiene.id],
      inspectors: health.map((u) => u.user.id),
      visitId,
      windowStart,
      windowEnd,
    });
    triggerIds.push(
      await insertTrigger(ds, {
        enterpriseId: ent.id,
        taskId: second,
        department: 'health',
        kind: 'report',
        reason: '群众举报：空调通风系统未清洗',
      }),
    );
    inspectorsOf[second] = health;
    itemCodes.push(hygiene.code);
    inspectors.push(...health);
  }
  const res = await market[0]!.agent.post(`/api/tasks/${first}/check-code`).send({});
  expect(res.status).toBe(201);
  const view = res.body as Record<string, unknown>;
  return {
    codeId: view.id as number,
    codeNo: view.codeNo as string,
    codeText: view.codeText as string,
    verifyUrl: view.verifyUrl as string,
    visitId,
    taskIds: view.taskIds as number[],
    enterprise: ent,
    inspectors,
    inspectorsOf,
    planNo,
    triggerIds,
    itemCodes,
    view,
  };
}

export interface CompleteOptions {
  /** the outcome recorded on every task (default no_problem) */
  outcome?: 'no_problem' | 'refused' | 'not_found';
  /** check the inspectors out after the results (default true) */
  checkOut?: boolean;
}

/**
 * Carries out the inspection through the API: every inspector of the code checks in, the first
 * inspector of each task records its result, every one checks out; the code is then completed.
 * @returns the code's view after the last step (CheckCodeView)
 */
export async function completeTestCode(
  t: TestApp,
  code: TestCode,
  opts: CompleteOptions = {},
): Promise<Record<string, unknown>> {
  await checkInTestCode(code);
  for (const taskId of code.taskIds) {
    const res = await code.inspectorsOf[taskId]![0]!.agent.post(`/api/tasks/${taskId}/result`).send({
      outcome: opts.outcome ?? 'no_problem',
    });
    expect(res.status).toBe(201);
  }
  if (opts.checkOut !== false)
    for (const u of code.inspectors)
      expect((await u.agent.post(`/api/check-codes/${code.codeId}/check-out`).send({})).status).toBe(200);
  const after = await code.inspectors[0]!.agent.get(`/api/check-codes/${code.codeId}`);
  expect(after.status).toBe(200);
  expect(after.body.status).toBe('completed');
  return after.body as Record<string, unknown>;
}

/** Every inspector of the code checks in (POST /api/check-codes/:id/check-in). */
export async function checkInTestCode(code: TestCode): Promise<void> {
  for (const u of code.inspectors) {
    const res = await u.agent.post(`/api/check-codes/${code.codeId}/check-in`).send({});
    expect(res.status).toBe(200);
  }
}
