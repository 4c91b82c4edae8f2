/**
 * Benchmark of the daily prepaid-risk evaluation (issue 14 "Speed"): N prepaid issuers (default 50,000),
 * each with one store, two years of monthly reports (24 a issuer), a few signals (complaints,
 * promotions, a share with closure notices, payee changes, unpaid wages) and some penalties; then the
 * evaluation of all as of one day through the service (EvaluationService.evaluate: the facts loader's
 * set-based queries per batch, the pure rules, the per-batch writes of levels and alerts), timed.
 * Target: < 30 s. Also a rerun of the same day (answers the finished run), one issuer's explanation
 * and its 24-month trend.
 *
 *   npm run bench:prepaid                                   # N = 50,000, embedded PostgreSQL
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:prepaid
 *   npm run bench:prepaid -- --n 10000 --batch 5000
 *
 * Data is generated in SQL (generate_series), not through the importers: the evaluation is measured,
 * not the loading. A database `bench_prepaid_<ms>` is created on DATABASE_URL's server (or an embedded
 * one) and dropped afterwards unless --keep. Prints figures (docs/performance.md).
 */
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { loadavg } from 'node:os';
import { systemActor } from '../src/audit/actor.js';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/configuration.js';
import { EvaluationService } from '../src/prepaid/evaluation/evaluation.service.js';
import { benchDatabase } from './bench-database.js';
import { serverSettings } from './server-report.js';

const opts = new Command('bench:prepaid')
  .option('--n <n>', 'prepaid issuers', (v) => Number(v), 50_000)
  .option('--batch <n>', 'issuers per batch of the evaluation', (v) => Number(v), 2000)
  .option('--as-of <date>', 'the day evaluated', '2026-11-30')
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54371)
  .option('--prefix <prefix>', 'name of the database made for the run, before `_<ms>`', 'bench_prepaid')
  .option('--keep', 'keep the database', false)
  .parse()
  .opts<{ n: number; batch: number; asOf: string; port: number; prefix: string; keep: boolean }>();

const secs = (ms: number) => (ms / 1000).toFixed(2) + ' s';

