import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '../src/audit/actor.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import {
  daysFromToday,
  enterpriseOfTier,
  insertInspectorProfile,
  insertItem,
  insertJointVisit,
  insertPublishedPlan,
  insertTask,
  insertTrigger,
  today,
} from './planning-fixtures.js';

/**
 * Inspection tasks and results through the API (issue 11 "Results", "Pages: task board, my
 * tasks"): the board's filters, an inspector's views, the detail with the combined checklist,
 * recording a result into the inspection_result credit record with the rescoring in one
 * transaction, and every refusal (403 audited, 409, 422 by field, nothing saved). Results are
 * recorded as an inspector would: with the visit's inspection code issued and checked in under
 * (issue 12, 无码不检查: a result without one is refused, 409, audited task.result_refused).
 */
describe('inspection tasks through the API', () => {
  let t: TestApp;
  let regulator: Agent;
  let insp1: { agent: Agent; id: number; name: string };
  let insp2: { agent: Agent; id: number; name: string };
  let insp3: { agent: Agent; id: number; name: string };
  let healthInsp: { agent: Agent; id: number };
  let food: { id: number; code: string };
  let licence: { id: number; code: string };
  let hygiene: { id: number; code: string };
  let plan: Awaited<ReturnType<typeof insertPublishedPlan>>;
  let ent: {
    b: Awaited<ReturnType<typeof enterpriseOfTier>>;
    b2: Awaited<ReturnType<typeof enterpriseOfTier>>;
  };
  const ids: Record<string, number> = {};

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.dataSource.query(sql, params))[0].n);
  const tierOf = async (id: number) =>
    (await t.dataSource.query(`SELECT tier, score FROM credit_score WHERE enterprise_id = $1`, [id]))[0] as {
      tier: string;
      score: string;
    };

  beforeAll(async () => {
    t = await createTestApp();
    expect(await loadDemoData(t.app, 120, true, systemActor('test'))).not.toBeNull();
    regulator = (await t.signIn('regulator')).agent;
    const mk = async (department = 'market') => {
      const r = await t.signIn('inspector', { department });
      return { agent: r.agent, id: r.user.id, name: r.user.displayName ?? r.user.username };
    };
    insp1 = await mk();
    insp2 = await mk();
    insp3 = await mk();
    healthInsp = await mk('health');
    food = await insertItem(t.dataSource, {
      code: 'MK-FOOD-01',
      name: '食品经营许可情况检查',
      requirements: ['公示食品经营许可证', '从业人员持有健康证明'],
    });
    licence = await insertItem(t.dataSource, { code: 'MK-LIC-01', name: '营业执照公示检查' });
    hygiene = await insertItem(t.dataSource, {
      code: 'HE-HYG-01',
      name: '公共场所卫生检查',
      department: 'health',
      legalBasis: '《公共场所卫生管理条例》第十四条',
      requirements: ['卫生许可证', '空气质量检测报告'],
    });
    for (const u of [insp1, insp2, insp3])
      await insertInspectorProfile(t.dataSource, u.id, [food.id, licence.id]);
    await insertInspectorProfile(t.dataSource, healthInsp.id, [hygiene.id]);
    plan = await insertPublishedPlan(t.dataSource, {
      itemIds: [food.id, licence.id, hygiene.id],
      joint: ['health'],
      batch: { windowStart: daysFromToday(-10), windowEnd: daysFromToday(20) },
    });
    ent = { b: await enterpriseOfTier(t.dataSource, 'B'), b2: await enterpriseOfTier(t.dataSource, 'B', 1) };
    // a joint visit: market (lead) and health on enterprise b
    const visit = await insertJointVisit(t.dataSource, { enterpriseId: ent.b.id, leadDepartment: 'market' });
    ids.visit = visit;
    ids.joint = await insertTask(t.dataSource, {
      enterpriseId: ent.b.id,
      plan,
      tier: 'B',
      itemIds: [food.id, licence.id],
      inspectors: [insp1.id, insp2.id],
      skipped: [insp3.id],
      visitId: visit,
      windowEnd: daysFromToday(3),
    });
    ids.jointHealth = await insertTask(t.dataSource, {
      enterpriseId: ent.b.id,
      department: 'health',
      kind: 'event',
      tier: 'B',
      itemIds: [hygiene.id],
      inspectors: [healthInsp.id],
      visitId: visit,
    });
    await insertTrigger(t.dataSource, {
      enterpriseId: ent.b.id,
      taskId: ids.jointHealth,
      department: 'health',
      reason: '群众举报：空调通风系统未清洗',
    });
    await insertTrigger(t.dataSource, {
      enterpriseId: ent.b.id,
      taskId: ids.jointHealth,
      department: 'health',
      kind: 'referral',
      reason: '区卫健委交办',
      sourceRef: '杨卫交〔2026〕12号',
    });
    // tasks of enterprise b2: open today, overdue, future, completed, cancelled
    ids.today = await insertTask(t.dataSource, {
      enterpriseId: ent.b2.id,
      plan: await insertPublishedPlan(t.dataSource, { itemIds: [food.id] }),
      tier: 'B',
      itemIds: [food.id],
      inspectors: [insp1.id, insp3.id],
    });
    ids.overdue = await insertTask(t.dataSource, {
      enterpriseId: ent.b2.id,
      kind: 'event',
      itemIds: [licence.id],
      inspectors: [insp1.id, insp2.id],
      windowStart: daysFromToday(-20),
      windowEnd: daysFromToday(-2),
    });
    ids.future = await insertTask(t.dataSource, {
      enterpriseId: ent.b2.id,
      kind: 'event',
      itemIds: [licence.id],
      inspectors: [insp1.id, insp2.id],
      windowStart: daysFromToday(30),
      windowEnd: daysFromToday(40),
    });
    ids.cancelled = await insertTask(t.dataSource, {
      enterpriseId: ent.b2.id,
      kind: 'event',
      itemIds: [licence.id],
      inspectors: [insp1.id],
      status: 'cancelled',
    });
  });
  afterAll(() => t.close());

  describe('the board', () => {
    const board = async (query: Record<string, unknown>) => {
      const res = await regulator.get('/api/tasks').query(query).expect(200);
      expect(res.headers['x-total-count']).toBe(String(res.body.total));
      return res.body as { items: { id: number }[]; total: number; page: number; pageSize: number };
    };

    it('lists tasks by window end, with enterprise, plan, batch, items and assigned inspectors', async () => {
      const all = await board({});
      expect(all.total).toBe(6);
      const joint = (all.items as Record<string, unknown>[]).find((x) => x.id === ids.joint)!;
      expect(joint).toMatchObject({
        kind: 'routine',
        status: 'assigned',
        department: 'market',
        tier: 'B',
        overdue: false,
        enterprise: { uscc: ent.b.uscc, name: ent.b.name },
        plan: { id: plan.planId, planNo: plan.planNo, version: 1 },
        batch: { id: plan.batchId, seq: 1, name: '第一批' },
        drawId: plan.drawId,
        visitId: ids.visit,
        jointVisit: true,
        items: [
          { code: 'MK-FOOD-01', name: '食品经营许可情况检查' },
          { code: 'MK-LIC-01', name: '营业执照公示检查' },
        ],
        inspectors: [
          { userId: insp1.id, displayName: insp1.name },
          { userId: insp2.id, displayName: insp2.name },
        ],
        outcome: null,
      });
      expect(all.items[0]!.id).toBe(ids.overdue); // the earliest window end first
    });

    it('calls a visit joint (综合查一次) only when it holds another live task', async () => {
      // a draw gives each task a visit; most hold that one task only
      const alone = await insertJointVisit(t.dataSource, {
        enterpriseId: ent.b2.id,
        leadDepartment: 'market',
      });
      await t.dataSource.query(`UPDATE inspection_task SET visit_id = $1 WHERE id = $2`, [alone, ids.today]);
      try {
        const of = async (uscc: string) =>
          new Map(
            (
              (await board({ uscc })).items as { id: number; visitId: number | null; jointVisit: boolean }[]
            ).map((x) => [x.id, x]),
          );
        const b2 = await of(ent.b2.uscc);
        expect(b2.get(ids.today)).toMatchObject({ visitId: alone, jointVisit: false });
        expect(b2.get(ids.overdue)).toMatchObject({ visitId: null, jointVisit: false });
        const b = await of(ent.b.uscc);
        expect(b.get(ids.jointHealth)).toMatchObject({ visitId: ids.visit, jointVisit: true });
        const mine = (await insp1.agent.get('/api/my/tasks').query({ when: 'open' }).expect(200)).body.items;
        expect(mine.find((x: { id: number }) => x.id === ids.today).jointVisit).toBe(false);
      } finally {
        await t.dataSource.query(`UPDATE inspection_task SET visit_id = NULL WHERE id = $1`, [ids.today]);
      }
    });

    it('filters by each field and pages', async () => {
      expect((await board({ status: 'cancelled' })).items.map((x) => x.id)).toEqual([ids.cancelled]);
      expect((await board({ kind: 'routine' })).total).toBe(2);
      expect((await board({ department: 'health' })).items.map((x) => x.id)).toEqual([ids.jointHealth]);
      expect((await board({ planId: plan.planId })).items.map((x) => x.id)).toEqual([ids.joint]);
      expect((await board({ batchId: plan.batchId })).items.map((x) => x.id)).toEqual([ids.joint]);
      expect((await board({ uscc: ent.b.uscc.toLowerCase() })).total).toBe(2);
      expect((await board({ inspector: insp3.id })).items.map((x) => x.id)).toEqual([ids.today]); // skipped: not counted
      expect((await board({ overdue: 'true' })).items.map((x) => x.id)).toEqual([ids.overdue]);
      expect((await board({ overdue: 'false' })).total).toBe(5);
      expect((await board({ from: daysFromToday(25) })).items.map((x) => x.id)).toEqual([ids.future]);
      expect((await board({ to: daysFromToday(-15) })).items.map((x) => x.id)).toEqual([ids.overdue]);
      expect((await board({ from: daysFromToday(-1), to: daysFromToday(-1), kind: 'event' })).total).toBe(2);
      const page2 = await board({ pageSize: 4, page: 2 });
      expect(page2).toMatchObject({ total: 6, page: 2, pageSize: 4 });
      expect(page2.items).toHaveLength(2);
    });

    it('refuses bad filters by name, and inspectors (their tasks are under my tasks)', async () => {
      const res = await regulator
        .get('/api/tasks')
        .query({ status: 'done', department: 'nowhere', overdue: 'yes', from: '2026-02-30' })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'department',
        'from',
        'overdue',
        'status',
      ]);
      const order = await regulator
        .get('/api/tasks')
        .query({ from: '2026-12-10', to: '2026-12-01' })
        .expect(422);
      expect(order.body.errors).toEqual([{ field: 'to', reason: expect.stringContaining('before from') }]);
      await insp1.agent.get('/api/tasks').expect(403);
      await regulator.get('/api/my/tasks').expect(403);
    });
  });

  describe('my tasks', () => {
    const mine = async (agent: Agent, when?: string) => {
      const res = await agent
        .get('/api/my/tasks')
        .query(when ? { when } : {})
        .expect(200);
      expect(res.headers['x-total-count']).toBe(String(res.body.total));
      return (res.body.items as { id: number }[]).map((x) => x.id);
    };

    it('gives an inspector its own assigned tasks by view: today, this week, overdue, open, done', async () => {
      expect(await mine(insp1.agent, 'today')).toEqual([ids.joint, ids.today].sort((a, b) => a - b));
      expect((await mine(insp1.agent, 'week')).sort()).toEqual([ids.joint, ids.today].sort());
      expect(await mine(insp1.agent, 'overdue')).toEqual([ids.overdue]);
      expect((await mine(insp1.agent)).sort()).toEqual(
        [ids.joint, ids.today, ids.overdue, ids.future].sort(),
      );
      expect(await mine(insp1.agent, 'done')).toEqual([]);
      // skipped for recusal: not its task
      expect(await mine(insp3.agent, 'open')).toEqual([ids.today]);
      expect(await mine(healthInsp.agent, 'today')).toEqual([ids.jointHealth]);
      await insp1.agent.get('/api/my/tasks').query({ when: 'tomorrow' }).expect(422);
    });
  });

  describe('one task', () => {
    it('has the particulars, items with requirements, inspectors with roles and the combined checklist', async () => {
      const res = await insp1.agent.get(`/api/tasks/${ids.joint}`).expect(200);
      const [e] = await t.dataSource.query(
        `SELECT address, street, industry_code FROM enterprise WHERE id = $1`,
        [ent.b.id],
      );
      expect(res.body).toMatchObject({
        id: ids.joint,
        enterprise: {
          uscc: ent.b.uscc,
          name: ent.b.name,
          address: e.address,
          street: e.street,
          industryCode: e.industry_code,
          status: 'active',
          statusLabel: '存续',
        },
        items: [
          {
            code: 'MK-FOOD-01',
            department: 'market',
            legalBasis: '《中华人民共和国食品安全法》第一百一十条',
            checkMethod: 'on_site',
            requirements: ['公示食品经营许可证', '从业人员持有健康证明'],
          },
          { code: 'MK-LIC-01' },
        ],
        inspectors: [
          { userId: insp3.id, position: 1, role: 'skipped_recusal', department: 'market' },
          { userId: insp1.id, position: 2, role: 'assigned' },
          { userId: insp2.id, position: 3, role: 'assigned' },
        ],
        triggers: [],
        result: null,
        // no inspection code checked in under yet (无码不检查)
        canRecord: false,
        visit: {
          id: ids.visit,
          leadDepartment: 'market',
          status: 'open',
          joint: true,
          tasks: [
            { id: ids.joint, department: 'market', status: 'assigned' },
            {
              id: ids.jointHealth,
              department: 'health',
              kind: 'event',
              inspectors: [{ userId: healthInsp.id }],
            },
          ],
        },
      });
      expect(res.body.inspectors[1].credentialNo).toMatch(/^T\d{6}$/);
      expect(
        res.body.visit.checklist.map((c: { code: string; taskIds: number[]; requirements: string[] }) => [
          c.code,
          c.taskIds,
          c.requirements.length,
        ]),
      ).toEqual([
        ['MK-FOOD-01', [ids.joint], 2],
        ['MK-LIC-01', [ids.joint], 2],
        ['HE-HYG-01', [ids.jointHealth], 2],
      ]);
    });

    it("lists an event task's triggers; an inspector of the same visit reads it but cannot record it", async () => {
      const res = await insp2.agent.get(`/api/tasks/${ids.jointHealth}`).expect(200);
      expect(res.body.triggers).toMatchObject([
        { kind: 'complaint', reason: '群众举报：空调通风系统未清洗', sourceRef: '12315-2026-000001' },
        { kind: 'referral', reason: '区卫健委交办', sourceRef: '杨卫交〔2026〕12号' },
      ]);
      expect(res.body.canRecord).toBe(false);
      expect(res.body.plan).toBeNull();
    });

    it('refuses an inspector of neither the task nor its visit (403, audited); 404 for an unknown task', async () => {
      const before = await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied'`);
      await healthInsp.agent.get(`/api/tasks/${ids.today}`).expect(403);
      expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied'`)).toBe(
        before + 1,
      );
      const [entry] = await t.dataSource.query(
        `SELECT entity_type, entity_id, actor_id FROM audit_log WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1`,
      );
      expect(entry).toEqual({
        entity_type: 'inspection_task',
        entity_id: String(ids.today),
        actor_id: healthInsp.id,
      });
      await regulator.get(`/api/tasks/${ids.today}`).expect(200);
      await regulator.get('/api/tasks/999999').expect(404);
      await regulator.get('/api/tasks/abc').expect(422);
    });
  });

  describe('recording a result', () => {
    const problems = {
      outcome: 'problems_found',
      findings: [
        { itemCode: 'MK-FOOD-01', finding: '未在经营场所显著位置公示食品经营许可证' },
        { itemCode: 'MK-LIC-01', finding: '营业执照未悬挂' },
      ],
      correctionDeadline: daysFromToday(15),
      note: '已当场责令改正',
    };
    const stored = async () => ({
      records: await count(`SELECT count(*) AS n FROM credit_record WHERE source_system = 'planning'`),
      completed: await count(`SELECT count(*) AS n FROM inspection_task WHERE status = 'completed'`),
      results: await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'inspection_task.result'`),
    });

    it('refuses anyone not assigned (403, audited, nothing stored): another inspector, a regulator', async () => {
      const before = await stored();
      const denied = await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied'`);
      // insp3 was skipped for recusal on this task
      const res = await insp3.agent.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(403);
      expect(res.body.message).toContain('assigned');
      await healthInsp.agent.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(403);
      await regulator.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(403);
      expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied'`)).toBe(
        denied + 3,
      );
      expect(await stored()).toEqual(before);
    });

    it('refuses a result without a code checked in under (无码不检查: 409, audited, nothing stored)', async () => {
      const before = await stored();
      const refused = () =>
        count(`SELECT count(*) AS n FROM audit_log WHERE action = 'task.result_refused' AND entity_id = $1`, [
          String(ids.joint),
        ]);
      const was = await refused();
      const none = await insp1.agent.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(409);
      expect(none.body.message).toContain('no inspection code covers this task');
      // the code of the visit (one for both tasks), issued but nobody checked in
      const code = await insp1.agent.post(`/api/tasks/${ids.joint}/check-code`).send({}).expect(201);
      expect(code.body.taskIds).toEqual([ids.joint, ids.jointHealth]);
      ids.code = code.body.id;
      const issued = await insp1.agent.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(409);
      expect(issued.body.message).toContain('nobody has checked in');
      // insp2 checks in; insp1 has not
      await insp2.agent.post(`/api/check-codes/${ids.code}/check-in`).send({}).expect(200);
      const other = await insp1.agent.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(409);
      expect(other.body.message).toContain('you have not checked in');
      expect((await insp1.agent.get(`/api/tasks/${ids.joint}`).expect(200)).body.canRecord).toBe(false);
      expect(await refused()).toBe(was + 3);
      const [entry] = await t.dataSource.query(
        `SELECT actor_id, after FROM audit_log WHERE action = 'task.result_refused' ORDER BY seq DESC LIMIT 1`,
      );
      expect(entry).toMatchObject({ actor_id: insp1.id, after: { codeNos: [code.body.codeNo] } });
      expect(await stored()).toEqual(before);
      // checked in: the result may be recorded
      await insp1.agent.post(`/api/check-codes/${ids.code}/check-in`).send({}).expect(200);
      await healthInsp.agent.post(`/api/check-codes/${ids.code}/check-in`).send({}).expect(200);
      expect((await insp1.agent.get(`/api/tasks/${ids.joint}`).expect(200)).body.canRecord).toBe(true);
    });

    it('names every field at fault (422), nothing stored', async () => {
      const before = await stored();
      const res = await insp1.agent
        .post(`/api/tasks/${ids.joint}/result`)
        .send({
          outcome: 'problems_found',
          findings: [
            { itemCode: 'MK-FOOD-01', finding: '问题' },
            { itemCode: 'HE-HYG-01', finding: '不是本任务的事项' },
            { itemCode: 'MK-LIC-01', finding: ' ' },
          ],
          correctionDeadline: today(),
        })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'findings[1].itemCode',
        'findings[2].finding',
        'correctionDeadline',
      ]);
      const types = await insp1.agent
        .post(`/api/tasks/${ids.joint}/result`)
        .send({ outcome: 'no_problem', findings: [{ itemCode: 1 }], extra: true })
        .expect(422);
      expect(types.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['extra', 'findings.0.itemCode', 'findings.0.finding']),
      );
      await insp1.agent.post(`/api/tasks/${ids.joint}/result`).send({ outcome: 'passed' }).expect(422);
      await insp1.agent
        .post(`/api/tasks/${ids.joint}/result`)
        .send({ outcome: 'no_problem', correctionDeadline: daysFromToday(5) })
        .expect(422);
      expect(await stored()).toEqual(before);
    });

    it('refuses a cancelled task and one whose window has not opened (409); 404 unknown', async () => {
      await insp1.agent
        .post(`/api/tasks/${ids.cancelled}/result`)
        .send({ outcome: 'no_problem' })
        .expect(409);
      const res = await insp1.agent
        .post(`/api/tasks/${ids.future}/result`)
        .send({ outcome: 'no_problem' })
        .expect(409);
      expect(res.body.message).toContain(daysFromToday(30));
      await insp1.agent.post('/api/tasks/999999/result').send({ outcome: 'no_problem' }).expect(404);
    });

    it('stores nothing when the rescoring fails: one transaction', async () => {
      const before = await stored();
      await t.dataSource.query(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test: scores refused'; END $$`);
      await t.dataSource.query(
        `CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON credit_score FOR EACH ROW EXECUTE FUNCTION test_refuse()`,
      );
      try {
        await insp1.agent.post(`/api/tasks/${ids.joint}/result`).send(problems).expect(500);
      } finally {
        await t.dataSource.query(`DROP TRIGGER test_refuse ON credit_score`);
        await t.dataSource.query(`DROP FUNCTION test_refuse()`);
      }
      expect(await stored()).toEqual(before);
      // under way since the check-in, and still so: the result was not stored
      expect((await insp1.agent.get(`/api/tasks/${ids.joint}`).expect(200)).body.status).toBe('in_progress');
      expect((await insp1.agent.get(`/api/check-codes/${ids.code}`).expect(200)).body.status).toBe('in_use');
    });

    it('records problems found: the task, the credit record, the rescoring and the tier change, audited', async () => {
      const was = await tierOf(ent.b.id);
      expect(was.tier).toBe('B');
      const res = await insp1.agent
        .post(`/api/tasks/${ids.joint}/result`)
        .set('Idempotency-Key', 'result-joint-1')
        .send(problems)
        .expect(201);
      expect(res.body.score).toEqual({
        previousScore: Number(was.score),
        previousTier: 'B',
        score: expect.any(Number),
        tier: 'C',
      });
      expect(res.body.task).toMatchObject({
        status: 'completed',
        canRecord: false,
        result: {
          outcome: 'problems_found',
          findings: problems.findings,
          correctionDeadline: problems.correctionDeadline,
          note: '已当场责令改正',
          recordedBy: { userId: insp1.id, displayName: insp1.name },
          creditRecordId: res.body.creditRecordId,
        },
        visit: { status: 'open' }, // the health task is still open
      });
      const [record] = await t.dataSource.query(
        `SELECT kind, record_date, source_department, outcome, polarity, source_system, source_key, subject, details, enterprise_id
         FROM credit_record WHERE id = $1`,
        [res.body.creditRecordId],
      );
      expect(record).toMatchObject({
        kind: 'inspection_result',
        record_date: today(),
        source_department: '杨浦区市场监督管理局',
        outcome: 'problems_found',
        polarity: 'negative',
        source_system: 'planning',
        source_key: `task:${ids.joint}`,
        enterprise_id: ent.b.id,
      });
      expect(record.subject).toContain(plan.planNo);
      expect(record.details).toMatchObject({
        taskId: ids.joint,
        items: ['MK-FOOD-01', 'MK-LIC-01'],
        findings: problems.findings,
        correctionDeadline: problems.correctionDeadline,
      });
      expect((await tierOf(ent.b.id)).tier).toBe('C');
      const [change] = await t.dataSource.query(
        `SELECT from_tier, to_tier FROM credit_tier_change WHERE enterprise_id = $1 ORDER BY id DESC LIMIT 1`,
        [ent.b.id],
      );
      expect(change).toEqual({ from_tier: 'B', to_tier: 'C' });
      const [task] = await t.dataSource.query(
        `SELECT status, outcome, findings, correction_deadline, result_note, recorded_by, credit_record_id FROM inspection_task WHERE id = $1`,
        [ids.joint],
      );
      expect(task).toEqual({
        status: 'completed',
        outcome: 'problems_found',
        findings: problems.findings,
        correction_deadline: problems.correctionDeadline,
        result_note: '已当场责令改正',
        recorded_by: insp1.id,
        credit_record_id: res.body.creditRecordId,
      });
      const audit = await t.dataSource.query(
        `SELECT action, actor_id, after FROM audit_log WHERE action IN ('inspection_task.result', 'credit_record.create')
         ORDER BY seq DESC LIMIT 2`,
      );
      expect(audit.map((a: { action: string }) => a.action)).toEqual([
        'inspection_task.result',
        'credit_record.create',
      ]);
      expect(audit[0]).toMatchObject({
        actor_id: insp1.id,
        after: {
          outcome: 'problems_found',
          score: { previousTier: 'B', tier: 'C' },
          visitCompleted: false,
          checkCodesCompleted: [], // the health task of the code is still open
        },
      });
      // the same request again (a lost answer): the first answer, nothing stored twice
      const again = await insp1.agent
        .post(`/api/tasks/${ids.joint}/result`)
        .set('Idempotency-Key', 'result-joint-1')
        .send(problems)
        .expect(201);
      expect(again.body.creditRecordId).toBe(res.body.creditRecordId);
      expect(
        await count(`SELECT count(*) AS n FROM credit_record WHERE source_key = $1`, [`task:${ids.joint}`]),
      ).toBe(1);
      // the board and my tasks show it done
      expect(
        (await insp1.agent.get('/api/my/tasks').query({ when: 'done' }).expect(200)).body.items.map(
          (x: { id: number }) => x.id,
        ),
      ).toEqual([ids.joint]);
    });

    it('refuses a second result (409) from either inspector', async () => {
      await insp1.agent.post(`/api/tasks/${ids.joint}/result`).send({ outcome: 'no_problem' }).expect(409);
      const res = await insp2.agent
        .post(`/api/tasks/${ids.joint}/result`)
        .send({ outcome: 'no_problem' })
        .expect(409);
      expect(res.body.message).toContain('already has its result');
    });

    it('completes the joint visit with its last task', async () => {
      const res = await healthInsp.agent
        .post(`/api/tasks/${ids.jointHealth}/result`)
        .send({ outcome: 'no_problem' })
        .expect(201);
      expect(res.body.task.visit.status).toBe('completed');
      const [record] = await t.dataSource.query(
        `SELECT source_department, polarity FROM credit_record WHERE id = $1`,
        [res.body.creditRecordId],
      );
      expect(record).toEqual({ source_department: '杨浦区卫生健康委员会', polarity: 'positive' });
      const [entry] = await t.dataSource.query(
        `SELECT after FROM audit_log WHERE action = 'inspection_task.result' ORDER BY seq DESC LIMIT 1`,
      );
      expect(entry.after).toMatchObject({ visitCompleted: true, visitId: ids.visit });
      // every task of the code has its result: the code is completed in the same transaction
      const code = (await insp1.agent.get(`/api/check-codes/${ids.code}`).expect(200)).body;
      expect(code).toMatchObject({
        status: 'completed',
        statusLabel: '已完成',
        completedAt: expect.any(String),
      });
      expect(entry.after.checkCodesCompleted).toEqual([code.codeNo]);
    });

    it('gives an overdue task no code (its window is over), so no result (无码不检查)', async () => {
      const visit = await insertJointVisit(t.dataSource, {
        enterpriseId: ent.b2.id,
        windowStart: daysFromToday(-20),
        windowEnd: daysFromToday(-2),
      });
      await t.dataSource.query(`UPDATE inspection_task SET visit_id = $1 WHERE id = $2`, [
        visit,
        ids.overdue,
      ]);
      await insertTrigger(t.dataSource, { enterpriseId: ent.b2.id, taskId: ids.overdue });
      const res = await insp2.agent.post(`/api/tasks/${ids.overdue}/check-code`).send({}).expect(409);
      expect(res.body.message).toContain(`window ended on ${daysFromToday(-2)}`);
      await insp2.agent.post(`/api/tasks/${ids.overdue}/result`).send({ outcome: 'not_found' }).expect(409);
    });

    it('records not found at the address (查无下落), counted as a failed inspection', async () => {
      const was = await tierOf(ent.b2.id);
      const visit = await insertJointVisit(t.dataSource, { enterpriseId: ent.b2.id });
      await t.dataSource.query(`UPDATE inspection_task SET visit_id = $1 WHERE id = $2`, [visit, ids.today]);
      const code = await insp3.agent.post(`/api/tasks/${ids.today}/check-code`).send({}).expect(201);
      await insp3.agent.post(`/api/check-codes/${code.body.id}/check-in`).send({}).expect(200);
      const res = await insp3.agent
        .post(`/api/tasks/${ids.today}/result`)
        .send({ outcome: 'not_found', note: '登记住所无此企业，现场为空置商铺' })
        .expect(201);
      expect(res.body.task).toMatchObject({
        status: 'completed',
        overdue: false,
        result: { outcome: 'not_found' },
      });
      expect(res.body.score).toMatchObject({ previousTier: was.tier, tier: 'C' });
      expect(res.body.score.score).toBeLessThan(Number(was.score));
      const list = await regulator.get(`/api/enterprises/${ent.b2.uscc}/credit-records`).expect(200);
      expect(list.body[0]).toMatchObject({
        kind: 'inspection_result',
        outcome: 'not_found',
        polarity: 'negative',
      });
    });
  });
});
