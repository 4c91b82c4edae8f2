/**
 * Benchmark of the regulator home and the draws' reads at scale: GET /api/dashboard,
 * GET /api/draws, GET /api/draws/:id, GET /api/draws/:id/targets (first and last page, by tier)
 * and the CSV download, through the real HTTP application, on a register of N enterprises.
 *
 *   npm run bench:dashboard                      # N = 100,000
 *   npm run bench:dashboard -- --n 1000000       # the target of issue 10 (< 2 s)
 *
 * Builds its data like bench/bench.ts (the demo generator, the operators' importers), then three
 * full rescorings as of the 15th of two months back, last month and today (the first one
 * classifies everyone: a million tier changes this month, the dashboard's heaviest month), and
 * `--single-runs` rows of single rescorings (one per record posted: the scoring_run rows the
 * dashboard must skip). Two draws: the usual ratios and every tier but A whole. Then each read
 * `--repeat` times, p50 and p95 (ms), first right after the writes, then after VACUUM ANALYZE
 * (what autovacuum does later; index-only scans need the visibility map). Uses DATABASE_URL's
 * server (a database `bench_dash_<time>` is created there and dropped), else an embedded one.
 * Prints figures only (docs/performance.md).
 */
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import type { INestApplication } from '@nestjs/common';
import { systemActor } from '../src/audit/actor.js';
import { AuthService } from '../src/auth/auth.service.js';
import { UsersService } from '../src/auth/users.service.js';
import { todayInShanghai } from '../src/common/clock.js';
import { loadConfig } from '../src/config/configuration.js';
import { RecordImportService } from '../src/credit/import/record-import.service.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { monthStart } from '../src/dashboard/rules/dashboard.js';
import { writeDemoCsv } from '../src/demo/generator.js';
import { RegisterImportService } from '../src/enterprises/import/register-import.service.js';
import { createHttpApp } from '../src/http/http-app.js';
import { DrawService } from '../src/inspections/draw.service.js';
import { benchDatabase } from './bench-database.js';
import { serverSettings } from './server-report.js';

const opts = new Command('bench:dashboard')
  .option('--n <n>', 'enterprises', (v) => Number(v), 100000)
  .option('--records-per <k>', 'records per enterprise (average)', (v) => Number(v), 5)
  .option('--single-runs <n>', 'scoring_run rows of single rescorings', (v) => Number(v), 100000)
  .option('--repeat <n>', 'requests per endpoint', (v) => Number(v), 30)
  .option(
    '--http-port <port>',
    'port of the HTTP application',
    (v) => Number(v),
    Number(process.env.PORT ?? 3999),
  )
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54359)
  .option('--keep', 'keep the database and files', false)
  .parse()
  .opts<{
    n: number;
    recordsPer: number;
    singleRuns: number;
    repeat: number;
    httpPort: number;
    port: number;
    keep: boolean;
  }>();

const secs = (ms: number) => (ms / 1000).toFixed(1) + ' s';

