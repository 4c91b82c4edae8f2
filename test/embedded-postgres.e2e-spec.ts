import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const baseDir = path.join(tmpdir(), `supervision-stale-test-${process.pid}`);
const port = Number(process.env.TEST_STALE_PG_PORT ?? 54339);
const launcher = path.resolve('dist/src/database/embedded-postgres.js');

/** A child process that starts the embedded server and prints READY, then waits to be killed. */
const childScript = `
  const { startEmbeddedPostgres } = await import(${JSON.stringify(launcher)});
  const db = await startEmbeddedPostgres({ baseDir: ${JSON.stringify(baseDir)}, port: ${port}, database: 'app', log: (m) => console.log('LOG ' + m) });
  console.log('READY ' + db.url);
  if (process.argv.includes('--stop')) { await db.stop(); console.log('STOPPED'); process.exit(0); }
  setInterval(() => {}, 1000);
`;

function startChild(extra: string[] = []): Promise<{ pid: number; output: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, '--', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => {
      output.push(...d.toString().split('\n').filter(Boolean));
      if (!extra.includes('--stop') && output.some((l) => l.startsWith('READY')))
        resolve({ pid: child.pid!, output });
    });
    child.stderr.on('data', (d: Buffer) => output.push('ERR ' + d.toString()));
    child.on('exit', (code) =>
      code
        ? reject(new Error(`child exited ${code}: ${output.join('\n')}`))
        : resolve({ pid: child.pid!, output }),
    );
  });
}

(existsSync(launcher) ? describe : describe.skip)('embedded PostgreSQL launcher', () => {
  it('recovers a server left running by a killed run, with a message saying so', async () => {
    rmSync(baseDir, { recursive: true, force: true });
    const first = await startChild();
    const url = first.output.find((l) => l.startsWith('READY'))!.slice(6);
    const pgPid = Number(readFileSync(path.join(baseDir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(first.pid, 'SIGKILL'); // the parent dies without stopping its server
    await new Promise((r) => setTimeout(r, 300));
    expect(() => process.kill(pgPid, 0)).not.toThrow(); // the orphan still runs

    const second = await startChild(['--stop']);
    expect(second.output.join('\n')).toMatch(/left running by an earlier run that did not shut down/);
    expect(second.output).toContain('STOPPED');
    expect(() => process.kill(pgPid, 0)).toThrow();
    // the data survived the recovery
    const third = await startChild();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await client.end();
    process.kill(third.pid, 'SIGKILL');
    const pid3 = Number(readFileSync(path.join(baseDir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid3, 'SIGINT');
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(baseDir, { recursive: true, force: true });
  }, 90000);

  it('never signals another program whose pid a stale postmaster.pid names', async () => {
    rmSync(baseDir, { recursive: true, force: true });
    await startChild(['--stop']); // a cluster, stopped cleanly
    const bystander = spawn('sleep', ['60']);
    writeFileSync(
      path.join(baseDir, 'data/postmaster.pid'),
      `${bystander.pid}\n${path.join(baseDir, 'data')}\n`,
    );
    const run = await startChild(['--stop']);
    expect(run.output.join('\n')).toMatch(/which is not PostgreSQL: removing the stale file/);
    expect(run.output).toContain('STOPPED');
    expect(() => process.kill(bystander.pid!, 0)).not.toThrow(); // still alive
    bystander.kill();
    rmSync(baseDir, { recursive: true, force: true });
  }, 90000);

  it('refuses a port held by another program with a clear reason', async () => {
    const holder = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${port + 1}, '127.0.0.1', () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    await new Promise((r) => holder.stdout.once('data', r));
    try {
      const res = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          childScript
            .replace(`port: ${port}`, `port: ${port + 1}`)
            .replace(JSON.stringify(baseDir), JSON.stringify(baseDir + '-2')),
        ],
        { encoding: 'utf8' },
      );
      expect(res.status).not.toBe(0);
      expect(res.stderr).toMatch(new RegExp(`port ${port + 1} on 127.0.0.1 is in use by another program`));
    } finally {
      holder.kill();
      rmSync(baseDir + '-2', { recursive: true, force: true });
    }
  }, 60000);
});
