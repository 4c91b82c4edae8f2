import { rmSync } from 'node:fs';

/**
 * Stops the run's embedded server and removes the run's folder under the temp folder (the
 * cluster, about 150 MB with its WAL, and every test's temporary folders): see global-setup.mjs.
 */
export default async function globalTeardown() {
  await globalThis.__testDb?.stop();
  if (globalThis.__testRunDir) rmSync(globalThis.__testRunDir, { recursive: true, force: true });
  if (process.env.TEST_ORIGINAL_TMPDIR) process.env.TMPDIR = process.env.TEST_ORIGINAL_TMPDIR;
}
