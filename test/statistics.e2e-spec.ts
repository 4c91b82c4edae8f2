import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemActor } from '../src/audit/actor.js';
import { CreditHistoryService } from '../src/credit/credit-history.service.js';
import { RecordImportService } from '../src/credit/import/record-import.service.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { writeDemoCsv } from '../src/demo/generator.js';
import { RegisterImportService } from '../src/enterprises/import/register-import.service.js';
import { TestApp, createTestApp } from './helpers.js';

/**
 * Statistics are part of every bulk write (docs/performance.md "Fast on a stock PostgreSQL too"):
 * a server with autovacuum off (or not yet run) must not leave the planner without statistics
 * after an import, a full rescoring or a snapshot.
 */
describe('planner statistics after bulk writes', () => {
  let t: TestApp;
  let dir: string;
  const actor = systemActor('test');
  const stats = async (table: string) =>
    (
      await t.dataSource.query(
        `SELECT c.reltuples::float8 AS reltuples,
                (SELECT count(*)::int FROM pg_stats s WHERE s.schemaname = 'public' AND s.tablename = c.relname) AS columns
         FROM pg_class c WHERE c.oid = to_regclass($1)`,
        [`public.${table}`],
      )
    )[0] as { reltuples: number; columns: number };

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'statistics-test-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an import leaves its table with statistics and a row estimate, on either path', async () => {
    expect(await stats('enterprise')).toMatchObject({ columns: 0 });
    const files = await writeDemoCsv(dir, {
      enterprises: 400,
      recordsPerEnterprise: 5,
      seed: 'stats',
      asOf: '2026-11-30',
    });
    // the direct COPY path (directCopyMinBytes 0) for the register, the staged path for the records
    const reg = await t.app
      .get(RegisterImportService)
      .importFile(files.registerFile, { directCopyMinBytes: 0, actor });
    expect(reg.inserted).toBe(400);
    expect(await stats('enterprise')).toMatchObject({ reltuples: 400, columns: expect.any(Number) });
    expect((await stats('enterprise')).columns).toBeGreaterThan(5);
    const rec = await t.app
      .get(RecordImportService)
      .importFile(files.recordsFile, { directCopyMinBytes: Number.MAX_SAFE_INTEGER, actor });
    expect(rec.inserted).toBeGreaterThan(1000);
    const records = await stats('credit_record');
    expect(records.reltuples).toBe(rec.inserted);
    expect(records.columns).toBeGreaterThan(5);
  });

  it('a full rescoring leaves credit_score and the tier history with statistics; so does a snapshot', async () => {
    const run = await t.app.get(ScoringService).rescoreAll('2026-11-30', undefined, actor);
    expect(run.enterprises).toBe(400);
    for (const table of ['credit_score', 'credit_tier_change']) {
      const s = await stats(table);
      expect(s.reltuples).toBe(400); // every enterprise's first classification is a change
      expect(s.columns).toBeGreaterThan(3);
    }
    // rewritten whole again: TRUNCATE drops the row estimate, the run puts it back
    await t.app.get(ScoringService).rescoreAll('2026-11-30', undefined, actor);
    expect(await stats('credit_score')).toMatchObject({ reltuples: 400 });
    const snap = await t.app.get(CreditHistoryService).takeSnapshot('2026-11-30', actor);
    expect(snap.enterprises).toBe(400);
    expect(await stats('credit_snapshot')).toMatchObject({ reltuples: 400 });
    expect((await stats('credit_snapshot')).columns).toBeGreaterThan(3);
  });
});

describe('statistics for a service role that owns no table', () => {
  let t: TestApp;
  const role = `stats_app_${process.pid}`;
  beforeAll(async () => {
    t = await createTestApp();
    await t.dataSource.query(`CREATE ROLE ${role} LOGIN PASSWORD 'stats-test-only'`);
    await t.dataSource.query(`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO ${role}`);
  });
  afterAll(async () => {
    await t.dataSource.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
    await t.dataSource.query(`DROP OWNED BY ${role}`);
    await t.dataSource.query(`DROP ROLE ${role}`);
    await t.close();
  });

  it("refresh_table_statistics analyzes with the owner's rights, where a plain ANALYZE is skipped", async () => {
    await t.dataSource.query(
      `INSERT INTO enterprise (uscc, name, entity_type, status) VALUES ('91310115MA1FL8Q20P', '统计测试', 'company', 'active')`,
    );
    const u = new URL(t.url);
    u.username = role;
    u.password = 'stats-test-only';
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    try {
      const columns = async () =>
        (
          await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = 'enterprise'`,
          )
        ).rows[0]!.n;
      await c.query('ANALYZE public.enterprise'); // PostgreSQL: WARNING, skipping (not the owner)
      expect(await columns()).toBe(0);
      await c.query(`SELECT refresh_table_statistics('public.enterprise'::regclass)`);
      expect(await columns()).toBeGreaterThan(3);
      await expect(
        c.query(`SELECT refresh_table_statistics('pg_catalog.pg_class'::regclass)`),
      ).rejects.toThrow(/not a table of the public schema/);
    } finally {
      await c.end();
    }
  });
});

describe("the application's connections", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('run without JIT (it compiled sub-millisecond reads for seconds: docs/performance.md)', async () => {
    // every pooled connection, not only the first: hold several at once
    const runners = await Promise.all([1, 2, 3].map(() => t.dataSource.createQueryRunner()));
    try {
      for (const r of runners) {
        await r.connect();
        expect(await r.query(`SELECT current_setting('jit') AS jit`)).toEqual([{ jit: 'off' }]);
      }
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  });
});
