import { statSync } from 'node:fs';
import type pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Actor, cliActor } from '../audit/actor.js';
import { appendAudit, sqlOfClient } from '../audit/audit-writer.js';
import { ImportReport, RejectSink, finishReport } from '../common/import-report.js';
import { pgPool } from './pg-pool.js';
import { refreshStatistics } from './table-statistics.js';

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
 * `lockKey` (so two bulk loads of the same table run one after the other), then `beforeCommit`
 * (the audit entry: last, as appendAudit asks). Any error rolls everything back: nothing is
 * half-written.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  lockKey: string,
  fn: (client: pg.PoolClient) => Promise<T>,
  beforeCommit?: (client: pg.PoolClient, result: T) => Promise<void>,
): Promise<T> {
  const client = await pgPool(dataSource).connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
    const result = await fn(client);
    if (beforeCommit) await beforeCommit(client, result);
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
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<number> {
  const sink = client.query(copyFrom(copySql));
  await pipeline(Readable.from(joined(lines)), sink);
  return sink.rowCount;
}

/**
 * The COPY text of `n` rows made by `line(i)` (each with its newline), in pieces of about
 * 256 KiB: one string per piece, not one per row.
 */
export function* copyRows(n: number, line: (i: number) => string): Generator<string> {
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += line(i);
    if (buf.length > 262144) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** Something that runs SQL: a transaction's EntityManager or the data source. */
type Queryable = { query(sql: string, params?: unknown[]): Promise<unknown> };

/**
 * `n` ids taken from the sequence of `table`.id, in the order taken (ascending), for rows a COPY
 * will write (COPY returns none). The sequence is looked up once, not per id (pg_get_serial_sequence
 * per row made 188,070 ids cost 0.38 s instead of 0.05 s).
 */
export async function takeIds(q: Queryable, table: string, n: number): Promise<number[]> {
  if (n <= 0) return [];
  const [{ list }] = (await q.query(
    `WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq)
     SELECT string_agg(nextval(s.seq)::text, ',') AS list FROM s, generate_series(1, $2::int)`,
    [table, n],
  )) as { list: string }[];
  return list.split(',').map(Number);
}

/** The connection of a transaction's EntityManager (for COPY). */
export function clientOf(m: { queryRunner?: unknown }): pg.PoolClient {
  return (m.queryRunner as { databaseConnection: pg.PoolClient }).databaseConnection;
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

async function* joined(lines: AsyncIterable<string> | Iterable<string>): AsyncIterable<string> {
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

/** Options every importer takes. */
export interface ImportOptions {
  /** where to write every rejected row (CSV); null keeps only counts and the first 20 */
  rejectsFile?: string | null;
  /** called about every 100,000 rows read */
  onProgress?: (rows: number) => void;
  /** files at least this large try the direct COPY path first (default DIRECT_COPY_MIN_BYTES) */
  directCopyMinBytes?: number;
  /** who imports, for the audit trail (default: the operator running the CLI) */
  actor?: Actor;
}

export type Batches<T> = AsyncIterable<Checked<T>[]> | Iterable<Checked<T>[]>;

/** Counts an import path returns. */
export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** What an importer states about its table; `bulkImport` does the rest. */
export interface BulkImport<T extends { line: number }> {
  dataSource: DataSource;
  /** advisory lock key: loads of the same table wait for each other */
  lockKey: string;
  /** the table it loads: its statistics are refreshed in the load's transaction (refreshStatistics) */
  table: string;
  /** name for BULK_LOAD_DEBUG timings */
  scope: string;
  /** audit action of the batch, e.g. `enterprise.import` (one entry per batch, with the file's digest) */
  auditAction: string;
  file: string;
  encoding: string;
  inputs: Batches<T>;
  /** reads the input again from the start; given only when the direct path should be tried */
  reopen?: () => Promise<Batches<T>>;
  options: ImportOptions;
  /**
   * Fast path: prepares a COPY straight into the table (`copySql`) and the COPY line of each valid
   * input (undefined refuses the row: the function reports it to the sink). The table's unique
   * indexes must refuse any stored or repeated key.
   */
  direct: (
    client: pg.PoolClient,
    sink: RejectSink,
    lap: (what: string) => void,
  ) => Promise<{ copySql: string; toLine: (input: T) => string | undefined }>;
  /** General path: a temporary staging table, the COPY line of each valid input, and the set-based move. */
  staged: {
    table: string;
    ddl: string;
    toLine: (input: T) => string;
    move: (client: pg.PoolClient, sink: RejectSink, staged: number) => Promise<ImportCounts>;
  };
}

/**
 * The importers' load, in one transaction under an advisory lock. With `reopen`, the direct path
 * runs first inside a savepoint; when it meets a unique violation (a key already stored, or
 * repeated in the input) it is rolled back to the savepoint, the rejected rows it collected are
 * dropped, and the input is read again through the staged path. Both paths give the same result.
 * Before the audit entry, the table's statistics are refreshed when due (refreshStatistics).
 * @returns the import report (rows read, counts, rejected rows of the path that counted)
 */
export async function bulkImport<T extends { line: number }>(load: BulkImport<T>): Promise<ImportReport> {
  const started = Date.now();
  const lap = bulkDebug(load.scope);
  const rejectsFile = load.options.rejectsFile ?? null;
  let sink = new RejectSink(rejectsFile);
  let rows = 0;
  const onRows = (n: number) => (rows = n);
  let inputs = load.inputs;
  const counts = await inTransaction(
    load.dataSource,
    load.lockKey,
    async (c) => {
      if (load.reopen) {
        await c.query('SAVEPOINT direct_copy');
        try {
          const { copySql, toLine } = await load.direct(c, sink, lap);
          const copied = await copyInto(
            c,
            copySql,
            copyLinesOf(inputs, sink, toLine, onRows, load.options.onProgress),
          );
          await c.query('RELEASE SAVEPOINT direct_copy');
          lap(`direct COPY of ${copied} rows`);
          return { inserted: copied, updated: 0, unchanged: 0 };
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          await c.query('ROLLBACK TO SAVEPOINT direct_copy');
          lap('direct COPY met stored or repeated keys: staging path');
          await sink.close();
          sink = new RejectSink(rejectsFile);
          inputs = await load.reopen();
        }
      }
      const { table, ddl, toLine, move } = load.staged;
      const staged = await stageRows(
        c,
        table,
        ddl,
        copyLinesOf(inputs, sink, toLine, onRows, load.options.onProgress),
      );
      lap(`staged ${staged} rows`);
      const result = await move(c, sink, staged);
      lap('moved into place');
      return result;
    },

    async (c, counts) => {
      // the statistics step: the planner never meets the loaded table without statistics
      if (await refreshStatistics(sqlOfClient(c), load.table, counts.inserted + counts.updated))
        lap(`analyzed ${load.table}`);
      await appendAudit(sqlOfClient(c), load.options.actor ?? cliActor(), {
        action: load.auditAction,
        entityType: 'import',
        entityId: load.file,
        after: {
          file: load.file,
          encoding: load.encoding,
          sha256: await fileDigest(load.file),
          rows,
          ...counts,
          rejected: sink.count,
        },
      });
      lap('audit entry');
    },
  );
  return finishReport(load.file, load.encoding, rows, counts, sink, started);
}

/** Files at least this large try the direct COPY path first (see bulkImport). */
export const DIRECT_COPY_MIN_BYTES = 8 * 1024 * 1024;

/** Whether an import of `file` should try the direct COPY path (by its size). */
export function tryDirectCopy(file: string, opts: { directCopyMinBytes?: number }): boolean {
  return statSync(file).size >= (opts.directCopyMinBytes ?? DIRECT_COPY_MIN_BYTES);
}

/** A loader input: checked data, or the errors that refuse its row. */
export type Checked<T> = T | { line: number; errors: readonly { field: string; reason: string }[] };

/**
 * COPY text of checked inputs, one chunk per batch. Refused rows go to the sink; `toLine` gives
 * the COPY line of a valid input (undefined refuses it too: it reports to the sink itself).
 * @param onRows called with the number of rows read so far after each batch
 * @param onProgress called about every 100,000 rows
 */
async function* copyLinesOf<T extends { line: number }>(
  batches: Batches<T>,
  sink: RejectSink,
  toLine: (input: T) => string | undefined,
  onRows: (rows: number) => void,
  onProgress?: (rows: number) => void,
): AsyncIterable<string> {
  let rows = 0;
  let nextProgress = 100000;
  for await (const batch of batches) {
    let chunk = '';
    for (const input of batch) {
      if ('errors' in input) {
        sink.addRow(input.line, input.errors);
        continue;
      }
      const line = toLine(input as T);
      if (line !== undefined) chunk += line;
    }
    rows += batch.length;
    onRows(rows);
    if (onProgress && rows >= nextProgress) {
      onProgress(rows);
      nextProgress += 100000;
    }
    if (chunk) yield chunk;
  }
}

/** SHA-256 (hex) of a file's bytes, or null when `file` is not a readable file (a folder, several tables). */
async function fileDigest(file: string): Promise<string | null> {
  try {
    if (!statSync(file).isFile()) return null;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}
