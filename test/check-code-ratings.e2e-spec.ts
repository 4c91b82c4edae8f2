import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { checkInTestCode, completeTestCode, issueTestCode, type TestCode } from './check-code-fixtures.js';

/**
 * Ratings of inspections and an enterprise's inspections of a year (issue 12; docs/security.md
 * "Ratings"), on a real database: codes issued, checked in and completed through the API
 * (test/check-code-fixtures.ts), rated through the API; ratings of an earlier year (a period that
 * is over and published) are inserted as rows, since a rating is always dated the day it is made.
 */
describe('inspection ratings', () => {
  let t: TestApp;
  let market: Agent;
  let health: Agent;
  let oversight: Agent;
  let inspector: Agent;
  const today = todayInShanghai();
  const year = Number(today.slice(0, 4));
  const lastYear = year - 1;

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: market } = await t.signIn('regulator', { department: 'market' }));
    ({ agent: health } = await t.signIn('regulator', { department: 'health' }));
    ({ agent: oversight } = await t.signIn('regulator', { department: 'oversight' }));
    ({ agent: inspector } = await t.signIn('inspector', { department: 'market' }));
  });
  afterAll(() => t.close());

  const enterpriseOf = async (code: TestCode) =>
    (await t.signIn('enterprise', { uscc: code.enterprise.uscc })).agent;
  const audits = async (action: string, entityId: string) =>
    t.dataSource.query(
      `SELECT actor, actor_role, actor_department, before, after FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY seq`,
      [action, entityId],
    );
  const ratingsOf = async (codeId: number) =>
    t.dataSource.query(`SELECT * FROM check_code_rating WHERE code_id = $1`, [codeId]);
  /** A rating row of an earlier day (a rating made through the API is always dated today). */
  const insertRating = (
    codeId: number,
    ratedOn: string,
    f: { score?: number; comment?: string | null } = {},
  ) =>
    t.dataSource.query(
      `INSERT INTO check_code_rating (code_id, score, necessary, mergeable, comment, rated_on, released_on)
       VALUES ($1, $2, true, false, $3, $4, $5)`,
      [codeId, f.score ?? 4, f.comment ?? null, ratedOn, addDays(ratedOn, 14)],
    );

  describe('rating a completed inspection', () => {
    let code: TestCode;
    let ent: Agent;

    beforeAll(async () => {
      await t.admin.patch('/api/settings').send({ ratingDelayDays: 3 }).expect(200);
      code = await issueTestCode(t);
      ent = await enterpriseOf(code);
    });

    it('refuses before completion (409, audited), then lists the visit with 评价 once completed', async () => {
      const before = await ent
        .post(`/api/check-codes/${code.codeNo}/rating`)
        .send({ score: 5, necessary: true, mergeable: false });
      expect(before.status).toBe(409);
      expect(before.body.message).toContain('the inspection has not begun');
      await checkInTestCode(code);
      const inUse = await ent
        .post(`/api/check-codes/${code.codeNo}/rating`)
        .send({ score: 5, necessary: true, mergeable: false });
      expect(inUse.status).toBe(409);
      expect(inUse.body.message).toContain('not completed yet');
      expect(await ratingsOf(code.codeId)).toEqual([]);
      expect(
        (await audits('check_code.rating_refused', code.codeNo)).map(
          (a: { after: { reason: string } }) => a.after.reason,
        ),
      ).toEqual([
        'a visit is rated after it is completed: the inspection has not begun',
        'a visit is rated after it is completed: the inspection is not completed yet',
      ]);
      const mine = (await ent.get('/api/me/visits').expect(200)).body;
      expect(mine.items).toEqual([
        expect.objectContaining({ codeNo: code.codeNo, status: 'in_use', rated: false, canRate: false }),
      ]);
    });

    it('answers the visit for the rating page, then stores the rating without the rater', async () => {
      for (const taskId of code.taskIds)
        await code.inspectorsOf[taskId]![0]!.agent.post(`/api/tasks/${taskId}/result`)
          .send({ outcome: 'no_problem' })
          .expect(201);
      const visit = (await ent.get(`/api/me/visits/${code.codeNo.toLowerCase()}`).expect(200)).body;
      expect(visit).toMatchObject({
        codeNo: code.codeNo,
        codeNoDisplay: `JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}`,
        status: 'completed',
        statusLabel: '已完成',
        kind: 'routine',
        rated: false,
        canRate: true,
        ratedOn: null,
        enterprise: { uscc: code.enterprise.uscc, name: code.enterprise.name },
        departments: [{ code: 'market', name: '杨浦区市场监督管理局', lead: true }],
        planNos: [code.planNo],
      });
      expect(visit.inspectors).toHaveLength(2);

      const res = await ent
        .post(`/api/check-codes/JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}/rating`)
        .send({ score: 4, necessary: true, mergeable: true, comment: '  检查人员出示检查码，用时较短。  ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        codeNo: code.codeNo,
        ratedOn: today,
        message: expect.stringContaining('感谢您的评价'),
      });
      const [row] = await ratingsOf(code.codeId);
      expect({ ...row, code_id: Number(row.code_id) }).toEqual({
        code_id: code.codeId,
        score: 4,
        necessary: true,
        mergeable: true,
        comment: '检查人员出示检查码，用时较短。',
        rated_on: today,
        released_on: addDays(today, 3),
      });
      // no column could hold the rater
      const columns = (
        await t.dataSource.query(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'check_code_rating' ORDER BY ordinal_position`,
        )
      ).map((c: { column_name: string }) => c.column_name);
      expect(columns).toEqual([
        'code_id',
        'score',
        'necessary',
        'mergeable',
        'comment',
        'rated_on',
        'released_on',
      ]);
      // the act is audited with the code, never its content
      const [entry] = await audits('check_code.rate', code.codeNo);
      expect(entry).toMatchObject({
        actor_role: 'enterprise',
        actor_department: null,
        before: null,
        after: null,
      });
      const mine = (await ent.get(`/api/me/visits/${code.codeNo}`).expect(200)).body;
      expect(mine).toMatchObject({ rated: true, canRate: false, ratedOn: today });
    });

    it('refuses a second rating by anyone of the enterprise (409, audited), nothing changed', async () => {
      const colleague = await enterpriseOf(code);
      const res = await colleague
        .post(`/api/check-codes/${code.codeNo}/rating`)
        .send({ score: 1, necessary: false, mergeable: true });
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('this inspection has been rated already (once per code)');
      expect((await ratingsOf(code.codeId))[0].score).toBe(4);
      expect((await audits('check_code.rating_refused', code.codeNo)).at(-1).after.reason).toBe(
        'this inspection has been rated already (once per code)',
      );
    });

    it('refuses another enterprise (403, audited) and says nothing more of the code', async () => {
      const other = (await t.signIn('enterprise', { uscc: (await issueTestCode(t)).enterprise.uscc })).agent;
      const res = await other
        .post(`/api/check-codes/${code.codeNo}/rating`)
        .send({ score: 1, necessary: false, mergeable: true });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe("only the inspected enterprise's own users rate its inspection");
      expect((await other.get(`/api/me/visits/${code.codeNo}`)).status).toBe(403);
      const denied = await audits('access.denied', code.codeNo);
      expect(denied).toHaveLength(2);
      expect(denied[0].after.reason).toContain("only the inspected enterprise's own users");
      expect((await ratingsOf(code.codeId))[0].score).toBe(4);
    });

    it('answers 404 for an unknown code and 422 for bad input, each field named, nothing stored', async () => {
      const body = { score: 4, necessary: true, mergeable: false };
      expect((await ent.post('/api/check-codes/AAAAAAAA/rating').send(body)).status).toBe(404);
      const badNo = await ent.post('/api/check-codes/12345678/rating').send(body);
      expect(badNo.status).toBe(422);
      expect(badNo.body.errors.map((e: { field: string }) => e.field)).toEqual(['codeNo']);
      const bad = await ent
        .post(`/api/check-codes/${code.codeNo}/rating`)
        .send({ score: 6, necessary: 'yes', comment: '长'.repeat(501) });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'comment',
        'mergeable',
        'necessary',
        'score',
      ]);
      expect(bad.body.errors.find((e: { field: string }) => e.field === 'comment').reason).toContain('500');
      const nul = await ent
        .post(`/api/check-codes/${code.codeNo}/rating`)
        .send({ ...body, comment: 'a\u0000b' });
      expect(nul.status).toBe(422);
      expect(nul.body.errors[0].field).toBe('comment');
      expect(await ratingsOf(code.codeId)).toHaveLength(1);
    });

    it('lets no one but the enterprise rate, and no inspector read ratings', async () => {
      const body = { score: 1, necessary: false, mergeable: true };
      expect((await market.post(`/api/check-codes/${code.codeNo}/rating`).send(body)).status).toBe(403);
      expect(
        (await code.inspectors[0]!.agent.post(`/api/check-codes/${code.codeNo}/rating`).send(body)).status,
      ).toBe(403);
      expect((await inspector.get('/api/check-code-ratings/summary')).status).toBe(403);
      expect((await inspector.get('/api/check-code-ratings')).status).toBe(403);
      expect((await inspector.get(`/api/enterprises/${code.enterprise.uscc}/check-codes`)).status).toBe(403);
    });

    it("keeps this year's rating out of the department's aggregates until its period is published", async () => {
      const v = (await market.get('/api/check-code-ratings/summary').query({ period: 'month' }).expect(200))
        .body;
      expect(v).toMatchObject({ department: 'market', view: 'department', minGroup: 5, delayDays: 3, today });
      const thisMonth = v.total.periods[Number(today.slice(5, 7)) - 1];
      expect(thisMonth).toMatchObject({ status: 'pending', aggregate: null });
      expect(thisMonth.statusText).toMatch(/^统计期未结束，\d{4}年\d{1,2}月\d{1,2}日起公布$/);
      expect(JSON.stringify(v)).not.toContain(code.codeNo);
      // the supervising body sees it at once, whole
      const w = (
        await oversight.get('/api/check-code-ratings/summary').query({ period: 'month' }).expect(200)
      ).body;
      expect(w.view).toBe('whole');
      expect(w.total.year.aggregate).toEqual({
        count: 1,
        meanScore: 4,
        necessaryShare: 1,
        mergeableShare: 1,
      });
      const list = (await oversight.get('/api/check-code-ratings').expect(200)).body;
      expect(list.items).toEqual([
        expect.objectContaining({
          codeNo: code.codeNo,
          enterprise: { uscc: code.enterprise.uscc, name: code.enterprise.name },
          departments: ['market'],
          score: 4,
          comment: '检查人员出示检查码，用时较短。',
          ratedOn: today,
          releasedOn: addDays(today, 3),
          low: false,
        }),
      ]);
      expect(list.items[0].inspectors.map((i: { department: string }) => i.department)).toEqual([
        'market',
        'market',
      ]);
    });
  });

  describe("the department's aggregates of an earlier year", () => {
    const codes: TestCode[] = [];
    let joint: TestCode;
    let common: number;

    beforeAll(async () => {
      // five market codes and one joint market + health code, completed, rated last March; one
      // more inspector (common) checked in under every market code
      for (let i = 0; i < 4; i++) {
        const c = await issueTestCode(t);
        await completeTestCode(t, c);
        codes.push(c);
      }
      joint = await issueTestCode(t, { kind: 'joint' });
      await completeTestCode(t, joint);
      common = (await t.signIn('inspector', { department: 'market' })).user.id;
      for (const c of [...codes, joint])
        await t.dataSource.query(
          `INSERT INTO check_code_event (code_id, kind, user_id) VALUES ($1, 'check_in', $2)`,
          [c.codeId, common],
        );
      for (const [i, c] of codes.entries())
        await insertRating(c.codeId, `${lastYear}-03-1${i}`, { score: i + 2 });
      await insertRating(joint.codeId, `${lastYear}-03-20`, {
        score: 1,
        comment: '同一周内第二次检查，可以合并。',
      });
    });

    it('shows a group of k ratings and "不足 5 条" for fewer: the regulator of the department', async () => {
      const v = (await market.get('/api/check-code-ratings/summary').query({ year: lastYear }).expect(200))
        .body;
      expect(v.view).toBe('department');
      expect(v.total.year).toMatchObject({
        status: 'shown',
        aggregate: { count: 5, meanScore: 3, necessaryShare: 1, mergeableShare: 0 },
      });
      expect(v.total.periods[0]).toMatchObject({
        period: { key: `${lastYear}-Q1`, label: `${lastYear}年第一季度` },
        status: 'shown',
      });
      expect(v.total.periods[1]).toMatchObject({
        status: 'below_minimum',
        statusText: '不足 5 条，暂不显示',
        aggregate: null,
      });
      // the inspector on every code: the department's group; each of the others: one or two ratings
      const byId = new Map(
        v.inspectors.map((x: { inspector: { userId: number } }) => [x.inspector.userId, x]),
      );
      expect(byId.get(common)).toMatchObject({
        series: { year: { status: 'shown', aggregate: { count: 5 } } },
      });
      const others = v.inspectors.filter(
        (x: { inspector: { userId: number } }) => x.inspector.userId !== common,
      );
      expect(others.length).toBe(10);
      for (const x of others)
        expect(x.series.year).toMatchObject({ status: 'below_minimum', aggregate: null });
      // health's own inspectors count in health only
      const healthIds = joint.inspectors.slice(2).map((i) => i.user.id);
      expect(
        v.inspectors.some((x: { inspector: { userId: number } }) => healthIds.includes(x.inspector.userId)),
      ).toBe(false);
      expect(JSON.stringify(v)).not.toMatch(/同一周内|comment|codeNo/);
    });

    it("a department with k-1: health's one rating is not shown; the health regulator may not read market's", async () => {
      const h = (await health.get('/api/check-code-ratings/summary').query({ year: lastYear }).expect(200))
        .body;
      expect(h.department).toBe('health');
      expect(h.total.year).toMatchObject({ status: 'below_minimum', aggregate: null });
      expect(h.inspectors.map((x: { inspector: { userId: number } }) => x.inspector.userId).sort()).toEqual(
        joint.inspectors
          .slice(2)
          .map((i) => i.user.id)
          .sort(),
      );
      const denied = await health
        .get('/api/check-code-ratings/summary')
        .query({ year: lastYear, department: 'market' });
      expect(denied.status).toBe(403);
      const [entry] = await audits('access.denied', 'market');
      expect(entry.after.reason).toBe(
        'a regulator of health reads the ratings of its own department only, not of market',
      );
    });

    it('admins read any department under the same rule; the supervising body reads it whole, with the comments', async () => {
      const a = (
        await t.admin
          .get('/api/check-code-ratings/summary')
          .query({ year: lastYear, department: 'health' })
          .expect(200)
      ).body;
      expect(a.total.year.status).toBe('below_minimum');
      expect((await t.admin.get('/api/check-code-ratings')).status).toBe(403);
      expect((await market.get('/api/check-code-ratings')).status).toBe(403);
      const w = (
        await oversight
          .get('/api/check-code-ratings/summary')
          .query({ year: lastYear, department: 'health' })
          .expect(200)
      ).body;
      expect(w.total.year).toMatchObject({ status: 'shown', aggregate: { count: 1, meanScore: 1 } });
      const low = (
        await oversight.get('/api/check-code-ratings').query({ year: lastYear, maxScore: 2 }).expect(200)
      ).body;
      expect(low.items.map((i: { codeNo: string }) => i.codeNo)).toEqual([joint.codeNo, codes[0]!.codeNo]);
      expect(low).toMatchObject({ total: 2, lowCount: 2, commentCount: 1 });
      expect(low.items[0]).toMatchObject({
        kind: 'joint',
        departments: ['market', 'health'],
        comment: '同一周内第二次检查，可以合并。',
        low: true,
      });
      const commented = (
        await oversight
          .get('/api/check-code-ratings')
          .query({ year: lastYear, withComment: 'true', department: 'health' })
          .expect(200)
      ).body;
      expect(commented.items.map((i: { codeNo: string }) => i.codeNo)).toEqual([joint.codeNo]);
      expect(
        (
          await oversight.get('/api/check-code-ratings').query({ maxScore: 9, withComment: 'maybe' })
        ).body.errors
          .map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['maxScore', 'withComment']);
    });

    it('k is the setting: with ratingMinGroup 6 the market year is hidden too', async () => {
      await t.admin.patch('/api/settings').send({ ratingMinGroup: 6 }).expect(200);
      const v = (await market.get('/api/check-code-ratings/summary').query({ year: lastYear }).expect(200))
        .body;
      expect(v.total.year).toMatchObject({ status: 'below_minimum', statusText: '不足 6 条，暂不显示' });
      await t.admin.patch('/api/settings').send({ ratingMinGroup: 5 }).expect(200);
    });
  });

  describe("an enterprise's inspections of the year", () => {
    it('counts a code revoked on the spot and issued again for the same visit as one inspection, with no alert', async () => {
      const code = await issueTestCode(t, { kind: 'event' });
      await checkInTestCode(code);
      const inspector = code.inspectors[0]!.agent;
      await inspector
        .post(`/api/check-codes/${code.codeId}/revoke`)
        .send({ reason: '手机丢失，重新申请' })
        .expect(200);
      const again = await inspector.post(`/api/tasks/${code.taskIds[0]}/check-code`).send({}).expect(201);
      for (const u of code.inspectors)
        await u.agent.post(`/api/check-codes/${again.body.id}/check-in`).send({}).expect(200);
      const v = (await market.get(`/api/enterprises/${code.enterprise.uscc}/check-codes`).expect(200)).body;
      expect(v.items).toHaveLength(2);
      expect(v).toMatchObject({ total: 1, byKind: { routine: 0, event: 1, joint: 0 } });
      expect(v.alerts.repeatVisits).toEqual([]);
    });

    it('counts coded inspections by kind, tells repeat visits from check-ins, and feeds the alerts page', async () => {
      const first = await issueTestCode(t, { kind: 'event' });
      const second = await issueTestCode(t, { kind: 'joint', enterprise: first.enterprise });
      await completeTestCode(t, first);
      await checkInTestCode(second);
      const v = (await market.get(`/api/enterprises/${first.enterprise.uscc}/check-codes`).expect(200)).body;
      expect(v).toMatchObject({
        enterprise: { uscc: first.enterprise.uscc, name: first.enterprise.name },
        year,
        total: 2,
        byKind: { routine: 0, event: 1, joint: 1 },
        completed: 1,
        alerts: { limits: { day: 1, week: 2, month: 3 }, overCap: null },
      });
      expect(
        v.items.map((i: { codeNo: string; status: string; rated: unknown }) => [i.codeNo, i.status, i.rated]),
      ).toEqual([
        [second.codeNo, 'in_use', null],
        [first.codeNo, 'completed', null],
      ]);
      expect(v.items[0].reasons).toEqual(['群众举报：空调通风系统未清洗']);
      expect(v.items[1].reasons).toEqual(['消费者投诉：销售过期食品']);
      const day = [first.codeNo, second.codeNo].map((n) => `code:${n}`).sort();
      expect(v.alerts.repeatVisits).toEqual([
        expect.objectContaining({ rule: 'day', limit: 1, from: today, to: today, visits: day }),
      ]);
      const planning = (await market.get('/api/inspection-alerts').expect(200)).body;
      expect(planning.repeatVisits).toContainEqual(
        expect.objectContaining({
          enterprise: { uscc: first.enterprise.uscc, name: first.enterprise.name },
          rule: 'day',
          visits: day,
        }),
      );
      // the supervising body sees which were rated; the enterprise sees its own, and what to rate
      const ent = await enterpriseOf(first);
      await ent
        .post(`/api/check-codes/${first.codeNo}/rating`)
        .send({ score: 2, necessary: false, mergeable: true })
        .expect(201);
      const o = (
        await oversight
          .get(`/api/enterprises/${first.enterprise.uscc}/check-codes`)
          .query({ year })
          .expect(200)
      ).body;
      expect(o.items.map((i: { rated: boolean }) => i.rated)).toEqual([false, true]);
      const mine = (await ent.get('/api/me/visits').query({ year }).expect(200)).body;
      expect(mine.items.map((i: { rated: boolean; canRate: boolean }) => [i.rated, i.canRate])).toEqual([
        [false, false],
        [true, false],
      ]);
      expect(mine.alerts.repeatVisits).toHaveLength(1);
      expect((await ent.get('/api/me/visits').query({ year: lastYear }).expect(200)).body.total).toBe(0);
      expect((await market.get('/api/enterprises/123/check-codes')).status).toBe(422);
      expect(
        (await market.get(`/api/enterprises/${first.enterprise.uscc}/check-codes`).query({ year: 1999 }))
          .status,
      ).toBe(422);
    });
  });

  describe('phone numbers in reasons', () => {
    it('the enterprise reads its visits without the phone numbers typed into a reason; the bureau reads them whole', async () => {
      const code = await issueTestCode(t, { kind: 'event' });
      const reason = '消费者王先生（电话13812345678）经12315投诉：销售过期食品';
      await t.dataSource.query(
        `UPDATE check_code SET particulars = jsonb_set(particulars, '{triggers,0,reason}', to_jsonb($2::text)) WHERE id = $1`,
        [code.codeId, reason],
      );
      const ent = await enterpriseOf(code);
      const mine = (await ent.get(`/api/me/visits/${code.codeNo}`).expect(200)).body;
      expect(mine.reasons).toEqual(['消费者王先生（电话***）经12315投诉：销售过期食品']);
      const list = (await ent.get('/api/me/visits').expect(200)).body;
      expect(JSON.stringify(list)).not.toContain('13812345678');
      const bureau = (await market.get(`/api/enterprises/${code.enterprise.uscc}/check-codes`).expect(200))
        .body;
      expect(bureau.items[0].reasons).toEqual([reason]);
    });
  });

  describe('ratings at the same moment', () => {
    it('two ratings at once: one stored, the other the same clear 409 (audited), never a database message', async () => {
      const twice = await issueTestCode(t);
      await completeTestCode(t, twice);
      const a = await enterpriseOf(twice);
      const b = await enterpriseOf(twice);
      const answers = await Promise.all(
        [a, b, a, b].map((agent) =>
          agent
            .post(`/api/check-codes/${twice.codeNo}/rating`)
            .send({ score: 3, necessary: true, mergeable: false }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      for (const r of answers.filter((x) => x.status === 409))
        expect(r.body.message).toBe('this inspection has been rated already (once per code)');
      expect(await ratingsOf(twice.codeId)).toHaveLength(1);
      expect(await audits('check_code.rating_refused', twice.codeNo)).toHaveLength(3);
    });
  });
});
