// placeholder: H5 replaces
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Joint visits (综合查一次, domain.md 5.3). Placeholder until the visits part lands: each open task
 * (assigned, in_progress) of the given enterprises that has no visit gets a visit of its own (lead
 * department: the task's; window: the task's). No merging.
 */
@Injectable()
export class VisitsService {
  /** Puts each open task without a visit of these enterprises into a visit of its own, in the caller's transaction. */
  async regroup(m: EntityManager, enterpriseIds: readonly number[]): Promise<void> {
    if (!enterpriseIds.length) return;
    await m.query(
      `WITH t AS (
         SELECT id, enterprise_id, department, window_start, window_end,
                nextval(pg_get_serial_sequence('joint_visit', 'id')) AS vid
         FROM inspection_task
         WHERE visit_id IS NULL AND status IN ('assigned', 'in_progress') AND enterprise_id = ANY($1::bigint[])),
       v AS (
         INSERT INTO joint_visit (id, enterprise_id, lead_department, window_start, window_end)
         OVERRIDING SYSTEM VALUE
         SELECT vid, enterprise_id, department, window_start, window_end FROM t)
       UPDATE inspection_task x SET visit_id = t.vid FROM t WHERE x.id = t.id`,
      [enterpriseIds],
    );
  }
}
