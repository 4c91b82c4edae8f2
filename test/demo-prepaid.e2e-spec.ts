import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '../src/audit/actor.js';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { YANGPU_STREETS, loadDemoPrepaid } from '../src/demo/demo-prepaid.js';
import { EvaluationService } from '../src/prepaid/evaluation/evaluation.service.js';
import { TestApp, createTestApp } from './helpers.js';

/** The demo prepaid issuers (issue 14): what the daily evaluation and the pages find on the demo data. */
describe('demo prepaid issuers', () => {
  let t: TestApp;
  const today = todayInShanghai();
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemoData(t.app, 200, false, systemActor('test'));
  });
  afterAll(() => t.close());
  /** The USCC of the demo issuer of `story` (prepaid_issuer.source_key demo-<story>-<n>). */
  const storyUscc = async (story: string): Promise<string> => {
    const [r] = await t.dataSource.query(
      `SELECT e.uscc FROM prepaid_issuer i JOIN enterprise e ON e.id = i.enterprise_id WHERE i.source_key LIKE $1`,
      [`demo-${story}-%`],
    );
    return (r.uscc as string).trim();
  };

  it('up to 30 of the register prepaid issuers on Yangpu streets, gyms and salons mostly, three years of reports up to the last period, scored', async () => {
    const list = await t.admin.get('/api/prepaid/issuers?pageSize=100').expect(200);
    // the register's own prepaid issuers (no enterprise added: the register's counts stay as generated)
    const [{ n: candidates }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM enterprise WHERE prepaid_issuer AND status = 'active'
          AND (established_on IS NULL OR established_on <= $1::date - 120)`,
      [today],
    );
    expect(list.body.total).toBe(Math.min(30, candidates));
    expect(list.body.total).toBeGreaterThanOrEqual(20);
    const [{ n: all }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM enterprise`);
    expect(all).toBe(200);
    const sectors = list.body.items.map((x: { sector: string }) => x.sector);
    expect(sectors.filter((s: string) => s === 'fitness' || s === 'beauty_hair').length).toBeGreaterThan(
      list.body.total / 2,
    );
    for (const x of list.body.items) expect(YANGPU_STREETS).toContain(x.street);
    const [r] = await t.dataSource.query(
      `SELECT count(*)::int AS n, min(period_start)::text AS first, max(period_end)::text AS last FROM prepaid_report`,
    );
    expect(r.n).toBeGreaterThan(list.body.total * 7);
    expect(r.first <= addDays(today, -1000)).toBe(true);
    expect(r.last >= addDays(today, -95)).toBe(true);
    const [e] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id WHERE e.prepaid_issuer`,
    );
    expect(e.n).toBeGreaterThanOrEqual(list.body.total);
  });

  it('the drifting ones: a closure notice less than 30 days ahead, escrow falling short, a discount blitz, a silent one', async () => {
    const closing = await storyUscc('closing');
    const signals = await t.admin.get(`/api/prepaid/issuers/${closing}/signals?pageSize=100`).expect(200);
    const notice = signals.body.items.find((s: { kind: string }) => s.kind === 'closure_notice');
    expect(notice.effectiveOn > today && notice.effectiveOn < addDays(today, 30)).toBe(true);
    expect(
      signals.body.items.filter((s: { kind: string }) => s.kind === 'complaint').length,
    ).toBeGreaterThanOrEqual(6);
    const reports = await t.admin.get(`/api/prepaid/issuers/${closing}/reports?pageSize=100`).expect(200);
    const [latest] = reports.body.items;
    const oldest = reports.body.items.at(-1);
    const share = (x: {
      escrowBalanceFen: number | null;
      insuranceCoverFen: number | null;
      balanceFen: number;
    }) => (x.escrowBalanceFen ?? x.insuranceCoverFen ?? 0) / x.balanceFen;
    expect(share(latest)).toBeLessThan(0.2);
    expect(share(oldest)).toBeGreaterThan(0.4);
    const short = await t.admin.get(`/api/prepaid/issuers/${await storyUscc('escrow_short')}`).expect(200);
    expect(short.body.payeeAccounts).toHaveLength(2);
    const blitz = await t.admin.get(`/api/prepaid/issuers/${await storyUscc('blitz')}/reports`).expect(200);
    expect(blitz.body.items[0]).toMatchObject({ deepestDiscountPct: 65, longestTermMonths: 60 });
    const silent = await t.admin.get(`/api/prepaid/issuers/${await storyUscc('silent')}`).expect(200);
    expect(silent.body.guaranteeKind).toBe('none');
    const silentReports = await t.admin
      .get(`/api/prepaid/issuers/${await storyUscc('silent')}/reports`)
      .expect(200);
    expect(silentReports.body.items[0].periodEnd < addDays(today, -150)).toBe(true);
    // loading again adds nothing
    expect(await loadDemoPrepaid(t.app, systemActor('test'))).toBe(0);
  });

  it('evaluated: the drifting ones alert, no healthy one does; the closing gym was not red a year ago', async () => {
    const svc = t.app.get(EvaluationService);
    await svc.evaluate(today, systemActor('test'), 'cli');
    const rows: { story: string; level: string; alerts: number }[] = await t.dataSource.query(
      `SELECT split_part(i.source_key, '-', 2) AS story, i.current_level AS level,
              (SELECT count(*)::int FROM prepaid_alert a WHERE a.enterprise_id = i.enterprise_id) AS alerts
       FROM prepaid_issuer i WHERE i.source_key LIKE 'demo-%'`,
    );
    const drifting = rows.filter((x) => x.story !== 'healthy');
    expect(drifting.map((x) => x.story).sort()).toEqual(['blitz', 'closing', 'escrow_short', 'silent']);
    for (const x of drifting) {
      expect(['orange', 'red']).toContain(x.level);
      expect(x.alerts).toBe(1);
    }
    for (const x of rows.filter((y) => y.story === 'healthy')) expect(x.alerts).toBe(0);
    const trend = await svc.trend(await storyUscc('closing'));
    const yearAgo = trend.points.find((p) => p.asOf >= addDays(today, -365) && p.asOf < addDays(today, -330));
    expect(yearAgo?.level).toBe('none');
    expect(trend.points.at(-1)?.level).toBe('red');
  });
});
