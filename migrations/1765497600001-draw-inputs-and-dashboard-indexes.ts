import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a draw needs to be re-read and checked from the API (issue 10), and the indexes of the
 * regulator home (驾驶舱):
 * - `random_draw.per_tier` (jsonb `[{ tier, candidates, ratio, selected }]`, best tier first), the
 *   actor who ran it (`created_by_id`, `created_by_name`, `created_by_role`,
 *   `created_by_department`) and a `note`. Draws stored before this migration get `per_tier`
 *   from their items (selected per tier, the ratio they were given, `candidates` null: it was not
 *   stored) and no actor (the audit entry `random_draw.create` names it).
 * - `credit_tier_change (to_tier, changed_at) INCLUDE (from_tier)`: the changes of this month by
 *   target tier and the newest moves to the worst tier, read from the index alone.
 * - `scoring_run (scope, as_of, id)`: the newest full runs and the last full run of each month,
 *   among single rescorings (one row per record posted).
 */
export class DrawInputsAndDashboardIndexes1765497600001 implements MigrationInterface {
  name = 'DrawInputsAndDashboardIndexes1765497600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE random_draw
        ADD COLUMN per_tier jsonb,
        ADD COLUMN created_by_id bigint,
        ADD COLUMN created_by_name text,
        ADD COLUMN created_by_role text,
        ADD COLUMN created_by_department text,
        ADD COLUMN note text CHECK (length(note) <= 200)`);
    await q.query(`
      UPDATE random_draw d SET per_tier = coalesce((
        SELECT jsonb_agg(jsonb_build_object('tier', x.tier, 'candidates', NULL,
                 'ratio', coalesce((d.ratios ->> x.tier)::numeric, 0), 'selected', x.n) ORDER BY x.first)
        FROM (SELECT tier, count(*)::int AS n, min(position) AS first
              FROM random_draw_item WHERE draw_id = d.id GROUP BY tier) x
      ), '[]'::jsonb)`);
    await q.query(`ALTER TABLE random_draw ALTER COLUMN per_tier SET NOT NULL`);
    await q.query(
      `CREATE INDEX credit_tier_change_to_tier_changed_idx ON credit_tier_change (to_tier, changed_at) INCLUDE (from_tier)`,
    );
    await q.query(`CREATE INDEX scoring_run_scope_as_of_idx ON scoring_run (scope, as_of, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scoring_run_scope_as_of_idx`);
    await q.query(`DROP INDEX credit_tier_change_to_tier_changed_idx`);
    await q.query(`
      ALTER TABLE random_draw DROP COLUMN per_tier, DROP COLUMN created_by_id, DROP COLUMN created_by_name,
        DROP COLUMN created_by_role, DROP COLUMN created_by_department, DROP COLUMN note`);
  }
}
