import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { buildUscc } from '../src/common/uscc.js';
import { todayInShanghai } from '../src/common/clock.js';
import { recordsBehindQuery } from '../src/credit/indicator-sql.js';
import { SCORECARD_V3 } from '../src/credit/rules/default-scorecard.js';
import { type CountedRecord, indicatorsFedOn, usedIndicators } from '../src/credit/rules/record-counting.js';
import { recencyOf } from '../src/credit/rules/scorecard.js';
import { type Agent, TestApp, createTestApp } from './helpers.js';

const code = (division: string, n: number) => buildUscc('91', division, `MA1L${String(n).padStart(4, '0')}`);
const DEPT = '杨浦区市场监督管理局';

/** Six enterprises: tiers A, B, C, D by their records, one unscored; two streets, two divisions, prepaid or not. */
const E = [
  {
    uscc: code('310110', 1),
    name: '甲健身有限公司',
    street: '五角场街道',
    divisionCode: '310110',
    industryCode: 'R8930',
    prepaidIssuer: true,
    establishedOn: '2015-03-01',
  },
  {
    uscc: code('310110', 2),
    name: '乙餐饮有限公司',
    street: '五角场街道',
    divisionCode: '310110',
    industryCode: 'H6210',
    prepaidIssuer: false,
    establishedOn: '2012-07-15',
  },
  {
    uscc: code('310110', 3),
    name: '丙美容有限公司',
    street: '殷行街道',
    divisionCode: '310110',
    industryCode: 'O8070',
    prepaidIssuer: true,
    establishedOn: '2018-11-30',
  },
  {
    uscc: code('310115', 4),
    name: '=丁商贸有限公司',
    street: '殷行街道',
    divisionCode: '310115',
    industryCode: 'F5211',
    prepaidIssuer: false,
  },
  {
    uscc: code('310115', 5),
    name: '戊教育培训有限公司',
    street: '五角场街道',
    divisionCode: '310115',
    industryCode: 'P8391',
    prepaidIssuer: true,
    establishedOn: '2020-01-10',
  },
];
/** registered straight into the table: never scored (tier and score null) */
const UNSCORED = {
  uscc: code('310110', 6),
  name: '己未评分有限公司',
  street: '殷行街道',
  divisionCode: '310110',
};

