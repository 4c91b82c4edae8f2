/**
 * Benchmark: generate N enterprises and about 5N credit records (the demo generator), import both
 * through the operators' import code, rescore everyone, and print rows/s and peak RSS.
 *
 *   npm run bench                      # N = 100,000
 *   npm run bench -- --n 1000000       # the target size of issue 2
 *
 * Uses DATABASE_URL when set (a fresh database `bench_<time>` is created on that server and
 * dropped afterwards), otherwise an embedded PostgreSQL in the temp folder. Prints the server's
 * version and the settings that move the figures, whether the main tables have planner statistics
 * after each bulk write, and how the planner costs the per-enterprise queries (and whether JIT
 * compiled them), all read through the application's own connections (bench/server-report.ts).
 * Prints figures only: targets are compared by a person, not asserted (docs/performance.md).
 */
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { loadConfig } from '../src/config/configuration.js';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { systemActor } from '../src/audit/actor.js';
import { RecordImportService } from '../src/credit/import/record-import.service.js';
import { CreditExplanationService } from '../src/credit/credit-explanation.service.js';
import { CreditHistoryService } from '../src/credit/credit-history.service.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { benchDatabase } from './bench-database.js';
import { writeDemoCsv } from '../src/demo/generator.js';
import { RegisterImportService } from '../src/enterprises/import/register-import.service.js';
import { indicatorQuery, recordsBehindQuery } from '../src/credit/indicator-sql.js';
import { recencyOf } from '../src/credit/rules/scorecard.js';
import { todayInShanghai } from '../src/common/clock.js';
import { ScorecardVersionsService } from '../src/credit/scorecard-versions.service.js';
import { planLine, planReport, serverSettings, statisticsLines, tableStatistics } from './server-report.js';

const opts = new Command('bench')
  .option('--n <n>', 'enterprises', (v) => Number(v), 100000)
  .option('--records-per <k>', 'records per enterprise (average)', (v) => Number(v), 5)
  .option('--seed <text>', 'generator seed', 'bench-v1')
  .option('--keep', 'keep the database and files', false)
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54349)
  .option(
    '--scorecard <version>',
    'activate this scorecard version after the import and rescore with it (as of today)',
  )
  .parse()
  .opts<{ n: number; recordsPer: number; seed: string; keep: boolean; port: number; scorecard?: string }>();

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
const mib = (b: number) => (b / 1048576).toFixed(0) + ' MiB';
const secs = (ms: number) => (ms / 1000).toFixed(1) + ' s';
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en') + ' rows/s';

