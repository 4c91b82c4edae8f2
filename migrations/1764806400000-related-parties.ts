import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Related parties (关联关系, SAMR 国市监信发〔2022〕6号 indicator group): the register keeps a key of
 * each enterprise's legal representative (法定代表人) — an opaque digest made by the source system
 * from the identity document, never the document number or the name — so enterprises sharing a
 * legal representative can be related.
 */
export class RelatedParties1764806400000 implements MigrationInterface {
  name = 'RelatedParties1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE enterprise ADD COLUMN legal_rep_key text CHECK (legal_rep_key ~ '^[A-Za-z0-9_-]{16,128}$')`,
    );
    await q.query(
      `CREATE INDEX enterprise_legal_rep_idx ON enterprise (legal_rep_key) WHERE legal_rep_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise DROP COLUMN legal_rep_key`);
  }
}
