import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { systemActor } from '../src/audit/actor.js';
import { buildUscc } from '../src/common/uscc.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { DEMO_INSPECTORS, DEMO_ITEMS } from '../src/demo/demo-planning.js';
import { Agent, TestApp, createTestApp } from './helpers.js';

const ITEM = {
  code: 'T-MK-01',
  name: '营业执照检查',
  department: 'market',
  legalBasis: '《市场主体登记管理条例》第三十五条',
  checkMethod: 'documents',
  industries: ['H62', 'F52'],
  requirements: ['营业执照在显著位置公示', '登记事项与实际一致'],
};

const HEADER =
  'code,name,department,legal_basis,check_method,industries,requirements,full_coverage,full_coverage_per_year';

/** The catalog (issue 11 "Lists and rosters"): items, the inspector roster, recusal, their imports and the demo data. */
describe('item list, inspector roster and recusal through the API', () => {
  let t: TestApp;
  let market: Agent;
  let health: Agent;
  let inspector: Agent;
  let inspectorId: number;
  let inspectorCredential: string;
  let healthInspectorId: number;
  let enterprise: Agent;
  let uscc: string;
  let otherUscc: string;
  const audits = async (action: string) =>
    (await t.dataSource.query(`SELECT after FROM audit_log WHERE action = $1 ORDER BY seq`, [action])).map(
      (r: { after: unknown }) => r.after,
    );
  const csv = (agent: Agent, url: string, body: string | Buffer) =>
    agent.post(url).set('Content-Type', 'text/csv').send(body);

  beforeAll(async () => {
    t = await createTestApp();
    uscc = buildUscc('91', '310110', 'CAT00001');
    otherUscc = buildUscc('91', '310110', 'CAT00002');
    for (const u of [uscc, otherUscc])
      await t.admin
        .post('/api/enterprises')
        .send({ uscc: u, name: `上海目录测试${u.slice(-3)}有限公司` })
        .expect(201);
    market = (await t.signIn('regulator')).agent;
    health = (await t.signIn('regulator', { department: 'health' })).agent;
    const i = await t.signIn('inspector');
    inspector = i.agent;
    inspectorId = i.user.id;
    inspectorCredential = i.user.credentialNo!;
    healthInspectorId = (await t.signIn('inspector', { department: 'health' })).user.id;
    enterprise = (await t.signIn('enterprise', { uscc })).agent;
  });
  afterAll(() => t.close());

  describe('items', () => {
    it('a regulator adds an item of its department; the code is unique', async () => {
      const res = await market.post('/api/inspection-items').send(ITEM).expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        ...ITEM,
        fullCoverage: false,
        fullCoveragePerYear: null,
        active: true,
      });
      await market.get('/api/inspection-items/T-MK-01').expect(200, res.body);
      const dup = await market.post('/api/inspection-items').send(ITEM).expect(409);
      expect(dup.body.message).toMatch(/exists already/);
      expect(await audits('inspection_item.create')).toHaveLength(1);
    });

    it('422 names every field at fault, nothing stored', async () => {
      const res = await market
        .post('/api/inspection-items')
        .send({
          code: 'T-MK-02',
          name: '',
          department: 'market',
          checkMethod: 'on_site',
          industries: ['H6', 'H62'],
          requirements: [],
          fullCoverage: true,
        })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'name',
        'legalBasis',
        'industries[0]',
        'requirements',
        'fullCoveragePerYear',
      ]);
      await market.get('/api/inspection-items/T-MK-02').expect(404);
      const types = await market
        .post('/api/inspection-items')
        .send({ code: 'bad code', department: 'police', checkMethod: 'phone', fullCoveragePerYear: 0 })
        .expect(422);
      expect(types.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['checkMethod', 'code', 'department', 'fullCoveragePerYear'].sort(),
      );
    });

    it('a regulator of another department is refused (403, audited); an admin may', async () => {
      const res = await health
        .post('/api/inspection-items')
        .send({ ...ITEM, code: 'T-MK-03' })
        .expect(403);
      expect(res.body.message).toMatch(/keeps the items of health only/);
      const denied = await t.dataSource.query(
        `SELECT entity_type, entity_id, after FROM audit_log WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1`,
      );
      expect(denied[0]).toMatchObject({ entity_type: 'inspection_item', entity_id: 'T-MK-03' });
      await health.patch('/api/inspection-items/T-MK-01').send({ active: false }).expect(403);
      await inspector
        .post('/api/inspection-items')
        .send({ ...ITEM, code: 'T-MK-03' })
        .expect(403);
      await t.admin
        .post('/api/inspection-items')
        .send({
          ...ITEM,
          code: 'T-HE-01',
          department: 'health',
          name: '公共场所卫生检查',
          fullCoverage: true,
          fullCoveragePerYear: 2,
        })
        .expect(201);
    });

    it('lists with filters, paging and X-Total-Count; inspectors read it', async () => {
      const all = await inspector.get('/api/inspection-items').expect(200);
      expect(all.headers['x-total-count']).toBe('2');
      expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 50 });
      // by department, then code
      expect(all.body.items.map((i: { code: string }) => i.code)).toEqual(['T-HE-01', 'T-MK-01']);
      const byDept = await market.get('/api/inspection-items').query({ department: 'health' }).expect(200);
      expect(byDept.body.items.map((i: { code: string }) => i.code)).toEqual(['T-HE-01']);
      const byQ = await market.get('/api/inspection-items').query({ q: '执照', pageSize: 1 }).expect(200);
      expect(byQ.body).toMatchObject({ total: 1, items: [{ code: 'T-MK-01' }] });
      const bad = await market
        .get('/api/inspection-items')
        .query({ active: 'maybe', department: 'x' })
        .expect(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['active', 'department']);
    });

    it('changes and deactivates an item; an item of a published plan keeps its content (409)', async () => {
      const changed = await market
        .patch('/api/inspection-items/T-MK-01')
        .send({ requirements: ['营业执照在显著位置公示'], industries: [] })
        .expect(200);
      expect(changed.body).toMatchObject({ requirements: ['营业执照在显著位置公示'], industries: [] });
      const [audit] = (await audits('inspection_item.update')).slice(-1);
      expect(audit).toEqual({ industries: [], requirements: ['营业执照在显著位置公示'] });
      await market.patch('/api/inspection-items/T-MK-01').send({ fullCoverage: true }).expect(422);
      await market.patch('/api/inspection-items/NOPE').send({ active: false }).expect(404);
      // a published plan lists the item
      const [{ id: planId }] = await t.dataSource.query(
        `INSERT INTO inspection_plan (plan_no, year, title, lead_department) VALUES ('2027-market-1', 2027, '测试计划', 'market') RETURNING id`,
      );
      await t.dataSource.query(
        `INSERT INTO inspection_plan_item (plan_id, item_id) SELECT $1, id FROM inspection_item WHERE code = 'T-MK-01'`,
        [planId],
      );
      await t.dataSource.query(
        `UPDATE inspection_plan SET status = 'published', published_at = now(), late = false WHERE id = $1`,
        [planId],
      );
      const locked = await market.patch('/api/inspection-items/T-MK-01').send({ name: '改名' }).expect(409);
      expect(locked.body.message).toMatch(
        /published plan 2027-market-1 \(version 1\): only 'active' may change/,
      );
      const off = await market.patch('/api/inspection-items/T-MK-01').send({ active: false }).expect(200);
      expect(off.body.active).toBe(false);
      const active = await market.get('/api/inspection-items').query({ active: true }).expect(200);
      expect(active.body.items.map((i: { code: string }) => i.code)).toEqual(['T-HE-01']);
      await market.patch('/api/inspection-items/T-MK-01').send({ active: true }).expect(200);
    });
  });

  describe('item import', () => {
    const good = [
      HEADER,
      'T-MK-10,食品经营检查,market,《食品安全法》第三十五条,现场检查,H62;F5229,许可证公示|健康证明,否,',
      '"T-MK-11","餐饮日常检查（全覆盖）","市场监督管理局","《食品安全法》第一百零九条","on_site","H62","生熟分开',
      '留样记录",是,2',
    ].join('\n');

    it('imports a file: new codes added, a second import leaves them', async () => {
      const res = await csv(market, '/api/inspection-items/import', good + '\n').expect(200);
      expect(res.body).toEqual({
        encoding: 'utf-8',
        rows: 2,
        inserted: 2,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        rejections: [],
      });
      const item = (await market.get('/api/inspection-items/T-MK-11').expect(200)).body;
      expect(item).toMatchObject({
        department: 'market',
        requirements: ['生熟分开', '留样记录'],
        fullCoverage: true,
        fullCoveragePerYear: 2,
      });
      const again = await csv(market, '/api/inspection-items/import', good + '\n').expect(200);
      expect(again.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
      const [audit] = (await audits('inspection_item.import')).slice(-1);
      expect(audit).toMatchObject({ file: 'upload', rows: 2, unchanged: 2, added: [], changed: [] });
    });

    it('a GB18030 file reads as such, and changes a known item', async () => {
      const text = `${HEADER}\nT-MK-10,食品经营许可检查,market,《食品安全法》第三十五条,现场检查,H62;F5229,许可证公示|健康证明,否,\n`;
      const res = await csv(market, '/api/inspection-items/import', iconv.encode(text, 'gb18030')).expect(
        200,
      );
      expect(res.body).toMatchObject({ encoding: 'gb18030', updated: 1, unchanged: 0 });
      expect((await market.get('/api/inspection-items/T-MK-10').expect(200)).body.name).toBe(
        '食品经营许可检查',
      );
    });

    it('a file with a rejected row stores nothing and names every rejection by line and column', async () => {
      const text = [
        HEADER,
        'T-MK-20,新事项,market,依据,data,,要求一,,',
        'T-MK-20,重复,market,依据,data,,要求一,,',
        'bad code,x,police,,phone,H6,,maybe,',
        'T-HE-20,卫生事项,health,依据,data,,要求一,,',
        'T-MK-21,全覆盖缺频次,market,依据,data,,要求一,是,',
        'T-MK-22,too,few',
      ].join('\n');
      const res = await csv(market, '/api/inspection-items/import', text + '\n').expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'rows[3].code',
        'rows[4].full_coverage',
        'rows[4].code',
        'rows[4].department',
        'rows[4].legal_basis',
        'rows[4].check_method',
        'rows[4].industries[0]',
        'rows[4].requirements',
        'rows[5].department',
        'rows[6].full_coverage_per_year',
        'rows[7].(row)',
      ]);
      expect(res.body.report).toMatchObject({ rows: 6, rejected: 5, inserted: 0 });
      expect(res.body.errors[0].reason).toBe('item T-MK-20 already given at line 2');
      expect(res.body.errors[8].reason).toMatch(/a regulator of market imports items of market only/);
      await market.get('/api/inspection-items/T-MK-20').expect(404);
    });

    it('refuses a file that cannot be read, another content type, and an item of a published plan', async () => {
      const cut = await csv(market, '/api/inspection-items/import', `${HEADER}\n"T-MK-30,名`).expect(422);
      expect(cut.body.errors[0]).toMatchObject({
        field: '(file)',
        reason: expect.stringMatching(/truncated/),
      });
      expect(cut.body.message).not.toMatch(/catalog-upload/);
      const cols = await csv(market, '/api/inspection-items/import', 'code,name\nA,b\n').expect(422);
      expect(cols.body.message).toMatch(/^upload: missing column\(s\) department, legal_basis/);
      await market.post('/api/inspection-items/import').send({ code: 'x' }).expect(415);
      const big = await csv(
        market,
        '/api/inspection-items/import',
        `${HEADER}\n${'x'.repeat(6 << 20)}\n`,
      ).expect(413);
      expect(big.body.statusCode).toBe(413);
      const locked = await csv(
        market,
        '/api/inspection-items/import',
        `${HEADER}\nT-MK-01,改名,market,依据,documents,,营业执照在显著位置公示,,\n`,
      ).expect(422);
      expect(locked.body.errors[0]).toMatchObject({
        field: 'rows[2].(row)',
        reason: expect.stringMatching(/published plan/),
      });
      expect((await market.get('/api/inspection-items/T-MK-01').expect(200)).body.name).toBe('营业执照检查');
    });
  });

  describe('the inspector roster', () => {
    it('lists inspector accounts; without a profile one is not on the roster', async () => {
      const res = await market.get('/api/inspectors').query({ department: 'market' }).expect(200);
      expect(res.headers['x-total-count']).toBe('1');
      expect(res.body.items[0]).toEqual({
        userId: inspectorId,
        username: expect.any(String),
        displayName: expect.any(String),
        department: 'market',
        credentialNo: inspectorCredential,
        active: true,
        onRoster: false,
        areas: [],
        items: [],
      });
      await inspector.get('/api/inspectors').expect(403);
    });

    it('sets qualifications, areas and on roster; refuses other departments items, unknown codes', async () => {
      const res = await market
        .patch(`/api/inspectors/${inspectorId}`)
        .send({ itemCodes: ['T-MK-10', 'T-MK-01'], areas: ['五角场街道'], onRoster: true })
        .expect(200);
      expect(res.body).toMatchObject({
        onRoster: true,
        areas: ['五角场街道'],
        items: [
          { code: 'T-MK-01', name: '营业执照检查' },
          { code: 'T-MK-10', name: '食品经营许可检查' },
        ],
      });
      const bad = await market
        .patch(`/api/inspectors/${inspectorId}`)
        .send({ itemCodes: ['T-HE-01', 'NOPE', 'T-MK-10', 'T-MK-10'], areas: ['', 'x'.repeat(51)] })
        .expect(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'areas[0]',
        'areas[1]',
        'itemCodes[0]',
        'itemCodes[1]',
        'itemCodes[3]',
      ]);
      const byItem = await market
        .get('/api/inspectors')
        .query({ itemCode: 'T-MK-10', onRoster: true })
        .expect(200);
      expect(byItem.body.items.map((i: { userId: number }) => i.userId)).toEqual([inspectorId]);
      const [audit] = (await audits('inspector_profile.update')).slice(-1);
      expect(audit).toEqual({ onRoster: true, areas: ['五角场街道'], items: ['T-MK-01', 'T-MK-10'] });
      await market.patch(`/api/inspectors/${healthInspectorId}`).send({ onRoster: true }).expect(403);
      await market.patch(`/api/inspectors/999999`).send({ onRoster: true }).expect(404);
    });

    it('imports the roster: unknown users and wrong departments rejected with the reason, nothing stored', async () => {
      const [u] = await t.dataSource.query(`SELECT username FROM app_user WHERE id = $1`, [inspectorId]);
      const bad = await csv(
        market,
        '/api/inspectors/import',
        `username,credential_no,department,items,areas,on_roster\nnobody,,market,,,\n${u.username},,health,,,\n,${inspectorCredential},market,T-MK-11,殷行街道|大桥街道,否\n`,
      ).expect(422);
      expect(bad.body.errors).toEqual([
        { field: 'rows[2].username', reason: "no user 'nobody'" },
        {
          field: 'rows[3].department',
          reason: expect.stringMatching(/is an inspector of market, not of health/),
        },
        { field: 'rows[4].(row)', reason: expect.stringMatching(/already given at line 3/) },
      ]);
      expect((await market.get(`/api/inspectors/${inspectorId}`).expect(200)).body.areas).toEqual([
        '五角场街道',
      ]);
      const ok = await csv(
        market,
        '/api/inspectors/import',
        `credential_no,department,items,areas,on_roster\n${inspectorCredential},市场监督管理局,T-MK-11;T-MK-10,殷行街道|大桥街道,否\n`,
      ).expect(200);
      expect(ok.body).toMatchObject({ rows: 1, updated: 1, rejected: 0 });
      expect((await market.get(`/api/inspectors/${inspectorId}`).expect(200)).body).toMatchObject({
        onRoster: false,
        areas: ['殷行街道', '大桥街道'],
        items: [{ code: 'T-MK-10' }, { code: 'T-MK-11' }],
      });
      await csv(market, '/api/inspectors/import', 'department\nmarket\n').expect(422);
      await market.patch(`/api/inspectors/${inspectorId}`).send({ onRoster: true }).expect(200);
    });
  });

  describe('recusal', () => {
    let declared: number;
    let requested: number;

    it('an inspector declares a conflict; the pair stays unique while pending', async () => {
      const res = await inspector
        .post('/api/recusals')
        .send({ enterpriseUscc: uscc, reason: '配偶在该企业任职' })
        .expect(201);
      declared = res.body.id;
      expect(res.body).toMatchObject({
        inspector: { userId: inspectorId, credentialNo: inspectorCredential, department: 'market' },
        enterprise: { uscc },
        source: 'inspector',
        status: 'pending',
        reviewedAt: null,
      });
      const dup = await inspector
        .post('/api/recusals')
        .send({ enterpriseUscc: uscc, reason: '再次' })
        .expect(409);
      expect(dup.body.message).toMatch(/already pending review/);
      const wrong = await inspector
        .post('/api/recusals')
        .send({ inspectorUserId: 5, enterpriseUscc: buildUscc('91', '310110', 'CAT00099'), reason: 'x' })
        .expect(422);
      expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['inspectorUserId']);
      const unknown = await inspector
        .post('/api/recusals')
        .send({ enterpriseUscc: buildUscc('91', '310110', 'CAT00099'), reason: 'x' })
        .expect(422);
      expect(unknown.body.errors[0].field).toBe('enterpriseUscc');
    });

    it('an enterprise asks, by credential number, for its own enterprise; it sees the number and the surname only', async () => {
      const res = await enterprise
        .post('/api/recusals')
        .send({ inspectorCredentialNo: inspectorCredential, reason: '曾有经济纠纷' })
        .expect(409); // the inspector's own declaration of the pair is pending
      expect(res.body.message).toMatch(/pending/);
      const other = (await t.signIn('enterprise', { uscc: otherUscc })).agent;
      const made = await other
        .post('/api/recusals')
        .send({ inspectorCredentialNo: inspectorCredential, reason: '曾有经济纠纷' })
        .expect(201);
      requested = made.body.id;
      // the inspector was never assigned to this enterprise: the name is not given away
      const [{ display_name: fullName }] = await t.dataSource.query(
        `SELECT display_name FROM app_user WHERE credential_no = $1`,
        [inspectorCredential],
      );
      expect(made.body.inspector).toEqual({
        userId: null,
        displayName: `${[...fullName][0]}**`,
        credentialNo: inspectorCredential,
        department: null,
      });
      expect(made.body).toMatchObject({ source: 'enterprise', enterprise: { uscc: otherUscc } });
      const mine = await other.get('/api/recusals').expect(200);
      expect(mine.body.items.map((r: { id: number }) => r.id)).toEqual([requested]);
      expect((await enterprise.get('/api/recusals').expect(200)).body.total).toBe(0);
      const unknown = await other
        .post('/api/recusals')
        .send({ inspectorCredentialNo: 'NOPE', reason: 'x' })
        .expect(422);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'inspectorCredentialNo' });
      await other.post('/api/recusals').send({ enterpriseUscc: uscc, reason: 'x' }).expect(422);
    });

    it('a regulator records one for its own department only', async () => {
      await health
        .post('/api/recusals')
        .send({
          inspectorUserId: inspectorId,
          enterpriseUscc: otherUscc,
          reason: '亲属',
          source: 'regulator',
        })
        .expect(403);
      const res = await health
        .post('/api/recusals')
        .send({
          inspectorUserId: healthInspectorId,
          enterpriseUscc: uscc,
          reason: '亲属',
          source: 'regulator',
        })
        .expect(201);
      expect(res.body).toMatchObject({ source: 'regulator', inspector: { department: 'health' } });
      // four eyes: the regulator who recorded it does not decide it (403, audited); a colleague does
      const own = await health
        .post(`/api/recusals/${res.body.id}/review`)
        .send({ decision: 'approved' })
        .expect(403);
      expect(own.body.message).toMatch(/other than the one who recorded it/);
      const [denied] = await t.dataSource.query(
        `SELECT entity_id FROM audit_log WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1`,
      );
      expect(denied.entity_id).toBe(String(res.body.id));
      const colleague = (await t.signIn('regulator', { department: 'health' })).agent;
      await colleague
        .post(`/api/recusals/${res.body.id}/review`)
        .send({ decision: 'rejected', note: '无利害关系' })
        .expect(200);
    });

    it('only a regulator of the inspector department reviews; a rejection needs a note; decided once', async () => {
      const other = await health
        .post(`/api/recusals/${declared}/review`)
        .send({ decision: 'approved' })
        .expect(403);
      expect(other.body.message).toMatch(/inspectors of health only, not of market/);
      const denied = await t.dataSource.query(
        `SELECT entity_type, entity_id FROM audit_log WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1`,
      );
      expect(denied[0]).toEqual({ entity_type: 'recusal', entity_id: String(declared) });
      await t.admin.post(`/api/recusals/${declared}/review`).send({ decision: 'approved' }).expect(403);
      const noNote = await market
        .post(`/api/recusals/${declared}/review`)
        .send({ decision: 'rejected' })
        .expect(422);
      expect(noNote.body.errors).toEqual([
        { field: 'note', reason: expect.stringMatching(/required when rejecting/) },
      ]);
      const ok = await market
        .post(`/api/recusals/${declared}/review`)
        .send({ decision: 'approved', note: '同意回避' })
        .expect(200);
      expect(ok.body).toMatchObject({
        status: 'approved',
        reviewNote: '同意回避',
        reviewedAt: expect.any(String),
      });
      await market
        .post(`/api/recusals/${declared}/review`)
        .send({ decision: 'rejected', note: 'x' })
        .expect(409);
      await market.post(`/api/recusals/999999/review`).send({ decision: 'approved' }).expect(404);
      const rejected = await market
        .post(`/api/recusals/${requested}/review`)
        .send({ decision: 'rejected', note: '经核实无利害关系' })
        .expect(200);
      expect(rejected.body.status).toBe('rejected');
      expect((await audits('recusal.review')).map((a: { status: string }) => a.status)).toEqual([
        'rejected', // the colleague's decision on the regulator's own declaration (test before)
        'approved',
        'rejected',
      ]);
    });

    it('each sees its own share: regulator its department, inspector its own, admin all', async () => {
      const queue = await market.get('/api/recusals').expect(200);
      expect(queue.body.items.map((r: { id: number }) => r.id).sort()).toEqual([declared, requested].sort());
      expect((await health.get('/api/recusals').expect(200)).body.total).toBe(1);
      expect(
        (await inspector.get('/api/recusals').query({ status: 'approved' }).expect(200)).body.total,
      ).toBe(1);
      expect((await t.admin.get('/api/recusals').expect(200)).headers['x-total-count']).toBe('3');
      const filtered = await t.admin
        .get('/api/recusals')
        .query({ enterprise: otherUscc, status: 'rejected' })
        .expect(200);
      expect(filtered.body.items.map((r: { id: number }) => r.id)).toEqual([requested]);
      // a rejected pair may be declared again
      const other = (await t.signIn('enterprise', { uscc: otherUscc })).agent;
      await other
        .post('/api/recusals')
        .send({ inspectorCredentialNo: inspectorCredential, reason: '新情况' })
        .expect(201);
    });
  });
});

