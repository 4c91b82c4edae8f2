import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'administrative_penalty','listing','complaint','referral','inspection_result','judgment_defaulter',
  'unpaid_tax','product_spot_check','judicial_case','commendation'`;

/**
 * Basic attributes and dynamic information of the risk classification (SAMR 国市监信发〔2022〕6号,
 * domain.md 4): the register keeps each enterprise's registered capital (注册资本, in fen), and a
 * credit record of kind `registration_change` (变更登记) keeps each change of registered
 * particulars with the particular changed (`change_item`), so frequent changes can be counted.
 * Replacing the kind constraint locks `credit_record` (ACCESS EXCLUSIVE, as the migration runs in
 * one transaction) while PostgreSQL checks the stored rows against the two constraints: one scan,
 * a few seconds at 5M records, during which the service is not yet serving (migrations run at
 * start-up) and an import or the CLI waits.
 */
export class CapitalAndChanges1764892800000 implements MigrationInterface {
  name = 'CapitalAndChanges1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise ADD COLUMN registered_capital_fen bigint
      CONSTRAINT enterprise_registered_capital_range CHECK (registered_capital_fen BETWEEN 0 AND 9000000000000000)`);
    await q.query(`ALTER TABLE credit_record ADD COLUMN change_item text`);
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_kind_check`);
    await q.query(`ALTER TABLE credit_record ADD CONSTRAINT credit_record_kind_check
      CHECK (kind IN (${KINDS_BEFORE}, 'registration_change'))`);
    await q.query(`ALTER TABLE credit_record ADD CONSTRAINT credit_record_change_item CHECK (
      (kind = 'registration_change') = (change_item IS NOT NULL) AND
      (change_item IS NULL OR change_item IN ('name','legal_representative','address','registered_capital',
        'business_scope','shareholders','other')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM credit_record WHERE kind = 'registration_change'`);
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_change_item`);
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_kind_check`);
    await q.query(
      `ALTER TABLE credit_record ADD CONSTRAINT credit_record_kind_check CHECK (kind IN (${KINDS_BEFORE}))`,
    );
    await q.query(`ALTER TABLE credit_record DROP COLUMN change_item`);
    await q.query(`ALTER TABLE enterprise DROP COLUMN registered_capital_fen`);
  }
}
