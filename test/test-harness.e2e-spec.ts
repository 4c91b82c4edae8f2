import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const setup = pathToFileURL(path.resolve('test/global-setup.mjs')).href;
const teardown = pathToFileURL(path.resolve('test/global-teardown.mjs')).href;

describe('the e2e harness (test/global-setup.mjs, global-teardown.mjs)', () => {
  it("keeps a run's temporary files in one folder and removes it at the end", () => {
    const checkout = mkdtempSync(path.join(tmpdir(), 'harness-checkout-')); // another checkout's folder hash
    const script = `
      import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import path from 'node:path';
      await (await import(${JSON.stringify(setup)})).default();
      const run = globalThis.__testRunDir;
      const mine = mkdtempSync(path.join(tmpdir(), 'some-test-'));
      writeFileSync(path.join(mine, 'big.bin'), Buffer.alloc(1 << 20));
      console.log(JSON.stringify({ run, mine, inside: mine.startsWith(run + path.sep), before: existsSync(mine) }));
      await (await import(${JSON.stringify(teardown)})).default();
      console.log(JSON.stringify({ after: existsSync(run), tmp: tmpdir() }));`;
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: checkout,
        encoding: 'utf8',
        // DATABASE_URL: the harness uses it and starts no server
        env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      });
      expect(r.stderr).toBe('');
      const [during, after] = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(during).toMatchObject({ inside: true, before: true });
      expect(after.after).toBe(false);
      expect(existsSync(during.mine)).toBe(false);
      expect(after.tmp.startsWith(during.run)).toBe(false); // TMPDIR given back
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});
