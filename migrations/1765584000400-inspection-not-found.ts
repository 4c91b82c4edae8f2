import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 (results of inspection tasks): an inspection_result credit record may have the outcome
 * `not_found` (查无下落: the enterprise cannot be found at its registered address), which an
 * inspector records on a task (POST /api/tasks/:id/result) and the scorecard counts as a failed
 * inspection (credit/rules/record-kinds.ts FAILED_INSPECTION_OUTCOMES). Widens the CHECK of the
 * foundation migration; every stored row already satisfies the new one.
 */
export class InspectionNotFound1765584000400 implements MigrationInterface {
  name = 'InspectionNotFound1765584000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_inspection_outcome`);
    await q.query(`ALTER TABLE credit_record ADD CONSTRAINT credit_record_inspection_outcome CHECK (
      kind <> 'inspection_result' OR outcome IN ('no_problem','problems_found','refused','not_found'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credit_record DROP CONSTRAINT credit_record_inspection_outcome`);
    await q.query(`ALTER TABLE credit_record ADD CONSTRAINT credit_record_inspection_outcome CHECK (
      kind <> 'inspection_result' OR outcome IN ('no_problem','problems_found','refused'))`);
  }
}
