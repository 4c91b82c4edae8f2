import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BUREAU_TIME_ZONE, todayInShanghai } from '../../common/clock.js';
import { unprocessable } from '../../http/api-errors.js';
import { ScorecardVersionsService } from '../../credit/scorecard-versions.service.js';
import { SettingsService } from '../../settings/settings.service.js';
import {
  inspectorsToReview,
  overCap,
  REPEAT_VISIT_LIMITS,
  repeatVisits,
  visitsForAlerts,
} from '../rules/frequency-alerts.js';
import type { EnterpriseRef, InspectorRef, TriggerRef } from '../visits/dto/visit.dto.js';
import type {
  AlertsView,
  OverCapAlertView,
  RepeatVisitAlertView,
  NoDisturbanceQuery,
  NoDisturbanceTaskView,
  NoDisturbanceView,
} from './dto/alerts.dto.js';

/** Tasks that no longer count (a replaced target, a cancelled task). */
const GONE = `('cancelled','replaced')`;

/** Start of a year's first day in Shanghai, as a timestamptz expression of the parameter `$n` (the year). */
const yearStart = (n: number, plus = 0) =>
  `make_timestamptz($${n}::int + ${plus}, 1, 1, 0, 0, 0, '${BUREAU_TIME_ZONE}')`;

/**
 * Frequency alerts (频次预警) and the no-disturbance report (无事不扰), read from the tasks: SQL
 * narrows to the enterprises and inspectors that can be flagged, the pure rules of
 * inspections/rules/frequency-alerts.ts decide.
 */
