/**
 * One PostgreSQL for the whole e2e run: the server named by DATABASE_URL, or an embedded server on
 * port 54329 (TEST_PG_PORT) in a folder under the system temp folder, one per checkout (a clone
 * in a folder the postgres system user cannot enter still works). Each test file then creates its own database on it
 * (test/helpers.ts), migrated from scratch by the application itself.
 * Jest loads global setup outside its module mapping, so this uses the compiled launcher
 * (`npm test` builds first).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A folder for a test server, under the temp folder, distinct per checkout. */
export function testDataDir(name) {
  const id = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 10);
  return path.join(tmpdir(), `supervision-${id}`, name);
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const launcher = new URL('../dist/src/database/embedded-postgres.js', import.meta.url);
  if (!existsSync(launcher))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) or set DATABASE_URL');
  const { startEmbeddedPostgres } = await import(launcher.href);
  const db = await startEmbeddedPostgres({
    baseDir: testDataDir('pg-test'),
    port: Number(process.env.TEST_PG_PORT ?? 54329),
    database: 'postgres',
    log: (m) => process.stderr.write(`[test db] ${m}\n`),
  });
  process.env.TEST_ADMIN_URL = db.url;
  globalThis.__testDb = db;
}
