import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { systemActor } from '../src/audit/actor.js';
import { todayInShanghai } from '../src/common/clock.js';
import { buildUscc } from '../src/common/uscc.js';
import { NightlyScoringJob } from '../src/credit/nightly-scoring.job.js';
import { CreditExplanationService } from '../src/credit/credit-explanation.service.js';
import { CreditHistoryService } from '../src/credit/credit-history.service.js';
import { ScorecardVersionsService } from '../src/credit/scorecard-versions.service.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { TestApp, createTestApp } from './helpers.js';

const USCC = buildUscc('91', '310110', 'HQ000001');
const actor = systemActor('test');

describe('credit history, scores as of a date, snapshots and the nightly job', () => {
  let t: TestApp;
  let scoring: ScoringService;
  let scorecards: ScorecardVersionsService;
  let explanations: CreditExplanationService;
  let judgements: CreditHistoryService;
  let recordId: number;
  beforeAll(async () => {
    t = await createTestApp({ SCORING_LOCK_WAIT_SECONDS: '1' });
    scoring = t.app.get(ScoringService);
    scorecards = t.app.get(ScorecardVersionsService);
    explanations = t.app.get(CreditExplanationService);
    judgements = t.app.get(CreditHistoryService);
    await t.admin.post('/api/enterprises').send({ uscc: USCC, name: '上海历史测试有限公司' }).expect(201);
  });
  afterAll(() => t.close());

  it('keeps every tier change with its reasons, newest first (the first classification included)', async () => {
    const first = await t.admin.get(`/api/enterprises/${USCC}/credit/history`).expect(200);
    expect(first.body).toHaveLength(1);
    expect(first.body[0]).toMatchObject({ fromTier: null, toTier: 'A', toScore: 100, modelVersion: 'v3' });
    const rec = await t.admin
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({
        kind: 'administrative_penalty',
        recordDate: '2026-06-01',
        sourceDepartment: '杨浦区市场监督管理局',
        decisionNo: '沪市监杨处〔2026〕77号',
        procedure: 'general',
        penaltyTypes: ['fine', 'production_suspension'], // 责令停产停业: a severe penalty
        fineFen: 5000000,
      })
      .expect(201);
    recordId = rec.body.record.id;
    const after = await t.admin.get(`/api/enterprises/${USCC}/credit/history`).expect(200);
    expect(after.body).toHaveLength(2);
    expect(after.body[0]).toMatchObject({ fromTier: 'A', toTier: 'C', fromScore: 100, toScore: 70 });
    expect(after.body[0].toTierLabel).toEqual({ zh: '信用风险较高', en: 'elevated risk' });
    expect(after.body[0].reasons[0]).toMatchObject({
      code: 'penalty_severe_1y',
      zh: '近1年严重行政处罚',
      points: -30,
    });
    // a full rescoring records only changes
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM credit_tier_change`))[0].n;
    await scoring.rescoreAll(undefined, undefined, actor);
    const runs = await t.admin.get('/api/scoring-runs?pageSize=1').expect(200);
    expect(runs.body[0]).toMatchObject({
      scope: 'all',
      modelVersion: 'v3',
      enterprises: 1,
      tierCounts: { C: 1 },
    });
    expect(runs.body[0].tierShares).toEqual({ A: 0, B: 0, C: 1, D: 0 });
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM credit_tier_change`))[0].n).toBe(before);
  });

  it('says which rule decided the tier: the score against the cut-offs, or the hard rule that overrode it', async () => {
    // USCC: 70 points, tier C by score (C's cut-off 55, B's 75)
    for (const path of ['credit', 'credit/explain']) {
      const d = (await t.admin.get(`/api/enterprises/${USCC}/${path}`).expect(200)).body.tierDecision;
      expect(d).toMatchObject({
        decidedBy: 'score',
        tier: 'C',
        score: 70,
        scoreTier: 'C',
        scoreTierMinScore: 55,
        nextBetter: { tier: 'B', minScore: 75 },
        hardRule: null,
        hardRules: [],
      });
      expect(d.cutOffs.map((c: { tier: string; minScore: number }) => `${c.tier}${c.minScore}`)).toEqual([
        'A90',
        'B75',
        'C55',
        'D0',
      ]);
      expect(d.summary.en).toBe("score 70 reaches C's cut-off 55 and is below B's 75: tier C by score");
    }
    // a judgment defaulter at 80 points: B by score, C by the hard rule
    const defaulter = buildUscc('91', '310110', 'HQ000005');
    await t.admin
      .post('/api/enterprises')
      .send({ uscc: defaulter, name: '上海失信测试有限公司' })
      .expect(201);
    await t.admin
      .post(`/api/enterprises/${defaulter}/credit-records`)
      .send({ kind: 'judgment_defaulter', recordDate: '2026-06-01', sourceDepartment: '杨浦区人民法院' })
      .expect(201);
    const view = (await t.admin.get(`/api/enterprises/${defaulter}/credit`).expect(200)).body;
    const explained = (await t.admin.get(`/api/enterprises/${defaulter}/credit/explain`).expect(200)).body;
    expect(view).toMatchObject({ score: 80, tier: 'C' });
    expect(explained.tierDecision).toEqual(view.tierDecision);
    expect(view.tierDecision).toMatchObject({
      decidedBy: 'hard_rule',
      tier: 'C',
      scoreTier: 'B',
      scoreTierMinScore: 75,
      nextBetter: { tier: 'A', minScore: 90 },
      hardRule: {
        code: 'override:judgment_defaulter',
        indicator: 'judgment_defaulter',
        minTier: 'C',
        decisive: true,
      },
    });
    expect(view.tierDecision.summary.en).toMatch(
      /which alone gives tier B; hard rule "judgment defaulter: at least tier C"/,
    );
    const schemas = (await t.admin.get('/docs-json').expect(200)).body.components.schemas;
    for (const name of ['CreditStatusView', 'ScoreExplanationView'])
      expect(schemas[name].properties.tierDecision).toEqual({
        description: 'which rule decided the tier',
        allOf: [{ $ref: '#/components/schemas/TierDecisionView' }],
      });
    expect(schemas.TierDecisionView.properties.decidedBy.enum).toEqual(['score', 'hard_rule']);
    expect(schemas.TierDecisionView.properties.cutOffs.items).toEqual({
      $ref: '#/components/schemas/CutOffView',
    });
  });

  it('explains a score as of any date: indicators, points, labels and the records behind them', async () => {
    const now = await t.admin.get(`/api/enterprises/${USCC}/credit/explain`).expect(200);
    expect(now.body).toMatchObject({ uscc: USCC, score: 70, tier: 'C', modelVersion: 'v3' });
    expect(now.body.indicators).toEqual([
      expect.objectContaining({ code: 'penalty_severe_1y', value: 1, points: -30, records: [recordId] }),
    ]);
    expect(now.body.records).toEqual([
      expect.objectContaining({
        id: recordId,
        kind: 'administrative_penalty',
        indicators: ['penalty_severe_1y'],
        // until when it counts: the scorecard's 1-3 year window (penalty_severe_1to3y) ends the day
        // before its 3-year publication period does
        counting: { until: '2029-05-31', reason: '计入信用评价至2029年5月31日' },
        publicationLastDay: '2029-06-01',
      }),
    ]);
    const before = await t.admin.get(`/api/enterprises/${USCC}/credit/explain?asOf=2026-05-31`).expect(200);
    expect(before.body).toMatchObject({ score: 100, tier: 'A', indicators: [], records: [] });
    // records dated later cannot exist yet: a day after today (Asia/Shanghai) is refused
    const tomorrow = new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) + 86400000)
      .toISOString()
      .slice(0, 10);
    const later = await t.admin.get(`/api/enterprises/${USCC}/credit/explain?asOf=${tomorrow}`).expect(422);
    expect(later.body.errors).toEqual([
      {
        field: 'asOf',
        reason: expect.stringMatching(
          new RegExp(`^${tomorrow} is after today \\(${todayInShanghai()}, Asia/Shanghai\\)`),
        ),
      },
    ]);
    await t.admin.get(`/api/enterprises/${USCC}/credit/explain?asOf=2027-09-01`).expect(422);
    await t.admin.get(`/api/enterprises/${USCC}/credit/explain?asOf=${todayInShanghai()}`).expect(200);
    await t.admin.get(`/api/enterprises/${USCC}/credit/explain?asOf=2026-02-30`).expect(422);
    const young = buildUscc('91', '310110', 'HQ000004');
    await t.admin
      .post('/api/enterprises')
      .send({ uscc: young, name: '上海新设测试有限公司', establishedOn: '2026-10-01' })
      .expect(201);
    const early = await t.admin.get(`/api/enterprises/${young}/credit/explain?asOf=2026-09-01`).expect(422);
    expect(early.body.errors[0]).toMatchObject({
      field: 'asOf',
      reason: expect.stringMatching(/established on 2026-10-01/),
    });
  });

  it('uses the scorecard version in force on the date; switching is audited and rescored', async () => {
    const today = todayInShanghai();
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
    const r = await scorecards.activateScorecard('v1', actor);
    expect(r).toMatchObject({ before: 'v3', after: 'v1', run: { asOf: today, modelVersion: 'v1' } });
    expect((await explanations.scoreAsOf(USCC, yesterday)).modelVersion).toBe('v3');
    expect((await explanations.scoreAsOf(USCC, today)).modelVersion).toBe('v1');
    expect((await explanations.scoreAsOf(USCC, '1950-01-01')).modelVersion).toBe('v3');
    // a batch as of yesterday scores with the version in force yesterday, like the explanation
    expect((await scoring.rescoreAll(yesterday, undefined, actor)).modelVersion).toBe('v3');
    const [entry] = await t.dataSource.query(
      `SELECT before, after FROM audit_log WHERE action = 'scorecard.activate' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry).toEqual({ before: { active: 'v3' }, after: { active: 'v1' } });
    await scorecards.activateScorecard('v3', actor);
    expect((await explanations.scoreAsOf(USCC, today)).modelVersion).toBe('v3');
    await expect(scorecards.activateScorecard('v3', actor)).rejects.toThrow(/already active/);
    await scoring.rescoreAll(undefined, undefined, actor);
  });

  it('a switch whose rescoring fails is not stored: the previous version stays, nothing is audited', async () => {
    const count = async (sql: string) => (await t.dataSource.query(sql))[0].n as number;
    const activations = await count(`SELECT count(*)::int AS n FROM scorecard_activation`);
    const audited = await count(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'scorecard.activate'`,
    );
    const runs = await count(`SELECT count(*)::int AS n FROM scoring_run`);
    // the rescoring fails at its last write
    await t.dataSource.query(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test: scores refused'; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_refuse BEFORE INSERT ON credit_score FOR EACH STATEMENT EXECUTE FUNCTION test_refuse()`,
    );
    try {
      await expect(scorecards.activateScorecard('v1', actor)).rejects.toThrow(/scores refused/);
    } finally {
      await t.dataSource.query(`DROP TRIGGER test_refuse ON credit_score`);
      await t.dataSource.query(`DROP FUNCTION test_refuse()`);
    }
    expect((await scorecards.activeScorecard()).version).toBe('v3');
    expect((await explanations.scoreAsOf(USCC, todayInShanghai())).modelVersion).toBe('v3');
    expect(await count(`SELECT count(*)::int AS n FROM scorecard_activation`)).toBe(activations);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scorecard.activate'`)).toBe(
      audited,
    );
    expect(await count(`SELECT count(*)::int AS n FROM scoring_run`)).toBe(runs);
  });

  it('posts for one enterprise at the same time: every record counts, every change is recorded once', async () => {
    const uscc = buildUscc('91', '310110', 'HQ000002');
    await t.admin.post('/api/enterprises').send({ uscc, name: '上海并发测试有限公司' }).expect(201);
    const body = {
      kind: 'inspection_result',
      recordDate: todayInShanghai(),
      sourceDepartment: '杨浦区市场监督管理局',
      outcome: 'problems_found',
      details: { severe: 1 },
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.admin.post(`/api/enterprises/${uscc}/credit-records`).send(body)),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const stored = (await t.admin.get(`/api/enterprises/${uscc}/credit`).expect(200)).body;
    const explained = (await t.admin.get(`/api/enterprises/${uscc}/credit/explain`).expect(200)).body;
    expect(stored.score).toBe(explained.score); // 100 - 20 * sqrt(5), at most 60 off: 55.28
    expect(stored.score).toBeCloseTo(100 - 20 * Math.sqrt(5), 2);
    const history = (await t.admin.get(`/api/enterprises/${uscc}/credit/history`).expect(200)).body;
    const changes = history.map(
      (h: { fromTier: string | null; toTier: string }) => `${h.fromTier}->${h.toTier}`,
    );
    expect(new Set(changes).size).toBe(changes.length); // no change recorded twice
    expect(history[0].toTier).toBe(stored.tier);
  });

  it('takes the monthly snapshot with the inputs digest and every indicator; a month taken again is replaced', async () => {
    const s1 = await judgements.takeSnapshot('2026-11-17', actor);
    expect(s1.month).toBe('2026-11-01');
    const [snap] = await t.dataSource.query(
      `SELECT s.tier, s.score, s.inputs_digest, s.indicators FROM credit_snapshot s JOIN enterprise e ON e.id = s.enterprise_id WHERE e.uscc = $1`,
      [USCC],
    );
    const [rec] = await t.dataSource.query(`SELECT id, record_date FROM credit_record WHERE id = $1`, [
      recordId,
    ]);
    expect(snap).toMatchObject({ tier: 'C', score: 70, indicators: [['penalty_severe_1y', 1, -30]] });
    expect(snap.inputs_digest).toBe(createHash('md5').update(`${rec.id}:${rec.record_date}`).digest('hex'));
    const api = await t.admin.get(`/api/enterprises/${USCC}/credit/snapshots`).expect(200);
    expect(api.body[0]).toMatchObject({
      month: '2026-11-01',
      tier: 'C',
      score: 70,
      inputsDigest: snap.inputs_digest,
    });
    expect(api.body[0].indicators[0]).toMatchObject({
      code: 'penalty_severe_1y',
      zh: '近1年严重行政处罚',
      points: -30,
    });
    const s2 = await judgements.takeSnapshot('2026-11-30', actor);
    expect(s2.enterprises).toBe(s1.enterprises);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM credit_snapshot WHERE month = '2026-11-01'`,
    );
    expect(n).toBe(s1.enterprises);
  });

  it('the nightly job rescores, snapshots a month once, and skips while another instance runs it', async () => {
    const job = t.app.get(NightlyScoringJob);
    // past days (a score is stored only as of today or earlier), in a month without a snapshot
    const first = await job.run('2026-10-01');
    expect(first).toMatchObject({ snapshot: '2026-10-01' });
    expect(await job.run('2026-10-02')).toMatchObject({ snapshot: null });
    const other = await t.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('nightly_scoring'))`);
      expect(await job.run('2026-10-03')).toBeNull();
      await other.query(`SELECT pg_advisory_unlock(hashtext('nightly_scoring'))`);
    } finally {
      await other.release();
    }
    const actions = await t.dataSource.query(
      `SELECT action, actor FROM audit_log WHERE actor = 'scheduler' ORDER BY seq`,
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'credit_score.rescore_all',
      'credit_snapshot.take',
      'credit_score.rescore_all',
    ]);
  });

  it('a record posted during a full rescoring waits at most SCORING_LOCK_WAIT_SECONDS, then 503 with nothing stored', async () => {
    const uscc = buildUscc('91', '310110', 'HQ000003');
    await t.admin.post('/api/enterprises').send({ uscc, name: '上海等待测试有限公司' }).expect(201);
    const body = {
      kind: 'complaint',
      recordDate: '2026-11-01',
      sourceDepartment: '杨浦区市场监督管理局',
      channel: '12315',
      subject: 'x',
    };
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('credit_score'))`); // as a full run holds it
      const started = Date.now();
      const res = await t.admin.post(`/api/enterprises/${uscc}/credit-records`).send(body).expect(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.body.message).toMatch(/full rescoring is running/);
      await other.query(`SELECT pg_advisory_unlock(hashtext('credit_score'))`);
    } finally {
      await other.release();
    }
    expect((await t.admin.get(`/api/enterprises/${uscc}/credit-records`).expect(200)).body).toHaveLength(0);
    await t.admin.post(`/api/enterprises/${uscc}/credit-records`).send(body).expect(201);
  });
});
