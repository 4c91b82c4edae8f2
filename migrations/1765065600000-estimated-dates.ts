import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Source dates given only roughly (issue 9, "Text and dates"): a register that publishes only the
 * month of establishment (`2015年08月`) is stored as the month's first day with
 * `established_on_estimated`, as credit records already keep `date_estimated`. Adding a column
 * with a constant default is a catalogue change in PostgreSQL 11+ (no table rewrite).
 */
export class EstimatedDates1765065600000 implements MigrationInterface {
  name = 'EstimatedDates1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE enterprise ADD COLUMN established_on_estimated boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise DROP COLUMN established_on_estimated`);
  }
}
