import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * inspection_task_batch_idx (batch_id) is dropped: a draw writes a quarter of a million tasks in
 * one statement at 1M enterprises, and every index of the table costs on each row
 * (docs/performance.md "The plan draw at 1M"). A batch's tasks are routine tasks (CHECK
 * inspection_task_routine: batch_id is set exactly on routine tasks), so the unique index
 * inspection_task_routine_key (batch_id, enterprise_id, department) WHERE kind = 'routine' finds
 * them by its first column wherever the query also says `kind = 'routine'`: the readers that
 * filter on batch_id say so (the public results, verification, the task board's batch filter, the
 * draw's delete guard in migration 1765584000520).
 */
export class TaskBatchIndexDropped1765584000500 implements MigrationInterface {
  name = 'TaskBatchIndexDropped1765584000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inspection_task_batch_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX inspection_task_batch_idx ON inspection_task (batch_id)`);
  }
}
