import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit history (issue 4): which scorecard version was in force from which date, every change
 * of an enterprise's tier with the score and reasons behind it, and the monthly reclassification
 * snapshots (月度信用风险分类结果) kept for history with their inputs' digest and per-indicator points.
 */
export class CreditHistory1764720000000 implements MigrationInterface {
  name = 'CreditHistory1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scorecard_activation (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        version         text NOT NULL REFERENCES scorecard_version(version),
        effective_from  date NOT NULL,
        activated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX scorecard_activation_from_idx ON scorecard_activation (effective_from, id)`);
    // the version active before this migration has been in force from the start
    await q.query(
      `INSERT INTO scorecard_activation (version, effective_from) SELECT version, DATE '1900-01-01' FROM scorecard_version WHERE is_active`,
    );

    await q.query(`
      CREATE TABLE credit_tier_change (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enterprise_id  bigint NOT NULL,
        changed_at     timestamptz NOT NULL DEFAULT now(),
        as_of          date NOT NULL,
        run_id         bigint NOT NULL,
        model_version  text NOT NULL,
        from_tier      text,
        to_tier        text NOT NULL,
        from_score     numeric(6,2),
        to_score       numeric(6,2) NOT NULL,
        reasons        jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX credit_tier_change_enterprise_idx ON credit_tier_change (enterprise_id, id)`);

    await q.query(`
      CREATE TABLE credit_snapshot (
        month          date NOT NULL CHECK (extract(day FROM month) = 1),
        enterprise_id  bigint NOT NULL,
        score          numeric(6,2) NOT NULL,
        tier           text NOT NULL,
        model_version  text NOT NULL,
        as_of          date NOT NULL,
        run_id         bigint NOT NULL,
        inputs_digest  char(32) NOT NULL,
        indicators     jsonb NOT NULL,
        taken_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (month, enterprise_id)
      )`);
    await q.query(`CREATE INDEX credit_snapshot_enterprise_idx ON credit_snapshot (enterprise_id, month)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE credit_snapshot, credit_tier_change, scorecard_activation`);
  }
}
