import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemActor } from '../src/audit/actor.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { V4_PARAMETERS } from '../src/credit/rules/default-scorecard.js';
import { BOSTON_SOURCE, evaluateBoston, importBoston } from '../src/evaluation/boston-evaluation.js';
import { tuneBoston } from '../src/evaluation/boston-tuning.js';
import { SHARED_DATA, TestApp, createTestApp, hasSharedData } from './helpers.js';

const actor = systemActor('test');
const BOSTON = path.join(SHARED_DATA, 'boston-inspections/inspections-2006-2013.csv');

describe('Boston evaluation on a small file', () => {
  let t: TestApp;
  let file: string;
  beforeAll(async () => {
    t = await createTestApp();
    file = path.join(mkdtempSync(path.join(tmpdir(), 'boston-')), 'inspections.csv');
    writeFileSync(
      file,
      [
        'inspection_id,date,restaurant_id,minor,major,severe',
        // r1: a bad inspection, then a routine one 182 days later (evaluated, problems)
        '1,2012-01-01,r1,3,1,2',
        '2,2012-07-01,r1,0,0,1',
        // r1 follow-up 30 days later: not routine, not evaluated
        '3,2012-07-31,r1,0,0,0',
        // r2: clean history, routine clean inspection (evaluated, no problems)
        '4,2011-06-01,r2,1,0,0',
        '5,2012-06-01,r2,0,0,0',
        // r3: first inspection ever (no previous: not evaluated)
        '6,2012-05-01,r3,0,0,3',
        // refused rows
        '7,2012-13-01,r4,0,0,0',
        '8,2012-02-01,r5,x,0,0',
        '9,2012-03-01,r6,,0,0',
        '1,2012-03-01,r7,0,0,0',
        '10,2099-03-01,r8,0,0,0',
      ].join('\n') + '\n',
    );
  });
  afterAll(() => t.close());

  it('imports establishments and inspections through the importers, once; bad rows refused by line', async () => {
    const first = await importBoston(t.app, file, actor);
    expect(first.register.inserted).toBe(3);
    expect(first.records).toMatchObject({ inserted: 6, rejected: 5 });
    expect(first.records.firstRejected.map((r) => [r.line, r.field])).toEqual([
      [8, 'recordDate'],
      [9, 'minor'],
      [10, 'minor'],
      [11, 'inspection_id'],
      [12, 'recordDate'],
    ]);
    const again = await importBoston(t.app, file, actor);
    expect(again.records).toMatchObject({ inserted: 0, unchanged: 6 });
    const [rec] = await t.dataSource.query(
      `SELECT kind, outcome, details FROM credit_record WHERE source_system = $1 AND source_key = '1'`,
      [BOSTON_SOURCE],
    );
    expect(rec).toEqual({
      kind: 'inspection_result',
      outcome: 'problems_found',
      details: { minor: 3, major: 1, severe: 2 },
    });
  });

  it('scores as of the day before with recency-weighted findings (v2 and v3: 20 points per unit of the square root)', async () => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM enterprise WHERE source_key = 'r1'`);
    const scoring = t.app.get(ScoringService);
    // as of 2012-06-30: one inspection 181 days old, severe 2 + 0.3 major 1 + 0.1 minor 3 = 2.6
    const v = Math.sqrt(0.5 ** (181 / 365.25 / 0.5) * 2.6);
    const r = await scoring.computeScore(t.dataSource.manager, id, '2012-06-30');
    expect(r.score).toBeCloseTo(100 - 20 * v, 2);
    expect(r.reasons[0]).toMatchObject({ code: 'inspection_violations' });
    expect(r.reasons[0]!.value).toBeCloseTo(v, 6);
    // records dated after the as-of day do not count
    expect((await scoring.computeScore(t.dataSource.manager, id, '2011-12-31')).score).toBe(100);
  });

  it('evaluates only routine inspections with a previous one, and reports per tier', async () => {
    const r = await evaluateBoston(t.app, '2012-01-01', '2013-01-01');
    expect(r.modelVersion).toBe('v3');
    expect(r.model.cases).toBe(2); // r1 2012-07-01 and r2 2012-06-01
    expect(r.model.problems).toBe(1);
    expect(r.model.auc).toBe(1); // r1 (bad history) is riskier than r2
    expect(r.baselines.lastFailed.auc).toBe(1);
    expect(r.text).toMatch(/evaluated inspections: 2/);
    expect(r.byQuarter).toEqual([
      expect.objectContaining({ period: '2012-Q2', cases: 1, problems: 0 }),
      expect.objectContaining({ period: '2012-Q3', cases: 1, problems: 1 }),
    ]);
    // each quarter holds one outcome only: no stratified AUC, both quarters named as left out
    expect(r.stratified.model).toEqual({ auc: NaN, cases: 0, excluded: ['2012-Q2', '2012-Q3'] });
    expect(r.summary).toBe('summary: stratified AUC — (— over the better baseline), D/A lift —');
    expect(r.text).toMatch(/quarters with a single outcome left out: 2012-Q2, 2012-Q3/);
    const v1 = await evaluateBoston(t.app, '2012-01-01', '2013-01-01', 'v1');
    expect(v1.modelVersion).toBe('v1');
    await expect(evaluateBoston(t.app, '2012-01-01', '2013-01-01', 'v9')).rejects.toThrow(
      /v9 does not exist/,
    );
  });

  it('refuses to import into a database that holds other enterprises', async () => {
    await t.admin
      .post('/api/enterprises')
      .send({ uscc: '91310115MA1FL8Q20P', name: '上海真实企业有限公司' })
      .expect(201);
    await expect(importBoston(t.app, file, actor)).rejects.toThrow(/database of its own/);
  });
});

(hasSharedData ? describe : describe.skip)('Boston evaluation on the real inspections 2006-2013', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await importBoston(t.app, BOSTON, actor);
  }, 120000);
  afterAll(() => t.close());

  it('2012-2013: the model orders better than both baselines, rates rise A to D, every tier holds 5%', async () => {
    const r = await evaluateBoston(t.app, '2012-01-01', '2014-01-01');
    expect(r.model.cases).toBe(5306);
    expect(r.model.problems).toBe(1485);
    expect(r.baselines.lifetimeShare.auc).toBeCloseTo(0.589, 3);
    expect(r.baselines.lastFailed.auc).toBeCloseTo(0.553, 3);
    expect(r.model.auc).toBeGreaterThan(r.baselines.lifetimeShare.auc + 0.04);
    expect(r.model.monotonic).toBe(true);
    expect(r.model.minTierShare).toBeGreaterThanOrEqual(0.05);
    expect(r.model.lift).toBeGreaterThan(r.baselines.lifetimeShare.lift);
    // by quarter: every inspection in one quarter; the year-end campaigns (docs/evaluation.md)
    // fail far less often than the other quarters
    expect(r.byQuarter.map((q) => q.period)).toEqual(
      ['2012', '2013'].flatMap((y) => [1, 2, 3, 4].map((n) => `${y}-Q${n}`)),
    );
    expect(r.byQuarter.reduce((a, q) => a + q.cases, 0)).toBe(5306);
    expect(r.byQuarter.reduce((a, q) => a + q.problems, 0)).toBe(1485);
    const q4 = r.byQuarter.find((q) => q.period === '2012-Q4')!;
    expect(q4.rate).toBeLessThan(0.15);
    expect(r.byQuarter.find((q) => q.period === '2012-Q2')!.rate).toBeGreaterThan(0.35);
    expect(q4.auc.model).toBeGreaterThan(0.65);
    expect(r.text).toMatch(/^2012-Q4 /m);
    // the headline (issue 15): within each quarter, weighted by its inspections
    expect(r.stratified.model.auc).toBeCloseTo(0.655, 3);
    expect(r.stratified.lifetimeShare.auc).toBeCloseTo(0.605, 3);
    expect(r.stratified.lastFailed.auc).toBeCloseTo(0.576, 3);
    expect(r.stratified.model.excluded).toEqual([]);
    const weighted = r.byQuarter.reduce((a, q) => a + q.auc.model! * q.cases, 0) / 5306;
    expect(r.stratified.model.auc).toBeCloseTo(weighted, 12);
    expect(r.summary).toMatch(
      /^summary: stratified AUC 0\.655 \(\+0\.05\d over the better baseline\), D\/A lift 2\.88$/,
    );
    expect(r.text).toContain(r.summary);
  });

  it('v4 beside v3 on 2012-2013: every tier holds at least 12 %, rates rise A to D', async () => {
    const r = await evaluateBoston(t.app, '2012-01-01', '2014-01-01', 'v4');
    expect(r.modelVersion).toBe('v4');
    expect(r.stratified.model.auc).toBeCloseTo(0.655, 3);
    expect(r.model.lift).toBeCloseTo(2.84, 2);
    expect(r.model.monotonic).toBe(true);
    expect(r.model.minTierShare).toBeGreaterThan(0.12);
  });

  it('the walk-forward choice on the years before 2012 gives the shipped v4 (repeatable), reading nothing after', async () => {
    const r = await tuneBoston(t.app, '2012-01-01');
    expect(r.periods.map((p) => [p.period, p.cases])).toEqual([
      ['2009', 2144],
      ['2010', 2174],
      ['2011', 2244],
    ]);
    expect(r.choice.ranking).toHaveLength(96);
    expect(r.choice.chosen!.params).toEqual(V4_PARAMETERS);
    expect(r.matchesShipped).toBe(true);
    // v3's own parameters are refused: tier D falls under 10 % in 2011
    const v3 = r.choice.ranking.find((c) => c.key === 'hl0.5-s20-w0-d55')!;
    expect(v3.refused).toEqual([expect.stringMatching(/^2011: smallest tier 8\.0% < 10%$/)]);
    expect(r.text).toMatch(/chosen: hl0\.5-s25-w0-d50 \(the parameters of the shipped v4\)/);
    // a later --before moves the tuning years with it: nothing is assumed about the years
    expect((await tuneBoston(t.app, '2013-01-01', 2)).periods.map((p) => p.period)).toEqual(['2011', '2012']);
  });
});
