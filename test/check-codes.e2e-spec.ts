import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { systemActor } from '../src/audit/actor.js';
import type { AuthUser } from '../src/auth/auth-user.js';
import { CodesExpiryJob } from '../src/check-codes/codes/codes-expiry.job.js';
import { CodesService } from '../src/check-codes/codes/codes.service.js';
import { loadDemoCode } from '../src/check-codes/codes/demo-codes.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { KeysService } from '../src/check-codes/keys/keys.service.js';
import { decodeCheckCode } from '../src/check-codes/rules/check-code-format.js';
import { CHECK_WORD_CHARS } from '../src/check-codes/rules/check-word.js';
import { APP_CONFIG } from '../src/config/config.token.js';
import type { AppConfig } from '../src/config/configuration.js';
import { createHttpApp } from '../src/http/http-app.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { checkInTestCode, completeTestCode, issueTestCode, TestCode } from './check-code-fixtures.js';
import {
  daysFromToday,
  insertItem,
  insertJointVisit,
  insertTask,
  insertTrigger,
  today,
} from './planning-fixtures.js';
import { insertEnterprise } from './triggers-fixtures.js';

/**
 * Issuing and carrying out an inspection under a code (issue 12 "Issuing", "Carrying out the
 * inspection"; domain.md 5.4) through the API on a real database: the signed claims and frozen
 * particulars, validity from the visit window and checkCodeMaxDays, every refusal (403 audited,
 * 404, 409 with the live code offered), reading with the check word, lists by scope, QR images,
 * check-in and check-out, revocation, expiry, and completion by the results.
 */
