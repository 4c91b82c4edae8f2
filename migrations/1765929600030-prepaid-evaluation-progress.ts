import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, alerts slice: the daily evaluation's progress, so that a run killed half-way is completed
 * by the next (src/prepaid/evaluation/evaluation.service.ts). Issuers are evaluated in enterprise_id
 * order in batches, each batch its own transaction; `done_through` is the last enterprise_id of the
 * last committed batch (NULL: none yet). A run resumed for the same day continues after it, so no
 * issuer is counted, levelled or alerted twice.
 */
export class PrepaidEvaluationProgress1765929600030 implements MigrationInterface {
  name = 'PrepaidEvaluationProgress1765929600030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prepaid_evaluation_run ADD COLUMN done_through bigint`);
    // at most one unfinished run per day (the one a rerun resumes)
    await q.query(
      `CREATE UNIQUE INDEX prepaid_evaluation_run_open ON prepaid_evaluation_run (as_of) WHERE finished_at IS NULL`,
    );
    await q.query(`CREATE INDEX prepaid_level_as_of_idx ON prepaid_level (as_of, level)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX prepaid_level_as_of_idx`);
    await q.query(`DROP INDEX prepaid_evaluation_run_open`);
    await q.query(`ALTER TABLE prepaid_evaluation_run DROP COLUMN done_through`);
  }
}
