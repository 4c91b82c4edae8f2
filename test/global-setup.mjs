/**
 * One PostgreSQL for the whole e2e run: the server named by DATABASE_URL, or an embedded server in
 * .data/pg-test on port 54329 (TEST_PG_PORT). Each test file then creates its own database on it
 * (test/helpers.ts), migrated from scratch by the application itself.
 * Jest loads global setup outside its module mapping, so this uses the compiled launcher
 * (`npm test` builds first).
 */
import { existsSync } from 'node:fs';

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const launcher = new URL('../dist/src/database/embedded-postgres.js', import.meta.url);
  if (!existsSync(launcher)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) or set DATABASE_URL');
  const { startEmbeddedPostgres } = await import(launcher.href);
  const db = await startEmbeddedPostgres({
    baseDir: '.data/pg-test',
    port: Number(process.env.TEST_PG_PORT ?? 54329),
    database: 'postgres',
    log: (m) => process.stderr.write(`[test db] ${m}\n`),
  });
  process.env.TEST_ADMIN_URL = db.url;
  globalThis.__testDb = db;
}
