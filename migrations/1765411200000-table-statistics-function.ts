import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `refresh_table_statistics(regclass)`: ANALYZE of one table of the public schema, run with the
 * rights of the schema's owner (SECURITY DEFINER). Only a table's owner may ANALYZE it; the
 * service connects as a role that owns nothing (docs/security.md "The embedded database"), so
 * without this function the statistics step of every bulk write (database/table-statistics.ts)
 * would be skipped with a warning and the planner would meet freshly loaded tables without
 * statistics. The function analyzes nothing outside the public schema, fixes its search_path,
 * and quotes the table through regclass, so it cannot be turned to anything but ANALYZE.
 */
export class TableStatisticsFunction1765411200000 implements MigrationInterface {
  name = 'TableStatisticsFunction1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION refresh_table_statistics(target regclass) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_class c
                       WHERE c.oid = target AND c.relnamespace = 'public'::regnamespace
                         AND c.relkind IN ('r', 'p')) THEN
          RAISE EXCEPTION 'refresh_table_statistics: % is not a table of the public schema', target;
        END IF;
        EXECUTE format('ANALYZE %s', target::text);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION refresh_table_statistics(regclass)`);
  }
}
