import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/config.token.js';
import { unprocessable } from '../http/api-errors.js';
import type { AppConfig } from '../config/configuration.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import { copyLine } from '../common/copy-text.js';
import { Actor, cliActor, systemActor } from '../audit/actor.js';
import { appendAudit, sqlOf, sqlOfClient } from '../audit/audit-writer.js';
import { todayInShanghai } from '../common/clock.js';
import { bulkDebug } from '../database/bulk-load.js';
import { pgPool } from '../database/pg-pool.js';
import { EnterprisesService } from '../enterprises/enterprises.service.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { counting, indicatorQuery, recordsBehindQuery, relatedPartiesQuery } from './indicator-sql.js';
import { SHIPPED_SCORECARDS } from './rules/default-scorecard.js';
import {
  INDICATOR_KEYS,
  Scorecard,
  ScoreResult,
  expandReasons,
  indicatorValues,
  reasonRule,
  recencyOf,
  scoreEnterprise,
  storeReasons,
  tierLabel,
  type StoredReason,
  validateScorecard,
} from './rules/scorecard.js';

/** Advisory lock key under which scores are written (see rescoreAll). */
const SCORING_LOCK = 'credit_score';

export interface ScoringRunSummary {
  runId: number;
  modelVersion: string;
  asOf: string;
  enterprises: number;
  /** tier -> number of enterprises, every tier of the scorecard listed */
  tierCounts: Record<string, number>;
  elapsedMs: number;
}

/** Current credit status of one enterprise as the API returns it. */
export interface CreditStatus {
  uscc: string;
  score: number;
  tier: string;
  tierLabel: { zh: string; en: string };
  modelVersion: string;
  asOf: string;
  computedAt: string;
  /** the most decisive hard rules and indicators (at most the version's maxReasons) */
  reasons: ScoreResult['reasons'];
  /** every hard rule and indicator with points */
  indicators: ScoreResult['reasons'];
}

/**
 * Scores enterprises into risk tiers (信用风险分类, SAMR 国市监信发〔2022〕6号) with the active
 * scorecard. Indicator values come from one set-based SQL aggregation (indicator-sql.ts); the
 * pure `scoreEnterprise` decides score, tier and reasons; results are bulk-written with COPY.
 */
@Injectable()
export class ScoringService implements OnModuleInit {
  private readonly logger = new Logger(ScoringService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enterprises: EnterprisesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureDefaultScorecard();
    // a newly registered enterprise gets its first score at once, in the registration's transaction
    this.enterprises.onRegistered((m, id) => this.rescoreEnterprise(m, id));
  }