async function main(): Promise<void> {
  const db = await benchDatabase(opts.prefix, opts.port);
  const results: Record<string, unknown> = {
    n: opts.n,
    batch: opts.batch,
    asOf: opts.asOf,
    server: db.server,
  };
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ databaseUrl: db.url, config: loadConfig({ ...process.env, DEMO_DATA: 'off' }) }),
    { logger: ['error', 'warn'] },
  );
  const ds = app.get(DataSource);
  try {
    const server = await serverSettings((sql, params) => ds.query(sql, params));
    results.version = server.version.split(' on ')[0]!;
    console.log(`server: ${server.version} (${db.server})`);
    for (const [k, v] of Object.entries(server.settings)) console.log(`  ${k} = ${v}`);

    let t = Date.now();
    const n = opts.n;
    await ds.query(
      `INSERT INTO enterprise (uscc, name, industry_code, street, established_on, prepaid_issuer)
       SELECT '92310110' || lpad(i::text, 9, '0') || 'Y', '基准预付卡企业' || i, 'O8011',
              (ARRAY['五角场街道','殷行街道','控江路街道','四平路街道','长白新村街道','大桥街道','平凉路街道','江浦路街道','延吉新村街道','定海路街道','新江湾城街道','长海路街道'])[1 + i % 12],
              DATE '2018-01-01' + (i % 2000)::int, true
       FROM generate_series(1, $1) AS i`,
      [n],
    );
    await ds.query(
      `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
       SELECT id, 70, CASE WHEN id % 100 < 35 THEN 'A' WHEN id % 100 < 80 THEN 'B' WHEN id % 100 < 95 THEN 'C' ELSE 'D' END,
              'bench', DATE '2026-01-01', now(), 0, '[]' FROM enterprise`,
    );
    await ds.query(
      `INSERT INTO prepaid_issuer (enterprise_id, sector, guarantee_kind, platform_registered_on, selling_since)
       SELECT id, (ARRAY['beauty_hair','fitness','education_training','catering','laundry','other'])[1 + id % 6],
              (ARRAY['escrow','insurance','bank_guarantee','none'])[1 + id % 4], DATE '2021-01-01', established_on
       FROM enterprise`,
    );
    await ds.query(
      `INSERT INTO prepaid_store (enterprise_id, name, address, street, opened_on, lease_ends_on)
       SELECT e.id, e.name || '一店', '上海市杨浦区基准路' || e.id || '号', e.street, e.established_on,
              CASE WHEN e.id % 17 = 0 THEN DATE '2027-01-15' END
       FROM enterprise e`,
    );
    // 24 monthly reports: a balance that grows for one issuer in ten (drifting), redemptions falling there
    await ds.query(
      `INSERT INTO prepaid_report (enterprise_id, period_kind, period_start, period_end, submitted_on, balance_fen,
         cards_sold_count, cards_sold_fen, max_card_fen, longest_term_months, deepest_discount_pct, redemptions_fen,
         refunds_fen, escrow_balance_fen, revenue_last_year_fen)
       SELECT p.enterprise_id, 'month', m, (m + interval '1 month' - interval '1 day')::date, (m + interval '1 month' + interval '14 days')::date,
              bal, 20 + k, (20 + k) * 150000, 300000, 12, CASE WHEN drift THEN 10 + k * 2 ELSE 10 END,
              CASE WHEN drift THEN greatest(2000000 - k * 80000, 100000) ELSE 2000000 END, 10000,
              CASE WHEN p.guarantee_kind = 'escrow' THEN (bal * CASE WHEN drift THEN 0.3 ELSE 0.5 END)::bigint END, 60000000
       FROM prepaid_issuer p
       CROSS JOIN LATERAL (SELECT p.enterprise_id % 10 = 0 AS drift) d
       CROSS JOIN generate_series(0, 23) AS k
       CROSS JOIN LATERAL (SELECT (DATE '2024-11-01' + make_interval(months => k))::date AS m,
              (CASE WHEN drift THEN 10000000 + k * 1500000 ELSE 10000000 + (k % 3) * 100000 END)::bigint AS bal) x`,
    );
    // signals: complaints (most issuers a few, drifting ones many), promotions, notices, payee changes
    await ds.query(
      `INSERT INTO prepaid_signal (enterprise_id, kind, occurred_on, received_on, amount_fen, effective_on, discount_pct, term_months, summary)
       SELECT p.enterprise_id, 'complaint', d, d + 1, 200000, NULL, NULL, NULL, '基准投诉'
       FROM prepaid_issuer p CROSS JOIN LATERAL generate_series(1, CASE WHEN p.enterprise_id % 10 = 0 THEN 12 ELSE p.enterprise_id % 4 END) AS j
       CROSS JOIN LATERAL (SELECT (DATE '2024-12-01' + ((p.enterprise_id * 37 + j * 53) % 720)::int) AS d) x`,
    );
    await ds.query(
      `INSERT INTO prepaid_signal (enterprise_id, kind, occurred_on, received_on, amount_fen, effective_on, discount_pct, term_months, summary)
       SELECT enterprise_id, kind, d, d + 2, NULL, CASE WHEN kind = 'closure_notice' THEN d + 10 END,
              CASE WHEN kind = 'promotion' THEN 60 END, CASE WHEN kind = 'promotion' THEN 36 END, '基准信号'
       FROM (SELECT enterprise_id,
                    (ARRAY['promotion','payee_change','unpaid_wages','closure_notice','unreachable','promotion'])[1 + enterprise_id % 6] AS kind,
                    (DATE '2025-06-01' + (enterprise_id % 500)::int) AS d
             FROM prepaid_issuer WHERE enterprise_id % 5 = 0) s`,
    );
    await ds.query(
      `INSERT INTO credit_record (enterprise_id, kind, record_date, source_department, polarity, penalty_severity, procedure, penalty_types, decision_no, source_system, source_key)
       SELECT enterprise_id, 'administrative_penalty', DATE '2026-03-01' + j * 30, '杨浦区市场监督管理局', 'negative', 'general', 'general', ARRAY['warning'],
              '沪市监杨处〔2026〕' || enterprise_id || '-' || j || '号', 'bench', 'p' || enterprise_id || '-' || j
       FROM prepaid_issuer CROSS JOIN generate_series(1, 2) AS j WHERE enterprise_id % 25 = 0`,
    );
    await ds.query(`ANALYZE`);
    results.generateMs = Date.now() - t;
    const counts = (
      await ds.query(
        `SELECT (SELECT count(*) FROM prepaid_issuer)::int AS issuers, (SELECT count(*) FROM prepaid_report)::int AS reports,
                (SELECT count(*) FROM prepaid_signal)::int AS signals, (SELECT count(*) FROM credit_record)::int AS records`,
      )
    )[0];
    Object.assign(results, counts);
    console.log(
      `generated ${counts.issuers} issuers, ${counts.reports} reports, ${counts.signals} signals, ${counts.records} credit records in ${secs(results.generateMs as number)}`,
    );

    const evaluation = app.get(EvaluationService);
    const load0 = loadavg()[0];
    t = Date.now();
    const timings = { loadMs: 0, assessMs: 0, writeMs: 0 };
    const run = await evaluation.evaluate(opts.asOf, systemActor('test'), 'cli', {
      batchSize: opts.batch,
      timings,
    });
    results.evaluateMs = Date.now() - t;
    results.timings = timings;
    console.log(
      `  facts loading ${secs(timings.loadMs)}, rules ${secs(timings.assessMs)}, writes ${secs(timings.writeMs)}`,
    );
    results.loadBefore = Math.round(load0 * 100) / 100;
    results.levels = run!.levels;
    results.alertsOpened = run!.alertsOpened;
    console.log(
      `evaluate as of ${opts.asOf}: ${run!.evaluated} issuers in ${secs(results.evaluateMs as number)} (${Math.round(run!.evaluated / ((results.evaluateMs as number) / 1000))}/s); levels ${JSON.stringify(run!.levels)}; ${run!.alertsOpened} alerts opened`,
    );
    t = Date.now();
    const again = await evaluation.evaluate(opts.asOf, systemActor('test'), 'cli');
    results.rerunMs = Date.now() - t;
    console.log(`rerun of the same day: repeated=${again!.repeated} in ${secs(results.rerunMs as number)}`);
    const [{ uscc }] = await ds.query(`SELECT uscc FROM enterprise ORDER BY id LIMIT 1 OFFSET 9`);
    t = Date.now();
    await evaluation.riskAsOf(uscc, opts.asOf);
    results.explainMs = Date.now() - t;
    t = Date.now();
    const trend = await evaluation.trend(uscc, undefined, opts.asOf);
    results.trendMs = Date.now() - t;
    console.log(
      `explain one issuer: ${secs(results.explainMs as number)}; trend (${trend.points.length} points): ${secs(results.trendMs as number)}`,
    );
    console.log(JSON.stringify(results));
  } finally {
    await app.close();
    await db.close(opts.keep);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
