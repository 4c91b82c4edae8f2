import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A database of a benchmark's own, on DATABASE_URL's server or an embedded one in the temp folder. */
export interface BenchDatabase {
  /** URL of the benchmark's database (created empty; the service migrates it) */
  url: string;
  /** 'DATABASE_URL' or 'embedded' */
  server: 'DATABASE_URL' | 'embedded';
  /** a connection to the server as its administrator (open until close) */
  admin: pg.Client;
  /** the run's temp folder (the embedded server's data, generated files) */
  dir: string;
  /** drops the database, stops an embedded server and removes the folder; with `keep`, leaves both */
  close(keep?: boolean): Promise<void>;
}

/**
 * Creates `<prefix>_<ms>` on the server of DATABASE_URL (whose role needs CREATEDB), or on an
 * embedded PostgreSQL started on `port` in a new temp folder (connected as its superuser: a
 * benchmark creates and drops databases).
 */
export async function benchDatabase(prefix: string, port: number): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), `supervision-${prefix}-`));
  chmodSync(dir, 0o755); // the embedded server runs as the postgres user and must enter it
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ baseDir: path.join(dir, 'pg'), port, database: 'postgres' });
  const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
  const dbName = `${prefix.replace(/\W/g, '_')}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = '/' + dbName;
  return {
    url: url.toString(),
    server: embedded ? 'embedded' : 'DATABASE_URL',
    admin,
    dir,
    close: async (keep = false) => {
      if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      await embedded?.stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
