import type pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { pgPool } from './pg-pool.js';

/**
 * Runs one all-or-nothing bulk load: in a single transaction, creates a temporary staging table,
 * streams COPY text lines into it, then lets `finish` move the rows into place with set-based SQL.
 * A crash or error anywhere rolls everything back: nothing is half-written.
 * @param stageDdl column list of the staging table, e.g. `(line int, uscc text)`
 * @param lines COPY text lines (see common/copy-text.ts), produced while streaming
 */
export async function bulkLoad<T>(
  dataSource: DataSource,
  stageTable: string,
  stageDdl: string,
  lines: AsyncIterable<string>,
  finish: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pgPool(dataSource).connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE ${stageTable} ${stageDdl} ON COMMIT DROP`);
    await pipeline(Readable.from(batched(lines)), client.query(copyFrom(`COPY ${stageTable} FROM STDIN`)));
    await client.query(`ANALYZE ${stageTable}`);
    const result = await finish(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Joins lines into ~256 KiB chunks: far fewer stream writes than one per row. */
async function* batched(lines: AsyncIterable<string>): AsyncIterable<string> {
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
