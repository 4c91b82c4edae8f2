import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { freshUscc, insertEnterprise } from './triggers-fixtures.js';

/** The first day of the calendar quarter `n` quarters before the one holding `date`. */
function quarterStart(date: string, back: number): string {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) - back;
  const yy = y + Math.floor(q / 4);
  const m = (((q % 4) + 4) % 4) * 3 + 1;
  return `${yy}-${String(m).padStart(2, '0')}-01`;
}

/**
 * Prepaid issuers and their facts (issue 14 "Data", "Bad input") on the real database with the real
 * migrations: registration (enterprise.prepaid_issuer set), stores, payee accounts (the previous one
 * ended, a payee_change signal recorded), reports (every bad input refused naming the field, a second
 * report for a period 409 unless corrected, the corrected one kept), signals per kind, the
 * department scope, the audit entries.
 */
describe('prepaid issuers (预付卡经营者)', () => {
  let t: TestApp;
  let market: Agent;
  let health: Agent;
  let inspector: Agent;
  let ent: { id: number; uscc: string };
  const today = todayInShanghai();
  const q1 = quarterStart(today, 1); // the last quarter that is over
  const report = (extra: Record<string, unknown> = {}) => ({
    periodKind: 'quarter',
    periodStart: q1,
    balanceFen: 50_000_000,
    cardsSoldCount: 120,
    cardsSoldFen: 30_000_000,
    redemptionsFen: 20_000_000,
    escrowBalanceFen: 20_000_000,
    ...extra,
  });
  const audits = async (action: string) =>
    Number(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [action]))[0].n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: market } = await t.signIn('regulator', { department: 'market' }));
    ({ agent: health } = await t.signIn('regulator', { department: 'health' }));
    ({ agent: inspector } = await t.signIn('inspector'));
    ent = await insertEnterprise(t.dataSource, {
      name: '上海某某健身有限公司',
      tier: 'B',
      industry: 'R8930',
    });
  });
  afterAll(() => t.close());

  it('registers an issuer, sets enterprise.prepaid_issuer, audits; refuses twice, unknown enterprises and bad fields', async () => {
    const bad = await market
      .post('/api/prepaid/issuers')
      .send({ uscc: ent.uscc, sector: '游泳', guaranteeKind: 'escrow', sellingSince: addDays(today, 3) })
      .expect(422);
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['escrowBank', 'sector', 'sellingSince']);
    const unknown = freshUscc();
    const nf = await market
      .post('/api/prepaid/issuers')
      .send({ uscc: unknown, sector: 'fitness' })
      .expect(422);
    expect(nf.body.errors[0]).toMatchObject({ field: 'uscc' });
    expect(nf.body.errors[0].reason).toContain(unknown);
    expect(nf.body.errors[0].reason).toContain('市场主体名录');

    const res = await market
      .post('/api/prepaid/issuers')
      .send({ uscc: ent.uscc, sector: '运动健身', guaranteeKind: 'escrow', escrowBank: '上海银行杨浦支行' })
      .expect(201);
    expect(res.body).toMatchObject({
      uscc: ent.uscc,
      sector: 'fitness',
      guaranteeKind: 'escrow',
      escrowBank: '上海银行杨浦支行',
      // rescored at once (the fixture's stand-in tier B replaced by the scorecard's: no records, A)
      tier: 'A',
      level: null,
      stores: [],
      payeeAccounts: [],
      openAlertId: null,
    });
    const [e] = await t.dataSource.query(`SELECT prepaid_issuer FROM enterprise WHERE id = $1`, [ent.id]);
    expect(e.prepaid_issuer).toBe(true);
    const [score] = await t.dataSource.query(
      `SELECT model_version FROM credit_score WHERE enterprise_id = $1`,
      [ent.id],
    );
    expect(score.model_version).not.toBe('test');
    expect(await audits('prepaid_issuer.create')).toBe(1);
    await market.post('/api/prepaid/issuers').send({ uscc: ent.uscc, sector: 'fitness' }).expect(409);
    // another department, an inspector, an enterprise: no writing (the department's refusal audited)
    await health.post('/api/prepaid/issuers').send({ uscc: ent.uscc, sector: 'fitness' }).expect(403);
    expect(await audits('access.denied')).toBeGreaterThanOrEqual(1);
    await inspector.post('/api/prepaid/issuers').send({ uscc: ent.uscc, sector: 'fitness' }).expect(403);
    // staff read
    const list = await inspector.get('/api/prepaid/issuers?sector=fitness').expect(200);
    expect(list.body.items.map((x: { uscc: string }) => x.uscc)).toContain(ent.uscc);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    const byName = await market.get(`/api/prepaid/issuers?q=${encodeURIComponent('某某健身')}`).expect(200);
    expect(byName.body.items).toHaveLength(1);
    await market.get('/api/prepaid/issuers?level=purple').expect(422);
  });

  it('changes the fields given, checks the whole again', async () => {
    await market.patch(`/api/prepaid/issuers/${ent.uscc}`).send({ escrowBank: null }).expect(422);
    const r = await market
      .patch(`/api/prepaid/issuers/${ent.uscc}`)
      .send({ platformRegisteredOn: addDays(today, -100), platformCode: 'SH-YP-0001' })
      .expect(200);
    expect(r.body).toMatchObject({ platformCode: 'SH-YP-0001', escrowBank: '上海银行杨浦支行' });
    expect(await audits('prepaid_issuer.update')).toBe(1);
  });

  it('stores: added, the street used for the list, closed once', async () => {
    await market.post(`/api/prepaid/issuers/${ent.uscc}/stores`).send({ name: '', address: 'x' }).expect(422);
    const r = await market
      .post(`/api/prepaid/issuers/${ent.uscc}/stores`)
      .send({
        name: '五角场店',
        address: '淞沪路1号',
        street: '五角场街道',
        openedOn: addDays(today, -400),
        leaseEndsOn: addDays(today, 200),
      })
      .expect(201);
    expect(r.body.street).toBe('五角场街道');
    const store = r.body.stores[0];
    const list = await market.get('/api/prepaid/issuers?street=五角场街道').expect(200);
    expect(list.body.items[0]).toMatchObject({ uscc: ent.uscc, stores: 1 });
    await market
      .post(`/api/prepaid/issuers/${ent.uscc}/stores/${store.id}/close`)
      .send({ closedOn: addDays(today, 1) })
      .expect(422);
    const closed = await market
      .post(`/api/prepaid/issuers/${ent.uscc}/stores/${store.id}/close`)
      .send({})
      .expect(200);
    expect(closed.body.stores[0].closedOn).toBe(today);
    await market.post(`/api/prepaid/issuers/${ent.uscc}/stores/${store.id}/close`).send({}).expect(409);
    await market.post(`/api/prepaid/issuers/${ent.uscc}/stores/999999/close`).send({}).expect(404);
  });

  it('payee accounts: a new one ends the previous one and records a payee_change signal, in one transaction', async () => {
    const first = await market
      .post(`/api/prepaid/issuers/${ent.uscc}/payee-accounts`)
      .send({ bank: '招商银行', accountNo: '6214 8301 2345 6789', fromOn: addDays(today, -300) })
      .expect(201);
    expect(first.body.payeeAccounts).toEqual([
      expect.objectContaining({ bank: '招商银行', accountTail: '6789', untilOn: null }),
    ]);
    await market
      .post(`/api/prepaid/issuers/${ent.uscc}/payee-accounts`)
      .send({ bank: '工商银行', accountNo: '12', fromOn: addDays(today, -300) })
      .expect(422);
    // not after the current account's start
    await market
      .post(`/api/prepaid/issuers/${ent.uscc}/payee-accounts`)
      .send({ bank: '工商银行', accountNo: '1234', fromOn: addDays(today, -300) })
      .expect(422);
    const second = await market
      .post(`/api/prepaid/issuers/${ent.uscc}/payee-accounts`)
      .send({ bank: '工商银行', accountNo: '1234', fromOn: addDays(today, -10) })
      .expect(201);
    expect(second.body.payeeAccounts).toEqual([
      expect.objectContaining({ bank: '工商银行', accountTail: '1234', untilOn: null }),
      expect.objectContaining({ bank: '招商银行', untilOn: addDays(today, -11) }),
    ]);
    const signals = await market.get(`/api/prepaid/issuers/${ent.uscc}/signals`).expect(200);
    expect(signals.body.items).toEqual([
      expect.objectContaining({ kind: 'payee_change', occurredOn: addDays(today, -10) }),
    ]);
    expect(signals.body.items[0].summary).toContain('招商银行尾号6789');
  });

  it('reports: every bad input refused naming the field and the values', async () => {
    const url = `/api/prepaid/issuers/${ent.uscc}/reports`;
    const fieldsOf = (r: { body: { errors: { field: string }[] } }) =>
      r.body.errors.map((e) => e.field).sort();
    // negative amounts
    let r = await market
      .post(url)
      .send(report({ balanceFen: -1, redemptionsFen: '-200' }))
      .expect(422);
    expect(fieldsOf(r)).toEqual(['balanceFen', 'redemptionsFen']);
    expect(r.body.errors[0].reason).toContain('负数');
    // escrow larger than the balance: refused, both values named
    r = await market
      .post(url)
      .send(report({ escrowBalanceFen: 60_000_000 }))
      .expect(422);
    expect(r.body.errors).toEqual([
      expect.objectContaining({ field: 'escrowBalanceFen', reason: expect.stringContaining('60000000分') }),
    ]);
    expect(r.body.errors[0].reason).toContain('50000000分');
    // a future period, a future submission
    r = await market
      .post(url)
      .send(report({ periodStart: quarterStart(today, 0) }))
      .expect(422);
    expect(fieldsOf(r)).toEqual(['periodEnd']);
    r = await market
      .post(url)
      .send(report({ submittedOn: addDays(today, 1) }))
      .expect(422);
    expect(fieldsOf(r)).toEqual(['submittedOn']);
    // not a calendar quarter / month
    r = await market
      .post(url)
      .send(report({ periodStart: `${q1.slice(0, 8)}02` }))
      .expect(422);
    expect(fieldsOf(r)).toEqual(['periodStart']);
    r = await market
      .post(url)
      .send(report({ periodKind: 'month', periodStart: q1, periodEnd: addDays(q1, 40) }))
      .expect(422);
    expect(fieldsOf(r)).toEqual(['periodEnd']);
    // an unknown issuer: 404 naming the USCC and what to do
    const other = await insertEnterprise(t.dataSource, { name: '未登记美容店', tier: null });
    r = await market.post(`/api/prepaid/issuers/${other.uscc}/reports`).send(report()).expect(404);
    expect(r.body.message).toContain(other.uscc);
    expect(r.body.message).toContain('须先将该市场主体登记为预付卡经营者');
    expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM prepaid_report`))[0].n)).toBe(0);
  });

  it('reports: a second report for a period is 409 naming the one in force; a correction keeps it', async () => {
    const url = `/api/prepaid/issuers/${ent.uscc}/reports`;
    const first = await market
      .post(url)
      .send(report({ submittedOn: addDays(q1, 100) }))
      .expect(201);
    expect(first.body).toMatchObject({
      periodKind: 'quarter',
      periodStart: q1,
      superseded: false,
      balanceFen: 50_000_000,
      refundsFen: 0,
    });
    expect(first.body.dueOn).toBe(`${addDays(first.body.periodEnd, 1).slice(0, 8)}25`);
    expect(first.body.late).toBe(addDays(q1, 100) > first.body.dueOn);
    const dup = await market
      .post(url)
      .send(report({ balanceFen: 55_000_000 }))
      .expect(409);
    expect(dup.body.message).toContain(`#${first.body.id}`);
    expect(dup.body.message).toContain('更正原因');
    await market
      .post(url)
      .send(report({ balanceFen: 55_000_000, correction: { reason: '' } }))
      .expect(422);
    const fixed = await market
      .post(url)
      .send(report({ balanceFen: 55_000_000, correction: { reason: '原报预收余额漏计一家门店' } }))
      .expect(201);
    expect(fixed.body).toMatchObject({ superseded: false, correctionReason: '原报预收余额漏计一家门店' });
    const all = await market.get(url).expect(200);
    expect(all.body.total).toBe(2);
    expect(all.body.items).toEqual([
      expect.objectContaining({ id: fixed.body.id, superseded: false, balanceFen: 55_000_000 }),
      expect.objectContaining({
        id: first.body.id,
        superseded: true,
        supersededBy: fixed.body.id,
        balanceFen: 50_000_000,
      }),
    ]);
    expect(await audits('prepaid_report.correct')).toBe(1);
    const list = await market.get(`/api/prepaid/issuers?q=${ent.uscc}`).expect(200);
    expect(list.body.items[0].lastReportPeriodEnd).toBe(first.body.periodEnd);
    // a correction back-dated, or a month inside the quarter in force: refused, nothing stored
    const back = await market
      .post(url)
      .send(report({ submittedOn: addDays(today, -1), correction: { reason: '补正存管' } }))
      .expect(422);
    expect(back.body.errors[0].field).toBe('submittedOn');
    const month = await market
      .post(url)
      .send(report({ periodKind: 'month', periodStart: addDays(q1, 35).slice(0, 8) + '01' }))
      .expect(409);
    expect(month.body.message).toContain(`#${fixed.body.id}`);
    expect((await market.get(url).expect(200)).body.total).toBe(2);
  });

  it('signals per kind: notices need their day, promotions discount and term, never received before they happened', async () => {
    const url = `/api/prepaid/issuers/${ent.uscc}/signals`;
    const fieldsOf = (r: { body: { errors: { field: string }[] } }) =>
      r.body.errors.map((e) => e.field).sort();
    let r = await market
      .post(url)
      .send({ kind: 'closure_notice', occurredOn: addDays(today, -2), summary: '门口张贴停业公告' })
      .expect(422);
    expect(fieldsOf(r)).toEqual(['effectiveOn']);
    r = await market
      .post(url)
      .send({ kind: 'promotion', occurredOn: addDays(today, -2), summary: '充值送' })
      .expect(422);
    expect(fieldsOf(r)).toEqual(['discountPct', 'termMonths']);
    r = await market
      .post(url)
      .send({
        kind: 'complaint',
        occurredOn: addDays(today, -2),
        receivedOn: addDays(today, -3),
        summary: '退卡难',
      })
      .expect(422);
    expect(fieldsOf(r)).toEqual(['receivedOn']);
    r = await market
      .post(url)
      .send({ kind: 'complaint', occurredOn: addDays(today, 2), summary: '退卡难', amountFen: -5 })
      .expect(422);
    expect(fieldsOf(r)).toEqual(['amountFen', 'occurredOn']);
    r = await market
      .post(url)
      .send({ kind: 'complaint', occurredOn: addDays(today, -2), summary: '退卡难', storeId: 999999 })
      .expect(422);
    expect(fieldsOf(r)).toEqual(['storeId']);
    const ok = await market
      .post(url)
      .send({
        kind: '停业（关店）公告',
        occurredOn: addDays(today, -2),
        effectiveOn: addDays(today, 10),
        summary: '门口张贴停业公告，称10天后闭店装修',
      })
      .expect(201);
    expect(ok.body).toMatchObject({
      kind: 'closure_notice',
      effectiveOn: addDays(today, 10),
      receivedOn: today,
    });
    await market
      .post(url)
      .send({
        kind: 'promotion',
        occurredOn: addDays(today, -5),
        discountPct: 70,
        termMonths: 36,
        summary: '三折卖三年卡',
      })
      .expect(201);
    const page = await inspector.get(`${url}?pageSize=2`).expect(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(await audits('prepaid_signal.create')).toBe(2);
  });
});