describe('enterprise list: filters, sorting, CSV export, facets, record counting', () => {
  let t: TestApp;
  let regulator: Agent;
  let inspector: Agent;
  let enterprise: Agent;
  beforeAll(async () => {
    t = await createTestApp({ EXPORT_MAX_ROWS: '5' });
    regulator = (await t.signIn('regulator')).agent;
    inspector = (await t.signIn('inspector')).agent;
    for (const e of E) await t.admin.post('/api/enterprises').send(e).expect(201);
    await t.dataSource.query(
      `INSERT INTO enterprise (uscc, name, street, division_code, source_system, source_key) VALUES ($1, $2, $3, $4, 'test', $5)`,
      [UNSCORED.uscc, UNSCORED.name, UNSCORED.street, UNSCORED.divisionCode, UNSCORED.uscc],
    );
    const post = (uscc: string, body: object) =>
      t.admin
        .post(`/api/enterprises/${uscc}/credit-records`)
        .send({ sourceDepartment: DEPT, ...body })
        .expect(201);
    // B: on the anomaly list (-20, -4); C: judgment defaulter (hard rule); D: serious list (hard rule)
    await post(E[1]!.uscc, { kind: 'listing', listType: 'anomaly', listedOn: '2026-01-05' });
    await post(E[2]!.uscc, {
      kind: 'judgment_defaulter',
      recordDate: '2025-06-01',
      sourceDepartment: '杨浦区人民法院',
    });
    await post(E[3]!.uscc, { kind: 'listing', listType: 'serious', listedOn: '2025-09-01' });
    enterprise = (await t.signIn('enterprise', { uscc: E[0]!.uscc })).agent;
  });
  afterAll(() => t.close());

  const usccs = (res: Response) => res.body.items.map((e: { uscc: string }) => e.uscc);

  it('scored the enterprises into tiers A, B, C, D (the fixture)', async () => {
    const res = await t.admin.get('/api/enterprises').expect(200);
    expect(res.body.total).toBe(6);
    expect(res.body.items.map((e: { tier: string | null }) => e.tier)).toEqual([
      'A',
      'B',
      'C',
      null, // the unscored one (310110) before the two of 310115
      'D',
      'A',
    ]);
  });

  it.each([
    ['tier=D', [3]],
    ['tier=a', [0, 4]],
    ['street=五角场街道', [0, 1, 4]],
    ['street=殷行街道&tier=C', [2]],
    ['prepaidIssuer=true', [0, 2, 4]],
    ['prepaidIssuer=false', [1, 3, 5]],
    ['division=310115', [3, 4]],
    ['industry=R', [0]],
    ['name=有限', [0, 1, 2, 3, 4, 5]],
    ['street=不存在街道', []],
  ])('filters by %s', async (query, expected) => {
    const all = [...E, UNSCORED];
    const res = await t.admin.get(`/api/enterprises?${encodeURI(query)}`).expect(200);
    // in USCC order, the default
    expect(usccs(res)).toEqual(expected.map((i) => all[i]!.uscc).sort());
    expect(res.body.total).toBe(expected.length);
  });

  it.each([
    ['uscc', 'asc'],
    ['uscc', 'desc'],
    ['score', 'asc'],
    ['score', 'desc'],
    ['tier', 'asc'],
    ['tier', 'desc'],
    ['establishedOn', 'asc'],
    ['establishedOn', 'desc'],
    ['name', 'asc'],
    ['name', 'desc'],
  ])('sorts by %s %s (missing values last, ties by uscc)', async (sort, order) => {
    const all: Record<string, string | number | null>[] = (await t.admin.get('/api/enterprises').expect(200))
      .body.items;
    const dir = order === 'asc' ? 1 : -1;
    const byUscc = (a: Record<string, unknown>, b: Record<string, unknown>) => (a.uscc! < b.uscc! ? -1 : 1);
    const expected = [...all].sort((a, b) => {
      const [x, y] = [a[sort], b[sort]];
      if (sort === 'uscc') return dir * byUscc(a, b);
      if (x === y) return byUscc(a, b);
      if (x === null) return 1;
      if (y === null) return -1;
      return dir * (x! < y! ? -1 : 1);
    });
    const res = await t.admin.get(`/api/enterprises?sort=${sort}&order=${order}`).expect(200);
    expect(usccs(res)).toEqual(expected.map((e) => e.uscc));
    if (sort === 'score' || sort === 'tier') expect(usccs(res).at(-1)).toBe(UNSCORED.uscc);
  });

  it('sorts scores and tiers as the fixture expects', async () => {
    const tiers = (q: string) =>
      t.admin.get(`/api/enterprises?${q}`).then((r) => r.body.items.map((e: { tier: string }) => e.tier));
    expect(await tiers('sort=tier&order=asc')).toEqual(['A', 'A', 'B', 'C', 'D', null]);
    expect(await tiers('sort=tier&order=desc')).toEqual(['D', 'C', 'B', 'A', 'A', null]);
    // the two A (100) by uscc ascending in either order
    const desc = usccs(await t.admin.get('/api/enterprises?sort=score&order=desc').expect(200));
    expect(desc.slice(0, 2)).toEqual([E[0]!.uscc, E[4]!.uscc]);
    const established = usccs(
      await t.admin.get('/api/enterprises?sort=establishedOn&order=desc').expect(200),
    );
    expect(established.slice(0, 4)).toEqual([E[4]!.uscc, E[2]!.uscc, E[0]!.uscc, E[1]!.uscc]);
  });

  it('sorts by name (code-point order of the database) both ways', async () => {
    const asc = usccs(await t.admin.get('/api/enterprises?sort=name&order=asc').expect(200));
    const desc = usccs(await t.admin.get('/api/enterprises?sort=name&order=desc').expect(200));
    expect(desc).toEqual([...asc].reverse());
    expect(asc[0]).toBe(E[3]!.uscc); // '=' sorts before Chinese characters
  });

  it('pages a sorted list without losing or repeating anyone', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++)
      pages.push(
        ...usccs(await t.admin.get(`/api/enterprises?sort=score&page=${page}&pageSize=2`).expect(200)),
      );
    expect(pages).toEqual(usccs(await t.admin.get('/api/enterprises?sort=score').expect(200)));
  });

  it.each([
    ['prepaidIssuer=yes', 'prepaidIssuer'],
    ['prepaidIssuer=1', 'prepaidIssuer'],
    ['sort=createdAt', 'sort'],
    ['order=up', 'order'],
    ['tier=E', 'tier'],
  ])('answers 422 for %s naming the field', async (query, field) => {
    const res = await t.admin.get(`/api/enterprises?${query}`).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  /** GET export.csv as text (supertest buffers text/csv as text). */
  const exportCsv = async (agent: Agent, query = '') => {
    const res = await agent
      .get(`/api/enterprises/export.csv${query}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    return res;
  };

  it('exports the filtered list as CSV: BOM, Chinese header, the rows of the list, audited', async () => {
    const res = await exportCsv(
      regulator,
      '?street=%E6%AE%B7%E8%A1%8C%E8%A1%97%E9%81%93&sort=score&order=desc',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="enterprises-${todayInShanghai().replaceAll('-', '')}.csv"`,
    );
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(body.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual([
      '统一社会信用代码',
      '企业名称',
      '街道',
      '行政区划',
      '行业代码',
      '登记状态',
      '预付卡发卡',
      '风险分类',
      '信用分',
    ]);
    const list = await t.admin
      .get(
        '/api/enterprises?street=殷行街道&sort=score&order=desc'.replace(
          '殷行街道',
          encodeURIComponent('殷行街道'),
        ),
      )
      .expect(200);
    expect(rows.slice(1).map((r) => r[0])).toEqual(usccs(list));
    const [c, d, unscored] = rows.slice(1);
    expect(c).toEqual([
      E[2]!.uscc,
      '丙美容有限公司',
      '殷行街道',
      '310110',
      'O8070',
      '存续',
      '是',
      'C',
      String(list.body.items[0].score),
    ]);
    // a name a spreadsheet would run as a formula is written as text
    expect(d!.slice(1, 3)).toEqual(["'=丁商贸有限公司", '殷行街道']);
    expect(d!.slice(6, 8)).toEqual(['否', 'D']);
    expect(unscored!.slice(7)).toEqual(['', '']);
    const [entry] = await t.dataSource.query(
      `SELECT actor_role, after FROM audit_log WHERE action = 'enterprise.export' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry).toEqual({
      actor_role: 'regulator',
      after: { filters: { street: '殷行街道', sort: 'score', order: 'desc' }, rows: 3 },
    });
  });

  it('lets an inspector export, not an enterprise user', async () => {
    const res = await exportCsv(inspector, '?tier=D');
    expect(res.status).toBe(200);
    expect(parse((res.body as Buffer).subarray(3).toString('utf8'))).toHaveLength(2);
    await enterprise.get('/api/enterprises/export.csv').expect(403);
    await enterprise.get('/api/enterprises/facets').expect(403);
  });

  it('refuses an export over EXPORT_MAX_ROWS (422 naming the count), nothing audited', async () => {
    const before = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'enterprise.export'`,
    );
    const res = await t.admin.get('/api/enterprises/export.csv').expect(422);
    expect(res.body.errors).toEqual([
      { field: 'filter', reason: expect.stringContaining('6 enterprises match') },
    ]);
    expect(res.body.errors[0].reason).toContain('narrow the filter');
    await t.admin.get('/api/enterprises/export.csv?prepaidIssuer=maybe').expect(422);
    const after = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'enterprise.export'`,
    );
    expect(after).toEqual(before);
  });

  it('answers the facets with counts', async () => {
    const res = await inspector.get('/api/enterprises/facets').expect(200);
    expect(res.body).toEqual({
      streets: [
        { street: '五角场街道', count: 3 },
        { street: '殷行街道', count: 3 },
      ],
      divisions: [
        { code: '310110', name: '杨浦区', count: 4 },
        { code: '310115', name: '浦东新区', count: 2 },
      ],
      industries: [
        { code: 'F', count: 1 },
        { code: 'H', count: 1 },
        { code: 'O', count: 1 },
        { code: 'P', count: 1 },
        { code: 'R', count: 1 },
      ],
      tiers: [
        { tier: 'A', label: { zh: '信用风险低', en: 'low risk' }, count: 2 },
        { tier: 'B', label: { zh: '信用风险一般', en: 'ordinary risk' }, count: 1 },
        { tier: 'C', label: { zh: '信用风险较高', en: 'elevated risk' }, count: 1 },
        { tier: 'D', label: { zh: '信用风险高', en: 'high risk' }, count: 1 },
      ],
    });
  });

  it('lists credit records with their counting state today', async () => {
    const res = await enterprise.get(`/api/enterprises/${E[3]!.uscc}/credit-records`);
    expect(res.status).toBe(404); // another enterprise's records
    const own = await t.admin.get(`/api/enterprises/${E[3]!.uscc}/credit-records`).expect(200);
    expect(own.body).toHaveLength(1);
    expect(own.body[0].counting).toEqual({
      state: 'counting',
      counts: true,
      until: null,
      reason: '在名录期间计入信用评价（尚未移出）',
    });
    const anomaly = await t.admin.get(`/api/enterprises/${E[1]!.uscc}/credit-records`).expect(200);
    expect(anomaly.body[0].counting.counts).toBe(true);
  });

  it("agrees with the scoring's SQL on which records count and where each window ends", async () => {
    const uscc = E[4]!.uscc;
    const [{ id }] = await t.dataSource.query(`SELECT id FROM enterprise WHERE uscc = $1`, [uscc]);
    const base = { sourceDepartment: DEPT };
    const samples = [
      { kind: 'complaint', recordDate: '2024-02-29' },
      { kind: 'complaint', recordDate: '2025-08-31', validUntil: '2026-01-15' },
      { kind: 'referral', recordDate: '2025-12-31' },
      {
        kind: 'administrative_penalty',
        recordDate: '2023-05-31',
        decisionNo: '沪市监杨处〔2023〕1号',
        procedure: 'general',
        penaltyTypes: ['fine'],
        fineFen: 100000,
      },
      {
        kind: 'administrative_penalty',
        recordDate: '2024-06-01',
        decisionNo: '沪市监杨处〔2024〕2号',
        procedure: 'general',
        penaltyTypes: ['licence_revocation'],
      },
      {
        kind: 'administrative_penalty',
        recordDate: '2025-03-10',
        decisionNo: '沪市监杨处〔2025〕3号',
        procedure: 'summary',
        penaltyTypes: ['warning'],
      },
      {
        // 100,000 yuan: published 3 years (SH-2023), repaired on 2024-03-02 (set below)
        kind: 'administrative_penalty',
        recordDate: '2023-08-15',
        decisionNo: '沪市监杨处〔2023〕4号',
        procedure: 'general',
        penaltyTypes: ['fine'],
        fineFen: 10_000_000,
        domain: 'food',
      },
      {
        // published 3 years, not repaired: the window and the publication period both end it
        kind: 'administrative_penalty',
        recordDate: '2023-09-04',
        decisionNo: '沪市监杨处〔2023〕5号',
        procedure: 'general',
        penaltyTypes: ['confiscation'],
        partyType: 'natural_person',
      },
      { kind: 'listing', listType: 'anomaly', listedOn: '2024-01-05', removedOn: '2024-04-01' },
      { kind: 'listing', listType: 'serious', listedOn: '2023-01-05', removedOn: '2024-07-01' },
      { kind: 'inspection_result', recordDate: '2024-01-01', outcome: 'refused' },
      { kind: 'inspection_result', recordDate: '2025-01-01', outcome: 'no_problem' },
      { kind: 'inspection_result', recordDate: '2025-02-01', outcome: 'no_problem', details: { minor: 2 } },
      { kind: 'product_spot_check', recordDate: '2024-11-30', outcome: 'failed' },
      { kind: 'product_spot_check', recordDate: '2024-11-30', outcome: 'passed' },
      {
        kind: 'judicial_case',
        recordDate: '2023-12-01',
        caseType: 'enforcement',
        sourceDepartment: '杨浦区人民法院',
      },
      {
        kind: 'judicial_case',
        recordDate: '2023-12-01',
        caseType: 'judgment',
        sourceDepartment: '杨浦区人民法院',
      },
      { kind: 'commendation', recordDate: '2021-04-01' },
      { kind: 'registration_change', recordDate: '2025-10-31', changeItem: 'address' },
      { kind: 'registration_change', recordDate: '2025-10-31', changeItem: 'business_scope' },
      {
        kind: 'unpaid_tax',
        recordDate: '2024-09-01',
        amountFen: 500000,
        validUntil: '2026-03-01',
        sourceDepartment: '国家税务总局上海市杨浦区税务局',
      },
    ];
    for (const s of samples)
      await t.admin
        .post(`/api/enterprises/${uscc}/credit-records`)
        .send({ ...base, ...s })
        .expect(201);
    // credit repair granted (the repair slice sets it on approval): the record stops counting that day
    await t.dataSource.query(
      `UPDATE credit_record SET repaired_on = '2024-03-02' WHERE decision_no = '沪市监杨处〔2023〕4号'`,
    );
    const stored: (CountedRecord & { id: number })[] = (
      await t.admin.get(`/api/enterprises/${uscc}/credit-records`).expect(200)
    ).body;
    expect(stored).toHaveLength(samples.length);
    const repaired = stored.find(
      (r) => (r as unknown as { decisionNo: string }).decisionNo === '沪市监杨处〔2023〕4号',
    )!;
    expect(repaired).toMatchObject({
      regimeCode: 'SH-2023',
      publicationStart: '2023-08-15',
      publicationLastDay: '2026-08-17', // 2026-08-15 is a Saturday (Civil Code art. 203)
      validUntil: '2026-08-18',
      earliestRepairOn: '2024-08-16', // food: 1 year
      neverEndedEarly: false,
      repairedOn: '2024-03-02',
    });
    expect((repaired as unknown as { counting: object }).counting).toMatchObject({
      counts: false,
      reason: '已于2024年3月2日信用修复，不再计入',
    });
    const revoked = stored.find(
      (r) => (r as unknown as { decisionNo: string }).decisionNo === '沪市监杨处〔2024〕2号',
    )!;
    expect(revoked).toMatchObject({
      neverEndedEarly: true,
      earliestRepairOn: null,
      publicationLastDay: '2027-06-01',
    });
    const summary = stored.find(
      (r) => (r as unknown as { decisionNo: string }).decisionNo === '沪市监杨处〔2025〕3号',
    )!;
    expect(summary).toMatchObject({ regimeCode: 'SH-2023', publicationLastDay: null, validUntil: null });
    const card = SCORECARD_V3;
    const used = usedIndicators(card);
    const sqlOn = async (day: string) => {
      const rows: { id: number; indicators: string[] }[] = await t.dataSource.query(
        recordsBehindQuery(recencyOf(card)),
        [day, id],
      );
      return new Map(rows.map((r) => [r.id, r.indicators.filter((k) => used.has(k as never)).sort()]));
    };
    // every day a window of a sample may open or close, and the day after
    const days = new Set<string>(['2026-12-01']);
    for (const r of stored) {
      const c = r as unknown as { counting: { until: string | null } };
      for (const d of [
        r.recordDate,
        r.validUntil,
        r.listedOn,
        r.removedOn,
        r.repairedOn,
        c.counting.until,
      ].filter(Boolean) as string[]) {
        days.add(d);
        const next = new Date(Date.parse(d + 'T00:00:00Z') + 86400000).toISOString().slice(0, 10);
        days.add(next);
        const prev = new Date(Date.parse(d + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
        days.add(prev);
      }
      for (const y of [1, 2, 3]) {
        const d = `${+r.recordDate.slice(0, 4) + y}${r.recordDate.slice(4)}`;
        for (const shift of [-1, 0, 1, 2]) {
          const t0 = Date.parse(d.replace('-02-29', '-02-28') + 'T00:00:00Z') + shift * 86400000;
          days.add(new Date(t0).toISOString().slice(0, 10));
        }
      }
    }
    let checked = 0;
    for (const day of [...days].sort()) {
      const sql = await sqlOn(day);
      for (const r of stored) {
        const rule = indicatorsFedOn(r, { prepaidIssuer: true }, card, day).sort();
        expect({ id: r.id, kind: r.kind, day, indicators: sql.get(r.id) ?? [] }).toEqual({
          id: r.id,
          kind: r.kind,
          day,
          indicators: rule,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // and the explanation (as of a past day) lists behind its indicators exactly the records the rule counts then
    const asOf = '2025-03-10';
    const explained = (await t.admin.get(`/api/enterprises/${uscc}/credit/explain?asOf=${asOf}`).expect(200))
      .body;
    const behind = new Set<number>(
      explained.records
        .filter((r: { indicators: string[] }) => r.indicators.length)
        .map((r: { id: number }) => r.id),
    );
    const counted = stored
      .filter((r) => indicatorsFedOn(r, { prepaidIssuer: true }, card, asOf).length)
      .map((r) => r.id);
    expect(explained.modelVersion).toBe('v3');
    expect([...behind].sort()).toEqual(counted.sort());
  });
});
