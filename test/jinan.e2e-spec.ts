import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { JinanImportService, JinanReport } from '../src/credit/import/jinan-import.service.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { evaluateJinan } from '../src/evaluation/jinan-evaluation.js';
import { SHARED_DATA, TestApp, createTestApp, hasSharedData } from './helpers.js';

const folder = path.join(SHARED_DATA, 'jinan-enterprise-credit');
if (!hasSharedData) {
  process.stderr.write(`skipping the Jinan import test: ${folder} is absent (shared/data/README.md)\n`);
}

(hasSharedData ? describe : describe.skip)('Jinan enterprise credit data, as published', () => {
  let t: TestApp;
  let report: JinanReport;
  beforeAll(async () => {
    t = await createTestApp();
    report = await t.app.get(JinanImportService).importFolder(folder, '2018-06-30');
  }, 120000);
  afterAll(() => t.close());

  it('reads every table in its encoding', () => {
    expect(report.tables).toHaveLength(17);
    const enc = Object.fromEntries(report.tables.map((x) => [x.file, x.encoding]));
    expect(enc['justice_declare.csv']).toBe('gb18030');
    expect(enc['justice_enforced.csv']).toBe('gb18030');
    expect(enc['justice_judge_new.csv']).toBe('gb18030');
    expect(enc['jn_credit_info.csv']).toBe('utf-8');
  });

  it('registers every company seen in any table, with valid derived codes', async () => {
    expect(report.enterprises.inserted).toBe(64228);
    expect(report.records).toMatchObject({ inserted: 60227, unchanged: 0, rejected: 0 });
    const [{ derived, bad }] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE uscc_derived)::int AS derived, count(*) FILTER (WHERE uscc NOT LIKE '91370100%')::int AS bad FROM enterprise`,
    );
    expect(derived).toBe(64228);
    expect(bad).toBe(0);
  });

  it('parses Chinese-numeral dates and reports the unreadable ones by line', async () => {
    const judge = report.tables.find((x) => x.file === 'justice_judge_new.csv')!;
    expect(judge.rejected.map((r) => r.line)).toEqual([227, 730, 1600, 1627]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM credit_record WHERE kind = 'judicial_case' AND details->>'casetype' IS NOT NULL AND NOT date_estimated AND record_date BETWEEN '2012-01-01' AND '2018-12-31'`,
    );
    expect(n).toBeGreaterThan(1800);
  });

  it('re-importing adds nothing', async () => {
    const again = await t.app.get(JinanImportService).importFolder(folder, '2018-06-30');
    expect(again.enterprises.inserted + again.enterprises.updated).toBe(0);
    expect(again.records.inserted).toBe(0);
  }, 120000);

  it('scores everyone and cross-tabulates tiers with the city grade', async () => {
    const run = await t.app.get(ScoringService).rescoreAll('2018-06-30');
    expect(run.enterprises).toBe(64228);
    const ev = await evaluateJinan(t.app, folder);
    expect(ev.matched).toBe(29038);
    expect(ev.grades).toEqual(expect.arrayContaining(['A', 'A-', 'N', 'N+']));
  }, 120000);
});
