import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { addDays } from '../../common/calendar-days.js';
import { todayInShanghai } from '../../common/clock.js';
import { refuseFutureAsOf } from '../../credit/as-of.js';
import { pgPool } from '../../database/pg-pool.js';
import { unprocessable } from '../../http/api-errors.js';
import { disposalDueOn, dueAfterRaise, overdueSql } from '../alerts/rules/alert-rules.js';
import { PREPAID_DEPARTMENT } from '../rules/prepaid-department.js';
import { ALERT_LEVELS, type AlertLevel, RISK_LEVELS, type RiskLevel } from '../rules/risk-facts.js';
import {
  assessIssuer,
  isAlertLevel,
  levelRank,
  type RiskAssessment,
  type RiskModelConfig,
  type RiskRuleKey,
} from '../rules/risk-rules.js';
import { loadIssuerFacts, type Query, sectorBaselines } from './facts-loader.js';
import { riskModelInForce } from './risk-models.service.js';

/** Session advisory lock: one prepaid evaluation at a time across every instance and the CLI. */
export const EVALUATION_LOCK = 'prepaid_evaluation';

/** Issuers per batch (each batch one transaction). */
export const EVALUATION_BATCH = 2000;

/** One evaluation run as the API answers it. */
export interface EvaluationRunView {
  id: number;
  asOf: string;
  modelVersion: string;
  evaluated: number;
  levels: Record<RiskLevel, number>;
  alertsOpened: number;
  alertsRaised: number;
  /** the trigger that began the run */
  trigger: 'schedule' | 'cli' | 'api';
  /** the trigger of the call that resumed it after it was left unfinished (null: never resumed) */
  resumedTrigger: 'schedule' | 'cli' | 'api' | null;
  startedAt: string;
  finishedAt: string | null;
  /** true when the day had been evaluated already: this is that run, nothing was done again */
  repeated?: boolean;
  /** true when this call completed a run an earlier call left unfinished (killed half-way) */
  resumed?: boolean;
}

export interface EvaluationOptions {
  batchSize?: number;
  /** called after each committed batch (tests stop a run there, as a kill would) */
  afterBatch?: (batch: number) => Promise<void> | void;
  /** when given, milliseconds spent per phase are added to it (the benchmark's breakdown; loadMs: waiting for the facts) */
  timings?: { loadMs: number; assessMs: number; writeMs: number };
}

/** The street an issuer is shown under: its first open store's, else the enterprise's (SQL over `pi`, `e`). */
export const ISSUER_STREET_SQL = `coalesce((SELECT s.street FROM prepaid_store s WHERE s.enterprise_id = pi.enterprise_id
    AND s.closed_on IS NULL AND s.street IS NOT NULL ORDER BY s.id LIMIT 1), e.street)`;

/** The map's name for issuers without a street. */
export const NO_STREET = '未注明街道';

const zeroLevels = (): Record<RiskLevel, number> =>
  Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as Record<RiskLevel, number>;

function runView(r: Record<string, unknown>): EvaluationRunView {
  return {
    id: Number(r.id),
    asOf: r.as_of as string,
    modelVersion: r.model_version as string,
    evaluated: Number(r.evaluated),
    levels: { ...zeroLevels(), ...(r.levels as Record<RiskLevel, number>) },
    alertsOpened: Number(r.alerts_opened),
    alertsRaised: Number(r.alerts_raised),
    trigger: r.trigger_kind as EvaluationRunView['trigger'],
    resumedTrigger: (r.resumed_trigger ?? null) as EvaluationRunView['resumedTrigger'],
    startedAt: new Date(r.started_at as string).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at as string).toISOString() : null,
  };
}

/** The rule keys that fired in an assessment. */
export const firedRules = (a: RiskAssessment): RiskRuleKey[] =>
  a.outcomes.filter((o) => o.fired).map((o) => o.rule);

