/**
 * When a bulk write must refresh a table's planner statistics (ANALYZE) itself. PostgreSQL's
 * autovacuum analyzes a table once the rows changed since its last analyze exceed
 * `autovacuum_analyze_threshold + autovacuum_analyze_scale_factor * reltuples` (defaults 50 and
 * 0.1; PostgreSQL 15 manual, 25.1.6 "The Autovacuum Daemon"). But autovacuum may be off (it is on
 * some servers), or not have run yet when the next query is planned: a COPY of millions of rows
 * then leaves the planner without statistics, and a per-enterprise query costed at millions gets
 * JIT-compiled for half a second (docs/performance.md). So every bulk write applies the same rule
 * synchronously, in its own transaction. Pure: no database, no clock.
 */

/** autovacuum_analyze_threshold's default: rows changed below which a table is never analyzed. */
export const ANALYZE_THRESHOLD_ROWS = 50;
/** autovacuum_analyze_scale_factor's default: the share of the table that must have changed. */
export const ANALYZE_SCALE_FACTOR = 0.1;

/** What is known about a table when a bulk write is about to commit. */
export interface TableChange {
  /** rows this write inserted, updated or deleted (a table rewritten whole: all its rows) */
  written: number;
  /** rows changed by earlier committed writes since the last analyze (pg_stat_user_tables.n_mod_since_analyze) */
  modifiedSinceAnalyze: number;
  /** pg_class.reltuples before this write: -1 when never analyzed (nor vacuumed), else the estimate */
  reltuples: number;
  /** whether the table has any column statistics (pg_stats) */
  hasStatistics: boolean;
}

/**
 * True when the write must ANALYZE the table: it changed something and the table has no column
 * statistics (never analyzed), or the rows changed since the last analyze, this write's included,
 * exceed autovacuum's own threshold (ANALYZE_THRESHOLD_ROWS + ANALYZE_SCALE_FACTOR * reltuples).
 * @throws RangeError on a negative or non-finite count (a caller's bug, never data)
 */
export function analyzeDue(change: TableChange): boolean {
  const { written, modifiedSinceAnalyze, reltuples } = change;
  for (const [name, v] of [
    ['written', written],
    ['modifiedSinceAnalyze', modifiedSinceAnalyze],
  ] as const)
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name}: a count >= 0, got ${v}`);
  if (!Number.isFinite(reltuples)) throw new RangeError(`reltuples: a number, got ${reltuples}`);
  if (written === 0) return false;
  if (!change.hasStatistics || reltuples < 0) return true;
  return written + modifiedSinceAnalyze > ANALYZE_THRESHOLD_ROWS + ANALYZE_SCALE_FACTOR * reltuples;
}
