/**
 * Benchmark of a plan's draw (issue 11 "Speed and scale"): N enterprises (default 1,000,000) with
 * tiers, 10 items of 3 departments (one full-coverage), 500 inspectors with qualifications and
 * 1,000 approved recusals, one published plan with one batch; then the draw's steps through the
 * service, timed: commit (freezing the four input documents), public value, reveal, run (targets,
 * tasks, inspectors, visits, one transaction) and verify (recomputing everything from the stored
 * inputs). Target: run < 10 s, verify < 10 s.
 *
 *   npm run bench:planning                       # N = 1,000,000, embedded PostgreSQL
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/h3_bench npm run bench:planning
 *   npm run bench:planning -- --n 100000
 *   npm run bench:planning -- --port 55720 --prefix perf_planning   # another port, database name
 *
 * Data is generated in SQL (generate_series), not through the importers: the draw is measured,
 * not the loading. A database `h3_bench_planning_<time>` is created on DATABASE_URL's server (or
 * an embedded one) and dropped afterwards unless --keep. Prints figures (docs/performance.md).
 */
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Actor } from '../src/audit/actor.js';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/configuration.js';
import { PlanDrawsService } from '../src/inspections/plan-draws/plan-draws.service.js';
import { benchDatabase } from './bench-database.js';
import { serverSettings } from './server-report.js';

const opts = new Command('bench:planning')
  .option('--n <n>', 'enterprises', (v) => Number(v), 1_000_000)
  .option('--inspectors <n>', 'inspectors', (v) => Number(v), 500)
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54361)
  .option('--prefix <prefix>', 'name of the database made for the run, before `_<ms>`', 'h3_bench_planning')
  .option('--keep', 'keep the database', false)
  .parse()
  .opts<{ n: number; inspectors: number; port: number; prefix: string; keep: boolean }>();

/** People of the draw: the public value must come from a known user other than the committer. */
const people = new Map<string, number>();
const actor = (name: string): Actor => ({
  userId: people.get(name) ?? null,
  name,
  role: 'system',
  department: null,
  requestId: null,
});
const secs = (ms: number) => (ms / 1000).toFixed(2) + ' s';

/** 10 items: code, department, industries (GB/T 4754 prefixes), statutory checks a year of a full-coverage one. */
const ITEMS: [string, string, string[], number | null][] = [
  ['SC-M01', 'market', [], null],
  ['SC-M02', 'market', ['F'], null],
  ['SC-M03', 'market', ['C'], null],
  ['SC-M04', 'market', ['L', 'M'], null],
  ['SC-H01', 'health', ['H'], 4],
  ['SC-H02', 'health', ['H61', 'H62'], null],
  ['SC-H03', 'health', ['R', 'O'], null],
  ['SC-F01', 'fire', [], null],
  ['SC-F02', 'fire', ['H', 'F'], null],
  ['SC-F03', 'fire', ['C'], null],
];

