import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { systemActor } from '../src/audit/actor.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { drawTargets } from '../src/inspections/rules/draw.js';
import { Agent, TestApp, createTestApp } from './helpers.js';

/** The draw in the API (双随机抽取): run, list, read, targets by tier, CSV download, roles, 422s. */
describe('draws through the API', () => {
  let t: TestApp;
  let regulator: Agent;
  let regulatorName: string;
  const ratios = { A: 0, B: 0.1, C: 0.3, D: 0.8 };
  let first: Record<string, unknown> & {
    id: number;
    selected: number;
    perTier: { tier: string; selected: number }[];
  };

  /** every target of a draw, through the paginated endpoint */
  const allTargets = async (id: number, tier?: string, pageSize = 7) => {
    const items: Record<string, unknown>[] = [];
    for (let page = 1; ; page++) {
      const res = await regulator
        .get(`/api/draws/${id}/targets`)
        .query({ page, pageSize, ...(tier ? { tier } : {}) })
        .expect(200);
      items.push(...res.body.items);
      if (res.body.items.length < pageSize) return { items, total: res.body.total as number };
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    expect(await loadDemoData(t.app, 300, true, systemActor('test'))).not.toBeNull();
    const r = await t.signIn('regulator');
    regulator = r.agent;
    regulatorName = r.user.username;
    first = (
      await regulator
        .post('/api/draws')
        .send({ seed: '2026-杨浦-第1批', ratios, note: '第四季度双随机抽查' })
        .expect(201)
    ).body;
  });
  afterAll(() => t.close());

  it('runs a draw: its inputs per tier, who ran it and the note are stored and answered', async () => {
    const [{ active }] = await t.dataSource.query(
      `SELECT count(*)::int AS active FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id WHERE e.status = 'active'`,
    );
    expect(first).toMatchObject({
      seed: '2026-杨浦-第1批',
      ratios,
      algorithm: 'tiered-fisher-yates-arc4/v1',
      candidates: active,
      createdBy: { name: regulatorName, role: 'regulator', department: 'market' },
      note: '第四季度双随机抽查',
    });
    expect(first.candidatesDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(first.createdAt as string).toISOString()).toBe(first.createdAt);
    expect(first.perTier.map((p) => p.tier)).toEqual(['A', 'B', 'C', 'D']);
    expect(first.perTier[0]).toMatchObject({ tier: 'A', ratio: 0, selected: 0 });
    const tiers: { tier: string; n: number }[] = await t.dataSource.query(
      `SELECT s.tier, count(*)::int AS n FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
       WHERE e.status = 'active' GROUP BY s.tier`,
    );
    for (const p of first.perTier as {
      tier: string;
      candidates: number;
      ratio: number;
      selected: number;
    }[]) {
      const n = tiers.find((x) => x.tier === p.tier)?.n ?? 0;
      expect(p.candidates).toBe(n);
      expect(p.selected).toBe(Math.max(0, Math.ceil(n * p.ratio - 1e-9)));
    }
    expect(first.selected).toBe(first.perTier.reduce((a, p) => a + p.selected, 0));
    expect(first.selected).toBeGreaterThan(10);
    await regulator.get(`/api/draws/${first.id}`).expect(200, first);
  });

  it('same seed and inputs give the same list, the one the pure draw gives on the stored candidates', async () => {
    const again = (await regulator.post('/api/draws').send({ seed: '2026-杨浦-第1批', ratios }).expect(201))
      .body;
    expect(again.id).not.toBe(first.id);
    expect(again.candidatesDigest).toBe(first.candidatesDigest);
    expect(again.note).toBeNull();
    const a = await allTargets(first.id);
    const b = await allTargets(again.id);
    expect(b.items).toEqual(a.items);
    expect(a.total).toBe(first.selected);
    expect(a.items).toHaveLength(first.selected);
    const candidates: { uscc: string; tier: string }[] = await t.dataSource.query(
      `SELECT e.uscc, s.tier FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id WHERE e.status = 'active'`,
    );
    const pure = drawTargets(candidates, ratios, '2026-杨浦-第1批', ['A', 'B', 'C', 'D'], ['A']);
    expect(a.items.map((x) => [x.position, x.tier, x.tierPosition, x.uscc])).toEqual(
      pure.selected.map((s) => [s.position, s.tier, s.tierPosition, s.uscc]),
    );
    const other = (await regulator.post('/api/draws').send({ seed: '另一个种子', ratios }).expect(201)).body;
    expect((await allTargets(other.id)).items.map((x) => x.uscc)).not.toEqual(a.items.map((x) => x.uscc));
  });

  it('lists draws newest first, paginated', async () => {
    const res = await t.admin.get('/api/draws').query({ pageSize: 2 }).expect(200);
    expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(res.body.items).toHaveLength(2);
    const ids = res.body.items.map((d: { id: number }) => d.id);
    expect(ids[0]).toBeGreaterThan(ids[1]);
    expect(res.body.items[0]).not.toHaveProperty('perTier');
    expect(Object.keys(res.body.items[0]).sort()).toEqual(
      [
        'id',
        'seed',
        'ratios',
        'algorithm',
        'candidates',
        'candidatesDigest',
        'selected',
        'createdAt',
        'createdBy',
        'note',
      ].sort(),
    );
    const page2 = await t.admin.get('/api/draws').query({ page: 2, pageSize: 2 }).expect(200);
    expect(page2.body.items.map((d: { id: number }) => d.id)).toEqual([first.id]);
  });

  it('targets by tier: only that tier, numbered within it, total of the tier', async () => {
    const d = first.perTier.find((p) => p.tier === 'D')!;
    const { items, total } = await allTargets(first.id, 'D', 5);
    expect(total).toBe(d.selected);
    expect(items).toHaveLength(d.selected);
    expect(items.every((x) => x.tier === 'D')).toBe(true);
    expect(items.map((x) => x.tierPosition)).toEqual(Array.from({ length: d.selected }, (_, i) => i + 1));
    const all = (await allTargets(first.id)).items;
    expect(items).toEqual(all.filter((x) => x.tier === 'D'));
    expect(items[0]).toEqual({
      position: expect.any(Number),
      tier: 'D',
      tierPosition: 1,
      uscc: expect.stringMatching(/^[0-9A-Z]{18}$/),
      name: expect.any(String),
      street: expect.anything(),
    });
    const a = await allTargets(first.id, 'A');
    expect(a).toEqual({ items: [], total: 0 });
    const far = await regulator.get(`/api/draws/${first.id}/targets`).query({ page: 1000 }).expect(200);
    expect(far.body).toMatchObject({ items: [], total: first.selected, page: 1000 });
  });

  it('downloads the list as CSV: BOM, Chinese header, the stored list row by row; audited', async () => {
    const res = await regulator.get(`/api/draws/${first.id}/list.csv`).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="draw-${first.id}.csv"`);
    const text = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\n');
    expect(lines[0]).toBe('序号,风险分类,分类内序号,统一社会信用代码,企业名称,街道');
    const stored = (await allTargets(first.id, undefined, 50)).items;
    expect(lines.slice(1)).toEqual(
      stored.map((x) => [x.position, x.tier, x.tierPosition, x.uscc, x.name, x.street ?? ''].join(',')),
    );
    const [audit] = await t.dataSource.query(
      `SELECT actor, actor_role, after FROM audit_log WHERE action = 'random_draw.export' AND entity_id = $1`,
      [String(first.id)],
    );
    expect(audit).toMatchObject({ actor: regulatorName, actor_role: 'regulator' });
    expect(audit.after).toMatchObject({ format: 'csv', selected: first.selected });
    const [created] = await t.dataSource.query(
      `SELECT actor, actor_department, after FROM audit_log WHERE action = 'random_draw.create' AND entity_id = $1`,
      [String(first.id)],
    );
    expect(created).toMatchObject({ actor: regulatorName, actor_department: 'market' });
    expect(created.after).toMatchObject({ seed: '2026-杨浦-第1批', ratios, note: '第四季度双随机抽查' });
  });

  it('roles: a regulator runs; an admin reads but may not run; inspectors and enterprises may not open them', async () => {
    await t.admin.post('/api/draws').send({ seed: 's', ratios }).expect(403);
    await t.admin.get(`/api/draws/${first.id}`).expect(200);
    await t.admin.get(`/api/draws/${first.id}/targets`).expect(200);
    await t.admin.get(`/api/draws/${first.id}/list.csv`).expect(200);
    const [{ uscc }] = await t.dataSource.query(`SELECT uscc FROM enterprise ORDER BY id LIMIT 1`);
    for (const agent of [
      (await t.signIn('inspector')).agent,
      (await t.signIn('enterprise', { uscc })).agent,
    ]) {
      await agent.post('/api/draws').send({ seed: 's', ratios }).expect(403);
      await agent.get('/api/draws').expect(403);
      await agent.get(`/api/draws/${first.id}`).expect(403);
      await agent.get(`/api/draws/${first.id}/targets`).expect(403);
      await agent.get(`/api/draws/${first.id}/list.csv`).expect(403);
    }
    await request(t.http).get('/api/draws').expect(401);
  });

  it.each([
    [{ seed: 's', ratios: { E: 0.1 } }, 'ratios.E', /unknown tier 'E'/],
    [{ seed: 's', ratios: { B: 2 } }, 'ratios.B', /must be a number from 0 to 1/],
    [{ seed: 's', ratios: { B: -0.1 } }, 'ratios.B', /must be a number from 0 to 1/],
    [{ seed: 's', ratios: { C: '0.2' } }, 'ratios.C', /must be a number from 0 to 1/],
    [{ seed: 's', ratios: { A: 0.1 } }, 'ratios.A', /无事不扰/],
    [{ seed: 's', ratios: {} }, 'ratios', /no ratios given/],
    [{ seed: 's', ratios: [0.1] }, 'ratios', /ratios must be an object/],
    [{ seed: 's' }, 'ratios', /ratios must be an object/],
    [{ seed: '', ratios }, 'seed', /seed must be longer than or equal to 1 characters/],
    [{ seed: '   ', ratios }, 'seed', /seed must not be empty/],
    [{ seed: '种'.repeat(101), ratios }, 'seed', /longer than 100 characters \(101\)/],
    // seeds that look alike must be one seed (else a draw could be re-rolled unseen)
    [{ seed: ' abc ', ratios }, 'seed', /begin or end with a space/],
    [{ seed: 'ab\u200bc', ratios }, 'seed', /zero-width/],
    [{ seed: 'ａｂｃ', ratios }, 'seed', /NFKC/],
    [{ seed: 'a\r\nX-Injected: 1', ratios }, 'seed', /line-break/],
    [{ seed: 's', ratios: { B: 0, C: 0, D: 0 } }, 'ratios', /every ratio is 0: nothing to draw/],
    [{ seed: 's', ratios, note: '注'.repeat(201) }, 'note', /longer than 200 characters \(201\)/],
    [{ seed: 's', ratios, extra: 1 }, 'extra', /should not exist/],
  ])('422 by field: %j', async (body, field, reason) => {
    const before = (await t.admin.get('/api/draws').expect(200)).body.total;
    const res = await regulator.post('/api/draws').send(body).expect(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
    );
    expect((await t.admin.get('/api/draws').expect(200)).body.total).toBe(before);
  });

  it('404 for an unknown draw, 422 for a bad id or a tier the draw does not have', async () => {
    for (const path of ['', '/targets', '/list.csv'])
      expect((await regulator.get(`/api/draws/999999${path}`).expect(404)).body.message).toBe(
        'draw 999999 does not exist',
      );
    const bad = await regulator.get('/api/draws/abc').expect(422);
    expect(bad.body.errors[0].field).toBe('id');
    await regulator.get('/api/draws/0/targets').expect(422);
    const tier = await regulator.get(`/api/draws/${first.id}/targets?tier=X`).expect(422);
    expect(tier.body.errors).toEqual([{ field: 'tier', reason: expect.stringMatching(/has no tier 'X'/) }]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'random_draw.export' AND entity_id = '999999'`,
    );
    expect(n).toBe(0);
  });

  it('honours Idempotency-Key: a retry answers the same draw and stores nothing twice', async () => {
    const before = (await t.admin.get('/api/draws').expect(200)).body.total;
    const a = await regulator
      .post('/api/draws')
      .set('Idempotency-Key', 'draw-1')
      .send({ seed: 'k', ratios })
      .expect(201);
    const b = await regulator
      .post('/api/draws')
      .set('Idempotency-Key', 'draw-1')
      .send({ seed: 'k', ratios })
      .expect(201);
    expect(b.body).toEqual(a.body);
    expect((await t.admin.get('/api/draws').expect(200)).body.total).toBe(before + 1);
  });
});
