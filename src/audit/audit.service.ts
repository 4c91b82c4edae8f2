import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import { pgPool } from '../database/pg-pool.js';
import { Actor } from './actor.js';
import { AuditEntryFields, ChainReport, ChainVerifier } from './audit-chain.js';
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

/**
 * The audit trail (全过程留痕、可回溯): entries written with the change they record (appendAudit
 * inside the change's transaction), listed with filters, and verified by walking the hash chain.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
   * link. The walk reads one snapshot (REPEATABLE READ), so appends during it do not disturb it.
   * @param expectHead a head recorded earlier (seq and hash) that the chain must still reach
   */
  async verify(expectHead?: { seq: number; hash: string }): Promise<ChainReport> {
    const client = await pgPool(this.dataSource).connect();
    const verifier = new ChainVerifier(expectHead);
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
