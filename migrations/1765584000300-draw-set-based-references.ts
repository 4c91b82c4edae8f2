import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The draw of a batch writes its targets, tasks, task items, task inspectors and visits in one
 * transaction: at a million enterprises some 250,000 tasks and a million rows in all. PostgreSQL
 * checks a foreign key row by row (one query and a row lock on the referenced row per inserted
 * row): measured here, 200,000 rows with three foreign keys took 7.5 s against 1.0 s without
 * (docs/performance.md), which alone would break the draw's 10-second target.
 *
 * So, as for credit_record.enterprise_id (docs/architecture.md), the references written in bulk
 * are checked per statement instead: the foreign keys below are replaced by AFTER INSERT and
 * AFTER UPDATE statement triggers that look up the statement's new rows (transition tables) in
 * their parent tables with one anti-join and refuse the statement (SQLSTATE 23503, as a foreign
 * key would) when a referenced row is missing. The other side of a foreign key, a parent row that
 * goes away, is held by the parents themselves: enterprises are never deleted (trigger
 * enterprise_no_delete), nor published plans and their batches (inspection_plan_frozen); ids are
 * identity columns that cannot be updated; and deleting an item, a draw, a task, a visit, a user
 * or a recusal that such a row references is refused here (a task's items and inspectors go with
 * it, as ON DELETE CASCADE did).
 */
export class DrawSetBasedReferences1765584000300 implements MigrationInterface {
  name = 'DrawSetBasedReferences1765584000300';

  /** child table -> column -> parent table (whose key is id) */
  static readonly REFERENCES: Record<string, Record<string, string>> = {
    plan_draw_target: { draw_id: 'plan_draw', item_id: 'inspection_item', enterprise_id: 'enterprise' },
    inspection_task: {
      enterprise_id: 'enterprise',
      plan_id: 'inspection_plan',
      batch_id: 'inspection_batch',
      draw_id: 'plan_draw',
      visit_id: 'joint_visit',
      created_by: 'app_user',
    },
    inspection_task_item: { task_id: 'inspection_task', item_id: 'inspection_item' },
    inspection_task_inspector: { task_id: 'inspection_task', user_id: 'app_user', recusal_id: 'recusal' },
    joint_visit: { enterprise_id: 'enterprise' },
  };

  async up(q: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(DrawSetBasedReferences1765584000300.REFERENCES)) {
      const fks: { conname: string; column: string }[] = await q.query(
        `SELECT c.conname, a.attname AS column FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND cardinality(c.conkey) = 1`,
        [table],
      );
      for (const fk of fks)
        if (fk.column in columns) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${fk.conname}`);
      // INSERT and UPDATE check every reference of the statement's new rows with one anti-join
      // each (an index probe per row into the parent's key). Joining the transition tables
      // new_rows and old_rows to check only changed columns was tried: they have no index nor
      // statistics, the planner nested-looped them, and an UPDATE of 5,000 tasks took 20 s.
      const checks = () =>
        Object.entries(columns)
          .map(
            ([column, parent]) => `
          SELECT n.${column} INTO missing FROM new_rows n
          WHERE n.${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = n.${column}) LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'insert or update on table "${table}" violates a reference: ${column} % is not in ${parent}', missing
              USING ERRCODE = 'foreign_key_violation';
          END IF;`,
          )
          .join('');
      for (const event of ['insert', 'update']) {
        await q.query(`
          CREATE FUNCTION ${table}_references_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE missing bigint;
          BEGIN${checks()}
            RETURN NULL;
          END $$`);
        await q.query(
          `CREATE TRIGGER ${table}_references_${event} AFTER ${event.toUpperCase()} ON ${table}
           REFERENCING NEW TABLE AS new_rows
           FOR EACH STATEMENT EXECUTE FUNCTION ${table}_references_${event}()`,
        );
      }
    }
    // the parents' side: a referenced row is not deleted (a task takes its items and inspectors along)
    // one branch per table: PL/pgSQL resolves OLD's fields when a branch runs, so a condition
    // naming another table's column (OLD.batch_id on a joint_visit) must never be evaluated
    await q.query(`
      CREATE FUNCTION planning_parent_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE referenced boolean := false;
      BEGIN
        IF TG_TABLE_NAME = 'inspection_task' THEN
          DELETE FROM inspection_task_item WHERE task_id = OLD.id;
          DELETE FROM inspection_task_inspector WHERE task_id = OLD.id;
          RETURN OLD;
        ELSIF TG_TABLE_NAME = 'inspection_item' THEN
          referenced := EXISTS (SELECT 1 FROM plan_draw_target WHERE item_id = OLD.id)
            OR EXISTS (SELECT 1 FROM inspection_task_item WHERE item_id = OLD.id);
        ELSIF TG_TABLE_NAME = 'plan_draw' THEN
          referenced := EXISTS (SELECT 1 FROM plan_draw_target WHERE draw_id = OLD.id)
            OR EXISTS (SELECT 1 FROM inspection_task WHERE batch_id = OLD.batch_id AND draw_id = OLD.id);
        ELSIF TG_TABLE_NAME = 'joint_visit' THEN
          referenced := EXISTS (SELECT 1 FROM inspection_task WHERE visit_id = OLD.id);
        ELSIF TG_TABLE_NAME = 'recusal' THEN
          referenced := EXISTS (SELECT 1 FROM inspection_task_inspector WHERE recusal_id = OLD.id);
        ELSIF TG_TABLE_NAME = 'app_user' THEN
          referenced := EXISTS (SELECT 1 FROM inspection_task_inspector WHERE user_id = OLD.id)
            OR EXISTS (SELECT 1 FROM inspection_task WHERE created_by = OLD.id);
        END IF;
        IF referenced THEN
          RAISE EXCEPTION '% % is referenced by inspection planning rows and cannot be deleted', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN OLD;
      END $$`);
    for (const t of ['inspection_task', 'inspection_item', 'plan_draw', 'joint_visit', 'recusal', 'app_user'])
      await q.query(
        `CREATE TRIGGER ${t}_planning_parent_delete BEFORE DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION planning_parent_delete()`,
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inspection_task', 'inspection_item', 'plan_draw', 'joint_visit', 'recusal', 'app_user'])
      await q.query(`DROP TRIGGER ${t}_planning_parent_delete ON ${t}`);
    await q.query(`DROP FUNCTION planning_parent_delete()`);
    for (const [table, columns] of Object.entries(DrawSetBasedReferences1765584000300.REFERENCES)) {
      for (const event of ['insert', 'update']) {
        await q.query(`DROP TRIGGER ${table}_references_${event} ON ${table}`);
        await q.query(`DROP FUNCTION ${table}_references_${event}()`);
      }
      for (const [column, parent] of Object.entries(columns))
        await q.query(
          `ALTER TABLE ${table} ADD FOREIGN KEY (${column}) REFERENCES ${parent}(id)${
            column === 'task_id' ? ' ON DELETE CASCADE' : ''
          }`,
        );
    }
  }
}
