import { Actor } from './actor.js';
import { entryHash, GENESIS_HASH, storableText, storedPayloads } from './audit-chain.js';

/** Runs one SQL statement in the caller's transaction and returns its rows. */
export type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** A TypeORM EntityManager or QueryRunner as an Sql function. */
export const sqlOf =
  (m: { query: (text: string, params?: unknown[]) => Promise<unknown> }): Sql =>
  async (text, params) =>
    (await m.query(text, params)) as Record<string, unknown>[];

/** A node-postgres client as an Sql function. */
export const sqlOfClient =
  (c: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Sql =>
  async (text, params) =>
    (await c.query(text, params)).rows as Record<string, unknown>[];

/** What happened, to what. */
export interface AuditEvent {
  /** dotted verb, e.g. `enterprise.create`, `credit_record.create`, `auth.login_failed` */
  action: string;
  /** table or concept acted on, e.g. `enterprise`, `app_user`, `import` */
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Advisory lock serialising appends: held from the append to the end of the transaction. */
const CHAIN_LOCK = 'audit_chain';

/** SQL giving an instant (timestamptz expression) as stored and hashed: UTC text with microseconds. */
export const atText = (instant: string) =>
  `to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Appends one audit entry inside the caller's transaction, so the change and its entry commit or
 * roll back together (domain: 全过程留痕; docs/security.md). Takes the chain lock, reads the
 * newest entry, and writes seq + 1 with prev_hash = its hash. Call it as the transaction's last
 * statement: the lock is held until commit, and appends of other transactions wait for it.
 * @returns the entry's seq and hash
 */
export async function appendAudit(
  sql: Sql,
  actor: Actor,
  event: AuditEvent,
): Promise<{ seq: number; hash: string }> {
  await sql('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
  const [row] = await sql(
    `SELECT ${atText('clock_timestamp()')} AS now, last.seq, last.hash
     FROM (SELECT 1) one LEFT JOIN (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) last ON true`,
  );
  const payload = storedPayloads(event.before, event.after);
  const text = (s: string | null) => (s === null ? null : storableText(s));
  const fields = {
    seq: Number(row!.seq ?? 0) + 1,
    at: row!.now as string,
    actorId: actor.userId,
    actor: storableText(actor.name),
    actorRole: actor.role,
    actorDepartment: text(actor.department),
    action: event.action,
    entityType: event.entityType,
    entityId: text(event.entityId === undefined || event.entityId === null ? null : String(event.entityId)),
    before: payload.before,
    after: payload.after,
    payloadDigest: payload.digest,
    requestId: text(actor.requestId),
    prevHash: (row!.hash as string | null) ?? GENESIS_HASH,
  };
  const hash = entryHash(fields);
  await sql(
    `INSERT INTO audit_log (seq, at, actor_id, actor, actor_role, actor_department, action, entity_type,
       entity_id, before, after, payload_digest, request_id, prev_hash, hash)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14, $15)`,
    [
      fields.seq,
      fields.at,
      fields.actorId,
      fields.actor,
      fields.actorRole,
      fields.actorDepartment,
      fields.action,
      fields.entityType,
      fields.entityId,
      fields.before === null ? null : JSON.stringify(fields.before),
      fields.after === null ? null : JSON.stringify(fields.after),
      fields.payloadDigest,
      fields.requestId,
      fields.prevHash,
      hash,
    ],
  );
  return { seq: fields.seq, hash };
}