@Injectable()
export class AlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly scorecards: ScorecardVersionsService,
  ) {}

  /**
   * The alerts of `year` (default this year, Asia/Shanghai):
   * - over the cap: routine tasks (not cancelled or replaced) with a window starting in the year,
   *   per enterprise, against the yearly cap of the tier the enterprise had at each task's draw in
   *   the task's plan (the strictest applies; `overCap`);
   * - repeat visits: visits that took place in the year against REPEAT_VISIT_LIMITS (`repeatVisits`):
   *   check-ins under inspection codes, and visits recorded without a code (`repeatVisitAlerts`);
   * - inspectors to review: per assigned inspector and enterprise, the results recorded up to the
   *   end of the year, a run of inspectorNoFindingStreak no-problem results at the end
   *   (`inspectorsToReview`).
   */
  async alerts(year?: number): Promise<AlertsView> {
    const y = year ?? Number(todayInShanghai().slice(0, 4));
    const { inspectorNoFindingStreak: streak } = await this.settings.get();

    const overCapAlerts = await this.overCapAlerts(y);
    const repeatAlerts = await this.repeatVisitAlerts(y);

    const checkRows: {
      user_id: string;
      enterprise_id: string;
      task_id: string;
      recorded_at: string;
      outcome: 'no_problem' | 'problems_found' | 'refused' | 'not_found';
    }[] = await this.dataSource.query(
      `WITH c AS (
         SELECT ii.user_id, t.enterprise_id, t.id AS task_id, t.recorded_at, t.outcome
         FROM inspection_task t JOIN inspection_task_inspector ii ON ii.task_id = t.id AND ii.role = 'assigned'
         WHERE t.status = 'completed' AND t.recorded_at < ${yearStart(1, 1)}),
       pairs AS (SELECT user_id, enterprise_id FROM c GROUP BY 1, 2 HAVING count(*) FILTER (WHERE outcome = 'no_problem') >= $2)
       SELECT c.* FROM c JOIN pairs USING (user_id, enterprise_id)`,
      [y, streak],
    );
    const review = inspectorsToReview(
      checkRows.map((r) => ({
        inspectorId: Number(r.user_id),
        enterpriseId: Number(r.enterprise_id),
        taskId: Number(r.task_id),
        recordedAt: new Date(r.recorded_at).toISOString(),
        outcome: r.outcome,
      })),
      streak,
    );
    const people = await this.refs(
      review.map((r) => r.inspectorId),
      review.map((r) => r.enterpriseId),
    );
    return {
      year: y,
      limits: { ...REPEAT_VISIT_LIMITS },
      noFindingStreak: streak,
      overCap: overCapAlerts,
      repeatVisits: repeatAlerts,
      inspectorsToReview: review.map((r) => ({
        inspector: people.inspectors.get(r.inspectorId)!,
        enterprise: people.enterprises.get(r.enterpriseId)!,
        streak: r.streak,
        taskIds: r.taskIds,
        from: r.from,
        to: r.to,
      })),
    };
  }

  /**
   * The frequency alerts of one enterprise in `year` (the same rules and sources as `alerts`):
   * over the cap (null when within it) and its repeat visits. For the enterprise's inspections of
   * a year (check-codes/ratings).
   */
  async enterpriseAlerts(
    year: number,
    enterpriseId: number,
  ): Promise<{ overCap: OverCapAlertView | null; repeatVisits: RepeatVisitAlertView[] }> {
    return {
      overCap: (await this.overCapAlerts(year, enterpriseId))[0] ?? null,
      repeatVisits: await this.repeatVisitAlerts(year, enterpriseId),
    };
  }

  /**
   * Over the cap: routine tasks (not cancelled or replaced) with a window starting in the year,
   * per enterprise (or of one), against the yearly cap of the tier the enterprise had at each
   * task's draw in the task's plan (the strictest applies; `overCap`).
   */
  private async overCapAlerts(y: number, enterpriseId?: number): Promise<OverCapAlertView[]> {
    const one = enterpriseId === undefined ? '' : 'AND t.enterprise_id = $2';
    const capRows: {
      id: string;
      enterprise_id: string;
      tier: string | null;
      cap: number | null;
      uscc: string;
      name: string;
    }[] = await this.dataSource.query(
      `WITH r AS (
           SELECT t.id, t.enterprise_id, t.tier, pt.yearly_cap AS cap
           FROM inspection_task t LEFT JOIN inspection_plan_tier pt ON pt.plan_id = t.plan_id AND pt.tier = t.tier
           WHERE t.kind = 'routine' AND t.status NOT IN ${GONE} ${one}
             AND t.window_start >= make_date($1, 1, 1) AND t.window_start < make_date($1 + 1, 1, 1)),
         flagged AS (SELECT enterprise_id FROM r GROUP BY enterprise_id HAVING count(*) > min(cap))
         SELECT r.id, r.enterprise_id, r.tier, r.cap, e.uscc, e.name
         FROM r JOIN flagged f USING (enterprise_id) JOIN enterprise e ON e.id = r.enterprise_id
         ORDER BY e.uscc, r.id`,
      enterpriseId === undefined ? [y] : [y, enterpriseId],
    );
    const overCapAlerts: OverCapAlertView[] = [];
    for (const rows of groupBy(capRows, (r) => r.enterprise_id).values()) {
      const result = overCap(
        rows.filter((r) => r.cap !== null).map((r) => ({ taskId: Number(r.id), cap: r.cap! })),
      );
      if (!result) continue;
      overCapAlerts.push({
        enterprise: { uscc: rows[0]!.uscc, name: rows[0]!.name },
        tier: rows[rows.length - 1]!.tier,
        checks: rows.length,
        cap: result.cap,
        over: rows.length - result.cap,
        taskIds: rows.map((r) => Number(r.id)),
      });
    }
    return overCapAlerts;
  }

  /**
   * Repeat visits in the year, per enterprise (or of one), against REPEAT_VISIT_LIMITS
   * (`repeatVisits`), fed by `visitsForAlerts`: each inspection code checked in under is one visit
   * on the day of its first check-in (issue 12: every inspection is made under a code); a visit
   * recorded without a code (completed tasks, one visit per joint visit, on the day of its first
   * result) counts unless a code of that joint visit was checked in under.
   */
  private async repeatVisitAlerts(y: number, enterpriseId?: number): Promise<RepeatVisitAlertView[]> {
    const one = (col: string) => (enterpriseId === undefined ? '' : `AND ${col} = $2`);
    const rows: {
      enterprise_id: string;
      code_no: string | null;
      visit_id: string | null;
      task_id: string | null;
      day: string;
      uscc: string;
      name: string;
    }[] = await this.dataSource.query(
      `WITH coded AS (
         SELECT c.enterprise_id, c.code_no, c.visit_id, (min(ev.at) AT TIME ZONE '${BUREAU_TIME_ZONE}')::date AS day
         FROM check_code c JOIN check_code_event ev ON ev.code_id = c.id AND ev.kind = 'check_in'
         WHERE true ${one('c.enterprise_id')}
         GROUP BY c.id),
       uncoded AS (
         SELECT t.enterprise_id, t.visit_id, t.id AS task_id, (t.recorded_at AT TIME ZONE '${BUREAU_TIME_ZONE}')::date AS day
         FROM inspection_task t
         WHERE t.status = 'completed' AND t.recorded_at >= ${yearStart(1)} AND t.recorded_at < ${yearStart(1, 1)}
           ${one('t.enterprise_id')}
           AND NOT EXISTS (SELECT 1 FROM coded WHERE coded.visit_id = t.visit_id)),
       v AS (
         SELECT enterprise_id, code_no, visit_id, NULL::bigint AS task_id, day FROM coded
         WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1)
         UNION ALL SELECT enterprise_id, NULL, visit_id, task_id, day FROM uncoded),
       flagged AS (SELECT enterprise_id FROM v GROUP BY enterprise_id HAVING count(*) > 1)
       SELECT v.enterprise_id, v.code_no, v.visit_id, v.task_id, v.day::text AS day, e.uscc, e.name
       FROM v JOIN flagged USING (enterprise_id) JOIN enterprise e ON e.id = v.enterprise_id
       ORDER BY e.uscc, v.day`,
      enterpriseId === undefined ? [y] : [y, enterpriseId],
    );
    const out: RepeatVisitAlertView[] = [];
    for (const list of groupBy(rows, (r) => r.enterprise_id).values()) {
      const visits = visitsForAlerts(
        list
          .filter((r) => r.code_no !== null)
          .map((r) => ({ codeNo: r.code_no!, visitId: Number(r.visit_id), checkedInOn: r.day })),
        list
          .filter((r) => r.code_no === null)
          .map((r) => ({
            visitId: r.visit_id === null ? null : Number(r.visit_id),
            taskId: Number(r.task_id),
            date: r.day,
          })),
      );
      for (const a of repeatVisits(visits))
        out.push({ enterprise: { uscc: list[0]!.uscc, name: list[0]!.name }, ...a });
    }
    return out;
  }

  private async refs(
    inspectorIds: number[],
    enterpriseIds: number[],
  ): Promise<{ inspectors: Map<number, InspectorRef>; enterprises: Map<number, EnterpriseRef> }> {
    const inspectors = inspectorIds.length
      ? await this.dataSource.query(
          `SELECT id, display_name, credential_no, department FROM app_user WHERE id = ANY($1::bigint[])`,
          [inspectorIds],
        )
      : [];
    const enterprises = enterpriseIds.length
      ? await this.dataSource.query(`SELECT id, uscc, name FROM enterprise WHERE id = ANY($1::bigint[])`, [
          enterpriseIds,
        ])
      : [];
    return {
      inspectors: new Map(
        inspectors.map((u: Record<string, unknown>) => [
          Number(u.id),
          {
            userId: Number(u.id),
            displayName: u.display_name as string,
            credentialNo: (u.credential_no as string | null) ?? '',
            department: (u.department as string | null) ?? '',
          },
        ]),
      ),
      enterprises: new Map(
        enterprises.map((e: Record<string, unknown>) => [
          Number(e.id),
          { uscc: e.uscc as string, name: e.name as string },
        ]),
      ),
    };
  }

  /**
   * The no-disturbance report (无事不扰; domain.md 5.2: the best tier gets no proactive check, only
   * checks triggered by a complaint or report, a data alert, a referral or a legal requirement):
   * every task made from `from` to `to` (days in Asia/Shanghai; default 1 January of this year to
   * today) on an enterprise that was of the best tier of the active scorecard when the task was
   * made (the task's recorded tier; for a task without one, the tier its latest tier change before
   * that instant gave it, else its current score's when computed before), by kind, with its triggers. A routine task, or an event task without
   * a trigger, is a violation, listed by id; `summary` says the finding in words ("0 violations:
   * ..." when none). One page of the tasks, violations first.
   * @throws 422 `to` before `from`
   */
  async noDisturbance(q: NoDisturbanceQuery): Promise<NoDisturbanceView> {
    const today = todayInShanghai();
    const from = q.from ?? `${today.slice(0, 4)}-01-01`;
    const to = q.to ?? today;
    if (to < from) throw unprocessable([{ field: 'to', reason: `${to} is before from (${from})` }]);
    const best = (await this.scorecards.activeScorecard()).tiers[0]!.tier;
    const base = `
      WITH a AS (
        SELECT t.id, t.kind, t.enterprise_id, t.department, t.status, t.created_at,
          coalesce(t.tier,
            (SELECT c.to_tier FROM credit_tier_change c WHERE c.enterprise_id = t.enterprise_id
              AND c.changed_at <= t.created_at ORDER BY c.changed_at DESC, c.id DESC LIMIT 1),
            (SELECT s.tier FROM credit_score s WHERE s.enterprise_id = t.enterprise_id AND s.computed_at <= t.created_at)) AS tier,
          EXISTS (SELECT 1 FROM inspection_trigger g WHERE g.task_id = t.id) AS triggered
        FROM inspection_task t
        WHERE t.created_at >= ($1::date)::timestamp AT TIME ZONE '${BUREAU_TIME_ZONE}'
          AND t.created_at < ($2::date + 1)::timestamp AT TIME ZONE '${BUREAU_TIME_ZONE}'),
      b AS (SELECT *, (kind = 'routine' OR NOT triggered) AS violation FROM a WHERE tier = $3)`;
    const [counts] = await this.dataSource.query(
      `${base} SELECT count(*)::int AS tasks, count(*) FILTER (WHERE kind = 'routine')::int AS routine,
         count(*) FILTER (WHERE kind = 'event')::int AS event,
         coalesce(array_agg(id ORDER BY id) FILTER (WHERE violation), '{}') AS violations FROM b`,
      [from, to, best],
    );
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `${base} SELECT b.*, e.uscc, e.name,
         coalesce((SELECT json_agg(json_build_object('id', g.id, 'kind', g.kind, 'reason', g.reason,
           'sourceRef', g.source_ref, 'receivedOn', g.received_on) ORDER BY g.received_on, g.id)
           FROM inspection_trigger g WHERE g.task_id = b.id), '[]') AS triggers
       FROM b JOIN enterprise e ON e.id = b.enterprise_id
       ORDER BY b.violation DESC, b.created_at DESC, b.id DESC LIMIT $4 OFFSET $5`,
      [from, to, best, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const violationIds = (counts.violations as string[]).map(Number);
    const items: NoDisturbanceTaskView[] = rows.map((r) => ({
      taskId: Number(r.id),
      kind: r.kind as string,
      enterprise: { uscc: r.uscc as string, name: r.name as string },
      department: r.department as string,
      tier: r.tier as string,
      status: r.status as string,
      createdAt: new Date(r.created_at as string).toISOString(),
      triggers: (r.triggers as TriggerRef[]).map((g) => ({ ...g, id: Number(g.id) })),
      violation: !r.violation
        ? null
        : r.kind === 'routine'
          ? `routine task on an enterprise of tier ${best}: tier ${best} gets no routine check (无事不扰)`
          : 'event task without a trigger: no stated reason',
    }));
    return {
      from,
      to,
      bestTier: best,
      tasks: counts.tasks,
      byKind: { routine: counts.routine, event: counts.event },
      violations: violationIds.length,
      violationTaskIds: violationIds,
      ...noDisturbanceSummary(from, to, best, counts.tasks, violationIds),
      items,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}

/** The finding of the no-disturbance report in words, English and Chinese. */
export function noDisturbanceSummary(
  from: string,
  to: string,
  best: string,
  tasks: number,
  violations: readonly number[],
): { summary: string; summaryZh: string } {
  const period = `from ${from} to ${to}`;
  const periodZh = `${from} 至 ${to}`;
  if (!violations.length)
    return tasks
      ? {
          summary: `0 violations: each of the ${tasks} task(s) on tier-${best} enterprises ${period} was triggered by an event with a stated reason; no routine check`,
          summaryZh: `0 项违规：${periodZh}期间对${best}类企业的 ${tasks} 项检查任务均由事件触发并载明事由，没有例行抽查。`,
        }
      : {
          summary: `0 violations: no task on a tier-${best} enterprise ${period}`,
          summaryZh: `0 项违规：${periodZh}期间没有对${best}类企业的检查任务。`,
        };
  const ids = violations.slice(0, 20).map((id) => `#${id}`);
  const more = violations.length > 20 ? ` and ${violations.length - 20} more` : '';
  const moreZh = violations.length > 20 ? ` 等` : '';
  return {
    summary: `${violations.length} violation(s) ${period}: task(s) ${ids.join(', ')}${more} on tier-${best} enterprises are routine or have no trigger`,
    summaryZh: `${violations.length} 项违规：${periodZh}期间对${best}类企业的任务 ${ids.join('、')}${moreZh}为例行抽查或没有触发事由。`,
  };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
