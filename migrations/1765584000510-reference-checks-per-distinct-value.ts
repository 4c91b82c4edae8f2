import { MigrationInterface, QueryRunner } from 'typeorm';

/** column -> parent table (whose key is id) */
export type ReferenceColumns = Record<string, string>;

/** RAISE of a missing reference, as a foreign key would (SQLSTATE 23503); the message of migration 1765584000300. */
const raise = (table: string, column: string, parent: string) => `
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "${table}" violates a reference: ${column} % is not in ${parent}', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;`;

/**
 * The body of a statement-level reference check (AFTER INSERT or UPDATE, transition table
 * `new_rows`). `few` are columns a statement holds few distinct values of (a draw's plan, batch,
 * draw, creator, items, inspectors): they are read in one pass over the new rows (a hash of
 * their distinct combinations) and each distinct value is looked up once. `many` are columns
 * with a value per row or nearly (enterprise, task, visit): one anti-join each, an index probe
 * per new row into the parent's key, as in migration 1765584000300.
 */
export function referenceCheckBody(table: string, few: ReferenceColumns, many: ReferenceColumns): string {
  const fewColumns = Object.keys(few);
  const declare = ['missing bigint;', ...fewColumns.map((c) => `a_${c} bigint[];`)].join(' ');
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
  for (const [column, parent] of Object.entries(many))
    body += `
  SELECT n.${column} INTO missing FROM new_rows n
  WHERE n.${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = n.${column}) LIMIT 1;${raise(table, column, parent)}`;
  return `DECLARE ${declare}
BEGIN${body}
  RETURN NULL;
END`;
}

/**
 * The statement-level reference checks of migration 1765584000300 looked up every reference of
 * every new row: for a draw's 243,011 tasks six anti-joins of 243,011 probes each, of which four
 * (plan, batch, draw, creator) hold one value; 486,022 inspector rows probed the 500 users one
 * by one (docs/performance.md "The plan draw at 1M"). The same checks, with the columns a
 * statement holds few distinct values of read once per distinct value (`referenceCheckBody`).
 * Same triggers, same refusals (SQLSTATE 23503, the same messages); only the functions change.
 */
export class ReferenceChecksPerDistinctValue1765584000510 implements MigrationInterface {
  name = 'ReferenceChecksPerDistinctValue1765584000510';

  /** table -> [few distinct values per statement, a value per row] (together: migration 1765584000300's REFERENCES) */
  static readonly CHECKS: Record<string, [ReferenceColumns, ReferenceColumns]> = {
    plan_draw_target: [{ draw_id: 'plan_draw', item_id: 'inspection_item' }, { enterprise_id: 'enterprise' }],
    inspection_task: [
      {
        plan_id: 'inspection_plan',
        batch_id: 'inspection_batch',
        draw_id: 'plan_draw',
        created_by: 'app_user',
      },
      { enterprise_id: 'enterprise', visit_id: 'joint_visit' },
    ],
    inspection_task_item: [{ item_id: 'inspection_item' }, { task_id: 'inspection_task' }],
    inspection_task_inspector: [
      { user_id: 'app_user', recusal_id: 'recusal' },
      { task_id: 'inspection_task' },
    ],
    joint_visit: [{}, { enterprise_id: 'enterprise' }],
  };

  /** migration 1765584000300's column order, for down() */
  static readonly ORDER: Record<string, string[]> = {
    plan_draw_target: ['draw_id', 'item_id', 'enterprise_id'],
    inspection_task: ['enterprise_id', 'plan_id', 'batch_id', 'draw_id', 'visit_id', 'created_by'],
    inspection_task_item: ['task_id', 'item_id'],
    inspection_task_inspector: ['task_id', 'user_id', 'recusal_id'],
    joint_visit: ['enterprise_id'],
  };

  async up(q: QueryRunner): Promise<void> {
    for (const [table, [few, many]] of Object.entries(ReferenceChecksPerDistinctValue1765584000510.CHECKS))
      for (const event of ['insert', 'update'])
        await q.query(`
          CREATE OR REPLACE FUNCTION ${table}_references_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
          ${referenceCheckBody(table, few, many)} $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, [few, many]] of Object.entries(ReferenceChecksPerDistinctValue1765584000510.CHECKS)) {
      const all = { ...few, ...many };
      const inOrder: ReferenceColumns = {};
      for (const c of ReferenceChecksPerDistinctValue1765584000510.ORDER[table]!) inOrder[c] = all[c]!;
      for (const event of ['insert', 'update'])
        await q.query(`
          CREATE OR REPLACE FUNCTION ${table}_references_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
          ${referenceCheckBody(table, {}, inOrder)} $$`);
    }
  }
}
