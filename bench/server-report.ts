/**
 * What the benchmark prints about the server it ran on, so figures from different servers can be
 * compared (docs/performance.md): version, the settings that move the figures, whether the main
 * tables have planner statistics, and how the planner costs a per-enterprise query (and whether
 * JIT compiled it). Everything is read through the caller's `query` (the application's own
 * connections, so their per-connection settings show).
 */

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Settings that change the figures: JIT and its thresholds, autovacuum, memory, parallelism, planner statistics. */
export const REPORTED_SETTINGS = [
  'jit',
  'jit_above_cost',
  'jit_inline_above_cost',
  'jit_optimize_above_cost',
  'jit_provider',
  'autovacuum',
  'shared_buffers',
  'work_mem',
  'temp_buffers',
  'maintenance_work_mem',
  'effective_cache_size',
  'max_parallel_workers_per_gather',
  'random_page_cost',
  'default_statistics_target',
  'synchronous_commit',
] as const;

/** `PostgreSQL 15.20 ... ` and `value (source)` of each REPORTED_SETTINGS entry the server has. */
export async function serverSettings(
  query: Query,
): Promise<{ version: string; settings: Record<string, string> }> {
  const [{ version }] = (await query(`SELECT version() AS version`)) as { version: string }[];
  const rows = (await query(
    `SELECT name, current_setting(name) AS value, source FROM pg_settings WHERE name = ANY($1) ORDER BY name`,
    [REPORTED_SETTINGS],
  )) as { name: string; value: string; source: string }[];
  const settings: Record<string, string> = {};
  for (const r of rows) settings[r.name] = `${r.value} (${r.source})`;
  return { version, settings };
}

/** A table's row estimate and statistics as the planner sees them. */
export interface TableStatistics {
  table: string;
  /** pg_class.reltuples: -1 when never analyzed or vacuumed */
  reltuples: number;
  /** columns with a pg_stats row */
  columnsWithStatistics: number;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  /** rows changed since the last analyze (pg_stat_user_tables) */
  modifiedSinceAnalyze: number;
}

/** TableStatistics of each table (public schema). */
export async function tableStatistics(query: Query, tables: readonly string[]): Promise<TableStatistics[]> {
  const rows = await query(
    `SELECT c.relname AS table, c.reltuples::float8 AS reltuples,
            (SELECT count(*)::int FROM pg_stats s WHERE s.schemaname = 'public' AND s.tablename = c.relname) AS columns,
            t.last_analyze, t.last_autoanalyze, t.n_mod_since_analyze::float8 AS modified
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     LEFT JOIN pg_stat_user_tables t ON t.relid = c.oid
     WHERE c.relname = ANY($1) ORDER BY array_position($1, c.relname::text)`,
    [tables],
  );
  return rows.map((r) => ({
    table: r.table as string,
    reltuples: Number(r.reltuples),
    columnsWithStatistics: Number(r.columns),
    lastAnalyze: r.last_analyze ? new Date(r.last_analyze as string).toISOString() : null,
    lastAutoanalyze: r.last_autoanalyze ? new Date(r.last_autoanalyze as string).toISOString() : null,
    modifiedSinceAnalyze: Number(r.modified ?? 0),
  }));
}

/** One line per table: `credit_record: 5,000,123 rows estimated, statistics on 17 columns (analyzed ...)`. */
export function statisticsLines(stats: readonly TableStatistics[]): string[] {
  return stats.map((s) => {
    const when = s.lastAnalyze ?? s.lastAutoanalyze;
    return `${s.table}: ${s.reltuples < 0 ? 'never analyzed (no row estimate)' : `${Math.round(s.reltuples).toLocaleString('en')} rows estimated`}, ${
      s.columnsWithStatistics ? `statistics on ${s.columnsWithStatistics} columns` : 'NO column statistics'
    }${when ? ` (analyzed ${when}${s.lastAnalyze ? '' : ' by autovacuum'})` : ''}, ${s.modifiedSinceAnalyze.toLocaleString('en')} rows changed since`;
  });
}

/** How the planner costed a statement and what running it took (EXPLAIN ANALYZE). */
export interface PlanReport {
  totalCost: number;
  planningMs: number;
  executionMs: number;
  /** JIT compilation of the statement, null when JIT did not run */
  jit: { functions: number; totalMs: number; inlining: boolean; optimization: boolean } | null;
}

/** EXPLAIN (ANALYZE, FORMAT JSON) of `sql` with `params`, summarised. Runs the statement. */
export async function planReport(query: Query, sql: string, params: unknown[]): Promise<PlanReport> {
  const [row] = await query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  const plan = (row!['QUERY PLAN'] as Record<string, unknown>[])[0]! as {
    Plan: { 'Total Cost': number };
    'Planning Time': number;
    'Execution Time': number;
    JIT?: {
      Functions: number;
      Options: { Inlining: boolean; Optimization: boolean };
      Timing: { Total: number | { Total: number } };
    };
  };
  const total = plan.JIT?.Timing.Total;
  return {
    totalCost: plan.Plan['Total Cost'],
    planningMs: plan['Planning Time'],
    executionMs: plan['Execution Time'],
    jit: plan.JIT
      ? {
          functions: plan.JIT.Functions,
          totalMs: typeof total === 'number' ? total : (total?.Total ?? 0),
          inlining: plan.JIT.Options.Inlining,
          optimization: plan.JIT.Options.Optimization,
        }
      : null,
  };
}

/** `cost 12.3, planning 0.4 ms, execution 0.6 ms, JIT not used` (or the JIT's functions and time). */
export function planLine(p: PlanReport): string {
  const jit = p.jit
    ? `JIT ${p.jit.totalMs.toFixed(1)} ms for ${p.jit.functions} functions (inlining ${p.jit.inlining ? 'on' : 'off'}, optimization ${p.jit.optimization ? 'on' : 'off'})`
    : 'JIT not used';
  return `planner cost ${p.totalCost.toFixed(0)}, planning ${p.planningMs.toFixed(1)} ms, execution ${p.executionMs.toFixed(1)} ms, ${jit}`;
}
