import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browser sessions, bureau settings and deactivated users (issue 10; docs/security.md "Browser
 * sessions").
 *
 * - `user_session`: one row per signed-in browser (cookie sv_session). Only SHA-256 digests of the
 *   cookie's random secret and of the CSRF token are kept, so a copy of the table signs nobody in.
 *   A session is live while not ended, before expires_at (SESSION_MAX_HOURS after sign-in), within
 *   the bureau's idle timeout of last_seen_at, and its user's token version is still the one it was
 *   made at. Ended and dead rows are removed at later sign-ins.
 * - `bureau_setting`: bureau-wide settings an admin changes (key -> JSON value); absent keys take
 *   their defaults (src/settings/settings.service.ts).
 * - `app_user.active`: a deactivated (停用) user cannot sign in; its rows stay.
 */
export class SessionsAndSettings1765497600000 implements MigrationInterface {
  name = 'SessionsAndSettings1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`
      CREATE TABLE user_session (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        secret_digest   bytea NOT NULL UNIQUE CHECK (length(secret_digest) = 32),
        csrf_digest     bytea NOT NULL CHECK (length(csrf_digest) = 32),
        user_id         bigint NOT NULL REFERENCES app_user(id),
        token_version   integer NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        ended_at        timestamptz,
        ended_reason    text CHECK (ended_reason IN ('sign_out','sign_out_everywhere','password_change','deactivated','idle','expired','revoked')),
        client_address  text,
        user_agent      text CHECK (length(user_agent) <= 200)
      )`);
    await q.query(`CREATE INDEX user_session_user ON user_session (user_id) WHERE ended_at IS NULL`);
    await q.query(`
      CREATE TABLE bureau_setting (
        key             text PRIMARY KEY CHECK (key ~ '^[a-zA-Z]{1,64}$'),
        value           jsonb NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        updated_by      bigint REFERENCES app_user(id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bureau_setting`);
    await q.query(`DROP TABLE user_session`);
    await q.query(`ALTER TABLE app_user DROP COLUMN active`);
  }
}
