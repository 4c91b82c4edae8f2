/** Something that runs SQL: the data source or a transaction's manager. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * The visits of `enterpriseIds` as comparable text, independent of the ids a run happened to get:
 * each visit (every status) with its enterprise, window, lead, status and its tasks' labels, the
 * stored visits (`keptVisits`) by id and new ones as `new`; then every merge recorded after the
 * merge id `mergesAfter`, with the task's label, its visit's tasks and the reason (task ids in
 * it replaced by labels); visits of `exceptVisits` and their merges left out. `label` names a task id (the same task in two runs gets one label).
 */
export async function visitSnapshot(
  m: Queryable,
  enterpriseIds: readonly number[],
  label: (taskId: number) => string,
  keptVisits: ReadonlySet<number>,
  mergesAfter: number,
  exceptVisits: ReadonlySet<number> = new Set(),
): Promise<string[]> {
  const visits = await m.query(
    `SELECT v.id, v.enterprise_id, v.window_start, v.window_end, v.lead_department, v.status,
            coalesce(array_agg(t.id) FILTER (WHERE t.id IS NOT NULL), '{}') AS tasks
     FROM joint_visit v LEFT JOIN inspection_task t ON t.visit_id = v.id
     WHERE v.enterprise_id = ANY($1::bigint[]) GROUP BY v.id`,
    [enterpriseIds],
  );
  const tasksOf = new Map<number, string>();
  const lines: string[] = [];
  for (const v of visits) {
    if (exceptVisits.has(Number(v.id))) continue;
    const tasks = (v.tasks as (string | number)[])
      .map((x) => label(Number(x)))
      .sort()
      .join(',');
    tasksOf.set(Number(v.id), tasks);
    lines.push(
      `visit ${String(v.enterprise_id)} ${String(v.window_start)}..${String(v.window_end)} ${String(v.lead_department)} ${String(v.status)} [${tasks}] ${keptVisits.has(Number(v.id)) ? `#${String(v.id)}` : 'new'}`,
    );
  }
  const merges = await m.query(
    `SELECT j.visit_id, j.task_id, j.reason FROM joint_visit_merge j JOIN joint_visit v ON v.id = j.visit_id
     WHERE v.enterprise_id = ANY($1::bigint[]) AND j.id > $2`,
    [enterpriseIds, mergesAfter],
  );
  for (const j of merges)
    if (tasksOf.has(Number(j.visit_id)))
      lines.push(
        `merge ${label(Number(j.task_id))} -> [${tasksOf.get(Number(j.visit_id))}] ${String(j.reason).replace(/#(\d+)/g, (_, id: string) => `#${label(Number(id))}`)}`,
      );
  return lines.sort();
}