describe('inspection codes: issuing and carrying out', () => {
  let t: TestApp;
  let regulator: Agent;
  let healthRegulator: Agent;
  const DAY = 86_400_000;
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.dataSource.query(sql, params))[0].n);
  const denied = () => count(`SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied'`);
  const codes = () => count(`SELECT count(*) AS n FROM check_code`);
  const authUser = (u: TestCode['inspectors'][number]): AuthUser => ({
    id: u.user.id,
    username: u.user.username,
    displayName: u.user.displayName ?? u.user.username,
    role: 'inspector',
    department: u.user.department ?? null,
    credentialNo: u.user.credentialNo ?? null,
    enterpriseId: null,
    enterpriseUscc: null,
  });
  const shanghaiStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`);

  beforeAll(async () => {
    t = await createTestApp();
    regulator = (await t.signIn('regulator')).agent;
    healthRegulator = (await t.signIn('regulator', { department: 'health' })).agent;
  });
  afterAll(() => t.close());

  describe('issuing', () => {
    it('signs the claims of the visit and freezes the particulars (no phone numbers, no user ids), audited', async () => {
      const before = Date.now();
      const code = await issueTestCode(t);
      const v = code.view as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(v).toMatchObject({
        status: 'issued',
        statusLabel: '待检查',
        codeNoDisplay: `JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}`,
        kind: 'routine',
        enterprise: { uscc: code.enterprise.uscc, name: code.enterprise.name },
        departments: ['market'],
        planNos: [code.planNo],
        issuedBy: { name: code.inspectors[0]!.user.displayName },
        events: [],
        validNow: { valid: true, reason: null },
        checkedInAt: null,
        qrPng: `/api/check-codes/${code.codeId}/qr.png`,
      });
      expect(v.verifyUrl).toBe(`HTTP://127.0.0.1:3000/V/${code.codeText}`);
      const { kid } = await t.app.get(KeysService).signer();
      const decoded = decodeCheckCode(code.codeText);
      expect(decoded.kid).toBe(kid);
      expect(v.kid).toBe(kid);
      const claims = decoded.claims;
      expect(claims).toMatchObject({
        issuer: '310110',
        codeNo: code.codeNo,
        taskIds: code.taskIds,
        uscc: code.enterprise.uscc,
        itemCodes: code.itemCodes,
        credentialNos: code.inspectors.map((i) => i.user.credentialNo),
        departments: ['market'],
        planNo: code.planNo,
        triggerIds: [],
      });
      // valid from issue (the window opened 5 days ago) to the end of the window's last day
      expect(claims.issuedAt * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(claims.notBefore).toBe(claims.issuedAt);
      expect(claims.notAfter * 1000).toBe(shanghaiStart(daysFromToday(11)));
      expect(Date.parse(v.notAfter)).toBe(claims.notAfter * 1000);
      expect(v.particulars).toEqual({
        format: 1,
        codeNo: code.codeNo,
        kind: 'routine',
        kinds: ['routine'],
        enterprise: { name: code.enterprise.name, uscc: code.enterprise.uscc },
        window: { start: daysFromToday(-5), end: daysFromToday(10) },
        plans: [
          {
            planNo: code.planNo,
            version: 1,
            title: expect.stringContaining('测试抽查计划'),
            batchSeq: 1,
            batchName: '第一批',
            department: 'market',
          },
        ],
        triggers: [],
        items: [
          {
            code: code.itemCodes[0],
            name: '食品经营许可情况检查',
            department: 'market',
            departmentName: '杨浦区市场监督管理局',
            legalBasis: '《中华人民共和国食品安全法》第三十五条',
            checkMethod: 'on_site',
            checkMethodLabel: '现场检查',
            requirements: ['公示食品经营许可证', '从业人员持有健康证明'],
          },
          expect.objectContaining({ code: code.itemCodes[1], checkMethodLabel: '书面检查' }),
        ],
        departments: [{ code: 'market', name: '杨浦区市场监督管理局', lead: true }],
        lead: { code: 'market', name: '杨浦区市场监督管理局' },
        inspectors: code.inspectors.map((i) => ({
          name: i.user.displayName,
          credentialNo: i.user.credentialNo,
          department: 'market',
          departmentName: '杨浦区市场监督管理局',
        })),
      });
      const text = JSON.stringify(v.particulars);
      for (const i of code.inspectors) expect(text).not.toContain(`"${i.user.id}"`);
      expect(text).not.toMatch(/userId|phone|mobile|taskId/i);
      const [row] = await t.dataSource.query(
        `SELECT c.status, c.issued_by, c.visit_id, (SELECT array_agg(task_id::int ORDER BY task_id) FROM check_code_task WHERE code_id = c.id) AS tasks
         FROM check_code c WHERE id = $1`,
        [code.codeId],
      );
      expect(row).toEqual({
        status: 'issued',
        issued_by: code.inspectors[0]!.user.id,
        visit_id: code.visitId,
        tasks: code.taskIds,
      });
      const [audit] = await t.dataSource.query(
        `SELECT actor_id, entity_id, after FROM audit_log WHERE action = 'check_code.issue' ORDER BY seq DESC LIMIT 1`,
      );
      expect(audit).toMatchObject({
        actor_id: code.inspectors[0]!.user.id,
        entity_id: String(code.codeId),
        after: { codeNo: code.codeNo, taskIds: code.taskIds, uscc: code.enterprise.uscc, kid },
      });
    });

    it("carries an event task's triggers (id, kind, reason) and no plan number", async () => {
      const code = await issueTestCode(t, { kind: 'event' });
      expect(decodeCheckCode(code.codeText).claims).toMatchObject({
        planNo: null,
        triggerIds: code.triggerIds,
      });
      expect(code.view.particulars).toMatchObject({
        kind: 'event',
        plans: [],
        triggers: [
          {
            id: code.triggerIds[0],
            kind: 'complaint',
            kindLabel: '投诉',
            reason: '消费者投诉：销售过期食品',
            sourceRef: '12315-2026-000001',
          },
        ],
      });
    });

    it('gives a joint visit one code for all its tasks, items and departments; any of its inspectors applies', async () => {
      const code = await issueTestCode(t, { kind: 'joint' });
      const claims = decodeCheckCode(code.codeText).claims;
      expect(claims.taskIds).toHaveLength(2);
      expect(claims.departments).toEqual(['market', 'health']);
      expect(claims.itemCodes).toEqual(code.itemCodes);
      expect(claims.credentialNos).toEqual(code.inspectors.map((i) => i.user.credentialNo));
      expect(claims.triggerIds).toEqual(code.triggerIds);
      expect(code.view.particulars).toMatchObject({
        kind: 'joint',
        kinds: ['event', 'routine'],
        departments: [
          { code: 'market', lead: true },
          { code: 'health', name: '杨浦区卫生健康委员会', lead: false },
        ],
        triggers: [{ kind: 'report', kindLabel: '举报' }],
      });
      // a health inspector asking through its own task gets the live code offered, not a second one
      const healthTask = code.taskIds[1]!;
      const n = await codes();
      const again = await code.inspectorsOf[healthTask]![0]!.agent.post(`/api/tasks/${healthTask}/check-code`)
        .send({})
        .expect(409);
      expect(again.body).toMatchObject({
        message: expect.stringContaining(`JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}`),
        liveCode: { id: code.codeId, codeNo: code.codeNo },
      });
      expect(await codes()).toBe(n);
      // and reads it from its task
      const live = await code.inspectorsOf[healthTask]![1]!.agent.get(
        `/api/tasks/${healthTask}/check-code`,
      ).expect(200);
      expect(live.body.live).toMatchObject({ id: code.codeId, status: 'issued' });
      expect(live.body.latest.id).toBe(code.codeId);
    });

    it('issues one code when both inspectors apply at once (the visit row is locked; one live code per visit)', async () => {
      const code = await issueTestCode(t, { kind: 'joint' });
      await t.app
        .get(CodesService)
        .revoke(code.codeId, '测试', authUser(code.inspectors[0]!), systemActor('test'));
      const [market, health] = code.taskIds;
      const answers = await Promise.all([
        code.inspectorsOf[market!]![1]!.agent.post(`/api/tasks/${market}/check-code`).send({}),
        code.inspectorsOf[health!]![0]!.agent.post(`/api/tasks/${health}/check-code`).send({}),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      const issued = answers.find((a) => a.status === 201)!.body;
      expect(answers.find((a) => a.status === 409)!.body.liveCode).toEqual({
        id: issued.id,
        codeNo: issued.codeNo,
      });
      expect(
        await count(`SELECT count(*) AS n FROM check_code WHERE visit_id = $1 AND status = 'issued'`, [
          code.visitId,
        ]),
      ).toBe(1);
    });

    it('refuses anyone not assigned to a task of the visit (403, audited), and other roles', async () => {
      const code = await issueTestCode(t);
      await t.app
        .get(CodesService)
        .revoke(code.codeId, '测试', { ...authUser(code.inspectors[0]!) }, systemActor('test'));
      const stranger = await t.signIn('inspector');
      const was = await denied();
      const n = await codes();
      const res = await stranger.agent.post(`/api/tasks/${code.taskIds[0]}/check-code`).send({}).expect(403);
      expect(res.body.message).toContain('only an inspector assigned');
      expect(await denied()).toBe(was + 1);
      const [entry] = await t.dataSource.query(
        `SELECT entity_type, entity_id, actor_id FROM audit_log WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1`,
      );
      expect(entry).toEqual({
        entity_type: 'inspection_task',
        entity_id: String(code.taskIds[0]),
        actor_id: stranger.user.id,
      });
      await regulator.post(`/api/tasks/${code.taskIds[0]}/check-code`).send({}).expect(403);
      await t.admin.post(`/api/tasks/${code.taskIds[0]}/check-code`).send({}).expect(403);
      await stranger.agent.post('/api/tasks/999999/check-code').send({}).expect(404);
      await stranger.agent.post('/api/tasks/abc/check-code').send({}).expect(422);
      expect(await codes()).toBe(n);
    });

    it('refuses a skipped or withdrawn inspector (403): only role assigned applies', async () => {
      const code = await issueTestCode(t, { kind: 'event' });
      const task = code.taskIds[0]!;
      await t.app
        .get(CodesService)
        .revoke(code.codeId, '测试', authUser(code.inspectors[0]!), systemActor('test'));
      const other = await t.signIn('inspector');
      await t.dataSource.query(
        `INSERT INTO inspection_task_inspector (task_id, user_id, position, role) VALUES ($1, $2, 9, 'withdrawn')`,
        [task, other.user.id],
      );
      await other.agent.post(`/api/tasks/${task}/check-code`).send({}).expect(403);
    });

    it('refuses (409) a draft plan, an event task without accepted triggers, completed and cancelled tasks, a task without a visit', async () => {
      const ent = await insertEnterprise(t.dataSource, { name: '上海拒绝测试有限公司' });
      const me = await t.signIn('inspector');
      const item = await insertItem(t.dataSource);
      const visit = () => insertJointVisit(t.dataSource, { enterpriseId: ent.id });
      const n = await codes();
      // an event task with no accepted trigger
      const bare = await insertTask(t.dataSource, {
        enterpriseId: ent.id,
        kind: 'event',
        itemIds: [item.id],
        inspectors: [me.user.id],
        visitId: await visit(),
      });
      const r1 = await me.agent.post(`/api/tasks/${bare}/check-code`).send({}).expect(409);
      expect(r1.body.message).toContain('accepted trigger');
      // a routine task of a plan still in draft
      const [plan] = await t.dataSource.query(
        `INSERT INTO inspection_plan (plan_no, year, title, lead_department) VALUES ('2026-market-draft', 2026, '草稿计划', 'market') RETURNING id`,
      );
      const [batch] = await t.dataSource.query(
        `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end) VALUES ($1, 1, '第一批', $2, $3) RETURNING id`,
        [plan.id, daysFromToday(-5), daysFromToday(5)],
      );
      const [draw] = await t.dataSource.query(
        `INSERT INTO plan_draw (batch_id, algorithm, tier_date, commitment, public_source, inputs_digest)
         VALUES ($1, 'test', current_date, repeat('a', 64), '测试', repeat('b', 64)) RETURNING id`,
        [batch.id],
      );
      const draft = await insertTask(t.dataSource, {
        enterpriseId: ent.id,
        plan: { planId: Number(plan.id), batchId: Number(batch.id), drawId: Number(draw.id) },
        itemIds: [item.id],
        inspectors: [me.user.id],
        visitId: await visit(),
      });
      const r2 = await me.agent.post(`/api/tasks/${draft}/check-code`).send({}).expect(409);
      expect(r2.body.message).toContain('2026-market-draft is not published');
      for (const status of ['completed', 'cancelled', 'replaced']) {
        const id = await insertTask(t.dataSource, {
          enterpriseId: ent.id,
          kind: 'event',
          itemIds: [item.id],
          inspectors: [me.user.id],
          visitId: await visit(),
          status: status === 'completed' ? 'assigned' : status,
        });
        if (status === 'completed')
          await t.dataSource.query(
            `UPDATE inspection_task SET status = 'completed', outcome = 'no_problem', recorded_at = now() WHERE id = $1`,
            [id],
          );
        const r = await me.agent.post(`/api/tasks/${id}/check-code`).send({}).expect(409);
        expect(r.body.message).toContain(status);
      }
      const lone = await insertTask(t.dataSource, {
        enterpriseId: ent.id,
        kind: 'event',
        itemIds: [item.id],
        inspectors: [me.user.id],
      });
      const r3 = await me.agent.post(`/api/tasks/${lone}/check-code`).send({}).expect(409);
      expect(r3.body.message).toContain('not placed in a visit');
      expect(await codes()).toBe(n);
    });

    it('refuses a window that is over (409) and one too far ahead; in advance it starts at the window start 00:00 Shanghai', async () => {
      const me = await t.signIn('inspector');
      const ent = await insertEnterprise(t.dataSource, { name: '上海窗口测试有限公司' });
      const item = await insertItem(t.dataSource);
      const taskIn = async (windowStart: string, windowEnd: string) => {
        const id = await insertTask(t.dataSource, {
          enterpriseId: ent.id,
          kind: 'event',
          itemIds: [item.id],
          inspectors: [me.user.id],
          windowStart,
          windowEnd,
          visitId: await insertJointVisit(t.dataSource, { enterpriseId: ent.id, windowStart, windowEnd }),
        });
        await insertTrigger(t.dataSource, { enterpriseId: ent.id, taskId: id });
        return id;
      };
      const n = await codes();
      const over = await me.agent
        .post(`/api/tasks/${await taskIn(daysFromToday(-10), daysFromToday(-1))}/check-code`)
        .send({})
        .expect(409);
      expect(over.body.message).toContain(`window ended on ${daysFromToday(-1)}`);
      const far = await me.agent
        .post(`/api/tasks/${await taskIn(daysFromToday(40), daysFromToday(50))}/check-code`)
        .send({})
        .expect(409);
      expect(far.body.message).toContain('more than 30 days');
      expect(await codes()).toBe(n);
      // the last day of the window still takes a code, to its end
      const last = await me.agent
        .post(`/api/tasks/${await taskIn(daysFromToday(-3), today())}/check-code`)
        .send({})
        .expect(201);
      expect(Date.parse(last.body.notAfter)).toBe(shanghaiStart(daysFromToday(1)));
      const ahead = await issueTestCode(t, { windowStart: daysFromToday(3), windowEnd: daysFromToday(6) });
      const claims = decodeCheckCode(ahead.codeText).claims;
      expect(claims.notBefore * 1000).toBe(shanghaiStart(daysFromToday(3)));
      expect(claims.notAfter * 1000).toBe(shanghaiStart(daysFromToday(7)));
      // not valid yet: no check-in before the window
      expect(ahead.view.validNow).toMatchObject({ valid: false, reason: 'not_yet_valid' });
      const res = await ahead.inspectors[0]!.agent.post(`/api/check-codes/${ahead.codeId}/check-in`)
        .send({})
        .expect(409);
      expect(res.body.message).toContain('not_yet_valid');
    });

    it('ends a code after checkCodeMaxDays when the window is longer', async () => {
      await t.admin.patch('/api/settings').send({ checkCodeMaxDays: 3 }).expect(200);
      try {
        const code = await issueTestCode(t, { windowEnd: daysFromToday(60) });
        const c = decodeCheckCode(code.codeText).claims;
        expect(c.notAfter - c.issuedAt).toBe(3 * 86_400);
      } finally {
        await t.admin.patch('/api/settings').send({ checkCodeMaxDays: 30 }).expect(200);
      }
    });
  });

  describe('reading', () => {
    let code: TestCode;
    beforeAll(async () => {
      code = await issueTestCode(t, { enterpriseName: '上海读取测试餐饮有限公司' });
    });

    it('shows its inspector the code with the check word and when it changes', async () => {
      const res = await code.inspectors[1]!.agent.get(`/api/check-codes/${code.codeId}`).expect(200);
      expect(res.body.checkWord).toHaveLength(3);
      for (const ch of res.body.checkWord) expect(CHECK_WORD_CHARS).toContain(ch);
      expect(res.body.checkWordSecondsLeft).toBeGreaterThan(0);
      expect(res.body.checkWordSecondsLeft).toBeLessThanOrEqual(600);
      expect(res.body.codeText).toBe(code.codeText);
    });

    it('shows regulators of its departments and admins; refuses other inspectors and departments (403, audited)', async () => {
      await regulator.get(`/api/check-codes/${code.codeId}`).expect(200);
      await t.admin.get(`/api/check-codes/${code.codeId}`).expect(200);
      const was = await denied();
      await healthRegulator.get(`/api/check-codes/${code.codeId}`).expect(403);
      const stranger = await t.signIn('inspector');
      await stranger.agent.get(`/api/check-codes/${code.codeId}`).expect(403);
      await stranger.agent.get(`/api/check-codes/${code.codeId}/qr.png`).expect(403);
      await stranger.agent.get(`/api/tasks/${code.taskIds[0]}/check-code`).expect(403);
      expect(await denied()).toBe(was + 4);
      await regulator.get('/api/check-codes/999999').expect(404);
      await regulator.get('/api/check-codes/x').expect(422);
      const ent = await t.signIn('enterprise', { uscc: code.enterprise.uscc });
      await ent.agent.get(`/api/check-codes/${code.codeId}`).expect(403);
    });

    it('lists by scope (regulator: its department; inspector: its own) with filters and paging', async () => {
      const joint = await issueTestCode(t, { kind: 'joint' });
      const ids = async (agent: Agent, query: Record<string, unknown> = {}) => {
        const res = await agent.get('/api/check-codes').query(query).expect(200);
        expect(res.headers['x-total-count']).toBe(String(res.body.total));
        return (res.body.items as { id: number }[]).map((x) => x.id);
      };
      const market = await ids(regulator, { pageSize: 200 });
      expect(market).toContain(code.codeId);
      expect(market).toContain(joint.codeId);
      const health = await ids(healthRegulator, { pageSize: 200 });
      expect(health).toContain(joint.codeId);
      expect(health).not.toContain(code.codeId);
      expect(await ids(code.inspectors[0]!.agent)).toEqual([code.codeId]);
      expect(await ids(joint.inspectors[3]!.agent)).toEqual([joint.codeId]);
      expect(await ids(regulator, { uscc: code.enterprise.uscc.toLowerCase() })).toEqual([code.codeId]);
      expect(await ids(regulator, { uscc: code.enterprise.uscc, status: 'in_use' })).toEqual([]);
      expect(await ids(regulator, { uscc: code.enterprise.uscc, from: today(), to: today() })).toEqual([
        code.codeId,
      ]);
      expect(await ids(regulator, { uscc: code.enterprise.uscc, from: daysFromToday(1) })).toEqual([]);
      expect(await ids(regulator, { uscc: code.enterprise.uscc, to: daysFromToday(-1) })).toEqual([]);
      const all = await t.admin.get('/api/check-codes').query({ pageSize: 2, page: 1 }).expect(200);
      expect(all.body).toMatchObject({ page: 1, pageSize: 2 });
      expect(all.body.items).toHaveLength(2);
      expect(all.body.total).toBeGreaterThanOrEqual(market.length);
      const first = all.body.items[0];
      expect(first).toMatchObject({
        codeNo: expect.any(String),
        status: expect.any(String),
        enterprise: { uscc: expect.any(String) },
      });
      expect(first.particulars).toBeUndefined();
      const bad = await regulator
        .get('/api/check-codes')
        .query({ status: 'live', from: '2026-02-30', uscc: 'x', pageSize: 1000 })
        .expect(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'from',
        'pageSize',
        'status',
        'uscc',
      ]);
      const order = await regulator
        .get('/api/check-codes')
        .query({ from: today(), to: daysFromToday(-1) })
        .expect(422);
      expect(order.body.errors).toEqual([{ field: 'to', reason: expect.stringContaining('before from') }]);
      const ent = await t.signIn('enterprise', { uscc: code.enterprise.uscc });
      await ent.agent.get('/api/check-codes').expect(403);
    });

    it('draws the QR of the upper-cased verification URL: PNG (level Q, margin 4, 8 px a module) and SVG', async () => {
      const png = await code.inspectors[0]!.agent.get(`/api/check-codes/${code.codeId}/qr.png`).expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      const url = code.verifyUrl;
      expect(url).toBe(url.toUpperCase());
      const symbol = QRCode.create(url, { errorCorrectionLevel: 'Q' });
      // the whole URL in alphanumeric mode: a small symbol
      expect(symbol.segments.map((s) => (s as unknown as { mode: { id: string } }).mode.id)).not.toContain(
        'Byte',
      );
      expect(symbol.version).toBeLessThanOrEqual(16);
      const size = symbol.modules.size;
      const image = PNG.sync.read(png.body as Buffer);
      expect(image.width).toBe((size + 8) * 8);
      expect(image.height).toBe(image.width);
      // every module of the image is the symbol's (sampled at module centres, quiet zone white)
      const dark = (x: number, y: number) => image.data[(y * image.width + x) * 4]! < 128;
      let mismatches = 0;
      for (let r = -4; r < size + 4; r++)
        for (let c = -4; c < size + 4; c++) {
          const want = r >= 0 && c >= 0 && r < size && c < size ? !!symbol.modules.get(r, c) : false;
          if (dark((c + 4) * 8 + 4, (r + 4) * 8 + 4) !== want) mismatches++;
        }
      expect(mismatches).toBe(0);
      const svg = await regulator.get(`/api/check-codes/${code.codeId}/qr.svg`).expect(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      const text = Buffer.from(svg.body as Buffer).toString('utf8') || (svg.text as string);
      expect(text).toContain(`viewBox="0 0 ${size + 8} ${size + 8}"`);
      expect(text).toBe(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'Q', margin: 4 }));
    });
  });

  describe('check-in and check-out', () => {
    let code: TestCode;
    beforeAll(async () => {
      code = await issueTestCode(t);
    });

    it('checks an inspector in: the first moves the code to in use; events keep time and who; audited', async () => {
      const [a, b] = code.inspectors;
      const res = await a!.agent.post(`/api/check-codes/${code.codeId}/check-in`).send({}).expect(200);
      expect(res.body).toMatchObject({
        status: 'in_use',
        statusLabel: '检查中',
        checkedInAt: expect.any(String),
        events: [
          { kind: 'check_in', inspector: { name: a!.user.displayName, credentialNo: a!.user.credentialNo } },
        ],
      });
      // the covered tasks are under way now
      const tasks = await t.dataSource.query(
        `SELECT status FROM inspection_task WHERE id = ANY($1::bigint[])`,
        [code.taskIds],
      );
      expect(tasks.map((r: { status: string }) => r.status)).toEqual(code.taskIds.map(() => 'in_progress'));
      const dup = await a!.agent.post(`/api/check-codes/${code.codeId}/check-in`).send({}).expect(409);
      expect(dup.body.message).toContain('already checked in');
      const second = await b!.agent.post(`/api/check-codes/${code.codeId}/check-in`).send({}).expect(200);
      expect(second.body.checkedInAt).toBe(res.body.checkedInAt);
      expect(second.body.events).toHaveLength(2);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'check_code.check_in' AND entity_id = $1`,
          [String(code.codeId)],
        ),
      ).toBe(2);
    });

    it('refuses a check-in by anyone not an assigned inspector of the code (403, audited)', async () => {
      const stranger = await t.signIn('inspector');
      const was = await denied();
      await stranger.agent.post(`/api/check-codes/${code.codeId}/check-in`).send({}).expect(403);
      await stranger.agent.post(`/api/check-codes/${code.codeId}/check-out`).send({}).expect(403);
      expect(await denied()).toBe(was + 2);
      await regulator.post(`/api/check-codes/${code.codeId}/check-in`).send({}).expect(403);
      await stranger.agent.post('/api/check-codes/999999/check-in').send({}).expect(404);
    });

    it('refuses an inspector whose credential number the code does not name (assigned after issue)', async () => {
      const late = await t.signIn('inspector');
      await t.dataSource.query(
        `INSERT INTO inspection_task_inspector (task_id, user_id, position, role) VALUES ($1, $2, 9, 'assigned')`,
        [code.taskIds[0], late.user.id],
      );
      try {
        await late.agent.post(`/api/check-codes/${code.codeId}/check-in`).send({}).expect(403);
      } finally {
        await t.dataSource.query(
          `DELETE FROM inspection_task_inspector WHERE task_id = $1 AND user_id = $2`,
          [code.taskIds[0], late.user.id],
        );
      }
    });

    it('audits a refused check-in or check-out (twice, before check-in, a revoked code), nothing stored', async () => {
      const c = await issueTestCode(t);
      const [a] = c.inspectors;
      const refused = async () =>
        (
          await t.dataSource.query(
            `SELECT action, after FROM audit_log WHERE action LIKE 'check_code.check_%_refused' AND entity_id = $1 ORDER BY seq`,
            [String(c.codeId)],
          )
        ).map((r: { action: string; after: { reason: string } }) => [r.action, r.after.reason]);
      await a!.agent.post(`/api/check-codes/${c.codeId}/check-out`).send({}).expect(409);
      await a!.agent.post(`/api/check-codes/${c.codeId}/check-in`).send({}).expect(200);
      const dup = await a!.agent.post(`/api/check-codes/${c.codeId}/check-in`).send({}).expect(409);
      await a!.agent.post(`/api/check-codes/${c.codeId}/revoke`).send({ reason: '测试' }).expect(200);
      const revoked = await a!.agent.post(`/api/check-codes/${c.codeId}/check-out`).send({}).expect(409);
      expect(await refused()).toEqual([
        ['check_code.check_out_refused', expect.stringContaining('check in first')],
        ['check_code.check_in_refused', dup.body.message],
        ['check_code.check_out_refused', revoked.body.message],
      ]);
      expect(await count(`SELECT count(*) AS n FROM check_code_event WHERE code_id = $1`, [c.codeId])).toBe(
        1,
      );
    });

    it('checks out only after check-in, once; the last to leave stamps checked_out_at', async () => {
      const other = await issueTestCode(t);
      const [a, b] = other.inspectors;
      const res = await a!.agent.post(`/api/check-codes/${other.codeId}/check-out`).send({}).expect(409);
      expect(res.body.message).toContain('check in first');
      await checkInTestCode(other);
      const one = await a!.agent.post(`/api/check-codes/${other.codeId}/check-out`).send({}).expect(200);
      expect(one.body.checkedOutAt).toBeNull();
      await a!.agent.post(`/api/check-codes/${other.codeId}/check-out`).send({}).expect(409);
      const two = await b!.agent.post(`/api/check-codes/${other.codeId}/check-out`).send({}).expect(200);
      expect(two.body.checkedOutAt).toEqual(expect.any(String));
      expect(two.body.events.map((e: { kind: string }) => e.kind)).toEqual([
        'check_in',
        'check_in',
        'check_out',
        'check_out',
      ]);
    });
  });

  describe('results under the code (无码不检查) and completion', () => {
    it('completes the code with the last result of its tasks; no check-in after, check-out still', async () => {
      const code = await issueTestCode(t, { kind: 'joint' });
      await checkInTestCode(code);
      const [market, health] = code.taskIds;
      await code.inspectorsOf[market!]![0]!.agent.post(`/api/tasks/${market}/result`)
        .send({ outcome: 'no_problem' })
        .expect(201);
      expect((await regulator.get(`/api/check-codes/${code.codeId}`).expect(200)).body.status).toBe('in_use');
      await code.inspectorsOf[health!]![1]!.agent.post(`/api/tasks/${health}/result`)
        .send({ outcome: 'no_problem' })
        .expect(201);
      const done = (await regulator.get(`/api/check-codes/${code.codeId}`).expect(200)).body;
      expect(done).toMatchObject({ status: 'completed', completedAt: expect.any(String), checkWord: null });
      const [entry] = await t.dataSource.query(
        `SELECT after FROM audit_log WHERE action = 'check_code.complete' AND entity_id = $1`,
        [String(code.codeId)],
      );
      expect(entry.after).toMatchObject({ status: 'completed', byTask: health });
      // checked out after completion is fine; a check-in is not
      await code.inspectors[0]!.agent.post(`/api/check-codes/${code.codeId}/check-out`).send({}).expect(200);
      // every task of the visit is done: no new code either
      await code.inspectors[0]!.agent.post(`/api/tasks/${market}/check-code`).send({}).expect(409);
    });

    it('refuses results under a revoked code (409, audited), then works under a new code', async () => {
      const code = await issueTestCode(t, { kind: 'event' });
      await checkInTestCode(code);
      const [a, b] = code.inspectors;
      await regulator
        .post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: '检查人员临时调整' })
        .expect(200);
      const task = code.taskIds[0]!;
      const res = await a!.agent
        .post(`/api/tasks/${task}/result`)
        .send({ outcome: 'no_problem' })
        .expect(409);
      expect(res.body.message).toContain('revoked');
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'task.result_refused' AND entity_id = $1`,
          [String(task)],
        ),
      ).toBe(1);
      const fresh = await b!.agent.post(`/api/tasks/${task}/check-code`).send({}).expect(201);
      expect(fresh.body.codeNo).not.toBe(code.codeNo);
      await a!.agent.post(`/api/check-codes/${fresh.body.id}/check-in`).send({}).expect(200);
      await a!.agent.post(`/api/tasks/${task}/result`).send({ outcome: 'no_problem' }).expect(201);
      expect((await a!.agent.get(`/api/check-codes/${fresh.body.id}`).expect(200)).body.status).toBe(
        'completed',
      );
      const ofTask = await a!.agent.get(`/api/tasks/${task}/check-code`).expect(200);
      expect(ofTask.body).toMatchObject({ live: null, latest: { id: fresh.body.id, status: 'completed' } });
    });

    it('works through the fixture end to end (the helper other tests use)', async () => {
      const code = await issueTestCode(t);
      const done = await completeTestCode(t, code);
      expect(done).toMatchObject({ status: 'completed', checkedOutAt: expect.any(String) });
    });
  });

  describe('revocation and expiry', () => {
    it('issues under the new key when another instance revoked the key this one still had cached', async () => {
      await issueTestCode(t); // this instance now holds the active key (cached KeysService.CACHE_MS)
      const { kid } = await t.app.get(KeysService).signer();
      const second = await createHttpApp(t.url, t.app.get<AppConfig>(APP_CONFIG));
      await second.init();
      try {
        await second.get(KeysService).revoke(kid, 'revoked on another instance', systemActor('test'));
      } finally {
        await second.close();
      }
      const code = await issueTestCode(t);
      const [row] = await t.dataSource.query(`SELECT kid, status FROM check_code WHERE id = $1`, [
        code.codeId,
      ]);
      const [active] = await t.dataSource.query(`SELECT kid FROM check_code_key WHERE status = 'active'`);
      expect(row).toEqual({ kid: active.kid, status: 'issued' });
      expect(row.kid).not.toBe(kid);
    });
    it('revokes with a reason: an inspector of the code or a regulator of its department; others 403 audited', async () => {
      const code = await issueTestCode(t);
      const was = await denied();
      await healthRegulator
        .post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: '无关部门' })
        .expect(403);
      const stranger = await t.signIn('inspector');
      await stranger.agent
        .post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: '冒用' })
        .expect(403);
      expect(await denied()).toBe(was + 2);
      await t.admin.post(`/api/check-codes/${code.codeId}/revoke`).send({ reason: '管理员' }).expect(403);
      const blank = await code.inspectors[1]!.agent.post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: '  ' })
        .expect(422);
      expect(blank.body.errors[0].field).toBe('reason');
      await code.inspectors[1]!.agent.post(`/api/check-codes/${code.codeId}/revoke`).send({}).expect(422);
      const res = await code.inspectors[1]!.agent.post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: ' 检查计划调整 ' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'revoked',
        statusLabel: '已吊销',
        revokeReason: '检查计划调整',
        revokedBy: { name: code.inspectors[1]!.user.displayName },
        validNow: { valid: false, reason: 'revoked' },
        checkWord: null,
      });
      await code.inspectors[1]!.agent.post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: '再次' })
        .expect(409);
      const ci = await code.inspectors[0]!.agent.post(`/api/check-codes/${code.codeId}/check-in`)
        .send({})
        .expect(409);
      expect(ci.body.message).toContain('revoked');
      const [entry] = await t.dataSource.query(
        `SELECT actor_id, after FROM audit_log WHERE action = 'check_code.revoke' AND entity_id = $1`,
        [String(code.codeId)],
      );
      expect(entry).toMatchObject({
        actor_id: code.inspectors[1]!.user.id,
        after: { reason: '检查计划调整' },
      });
      // a revoked code may be followed by a new one
      await code.inspectors[0]!.agent.post(`/api/tasks/${code.taskIds[0]}/check-code`).send({}).expect(201);
    });

    it('expires codes past their end (job and service, advisory-locked), audited; the visit may get a new code', async () => {
      await t.admin.patch('/api/settings').send({ checkCodeMaxDays: 1 }).expect(200);
      let code: TestCode;
      try {
        code = await issueTestCode(t);
      } finally {
        await t.admin.patch('/api/settings').send({ checkCodeMaxDays: 30 }).expect(200);
      }
      const svc = t.app.get(CodesService);
      const later = Date.now() + 2 * DAY;
      // by time the code is expired before any job ran
      const view = await svc.view(t.dataSource.manager, code.codeId, later);
      expect(view!.validNow).toMatchObject({ valid: false, reason: 'expired' });
      expect(view!.status).toBe('issued');
      const n = await t.app.get(CodesExpiryJob).run(systemActor('test'), later);
      expect(n).toBeGreaterThanOrEqual(1);
      const [row] = await t.dataSource.query(`SELECT status FROM check_code WHERE id = $1`, [code.codeId]);
      expect(row.status).toBe('expired');
      const [entry] = await t.dataSource.query(
        `SELECT after FROM audit_log WHERE action = 'check_code.expire' ORDER BY seq DESC LIMIT 1`,
      );
      expect(entry.after.codes).toContainEqual({ id: code.codeId, codeNo: code.codeNo });
      // nothing left to do for now; a later run expires nothing again
      expect(await t.app.get(CodesExpiryJob).run(systemActor('test'), later)).toBe(0);
      const again = await code.inspectors[0]!.agent.post(`/api/tasks/${code.taskIds[0]}/check-code`)
        .send({})
        .expect(201);
      expect(again.body.status).toBe('issued');
    });

    it('marks a live code past its end expired when the visit asks for a new one', async () => {
      const code = await issueTestCode(t, { windowEnd: daysFromToday(60) });
      const svc = t.app.get(CodesService);
      const later = Date.parse(new Date(Date.now() + 31 * DAY).toISOString());
      const fresh = await svc.issue(
        code.taskIds[0]!,
        authUser(code.inspectors[1]!),
        systemActor('test'),
        later,
      );
      expect(fresh.codeNo).not.toBe(code.codeNo);
      const [row] = await t.dataSource.query(`SELECT status FROM check_code WHERE id = $1`, [code.codeId]);
      expect(row.status).toBe('expired');
    });
  });
});

