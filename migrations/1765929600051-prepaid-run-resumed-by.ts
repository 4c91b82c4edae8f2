import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, adversarial fixes: who completed an evaluation run that an earlier call left unfinished
 * (killed half-way). `trigger_kind` stays the trigger that began it; `resumed_trigger` is the trigger
 * of the call that resumed it (null: never resumed). And an index of alerts by issuer (closed ones
 * too): the daily run reads, per batch of issuers, the latest opening, raise or closing day of their
 * alerts (alerts move forward in time only).
 */
export class PrepaidRunResumedBy1765929600051 implements MigrationInterface {
  name = 'PrepaidRunResumedBy1765929600051';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE prepaid_evaluation_run ADD COLUMN resumed_trigger text CHECK (resumed_trigger IN ('schedule','cli','api'))`,
    );
    await q.query(`CREATE INDEX prepaid_alert_enterprise_idx ON prepaid_alert (enterprise_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX prepaid_alert_enterprise_idx`);
    await q.query(`ALTER TABLE prepaid_evaluation_run DROP COLUMN resumed_trigger`);
  }
}
