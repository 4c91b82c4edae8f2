import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * The embedded server's roles and their secrets (docs/security.md "The embedded database"): the
 * superuser for set-up only, the owner that migrates, the application role that owns nothing;
 * one password per role generated per installation in `<baseDir>/secrets.json` (0600); the
 * superuser step that creates and grants them (`provision`), and the append-only privilege taken
 * after the migrations (`restrictAppendOnly`). The server's life (start, hand-over, stop) is in
 * embedded-postgres.ts.
 */

/** Role names on the embedded server (see the module comment). */
export const SUPERUSER = 'postgres';
export const OWNER_ROLE = 'supervision_owner';
export const APP_ROLE = 'supervision_app';
/** The superuser password of versions before per-installation secrets (upgraded in place). */
export const LEGACY_PASSWORD = 'embedded-local-only';

/** `<baseDir>/secrets.json`: one password per role, generated per installation. */
export interface EmbeddedSecrets {
  version: 1;
  superuser: string;
  owner: string;
  app: string;
}

/** postgres:// URL of `database` on the embedded server as `user`. */
export function embeddedUrl(
  port: number,
  database: string,
  user = SUPERUSER,
  password = LEGACY_PASSWORD,
): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** Writes `file` atomically with mode 0600. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

const secret = (): string => randomBytes(24).toString('base64url');

/**
 * Reads `<baseDir>/secrets.json`, or creates it (mode 0600) with new random passwords. A file
 * readable by others is made private again (with a message): its passwords may have been read.
 * @throws Error naming the file when it is not the expected JSON
 */
export function loadSecrets(
  baseDir: string,
  log: (m: string) => void,
): { secrets: EmbeddedSecrets; created: boolean } {
  const file = path.join(baseDir, 'secrets.json');
  if (!existsSync(file)) {
    const secrets: EmbeddedSecrets = { version: 1, superuser: secret(), owner: secret(), app: secret() };
    writePrivate(file, JSON.stringify(secrets, null, 2) + '\n');
    return { secrets, created: true };
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    log(
      `${file} was readable by other users (mode ${mode.toString(8)}): made private (0600); consider its passwords known`,
    );
    chmodSync(file, 0o600);
  }
  let parsed: Partial<EmbeddedSecrets>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedSecrets>;
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}): restore it from a backup`, {
      cause: e,
    });
  }
  for (const k of ['superuser', 'owner', 'app'] as const)
    if (typeof parsed[k] !== 'string' || !parsed[k])
      throw new Error(`${file}: field "${k}" is missing or empty: restore the file from a backup`);
  return { secrets: parsed as EmbeddedSecrets, created: false };
}

export async function query<T = unknown>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The superuser step (idempotent, at every start; the only use of the superuser's password):
 * the owner and application roles with their passwords, `database` owned by the owner, the
 * schema `public` and every object in it owned by the owner (objects an earlier version created
 * as the superuser are handed over), and the application role's privileges: connect and
 * temporary tables on the database; rows of every table now and later (`ALTER DEFAULT
 * PRIVILEGES`), sequences, no DDL. The append-only tables lose UPDATE/DELETE/TRUNCATE after the
 * migrations (`restrictAppendOnly`).
 */
export async function provision(
  adminUrl: (db: string) => string,
  secrets: EmbeddedSecrets,
  database: string,
): Promise<void> {
  await query(adminUrl('postgres'), async (c) => {
    for (const [role, password] of [
      [OWNER_ROLE, secrets.owner],
      [APP_ROLE, secrets.app],
    ] as const) {
      const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      await c.query(
        `${rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ` +
          `NOREPLICATION NOBYPASSRLS PASSWORD ${c.escapeLiteral(password)}`,
      );
    }
    const db = c.escapeIdentifier(database);
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await c.query(`CREATE DATABASE ${db} OWNER ${OWNER_ROLE}`);
    else if (database !== 'postgres') await c.query(`ALTER DATABASE ${db} OWNER TO ${OWNER_ROLE}`);
    await c.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await c.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${APP_ROLE}`);
    await c.query(`GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${db} TO ${OWNER_ROLE}`);
  });
  await query(adminUrl(database), async (c) => {
    await c.query(`ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`);
    await c.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await c.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    // objects of an earlier version, created by the superuser: to the owner (tables take their
    // owned sequences along; then free-standing sequences, functions and types)
    await c.query(`DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r','p','v','m','f')
                   AND c.relowner <> '${OWNER_ROLE}'::regrole LOOP
          EXECUTE format('ALTER %s %s OWNER TO ${OWNER_ROLE}',
            CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                           WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
        END LOOP;
        FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> '${OWNER_ROLE}'::regrole LOOP
          EXECUTE format('ALTER SEQUENCE %s OWNER TO ${OWNER_ROLE}', r.name);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
                 JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND p.proowner <> '${OWNER_ROLE}'::regrole LOOP
          EXECUTE format('ALTER %s %s OWNER TO ${OWNER_ROLE}',
            CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.name);
        END LOOP;
        FOR r IN SELECT t.oid::regtype AS name FROM pg_type t
                 JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'public' AND t.typtype IN ('e','d','r','m')
                   AND t.typowner <> '${OWNER_ROLE}'::regrole LOOP
          EXECUTE format('ALTER TYPE %s OWNER TO ${OWNER_ROLE}', r.name);
        END LOOP;
      END $$`);
    await c.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`,
    );
    await c.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await c.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER_ROLE} IN SCHEMA public ` +
        `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO ${APP_ROLE}`,
    );
    await c.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER_ROLE} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APP_ROLE}`,
    );
  });
}

/** Tables the application may only append to (their triggers refuse changes; this is the privilege). */
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_checkpoint'];

/**
 * After the migrations, as the owner: the application role may not UPDATE, DELETE or TRUNCATE
 * the append-only tables (the triggers refuse it anyway; this is the second wall).
 */
export async function restrictAppendOnly(ownerUrl: string): Promise<void> {
  await query(ownerUrl, async (c) => {
    for (const table of APPEND_ONLY_TABLES) {
      const { rows } = await c.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [
        `public.${table}`,
      ]);
      if (rows[0]?.t) await c.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM ${APP_ROLE}`);
    }
  });
}
