import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users with roles (admin, regulator, inspector, enterprise) and the append-only, hash-chained
 * audit trail (全过程留痕、可回溯). docs/security.md describes both.
 *
 * The audit trail is append-only in the database itself: triggers refuse UPDATE, DELETE and
 * TRUNCATE for every role, and UPDATE/DELETE/TRUNCATE privileges are revoked from PUBLIC. Only
 * someone who can disable triggers (the table owner or a superuser, not the application in
 * production: see docs/security.md) can change a row, and `audit verify` then finds it.
 */
export class UsersAndAudit1764547200000 implements MigrationInterface {
  name = 'UsersAndAudit1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username        text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        display_name    text NOT NULL CHECK (length(btrim(display_name)) > 0),
        password_hash   text NOT NULL,
        role            text NOT NULL CHECK (role IN ('admin','regulator','inspector','enterprise')),
        department      text,
        credential_no   text,
        enterprise_id   bigint REFERENCES enterprise(id),
        token_version   integer NOT NULL DEFAULT 0,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        deleted_at      timestamptz,
        CONSTRAINT app_user_department CHECK ((role IN ('regulator','inspector')) = (department IS NOT NULL)),
        CONSTRAINT app_user_credential CHECK ((role = 'inspector') = (credential_no IS NOT NULL)),
        CONSTRAINT app_user_enterprise CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
      )`);
    // a deleted user's name may be given again; the audit trail keeps the id
    await q.query(
      `CREATE UNIQUE INDEX app_user_username_key ON app_user (username) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX app_user_credential_key ON app_user (credential_no) WHERE deleted_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE audit_log (
        seq              bigint PRIMARY KEY CHECK (seq > 0),
        at               timestamptz NOT NULL,
        actor_id         bigint,
        actor            text NOT NULL,
        actor_role       text NOT NULL,
        actor_department text,
        action           text NOT NULL,
        entity_type      text NOT NULL,
        entity_id        text,
        before           jsonb,
        after            jsonb,
        payload_digest   char(64),
        request_id       text,
        prev_hash        char(64) NOT NULL,
        hash             char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, seq)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log, app_user`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
