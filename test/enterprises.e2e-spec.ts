import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, createTestApp } from './helpers.js';

const VALID = '91310115MA1FL8Q20P';
const VALID2 = '91350200776049653A';

describe('enterprise register API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health reports the database up', async () => {
    const res = await t.admin.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('registers an enterprise, normalising a lower-case USCC', async () => {
    const res = await t.admin
      .post('/api/enterprises')
      .send({
        uscc: ` ${VALID.toLowerCase()} `,
        name: '上海示例健身有限公司',
        industryCode: 'R8930',
        divisionCode: '310110',
        street: '五角场街道',
        prepaidIssuer: true,
      })
      .expect(201);
    expect(res.body).toMatchObject({
      uscc: VALID,
      name: '上海示例健身有限公司',
      status: 'active',
      statusLabel: '存续',
      prepaidIssuer: true,
      tier: 'A',
      score: 100,
    });
  });

  it('answers 409 for a duplicate USCC', async () => {
    const res = await t.admin.post('/api/enterprises').send({ uscc: VALID, name: '另一家' }).expect(409);
    expect(res.body.message).toContain(VALID);
  });

  it('refuses an establishment date after today (422 naming establishedOn), nothing stored', async () => {
    const res = await t.admin
      .post('/api/enterprises')
      .send({ uscc: VALID2, name: '未来公司', establishedOn: '2099-01-01' })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'establishedOn', reason: expect.stringMatching(/^2099-01-01 is in the future \(today is /) },
    ]);
    await t.admin.get(`/api/enterprises/${VALID2}`).expect(404);
  });

  it.each([
    ['91310115MA1FL8Q20Q', 'position 18'],
    ['91310115MA1FL8Q21P', 'position 17'],
    ['91310115MA1FL8Q2OP', "position 17: 'O' is not allowed"],
    ['91310115MA1FL8Q20', '18 characters'],
  ])('answers 422 for USCC %s naming the rule (%s)', async (uscc, reason) => {
    const res = await t.admin.post('/api/enterprises').send({ uscc, name: 'x' }).expect(422);
    expect(res.body.errors[0].field).toBe('uscc');
    expect(res.body.errors[0].reason).toContain(reason.replace(": 'O' is not allowed", ''));
  });

  it('answers 422 naming every bad field, and refuses unknown fields', async () => {
    const res = await t.admin
      .post('/api/enterprises')
      .send({ uscc: VALID2, name: '', divisionCode: '3101', establishedOn: '2019-02-30', colour: 'red' })
      .expect(422);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['colour', 'divisionCode', 'establishedOn', 'name']);
  });

  it.each([
    [{ uscc: [VALID2], name: 'x' }, 'uscc'],
    [{ name: 'x' }, 'uscc'],
    [{ uscc: VALID2, name: '   ' }, 'name'],
    [{ uscc: VALID2, name: 'a\u0000b' }, 'name'],
    [{ uscc: VALID2, name: 'ok\u001b[31m' }, 'name'], // an ESC sequence would reach terminals listing the data
    [{ uscc: VALID2, name: 'x', establishedOn: '0000-01-01' }, 'establishedOn'],
  ])('bad input %j answers 422 at %s, never 500', async (body, field) => {
    const res = await t.admin.post('/api/enterprises').send(body).expect(422);
    expect(res.body.errors[0].field).toBe(field);
  });

  it('GET by USCC: 200, 404 unknown, 422 invalid', async () => {
    await t.admin.get(`/api/enterprises/${VALID.toLowerCase()}`).expect(200);
    const nf = await t.admin.get(`/api/enterprises/${VALID2}`).expect(404);
    expect(nf.body.message).toContain(VALID2);
    const bad = await t.admin.get('/api/enterprises/91310115MA1FL8Q20Q').expect(422);
    expect(bad.body.errors[0].reason).toContain('position 18');
  });

  it('lists with filters and pagination', async () => {
    await t.admin
      .post('/api/enterprises')
      .send({ uscc: VALID2, name: '厦门示例餐饮有限公司', industryCode: 'H6210', divisionCode: '350200' })
      .expect(201);
    const all = await t.admin.get('/api/enterprises').query({ pageSize: 1 }).expect(200);
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(all.body.items).toHaveLength(1);
    const byName = await t.admin.get('/api/enterprises').query({ name: '餐饮' }).expect(200);
    expect(byName.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([VALID2]);
    const byIndustry = await t.admin.get('/api/enterprises').query({ industry: 'R89' }).expect(200);
    expect(byIndustry.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([VALID]);
    const byDivision = await t.admin.get('/api/enterprises').query({ division: '350200' }).expect(200);
    expect(byDivision.body.total).toBe(1);
    const byTier = await t.admin.get('/api/enterprises').query({ tier: 'd' }).expect(200);
    expect(byTier.body.total).toBe(0);
    const tierA = await t.admin.get('/api/enterprises').query({ tier: 'A' }).expect(200);
    expect(tierA.body.total).toBe(2); // registered enterprises are scored at once
    const unknownTier = await t.admin.get('/api/enterprises').query({ tier: 'E' }).expect(422);
    expect(unknownTier.body.errors[0].field).toBe('tier');
    await t.admin.get('/api/enterprises').query({ pageSize: 1000 }).expect(422);
    await t.admin.get('/api/enterprises').query({ page: '4611686018427387904' }).expect(422);
    const like = await t.admin.get('/api/enterprises').query({ name: '%' }).expect(200);
    expect(like.body.total).toBe(0);
  });

  it('serves the OpenAPI description at /docs-json with the register endpoints (the full list: authorization-matrix)', async () => {
    const res = await t.admin.get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/enterprises',
        '/api/enterprises/{uscc}',
        '/api/enterprises/{uscc}/credit',
        '/api/enterprises/{uscc}/credit-records',
        '/health',
      ]),
    );
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
