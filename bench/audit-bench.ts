/**
 * Benchmark of the audit trail: appends N entries (each in its own transaction, as API changes
 * do; then N more from 8 concurrent writers) and walks the chain with `verify`. Prints figures
 * only (docs/performance.md).
 *
 *   npm run bench:audit                  # N = 20,000
 *   npm run bench:audit -- --n 100000
 *
 * Uses DATABASE_URL (a fresh database `bench_audit_<time>` is created there and dropped), or an
 * embedded PostgreSQL in the temp folder.
 */
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { systemActor } from '../src/audit/actor.js';
import { appendAudit, sqlOf } from '../src/audit/audit-writer.js';
import { AuditService } from '../src/audit/audit.service.js';
import { loadConfig } from '../src/config/configuration.js';
import { benchDatabase } from './bench-database.js';

const opts = new Command('bench-audit')
  .option(
    '--n <n>',
    'entries appended one transaction each (and as many again concurrently)',
    (v) => Number(v),
    20000,
  )
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54348)
  .parse()
  .opts<{ n: number; port: number }>();

async function main(): Promise<void> {
  const db = await benchDatabase('bench_audit', opts.port);
  const url = db.url;
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ databaseUrl: url, config: loadConfig() }),
      { logger: ['error', 'warn'] },
    );
    try {
      const ds = app.get(DataSource);
      const actor = systemActor('test');
      const event = (i: number) => ({
        action: 'bench.append',
        entityType: 'bench',
        entityId: i,
        after: {
          i,
          name: `上海基准测试${i}有限公司`,
          tier: 'B',
          reasons: ['penalty_general_1y', 'complaints_12m'],
        },
      });
      let t = Date.now();
      for (let i = 0; i < opts.n; i++) await ds.transaction((m) => appendAudit(sqlOf(m), actor, event(i)));
      const serialMs = Date.now() - t;
      console.log(
        `appended ${opts.n} entries, one transaction each, one writer: ${serialMs} ms (${((1000 * serialMs) / opts.n).toFixed(0)} µs/entry)`,
      );
      t = Date.now();
      const writers = 8;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = w; i < opts.n; i += writers)
            await ds.transaction((m) => appendAudit(sqlOf(m), actor, event(i)));
        }),
      );
      const concurrentMs = Date.now() - t;
      console.log(
        `appended ${opts.n} entries from ${writers} concurrent writers: ${concurrentMs} ms (${Math.round(opts.n / (concurrentMs / 1000))} entries/s)`,
      );
      t = Date.now();
      const rss0 = process.memoryUsage.rss();
      const report = await app.get(AuditService).verify();
      const verifyMs = Date.now() - t;
      console.log(
        `verified ${report.entries} entries (ok: ${report.ok}) in ${verifyMs} ms (${Math.round(report.entries / (verifyMs / 1000))} entries/s), RSS +${((process.memoryUsage.rss() - rss0) / 1048576).toFixed(0)} MiB`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