  /**
   * Stores every shipped scorecard version that is absent (a version is never edited), and
   * activates the newest shipped one when no version is active (a new database). A database that
   * already has an active version keeps it: switching is `activateScorecard`.
   */
  async ensureDefaultScorecard(): Promise<void> {
    const cards = SHIPPED_SCORECARDS.map(validateScorecard);
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['scorecard_install']);
      const [{ any_active }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM scorecard_version WHERE is_active) AS any_active`,
      );
      for (const [i, card] of cards.entries()) {
        const activate = !any_active && i === cards.length - 1;
        const inserted = await m.query(
          `INSERT INTO scorecard_version (version, description, config, is_active)
           VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING RETURNING version`,
          [card.version, card.description, JSON.stringify(card), activate],
        );
        if (inserted.length && activate)
          await m.query(
            `INSERT INTO scorecard_activation (version, effective_from) VALUES ($1, DATE '1900-01-01')`,
            [card.version],
          );
        if (inserted.length)
          await appendAudit(sqlOf(m), systemActor('startup'), {
            action: 'scorecard.install',
            entityType: 'scorecard_version',
            entityId: card.version,
            after: { version: card.version, active: activate, config: card },
          });
      }
    });
  }

  /**
   * Makes `version` the active scorecard, in force for scores as of today and later (recorded in
   * scorecard_activation, and in the audit trail as `scorecard.activate` with the versions before
   * and after), then rescores everyone with it as of today. Activations cannot be back- or
   * future-dated: the history of versions in force only grows forward. The switch and the
   * rescoring are one transaction: if the rescoring fails, the previous version stays active and
   * nothing of the switch is stored (nor audited).
   * @throws NotFoundException unknown version
   * @throws ConflictException the version is already active
   */
  async activateScorecard(version: string, actor: Actor) {
    const asOf = todayInShanghai();
    let before: string | null = null;
    // under the scoring lock the run takes first: one at a time, never in the middle of a run
    const run = await this.scoreEveryone(asOf, undefined, actor, async (c) => {
      const target = await c.query(`SELECT version FROM scorecard_version WHERE version = $1`, [version]);
      if (!target.rowCount) throw new NotFoundException(`scorecard version ${version} does not exist`);
      const current = (await c.query(`SELECT version FROM scorecard_version WHERE is_active`)).rows[0];
      if (current?.version === version)
        throw new ConflictException(`scorecard version ${version} is already active`);
      before = (current?.version as string | undefined) ?? null;
      await c.query(`UPDATE scorecard_version SET is_active = false WHERE is_active`);
      await c.query(`UPDATE scorecard_version SET is_active = true WHERE version = $1`, [version]);
      // in force for scores as of today and later; a score as of an earlier date keeps the
      // version in force then (scores, explanations and history all follow scorecardInForce)
      await c.query(`INSERT INTO scorecard_activation (version, effective_from) VALUES ($1, $2)`, [
        version,
        asOf,
      ]);
      await appendAudit(sqlOfClient(c), actor, {
        action: 'scorecard.activate',
        entityType: 'scorecard_version',
        entityId: version,
        before: { active: before },
        after: { active: version },
      });
    });
    return { before, after: version, run };
  }

  /** Every stored scorecard version, oldest first, whether it is active, and the days from which it was activated. */
  async scorecardVersions(): Promise<
    { version: string; description: string; active: boolean; createdAt: Date; inForceFrom: string[] }[]
  > {
    return this.dataSource.query(
      `SELECT v.version, v.description, v.is_active AS active, v.created_at AS "createdAt",
              coalesce(array_agg(a.effective_from::text ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS "inForceFrom"
       FROM scorecard_version v LEFT JOIN scorecard_activation a ON a.version = v.version
       GROUP BY v.version ORDER BY min(v.created_at), v.version`,
    );
  }

  /** A stored scorecard version. @throws NotFoundException unknown version */
  async scorecardVersion(version: string): Promise<Scorecard> {
    const [row] = await this.dataSource.query(`SELECT config FROM scorecard_version WHERE version = $1`, [
      version,
    ]);
    if (!row) throw new NotFoundException(`scorecard version ${version} does not exist`);
    return validateScorecard(row.config);
  }

  /** The active scorecard. @throws Error when none is active (cannot happen after start-up). */
  async activeScorecard(manager: EntityManager = this.dataSource.manager): Promise<Scorecard> {
    const row = await manager.findOne(ScorecardVersion, { where: { isActive: true } });
    if (!row) throw new Error('no active scorecard version');
    return validateScorecard(row.config);
  }

  /**
   * Rescores every enterprise as of `asOf` (default: today in Shanghai) with the scorecard version
   * in force on that date (scorecardInForce),
   * replacing each enterprise's current score in one transaction.
   * @param onProgress called with the number of enterprises scored so far (every 50,000)
   * @param actor who runs it, for the audit entry `credit_score.rescore_all` (run, as-of date, tier counts)
   * @returns the run's summary with the tier distribution
   */
  rescoreAll(
    asOf: string = todayInShanghai(),
    onProgress?: (done: number) => void,
    actor: Actor = cliActor(),
  ): Promise<ScoringRunSummary> {
    return this.scoreEveryone(asOf, onProgress, actor);
  }

  /**
   * rescoreAll, with `first` run in the run's transaction under the scoring lock before the
   * version in force is read (a scorecard activation), so both commit or neither does.
   */
  private async scoreEveryone(
    asOf: string,
    onProgress: ((done: number) => void) | undefined,
    actor: Actor,
    first?: (client: pg.PoolClient) => Promise<void>,
  ): Promise<ScoringRunSummary> {
    const started = Date.now();
    const lap = bulkDebug('rescoring'); // phase timings with BULK_LOAD_DEBUG=1
    let card!: Scorecard;
    let tierCounts: Record<string, number> = {};
    const pool = pgPool(this.dataSource);
    const reader = await pool.connect();
    const writer = await pool.connect();
    let enterprises = 0;
    try {
      await writer.query('BEGIN');
      // Scores are written under one lock: a full run holds it exclusively from its snapshot to its
      // commit, a single rescore holds it shared. A record posted during a full run is rescored
      // after the run commits, so the run's older snapshot never overwrites it.
      await writer.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCORING_LOCK]);
      if (first) await first(writer);
      // the version in force on asOf, read under the lock (an activation commits before or after,
      // or is this run's own `first` step, read in this transaction)
      card = await scorecardInForceVia(async (sql, params) => (await writer.query(sql, params)).rows, asOf);
      tierCounts = Object.fromEntries(card.tiers.map((t) => [t.tier, 0]));
      const [{ id: runId }] = (
        await writer.query(
          `INSERT INTO scoring_run (model_version, as_of, scope) VALUES ($1, $2, 'all') RETURNING id`,
          [card.version, asOf],
        )
      ).rows;
      await writer.query(
        `CREATE TEMP TABLE score_stage (enterprise_id bigint, score numeric(6,2), tier text, reasons jsonb) ON COMMIT DROP`,
      );
      // Aggregate first into a temporary table (a plain statement may run in parallel; a cursor
      // never does), then stream that table through the pure scoring function.
      await reader.query('BEGIN');
      await reader.query(
        `CREATE TEMP TABLE score_input ON COMMIT DROP AS ${indicatorQuery(false, recencyOf(card))}`,
        [asOf],
      );
      lap('aggregated indicators');
      // The inputs leave PostgreSQL as COPY text (every column a number: split on tabs), which
      // costs a third of a cursor's per-field parsing; results go back as COPY text too.
      const source = reader.query(copyTo(`COPY score_input TO STDOUT`));
      // Lines are sent in ~256 KiB pieces: one socket write per row cost more than the scoring.
      let pendingLines = '';
      let partial = '';
      const toCopy = new Transform({
        transform(chunk: Buffer, _enc, done) {
          try {
            const text = partial + chunk.toString('utf8');
            const lines = text.split('\n');
            partial = lines.pop()!;
            for (const line of lines) pendingLines += scoreRow(line.split('\t').map(Number));
            if (pendingLines.length < 262144) return done();
            const out = pendingLines;
            pendingLines = '';
            done(null, out);
          } catch (e) {
            done(e as Error);
          }
        },
        flush(done) {
          try {
            if (partial) pendingLines += scoreRow(partial.split('\t').map(Number));
            done(null, pendingLines || undefined);
          } catch (e) {
            done(e as Error);
          }
        },
      });
      const scoreRow = (row: number[]): string => {
        const values: Record<string, number> = {};
        for (let i = 0; i < INDICATOR_KEYS.length; i++) values[INDICATOR_KEYS[i]!] = row[i + 1]!;
        const r = scoreEnterprise(values as ReturnType<typeof indicatorValues>, card);
        tierCounts[r.tier] = (tierCounts[r.tier] ?? 0) + 1;
        enterprises++;
        if (onProgress && enterprises % 50000 === 0) onProgress(enterprises);
        return copyLine([row[0]!, r.score, r.tier, storeReasons(r.breakdown)]);
      };
      await pipeline(
        source as unknown as Readable,
        toCopy,
        writer.query(copyFrom('COPY score_stage FROM STDIN')),
      );
      await reader.query('COMMIT');
      lap(`scored and staged ${enterprises} enterprises`);
      // Tier changes are kept for history (the first classification of an enterprise included).
      await writer.query(
        `INSERT INTO credit_tier_change (enterprise_id, as_of, run_id, model_version, from_tier, to_tier, from_score, to_score, reasons)
         SELECT s.enterprise_id, $1, $2, $3, c.tier, s.tier, c.score, s.score, s.reasons
         FROM score_stage s LEFT JOIN credit_score c ON c.enterprise_id = s.enterprise_id
         WHERE c.tier IS DISTINCT FROM s.tier`,
        [asOf, runId, card.version],
      );
      lap('recorded tier changes');
      // Every enterprise is rescored: the current scores are replaced whole. TRUNCATE + INSERT took
      // a quarter of the time of an upsert; readers of credit_score wait for this step (seconds).
      await writer.query(`TRUNCATE credit_score`);
      await writer.query(
        `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
         SELECT enterprise_id, score, tier, $1, $2, now(), $3, reasons FROM score_stage`,
        [card.version, asOf, runId],
      );
      await writer.query(
        `UPDATE scoring_run SET finished_at = clock_timestamp(), enterprises = $2, tier_counts = $3 WHERE id = $1`,
        [runId, enterprises, JSON.stringify(tierCounts)],
      );
      await appendAudit(sqlOfClient(writer), actor, {
        action: 'credit_score.rescore_all',
        entityType: 'scoring_run',
        entityId: runId,
        after: { runId: Number(runId), modelVersion: card.version, asOf, enterprises, tierCounts },
      });
      await writer.query('COMMIT');
      lap('replaced the current scores');
      const summary = {
        runId,
        modelVersion: card.version,
        asOf,
        enterprises,
        tierCounts,
        elapsedMs: Date.now() - started,
      };
      this.logger.log(
        `scored ${enterprises} enterprises as of ${asOf} with ${card.version}: ${JSON.stringify(tierCounts)}`,
      );
      return summary;
    } catch (e) {
      await writer.query('ROLLBACK').catch(() => undefined);
      await reader.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      reader.release();
      writer.release();
    }
  }

  /**
   * Rescores one enterprise (after a new credit record) inside the caller's transaction.
   * @returns the new score result
   */
  async rescoreEnterprise(
    manager: EntityManager,
    enterpriseId: number,
    asOf: string = todayInShanghai(),
  ): Promise<ScoreResult> {
    // A request waits for a running full rescoring at most SCORING_LOCK_WAIT_SECONDS (it holds a
    // pooled connection meanwhile); then it fails with 503 and the caller tries again.
    await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [
      `${this.config.SCORING_LOCK_WAIT_SECONDS}s`,
    ]);
    await manager
      .query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [SCORING_LOCK])
      .catch((e: unknown) => {
        if ((e as { driverError?: { code?: string } }).driverError?.code === '55P03')
          throw new ServiceUnavailableException(
            'a full rescoring is running: nothing was stored, try again in a minute',
          );
        throw e;
      });
    await manager.query(`SELECT set_config('lock_timeout', '0', true)`);
    // One writer per enterprise: a second record posted at the same time waits here, then sees
    // the first one's record (read committed), so no score or tier change is lost.
    await manager.query(`SELECT 1 FROM enterprise WHERE id = $1 FOR UPDATE`, [enterpriseId]);
    const card = await this.scorecardInForce(asOf, manager);
    const result = await this.computeScore(manager, enterpriseId, asOf, card);
    const [before] = await manager.query(`SELECT tier, score FROM credit_score WHERE enterprise_id = $1`, [
      enterpriseId,
    ]);
    const reasons = JSON.stringify(storeReasons(result.breakdown));
    const [{ id: runId }] = await manager.query(
      `INSERT INTO scoring_run (model_version, as_of, scope, finished_at, enterprises, tier_counts)
       VALUES ($1, $2, 'enterprise', clock_timestamp(), 1, $3) RETURNING id`,
      [card.version, asOf, JSON.stringify({ [result.tier]: 1 })],
    );
    await manager.query(
      `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
       VALUES ($1, $2, $3, $4, $5, now(), $6, $7)
       ON CONFLICT (enterprise_id) DO UPDATE SET score = excluded.score, tier = excluded.tier,
         model_version = excluded.model_version, as_of = excluded.as_of, computed_at = excluded.computed_at,
         run_id = excluded.run_id, reasons = excluded.reasons`,
      [enterpriseId, result.score, result.tier, card.version, asOf, runId, reasons],
    );
    if (before?.tier !== result.tier)
      await manager.query(
        `INSERT INTO credit_tier_change (enterprise_id, as_of, run_id, model_version, from_tier, to_tier, from_score, to_score, reasons)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          enterpriseId,
          asOf,
          runId,
          card.version,
          before?.tier ?? null,
          result.tier,
          before?.score ?? null,
          result.score,
          reasons,
        ],
      );
    return result;
  }

  /**
   * The score one enterprise has as of `asOf` with the version in force then, computed without writing.
   * @throws NotFoundException unknown enterprise id
   */
  async computeScore(
    manager: EntityManager,
    enterpriseId: number,
    asOf: string = todayInShanghai(),
    inForce?: Scorecard,
  ): Promise<ScoreResult> {
    const card = inForce ?? (await this.scorecardInForce(asOf, manager));
    const [row] = await manager.query(indicatorQuery(true, recencyOf(card)), [asOf, enterpriseId]);
    if (!row) throw new NotFoundException(`enterprise ${enterpriseId} not found`);
    return scoreEnterprise(indicatorValues(row), card);
  }

  /**
   * The current credit status of an enterprise.
   * @throws NotFoundException when the enterprise is unknown or has not been scored yet
   */
  async currentStatus(uscc: string): Promise<CreditStatus> {
    const [row] = await this.dataSource.query(
      `SELECT e.uscc, s.score, s.tier, s.model_version, s.as_of, s.computed_at, s.reasons, v.config
       FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
       JOIN scorecard_version v ON v.version = s.model_version WHERE e.uscc = $1`,
      [uscc],
    );
    if (!row)
      throw new NotFoundException(`no credit score for ${uscc}: unknown enterprise or not scored yet`);
    const card = row.config as Scorecard;
    const indicators = expandReasons(row.reasons, card);
    return {
      uscc: row.uscc,
      score: row.score,
      tier: row.tier,
      tierLabel: tierLabel(card, row.tier),
      modelVersion: row.model_version,
      asOf: row.as_of,
      computedAt: new Date(row.computed_at).toISOString(),
      reasons: indicators.slice(0, card.maxReasons),
      indicators,
    };
  }

  /**
   * Takes the monthly reclassification snapshot (月度分类结果): every enterprise's current score,
   * tier, model version, as-of date, run, every indicator with its points, and the digest (MD5)
   * of the records that counted for it (ids and dates, in id order), under the month of `month`
   * (a date; its first day is used). Taking a month again replaces that month's rows. Audited as
   * `credit_snapshot.take`.
   * @returns the month (first day) and the number of enterprises
   */
  async takeSnapshot(month: string, actor: Actor): Promise<{ month: string; enterprises: number }> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [SCORING_LOCK]);
      const [{ first }] = await m.query(`SELECT date_trunc('month', $1::date)::date AS first`, [month]);
      const rows = await m.query(
        `INSERT INTO credit_snapshot (month, enterprise_id, score, tier, model_version, as_of, run_id, inputs_digest, indicators)
         SELECT $1::date, s.enterprise_id, s.score, s.tier, s.model_version, s.as_of, s.run_id,
                coalesce(d.digest, md5('')), s.reasons
         FROM credit_score s
         LEFT JOIN LATERAL (
           SELECT md5(string_agg(r.id::text || ':' || r.record_date::text, ',' ORDER BY r.id)) AS digest
           FROM credit_record r
           WHERE r.enterprise_id = s.enterprise_id AND ${counting('s.as_of')}
         ) d ON true
         ON CONFLICT (month, enterprise_id) DO UPDATE SET score = excluded.score, tier = excluded.tier,
           model_version = excluded.model_version, as_of = excluded.as_of, run_id = excluded.run_id,
           inputs_digest = excluded.inputs_digest, indicators = excluded.indicators, taken_at = now()
         RETURNING 1`,
        [first],
      );
      const [counts] = await m.query(
        `SELECT jsonb_object_agg(tier, n) AS tiers FROM (SELECT tier, count(*)::int AS n FROM credit_snapshot WHERE month = $1 GROUP BY tier) x`,
        [first],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'credit_snapshot.take',
        entityType: 'credit_snapshot',
        entityId: first,
        after: { month: first, enterprises: rows.length, tierCounts: counts?.tiers ?? {} },
      });
      return { month: first as string, enterprises: rows.length };
    });
  }

  /** Scoring runs of a scope, newest first, with tier counts and shares (0..1). */
  async runs(scope: 'all' | 'enterprise', page: number, pageSize: number) {
    const rows = await this.dataSource.query(
      `SELECT id::int AS id, model_version, as_of, scope, started_at, finished_at, enterprises, tier_counts
       FROM scoring_run WHERE scope = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [scope, pageSize, (page - 1) * pageSize],
    );
    return rows.map((r: Record<string, unknown>) => {
      const counts = (r.tier_counts as Record<string, number> | null) ?? {};
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return {
        id: r.id as number,
        modelVersion: r.model_version as string,
        asOf: r.as_of as string,
        scope: r.scope as string,
        startedAt: new Date(r.started_at as string).toISOString(),
        finishedAt: r.finished_at ? new Date(r.finished_at as string).toISOString() : null,
        enterprises: (r.enterprises as number | null) ?? null,
        tierCounts: counts,
        tierShares: Object.fromEntries(
          Object.entries(counts).map(([k, v]) => [k, total ? Math.round((v / total) * 10000) / 10000 : 0]),
        ),
      };
    });
  }

  /**
   * The scorecard version in force for scores as of `asOf`: the latest activation effective on or
   * before it; before the first activation, the first version activated; else the active one.
   */
  async scorecardInForce(asOf: string, manager: EntityManager = this.dataSource.manager): Promise<Scorecard> {
    return scorecardInForceVia((sql, params) => manager.query(sql, params), asOf);
  }

  /**
   * The score an enterprise had (or would have had) as of a date: only records dated on or
   * before it that still counted then, with the scorecard version in force then; every indicator
   * with its value, points and labels, and the records behind each. Computed, not stored.
   * @throws NotFoundException unknown enterprise
   */
  async scoreAsOf(uscc: string, asOf: string): Promise<ScoreExplanation> {
    const [e] = await this.dataSource.query(`SELECT id, established_on FROM enterprise WHERE uscc = $1`, [
      uscc,
    ]);
    if (!e) throw new NotFoundException(`enterprise ${uscc} is not in the register`);
    if (e.established_on && e.established_on > asOf)
      throw unprocessable([
        { field: 'asOf', reason: `enterprise ${uscc} was established on ${e.established_on}, after ${asOf}` },
      ]);
    const card = await this.scorecardInForce(asOf);
    const result = await this.computeScore(this.dataSource.manager, e.id, asOf, card);
    // the indicators this version weighs or bases a hard rule on
    const used = new Set<string>([
      ...card.indicators.map((i) => i.key),
      ...card.overrides.map((o) => o.indicator),
    ]);
    const all: ExplainedRecord[] = (
      await this.dataSource.query(recordsBehindQuery(recencyOf(card)), [asOf, e.id])
    ).map((r: ExplainedRecord) => ({ ...r, indicators: r.indicators.filter((k) => used.has(k)) }));
    // the records behind the score first (newest first), then the others; at most MAX_EXPLAINED
    const records = [
      ...all.filter((r) => r.indicators.length),
      ...all.filter((r) => !r.indicators.length),
    ].slice(0, MAX_EXPLAINED);
    const relatedParties: { uscc: string; name: string }[] = result.breakdown.some(
      (r) => r.code === 'related_serious_listed',
    )
      ? await this.dataSource.query(relatedPartiesQuery(), [e.id, asOf])
      : [];
    return {
      uscc,
      asOf,
      modelVersion: card.version,
      score: result.score,
      tier: result.tier,
      tierLabel: tierLabel(card, result.tier),
      indicators: result.breakdown.map((r) => {
        const indicator = reasonRule(card, r.code)!.indicator;
        return { ...r, records: records.filter((x) => x.indicators.includes(indicator)).map((x) => x.id) };
      }),
      records,
      recordsTotal: all.length,
      relatedParties,
    };
  }

  /**
   * The monthly snapshots of one enterprise, newest first, with labels of the version they used.
   * @throws NotFoundException unknown enterprise
   */
  async snapshots(uscc: string) {
    const enterpriseId = await this.enterprises.idOf(uscc);
    const rows = await this.dataSource.query(
      `SELECT s.month::text AS month, s.score, s.tier, s.model_version, s.as_of, s.inputs_digest, s.indicators, v.config
       FROM credit_snapshot s JOIN scorecard_version v ON v.version = s.model_version
       WHERE s.enterprise_id = $1 ORDER BY s.month DESC`,
      [enterpriseId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      month: r.month as string,
      score: r.score as number,
      tier: r.tier as string,
      modelVersion: r.model_version as string,
      asOf: r.as_of as string,
      inputsDigest: r.inputs_digest as string,
      indicators: expandReasons(r.indicators as StoredReason[], r.config as Scorecard),
    }));
  }

  /**
   * Every change of an enterprise's tier, newest first: when, as of which date, by which run and
   * model version, from and to which tier and score, and the indicators behind the new score
   * (labels from that version). The first classification is a change from no tier.
   * @throws NotFoundException unknown enterprise
   */
  async history(uscc: string): Promise<TierChange[]> {
    const enterpriseId = await this.enterprises.idOf(uscc);
    const rows = await this.dataSource.query(
      `SELECT c.changed_at, c.as_of, c.run_id::int AS run_id, c.model_version, c.from_tier, c.to_tier,
              c.from_score, c.to_score, c.reasons, v.config
       FROM credit_tier_change c JOIN scorecard_version v ON v.version = c.model_version
       WHERE c.enterprise_id = $1 ORDER BY c.id DESC`,
      [enterpriseId],
    );
    return rows.map((r: Record<string, unknown>) => {
      const card = r.config as Scorecard;
      return {
        changedAt: new Date(r.changed_at as string).toISOString(),
        asOf: r.as_of as string,
        runId: r.run_id as number,
        modelVersion: r.model_version as string,
        fromTier: (r.from_tier as string | null) ?? null,
        fromTierLabel: r.from_tier ? tierLabel(card, r.from_tier as string) : null,
        toTier: r.to_tier as string,
        toTierLabel: tierLabel(card, r.to_tier as string),
        fromScore: (r.from_score as number | null) ?? null,
        toScore: r.to_score as number,
        reasons: expandReasons(r.reasons as StoredReason[], card),
      };
    });
  }
}

/**
 * The scorecard version in force on `asOf` (see ScoringService.scorecardInForce), read through
 * `query` (a TypeORM manager or a pg client inside its transaction).
 * @throws Error when no version is active (cannot happen after start-up)
 */
async function scorecardInForceVia(
  query: (sql: string, params: unknown[]) => Promise<{ config: unknown }[]>,
  asOf: string,
): Promise<Scorecard> {
  const [row] = await query(
    `SELECT v.config FROM scorecard_version v JOIN (
       (SELECT version, 0 AS rank FROM scorecard_activation WHERE effective_from <= $1::date
        ORDER BY effective_from DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT version, 1 FROM scorecard_activation ORDER BY effective_from, id LIMIT 1)
     ) a ON a.version = v.version
     ORDER BY a.rank LIMIT 1`,
    [asOf],
  );
  const config =
    row?.config ?? (await query(`SELECT config FROM scorecard_version WHERE is_active`, []))[0]?.config;
  if (!config) throw new Error('no active scorecard version');
  return validateScorecard(config as Scorecard);
}

/** A record that counted for a score, with the indicators it fed. */
export interface ExplainedRecord {
  id: number;
  kind: string;
  recordDate: string;
  sourceDepartment: string;
  decisionNo: string | null;
  penaltySeverity: string | null;
  listType: string | null;
  outcome: string | null;
  subject: string | null;
  /** registration change: the particular changed */
  changeItem: string | null;
  details: Record<string, unknown> | null;
  indicators: string[];
}

/** A score as of a date with everything behind it (scoreAsOf). */
export interface ScoreExplanation {
  uscc: string;
  asOf: string;
  modelVersion: string;
  score: number;
  tier: string;
  tierLabel: { zh: string; en: string };
  /** hard rules and indicators with points, most decisive first, each with the ids of its records */
  indicators: (ScoreResult['breakdown'][number] & { records: number[] })[];
  /** the records behind the score, then the other counting records, at most MAX_EXPLAINED */
  records: ExplainedRecord[];
  /** every record that counted on asOf */
  recordsTotal: number;
  /** other enterprises of the same legal representative on the serious list on asOf */
  relatedParties: { uscc: string; name: string }[];
}

/** Records an explanation lists at most (an enterprise may have thousands). */
export const MAX_EXPLAINED = 500;

/** One change of tier (history). */
export interface TierChange {
  changedAt: string;
  asOf: string;
  runId: number;
  modelVersion: string;
  fromTier: string | null;
  fromTierLabel: { zh: string; en: string } | null;
  toTier: string;
  toTierLabel: { zh: string; en: string };
  fromScore: number | null;
  toScore: number;
  reasons: ScoreResult['reasons'];
}
