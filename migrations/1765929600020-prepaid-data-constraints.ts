import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, data slice: constraints the issuers' data needs beyond the scaffold
 * (1765929600000-prepaid-early-warning.ts, left as it is):
 * - one open payee account per issuer (a new account ends the previous one: PrepaidIssuersService);
 * - the issuer's source key unique per source (CSV re-imports name the row already stored);
 * - a report's period ends where its calendar period ends (the service derives it; this keeps other
 *   writers honest): a month ends on its last day, a quarter two months later.
 */
export class PrepaidDataConstraints1765929600020 implements MigrationInterface {
  name = 'PrepaidDataConstraints1765929600020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX prepaid_payee_account_open ON prepaid_payee_account (enterprise_id) WHERE until_on IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX prepaid_issuer_source_key ON prepaid_issuer (source_system, source_key) WHERE source_key IS NOT NULL`,
    );
    await q.query(`ALTER TABLE prepaid_report ADD CONSTRAINT prepaid_report_calendar_period CHECK (
      extract(day FROM period_start) = 1
      AND period_end = (period_start + (CASE period_kind WHEN 'quarter' THEN interval '3 months' ELSE interval '1 month' END) - interval '1 day')::date
      AND (period_kind = 'month' OR extract(month FROM period_start)::int % 3 = 1))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prepaid_report DROP CONSTRAINT prepaid_report_calendar_period`);
    await q.query(`DROP INDEX prepaid_issuer_source_key`);
    await q.query(`DROP INDEX prepaid_payee_account_open`);
  }
}
