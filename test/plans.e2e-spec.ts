import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { systemActor } from '../src/audit/actor.js';
import { todayInShanghai } from '../src/common/clock.js';
import { buildUscc } from '../src/common/uscc.js';
import { loadDemoPlan } from '../src/inspections/plans/demo-plan.js';
import { PlansService } from '../src/inspections/plans/plans.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';

/**
 * Annual plans through the API (issue 11 "Annual plans and sampling policy", "Bad input"): drafts
 * with the default policy, 422s naming every field, 403s audited, publication with the late flag,
 * 409s on a published plan, versions superseding, the public JSON and pages with results and
 * never an enterprise's tier, the demo plan and the CLI. Items come from SQL fixtures (the item
 * list's own API is another part's).
 */
describe('annual plans', () => {
  let t: TestApp;
  let market: Agent; // a regulator of market supervision
  let health: Agent; // a regulator of health
  let inspector: Agent;
  const year = 2031;

  /** inserts items of the item list (code, department, active) */
  const items = async (rows: [string, string, boolean?, boolean?][]) => {
    for (const [code, department, active = true, full = false] of rows)
      await t.dataSource.query(
        `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, industries, requirements,
           full_coverage, full_coverage_per_year, active)
         VALUES ($1, $2, $3, '《市场主体登记管理条例》第三十五条', 'on_site', '{}', '["核查营业执照公示情况"]', $4, $5, $6)`,
        [code, `检查事项${code}`, department, full, full ? 2 : null, active],
      );
  };

  const body = (change: Record<string, unknown> = {}) => ({
    year,
    title: `${year}年度双随机抽查计划`,
    leadDepartment: 'market',
    jointDepartments: ['health'],
    scope: '杨浦区在营市场主体',
    itemCodes: ['T-M-01', 'T-H-01'],
    batches: [
      { name: '第一批', windowStart: `${year}-04-01`, windowEnd: `${year}-06-30` },
      { name: '第二批', windowStart: `${year}-09-01`, windowEnd: `${year}-11-30` },
    ],
    ...change,
  });
  const planCount = async () =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM inspection_plan`))[0].n);
  const audits = async (action: string) =>
    t.dataSource.query(`SELECT * FROM audit_log WHERE action = $1 ORDER BY seq`, [action]);

  beforeAll(async () => {
    t = await createTestApp();
    market = (await t.signIn('regulator', { department: 'market' })).agent;
    health = (await t.signIn('regulator', { department: 'health' })).agent;
    inspector = (await t.signIn('inspector')).agent;
    await items([
      ['T-M-01', 'market'],
      ['T-M-02', 'market'],
      ['T-H-01', 'health'],
      ['T-F-01', 'fire'],
      ['T-OLD', 'market', false],
      ['T-FOOD', 'market', true, true],
    ]);
  });
  afterAll(() => t.close());

  it('creates a draft with the default policy (domain.md 5.2), numbered <year>-<lead>-<seq>, audited', async () => {
    const res = await market.post('/api/plans').send(body()).expect(201);
    expect(res.body).toMatchObject({
      planNo: `${year}-market-01`,
      version: 1,
      replacesId: null,
      year,
      status: 'draft',
      publishedAt: null,
      late: null,
      leadDepartment: 'market',
      jointDepartments: ['health'],
      scope: '杨浦区在营市场主体',
      tiers: [
        { tier: 'A', ratio: 0, yearlyCap: 2 },
        { tier: 'B', ratio: 0.05, yearlyCap: 2 },
        { tier: 'C', ratio: 0.2, yearlyCap: 2 },
        { tier: 'D', ratio: 0.6, yearlyCap: 2 },
      ],
      itemCount: 2,
      batchCount: 2,
      supersededById: null,
    });
    expect(res.body.items.map((i: { code: string }) => i.code)).toEqual(['T-H-01', 'T-M-01']);
    expect(res.body.items[0]).toEqual({
      id: expect.any(Number),
      code: 'T-H-01',
      name: '检查事项T-H-01',
      department: 'health',
      checkMethod: 'on_site',
      fullCoverage: false,
    });
    expect(res.body.batches).toEqual([
      {
        id: expect.any(Number),
        seq: 1,
        name: '第一批',
        windowStart: `${year}-04-01`,
        windowEnd: `${year}-06-30`,
        draw: null,
      },
      {
        id: expect.any(Number),
        seq: 2,
        name: '第二批',
        windowStart: `${year}-09-01`,
        windowEnd: `${year}-11-30`,
        draw: null,
      },
    ]);
    expect(res.body.createdBy.username).toMatch(/^regulator-/);
    await market.get(`/api/plans/${res.body.id}`).expect(200, res.body);
    const [entry] = await audits('inspection_plan.create');
    expect(entry).toMatchObject({
      entity_type: 'inspection_plan',
      entity_id: String(res.body.id),
      actor_role: 'regulator',
    });
    expect(entry.after.planNo).toBe(`${year}-market-01`);
    // the next plan of the year and lead takes the next number; batches are numbered in window order
    const second = await market
      .post('/api/plans')
      .send(
        body({
          batches: [
            { name: '秋季', windowStart: `${year}-09-01`, windowEnd: `${year}-09-30` },
            { name: '春季', windowStart: `${year}-03-01`, windowEnd: `${year}-03-31` },
          ],
        }),
      )
      .expect(201);
    expect(second.body.planNo).toBe(`${year}-market-02`);
    expect(second.body.batches.map((b: { name: string }) => b.name)).toEqual(['春季', '秋季']);
  });

  it('answers 422 naming every field at fault at once, nothing saved', async () => {
    const before = await planCount();
    const res = await market
      .post('/api/plans')
      .send({
        year: 2031,
        title: '',
        leadDepartment: 'market',
        jointDepartments: ['market', 'police'],
        itemCodes: ['T-M-01', 'NOPE', 'T-OLD', 'T-F-01'],
        tiers: [
          { tier: 'A', ratio: 0.1, yearlyCap: 2 },
          { tier: 'B', ratio: 1.5, yearlyCap: -1 },
          { tier: 'C', ratio: 0.2, yearlyCap: 2 },
          { tier: 'E', ratio: 0.2, yearlyCap: 2 },
        ],
        batches: [
          { name: '一', windowStart: '2031-04-01', windowEnd: '2031-06-30' },
          { name: '二', windowStart: '2031-06-30', windowEnd: '2032-01-31' },
          { name: '三', windowStart: '2031-10-01', windowEnd: '2031-09-01' },
        ],
      })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'title',
      'jointDepartments[0]',
      'jointDepartments[1]',
      'itemCodes[1]',
      'itemCodes[2]',
      // itemCodes[3] (an item of fire) is judged once the plan's departments are right
      'tiers.A.ratio',
      'tiers.B.ratio',
      'tiers.B.yearlyCap',
      'tiers[3].tier',
      'tiers.D',
      'batches[1].windowEnd',
      'batches[2].windowEnd',
    ]);
    const overlap = await market
      .post('/api/plans')
      .send(
        body({
          batches: [
            { name: '一', windowStart: '2031-04-01', windowEnd: '2031-06-30' },
            { name: '二', windowStart: '2031-06-30', windowEnd: '2031-08-31' },
          ],
        }),
      )
      .expect(422);
    expect(overlap.body.errors).toEqual([
      {
        field: 'batches[1].windowStart',
        reason: 'overlaps batches[0] (2031-04-01 to 2031-06-30): batch windows must not overlap',
      },
    ]);
    await market
      .post('/api/plans')
      .send(body({ status: 'published' }))
      .expect(422);
    await market
      .post('/api/plans')
      .send(body({ itemCodes: [] }))
      .expect(422);
    await market
      .post('/api/plans')
      .send(body({ batches: [] }))
      .expect(422);
    await market
      .post('/api/plans')
      .send(body({ title: 'x\u0000' }))
      .expect(422);
    expect(await planCount()).toBe(before);
  });

  it('lets a regulator change only plans its department leads: 403, audited access.denied', async () => {
    const before = await planCount();
    const denied = await health.post('/api/plans').send(body()).expect(403);
    expect(denied.body.message).toMatch(/only plans its own department leads/);
    expect(await planCount()).toBe(before);
    const [plan] = (await market.get('/api/plans').query({ year, status: 'draft' }).expect(200)).body.items;
    await health.patch(`/api/plans/${plan.id}`).send({ title: '改' }).expect(403);
    await health.post(`/api/plans/${plan.id}/publish`).expect(403);
    await health.delete(`/api/plans/${plan.id}`).expect(403);
    const refusals = await audits('access.denied');
    expect(refusals.filter((r: { entity_type: string }) => r.entity_type === 'inspection_plan')).toHaveLength(
      4,
    );
    // a regulator cannot hand its plan to another department either
    await market
      .patch(`/api/plans/${plan.id}`)
      .send({ leadDepartment: 'health', jointDepartments: ['market'] })
      .expect(403);
    // an admin may act for any department; an inspector reads no plan here
    await inspector.get('/api/plans').expect(403);
    await t.admin.get(`/api/plans/${plan.id}`).expect(200);
  });

  it('changes a draft: a list replaces the whole list, the whole plan checked again, renumbered on a new year', async () => {
    const created = (await market.post('/api/plans').send(body()).expect(201)).body;
    const res = await market
      .patch(`/api/plans/${created.id}`)
      .send({
        itemCodes: ['T-M-02'],
        jointDepartments: [],
        tiers: [
          { tier: 'A', ratio: 0, yearlyCap: 0 },
          { tier: 'B', ratio: 0.1, yearlyCap: 1 },
          { tier: 'C', ratio: 0.3, yearlyCap: 2 },
          { tier: 'D', ratio: 0.9, yearlyCap: 4 },
        ],
      })
      .expect(200);
    expect(res.body.items.map((i: { code: string }) => i.code)).toEqual(['T-M-02']);
    expect(res.body.jointDepartments).toEqual([]);
    expect(res.body.tiers[3]).toEqual({ tier: 'D', ratio: 0.9, yearlyCap: 4 });
    expect(res.body.batches).toHaveLength(2);
    // the item of health no longer fits once health is not joint
    const bad = await market
      .patch(`/api/plans/${created.id}`)
      .send({ itemCodes: ['T-H-01'] })
      .expect(422);
    expect(bad.body.errors[0].field).toBe('itemCodes[0]');
    // moved to another year: the batches must move too, and the plan number follows
    const moved = await market
      .patch(`/api/plans/${created.id}`)
      .send({ year: 2032, batches: [{ name: '全年', windowStart: '2032-01-01', windowEnd: '2032-12-31' }] })
      .expect(200);
    expect(moved.body.planNo).toBe('2032-market-01');
    const [entry] = (await audits('inspection_plan.update')).slice(-1);
    expect(entry.before.planNo).toMatch(/^2031-market-/);
    expect(entry.after.planNo).toBe('2032-market-01');
    await market.patch(`/api/plans/${created.id}`).send({ year: 2031 }).expect(422);
    await market.patch('/api/plans/999999').send({ title: 'x' }).expect(404);
    await market.patch('/api/plans/abc').send({ title: 'x' }).expect(422);
  });

  it.each(['abc', '4.0', '1e3', '04', '0', '-1'])(
    'answers an id written %p with one reason (API 422) or the not-found page (public HTML 404), never as another id',
    async (id) => {
      const api = await request(t.http).get(`/api/public/plans/${id}`).expect(422);
      expect(api.body.errors).toEqual([
        { field: 'id', reason: `id must be a positive whole number written in digits, not '${id}'` },
      ]);
      await market.patch(`/api/plans/${id}`).send({ title: 'x' }).expect(422);
      const page = await request(t.http).get(`/public/plans/${id}`).expect(404);
      expect(page.text).toContain('<html');
      await request(t.http).get(`/public/plans/${id}/batches/1/results`).expect(404);
    },
  );

  it('publishes once: stamped, not late before April, public; then 409 for publish, change and delete', async () => {
    const draft = (
      await market
        .post('/api/plans')
        .send(
          body({ year: 2035, batches: [{ name: '一', windowStart: '2035-05-01', windowEnd: '2035-05-31' }] }),
        )
        .expect(201)
    ).body;
    const res = await market.post(`/api/plans/${draft.id}/publish`).expect(200);
    expect(res.body).toMatchObject({ status: 'published', late: false });
    expect(Date.now() - new Date(res.body.publishedAt).getTime()).toBeLessThan(60_000);
    const [entry] = (await audits('inspection_plan.publish')).slice(-1);
    expect(entry.after).toMatchObject({ status: 'published', late: false });
    const again = await market.post(`/api/plans/${draft.id}/publish`).expect(409);
    expect(again.body.message).toMatch(/already published/);
    await market.patch(`/api/plans/${draft.id}`).send({ title: '改' }).expect(409);
    await market.delete(`/api/plans/${draft.id}`).expect(409);
    // the database holds it too: the frozen trigger refuses a change behind the service's back
    await expect(
      t.dataSource.query(`UPDATE inspection_batch SET name = 'x' WHERE plan_id = $1`, [draft.id]),
    ).rejects.toThrow(/published and cannot change/);
    const plan = (await market.get(`/api/plans/${draft.id}`).expect(200)).body;
    expect(plan.batches[0].name).toBe('一');
  });

  it('flags a plan published after March 31 of its year as late (条例 art. 62), Shanghai day', async () => {
    const plans = t.app.get(PlansService);
    const a = (
      await market
        .post('/api/plans')
        .send(
          body({ year: 2033, batches: [{ name: '一', windowStart: '2033-05-01', windowEnd: '2033-05-31' }] }),
        )
        .expect(201)
    ).body;
    const b = (
      await market
        .post('/api/plans')
        .send(
          body({ year: 2033, batches: [{ name: '一', windowStart: '2033-05-01', windowEnd: '2033-05-31' }] }),
        )
        .expect(201)
    ).body;
    // 2033-03-31 16:30 UTC is already April 1 in Shanghai; 15:30 UTC is still March 31
    const late = await plans.publish(a.id, systemActor('test'), new Date('2033-03-31T16:30:00Z'));
    const onTime = await plans.publish(b.id, systemActor('test'), new Date('2033-03-31T15:30:00Z'));
    expect(late.late).toBe(true);
    expect(onTime.late).toBe(false);
    const list = (await market.get('/api/plans').query({ year: 2033 }).expect(200)).body;
    expect(list.items.map((p: { late: boolean }) => p.late).sort()).toEqual([false, true]);
  });

  it('publishes again only as a new version, which supersedes the published one when published', async () => {
    const v1 = (
      await market
        .post('/api/plans')
        .send(
          body({ year: 2034, batches: [{ name: '一', windowStart: '2034-05-01', windowEnd: '2034-05-31' }] }),
        )
        .expect(201)
    ).body;
    await market.post(`/api/plans/${v1.id}/versions`).expect(409); // a draft: change it instead
    await market.post(`/api/plans/${v1.id}/publish`).expect(200);
    const v2 = (await market.post(`/api/plans/${v1.id}/versions`).expect(201)).body;
    expect(v2).toMatchObject({
      planNo: v1.planNo,
      version: 2,
      replacesId: v1.id,
      status: 'draft',
      late: null,
    });
    expect(v2.batches[0].id).not.toBe(v1.batches[0].id);
    await market.post(`/api/plans/${v1.id}/versions`).expect(409); // a draft version is open
    // a later version keeps the year and lead of the plan number
    const kept = await market
      .patch(`/api/plans/${v2.id}`)
      .send({ year: 2035, batches: [{ name: '一', windowStart: '2035-05-01', windowEnd: '2035-05-31' }] })
      .expect(422);
    expect(kept.body.errors.map((e: { field: string }) => e.field)).toEqual(['year']);
    await market
      .patch(`/api/plans/${v2.id}`)
      .send({ title: `${year}年度计划（修订）`, itemCodes: ['T-M-01', 'T-M-02', 'T-H-01'] })
      .expect(200);
    const published = (await market.post(`/api/plans/${v2.id}/publish`).expect(200)).body;
    expect(published.status).toBe('published');
    const old = (await market.get(`/api/plans/${v1.id}`).expect(200)).body;
    expect(old).toMatchObject({ status: 'superseded', supersededById: v2.id });
    expect(old.items).toHaveLength(2); // unchanged
    await market.post(`/api/plans/${v1.id}/versions`).expect(409); // superseded: not the current one
    const [entry] = (await audits('inspection_plan.publish')).slice(-1);
    expect(entry.after.supersededId).toBe(v1.id);

    // public: both versions with their chain, the old one pointing to the new
    const pub = await request(t.http).get('/api/public/plans').query({ year: 2034 }).expect(200);
    expect(pub.headers['x-total-count']).toBe('2');
    expect(pub.body.items.map((p: { version: number; status: string }) => [p.version, p.status])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    expect(pub.body.items[0].versions.map((v: { id: number }) => v.id)).toEqual([v1.id, v2.id]);
    const oldPage = await request(t.http).get(`/public/plans/${v1.id}`).expect(200);
    expect(oldPage.text).toContain(`href="/public/plans/${v2.id}">新版本</a>替代`);
  });

  it('deletes a draft, audited; publication checks the plan again (an item made inactive since)', async () => {
    const d = (await market.post('/api/plans').send(body()).expect(201)).body;
    await market.delete(`/api/plans/${d.id}`).expect(204);
    await market.get(`/api/plans/${d.id}`).expect(404);
    const [entry] = (await audits('inspection_plan.delete')).slice(-1);
    expect(entry.entity_id).toBe(String(d.id));
    expect(entry.before.itemCodes).toEqual(['T-H-01', 'T-M-01']);

    await items([['T-M-GONE', 'market']]);
    const p = (
      await market
        .post('/api/plans')
        .send(body({ itemCodes: ['T-M-GONE'] }))
        .expect(201)
    ).body;
    await t.dataSource.query(`UPDATE inspection_item SET active = false WHERE code = 'T-M-GONE'`);
    const res = await market.post(`/api/plans/${p.id}/publish`).expect(422);
    expect(res.body.errors).toEqual([{ field: 'itemCodes[0]', reason: 'item T-M-GONE is inactive' }]);
    expect((await market.get(`/api/plans/${p.id}`).expect(200)).body.status).toBe('draft');
  });

  it('lists with filters and X-Total-Count; the editor options hold tiers, departments and active items', async () => {
    const all = await market.get('/api/plans').query({ pageSize: 2 }).expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(Number(all.headers['x-total-count'])).toBe(all.body.total);
    expect(all.body.total).toBe(await planCount());
    const drafts = (await market.get('/api/plans').query({ status: 'draft', pageSize: 100 }).expect(200))
      .body;
    expect(drafts.items.every((p: { status: string }) => p.status === 'draft')).toBe(true);
    const joint = (await market.get('/api/plans').query({ department: 'health', pageSize: 100 }).expect(200))
      .body;
    expect(joint.items.length).toBeGreaterThan(0);
    expect(
      joint.items.every((p: { jointDepartments: string[] }) => p.jointDepartments.includes('health')),
    ).toBe(true);
    const none = (await market.get('/api/plans').query({ department: 'tax' }).expect(200)).body;
    expect(none).toMatchObject({ items: [], total: 0 });
    await market.get('/api/plans').query({ status: 'open' }).expect(422);
    await market.get('/api/plans').query({ year: 1999 }).expect(422);
    const opts = (await market.get('/api/plans/form-options').expect(200)).body;
    expect(opts.tiers[1]).toEqual({ tier: 'B', ratio: 0.05, yearlyCap: 2, label: '信用风险一般' });
    expect(opts.departments.map((d: { code: string }) => d.code)).not.toContain('court');
    expect(opts.departments[0]).toEqual({ code: 'market', name: '杨浦区市场监督管理局' });
    const codes = opts.items.map((i: { code: string }) => i.code);
    expect(codes).toContain('T-FOOD');
    expect(codes).not.toContain('T-OLD');
  });

  it("publishes plans and results without login, never a draft and never an enterprise's tier", async () => {
    const anon = request(t.http);
    const uscc = buildUscc('91', '310110', 'PLANRE01');
    await t.admin.post('/api/enterprises').send({ uscc, name: '上海公示结果测试有限公司' }).expect(201);
    const uscc2 = buildUscc('91', '310110', 'PLANRE02');
    await t.admin.post('/api/enterprises').send({ uscc: uscc2, name: '上海待查测试有限公司' }).expect(201);
    const draft = (
      await market
        .post('/api/plans')
        .send(body({ title: '尚未发布的计划' }))
        .expect(201)
    ).body;
    await anon.get(`/api/public/plans/${draft.id}`).expect(404);
    const draftPage = await anon.get(`/public/plans/${draft.id}`).expect(404);
    expect(draftPage.headers['content-type']).toMatch(/text\/html/);
    expect(draftPage.text).toContain('没有找到该年度抽查计划');
    expect((await anon.get('/public/plans').expect(200)).text).not.toContain('尚未发布的计划');

    const plan = (
      await market
        .post('/api/plans')
        .send(body({ title: '公示结果测试计划' }))
        .expect(201)
    ).body;
    await market.post(`/api/plans/${plan.id}/publish`).expect(200);
    const batch = plan.batches[0];
    // a draw and two tasks of the first batch (the draw and the tasks are other parts': fixtures)
    const [{ id: drawId }] = await t.dataSource.query(
      `INSERT INTO plan_draw (batch_id, algorithm, tier_date, commitment, public_source, inputs_digest, status, secret,
         public_value, public_value_at, drawn_at, final_seed)
       VALUES ($1, 'test/v1', '2031-03-01', $2, '福彩双色球 2031015 期', $3, 'drawn', 's', '01 02 03', now(), now(), $3) RETURNING id`,
      [batch.id, 'a'.repeat(64), 'b'.repeat(64)],
    );
    const [{ id: e1 }] = await t.dataSource.query(`SELECT id FROM enterprise WHERE uscc = $1`, [uscc]);
    const [{ id: e2 }] = await t.dataSource.query(`SELECT id FROM enterprise WHERE uscc = $1`, [uscc2]);
    const [item] = await t.dataSource.query(`SELECT id FROM inspection_item WHERE code = 'T-M-01'`);
    await t.dataSource.query(
      `INSERT INTO plan_draw_target (draw_id, item_id, tier, position, enterprise_id) VALUES ($1, $2, 'D', 1, $3), ($1, $2, 'C', 1, $4)`,
      [drawId, item.id, e1, e2],
    );
    const task = async (enterprise: number, tier: string, outcome: string | null) => {
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO inspection_task (kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start, window_end,
           status, assignment_seed, outcome, recorded_at, correction_deadline)
         VALUES ('routine', $1, 'market', $2, $3, $4, $5, $6, $7, $8, 'seed', $9, $10, $11) RETURNING id`,
        [
          enterprise,
          plan.id,
          batch.id,
          drawId,
          tier,
          batch.windowStart,
          batch.windowEnd,
          outcome ? 'completed' : 'assigned',
          outcome,
          outcome ? '2031-04-20T02:00:00Z' : null,
          outcome === 'problems_found' ? '2031-05-20' : null,
        ],
      );
      await t.dataSource.query(`INSERT INTO inspection_task_item (task_id, item_id) VALUES ($1, $2)`, [
        id,
        item.id,
      ]);
    };
    await task(e1, 'D', 'problems_found');
    await task(e2, 'C', null);

    const pub = (await anon.get(`/api/public/plans/${plan.id}`).expect(200)).body;
    expect(pub).toMatchObject({
      id: plan.id,
      planNo: plan.planNo,
      status: 'published',
      late: false,
      leadDepartmentName: '杨浦区市场监督管理局',
      tiers: [
        { tier: 'A', ratio: 0, yearlyCap: 2 },
        { tier: 'B', ratio: 0.05, yearlyCap: 2 },
        { tier: 'C', ratio: 0.2, yearlyCap: 2 },
        { tier: 'D', ratio: 0.6, yearlyCap: 2 },
      ],
    });
    expect(pub.items[0]).toMatchObject({ code: 'T-H-01', legalBasis: '《市场主体登记管理条例》第三十五条' });
    expect(pub.batches[0].draw).toMatchObject({
      id: Number(drawId),
      status: 'drawn',
      commitment: 'a'.repeat(64),
      publicSource: '福彩双色球 2031015 期',
      publicValue: '01 02 03',
      targets: 2,
      page: `/public/draws/${drawId}`,
    });
    expect(pub.batches[0].results).toEqual({
      tasks: 2,
      pending: 1,
      no_problem: 0,
      problems_found: 1,
      refused: 0,
      not_found: 0,
    });
    expect(pub.batches[1]).toMatchObject({ draw: null, results: { tasks: 0 } });
    const results = await anon.get(`/api/public/plans/${plan.id}/batches/${batch.id}/results`).expect(200);
    expect(results.headers['x-total-count']).toBe('1');
    expect(results.body.items).toEqual([
      {
        taskId: expect.any(Number),
        enterpriseName: '上海公示结果测试有限公司',
        uscc,
        department: 'market',
        items: ['检查事项T-M-01'],
        outcome: 'problems_found',
        correctionDeadline: '2031-05-20',
        recordedOn: '2031-04-20',
      },
    ]);
    await anon.get(`/api/public/plans/${plan.id}/batches/${plan.batches[1].id + 1000}/results`).expect(404);
    await anon.get(`/api/public/plans/${draft.id}/batches/${draft.batches[0].id}/results`).expect(404);
    // no tier of an enterprise anywhere in the public answers: only the policy has tiers
    const text = JSON.stringify({ ...pub, tiers: undefined }) + JSON.stringify(results.body);
    expect(text).not.toMatch(/"tier"/);

    const page = await anon.get(`/public/plans/${plan.id}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(page.text).not.toMatch(/<script/i);
    for (const s of [
      '公示结果测试计划',
      plan.planNo,
      '检查事项T-M-01',
      '第 1 批：第一批',
      '上海公示结果测试有限公司',
      uscc,
      '发现问题（整改期限 2031年5月20日）',
      '0%（无事不扰，不作例行抽查）',
      '5%',
      `/public/draws/${drawId}`,
      '尚未完成 1',
    ])
      expect(page.text).toContain(s);
    expect(page.text).not.toContain('上海待查测试有限公司'); // no result recorded yet
    const row = page.text.slice(
      page.text.indexOf('上海公示结果测试有限公司') - 200,
      page.text.indexOf('上海公示结果测试有限公司') + 600,
    );
    expect(row).not.toMatch(/[A-D]类/);
    const list = await anon.get('/public/plans').expect(200);
    expect(list.text).toContain(`href="/public/plans/${plan.id}"`);
    const all = await anon.get(`/public/plans/${plan.id}/batches/${batch.id}/results`).expect(200);
    expect(all.text).toContain('已记录检查结果 1 条');
  });

  it('loads the demo draft plan of this year from the demo items that exist, its first batch open today', async () => {
    const today = todayInShanghai();
    expect(await loadDemoPlan(t.app, systemActor('test'))).toBeNull(); // no demo item yet
    await items([
      ['YP-SC-01', 'market'],
      ['YP-SC-02', 'health'],
      ['YP-SC-05', 'fire'],
    ]);
    const id = await loadDemoPlan(t.app, systemActor('test'));
    const plan = (await market.get(`/api/plans/${id}`).expect(200)).body;
    expect(plan).toMatchObject({
      year: Number(today.slice(0, 4)),
      status: 'draft',
      leadDepartment: 'market',
      jointDepartments: ['health', 'fire'],
    });
    expect(plan.items.map((i: { code: string }) => i.code)).toEqual(['YP-SC-01', 'YP-SC-02', 'YP-SC-05']);
    // the draw's tasks take their results from today on (none before a task's window opens)
    expect(plan.batches[0]).toMatchObject({ seq: 1, windowStart: today });
    expect(await loadDemoPlan(t.app, systemActor('test'))).toBeNull(); // once
    // a regulator of market can publish it (late after March 31, as any plan)
    const published = (await market.post(`/api/plans/${id}/publish`).expect(200)).body;
    expect(published.late).toBe(today > `${today.slice(0, 4)}-03-31`);
  });

  const cli = path.resolve('dist/src/cli.js');
  (existsSync(cli) ? it : it.skip)(
    'plan create and plan publish on the command line, every field at fault listed',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'plan-cli-'));
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
      writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(body({ year: 2040, itemCodes: ['NOPE'] })));
      const bad = run('plan', 'create', 'bad.json');
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('itemCodes[0]: unknown item NOPE');
      expect(bad.stderr).toContain('batches[0].windowStart');
      writeFileSync(
        path.join(dir, 'good.json'),
        JSON.stringify(
          body({ year: 2040, batches: [{ name: '一', windowStart: '2040-05-01', windowEnd: '2040-05-31' }] }),
        ),
      );
      const good = run('plan', 'create', 'good.json');
      expect(good.stderr).toBe('');
      expect(good.status).toBe(0);
      const id = /^plan (\d+): 2040-market-01 version 1 \(draft\)/.exec(good.stdout)?.[1];
      expect(id).toBeDefined();
      const pub = run('plan', 'publish', id!);
      expect(pub.status).toBe(0);
      expect(pub.stdout).toMatch(/\(published\)/);
    },
  );
});
