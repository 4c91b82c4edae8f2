import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of API writes (docs/security.md "Idempotency-Key"; IETF httpapi draft "The
 * Idempotency-Key HTTP Header Field"): one row per user and key, holding the request's
 * fingerprint, `in_flight` while the first request runs (until `locked_until`), then `done` with
 * the answer (status, content type, body) replayed to retries. Rows expire at `expires_at` and
 * are then purged. In the database, so several service instances share it.
 */
export class IdempotencyKeys1765152000001 implements MigrationInterface {
  name = 'IdempotencyKeys1765152000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        user_id bigint NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        fingerprint char(64) NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight', 'done')),
        status int,
        content_type text,
        body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key),
        CHECK ((state = 'done') = (status IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}
