import type { Sql } from '../audit/audit-writer.js';
import { analyzeDue } from '../common/table-statistics.js';

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The statistics step of every bulk write (imports, full rescoring, snapshots): ANALYZEs `table`
 * in the caller's transaction when the pure rule `analyzeDue` (autovacuum's own threshold,
 * common/table-statistics.ts) says so, so the planner never meets a freshly loaded table without
 * statistics even where autovacuum is off or late. Inside the transaction, ANALYZE samples the
 * rows this write added, and the statistics commit (or roll back) with them; it takes a SHARE
 * UPDATE EXCLUSIVE lock, which ordinary reads and writes do not wait for. It runs through
 * `refresh_table_statistics` (migration 1765411200000), with the owner's rights: the service's
 * own role owns no table, and PostgreSQL lets only a table's owner analyze it.
 * @param sql the transaction's connection (sqlOf / sqlOfClient)
 * @param table a table of the public schema (lower-case identifier)
 * @param written rows this write inserted, updated or deleted
 * @returns whether the table was analyzed
 * @throws Error on a malformed table name (a caller's bug) or an unknown table
 */
export async function refreshStatistics(sql: Sql, table: string, written: number): Promise<boolean> {
  if (!TABLE_NAME.test(table)) throw new Error(`refreshStatistics: '${table}' is not a table name`);
  const [row] = await sql(
    `SELECT c.reltuples::float8 AS reltuples,
            EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = 'public' AND s.tablename = c.relname) AS has_statistics,
            coalesce(t.n_mod_since_analyze, 0)::float8 AS modified
     FROM pg_class c LEFT JOIN pg_stat_user_tables t ON t.relid = c.oid
     WHERE c.oid = to_regclass($1)`,
    [`public.${table}`],
  );
  if (!row) throw new Error(`refreshStatistics: no table public.${table}`);
  const due = analyzeDue({
    written,
    modifiedSinceAnalyze: Number(row.modified),
    reltuples: Number(row.reltuples),
    hasStatistics: row.has_statistics === true,
  });
  if (due) await sql(`SELECT refresh_table_statistics($1::regclass)`, [`public.${table}`]);
  return due;
}
