import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { todayInShanghai } from '../src/common/clock.js';
import { addDays } from '../src/common/calendar-days.js';
import { VisitsService } from '../src/inspections/visits/visits.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import {
  completeTask,
  insertEnterprise,
  insertInspector,
  insertItem,
  insertPlan,
  insertRoutineTask,
} from './triggers-fixtures.js';
import { visitSnapshot } from './visit-snapshot.js';

/**
 * Event-triggered checks, joint visits, frequency alerts and the 无事不扰 report (issue 11, part 5)
 * through the API and the CLI, on the real database with the real migrations. Items, inspectors
 * and routine tasks come from SQL fixtures (test/triggers-fixtures.ts).
 */
describe('event triggers, joint visits and alerts', () => {
  let t: TestApp;
  let market: Agent;
  let health: Agent;
  let inspector: Agent;
  const today = todayInShanghai();
  const year = Number(today.slice(0, 4));
  const items: Record<string, number> = {};
  const inspectors: Record<string, number[]> = { market: [], health: [] };
  let tierA: { id: number; uscc: string };
  let tierC: { id: number; uscc: string };
  let gone: { id: number; uscc: string };

  const propose = (agent: Agent, body: Record<string, unknown>) =>
    agent.post('/api/triggers').send({ kind: 'complaint', reason: '消费者投诉', receivedOn: today, ...body });
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: market } = await t.signIn('regulator', { department: 'market' }));
    ({ agent: health } = await t.signIn('regulator', { department: 'health' }));
    ({ agent: inspector } = await t.signIn('inspector', { department: 'market' }));
    tierA = await insertEnterprise(t.dataSource, { name: '上海甲级餐饮有限公司', tier: 'A' });
    tierC = await insertEnterprise(t.dataSource, { name: '上海丙级超市有限公司', tier: 'C' });
    gone = await insertEnterprise(t.dataSource, {
      name: '上海已注销有限公司',
      tier: 'B',
      status: 'deregistered',
    });
    items['M-01'] = await insertItem(t.dataSource, 'M-01', 'market');
    items['M-02'] = await insertItem(t.dataSource, 'M-02', 'market', { checkMethod: 'documents' });
    items['M-09'] = await insertItem(t.dataSource, 'M-09', 'market', { active: false });
    items['H-01'] = await insertItem(t.dataSource, 'H-01', 'health');
    // market: two qualified for both items, one for M-01 only; health: two for H-01
    inspectors.market!.push(await insertInspector(t, 'market', [items['M-01']!, items['M-02']!]));
    inspectors.market!.push(await insertInspector(t, 'market', [items['M-01']!, items['M-02']!]));
    inspectors.market!.push(await insertInspector(t, 'market', [items['M-01']!]));
    inspectors.health!.push(await insertInspector(t, 'health', [items['H-01']!]));
    inspectors.health!.push(await insertInspector(t, 'health', [items['H-01']!]));
  });
  afterAll(() => t.close());

  it('refuses bad proposals with 422 naming every field at fault, and stores nothing', async () => {
    const res = await propose(market, {
      enterpriseUscc: '91310110MA1G8N5YX9',
      kind: 'rumour',
      receivedOn: addDays(today, 1),
      department: 'market',
      itemCodes: ['M-01', 'NOPE'],
    }).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind']);
    const res2 = await propose(market, {
      enterpriseUscc: '91310110MA1G8N5YX9',
      receivedOn: addDays(today, 1),
      department: 'market',
      itemCodes: ['M-01', 'NOPE', 'H-01', 'M-09', 'M-01'],
    }).expect(422);
    expect(res2.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'enterpriseUscc',
      'receivedOn',
      'itemCodes[1]',
      'itemCodes[2]',
      'itemCodes[3]',
      'itemCodes[4]',
    ]);
    expect(res2.body.errors[2].reason).toMatch(/not in the item list/);
    expect(res2.body.errors[3].reason).toMatch(/item of health, not of market/);
    expect(res2.body.errors[4].reason).toMatch(/not active/);
    const res3 = await propose(market, { enterpriseUscc: gone.uscc, department: 'market' }).expect(422);
    expect(res3.body.errors).toEqual([
      { field: 'enterpriseUscc', reason: expect.stringMatching(/deregistered/) },
    ]);
    await propose(market, { enterpriseUscc: tierA.uscc, department: 'nowhere' }).expect(422);
    // the court posts records and inspects nothing: a trigger for it could never be decided
    for (const receivedOn of [addDays(today, -731), '1900-01-01']) {
      const old = await propose(market, {
        enterpriseUscc: tierA.uscc,
        department: 'market',
        receivedOn,
      }).expect(422);
      expect(old.body.errors).toEqual([{ field: 'receivedOn', reason: expect.stringMatching(/art\. 36/) }]);
    }
    // two years back to the day is still taken (only the department is at fault here)
    const edge = await propose(market, {
      enterpriseUscc: tierA.uscc,
      department: 'nowhere',
      receivedOn: addDays(today, -730),
    }).expect(422);
    expect(edge.body.errors.map((e: { field: string }) => e.field)).toEqual(['department']);
    // a right-to-left override would show the reason reordered on every page (Trojan Source)
    const rtl = await propose(market, {
      enterpriseUscc: tierA.uscc,
      department: 'market',
      reason: '投诉\u202E称未退款',
    }).expect(422);
    expect(rtl.body.errors).toEqual([
      { field: 'reason', reason: expect.stringMatching(/U\+202E \(right-to-left override\)/) },
    ]);
    const court = await propose(market, { enterpriseUscc: tierA.uscc, department: 'court' }).expect(422);
    expect(court.body.errors.map((e: { field: string }) => e.field)).toEqual(['department']);
    await propose(market, { enterpriseUscc: tierA.uscc, department: 'market', reason: '' }).expect(422);
    // spaces only say nothing: refused with the field named, not by the database's CHECK
    const blank = await propose(market, {
      enterpriseUscc: tierA.uscc,
      department: 'market',
      reason: '   ',
    }).expect(422);
    expect(blank.body.errors).toEqual([
      { field: 'reason', reason: expect.stringMatching(/blank \(only spaces\)/) },
    ]);
    expect(await count(`SELECT count(*) AS n FROM inspection_trigger`)).toBe(0);
    // an inspector may not propose; an admin reads but does not propose
    await propose(inspector, { enterpriseUscc: tierA.uscc, department: 'market' }).expect(403);
    await propose(t.admin, { enterpriseUscc: tierA.uscc, department: 'market' }).expect(403);
  });

  let first: number;
  let taskId: number;

  it('a complaint on a tier-A enterprise is proposed, then accepted by the department: a task with two qualified inspectors, its visit', async () => {
    const created = (
      await propose(health, {
        enterpriseUscc: tierA.uscc,
        department: 'market',
        reason: '投诉：销售过期食品',
        sourceRef: '12315-0001',
        itemCodes: ['M-01'],
        receivedOn: addDays(today, -10),
      }).expect(201)
    ).body;
    first = created.id;
    expect(created).toMatchObject({
      enterprise: { uscc: tierA.uscc, name: '上海甲级餐饮有限公司' },
      kind: 'complaint',
      status: 'proposed',
      department: 'market',
      items: [{ id: items['M-01'], code: 'M-01', name: '检查事项M-01' }],
      sourceRef: '12315-0001',
      task: null,
    });
    const [audit] = await t.dataSource.query(
      `SELECT * FROM audit_log WHERE action = 'inspection_trigger.create' AND entity_id = $1`,
      [String(first)],
    );
    expect(audit.after).toMatchObject({ enterprise: tierA.uscc, itemCodes: ['M-01'] });

    // the health regulator proposed it (a referral to market), but only market decides: 403, audited
    const denied = await health.post(`/api/triggers/${first}/accept`).send({}).expect(403);
    expect(denied.body.message).toMatch(/of department market/);
    expect(
      await count(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied' AND entity_type = 'inspection_trigger' AND entity_id = $1`,
        [String(first)],
      ),
    ).toBe(1);
    await market.post(`/api/triggers/${first}/accept`).send({ windowDays: 0 }).expect(422);

    const accepted = (await market.post(`/api/triggers/${first}/accept`).send({}).expect(200)).body;
    expect(accepted).toMatchObject({ status: 'accepted', joinedExisting: false });
    taskId = accepted.task.id;
    expect(accepted.task).toMatchObject({
      status: 'assigned',
      department: 'market',
      windowStart: today,
      windowEnd: addDays(today, 14),
      triggers: 1,
      items: [{ code: 'M-01' }],
    });
    expect(accepted.task.inspectors).toHaveLength(2);
    for (const i of accepted.task.inspectors) expect(inspectors.market).toContain(i.userId);
    const [task] = await t.dataSource.query(`SELECT * FROM inspection_task WHERE id = $1`, [taskId]);
    expect(task).toMatchObject({ kind: 'event', tier: 'A', status: 'assigned' });
    expect(task.assignment_seed).toMatch(/^[0-9a-f]{64}$/);
    expect(accepted.task.visitId).toBe(Number(task.visit_id));
    const visit = (await market.get(`/api/joint-visits/${task.visit_id}`).expect(200)).body;
    expect(visit).toMatchObject({ joint: false, taskCount: 1, leadDepartment: 'market', windowStart: today });
    // alone in its visit: nothing was merged, no merge recorded
    expect(visit.merges).toEqual([]);
    expect(visit.tasks[0].triggers).toEqual([
      expect.objectContaining({ id: first, reason: '投诉：销售过期食品' }),
    ]);
    const actions = (
      await t.dataSource.query(`SELECT action FROM audit_log WHERE action LIKE 'inspection_%' ORDER BY seq`)
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual([
      'inspection_trigger.create',
      'inspection_task.create',
      'inspection_trigger.accept',
    ]);

    // decided once
    await market.post(`/api/triggers/${first}/accept`).send({}).expect(409);
    await market.post(`/api/triggers/${first}/dismiss`).send({ reason: '重复' }).expect(409);
  });

  it('a second trigger within the merge window joins the task: every reason listed, items added, inspectors qualified for all', async () => {
    const second = (
      await propose(market, {
        enterpriseUscc: tierA.uscc,
        department: 'market',
        kind: 'report',
        reason: '举报：无证经营',
        itemCodes: ['M-02'],
        receivedOn: addDays(today, -3),
      }).expect(201)
    ).body;
    const accepted = (await market.post(`/api/triggers/${second.id}/accept`).send({}).expect(200)).body;
    expect(accepted).toMatchObject({ joinedExisting: true, task: { id: taskId, triggers: 2 } });
    expect(accepted.task.items.map((i: { code: string }) => i.code)).toEqual(['M-01', 'M-02']);
    // the third market inspector is not qualified for M-02: whoever is assigned now is
    const assigned = accepted.task.inspectors.map((i: { userId: number }) => i.userId);
    expect(assigned).toHaveLength(2);
    expect(assigned).not.toContain(inspectors.market![2]);
    const listed = (await market.get('/api/triggers').query({ taskId }).expect(200)).body;
    expect(listed.items.map((g: { reason: string }) => g.reason).sort()).toEqual([
      '举报：无证经营',
      '投诉：销售过期食品',
    ]);
    // a trigger outside the window (received 40 days before the first) makes a task of its own
    const late = (
      await propose(market, {
        enterpriseUscc: tierA.uscc,
        department: 'market',
        kind: 'referral',
        reason: '区政府交办',
        itemCodes: ['M-01'],
        receivedOn: addDays(today, -50),
      }).expect(201)
    ).body;
    const lateAccepted = (
      await market.post(`/api/triggers/${late.id}/accept`).send({ windowDays: 30 }).expect(200)
    ).body;
    expect(lateAccepted.joinedExisting).toBe(false);
    expect(lateAccepted.task.id).not.toBe(taskId);
    expect(lateAccepted.task.windowEnd).toBe(addDays(today, 29));
  });

  it("another department's task in an overlapping window joins the visit: one combined checklist, the lead, the merge recorded", async () => {
    const h = (
      await propose(health, {
        enterpriseUscc: tierA.uscc,
        department: 'health',
        kind: 'data_alert',
        reason: '卫生监测数据异常',
        itemCodes: ['H-01'],
      }).expect(201)
    ).body;
    const accepted = (await health.post(`/api/triggers/${h.id}/accept`).send({}).expect(200)).body;
    const visitId = accepted.task.visitId;
    const visit = (await market.get(`/api/joint-visits/${visitId}`).expect(200)).body;
    expect(visit.joint).toBe(true);
    expect(visit.taskCount).toBe(3);
    // market has two items, health one: market leads
    expect(visit.leadDepartment).toBe('market');
    expect(visit.departments).toEqual(['market', 'health']);
    expect(visit.checklist.entries.map((e: { code: string }) => e.code)).toEqual(['M-01', 'M-02', 'H-01']);
    expect(visit.checklist.entries[0].requirements).toEqual(['M-01 要求一', 'M-01 要求二']);
    expect(visit.checklist.entries[0].taskIds).toHaveLength(2);
    expect(visit.checklist.onSite).toBe(true);
    expect(visit.merges.at(-1)).toMatchObject({
      taskId: accepted.task.id,
      reason: expect.stringMatching(/检查窗口重叠，合并为一次联合检查/),
    });
    // the enterprise's open tasks are all in that one visit, the first one's
    const visits = await t.dataSource.query(
      `SELECT status, count(*)::int AS n FROM joint_visit WHERE enterprise_id = $1 GROUP BY status ORDER BY status`,
      [tierA.id],
    );
    expect(visits).toEqual([{ status: 'open', n: 1 }]);
    const list = (await market.get('/api/joint-visits').query({ joint: 'true' }).expect(200)).body;
    expect(list.items.map((v: { id: number }) => v.id)).toEqual([visitId]);
    expect(
      (await market.get('/api/joint-visits').query({ department: 'health' }).expect(200)).headers[
        'x-total-count'
      ],
    ).toBe('1');
    const report = (await market.get('/api/joint-visits/report').query({ year }).expect(200)).body;
    expect(report).toMatchObject({ year, tasks: 3, visits: 1, jointVisits: 1, saved: 2 });
    expect(report.byDepartment.find((d: { department: string }) => d.department === 'health')).toMatchObject({
      tasks: 1,
      saved: 1,
    });
    await inspector.get('/api/joint-visits').expect(403);
    await market.get('/api/joint-visits/999999').expect(404);
    await market.get('/api/joint-visits/abc').expect(422);
  });

  it('dismissal with a reason; a shortfall of inspectors is a 422 naming the department, nothing saved', async () => {
    const d = (
      await propose(market, { enterpriseUscc: tierC.uscc, department: 'market', itemCodes: ['M-01'] }).expect(
        201,
      )
    ).body;
    await market.post(`/api/triggers/${d.id}/dismiss`).send({}).expect(422);
    const dismissed = (
      await market.post(`/api/triggers/${d.id}/dismiss`).send({ reason: '经核实投诉不实' }).expect(200)
    ).body;
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissalReason: '经核实投诉不实', task: null });
    await market.post(`/api/triggers/${d.id}/accept`).send({}).expect(409);

    // one of the two health inspectors recused for this enterprise: one left, two needed
    await t.dataSource.query(
      `INSERT INTO recusal (inspector_id, enterprise_id, source, reason, status, reviewed_at) VALUES ($1, $2, 'inspector', '亲属', 'approved', now())`,
      [inspectors.health![0], tierC.id],
    );
    const h = (
      await propose(health, { enterpriseUscc: tierC.uscc, department: 'health', itemCodes: ['H-01'] }).expect(
        201,
      )
    ).body;
    const tasksBefore = await count(`SELECT count(*) AS n FROM inspection_task`);
    const refused = await health.post(`/api/triggers/${h.id}/accept`).send({}).expect(422);
    expect(refused.body.errors).toEqual([
      {
        field: 'inspectors',
        reason: expect.stringMatching(/department health has 1 inspector.*2 are needed/),
      },
    ]);
    expect(await count(`SELECT count(*) AS n FROM inspection_task`)).toBe(tasksBefore);
    expect((await health.get(`/api/triggers/${h.id}`).expect(200)).body.status).toBe('proposed');
    // no item named anywhere: 422 itemCodes
    const bare = (await propose(health, { enterpriseUscc: tierC.uscc, department: 'health' }).expect(201))
      .body;
    const noItems = await health.post(`/api/triggers/${bare.id}/accept`).send({}).expect(422);
    expect(noItems.body.errors[0].field).toBe('itemCodes');
    const other = await health
      .post(`/api/triggers/${bare.id}/accept`)
      .send({ itemCodes: ['M-01'] })
      .expect(422);
    expect(other.body.errors[0].field).toBe('itemCodes[0]');
    // the list by status
    const proposed = (await t.admin.get('/api/triggers').query({ status: 'proposed' }).expect(200)).body;
    expect(proposed.items.map((g: { id: number }) => g.id).sort()).toEqual([h.id, bare.id].sort());
  });

  it('无事不扰: event tasks on tier-A enterprises with triggers are no violation ("0 violations"); a routine one or one without a trigger is', async () => {
    const clean = (await market.get('/api/reports/no-disturbance').expect(200)).body;
    expect(clean).toMatchObject({ bestTier: 'A', tasks: 3, byKind: { routine: 0, event: 3 }, violations: 0 });
    expect(clean.summary).toMatch(/^0 violations: each of the 3 task\(s\) on tier-A enterprises/);
    expect(clean.summaryZh).toMatch(/^0 项违规/);
    expect(
      clean.items.every((i: { triggers: unknown[]; violation: null }) => i.triggers.length && !i.violation),
    ).toBe(true);

    const plan = await insertPlan(t.dataSource, { year, lead: 'market' });
    const routine = await insertRoutineTask(t.dataSource, plan, {
      enterpriseId: tierA.id,
      department: 'market',
      tier: 'A',
      windowStart: today,
      windowEnd: addDays(today, 5),
      itemIds: [items['M-01']!],
    });
    const [bare] = await t.dataSource.query(
      `INSERT INTO inspection_task (kind, enterprise_id, department, window_start, window_end, assignment_seed)
       VALUES ('event', $1, 'market', $2, $2, 'x') RETURNING id`,
      [tierA.id, today],
    );
    const found = (
      await market
        .get('/api/reports/no-disturbance')
        .query({ from: `${year}-01-01`, to: today })
        .expect(200)
    ).body;
    expect(found.violations).toBe(2);
    expect(found.violationTaskIds).toEqual([routine, Number(bare.id)].sort((a, b) => a - b));
    expect(found.summary).toMatch(/^2 violation\(s\)/);
    expect(found.items.slice(0, 2).every((i: { violation: string | null }) => i.violation)).toBe(true);
    // an earlier period holds none of them
    const before = (
      await market
        .get('/api/reports/no-disturbance')
        .query({ from: `${year - 1}-01-01`, to: `${year - 1}-12-31` })
        .expect(200)
    ).body;
    expect(before).toMatchObject({
      tasks: 0,
      violations: 0,
      summary: expect.stringMatching(/^0 violations: no task/),
    });
    await market
      .get('/api/reports/no-disturbance')
      .query({ from: today, to: addDays(today, -1) })
      .expect(422);
    // the draw's regrouping on the routine task: it joins the tier-A enterprise's visit
    await t.dataSource.transaction((m) => t.app.get(VisitsService).regroup(m, [tierA.id]));
    const [{ visit_id }] = await t.dataSource.query(`SELECT visit_id FROM inspection_task WHERE id = $1`, [
      routine,
    ]);
    expect(Number(visit_id)).toBe((await market.get(`/api/triggers/${first}`).expect(200)).body.task.visitId);
    // leave the enterprise clean again for the CLI's report below
    await t.dataSource.query(
      `UPDATE inspection_task SET status = 'cancelled', cancel_reason = 'test' WHERE id = ANY($1)`,
      [[routine, Number(bare.id)]],
    );
    await t.dataSource.query(`DELETE FROM joint_visit_merge WHERE task_id = ANY($1)`, [
      [routine, Number(bare.id)],
    ]);
    await t.dataSource.query(`DELETE FROM inspection_task WHERE id = ANY($1)`, [[routine, Number(bare.id)]]);
  });

  it('frequency alerts: over the cap, repeat visits, an inspector finding nothing three times in a row', async () => {
    const plan = await insertPlan(t.dataSource, { year, lead: 'market', caps: { A: 0, B: 2, C: 2, D: 2 } });
    const plan2 = await insertPlan(t.dataSource, { year, lead: 'health', caps: { A: 0, B: 2, C: 2, D: 2 } });
    const mk = (p: typeof plan, department: string, start: string) =>
      insertRoutineTask(t.dataSource, p, {
        enterpriseId: tierC.id,
        department,
        tier: 'C',
        windowStart: start,
        windowEnd: start,
        itemIds: [items[department === 'market' ? 'M-01' : 'H-01']!],
      });
    const a = await mk(plan, 'market', `${year}-03-02`);
    const b = await mk(plan2, 'health', `${year}-03-02`);
    const c = await mk(plan2, 'market', `${year}-03-04`);
    const who = inspectors.market![0]!;
    await completeTask(t.dataSource, a, 'no_problem', `${year}-03-02T02:00:00Z`, who);
    await completeTask(t.dataSource, b, 'no_problem', `${year}-03-02T06:00:00Z`);
    await completeTask(t.dataSource, c, 'no_problem', `${year}-03-04T03:00:00Z`, who);
    const r1 = (await market.get('/api/inspection-alerts').query({ year }).expect(200)).body;
    expect(r1.overCap).toEqual([
      {
        enterprise: { uscc: tierC.uscc, name: '上海丙级超市有限公司' },
        tier: 'C',
        checks: 3,
        cap: 2,
        over: 1,
        taskIds: [a, b, c],
      },
    ]);
    expect(r1.repeatVisits.map((x: { rule: string; visits: string[] }) => [x.rule, x.visits])).toEqual([
      ['day', [`task:${a}`, `task:${b}`]],
      ['week', [`task:${a}`, `task:${b}`, `task:${c}`]],
    ]);
    expect(r1.inspectorsToReview).toEqual([]);
    const plan3 = await insertPlan(t.dataSource, { year, lead: 'market' });
    const d = await mk(plan3, 'market', `${year}-06-01`);
    await completeTask(t.dataSource, d, 'no_problem', `${year}-06-01T03:00:00Z`, who);
    const r2 = (await market.get('/api/inspection-alerts').query({ year }).expect(200)).body;
    expect(r2.noFindingStreak).toBe(3);
    expect(r2.inspectorsToReview).toEqual([
      expect.objectContaining({
        inspector: expect.objectContaining({ userId: who, department: 'market' }),
        enterprise: { uscc: tierC.uscc, name: '上海丙级超市有限公司' },
        streak: 3,
        taskIds: [a, c, d],
      }),
    ]);
    // the streak setting: 4 in a row needed now
    await t.admin.patch('/api/settings').send({ inspectorNoFindingStreak: 4 }).expect(200);
    expect(
      (await market.get('/api/inspection-alerts').query({ year }).expect(200)).body.inspectorsToReview,
    ).toEqual([]);
    await t.admin.patch('/api/settings').send({ inspectorNoFindingStreak: 3 }).expect(200);
    await market.get('/api/inspection-alerts').query({ year: 1999 }).expect(422);
    await inspector.get('/api/inspection-alerts').expect(403);
  });

  it('regrouping closes a visit left without open tasks: cancelled, or completed when it holds a result', async () => {
    const e = await insertEnterprise(t.dataSource, { name: '上海重组测试有限公司', tier: 'B' });
    const plan = await insertPlan(t.dataSource, { year, lead: 'market' });
    const mk = (department: string, start: string, end: string, p = plan) =>
      insertRoutineTask(t.dataSource, p, {
        enterpriseId: e.id,
        department,
        tier: 'B',
        windowStart: start,
        windowEnd: end,
        itemIds: [items[department === 'market' ? 'M-01' : 'H-01']!],
      });
    const x = await mk('market', `${year}-02-01`, `${year}-02-10`);
    const y = await mk('health', `${year}-02-20`, `${year}-02-28`);
    const regroup = () => t.dataSource.transaction((m) => t.app.get(VisitsService).regroup(m, [e.id]));
    await regroup();
    const visitOf = async (id: number) =>
      Number(
        (await t.dataSource.query(`SELECT visit_id FROM inspection_task WHERE id = $1`, [id]))[0].visit_id,
      );
    const vx = await visitOf(x);
    const vy = await visitOf(y);
    expect(vx).not.toBe(vy);
    // the health task's window moves to overlap: both in one visit, the other one cancelled
    await t.dataSource.query(`UPDATE inspection_task SET window_start = $2, window_end = $3 WHERE id = $1`, [
      y,
      `${year}-02-05`,
      `${year}-02-25`,
    ]);
    await regroup();
    expect(await visitOf(y)).toBe(vx);
    const status = async (v: number) =>
      (
        await t.dataSource.query(`SELECT status, window_start, window_end FROM joint_visit WHERE id = $1`, [
          v,
        ])
      )[0];
    expect(await status(vy)).toMatchObject({ status: 'cancelled' });
    expect(await status(vx)).toMatchObject({
      status: 'open',
      window_start: `${year}-02-05`,
      window_end: `${year}-02-10`,
    });
    // x done; two more tasks w (market, done) and z (health) in a visit of their own in March
    await completeTask(t.dataSource, x, 'no_problem', `${year}-02-06T02:00:00Z`);
    const plan2 = await insertPlan(t.dataSource, { year, lead: 'market' });
    const w = await mk('market', `${year}-03-01`, `${year}-03-05`, plan2);
    const z = await mk('health', `${year}-03-01`, `${year}-03-20`, plan2);
    await regroup();
    const vwz = await visitOf(w);
    expect(await visitOf(z)).toBe(vwz);
    expect(vwz).not.toBe(vx);
    await completeTask(t.dataSource, w, 'no_problem', `${year}-03-02T02:00:00Z`);
    // y now overlaps z: one group of y and z, which keeps the lower visit (a tie); the other one,
    // left with its done task only, is completed
    await t.dataSource.query(`UPDATE inspection_task SET window_start = $2, window_end = $3 WHERE id = $1`, [
      y,
      `${year}-02-25`,
      `${year}-03-10`,
    ]);
    await regroup();
    expect(await visitOf(y)).toBe(vx);
    expect(await visitOf(z)).toBe(vx);
    expect(await status(vwz)).toMatchObject({ status: 'completed' });
    expect(await status(vx)).toMatchObject({
      status: 'open',
      window_start: `${year}-03-01`,
      window_end: `${year}-03-10`,
    });
    await t.dataSource.query(`UPDATE inspection_task SET status = 'cancelled' WHERE id = ANY($1)`, [[y, z]]);
  });

  it('regroup is set-based: 5 000 new tasks of 5 000 enterprises in a few statements, one visit each, no merge (each task alone)', async () => {
    const plan = await insertPlan(t.dataSource, { year, lead: 'market' });
    const n = 5_000;
    await t.dataSource.query(
      `INSERT INTO enterprise (uscc, name, status, source_system, source_key)
       SELECT 'T' || lpad(i::text, 17, '0'), '批量企业' || i, 'active', 'bulk-test', i::text FROM generate_series(1, $1) i`,
      [n],
    );
    await t.dataSource.query(
      `INSERT INTO inspection_task (kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start, window_end, assignment_seed)
       SELECT 'routine', e.id, 'market', $1, $2, $3, 'C', $4::date, $4::date + 30, 's' FROM enterprise e WHERE e.source_system = 'bulk-test'`,
      [plan.planId, plan.batchId, plan.drawId, today],
    );
    await t.dataSource.query(
      `INSERT INTO inspection_task_item (task_id, item_id) SELECT id, $2 FROM inspection_task WHERE batch_id = $1`,
      [plan.batchId, items['M-01']],
    );
    const ids: number[] = (
      await t.dataSource.query(`SELECT id FROM enterprise WHERE source_system = 'bulk-test'`)
    ).map((r: { id: string }) => Number(r.id));
    const started = Date.now();
    let statements = 0;
    await t.dataSource.transaction((m) =>
      t.app.get(VisitsService).regroup(
        new Proxy(m, {
          get: (target, prop, receiver) =>
            prop === 'query'
              ? (sql: string, params?: unknown[]) => {
                  statements++;
                  return target.query(sql, params);
                }
              : Reflect.get(target, prop, receiver),
        }),
        ids,
      ),
    );
    process.stdout.write(`regroup of ${n} tasks: ${Date.now() - started} ms, ${statements} statements\n`);
    // the lock, the tasks, the new visits' ids, the new visits, the moved tasks: not one per enterprise
    expect(statements).toBeLessThanOrEqual(6);
    expect(
      await count(`SELECT count(*) AS n FROM inspection_task WHERE batch_id = $1 AND visit_id IS NOT NULL`, [
        plan.batchId,
      ]),
    ).toBe(n);
    expect(
      await count(
        `SELECT count(*) AS n FROM joint_visit_merge j JOIN inspection_task t ON t.id = j.task_id WHERE t.batch_id = $1`,
        [plan.batchId],
      ),
    ).toBe(0);
    // again: nothing moves
    const visitSum = `SELECT sum(visit_id) AS n FROM inspection_task WHERE batch_id = $1`;
    const placedSum = await count(visitSum, [plan.batchId]);
    await t.dataSource.transaction((m) => t.app.get(VisitsService).regroup(m, ids));
    expect(await count(visitSum, [plan.batchId])).toBe(placedSum);
    expect(
      await count(
        `SELECT count(*) AS n FROM joint_visit_merge j JOIN inspection_task t ON t.id = j.task_id WHERE t.batch_id = $1`,
        [plan.batchId],
      ),
    ).toBe(0);
    await t.dataSource.query(`UPDATE inspection_task SET status = 'cancelled' WHERE batch_id = $1`, [
      plan.batchId,
    ]);
  });

  it("placeNewTasks places a draw's new tasks as regroup would place them written without a visit", async () => {
    const plan = await insertPlan(t.dataSource, { year: year + 3, lead: 'health' });
    const y = year + 3;
    const d = (md: string) => `${y}-${md}`;
    const e = async (name: string) => (await insertEnterprise(t.dataSource, { name, tier: 'C' })).id;
    const fresh = await e('上海新任务一有限公司'); // new tasks only: one joint visit of two
    const joins = await e('上海新任务二有限公司'); // a stored open task overlapping: joins its visit
    const apart = await e('上海新任务三有限公司'); // a stored task in a disjoint window
    const splits = await e('上海新任务四有限公司'); // a stored visit of two split by the new task
    // a second plan: one routine task per batch, enterprise and department
    const plan2 = await insertPlan(t.dataSource, { year: y, lead: 'market' });
    const stored = async (enterpriseId: number, department: string, from: string, to: string, p = plan) =>
      insertRoutineTask(t.dataSource, p, {
        enterpriseId,
        department,
        tier: 'C',
        windowStart: d(from),
        windowEnd: d(to),
        itemIds: [items[department === 'market' ? 'M-01' : 'H-01']!],
      });
    const before = [
      await stored(joins, 'market', '02-01', '02-20'),
      await stored(apart, 'market', '09-01', '09-30'),
      await stored(splits, 'market', '01-01', '01-10'),
      await stored(splits, 'market', '01-05', '02-10', plan2),
    ];
    const enterprises = [fresh, joins, apart, splits];
    await t.dataSource.transaction((m) => t.app.get(VisitsService).regroup(m, enterprises));
    const keptVisits = new Set<number>(
      (
        await t.dataSource.query(`SELECT id FROM joint_visit WHERE enterprise_id = ANY($1::bigint[])`, [
          enterprises,
        ])
      ).map((r: { id: string }) => Number(r.id)),
    );
    expect(keptVisits.size).toBe(3);
    const [{ lastMerge }] = await t.dataSource.query(
      `SELECT coalesce(max(id), 0)::int AS "lastMerge" FROM joint_visit_merge`,
    );
    const added = [
      { enterpriseId: fresh, department: 'market', from: '03-01', to: '03-31', item: 'M-01' },
      { enterpriseId: fresh, department: 'health', from: '03-10', to: '04-30', item: 'H-01' },
      { enterpriseId: joins, department: 'health', from: '02-10', to: '03-31', item: 'H-01' },
      { enterpriseId: apart, department: 'health', from: '03-01', to: '03-31', item: 'H-01' },
      { enterpriseId: splits, department: 'health', from: '01-01', to: '01-03', item: 'H-01' },
    ];
    // one run: the new tasks' ids, placed first, written with their visits (or written bare and
    // regrouped), snapshot, rolled back
    const run = async (place: boolean): Promise<string[]> => {
      let snapshot: string[] = [];
      await t.dataSource
        .transaction(async (m) => {
          const [{ list }] = await m.query(
            `SELECT string_agg(nextval(pg_get_serial_sequence('inspection_task', 'id'))::text, ',') AS list FROM generate_series(1, $1::int)`,
            [added.length],
          );
          const ids = (list as string).split(',').map(Number);
          const visits = t.app.get(VisitsService);
          const placed = place
            ? await visits.placeNewTasks(
                m,
                added.map((a, i) => ({
                  id: ids[i]!,
                  enterpriseId: a.enterpriseId,
                  department: a.department,
                  windowStart: d(a.from),
                  windowEnd: d(a.to),
                  itemIds: [items[a.item]!],
                  planLead: 'health',
                })),
              )
            : null;
          for (const [i, a] of added.entries()) {
            await m.query(
              `INSERT INTO inspection_task (id, kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start,
                 window_end, assignment_seed, visit_id) OVERRIDING SYSTEM VALUE
               VALUES ($1, 'routine', $2, $3, $4, $5, $6, 'C', $7, $8, 'seed', $9)`,
              [
                ids[i],
                a.enterpriseId,
                a.department,
                plan.planId,
                plan.batchId,
                plan.drawId,
                d(a.from),
                d(a.to),
                placed?.visitIds[i] ?? null,
              ],
            );
            await m.query(`INSERT INTO inspection_task_item (task_id, item_id) VALUES ($1, $2)`, [
              ids[i],
              items[a.item],
            ]);
          }
          if (placed) await placed.recordMerges();
          else await visits.regroup(m, enterprises);
          const label = (id: number) =>
            ids.includes(id) ? `new${ids.indexOf(id)}` : `old${before.indexOf(id)}`;
          snapshot = await visitSnapshot(m, enterprises, label, keptVisits, lastMerge);
          throw new Error('rollback');
        })
        .catch((err: Error) => {
          if (err.message !== 'rollback') throw err;
        });
      return snapshot;
    };
    const placed = await run(true);
    const regrouped = await run(false);
    expect(placed).toEqual(regrouped);
    // what the cases make: the split moved a stored task; merges only where tasks share a visit
    expect(placed.filter((l) => l.startsWith('visit')).length).toBe(6);
    expect(placed.some((l) => l.startsWith('merge old3 -> [old3] '))).toBe(false);
    expect(placed.filter((l) => l.startsWith('merge')).map((l) => l.split(' [')[0])).toEqual([
      'merge new0 ->',
      'merge new1 ->',
      'merge new2 ->',
      'merge new4 ->',
    ]);
  });

  const cli = path.resolve('dist/src/cli.js');
  (existsSync(cli) ? it : it.skip)(
    'the CLI: trigger accept, report no-disturbance (the other commands share their services)',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'trigger-cli-'));
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [cli, ...args], {
          encoding: 'utf8',
          cwd: dir,
          env: {
            ...process.env,
            DATABASE_URL: t.url,
            LOG_LEVEL: 'error',
            AUDIT_KEY_FILE: path.join(dir, 'key.pem'),
          },
        });
      try {
        const { id } = (
          await propose(market, {
            enterpriseUscc: tierC.uscc,
            kind: 'legal_requirement',
            reason: '法定年度检查',
            department: 'market',
            itemCodes: ['M-01'],
          }).expect(201)
        ).body;
        const accepted = run('trigger', 'accept', String(id), '--window-days', '10');
        expect(accepted.stderr).toBe('');
        expect(accepted.stdout).toMatch(/new task \d+/);
        expect(accepted.stdout).toContain(`${today}..${addDays(today, 9)}`);
        const report = run('report', 'no-disturbance');
        expect(report.stderr).toBe('');
        expect(report.status).toBe(0);
        expect(report.stdout).toMatch(/^0 violations: each of the 3 task\(s\)/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
