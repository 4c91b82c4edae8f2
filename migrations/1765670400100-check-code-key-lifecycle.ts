import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, the signing keys' life cycle (docs/check-code-format.md "密钥轮换与吊销"): a key is made
 * active, then retired (rotation) or revoked (compromise); nothing else. The database holds to it
 * whatever the code does:
 * - a retired or revoked key never becomes active again, a revoked key never changes again, a
 *   retired one may only be revoked; kid, alg, public key and validFrom never change; no key is
 *   deleted (its codes and the published trust list refer to it);
 * - a key that is not active holds no private part; a retired key says until when it signed and
 *   verifies; a new key is inserted active;
 * - no code is stored under a revoked key, nor under a retired key after its signs_until.
 */
export class CheckCodeKeyLifecycle1765670400100 implements MigrationInterface {
  name = 'CheckCodeKeyLifecycle1765670400100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE check_code_key
        ADD CONSTRAINT check_code_key_private_only_active CHECK (status = 'active' OR private_key IS NULL),
        ADD CONSTRAINT check_code_key_retired_dates CHECK (
          status <> 'retired' OR (signs_until IS NOT NULL AND verifies_until IS NOT NULL)),
        ADD COLUMN retire_reason text`);
    await q.query(`
      CREATE FUNCTION check_code_key_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'check_code_key %: a signing key is never deleted (codes and trust lists name it)', OLD.kid
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'INSERT' THEN
          IF NEW.status <> 'active' OR NEW.signs_until IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
            RAISE EXCEPTION 'check_code_key %: a new key is inserted active', NEW.kid
              USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END IF;
        IF NEW.kid <> OLD.kid OR NEW.alg <> OLD.alg OR NEW.public_key <> OLD.public_key
           OR NEW.valid_from <> OLD.valid_from OR NEW.created_at <> OLD.created_at
           OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
          RAISE EXCEPTION 'check_code_key %: kid, alg, public key and validity start never change', OLD.kid
            USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status = 'revoked' THEN
          RAISE EXCEPTION 'check_code_key %: a revoked key never changes again', OLD.kid
            USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status = 'retired' AND NEW.status <> 'revoked' AND (
             NEW.status <> 'retired' OR NEW.signs_until IS DISTINCT FROM OLD.signs_until
             OR NEW.verifies_until IS DISTINCT FROM OLD.verifies_until) THEN
          RAISE EXCEPTION 'check_code_key %: a retired key can only be revoked (never active again)', OLD.kid
            USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.private_key IS NULL AND NEW.private_key IS NOT NULL THEN
          RAISE EXCEPTION 'check_code_key %: a dropped private key is never restored', OLD.kid
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER check_code_key_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON check_code_key
      FOR EACH ROW EXECUTE FUNCTION check_code_key_lifecycle()`);

    await q.query(`
      CREATE FUNCTION check_code_signed_by_usable_key() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE k record;
      BEGIN
        SELECT status, signs_until INTO k FROM check_code_key WHERE kid = NEW.kid;
        IF k.status = 'revoked' OR (k.status = 'retired' AND NEW.issued_at > k.signs_until) THEN
          RAISE EXCEPTION 'check code %: its key % no longer signs (%)', NEW.code_no, NEW.kid, k.status
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER check_code_signed_by_usable_key BEFORE INSERT ON check_code
      FOR EACH ROW EXECUTE FUNCTION check_code_signed_by_usable_key()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER check_code_signed_by_usable_key ON check_code`);
    await q.query(`DROP FUNCTION check_code_signed_by_usable_key()`);
    await q.query(`DROP TRIGGER check_code_key_lifecycle ON check_code_key`);
    await q.query(`DROP FUNCTION check_code_key_lifecycle()`);
    await q.query(`
      ALTER TABLE check_code_key
        DROP CONSTRAINT check_code_key_private_only_active,
        DROP CONSTRAINT check_code_key_retired_dates,
        DROP COLUMN retire_reason`);
  }
}
