import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import { pgPool } from '../database/pg-pool.js';
import { Actor } from './actor.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { AuditEntryFields, ChainAnchor, ChainReport, ChainVerifier, GENESIS_HASH } from './audit-chain.js';
import {
  checkpointAnchor,
  checkpointProblem,
  keyIdOf,
  signCheckpoint,
  type SignedCheckpoint,
} from './audit-checkpoint.js';
import {
  appendCheckpoint,
  checkpointLogOf,
  loadCheckpointKey,
  readCheckpointLog,
} from './checkpoint-store.js';
import { appendAudit, atText, AuditEvent, sqlOf } from './audit-writer.js';

/** Filters of the audit list; every one optional. */
export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  /** actor's user id */
  actorId?: number;
  /** actor name (username, `cli:…`) */
  actor?: string;
  action?: string;
  /** instants, ISO 8601; from inclusive, to exclusive */
  from?: string;
  to?: string;
  /** only entries of actors of this department (a regulator's scope) */
  department?: string;
  page: number;
  pageSize: number;
}

/** One entry as the API shows it. */
export interface AuditEntryView extends AuditEntryFields {
  hash: string;
}

const ENTRY_COLUMNS = `seq::int AS seq, ${atText('at')} AS at, actor_id::int AS "actorId", actor,
  actor_role AS "actorRole", actor_department AS "actorDepartment", action, entity_type AS "entityType",
  entity_id AS "entityId", before, after, payload_digest AS "payloadDigest", request_id AS "requestId",
  prev_hash AS "prevHash", hash`;

/** A chain walk with the signed checkpoints it was checked against. */
export interface VerifyReport extends ChainReport {
  /** signed checkpoints checked (the table's and the file's, each counted once) */
  checkpoints: number;
  /** the newest checkpoint (highest seq), when there is one */
  latestCheckpoint: { seq: number; hash: string; at: string } | null;
}

const NO_CHECKPOINTS = { checkpoints: 0, latestCheckpoint: null };

/** The public key that checks the signed checkpoints. */
export interface CheckpointKeyView {
  /** Ed25519 public key, SPKI PEM */
  publicKey: string;
  keyId: string;
  algorithm: 'Ed25519';
}