async function main(): Promise<void> {
  const db = await benchDatabase('bench', opts.port);
  const url = db.url;
  const dir = db.dir;
  const results: Record<string, string | number> = { n: opts.n };
  try {
    console.log(
      `generating ${opts.n.toLocaleString('en')} enterprises, ~${(opts.n * opts.recordsPer).toLocaleString('en')} records in ${dir}`,
    );
    let t = Date.now();
    const files = await writeDemoCsv(dir, {
      enterprises: opts.n,
      recordsPerEnterprise: opts.recordsPer,
      seed: opts.seed,
      asOf: '2026-11-30',
    });
    results.generateMs = Date.now() - t;
    results.records = files.records;
    results.csvMiB = Math.round(
      (statSync(files.registerFile).size + statSync(files.recordsFile).size) / 1048576,
    );
    console.log(`  generated in ${secs(results.generateMs)} (${results.csvMiB} MiB of CSV)`);

    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ databaseUrl: url, config: loadConfig() }),
      { logger: ['error', 'warn'] },
    );
    const ds = app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params);
    const printStatistics = async (tables: string[]) => {
      const stats = await tableStatistics(query, tables);
      for (const line of statisticsLines(stats)) console.log(`    statistics: ${line}`);
      for (const st of stats) results[`statistics_${st.table}`] = st.columnsWithStatistics > 0 ? 'yes' : 'no';
    };
    try {
      const server = await serverSettings(query);
      results.server = server.version.split(' on ')[0]!;
      results.jit = server.settings.jit!;
      console.log(`  server: ${server.version}`);
      console.log(
        `  settings (as the application's connections see them): ${Object.entries(server.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      );
      const progress = (what: string) => (n: number) =>
        n % 1000000 === 0 && console.log(`    ${what} ${n.toLocaleString('en')}`);
      t = Date.now();
      const reg = await app
        .get(RegisterImportService)
        .importFile(files.registerFile, { onProgress: progress('register rows') });
      results.importRegisterMs = Date.now() - t;
      console.log(
        `  register: ${reg.inserted.toLocaleString('en')} enterprises in ${secs(results.importRegisterMs)} (${rate(reg.rows, results.importRegisterMs)}), rejected ${reg.rejected}`,
      );
      t = Date.now();
      const rec = await app
        .get(RecordImportService)
        .importFile(files.recordsFile, { onProgress: progress('record rows') });
      results.importRecordsMs = Date.now() - t;
      console.log(
        `  records: ${rec.inserted.toLocaleString('en')} records in ${secs(results.importRecordsMs)} (${rate(rec.rows, results.importRecordsMs)}), rejected ${rec.rejected}`,
      );
      results.importTotalMs = (results.importRegisterMs as number) + (results.importRecordsMs as number);
      console.log(
        `  import total: ${secs(results.importTotalMs)} (${rate(reg.rows + rec.rows, results.importTotalMs)})`,
      );
      await printStatistics(['enterprise', 'credit_record']);
      // an activation is in force from today: with --scorecard the rescorings are as of today
      let asOf = '2026-11-30';
      if (opts.scorecard) {
        const versions = app.get(ScorecardVersionsService);
        if ((await versions.activeScorecard()).version !== opts.scorecard)
          await versions.activateScorecard(opts.scorecard, systemActor('test'));
        asOf = todayInShanghai();
        console.log(`  scorecard ${opts.scorecard} activated (rescorings as of ${asOf})`);
      }
      results.scorecard = (await app.get(ScorecardVersionsService).activeScorecard()).version;
      t = Date.now();
      const run = await app.get(ScoringService).rescoreAll(asOf);
      results.rescoreMs = Date.now() - t;
      console.log(
        `  full rescoring: ${run.enterprises.toLocaleString('en')} enterprises in ${secs(results.rescoreMs)} (${rate(run.enterprises, results.rescoreMs)})`,
      );
      console.log(`  tiers: ${JSON.stringify(run.tierCounts)}`);
      t = Date.now();
      const again = await app.get(ScoringService).rescoreAll(asOf);
      results.rescoreAgainMs = Date.now() - t;
      console.log(
        `  rescoring again (every score replaced): ${secs(results.rescoreAgainMs)} (${again.enterprises.toLocaleString('en')})`,
      );
      await printStatistics(['credit_score', 'credit_tier_change', 'scoring_run']);
      // how the planner costs the per-enterprise queries of explain (one enterprise, once)
      const card = await app.get(ScorecardVersionsService).scorecardInForce('2026-11-30');
      const [{ id: oneId }] = await ds.query(`SELECT id FROM enterprise ORDER BY md5(uscc) LIMIT 1`);
      const indicators = await planReport(query, indicatorQuery(true, recencyOf(card)), [
        '2026-11-30',
        oneId,
      ]);
      const behind = await planReport(query, recordsBehindQuery(recencyOf(card)), ['2026-11-30', oneId]);
      results.indicatorQueryCost = Math.round(indicators.totalCost);
      results.indicatorQueryJit = indicators.jit ? 'yes' : 'no';
      console.log(`  per-enterprise indicator query: ${planLine(indicators)}`);
      console.log(`  per-enterprise records-behind query: ${planLine(behind)}`);
      // score as of a past date for single enterprises (explain): indicators, points, records behind
      const sample: { uscc: string }[] = await ds.query(
        `SELECT uscc FROM enterprise ORDER BY md5(uscc) LIMIT 200`,
      );
      const times: number[] = [];
      for (const { uscc } of sample) {
        const t0 = process.hrtime.bigint();
        await app.get(CreditExplanationService).scoreAsOf(uscc, '2026-11-30');
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      results.scoreAsOfMedianMs = Math.round(times[times.length >> 1]! * 10) / 10;
      results.scoreAsOfP95Ms = Math.round(times[Math.floor(times.length * 0.95)]! * 10) / 10;
      console.log(
        `  score as of 2026-11-30 (explain), one enterprise (200 sampled): median ${results.scoreAsOfMedianMs} ms, p95 ${results.scoreAsOfP95Ms} ms`,
      );
      t = Date.now();
      const snap = await app.get(CreditHistoryService).takeSnapshot('2026-11-30', systemActor('test'));
      results.snapshotMs = Date.now() - t;
      console.log(
        `  monthly snapshot: ${snap.enterprises.toLocaleString('en')} enterprises in ${secs(results.snapshotMs)}`,
      );
      await printStatistics(['credit_snapshot']);
    } finally {
      await app.close();
    }
    results.peakRssMiB = Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576);
    console.log(`  peak RSS of the Node process: ${mib(results.peakRssMiB * 1048576)}`);
    console.log('BENCH ' + JSON.stringify(results));
  } finally {
    clearInterval(sampler);
    await db.close(opts.keep);
    if (opts.keep) console.log(`kept: ${dir}`);
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
