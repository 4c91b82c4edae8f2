import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the enterprise list's common filters (GET /api/enterprises, issue 10): by street,
 * in USCC order (a street's page, and a street with a tier), and the prepaid-card issuers in USCC
 * order (a partial index: about a fifth of the register). Measured at 1M enterprises in
 * docs/performance.md "Enterprise list".
 */
export class EnterpriseListIndexes1765497600002 implements MigrationInterface {
  name = 'EnterpriseListIndexes1765497600002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX enterprise_street_idx ON enterprise (street, uscc)`);
    await q.query(`CREATE INDEX enterprise_prepaid_idx ON enterprise (uscc) WHERE prepaid_issuer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX enterprise_prepaid_idx`);
    await q.query(`DROP INDEX enterprise_street_idx`);
  }
}
