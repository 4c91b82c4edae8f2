import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  referenceCheckBody,
  ReferenceChecksPerDistinctValue1765584000510,
  type ReferenceColumns,
} from './1765584000510-reference-checks-per-distinct-value.js';

const raise = (table: string, column: string, parent: string) => `
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "${table}" violates a reference: ${column} % is not in ${parent}', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;`;

/** Rows of a statement from which a column whose values lie close together is checked by range. */
export const RANGE_CHECK_MIN_ROWS = 10000;

/**
 * The body of a statement-level reference check (AFTER INSERT or UPDATE, transition table
 * `new_rows`), as migration 1765584000510's with one more way for the columns with a value per
 * row. `few` columns: each distinct value looked up once. `many` columns: one pass over the new
 * rows takes each one's lowest and highest value and count; where a statement of at least
 * RANGE_CHECK_MIN_ROWS rows holds values spanning at most twice as many ids as it has rows
 * (the tasks, visits or merges a draw has just written: ids taken in one run of the sequence),
 * the parent's keys in that span are read once into a hash and the new rows looked up in it (a
 * hash anti-join: no nested loop, no merge join, memory for the hash, for that one statement);
 * otherwise (values spread over the parent, as enterprise ids are, or a small statement) an
 * index probe per new row into the parent's key, as before.
 */
export function rangeCheckBody(table: string, few: ReferenceColumns, many: ReferenceColumns): string {
  const fewColumns = Object.keys(few);
  const manyColumns = Object.keys(many);
  const declare = [
    'missing bigint;',
    'nested text; merged text; memory text;',
    ...fewColumns.map((c) => `a_${c} bigint[];`),
    ...manyColumns.map((c) => `lo_${c} bigint; hi_${c} bigint; n_${c} bigint;`),
  ].join(' ');
  let body = '';
  if (fewColumns.length) {
    body += `
  SELECT ${fewColumns.map((c) => `array_agg(DISTINCT ${c})`).join(', ')}
    INTO ${fewColumns.map((c) => `a_${c}`).join(', ')}
    FROM (SELECT DISTINCT ${fewColumns.join(', ')} FROM new_rows) d;`;
    for (const [column, parent] of Object.entries(few))
      body += `
  SELECT x INTO missing FROM unnest(a_${column}) AS x
  WHERE x IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = x) LIMIT 1;${raise(table, column, parent)}`;
  }
  if (manyColumns.length) {
    body += `
  SELECT ${manyColumns.map((c) => `min(${c}), max(${c}), count(${c})`).join(', ')}
    INTO ${manyColumns.map((c) => `lo_${c}, hi_${c}, n_${c}`).join(', ')}
    FROM new_rows;`;
    for (const [column, parent] of Object.entries(many))
      body += `
  missing := NULL;
  IF n_${column} >= ${RANGE_CHECK_MIN_ROWS} AND hi_${column} - lo_${column} < 2 * n_${column} THEN
    nested := current_setting('enable_nestloop');
    merged := current_setting('enable_mergejoin');
    memory := current_setting('work_mem');
    PERFORM set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true),
      set_config('work_mem', '64MB', true);
    SELECT n.${column} INTO missing FROM new_rows n
    WHERE n.${column} IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM ${parent} p WHERE p.id = n.${column} AND p.id BETWEEN lo_${column} AND hi_${column}) LIMIT 1;
    PERFORM set_config('enable_nestloop', nested, true), set_config('enable_mergejoin', merged, true),
      set_config('work_mem', memory, true);
  ELSIF n_${column} > 0 THEN
    SELECT n.${column} INTO missing FROM new_rows n
    WHERE n.${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = n.${column}) LIMIT 1;
  END IF;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert or update on table "${table}" violates a reference: ${column} % is not in ${parent}', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;`;
  }
  return `DECLARE ${declare}
BEGIN${body}
  RETURN NULL;
END`;
}

/**
 * The reference checks of migrations 1765584000510 and 1765584000520 with `rangeCheckBody`: a
 * draw's task items (267,677 rows) and inspectors (486,022) referencing the tasks it has just
 * written, its tasks referencing its new visits, its merges both: one hash of the parent's keys
 * in the statement's span instead of an index probe per row (docs/performance.md "The plan draw
 * at 1M"). The enterprise references (spread over the register) are probed as before. Same
 * triggers, same refusals and messages.
 */
export class ReferenceChecksByRange1765584000530 implements MigrationInterface {
  name = 'ReferenceChecksByRange1765584000530';

  /** 1765584000510's checks and joint_visit_merge's (1765584000520) */
  static readonly CHECKS: Record<string, [ReferenceColumns, ReferenceColumns]> = {
    ...ReferenceChecksPerDistinctValue1765584000510.CHECKS,
    joint_visit_merge: [{}, { visit_id: 'joint_visit', task_id: 'inspection_task' }],
  };

  async up(q: QueryRunner): Promise<void> {
    for (const [table, [few, many]] of Object.entries(ReferenceChecksByRange1765584000530.CHECKS))
      for (const event of ['insert', 'update'])
        await q.query(`
          CREATE OR REPLACE FUNCTION ${table}_references_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
          ${rangeCheckBody(table, few, many)} $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, [few, many]] of Object.entries(ReferenceChecksByRange1765584000530.CHECKS))
      for (const event of ['insert', 'update'])
        await q.query(`
          CREATE OR REPLACE FUNCTION ${table}_references_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
          ${referenceCheckBody(table, few, many)} $$`);
  }
}