/**
 * The daily prepaid-risk evaluation (issue 14): every issuer's facts as of a day (facts-loader.ts)
 * assessed by the pure rules (rules/risk-rules.ts assessIssuer) under the model version in force on
 * that day; levels kept, alerts opened or raised. Also the explanations as of any past day, the trend
 * and the risk map.
 */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger('PrepaidEvaluation');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get query(): Query {
    return (sql, params) => this.dataSource.query(sql, params);
  }

  /**
   * Evaluates every issuer as of `asOf`, once per day, under the session advisory lock EVALUATION_LOCK.
   * - The day already evaluated (a finished run): that run is answered (`repeated: true`), nothing done.
   * - A run of the day left unfinished (killed): it is resumed after its last committed batch
   *   (`done_through`), under the model version it began with (`resumed: true`).
   * - Else a new run under the version in force on `asOf`.
   * Issuers go in enterprise_id order, EVALUATION_BATCH per transaction. Each batch: writes prepaid_level
   * for issuers at yellow or above or whose level changed from their current level; updates
   * prepaid_issuer.current_level / current_level_since / evaluated_on (unless the issuer was already
   * evaluated as of a later day); when `asOf` is not before the issuer's latest evaluated day nor
   * before the opening, raise or closing day of any of its alerts, and the time limit would not be
   * over already (due day today or later), opens an alert for an issuer reaching yellow or worse that has none in
   * progress (event `opened`, evidence = the whole assessment, due day by the level's time limit), or
   * raises the alert in progress when the level is worse than the alert's (event `raised` with the new
   * evidence; the due day recomputed, alert-rules.ts dueAfterRaise; never a second alert: the unique
   * index prepaid_alert_one_in_progress with ON CONFLICT DO NOTHING). A level that falls changes no
   * alert (a person closes it). The batch's counts, its progress and its audit entry
   * (`prepaid_evaluation.batch`: alerts opened and raised) commit with it. The finished run is audited
   * `prepaid_evaluation.run`.
   * @returns the run, or null when another evaluation holds the lock
   * @throws 422 `asOf` after today
   */
  async evaluate(
    asOf: string,
    actor: Actor,
    trigger: 'schedule' | 'cli' | 'api',
    opts: EvaluationOptions = {},
  ): Promise<EvaluationRunView | null> {
    refuseFutureAsOf(asOf, 'only a day that has begun can be evaluated');
    const client = await pgPool(this.dataSource).connect();
    try {
      const [{ locked }] = (
        await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [EVALUATION_LOCK])
      ).rows;
      if (!locked) return null;
      try {
        return await this.runLocked(asOf, actor, trigger, opts);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [EVALUATION_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  private async runLocked(
    asOf: string,
    actor: Actor,
    trigger: 'schedule' | 'cli' | 'api',
    opts: EvaluationOptions,
  ): Promise<EvaluationRunView> {
    const [done] = await this.dataSource.query(
      `SELECT * FROM prepaid_evaluation_run WHERE as_of = $1 AND finished_at IS NOT NULL`,
      [asOf],
    );
    if (done) return { ...runView(done), repeated: true };
    let [run] = await this.dataSource.query(
      `SELECT * FROM prepaid_evaluation_run WHERE as_of = $1 AND finished_at IS NULL`,
      [asOf],
    );
    const resumed = !!run;
    if (run)
      [run] = updated<Record<string, unknown>>(
        await this.dataSource.query(
          `UPDATE prepaid_evaluation_run SET resumed_trigger = $2 WHERE id = $1 RETURNING *`,
          [run.id, trigger],
        ),
      );
    if (!run) {
      const model = await riskModelInForce(this.query, asOf);
      [run] = await this.dataSource.query(
        `INSERT INTO prepaid_evaluation_run (as_of, model_version, trigger_kind) VALUES ($1, $2, $3) RETURNING *`,
        [asOf, model.version, trigger],
      );
    }
    const runId = Number(run.id);
    const [{ config }] = await this.dataSource.query(
      `SELECT config FROM prepaid_risk_model WHERE version = $1`,
      [run.model_version],
    );
    const model = config as RiskModelConfig;
    const baselines = await sectorBaselines(this.query, asOf);
    const due = Object.fromEntries(ALERT_LEVELS.map((l) => [l, disposalDueOn(asOf, l)])) as Record<
      AlertLevel,
      { dueOn: string; provisional: boolean }
    >;
    const size = opts.batchSize ?? EVALUATION_BATCH;
    const after = run.done_through === null ? 0 : Number(run.done_through);
    // the next batch's facts are read while this one is assessed and written (the database works while
    // the rules run); batches are written one after the other, in order
    const fetch = async (from: number) => {
      const ids: { id: number }[] = await this.dataSource.query(
        `SELECT enterprise_id AS id FROM prepaid_issuer WHERE enterprise_id > $1 ORDER BY enterprise_id LIMIT $2`,
        [from, size],
      );
      if (!ids.length) return null;
      const through = Number(ids[ids.length - 1].id);
      return {
        from,
        through,
        facts: await loadIssuerFacts(this.query, asOf, { after: from, through }, baselines),
      };
    };
    let next = fetch(after);
    for (let batch = 1; ; batch++) {
      const t0 = Date.now();
      const cur = await next;
      if (!cur) break;
      next = fetch(cur.through);
      next.catch(() => undefined); // awaited in the next turn; a stop before it must not leave it unhandled
      const t1 = Date.now();
      const assessments = cur.facts.map((f) => assessIssuer(f, asOf, model));
      const t2 = Date.now();
      await this.dataSource.transaction((m) =>
        this.writeBatch(m, runId, asOf, cur.from, cur.through, assessments, due, actor),
      );
      if (opts.timings) {
        opts.timings.loadMs += t1 - t0;
        opts.timings.assessMs += t2 - t1;
        opts.timings.writeMs += Date.now() - t2;
      }
      await opts.afterBatch?.(batch);
    }
    return this.dataSource.transaction(async (m) => {
      const [r] = updated<Record<string, unknown>>(
        await m.query(`UPDATE prepaid_evaluation_run SET finished_at = now() WHERE id = $1 RETURNING *`, [
          runId,
        ]),
      );
      const view = runView(r);
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_evaluation.run',
        entityType: 'prepaid_evaluation_run',
        entityId: runId,
        after: { ...view, resumed },
      });
      this.logger.log(
        `prepaid evaluation as of ${asOf}: ${view.evaluated} issuers, ${view.alertsOpened} alert(s) opened, ${view.alertsRaised} raised`,
      );
      return { ...view, resumed };
    });
  }

  /** One batch's writes (see evaluate), in its transaction `m`. */
  private async writeBatch(
    m: EntityManager,
    runId: number,
    asOf: string,
    after: number,
    through: number,
    assessments: RiskAssessment[],
    due: Record<AlertLevel, { dueOn: string; provisional: boolean }>,
    actor: Actor,
  ): Promise<void> {
    const [run] = await m.query(
      `SELECT done_through, levels FROM prepaid_evaluation_run WHERE id = $1 FOR UPDATE`,
      [runId],
    );
    if ((run.done_through === null ? 0 : Number(run.done_through)) !== after)
      throw new ConflictException(`evaluation run ${runId} moved on meanwhile (another process resumed it)`);
    const current: { id: number; level: RiskLevel | null; alertable: boolean }[] = await m.query(
      `SELECT pi.enterprise_id AS id, pi.current_level AS level,
              (pi.evaluated_on IS NULL OR pi.evaluated_on <= $3::date)
                AND (al.latest IS NULL OR al.latest <= $3::date) AS alertable
       FROM prepaid_issuer pi
       LEFT JOIN (SELECT c.enterprise_id,
                         max(greatest(c.opened_on, c.raised_on, (c.closed_at AT TIME ZONE 'Asia/Shanghai')::date)) AS latest
                  FROM prepaid_alert c WHERE c.enterprise_id > $1 AND c.enterprise_id <= $2
                  GROUP BY c.enterprise_id) al ON al.enterprise_id = pi.enterprise_id
       WHERE pi.enterprise_id > $1 AND pi.enterprise_id <= $2 FOR UPDATE OF pi`,
      [after, through, asOf],
    );
    const before = new Map(current.map((c) => [Number(c.id), c.level ?? 'none']));
    // alerts move forward in time only: a day before the issuer's latest evaluation, or before an
    // alert's opening, raise or closing, is re-explained (levels kept) but opens and raises nothing; nor
    // does a day so long ago that the alert would be overdue the moment it exists
    const alertable = new Set(current.filter((c) => c.alertable).map((c) => Number(c.id)));
    const today = todayInShanghai();
    const levels = { ...zeroLevels(), ...(run.levels as Record<RiskLevel, number>) };
    for (const a of assessments) levels[a.level]++;
    const kept = assessments.filter((a) => isAlertLevel(a.level) || before.get(a.enterpriseId) !== a.level);
    if (kept.length)
      await m.query(
        `INSERT INTO prepaid_level (enterprise_id, as_of, run_id, level, score, fired)
         SELECT id, $1::date, $2, level, score, fired
         FROM unnest($3::bigint[], $4::text[], $5::numeric[], $6::jsonb[]) AS v(id, level, score, fired)
         ON CONFLICT (enterprise_id, as_of) DO UPDATE SET run_id = EXCLUDED.run_id, level = EXCLUDED.level,
           score = EXCLUDED.score, fired = EXCLUDED.fired`,
        [
          asOf,
          runId,
          kept.map((a) => a.enterpriseId),
          kept.map((a) => a.level),
          kept.map((a) => a.score),
          kept.map((a) => JSON.stringify(firedRules(a))),
        ],
      );
    if (assessments.length)
      await m.query(
        `UPDATE prepaid_issuer pi SET
           current_level_since = CASE WHEN pi.current_level IS DISTINCT FROM v.level THEN $1::date
                                      ELSE coalesce(pi.current_level_since, $1::date) END,
           current_level = v.level, evaluated_on = $1::date, updated_at = now()
         FROM unnest($2::bigint[], $3::text[]) AS v(id, level)
         WHERE pi.enterprise_id = v.id AND (pi.evaluated_on IS NULL OR pi.evaluated_on <= $1::date)`,
        [asOf, assessments.map((a) => a.enterpriseId), assessments.map((a) => a.level)],
      );
    const alerting = assessments.filter(
      (a) =>
        isAlertLevel(a.level) && alertable.has(a.enterpriseId) && due[a.level as AlertLevel].dueOn >= today,
    );
    const opened: { id: number; enterprise_id: number }[] = [];
    const raised: { id: number; enterprise_id: number }[] = [];
    if (alerting.length) {
      opened.push(
        ...(await m.query(
          `INSERT INTO prepaid_alert (enterprise_id, department, opened_on, opened_level, level, evidence, model_version, due_on, due_provisional)
           SELECT v.id, $1, $2::date, v.level, v.level, v.evidence, $3, v.due_on, v.provisional
           FROM jsonb_to_recordset($4::jsonb) AS v(id bigint, level text, evidence jsonb, due_on date, provisional boolean)
           ON CONFLICT (enterprise_id) WHERE status <> 'closed' DO NOTHING
           RETURNING id, enterprise_id`,
          [
            PREPAID_DEPARTMENT,
            asOf,
            alerting[0].modelVersion,
            // one JSON document, not arrays of JSON text: big evidence travels and parses once
            JSON.stringify(
              alerting.map((a) => ({
                id: a.enterpriseId,
                level: a.level,
                evidence: a,
                due_on: due[a.level as AlertLevel].dueOn,
                provisional: due[a.level as AlertLevel].provisional,
              })),
            ),
          ],
        )),
      );
      const openedIds = new Set(opened.map((o) => Number(o.enterprise_id)));
      const others = alerting.filter((a) => !openedIds.has(a.enterpriseId));
      const candidates: {
        id: number;
        enterprise_id: number;
        level: AlertLevel;
        due_on: string;
        disposed: boolean;
      }[] = others.length
        ? await m.query(
            `SELECT a.id, a.enterprise_id, a.level, a.due_on::text AS due_on,
                    EXISTS (SELECT 1 FROM prepaid_disposal d WHERE d.alert_id = a.id
                      AND d.decided_on >= coalesce(a.raised_on, a.opened_on)) AS disposed
             FROM prepaid_alert a WHERE a.enterprise_id = ANY($1::bigint[]) AND a.status <> 'closed' FOR UPDATE`,
            [others.map((a) => a.enterpriseId)],
          )
        : [];
      const byIssuer = new Map(others.map((a) => [a.enterpriseId, a]));
      const raises = candidates
        .map((c) => ({ c, a: byIssuer.get(Number(c.enterprise_id))! }))
        .filter(({ c, a }) => levelRank(a.level) > levelRank(c.level))
        .map(({ c, a }) => ({
          c,
          a,
          due: dueAfterRaise(
            { dueOn: c.due_on, disposedSinceLastStart: c.disposed },
            asOf,
            a.level as AlertLevel,
          ),
        }))
        .filter(({ due }) => due.dueOn >= today);
      if (raises.length) {
        raised.push(
          ...updated<{ id: number; enterprise_id: number }>(
            await m.query(
              `UPDATE prepaid_alert p SET level = v.level, raised_on = $1::date, due_on = v.due_on, due_provisional = v.provisional
             FROM unnest($2::bigint[], $3::text[], $4::date[], $5::boolean[]) AS v(id, level, due_on, provisional)
             WHERE p.id = v.id RETURNING p.id, p.enterprise_id`,
              [
                asOf,
                raises.map((r) => r.c.id),
                raises.map((r) => r.a.level),
                raises.map((r) => r.due.dueOn),
                raises.map((r) => r.due.provisional),
              ],
            ),
          ),
        );
      }
      const alertingBy = new Map(alerting.map((a) => [a.enterpriseId, a]));
      const events = [
        ...opened.map((o) => ({
          alertId: Number(o.id),
          kind: 'opened',
          a: byId(alertingBy, o.enterprise_id),
        })),
        ...raised.map((o) => ({
          alertId: Number(o.id),
          kind: 'raised',
          a: byId(alertingBy, o.enterprise_id),
        })),
      ];
      if (events.length)
        await m.query(
          `INSERT INTO prepaid_alert_event (alert_id, kind, level, as_of, evidence, note)
           SELECT v.alert_id, v.kind, v.level, $1::date, v.evidence, v.note
           FROM jsonb_to_recordset($2::jsonb) AS v(alert_id bigint, kind text, level text, evidence jsonb, note text)`,
          [
            asOf,
            JSON.stringify(
              events.map((e) => ({
                alert_id: e.alertId,
                kind: e.kind,
                level: e.a.level,
                // an opening's evidence is the alert's own (prepaid_alert.evidence): stored once
                evidence: e.kind === 'opened' ? null : e.a,
                note: `${e.kind === 'opened' ? '每日评估开出预警' : '每日评估风险等级升高'}（模型 ${e.a.modelVersion}，评分 ${e.a.score}）`,
              })),
            ),
          ],
        );
    }
    await m.query(
      `UPDATE prepaid_evaluation_run SET evaluated = evaluated + $2, levels = $3, alerts_opened = alerts_opened + $4,
         alerts_raised = alerts_raised + $5, done_through = $6 WHERE id = $1`,
      [runId, assessments.length, JSON.stringify(levels), opened.length, raised.length, through],
    );
    await appendAudit(sqlOf(m), actor, {
      action: 'prepaid_evaluation.batch',
      entityType: 'prepaid_evaluation_run',
      entityId: runId,
      after: {
        asOf,
        enterpriseIds: { after, through },
        evaluated: assessments.length,
        alertsOpened: opened.map((o) => Number(o.id)),
        alertsRaised: raised.map((o) => Number(o.id)),
      },
    });
  }

  /** Recent runs, newest first (at most `limit`). */
  async runs(limit = 30): Promise<EvaluationRunView[]> {
    const rows = await this.dataSource.query(
      `SELECT * FROM prepaid_evaluation_run ORDER BY as_of DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(runView);
  }

  /** The issuer's enterprise id. @throws NotFoundException not a prepaid issuer */
  async issuerId(uscc: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT pi.enterprise_id AS id FROM prepaid_issuer pi JOIN enterprise e ON e.id = pi.enterprise_id WHERE e.uscc = $1`,
      [uscc],
    );
    if (!row)
      throw new NotFoundException(`${uscc} is not a prepaid-card issuer (预付卡经营者) of the register`);
    return Number(row.id);
  }

  /**
   * An issuer's assessment as of `asOf` (default today): its facts as known that day under the model
   * version in force that day. Computed, not stored: the same as the daily run would have given.
   * @throws 422 `asOf` after today; NotFoundException not an issuer
   */
  async riskAsOf(uscc: string, asOf: string = todayInShanghai()): Promise<RiskAssessment> {
    refuseFutureAsOf(asOf, 'only past risk levels can be explained');
    const id = await this.issuerId(uscc);
    return this.assessOne(id, asOf);
  }

  private async assessOne(id: number, asOf: string): Promise<RiskAssessment> {
    const model = await riskModelInForce(this.query, asOf);
    const baselines = await sectorBaselines(this.query, asOf);
    const [facts] = await loadIssuerFacts(this.query, asOf, { ids: [id] }, baselines);
    return assessIssuer(facts, asOf, model);
  }

  /**
   * The trend: the assessment at each month end from `from` to `to` (default the last 24 months), and
   * at `to` itself (today by default) when it is not a month end.
   * @throws 422 `from` after `to`, `to` after today, more than 60 month ends
   */
  async trend(
    uscc: string,
    from?: string,
    to?: string,
  ): Promise<{ points: { asOf: string; level: RiskLevel; score: number; fired: RiskRuleKey[] }[] }> {
    const today = todayInShanghai();
    const end = to ?? today;
    refuseFutureAsOf(end, 'a trend ends today at the latest');
    const start = from ?? `${String(Number(end.slice(0, 4)) - 2)}${end.slice(4, 7)}-01`;
    if (start > end) throw unprocessable([{ field: 'from', reason: `${start} is after to (${end})` }]);
    const days = monthEnds(start, end);
    if (days.length > 61)
      throw unprocessable([{ field: 'from', reason: `at most 60 month ends (${days.length - 1} asked)` }]);
    const id = await this.issuerId(uscc);
    const points = [];
    for (const d of days) {
      const a = await this.assessOne(id, d);
      points.push({ asOf: d, level: a.level, score: a.score, fired: firedRules(a) });
    }
    return { points };
  }

  /**
   * The risk map by street (街道): per street, the issuers and how many are at each current level
   * (none: evaluated, no rule enough) and the issuers not evaluated yet (`unevaluated`: no level), the alerts in progress and the overdue ones (alert-rules.ts isOverdue).
   * `asOf` is the latest evaluated day (today when none).
   */
  async riskMap(): Promise<{
    asOf: string;
    streets: ({
      street: string;
      issuers: number;
      unevaluated: number;
      openAlerts: number;
      overdueAlerts: number;
    } & Record<RiskLevel, number>)[];
  }> {
    const today = todayInShanghai();
    const rows = await this.dataSource.query(
      `SELECT coalesce(${ISSUER_STREET_SQL}, $2) AS street, count(*)::int AS issuers,
              count(*) FILTER (WHERE pi.current_level IS NULL)::int AS unevaluated,
              ${RISK_LEVELS.map((l) => `count(*) FILTER (WHERE pi.current_level = '${l}')::int AS ${l}`).join(', ')},
              count(a.id)::int AS open_alerts,
              count(a.id) FILTER (WHERE ${overdueSql('$1::date')})::int AS overdue_alerts
       FROM prepaid_issuer pi JOIN enterprise e ON e.id = pi.enterprise_id
       LEFT JOIN prepaid_alert a ON a.enterprise_id = pi.enterprise_id AND a.status <> 'closed'
       GROUP BY 1 ORDER BY 1`,
      [today, NO_STREET],
    );
    const [{ as_of }] = await this.dataSource.query(
      `SELECT max(evaluated_on)::text AS as_of FROM prepaid_issuer`,
    );
    return {
      asOf: as_of ?? today,
      streets: rows.map((r: Record<string, unknown>) => ({
        street: r.street as string,
        issuers: r.issuers as number,
        unevaluated: r.unevaluated as number,
        ...(Object.fromEntries(RISK_LEVELS.map((l) => [l, r[l] as number])) as Record<RiskLevel, number>),
        openAlerts: r.open_alerts as number,
        overdueAlerts: r.overdue_alerts as number,
      })),
    };
  }
}

/** The rows of an UPDATE ... RETURNING through TypeORM (which answers `[rows, count]` for updates). */
function updated<T>(res: unknown): T[] {
  return (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as T[];
}

function byId(list: Map<number, RiskAssessment>, enterpriseId: number): RiskAssessment {
  return list.get(Number(enterpriseId))!;
}

/** Month ends from `from` to `to` (inclusive), then `to` when it is not one. */
export function monthEnds(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let mo = Number(from.slice(5, 7));
  for (;;) {
    const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
    const end = addDays(next, -1);
    if (end > to) break;
    if (end >= from) out.push(end);
    y = Number(next.slice(0, 4));
    mo = Number(next.slice(5, 7));
  }
  if (out[out.length - 1] !== to) out.push(to);
  return out;
}
