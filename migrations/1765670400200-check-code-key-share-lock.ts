import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, a code stored while its key is being revoked: check_code_signed_by_usable_key read the
 * key's status without a lock, so an issuing transaction that read `active` before a revocation
 * committed stored its code after the revocation had marked the key's live codes revoked; that
 * code stayed `issued` under a revoked key (never valid, yet the visit's "live code"). The trigger
 * now takes the key row FOR SHARE: a revocation (which locks the row FOR UPDATE) waits for issuing
 * transactions in flight and then revokes their codes too, and an issue after it sees `revoked`.
 */
export class CheckCodeKeyShareLock1765670400200 implements MigrationInterface {
  name = 'CheckCodeKeyShareLock1765670400200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(fn('FOR SHARE'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(fn(''));
  }
}

const fn = (lock: string) => `
  CREATE OR REPLACE FUNCTION check_code_signed_by_usable_key() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE k record;
  BEGIN
    SELECT status, signs_until INTO k FROM check_code_key WHERE kid = NEW.kid ${lock};
    IF k.status = 'revoked' OR (k.status = 'retired' AND NEW.issued_at > k.signs_until) THEN
      RAISE EXCEPTION 'check code %: its key % no longer signs (%)', NEW.code_no, NEW.kid, k.status
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$`;
