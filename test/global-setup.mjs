/**
 * One PostgreSQL for the whole e2e run: the server named by DATABASE_URL, or an embedded server on
 * port 54329 (TEST_PG_PORT). Each test file then creates its own database on it (test/helpers.ts),
 * migrated from scratch by the application itself (tests connect as the embedded server's
 * superuser, `adminUrl`, as they do to a DATABASE_URL server).
 *
 * Everything the run writes to the temp folder goes into one folder per checkout,
 * `<tmp>/supervision-<hash of the checkout's path>/` (mode 0755, so that a clone in a folder the
 * postgres system user cannot enter still works): the embedded server's cluster, and, because
 * TMPDIR points into it for the run, every test's own temporary folders. global-teardown.mjs
 * removes it whole.
 * Jest loads global setup outside its module mapping, so this uses the compiled launcher
 * (`npm test` builds first).
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The run's folder under the system temp folder, distinct per checkout. */
export function testRunDir() {
  const id = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 10);
  return path.join(process.env.TEST_ORIGINAL_TMPDIR ?? tmpdir(), `supervision-${id}`);
}

/** A folder for a test server inside the run's folder. */
export function testDataDir(name) {
  return path.join(testRunDir(), name);
}

export default async function globalSetup() {
  const runDir = testRunDir();
  const tmp = path.join(runDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  chmodSync(runDir, 0o755);
  chmodSync(tmp, 0o1777);
  process.env.TEST_ORIGINAL_TMPDIR ??= tmpdir();
  process.env.TMPDIR = tmp; // os.tmpdir() of the tests (and of the processes they start)
  globalThis.__testRunDir = runDir;
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
  process.env.TEST_ADMIN_URL = db.adminUrl;
  globalThis.__testDb = db;
}
