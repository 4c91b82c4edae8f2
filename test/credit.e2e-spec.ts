import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, createTestApp } from './helpers.js';

const USCC = '91310115MA1FL8Q20P';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('credit records and scores API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.admin.post('/api/enterprises').send({ uscc: USCC, name: '上海示例美容美发有限公司' }).expect(201);
  });
  afterAll(() => t.close());

  it('a registered enterprise has a score at once; an unknown one answers 404', async () => {
    const credit = await t.admin.get(`/api/enterprises/${USCC}/credit`).expect(200);
    expect(credit.body).toMatchObject({ score: 100, tier: 'A', reasons: [] });
    await t.admin.get('/api/enterprises/91310110MA00000154/credit').expect(404);
  });

  it('refuses a record dated in the future', async () => {
    const res = await t.admin
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({ kind: 'complaint', recordDate: '2999-01-01', sourceDepartment: '12315' })
      .expect(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'recordDate' });
  });

  it('a new record rescoring the enterprise at once', async () => {
    const res = await t.admin
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({
        kind: 'administrative_penalty',
        recordDate: today,
        sourceDepartment: '杨浦区市场监督管理局',
        decisionNo: '沪市监杨处〔2026〕1号',
        procedure: 'general',
        penaltyTypes: ['fine'],
        fineFen: 3000000,
      })
      .expect(201);
    expect(res.body.created).toBe(true);
    expect(res.body.record).toMatchObject({
      kind: 'administrative_penalty',
      penaltySeverity: 'general',
      polarity: 'negative',
      fineFen: 3000000,
    });
    expect(res.body.score).toMatchObject({ score: 88, tier: 'B' });
    const credit = await t.admin.get(`/api/enterprises/${USCC}/credit`).expect(200);
    expect(credit.body).toMatchObject({
      uscc: USCC,
      score: 88,
      tier: 'B',
      tierLabel: { zh: '信用风险一般' },
      modelVersion: 'v3',
      asOf: today,
    });
    expect(credit.body.reasons[0]).toMatchObject({
      code: 'penalty_general_1y',
      zh: '近1年一般行政处罚',
      points: -12,
      value: 1,
    });
  });

  it('serious list forces tier D and leads the reasons', async () => {
    await t.admin
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({
        kind: 'listing',
        listType: 'serious',
        listedOn: today,
        sourceDepartment: '上海市市场监督管理局',
        listingReason: '预付卡经营者一年内两次以上行政处罚',
      })
      .expect(201);
    const credit = await t.admin.get(`/api/enterprises/${USCC}/credit`).expect(200);
    expect(credit.body.tier).toBe('D');
    expect(credit.body.reasons[0].code).toBe('override:serious_list');
    const list = await t.admin.get('/api/enterprises').query({ tier: 'D' }).expect(200);
    expect(list.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([USCC]);
  });

  it('a record sent twice with the same source key is stored once', async () => {
    const body = {
      kind: 'complaint',
      recordDate: today,
      sourceDepartment: '12315',
      channel: '12315',
      subject: '预付卡退费纠纷',
      sourceSystem: '12315',
      sourceKey: 'C-1',
    };
    const a = await t.admin.post(`/api/enterprises/${USCC}/credit-records`).send(body).expect(201);
    const b = await t.admin.post(`/api/enterprises/${USCC}/credit-records`).send(body).expect(201);
    expect(a.body.created).toBe(true);
    expect(b.body.created).toBe(false);
    expect(b.body.record.id).toBe(a.body.record.id);
    const list = await t.admin.get(`/api/enterprises/${USCC}/credit-records`).expect(200);
    expect(list.body.filter((r: { sourceKey: string }) => r.sourceKey === 'C-1')).toHaveLength(1);
    // one page at a time, newest first, with the total in X-Total-Count
    const total = Number(list.headers['x-total-count']);
    expect(total).toBe(list.body.length);
    const page2 = await t.admin.get(`/api/enterprises/${USCC}/credit-records?page=2&pageSize=1`).expect(200);
    expect(page2.body).toHaveLength(total > 1 ? 1 : 0);
    if (total > 1) expect(page2.body[0].id).toBe(list.body[1].id);
    await t.admin.get(`/api/enterprises/${USCC}/credit-records?pageSize=501`).expect(422);
  });

  it("409 when the source key belongs to another enterprise's record; an empty key is refused", async () => {
    const other = '91350200776049653A';
    await t.admin.post('/api/enterprises').send({ uscc: other, name: '厦门示例公司' }).expect(201);
    const body = {
      kind: 'complaint',
      recordDate: today,
      sourceDepartment: '12315',
      sourceSystem: '12315',
      sourceKey: 'C-1',
    };
    const res = await t.admin.post(`/api/enterprises/${other}/credit-records`).send(body).expect(409);
    expect(res.body.message).toContain('another enterprise');
    await t.admin
      .post(`/api/enterprises/${other}/credit-records`)
      .send({ ...body, sourceKey: '' })
      .expect(422);
  });

  it('422 names the missing kind-specific fields; nothing is stored', async () => {
    const before = (await t.admin.get(`/api/enterprises/${USCC}/credit-records`)).body.length;
    const res = await t.admin
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({
        kind: 'administrative_penalty',
        recordDate: '2026-02-30',
        sourceDepartment: 'x',
        penaltyTypes: ['fine'],
      })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'decisionNo',
      'fineFen',
      'procedure',
      'recordDate',
    ]);
    const after = (await t.admin.get(`/api/enterprises/${USCC}/credit-records`)).body.length;
    expect(after).toBe(before);
  });

  it('404 for records of an unknown enterprise', async () => {
    await t.admin
      .post('/api/enterprises/91310110MA00000154/credit-records')
      .send({ kind: 'complaint', recordDate: today, sourceDepartment: 'x' })
      .expect(404);
    await t.admin.get('/api/enterprises/91310110MA00000154/credit-records').expect(404);
  });
});
