import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate limits' shared counters (docs/security.md "Rate limits"), so that every instance of the
 * service on one database counts the same requests: one row per limiter and client key (a
 * signed-in user, an address, an address and username), with the hits in the current fixed window
 * and the instant the window ends. src/http/rate-limit-store.ts writes it with one atomic upsert
 * per request.
 *
 * UNLOGGED: counters are worth less than the WAL they would cost on every request, and a crash
 * only empties them (every client starts a fresh window). No index but the key's, and a fill
 * factor leaving room on each page, so that the updates stay HOT (no index entry is written).
 */
export class RateLimitCounter1765324800000 implements MigrationInterface {
  name = 'RateLimitCounter1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE rate_limit_counter (
      key text PRIMARY KEY,
      hits integer NOT NULL CHECK (hits >= 0),
      reset_at timestamptz NOT NULL
    ) WITH (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counter`);
  }
}