/**
 * The audit trail (全过程留痕、可回溯): entries written with the change they record (appendAudit
 * inside the change's transaction), listed with filters, and verified by walking the hash chain.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records an event that changes nothing else (a failed login, a refused access) in its own
   * transaction. Changes record their entry with appendAudit in their own transaction instead.
   */
  async record(actor: Actor, event: AuditEvent): Promise<{ seq: number; hash: string }> {
    return this.dataSource.transaction((m) => appendAudit(sqlOf(m), actor, event));
  }

  /** Entries matching the filters, newest first, paginated (page from 1). */
  async list(
    q: AuditQuery,
  ): Promise<{ items: AuditEntryView[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      params.push(v);
      where.push(cond.replace('?', `$${params.length}`));
    };
    if (q.entityType) add('entity_type = ?', q.entityType);
    if (q.entityId) add('entity_id = ?', q.entityId);
    if (q.actorId !== undefined) add('actor_id = ?', q.actorId);
    if (q.actor) add('actor = ?', q.actor);
    if (q.action) add('action = ?', q.action);
    if (q.from) add('at >= ?::timestamptz', q.from);
    if (q.to) add('at < ?::timestamptz', q.to);
    if (q.department) add('actor_department = ?', q.department);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM audit_log ${filter}`,
      params,
    );
    const items = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM audit_log ${filter} ORDER BY seq DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Walks the whole chain in seq order (streamed: constant memory) and reports the first broken
   * link, checking it against every signed checkpoint (the table's and the file's beside the key):
   * a checkpoint whose signature does not verify, whose seq's entry has another hash, or that lies
   * beyond the chain's end breaks it, named in `broken`. The walk reads one snapshot (REPEATABLE
   * READ), so appends during it do not disturb it.
   * @param expectHead a head recorded earlier (seq and hash) that the chain must still reach
   */
  async verify(expectHead?: { seq: number; hash: string }): Promise<VerifyReport> {
    const chain = await this.chainId();
    let checkpoints: SignedCheckpoint[];
    try {
      checkpoints = await this.checkpoints(chain);
    } catch (e) {
      // a damaged checkpoint file: nothing can be trusted until it is looked at
      const broken = { seq: 0, reason: (e as Error).message };
      return { ok: false, entries: 0, head: { seq: 0, hash: GENESIS_HASH }, broken, ...NO_CHECKPOINTS };
    }
    const latest = checkpoints.reduce<SignedCheckpoint | null>((m, c) => (!m || c.seq > m.seq ? c : m), null);
    const extra = {
      checkpoints: checkpoints.length,
      latestCheckpoint: latest && { seq: latest.seq, hash: latest.hash, at: latest.at },
    };
    const forged = this.signatureProblem(checkpoints);
    if (forged)
      return { ok: false, entries: 0, head: { seq: 0, hash: GENESIS_HASH }, broken: forged, ...extra };
    const anchors: ChainAnchor[] = checkpoints.map(checkpointAnchor);
    if (expectHead) anchors.push(expectHead);
    return { ...(await this.walk(new ChainVerifier(anchors))), ...extra };
  }

  /**
   * Signs the current head of the chain (after walking it: a broken chain is not signed) with the
   * checkpoint key (AUDIT_KEY_FILE, made on first use), stores the checkpoint in
   * `audit_checkpoint` and appends it to the checkpoint file beside the key.
   * @param at the signing instant (default now)
   * @throws Error when the chain is broken (naming the entry) or the key cannot be used
   */
  async checkpoint(at: Date = new Date()): Promise<SignedCheckpoint> {
    const report = await this.verify();
    if (!report.ok)
      throw new Error(
        `the audit chain is broken at entry ${report.broken!.seq} (${report.broken!.reason}): no checkpoint signed`,
      );
    const key = loadCheckpointKey(this.config.AUDIT_KEY_FILE, true)!;
    const cp = signCheckpoint(
      { chain: await this.chainId(), seq: report.head.seq, hash: report.head.hash, at: at.toISOString() },
      key.privateKey,
    );
    appendCheckpoint(checkpointLogOf(key.file), cp);
    await this.dataSource.query(
      `INSERT INTO audit_checkpoint (chain, seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [cp.chain, cp.seq, cp.hash, cp.at, cp.keyId, cp.signature],
    );
    this.logger.log(`audit checkpoint signed: ${cp.seq}:${cp.hash} at ${cp.at}`);
    return cp;
  }

  /**
   * The public key checking the checkpoints (made with the key on first use), for anyone who
   * keeps checkpoints elsewhere and checks them independently.
   */
  checkpointKey(): CheckpointKeyView {
    const key = loadCheckpointKey(this.config.AUDIT_KEY_FILE, true)!;
    return {
      publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      keyId: keyIdOf(key.publicKey),
      algorithm: 'Ed25519',
    };
  }

  /**
   * This chain's identity in checkpoints: the server's system identifier and the database name
   * (several databases may keep their checkpoints in one file).
   */
  private async chainId(): Promise<string> {
    const [{ chain }] = await this.dataSource.query(
      `SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database() AS chain`,
    );
    return chain as string;
  }

  /** The signed checkpoints of this chain: the table's and the file's, each once, by seq. */
  private async checkpoints(chain: string): Promise<SignedCheckpoint[]> {
    const rows: SignedCheckpoint[] = await this.dataSource.query(
      `SELECT chain, seq::int AS seq, hash, at, key_id AS "keyId", signature FROM audit_checkpoint ORDER BY seq, id`,
    );
    const fromFile = readCheckpointLog(checkpointLogOf(this.config.AUDIT_KEY_FILE)).filter(
      (c) => c.chain === chain,
    );
    const seen = new Set<string>();
    return [...rows, ...fromFile]
      .filter((c) => !seen.has(c.signature) && !!seen.add(c.signature))
      .sort((a, b) => a.seq - b.seq);
  }

  /** The first checkpoint whose signature does not verify (or that no key can check), as a break. */
  private signatureProblem(checkpoints: SignedCheckpoint[]): { seq: number; reason: string } | null {
    if (!checkpoints.length) return null;
    const key = loadCheckpointKey(this.config.AUDIT_KEY_FILE, false);
    if (!key)
      return {
        seq: checkpoints[0]!.seq,
        reason: `${checkpoints.length} signed checkpoint(s) but no checkpoint key at ${this.config.AUDIT_KEY_FILE} to check them`,
      };
    for (const cp of checkpoints) {
      const problem = checkpointProblem(cp, key.publicKey);
      if (problem)
        return { seq: cp.seq, reason: `the checkpoint of ${cp.at} at entry ${cp.seq}: ${problem}` };
    }
    return null;
  }

  /** Streams the chain through `verifier` in one REPEATABLE READ snapshot. */
  private async walk(verifier: ChainVerifier): Promise<ChainReport> {
    const client = await pgPool(this.dataSource).connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const stream = client.query(
        new QueryStream(`SELECT ${ENTRY_COLUMNS} FROM audit_log ORDER BY seq`, [], { batchSize: 5000 }),
      );
      for await (const row of stream as AsyncIterable<AuditEntryView>) {
        if (!verifier.next(row)) {
          stream.destroy();
          break;
        }
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    return verifier.report();
  }
}