describe('the planning demo data and the CLI', () => {
  let t: TestApp;
  const cli = path.resolve('dist/src/cli.js');
  beforeAll(async () => {
    t = await createTestApp();
    expect(await loadDemoData(t.app, 80, true, systemActor('test'))).not.toBeNull();
  });
  afterAll(() => t.close());

  it('has the items and, per department and item, at least two inspectors on the roster qualified', async () => {
    const items = (await t.admin.get('/api/inspection-items').expect(200)).body.items;
    expect(items.map((i: { code: string }) => i.code).sort()).toEqual(DEMO_ITEMS.map((i) => i.code));
    expect(
      items.filter((i: { fullCoverage: boolean }) => i.fullCoverage).map((i: { code: string }) => i.code),
    ).toEqual(['YP-SC-03']);
    const roster = (await t.admin.get('/api/inspectors').query({ pageSize: 500 }).expect(200)).body.items;
    expect(roster).toHaveLength(DEMO_INSPECTORS.length);
    const count = (d: string) => roster.filter((r: { department: string }) => r.department === d).length;
    expect([count('market'), count('health'), count('fire')]).toEqual([7, 4, 4]);
    for (const item of DEMO_ITEMS) {
      const fully = roster.filter(
        (r: { onRoster: boolean; active: boolean; department: string; items: { code: string }[] }) =>
          r.onRoster &&
          r.active &&
          r.department === item.department &&
          DEMO_ITEMS.filter((i) => i.department === item.department).every((i) =>
            r.items.some((x) => x.code === i.code),
          ),
      );
      expect(fully.length).toBeGreaterThanOrEqual(3);
    }
    const recusals = (await t.admin.get('/api/recusals').expect(200)).body.items;
    expect(recusals.map((r: { status: string; source: string }) => `${r.source}:${r.status}`).sort()).toEqual(
      ['enterprise:pending', 'inspector:approved'],
    );
  });

  (existsSync(cli) ? it : it.skip)('items import and list through the command line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'catalog-cli-'));
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
    writeFileSync(
      path.join(dir, 'items.csv'),
      `${HEADER}\nYP-CLI-1,命令行事项,fire,依据,documents,,要求一,,\n`,
    );
    const imported = run('items', 'import', 'items.csv');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/rows 1, inserted 1, updated 0, unchanged 0, rejected 0/);
    const list = run('items', 'list', '--department', 'fire');
    expect(list.stdout).toMatch(/YP-CLI-1 +fire/);
    expect(list.stdout).toMatch(/3 item\(s\)/);
  });
});