async function main(): Promise<void> {
  const db = await benchDatabase(opts.prefix, opts.port);
  const results: Record<string, unknown> = { n: opts.n, inspectors: opts.inspectors, server: db.server };
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ databaseUrl: db.url, config: loadConfig() }),
    {
      logger: ['error', 'warn', 'log'],
    },
  );
  const ds = app.get(DataSource);
  try {
    const server = await serverSettings((sql, params) => ds.query(sql, params));
    results.version = server.version.split(' on ')[0]!;
    const [{ assertions, walBuffers, checkpointTimeout, maxWal }] = await ds.query(
      `SELECT current_setting('debug_assertions') AS assertions, current_setting('wal_buffers') AS "walBuffers",
              current_setting('checkpoint_timeout') AS "checkpointTimeout", current_setting('max_wal_size') AS "maxWal"`,
    );
    console.log(
      `settings: ${Object.entries(server.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ', ',
        )}, debug_assertions=${assertions}, wal_buffers=${walBuffers}, checkpoint_timeout=${checkpointTimeout}, max_wal_size=${maxWal}`,
    );
    console.log(`server: ${server.version}`);
    let t = Date.now();
    // the register: industries spread over sections, tiers A 35% B 45% C 15% D 5%, 2% deregistered, 1% suspended
    await ds.query(
      `INSERT INTO enterprise (uscc, name, industry_code, street, status)
       SELECT '91310110' || lpad(i::text, 9, '0') || 'X', '基准企业' || i,
              (ARRAY['F5211','F5261','C1411','C3831','H6210','H6110','L7211','M7320','R8810','O8011','I6510','E4710'])[1 + (i::bigint * 7919) % 12],
              '五角场街道', CASE WHEN i % 50 = 3 THEN 'deregistered' WHEN i % 100 = 7 THEN 'suspended' ELSE 'active' END
       FROM generate_series(1, $1) AS i`,
      [opts.n],
    );
    await ds.query(
      `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
       SELECT id, 70, CASE WHEN h < 35 THEN 'A' WHEN h < 80 THEN 'B' WHEN h < 95 THEN 'C' ELSE 'D' END,
              'bench', DATE '2026-01-01', now(), 0, '[]'
       FROM (SELECT id, (id * 104729) % 100 AS h FROM enterprise) x`,
    );
    await ds.query(`ANALYZE enterprise; ANALYZE credit_score`);
    const itemIds: number[] = [];
    for (const [code, department, industries, perYear] of ITEMS) {
      const [r] = await ds.query(
        `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, industries, requirements, full_coverage, full_coverage_per_year)
         VALUES ($1, $2, $3, '基准', 'on_site', $4, '["检查"]', $5, $6) RETURNING id`,
        [code, `基准事项${code}`, department, industries, perYear !== null, perYear],
      );
      itemIds.push(Number(r.id));
    }
    // inspectors: 40% market, 30% health, 30% fire; each qualified for each item of its department with probability 0.9
    await ds.query(
      `INSERT INTO app_user (username, display_name, password_hash, role, department, credential_no)
       SELECT 'bench-inspector-' || i, '检查员' || i, 'x', 'inspector',
              CASE WHEN i % 10 < 4 THEN 'market' WHEN i % 10 < 7 THEN 'health' ELSE 'fire' END, 'B' || lpad(i::text, 6, '0')
       FROM generate_series(1, $1) AS i`,
      [opts.inspectors],
    );
    for (const name of ['bench-committer', 'bench-second']) {
      const [u] = await ds.query(
        `INSERT INTO app_user (username, display_name, password_hash, role, department)
         VALUES ($1, $1, 'x', 'regulator', 'market') RETURNING id`,
        [name],
      );
      people.set(name, Number(u.id));
    }
    await ds.query(
      `INSERT INTO inspector_profile (user_id) SELECT id FROM app_user WHERE role = 'inspector'`,
    );
    await ds.query(
      `INSERT INTO inspector_qualification (user_id, item_id)
       SELECT u.id, i.id FROM app_user u JOIN inspection_item i ON i.department = u.department
       WHERE u.role = 'inspector' AND (u.id * 31 + i.id * 17) % 10 <> 0`,
    );
    await ds.query(
      `INSERT INTO recusal (inspector_id, enterprise_id, source, reason, status, reviewed_at)
       SELECT DISTINCT ON (u, e) u, e, 'inspector', '基准回避', 'approved', now() FROM (
         SELECT (SELECT min(id) FROM app_user WHERE role = 'inspector') + (k * 37) % $2 AS u, 1 + (k * 7907) % $1 AS e
         FROM generate_series(1, 1000) AS k) x`,
      [opts.n, opts.inspectors],
    );
    const [plan] = await ds.query(
      `INSERT INTO inspection_plan (plan_no, year, title, lead_department, joint_departments)
       VALUES ('2027-market-001', 2027, '2027年度双随机抽查计划(基准)', 'market', '{health,fire}') RETURNING id`,
    );
    for (const id of itemIds)
      await ds.query(`INSERT INTO inspection_plan_item VALUES ($1, $2)`, [plan.id, id]);
    for (const [tier, ratio] of [
      ['A', 0],
      ['B', 0.05],
      ['C', 0.2],
      ['D', 0.6],
    ] as const)
      await ds.query(`INSERT INTO inspection_plan_tier VALUES ($1, $2, $3, 2)`, [plan.id, tier, ratio]);
    const [batch] = await ds.query(
      `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end) VALUES ($1, 1, '第一批', '2027-04-01', '2027-06-30') RETURNING id`,
      [plan.id],
    );
    await ds.query(
      `UPDATE inspection_plan SET status = 'published', published_at = now(), late = false WHERE id = $1`,
      [plan.id],
    );
    results.generateMs = Date.now() - t;
    console.log(
      `generated ${opts.n} enterprises, ${ITEMS.length} items, ${opts.inspectors} inspectors in ${secs(Date.now() - t)}`,
    );

    const draws = app.get(PlanDrawsService);
    const secret = 'bench-secret-' + 'x'.repeat(40);
    // CPU time of this process and of the database's backends (read from /proc: the server runs
    // on this machine), so that a figure taken on a busy machine says what the step itself costs
    const backendCpuMs = async (): Promise<number> => {
      const pids: { pid: number }[] = await ds.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
      );
      let ticks = 0;
      for (const { pid } of pids)
        try {
          const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          ticks += Number(f[11]) + Number(f[12]);
        } catch {
          // another machine's server, or the backend ended
        }
      return ticks * 10;
    };
    const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      const cpu0 = process.cpuUsage();
      const db0 = await backendCpuMs();
      const r = await fn();
      const wall = Date.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const nodeMs = Math.round((cpu.user + cpu.system) / 1000);
      const dbMs = (await backendCpuMs()) - db0;
      results[`${what}Ms`] = wall;
      results[`${what}CpuMs`] = { node: nodeMs, database: dbMs };
      console.log(
        `${what}: ${secs(wall)} wall; CPU ${secs(nodeMs)} node + ${secs(dbMs)} database (load ${loadavg()[0]!.toFixed(1)})`,
      );
      return r;
    };
    const d = await timed('commit', () =>
      draws.commit(
        {
          batchId: Number(batch.id),
          commitment: createHash('sha256').update(secret).digest('hex'),
          publicSource: '基准',
        },
        actor('bench-committer'),
      ),
    );
    results.rosterLines = d.inputs.find((i) => i.name === 'roster')!.lines;
    await timed('publicValue', () =>
      draws.publicValue(d.id, '01 02 03 04 05 06 + 07', actor('bench-second')),
    );
    await timed('reveal', () => draws.reveal(d.id, secret, actor('bench-committer')));
    const [{ lsn: before }] = await ds.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
    const drawn = await timed('run', () => draws.run(d.id, actor('bench-committer')));
    // WAL the run wrote (the server's, so other sessions' too on a shared server)
    const [{ wal }] = await ds.query(
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 AS wal`,
      [before],
    );
    results.runWalMiB = Math.round(Number(wal) / 1048576);
    console.log(`run: ${results.runWalMiB} MiB of WAL`);
    t = Date.now();
    const v = await timed('verify', () => draws.verify(d.id));
    results.verifyMatch = v.match;
    results.targets = drawn.summary!.targets;
    results.tasks = drawn.summary!.tasks;
    results.skippedForRecusal = drawn.summary!.skippedForRecusal;
    const [{ size }] = await ds.query(
      `SELECT sum(length(body_gz))::bigint AS size FROM plan_draw_input WHERE draw_id = $1`,
      [d.id],
    );
    results.inputsGzMiB = Math.round((Number(size) / 1048576) * 10) / 10;
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
