import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, adversarial fixes: the day a report or a signal is known to the evaluation (known_on).
 * A fact typed with a day before the latest evaluated day (a back-dated submittedOn / receivedOn)
 * would otherwise rewrite the explanation, and disagree with the stored levels and alert evidence, of
 * days already evaluated. The services store known_on = the typed day, or the day after the latest
 * evaluation run when that is later; the facts loader reads coalesce(known_on, typed day). Rows stored
 * before this migration are known on their typed day.
 */
export class PrepaidKnownOn1765929600050 implements MigrationInterface {
  name = 'PrepaidKnownOn1765929600050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prepaid_report ADD COLUMN known_on date`);
    await q.query(`ALTER TABLE prepaid_signal ADD COLUMN known_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prepaid_signal DROP COLUMN known_on`);
    await q.query(`ALTER TABLE prepaid_report DROP COLUMN known_on`);
  }
}