describe('the inspection-code demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    expect(await loadDemoData(t.app, 60, true, systemActor('test'))).not.toBeNull();
  });
  afterAll(() => t.close());

  it('gives demo-inspector a code checked in under, through the services; once', async () => {
    const codeNo = await loadDemoCode(t.app, systemActor('test'));
    expect(codeNo).toMatch(/^[A-Z2-7]{8}$/);
    const [row] = await t.dataSource.query(
      `SELECT c.status, u.username, (SELECT count(*)::int FROM check_code_event e WHERE e.code_id = c.id AND e.kind = 'check_in') AS ins
       FROM check_code c JOIN app_user u ON u.id = c.issued_by WHERE c.code_no = $1`,
      [codeNo],
    );
    expect(row).toEqual({ status: 'in_use', username: 'demo-inspector', ins: 1 });
    const [trigger] = await t.dataSource.query(
      `SELECT g.status, g.kind FROM inspection_trigger g JOIN check_code_task ct ON ct.task_id = g.task_id
       JOIN check_code c ON c.id = ct.code_id WHERE c.code_no = $1`,
      [codeNo],
    );
    expect(trigger).toEqual({ status: 'accepted', kind: 'complaint' });
    expect(await loadDemoCode(t.app, systemActor('test'))).toBeNull();
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM check_code`))[0].n)).toBe(1);
  });
});
