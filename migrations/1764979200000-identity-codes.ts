import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity codes the way registers hold them (issue 9): the legacy 15-digit registration number
 * (注册号, its ISO 7064 MOD 11,10 check digit checked by the application), and two review flags
 * on the enterprise: `uscc_check_char_failed` (a code kept by `import register
 * --accept-bad-check-char` although it fails its check character) and `division_mismatch` (the
 * division column disagrees with the USCC's positions 3-8). Adding columns with constant
 * defaults rewrites nothing (PostgreSQL 11+).
 */
export class IdentityCodes1764979200000 implements MigrationInterface {
  name = 'IdentityCodes1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise
      ADD COLUMN registration_no char(15) CONSTRAINT enterprise_registration_no_digits CHECK (registration_no ~ '^[0-9]{15}$'),
      ADD COLUMN uscc_check_char_failed boolean NOT NULL DEFAULT false,
      ADD COLUMN division_mismatch boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise DROP COLUMN registration_no, DROP COLUMN uscc_check_char_failed,
      DROP COLUMN division_mismatch`);
  }
}
