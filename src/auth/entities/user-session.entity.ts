import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EndReason } from '../rules/session-rules.js';

/**
 * A browser session (table user_session; docs/security.md "Browser sessions"). Only SHA-256
 * digests of the cookie's secret and of the CSRF token are stored.
 */
@Entity('user_session')
export class UserSession {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: number;

  /** SHA-256 of the cookie's secret (32 random bytes, base64url) */
  @Column('bytea', { name: 'secret_digest' })
  secretDigest!: Buffer;

  /** SHA-256 of the CSRF token */
  @Column('bytea', { name: 'csrf_digest' })
  csrfDigest!: Buffer;

  @Column('bigint', { name: 'user_id' })
  userId!: number;

  /** the user's token version when the session was made: a raised version ends it */
  @Column('int', { name: 'token_version' })
  tokenVersion!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  /** written at most once a minute (session-rules.ts TOUCH_INTERVAL_MS) */
  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  /** absolute end: created_at + SESSION_MAX_HOURS */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('text', { name: 'ended_reason', nullable: true })
  endedReason!: EndReason | null;

  @Column('text', { name: 'client_address', nullable: true })
  clientAddress!: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;
}
