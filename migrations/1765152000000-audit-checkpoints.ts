import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit chain head (docs/security.md "Signed checkpoints"): each row is
 * one head (`seq`, `hash`) of the chain `chain` (the server's system identifier and the database
 * name) signed at `at` with the Ed25519 key kept outside the database (`key_id` names it). The
 * signature is what proves a row; the same checkpoints are also appended to a file beside the
 * key, so deleting rows here hides nothing. Append-only like audit_log (triggers, no UPDATE/DELETE
 * for PUBLIC).
 */
export class AuditCheckpoints1765152000000 implements MigrationInterface {
  name = 'AuditCheckpoints1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoint (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        chain text NOT NULL,
        seq bigint NOT NULL CHECK (seq >= 0),
        hash char(64) NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        at text NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        UNIQUE (seq, hash, at)
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoint is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_checkpoint_no_change BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoint`);
    await q.query(`DROP FUNCTION audit_checkpoint_append_only()`);
  }
}
