import { MigrationInterface, QueryRunner } from 'typeorm';
import { referenceCheckBody } from './1765584000510-reference-checks-per-distinct-value.js';

/** The parents' delete guard of migration 1765584000300, with `merges` the lines for joint_visit_merge. */
function parentDeleteGuard(merges: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION planning_parent_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE referenced boolean := false;
    BEGIN
      IF TG_TABLE_NAME = 'inspection_task' THEN${
        merges
          ? `
        IF EXISTS (SELECT 1 FROM joint_visit_merge WHERE task_id = OLD.id) THEN
          RAISE EXCEPTION '% % is referenced by inspection planning rows and cannot be deleted', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'foreign_key_violation';
        END IF;`
          : ''
      }
        DELETE FROM inspection_task_item WHERE task_id = OLD.id;
        DELETE FROM inspection_task_inspector WHERE task_id = OLD.id;
        RETURN OLD;
      ELSIF TG_TABLE_NAME = 'inspection_item' THEN
        referenced := EXISTS (SELECT 1 FROM plan_draw_target WHERE item_id = OLD.id)
          OR EXISTS (SELECT 1 FROM inspection_task_item WHERE item_id = OLD.id);
      ELSIF TG_TABLE_NAME = 'plan_draw' THEN
        referenced := EXISTS (SELECT 1 FROM plan_draw_target WHERE draw_id = OLD.id)
          OR EXISTS (SELECT 1 FROM inspection_task WHERE batch_id = OLD.batch_id${merges ? ` AND kind = 'routine'` : ''} AND draw_id = OLD.id);
      ELSIF TG_TABLE_NAME = 'joint_visit' THEN
        referenced := EXISTS (SELECT 1 FROM inspection_task WHERE visit_id = OLD.id)${
          merges ? `\n          OR EXISTS (SELECT 1 FROM joint_visit_merge WHERE visit_id = OLD.id)` : ''
        };
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
    END $$`;
}

/**
 * joint_visit_merge's two foreign keys (visit_id, task_id) are replaced by statement-level checks,
 * as migration 1765584000300 did for the other tables a draw writes in bulk: a draw at 1M
 * enterprises records some 100,000 merges, and the foreign keys checked them row by row (a
 * query and a row lock on the visit and on the task per merge: about 0.7 s of the draw,
 * docs/performance.md). The other side is held by the parents' delete guard: a task or a visit
 * a merge names is not deleted (SQLSTATE 23503, as the foreign keys refused it). The guard's
 * draw branch now says `kind = 'routine'`, so that the routine key's index finds a batch's tasks
 * (migration 1765584000500 dropped the batch index).
 */
export class MergeSetBasedReferences1765584000520 implements MigrationInterface {
  name = 'MergeSetBasedReferences1765584000520';

  async up(q: QueryRunner): Promise<void> {
    const fks: { conname: string }[] = await q.query(
      `SELECT c.conname FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.conrelid = 'joint_visit_merge'::regclass AND cardinality(c.conkey) = 1
         AND a.attname IN ('visit_id', 'task_id')`,
    );
    for (const fk of fks) await q.query(`ALTER TABLE joint_visit_merge DROP CONSTRAINT ${fk.conname}`);
    for (const event of ['insert', 'update']) {
      await q.query(`
        CREATE FUNCTION joint_visit_merge_references_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
        ${referenceCheckBody('joint_visit_merge', {}, { visit_id: 'joint_visit', task_id: 'inspection_task' })} $$`);
      await q.query(
        `CREATE TRIGGER joint_visit_merge_references_${event} AFTER ${event.toUpperCase()} ON joint_visit_merge
         REFERENCING NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION joint_visit_merge_references_${event}()`,
      );
    }
    await q.query(parentDeleteGuard(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(parentDeleteGuard(false));
    for (const event of ['insert', 'update']) {
      await q.query(`DROP TRIGGER joint_visit_merge_references_${event} ON joint_visit_merge`);
      await q.query(`DROP FUNCTION joint_visit_merge_references_${event}()`);
    }
    await q.query(`ALTER TABLE joint_visit_merge ADD FOREIGN KEY (visit_id) REFERENCES joint_visit(id)`);
    await q.query(`ALTER TABLE joint_visit_merge ADD FOREIGN KEY (task_id) REFERENCES inspection_task(id)`);
  }
}
