import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '../src/audit/actor.js';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { loadIssuerFacts, sectorBaselines } from '../src/prepaid/evaluation/facts-loader.js';
import { EvaluationService } from '../src/prepaid/evaluation/evaluation.service.js';
import { DEFAULT_RISK_MODEL } from '../src/prepaid/rules/default-risk-model.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { insertIssuer, insertModel, insertReport, RED, YELLOW } from './prepaid-fixtures.js';

/**
 * The daily prepaid evaluation (issue 14, alerts slice) on the real database with the real migrations:
 * a run opens alerts with evidence; a rerun the same day adds nothing; a worse level raises the alert
 * (never a second one); two concurrent runs (advisory lock); a killed run is completed by the next;
 * facts as of a past day ignore later reports and corrections; model versions; the API's answers.
 * Levels come from test model versions whose cuts do not depend on the rules (prepaid-fixtures.ts).
 */
describe('prepaid evaluation', () => {
  let t: TestApp;
  let svc: EvaluationService;
  let regulator: Agent;
  let otherRegulator: Agent;
  let inspector: Agent;
  const issuers: { id: number; uscc: string }[] = [];
  const today = todayInShanghai();
  const d1 = addDays(today, -3);
  const d2 = addDays(today, -2);
  const d3 = addDays(today, -1);
  const actor = systemActor('test');
  const q = (sql: string, p: unknown[] = []) => t.dataSource.query(sql, p);
  const count = async (sql: string, p: unknown[] = []) => Number((await q(sql, p))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    svc = t.app.get(EvaluationService);
    ({ agent: regulator } = await t.signIn('regulator'));
    ({ agent: otherRegulator } = await t.signIn('regulator', { department: 'health' }));
    ({ agent: inspector } = await t.signIn('inspector'));
    for (let i = 0; i < 5; i++)
      issuers.push(
        await insertIssuer(t.dataSource, {
          name: `上海测试健身${i}有限公司`,
          street: i < 3 ? '五角场街道' : null,
        }),
      );
    // yellow for every issuer from long ago; red from d2
    await insertModel(t.dataSource, 'test-yellow', YELLOW, '2000-01-01');
    await insertModel(t.dataSource, 'test-red', RED, d2);
  }, 60_000);
  afterAll(async () => t?.close());

  it('stores v1 at start-up and lists the versions with the one in force', async () => {
    const res = await regulator.get('/api/prepaid/models').expect(200);
    expect(res.body.versions.map((v: { version: string }) => v.version)).toEqual(
      expect.arrayContaining(['prepaid-risk-v1', 'test-yellow', 'test-red']),
    );
    expect(res.body.inForce).toBe('test-red');
  });

  it('risk map before any evaluation: the issuers count as not evaluated, not as 无风险', async () => {
    const res = await regulator.get('/api/prepaid/risk-map').expect(200);
    const all = res.body.streets.reduce(
      (t: { issuers: number; unevaluated: number; none: number }, s: typeof t) => ({
        issuers: t.issuers + s.issuers,
        unevaluated: t.unevaluated + s.unevaluated,
        none: t.none + s.none,
      }),
      { issuers: 0, unevaluated: 0, none: 0 },
    );
    expect(all).toEqual({ issuers: 5, unevaluated: 5, none: 0 });
  });

  it('a run opens an alert per issuer reaching yellow, with the evidence of that day', async () => {
    const run = await svc.evaluate(d1, actor, 'cli', { batchSize: 2 });
    expect(run).toMatchObject({
      asOf: d1,
      modelVersion: 'test-yellow',
      evaluated: 5,
      alertsOpened: 5,
      alertsRaised: 0,
    });
    expect(run!.levels).toEqual({ none: 0, blue: 0, yellow: 5, orange: 0, red: 0 });
    const alerts = await q(`SELECT * FROM prepaid_alert ORDER BY enterprise_id`);
    expect(alerts).toHaveLength(5);
    expect(alerts[0]).toMatchObject({
      status: 'open',
      level: 'yellow',
      opened_level: 'yellow',
      opened_on: d1,
    });
    expect(alerts[0].evidence).toMatchObject({
      enterpriseId: issuers[0].id,
      asOf: d1,
      modelVersion: 'test-yellow',
      level: 'yellow',
    });
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert_event WHERE kind = 'opened'`)).toBe(5);
    expect(await count(`SELECT count(*) AS n FROM prepaid_level WHERE as_of = $1`, [d1])).toBe(5);
    const [i0] = await q(
      `SELECT current_level, current_level_since::text AS since, evaluated_on::text AS ev FROM prepaid_issuer WHERE enterprise_id = $1`,
      [issuers[0].id],
    );
    expect(i0).toEqual({ current_level: 'yellow', since: d1, ev: d1 });
    // one audit entry per batch (3 batches of 2) and one for the run
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'prepaid_evaluation.batch'`)).toBe(
      3,
    );
  });

  it('the alert answers its opening with the evidence of that day', async () => {
    const [{ id }] = await q(`SELECT id FROM prepaid_alert WHERE enterprise_id = $1`, [issuers[0].id]);
    const res = await regulator.get(`/api/prepaid/alerts/${id}`).expect(200);
    expect(res.body.evidence).toMatchObject({ asOf: d1, level: 'yellow' });
    expect(res.body.events[0]).toMatchObject({
      kind: 'opened',
      asOf: d1,
      evidence: { asOf: d1, level: 'yellow' },
    });
  });

  it('a rerun of the same day adds nothing and answers the finished run', async () => {
    const before = await count(`SELECT count(*) AS n FROM prepaid_alert_event`);
    const again = await svc.evaluate(d1, actor, 'cli');
    expect(again).toMatchObject({ repeated: true, asOf: d1, evaluated: 5 });
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert_event`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM prepaid_evaluation_run WHERE as_of = $1`, [d1])).toBe(1);
  });

  it('a worse level raises the alert in progress (event raised with the new evidence), never a second alert', async () => {
    const run = await svc.evaluate(d2, actor, 'cli');
    expect(run).toMatchObject({ modelVersion: 'test-red', alertsOpened: 0, alertsRaised: 5 });
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert`)).toBe(5);
    const [a] = await q(
      `SELECT level, opened_level, raised_on::text AS raised_on, due_on::text AS due_on, evidence FROM prepaid_alert WHERE enterprise_id = $1`,
      [issuers[0].id],
    );
    expect(a).toMatchObject({ level: 'red', opened_level: 'yellow', raised_on: d2 });
    expect(a.evidence.asOf).toBe(d1); // the opening's evidence stays
    const [ev] = await q(
      `SELECT e.evidence FROM prepaid_alert_event e JOIN prepaid_alert a ON a.id = e.alert_id WHERE a.enterprise_id = $1 AND e.kind = 'raised'`,
      [issuers[0].id],
    );
    expect(ev.evidence).toMatchObject({ asOf: d2, level: 'red' });
  });

  it('two concurrent runs: one evaluates, the other is turned away by the advisory lock', async () => {
    const [r1, r2] = await Promise.all([svc.evaluate(d3, actor, 'cli'), svc.evaluate(d3, actor, 'cli')]);
    const done = [r1, r2].filter((r) => r !== null && !r.repeated);
    expect(done).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM prepaid_evaluation_run WHERE as_of = $1`, [d3])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert`)).toBe(5);
  });

  it('a killed run leaves its committed batches and is completed by the next, without duplicates', async () => {
    await q(`UPDATE prepaid_alert SET status = 'assigned', assigned_to = (SELECT id FROM app_user LIMIT 1)`);
    await q(
      `UPDATE prepaid_alert SET status = 'closed', closed_at = now(), findings = 'x', outcome = 'risk_resolved'`,
    );
    await expect(
      svc.evaluate(today, actor, 'cli', {
        batchSize: 2,
        afterBatch: (b) => {
          if (b === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const [half] = await q(`SELECT * FROM prepaid_evaluation_run WHERE as_of = $1`, [today]);
    expect(half).toMatchObject({ finished_at: null, evaluated: 2, alerts_opened: 2 });
    const done = await svc.evaluate(today, actor, 'api', { batchSize: 2 });
    expect(done).toMatchObject({
      id: Number(half.id),
      resumed: true,
      evaluated: 5,
      alertsOpened: 5,
      trigger: 'cli', // began by the CLI, completed by the API
      resumedTrigger: 'api',
    });
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert WHERE status <> 'closed'`)).toBe(5);
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert`)).toBe(10);
  });

  it('facts as of a past day ignore later reports and corrections', async () => {
    const id = issuers[0].id;
    const r1 = await insertReport(t.dataSource, id, '2026-01', '2026-02-20', 1_000_00);
    await insertReport(t.dataSource, id, '2026-01', '2026-03-10', 9_000_00, { supersede: r1 }); // correction
    await insertReport(t.dataSource, id, '2026-02', '2026-03-20', 2_000_00);
    const query = (s: string, p: unknown[]) => t.dataSource.query(s, p);
    const at = async (d: string) =>
      (await loadIssuerFacts(query, d, { ids: [id] }, await sectorBaselines(query, d)))[0];
    expect((await at('2026-02-19')).reports).toEqual([]);
    expect((await at('2026-03-01')).reports.map((r) => [r.periodStart, r.balanceFen])).toEqual([
      ['2026-01-01', 100000],
    ]);
    // the corrected figures, the first submission's day (lateness is judged by it)
    expect((await at('2026-03-15')).reports.map((r) => [r.periodStart, r.balanceFen, r.submittedOn])).toEqual(
      [['2026-01-01', 900000, '2026-02-20']],
    );
    expect((await at('2026-03-25')).reports.map((r) => [r.periodStart, r.balanceFen])).toEqual([
      ['2026-01-01', 900000],
      ['2026-02-01', 200000],
    ]);
  });

  it('explains an issuer as of a past day under the version in force then; refuses a later day', async () => {
    const res = await regulator.get(`/api/prepaid/issuers/${issuers[0].uscc}/risk?asOf=${d1}`).expect(200);
    expect(res.body).toMatchObject({
      enterpriseId: issuers[0].id,
      asOf: d1,
      modelVersion: 'test-yellow',
      level: 'yellow',
    });
    await inspector.get(`/api/prepaid/issuers/${issuers[0].uscc}/risk`).expect(200);
    const late = await regulator
      .get(`/api/prepaid/issuers/${issuers[0].uscc}/risk?asOf=${addDays(today, 1)}`)
      .expect(422);
    expect(late.body.errors[0].field).toBe('asOf');
  });

  it('trend: month ends and today', async () => {
    const res = await regulator
      .get(`/api/prepaid/issuers/${issuers[0].uscc}/risk-trend?from=2026-01-15&to=2026-04-10`)
      .expect(200);
    expect(res.body.points.map((p: { asOf: string }) => p.asOf)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-10',
    ]);
  });

  it('risk map by street with alerts in progress', async () => {
    const res = await regulator.get('/api/prepaid/risk-map').expect(200);
    expect(res.body.asOf).toBe(today);
    const byStreet = Object.fromEntries(res.body.streets.map((s: { street: string }) => [s.street, s]));
    expect(byStreet['五角场街道']).toMatchObject({ issuers: 3, unevaluated: 0, red: 3, openAlerts: 3 });
    expect(byStreet['未注明街道']).toMatchObject({ issuers: 2, red: 2, openAlerts: 2 });
  });

  it('POST /evaluations: the department or admins; the day evaluated answers its run', async () => {
    await otherRegulator.post('/api/prepaid/evaluations').send({}).expect(403);
    const res = await regulator.post('/api/prepaid/evaluations').send({}).expect(201);
    expect(res.body).toMatchObject({ asOf: today, repeated: true });
    await t.admin
      .post('/api/prepaid/evaluations')
      .send({ asOf: addDays(today, 1) })
      .expect(422);
    const runs = await regulator.get('/api/prepaid/evaluations').expect(200);
    expect(runs.body.map((r: { asOf: string }) => r.asOf)).toEqual([today, d3, d2, d1]);
  });

  it('model versions: checked, never changed, activated from today or later', async () => {
    const bad = await t.admin
      .post('/api/prepaid/models')
      .send({
        version: 'v x',
        description: '',
        levelCuts: { blue: 5, yellow: 1, orange: 2, red: 3 },
        rules: { nope: { weight: 1 } },
      })
      .expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['version', 'description', 'levelCuts.yellow', 'rules.nope']),
    );
    const model = {
      ...DEFAULT_RISK_MODEL,
      version: 'prepaid-risk-v9',
      description: '测试',
      levelCuts: { blue: 10, yellow: 30, orange: 55, red: 80 },
    };
    const partial = await t.admin
      .post('/api/prepaid/models')
      .send({ ...model, rules: {} })
      .expect(422);
    expect(partial.body.errors[0].field).toBe('rules.escrow_shortfall');
    await regulator.post('/api/prepaid/models').send(model).expect(403);
    await t.admin.post('/api/prepaid/models').send(model).expect(201);
    await t.admin.post('/api/prepaid/models').send(model).expect(409);
    await t.admin
      .post('/api/prepaid/models/prepaid-risk-v9/activate')
      .send({ effectiveFrom: d1 })
      .expect(422);
    await t.admin.post('/api/prepaid/models/nope/activate').send({ effectiveFrom: today }).expect(404);
    const later = addDays(today, 10);
    const res = await t.admin
      .post('/api/prepaid/models/prepaid-risk-v9/activate')
      .send({ effectiveFrom: later })
      .expect(200);
    expect(res.body.activations).toEqual([expect.objectContaining({ effectiveFrom: later })]);
    expect((await regulator.get('/api/prepaid/models').expect(200)).body.inForce).toBe('test-red');
  });
  it('a past day after a later one is re-explained but opens, raises and re-dates no alert', async () => {
    const alerts = await q(
      `SELECT id, level, opened_on::text, raised_on::text, due_on::text FROM prepaid_alert ORDER BY id`,
    );
    // issuer 0: alert in progress opened today; issuer 4: never evaluated, its alert closed today
    await q(
      `UPDATE prepaid_alert SET status = 'assigned', assigned_to = (SELECT id FROM app_user LIMIT 1) WHERE enterprise_id = $1 AND status <> 'closed'`,
      [issuers[4].id],
    );
    await q(
      `UPDATE prepaid_alert SET status = 'closed', closed_at = now(), findings = 'x', outcome = 'risk_resolved' WHERE enterprise_id = $1`,
      [issuers[4].id],
    );
    await q(`UPDATE prepaid_issuer SET evaluated_on = NULL WHERE enterprise_id = $1`, [issuers[4].id]);
    const old = addDays(today, -4);
    const run = await svc.evaluate(old, actor, 'api');
    expect(run).toMatchObject({ asOf: old, evaluated: 5, alertsOpened: 0, alertsRaised: 0 });
    expect(await count(`SELECT count(*) AS n FROM prepaid_level WHERE as_of = $1`, [old])).toBe(5);
    expect(
      await q(
        `SELECT id, level, opened_on::text, raised_on::text, due_on::text FROM prepaid_alert ORDER BY id`,
      ),
    ).toEqual(alerts);
    // a fresh issuer first evaluated as of a day long past: its alert would be overdue at once
    const fresh = await insertIssuer(t.dataSource, { name: '上海测试健身新有限公司' });
    const long = await svc.evaluate('2020-06-30', actor, 'api');
    expect(long).toMatchObject({ alertsOpened: 0, alertsRaised: 0 });
    expect(await count(`SELECT count(*) AS n FROM prepaid_alert WHERE enterprise_id = $1`, [fresh.id])).toBe(
      0,
    );
  });
  it('a signal or report recorded after a day was evaluated is known from the next day (no back-dated rewrite)', async () => {
    const id = issuers[1].id;
    const query = (s: string, p: unknown[]) => t.dataSource.query(s, p);
    const at = async (d: string) =>
      (await loadIssuerFacts(query, d, { ids: [id] }, await sectorBaselines(query, d)))[0];
    const before = (await at(d3)).signals.length;
    const res = await regulator
      .post(`/api/prepaid/issuers/${issuers[1].uscc}/signals`)
      .send({
        kind: 'unreachable',
        occurredOn: addDays(today, -10),
        receivedOn: addDays(today, -10),
        summary: '电话无人接听（补录）',
      })
      .expect(201);
    const [row] = await q(
      `SELECT received_on::text AS r, known_on::text AS k FROM prepaid_signal WHERE id = $1`,
      [res.body.id],
    );
    // today is evaluated already: known from tomorrow, received on the day typed
    expect(row).toEqual({ r: addDays(today, -10), k: addDays(today, 1) });
    expect((await at(d3)).signals).toHaveLength(before);
    expect((await at(today)).signals).toHaveLength(before);
    const rep = await regulator
      .post(`/api/prepaid/issuers/${issuers[1].uscc}/reports`)
      .send({
        periodKind: 'month',
        periodStart: `${addDays(today.slice(0, 8) + '01', -1).slice(0, 8)}01`,
        submittedOn: today,
        balanceFen: 100,
        cardsSoldCount: 1,
        cardsSoldFen: 100,
        redemptionsFen: 0,
      })
      .expect(201);
    const [r2] = await q(`SELECT known_on::text AS k FROM prepaid_report WHERE id = $1`, [rep.body.id]);
    expect(r2.k).toBe(addDays(today, 1));
    expect((await at(today)).reports.find((r) => r.balanceFen === 100)).toBeUndefined();
  });
});
