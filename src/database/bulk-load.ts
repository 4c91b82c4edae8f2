import type pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { pgPool } from './pg-pool.js';

/** Prints phase timings of bulk jobs to stderr when BULK_LOAD_DEBUG is set. */
export function bulkDebug(scope: string): (what: string) => void {
  let t = Date.now();
  return (what) => {
    if (process.env.BULK_LOAD_DEBUG) process.stderr.write(`[${scope}] ${what}: ${Date.now() - t} ms\n`);
    t = Date.now();
  };
}

/**
 * Runs `fn` in one transaction on one connection, holding a transaction-scoped advisory lock on
 * `lockKey` (so two bulk loads of the same table run one after the other). Any error rolls
 * everything back: nothing is half-written.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  lockKey: string,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pgPool(dataSource).connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Streams COPY text lines (common/copy-text.ts) into `copySql` (`COPY t (cols) FROM STDIN`).
 * Pieces are joined to ~256 KiB: one socket write per row costs more than the rows.
 * @returns the number of rows copied
 */
export async function copyInto(
  client: pg.PoolClient,
  copySql: string,
  lines: AsyncIterable<string>,
): Promise<number> {
  const sink = client.query(copyFrom(copySql));
  await pipeline(Readable.from(joined(lines)), sink);
  return sink.rowCount;
}

/** Creates a temporary staging table (dropped at commit) and COPYs the lines into it. */
export async function stageRows(
  client: pg.PoolClient,
  table: string,
  ddl: string,
  lines: AsyncIterable<string>,
): Promise<number> {
  await client.query(`CREATE TEMP TABLE ${table} ${ddl} ON COMMIT DROP`);
  const n = await copyInto(client, `COPY ${table} FROM STDIN`, lines);
  await client.query(`ANALYZE ${table}`);
  return n;
}

/** True for a PostgreSQL unique violation (SQLSTATE 23505). */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === '23505';
}

async function* joined(lines: AsyncIterable<string>): AsyncIterable<string> {
  let buf = '';
  for await (const l of lines) {
    buf += l;
    if (buf.length > 262144) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
