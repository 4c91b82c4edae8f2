import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { PenaltyDecisionsService } from '../src/penalties/decisions/penalty-decisions.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { insertEnterprise } from './triggers-fixtures.js';

/**
 * Penalty decisions served with their credit-repair notice (issue 13 "The dual documents"), on the
 * real database with the real migrations: one transaction (a failure mid-way leaves nothing), the
 * credit record with its publication window, no record for 首违不罚, the CSV import all or
 * nothing, later deliveries, the same-day report and the department scope.
 */
describe('penalty decisions (双书同达)', () => {
  let t: TestApp;
  let market: Agent;
  let health: Agent;
  let ent: { id: number; uscc: string };
  let young: { id: number; uscc: string };
  const today = todayInShanghai();
  const decisionDate = addDays(today, -10);
  let n = 0;
  const body = (extra: Record<string, unknown> = {}) => ({
    decisionNo: `沪市监杨处〔2026〕E${++n}号`,
    enterpriseUscc: ent.uscc,
    partyType: 'organisation',
    decisionDate,
    procedure: 'general',
    penaltyTypes: ['fine'],
    fineFen: 20_000_000,
    domain: 'general',
    violation: '销售不合格商品',
    legalBasis: '《中华人民共和国产品质量法》第四十九条',
    delivery: { channel: 'in_person', deliveredOn: decisionDate, recipient: '张三' },
    ...extra,
  });
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: market } = await t.signIn('regulator', { department: 'market' }));
    ({ agent: health } = await t.signIn('regulator', { department: 'health' }));
    ent = await insertEnterprise(t.dataSource, { name: '上海某某贸易有限公司', tier: null });
    young = await insertEnterprise(t.dataSource, { name: '上海新设有限公司', tier: null });
    await t.dataSource.query(`UPDATE enterprise SET established_on = $2 WHERE id = $1`, [
      young.id,
      addDays(today, -3),
    ]);
  });
  afterAll(() => t.close());

  it('records a decision, its credit record with the window, the notice and one delivery of both documents', async () => {
    const res = await market.post('/api/penalty-decisions').send(body()).expect(201);
    const d = res.body;
    expect(d).toMatchObject({
      kind: 'penalty',
      outcome: 'penalty',
      noticeRequired: true,
      sourceDepartment: '杨浦区市场监督管理局',
      servedTogether: true,
      enterprise: { uscc: ent.uscc },
    });
    expect(d.periods.published).toBe(true);
    expect(d.periods.rules.length).toBeGreaterThan(3);
    expect(d.notice.contents.decision.decisionNo).toBe(d.decisionNo);
    expect(d.notice.contents.publicationLastDay).toBe(d.periods.publicationLastDay);
    expect(d.notice.contents.earliestRepairOn).toBe(d.periods.earliestRepairOn);
    expect(d.notice.contents.materials.join()).toContain('信用承诺书');
    expect(d.deliveries).toHaveLength(1);
    expect(d.deliveries[0]).toMatchObject({ documents: ['decision', 'repair_notice'], channel: 'in_person' });
    expect(d.documents.noticePdf).toBe(`/api/penalty-decisions/${d.id}/documents/repair-notice.pdf`);
    const [r] = await t.dataSource.query(
      `SELECT kind, decision_no, to_char(valid_until,'YYYY-MM-DD') AS valid_until,
              to_char(publication_start,'YYYY-MM-DD') AS ps, to_char(publication_last_day,'YYYY-MM-DD') AS pl,
              to_char(earliest_repair_on,'YYYY-MM-DD') AS er, regime_code, never_ended_early
         FROM credit_record WHERE id = $1`,
      [d.creditRecordId],
    );
    expect(r).toMatchObject({
      kind: 'administrative_penalty',
      decision_no: d.decisionNo,
      valid_until: d.periods.countsUntil,
      ps: decisionDate,
      pl: d.periods.publicationLastDay,
      er: d.periods.earliestRepairOn,
      regime_code: 'NDRC-2026',
      never_ended_early: false,
    });
    // rescored at once, audited
    expect(await count('credit_score', 'enterprise_id = $1', [ent.id])).toBe(1);
    expect(
      await count('audit_log', `action = 'penalty_decision.create' AND entity_id = $1`, [String(d.id)]),
    ).toBe(1);
    // the same number again: 409, nothing more
    const again = { ...body(), decisionNo: d.decisionNo };
    await market.post('/api/penalty-decisions').send(again).expect(409);
    expect(await count('penalty_decision')).toBe(1);
  });

  it('a failure mid-way (the delivery cannot be written) leaves nothing: no decision, record, notice, score or audit', async () => {
    const before = {
      d: await count('penalty_decision'),
      r: await count('credit_record'),
      n: await count('repair_notice'),
      s: await count('credit_score'),
      a: await count('audit_log'),
    };
    await t.dataSource.query(`
      CREATE FUNCTION test_fail_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'delivery refused by the test'; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_fail BEFORE INSERT ON document_delivery FOR EACH ROW EXECUTE FUNCTION test_fail_delivery()`,
    );
    try {
      await market.post('/api/penalty-decisions').send(body()).expect(500);
    } finally {
      await t.dataSource.query(`DROP TRIGGER test_fail ON document_delivery`);
      await t.dataSource.query(`DROP FUNCTION test_fail_delivery()`);
    }
    expect({
      d: await count('penalty_decision'),
      r: await count('credit_record'),
      n: await count('repair_notice'),
      s: await count('credit_score'),
      a: await count('audit_log'),
    }).toEqual(before);
  });

  it('refuses bad decisions naming each field, stores nothing', async () => {
    const res = await market
      .post('/api/penalty-decisions')
      .send(body({ penaltyTypes: ['fine', 'flogging'], fineFen: -1, decisionDate: addDays(today, 1) }))
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'decisionDate',
      'fineFen',
      'penaltyTypes',
    ]);
    const unknown = await market
      .post('/api/penalty-decisions')
      .send(body({ enterpriseUscc: '91310110MA1G8N5YX5' }))
      .expect(422);
    expect(unknown.body.errors[0].field).toBe('enterpriseUscc');
    const early = await market
      .post('/api/penalty-decisions')
      .send(body({ enterpriseUscc: young.uscc }))
      .expect(422);
    expect(early.body.errors[0]).toMatchObject({ field: 'decisionDate' });
    expect(early.body.errors[0].reason).toContain('早于企业成立日期');
    expect(await count('penalty_decision')).toBe(1);
  });

  it('首违不罚: no credit record, no notice, still the decision delivered', async () => {
    const records = await count('credit_record');
    const res = await market
      .post('/api/penalty-decisions')
      .send(
        body({
          outcome: 'first_offence',
          penaltyTypes: [],
          fineFen: undefined,
          lenientMatterCode: 'SH-FO-2021-01',
          educationGiven: '当场批评教育，责令删除绝对化用语',
        }),
      )
      .expect(201);
    expect(res.body).toMatchObject({
      noticeRequired: false,
      creditRecordId: null,
      notice: null,
      periods: null,
    });
    expect(res.body.noNoticeReason).toContain('首违不罚');
    expect(res.body.deliveries[0].documents).toEqual(['decision']);
    expect(await count('credit_record')).toBe(records);
  });

  it('a summary-procedure fine: a record, no notice, and why', async () => {
    const res = await market
      .post('/api/penalty-decisions')
      .send(body({ procedure: 'summary', fineFen: 20000 }))
      .expect(201);
    expect(res.body.noticeRequired).toBe(false);
    expect(res.body.noNoticeReason).toContain('简易程序');
    expect(res.body.creditRecordId).not.toBeNull();
  });

  it('a serious listing: a listing record on the serious list, with its notice; not for health', async () => {
    const res = await market
      .post('/api/penalty-decisions')
      .send(body({ kind: 'serious_listing', penaltyTypes: [], fineFen: undefined }))
      .expect(201);
    expect(res.body.noticeRequired).toBe(true);
    const [r] = await t.dataSource.query(`SELECT kind, list_type FROM credit_record WHERE id = $1`, [
      res.body.creditRecordId,
    ]);
    expect(r).toEqual({ kind: 'listing', list_type: 'serious' });
    await health
      .post('/api/penalty-decisions')
      .send(body({ kind: 'serious_listing', penaltyTypes: [], fineFen: undefined }))
      .expect(403);
    // a listing with a penalty's types or fine: refused, not silently dropped
    const typed = await market
      .post('/api/penalty-decisions')
      .send(body({ kind: 'serious_listing' }))
      .expect(422);
    expect(typed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'fineFen',
      'penaltyTypes',
    ]);
  });

  it('refuses a character the documents cannot print, in preview, record and CSV, naming field, row and character; stores nothing', async () => {
    const before = { d: await count('penalty_decision'), r: await count('credit_record') };
    const rare = { violation: '销售𠀀𪚥过期食品😀', delivery: { channel: 'post', recipient: 'عمر' } };
    for (const url of ['/api/penalty-decisions/preview', '/api/penalty-decisions']) {
      const res = await market.post(url).send(body(rare)).expect(422);
      expect(res.body.errors).toEqual([
        { field: 'violation', reason: expect.stringContaining('“𠀀”（U+20000）') },
        { field: 'delivery.recipient', reason: expect.stringContaining('“ع”（U+0639）') },
      ]);
    }
    for (const [field, value] of [
      ['legalBasis', '《食品安全法》\u2028第三十四条'],
      ['decisionNo', '沪市监杨处〔2026〕Ǆ1号'],
    ] as const) {
      const res = await market
        .post('/api/penalty-decisions')
        .send(body({ [field]: value }))
        .expect(422);
      expect(res.body.errors[0]).toMatchObject({ field, reason: expect.stringMatching(/U\+(2028|01C4)/) });
    }
    const header =
      'decision_no,uscc,party_type,decision_date,procedure,penalty_types,fine_fen,domain,violation,legal_basis,delivery_channel';
    const csv = [
      header,
      `沪市监杨处〔2026〕G1号,${ent.uscc},organisation,${decisionDate},general,罚款,5000000,food,销售过期食品,《食品安全法》第一百二十四条,直接送达`,
      `沪市监杨处〔2026〕G2号,${ent.uscc},organisation,${decisionDate},general,罚款,5000000,food,销售𪚥过期食品,《食品安全法》第一百二十四条,直接送达`,
    ].join('\n');
    const imp = await market
      .post('/api/penalty-decisions/import')
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(422);
    expect(imp.body.errors).toEqual([
      { field: 'rows[3].violation', reason: expect.stringContaining('“𪚥”（U+2A6A5）') },
    ]);
    // a later delivery's recipient too
    const first = (await market.get('/api/penalty-decisions?pageSize=1').expect(200)).body.items[0];
    const later = await market
      .post(`/api/penalty-decisions/${first.id}/deliveries`)
      .send({ documents: ['decision'], channel: 'post', recipient: '张😀' })
      .expect(422);
    expect(later.body.errors[0]).toMatchObject({
      field: 'recipient',
      reason: expect.stringContaining('“😀”'),
    });
    expect({ d: await count('penalty_decision'), r: await count('credit_record') }).toEqual(before);
  });

  it('amounts: plain decimal fen up to 10^12, and only with their type', async () => {
    const before = await count('penalty_decision');
    for (const fineFen of ['0x10', '5e5', 9007199254740991]) {
      const res = await market.post('/api/penalty-decisions').send(body({ fineFen })).expect(422);
      expect([fineFen, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([
        fineFen,
        ['fineFen'],
      ]);
    }
    const warning = await market
      .post('/api/penalty-decisions')
      .send(body({ penaltyTypes: ['warning'], fineFen: 99999999 }))
      .expect(422);
    expect(warning.body.errors).toEqual([{ field: 'fineFen', reason: expect.stringContaining('不含罚款') }]);
    const confiscated = await market
      .post('/api/penalty-decisions')
      .send(body({ confiscatedFen: 100 }))
      .expect(422);
    expect(confiscated.body.errors[0].field).toBe('confiscatedFen');
    expect(await count('penalty_decision')).toBe(before);
  });

  it('the preview computes periods and the notice requirement without storing', async () => {
    const before = await count('penalty_decision');
    const res = await market
      .post('/api/penalty-decisions/preview')
      .send(body({ penaltyTypes: ['fine', 'licence_revocation'] }))
      .expect(200);
    expect(res.body.periods.neverEndedEarly).toBe(true);
    expect(res.body.noticeRequired).toBe(true);
    expect(await count('penalty_decision')).toBe(before);
  });

  it('a notice served late: the report lists the exception with its reason, until the notice is served', async () => {
    const late = await market
      .post('/api/penalty-decisions')
      .send(
        body({
          delivery: {
            channel: 'post',
            deliveredOn: decisionDate,
            withNotice: false,
            exceptionReason: '告知书待盖章',
          },
        }),
      )
      .expect(201);
    expect(late.body.servedTogether).toBe(false);
    const rep = await market
      .get(`/api/penalty-decisions/report?from=${decisionDate}&to=${today}`)
      .expect(200);
    // needing a notice: the first, the listing, the late one; served together: 2 of 3
    expect(rep.body).toMatchObject({ noticeRequired: 3, servedSameDay: 2, target: 1 });
    expect(rep.body.share).toBeCloseTo(2 / 3);
    expect(rep.body.exceptions).toHaveLength(1);
    expect(rep.body.exceptions[0]).toMatchObject({
      id: late.body.id,
      decisionDeliveredOn: decisionDate,
      noticeDeliveredOn: null,
      reasons: ['告知书待盖章'],
    });
    expect(rep.body.notRequired.map((x: { reason: string }) => x.reason).join()).toContain('简易程序');
    // a later delivery of the notice needs its reason
    const bad = await market
      .post(`/api/penalty-decisions/${late.body.id}/deliveries`)
      .send({ documents: ['repair_notice'], channel: 'post' })
      .expect(422);
    expect(bad.body.errors[0].field).toBe('exceptionReason');
    const ok = await market
      .post(`/api/penalty-decisions/${late.body.id}/deliveries`)
      .send({ documents: ['repair_notice'], channel: 'post', exceptionReason: '次日邮寄补送告知书' })
      .expect(201);
    expect(ok.body.deliveries).toHaveLength(2);
    const rep2 = await market
      .get(`/api/penalty-decisions/report?from=${decisionDate}&to=${today}`)
      .expect(200);
    // served, but not the same day with the decision: still an exception, now with both reasons
    expect(rep2.body.exceptions[0].reasons).toEqual(['告知书待盖章', '次日邮寄补送告知书']);
    expect(rep2.body.exceptions[0].noticeDeliveredOn).toBe(today);
  });

  it('only departments that enforce record decisions: not the oversight body (司法局) nor the court', async () => {
    const before = await count('penalty_decision');
    const denied = await count('audit_log', `action = 'access.denied' AND entity_type = 'penalty_decision'`);
    for (const department of ['oversight', 'court']) {
      const { agent } = await t.signIn('regulator', { department });
      const res = await agent.post('/api/penalty-decisions').send(body()).expect(403);
      expect(res.body.message).toContain('不作出行政处罚决定');
      const csv = `decision_no,uscc,party_type,decision_date,procedure,penalty_types,fine_fen,domain,violation,legal_basis,delivery_channel\n沪市监杨处〔2026〕O1号,${ent.uscc},organisation,${decisionDate},general,罚款,100,food,x,y,直接送达`;
      await agent.post('/api/penalty-decisions/import').set('Content-Type', 'text/csv').send(csv).expect(403);
      const admin = await t.admin.post('/api/penalty-decisions').send(body({ department })).expect(422);
      expect(admin.body.errors[0]).toMatchObject({ field: 'department' });
    }
    expect(await count('penalty_decision')).toBe(before);
    expect(await count('audit_log', `action = 'access.denied' AND entity_type = 'penalty_decision'`)).toBe(
      denied + 4,
    );
  });

  it('a later delivery dated before the decision, or after today, is refused; nothing written', async () => {
    const d = (await market.post('/api/penalty-decisions').send(body()).expect(201)).body;
    const deliveries = await count('document_delivery', 'decision_id = $1', [d.id]);
    for (const deliveredOn of [addDays(decisionDate, -1), '2020-01-01', '2020年1月1日', addDays(today, 1)]) {
      const res = await market
        .post(`/api/penalty-decisions/${d.id}/deliveries`)
        .send({ documents: ['decision'], channel: 'post', deliveredOn })
        .expect(422);
      expect([deliveredOn, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([
        deliveredOn,
        ['deliveredOn'],
      ]);
    }
    expect(await count('document_delivery', 'decision_id = $1', [d.id])).toBe(deliveries);
    // the database holds the rule for every writer (migration 1765756800600)
    await expect(
      t.dataSource.query(
        `INSERT INTO document_delivery (decision_id, documents, channel, delivered_on) VALUES ($1, '{decision}', 'post', $2)`,
        [d.id, addDays(decisionDate, -1)],
      ),
    ).rejects.toThrow(/before the decision date/);
    await expect(
      t.dataSource.query(`UPDATE document_delivery SET delivered_on = $2 WHERE decision_id = $1`, [
        d.id,
        addDays(decisionDate, -1),
      ]),
    ).rejects.toThrow(/before the decision date/);
    // the service, with its clock moved before the decision, refuses (the default day is today)
    const svc = t.app.get(PenaltyDecisionsService);
    await expect(
      svc.addDelivery(
        d.id,
        { documents: ['decision'], channel: 'post' },
        {
          id: 0,
          username: 'a',
          displayName: 'a',
          role: 'admin',
          department: null,
          credentialNo: null,
          enterpriseId: null,
          enterpriseUscc: null,
        },
        { userId: null, name: 'test', role: 'system', department: null, requestId: null },
        addDays(decisionDate, -2),
      ),
    ).rejects.toMatchObject({ response: { errors: [{ field: 'deliveredOn' }] } });
    await market
      .post(`/api/penalty-decisions/${d.id}/deliveries`)
      .send({ documents: ['decision'], channel: 'post', deliveredOn: decisionDate })
      .expect(201);
  });

  it('scope: health sees none of market’s decisions, and is refused one (audited)', async () => {
    const list = await health.get('/api/penalty-decisions').expect(200);
    expect(list.body.total).toBe(0);
    const mine = await market.get('/api/penalty-decisions?pageSize=2').expect(200);
    expect(mine.body.total).toBeGreaterThan(3);
    expect(mine.body.items).toHaveLength(2);
    await health.get(`/api/penalty-decisions/${mine.body.items[0].id}`).expect(403);
    expect(
      await count('audit_log', `action = 'access.denied' AND entity_type = 'penalty_decision'`),
    ).toBeGreaterThan(0);
    const rep = await health
      .get(`/api/penalty-decisions/report?from=${decisionDate}&to=${today}`)
      .expect(200);
    expect(rep.body.decisions).toBe(0);
    const { agent: ent1 } = await t.signIn('enterprise', { uscc: ent.uscc });
    await ent1.get('/api/penalty-decisions').expect(403);
  });

  it('imports a CSV all or nothing, naming every rejected row by line and column', async () => {
    const before = await count('penalty_decision');
    const header =
      'decision_no,uscc,party_type,decision_date,procedure,penalty_types,fine_fen,domain,violation,legal_basis,delivery_channel,outcome,lenient_matter_code,education_given';
    const good = (no: string) =>
      `${no},${ent.uscc},organisation,${decisionDate},general,罚款,5000000,food,销售过期食品,《食品安全法》第一百二十四条,直接送达,,,`;
    const bad = [
      header,
      good('沪市监杨处〔2026〕C1号'),
      `沪市监杨处〔2026〕C2号,${ent.uscc},organisation,${decisionDate},general,罚款;鞭刑,-3,food,x,y,直接送达,,,`,
      good('沪市监杨处〔2026〕C1号'),
      `沪市监杨处〔2026〕C4号,${ent.uscc},organisation,${decisionDate},general,,,general,x,y,直接送达,first_offence,SH-NP-2021-01,`,
    ].join('\n');
    const res = await market
      .post('/api/penalty-decisions/import')
      .set('Content-Type', 'text/csv')
      .send(bad)
      .expect(422);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'rows[3].penalty_types',
        'rows[3].fine_fen',
        'rows[4].decision_no',
        'rows[5].lenient_matter_code',
        'rows[5].education_given',
      ]),
    );
    expect(fields.some((f: string) => f.startsWith('rows[2]'))).toBe(false);
    expect(await count('penalty_decision')).toBe(before);
    const ok = await market
      .post('/api/penalty-decisions/import')
      .set('Content-Type', 'text/csv')
      .send([header, good('沪市监杨处〔2026〕C1号'), good('沪市监杨处〔2026〕C5号')].join('\n'))
      .expect(200);
    expect(ok.body).toMatchObject({ rows: 2, inserted: 2 });
    expect(await count('penalty_decision')).toBe(before + 2);
    expect(await count('repair_notice', 'decision_id = ANY($1)', [ok.body.ids])).toBe(2);
    const one = await market.get(`/api/penalty-decisions/${ok.body.ids[0]}`).expect(200);
    // decided under the regime in force on the decision date
    expect(one.body.periods.regimeCode).toBe('NDRC-2026');
    expect(one.body.domain).toBe('food');
    await market.post('/api/penalty-decisions/import').send({ csv: 'x' }).expect(415);
  });

  it('the lenient lists and measures are readable with their sources', async () => {
    const res = await market.get('/api/lenient-enforcement?date=2021-07-14').expect(200);
    const np = res.body.matters.filter(
      (m: { list: string; inForce: boolean }) => m.list === 'no_penalty' && m.inForce,
    );
    expect(np.map((m: { code: string }) => m.code)).toEqual(['SH-NP-2019-01']);
    expect(res.body.measures.some((m: { target: string }) => m.target === 'serious_list')).toBe(true);
    expect(res.body.matters[0].source).toContain('免罚清单');
  });
});