/** p50 and p95 of `repeat` timed calls, ms. */
async function timed(repeat: number, call: () => Promise<void>): Promise<{ p50: number; p95: number }> {
  await call(); // warm-up, not counted
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(times.length * q))]! * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const db = await benchDatabase('bench_dash', opts.port);
  const results: Record<string, unknown> = { n: opts.n };
  let app: INestApplication | undefined;
  try {
    let t = Date.now();
    const files = await writeDemoCsv(db.dir, {
      enterprises: opts.n,
      recordsPerEnterprise: opts.recordsPer,
      seed: 'bench-v1',
      asOf: '2026-11-30',
    });
    console.log(
      `generated ${opts.n.toLocaleString('en')} enterprises, ${files.records.toLocaleString('en')} records in ${secs(Date.now() - t)}`,
    );
    const config = loadConfig({
      DEMO_DATA: 'off',
      LOG_LEVEL: 'error',
      THROTTLE_LIMIT: '1000000',
      NIGHTLY_SCORING: 'off',
    });
    app = await createHttpApp(db.url, config);
    await app.listen(opts.httpPort, '127.0.0.1');
    const ds = app.get(DataSource);
    const server = await serverSettings((sql, params) => ds.query(sql, params));
    console.log(`server: ${server.version}`);
    console.log(
      `settings: ${Object.entries(server.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
    results.server = server.version.split(' on ')[0];

    t = Date.now();
    await app.get(RegisterImportService).importFile(files.registerFile);
    await app.get(RecordImportService).importFile(files.recordsFile);
    console.log(`imported in ${secs(Date.now() - t)}`);
    const today = todayInShanghai();
    const scoring = app.get(ScoringService);
    for (const asOf of [
      `${monthStart(today, -2).slice(0, 8)}15`,
      `${monthStart(today, -1).slice(0, 8)}15`,
      today,
    ]) {
      t = Date.now();
      const run = await scoring.rescoreAll(asOf, undefined, systemActor('test'));
      console.log(`full rescoring as of ${asOf}: ${secs(Date.now() - t)} ${JSON.stringify(run.tierCounts)}`);
    }
    await ds.query(
      `INSERT INTO scoring_run (model_version, as_of, scope, finished_at, enterprises, tier_counts)
       SELECT model_version, as_of, 'enterprise', now(), 1, '{"B":1}' FROM scoring_run, generate_series(1, $1)
       WHERE id = (SELECT max(id) FROM scoring_run)`,
      [opts.singleRuns],
    );
    const [{ changes, month }] = await ds.query(
      `SELECT count(*)::int AS changes,
              count(*) FILTER (WHERE changed_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')::int AS month
       FROM credit_tier_change`,
    );
    console.log(
      `tier changes: ${changes.toLocaleString('en')} (${month.toLocaleString('en')} this month); single-rescoring runs: ${opts.singleRuns.toLocaleString('en')}`,
    );
    results.tierChanges = changes;

    const regulator = await app.get(UsersService).create(
      {
        username: 'bench-regulator',
        password: 'Bench-password-2026',
        displayName: '压测',
        role: 'regulator',
        department: 'market',
      },
      systemActor('test'),
    );
    const { accessToken } = await app.get(AuthService).issue(regulator, 0);
    const actor = {
      userId: regulator.id,
      name: regulator.username,
      role: 'regulator',
      department: 'market',
      requestId: null,
    };
    const draws = app.get(DrawService);
    t = Date.now();
    const usual = await draws.draw('bench-1', { A: 0, B: 0.05, C: 0.2, D: 0.6 }, actor, 'bench');
    results.drawUsualMs = Date.now() - t;
    console.log(
      `draw A=0,B=0.05,C=0.2,D=0.6: ${usual.selected.length.toLocaleString('en')} of ${usual.candidates.toLocaleString('en')} in ${secs(results.drawUsualMs as number)}`,
    );
    t = Date.now();
    const whole = await draws.draw('bench-2', { B: 1, C: 1, D: 1 }, actor, 'bench: every tier but A');
    results.drawWholeMs = Date.now() - t;
    console.log(
      `draw B=1,C=1,D=1: ${whole.selected.length.toLocaleString('en')} in ${secs(results.drawWholeMs as number)}`,
    );

    const base = `http://127.0.0.1:${opts.httpPort}`;
    const get = (path: string) => async () => {
      const res = await fetch(base + path, { headers: { Authorization: `Bearer ${accessToken}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const lastD = Math.max(1, Math.ceil(whole.view.perTier.find((p) => p.tier === 'D')!.selected / 100));
    const reads: [string, string, number][] = [
      ['dashboard', '/api/dashboard', opts.repeat],
      ['draws list', '/api/draws', opts.repeat],
      ['one draw', `/api/draws/${whole.drawId}`, opts.repeat],
      ['targets page 1', `/api/draws/${whole.drawId}/targets`, opts.repeat],
      [
        'targets, last page of tier D',
        `/api/draws/${whole.drawId}/targets?tier=D&page=${lastD}`,
        opts.repeat,
      ],
      [
        `list.csv (${whole.selected.length.toLocaleString('en')} rows)`,
        `/api/draws/${whole.drawId}/list.csv`,
        3,
      ],
    ];
    for (const phase of ['after the writes', 'after VACUUM ANALYZE']) {
      if (phase !== 'after the writes')
        for (const table of ['credit_tier_change', 'scoring_run', 'random_draw_item', 'enterprise'])
          // VACUUM needs the table's owner (the service's role owns nothing): the migrating role, or the superuser
          await ds.query(`VACUUM ANALYZE ${table}`).catch((e: Error) => {
            throw new Error(`VACUUM ANALYZE ${table} (run the bench as the tables' owner): ${e.message}`);
          });
      console.log(`reads (${phase}), ms:`);
      for (const [name, path, repeat] of reads) {
        const r = await timed(repeat, get(path));
        results[`${phase === 'after the writes' ? 'cold' : 'vacuumed'} ${name}`] = r;
        console.log(
          `  GET ${path.padEnd(52)} ${name.padEnd(30)} p50 ${String(r.p50).padStart(8)}  p95 ${String(r.p95).padStart(8)}`,
        );
      }
    }
    console.log('BENCH ' + JSON.stringify(results));
  } finally {
    await app?.close();
    await db.close(opts.keep);
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
