import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { refuseFutureAsOf } from './as-of.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import { copyLine } from '../common/copy-text.js';
import { Actor, cliActor } from '../audit/actor.js';
import { appendAudit, sqlOfClient } from '../audit/audit-writer.js';
import { todayInShanghai } from '../common/clock.js';
import { bulkDebug } from '../database/bulk-load.js';
import { pgPool } from '../database/pg-pool.js';
import { refreshStatistics } from '../database/table-statistics.js';
import { EnterprisesService } from '../enterprises/enterprises.service.js';
import { indicatorQuery } from './indicator-sql.js';
import { scorecardInForce, scorecardInForceVia } from './scorecard-in-force.js';
import {
  INDICATOR_KEYS,
  Scorecard,
  ScoreResult,
  indicatorValues,
  recencyOf,
  scoreEnterprise,
  storeReasons,
} from './rules/scorecard.js';

/** Advisory lock key under which scores are written (see ScoringService.rescoreAll). */
export const SCORING_LOCK = 'credit_score';

export interface ScoringRunSummary {
  runId: number;
  modelVersion: string;
  asOf: string;
  enterprises: number;
  /** tier -> number of enterprises, every tier of the scorecard listed */
  tierCounts: Record<string, number>;
  elapsedMs: number;
}

/**
 * Scores enterprises into risk tiers (信用风险分类, SAMR 国市监信发〔2022〕6号) with the scorecard
 * version in force: everyone at once (rescoreAll) or one enterprise (rescoreEnterprise,
 * computeScore). Indicator values come from one set-based SQL aggregation (indicator-sql.ts); the
 * pure `scoreEnterprise` decides score, tier and reasons; results are bulk-written with COPY.
 * Versions are ScorecardVersionsService's, reads (status, explanation) CreditExplanationService's,
 * runs, snapshots and tier history CreditHistoryService's.
 */
@Injectable()
export class ScoringService implements OnModuleInit {
  private readonly logger = new Logger(ScoringService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enterprises: EnterprisesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // a newly registered enterprise gets its first score at once, in the registration's transaction
    this.enterprises.onRegistered((m, id) => this.rescoreEnterprise(m, id));
  }

  /**
   * Rescores every enterprise as of `asOf` (default: today in Shanghai) with the scorecard version
   * in force on that date (scorecardInForce),
   * replacing each enterprise's current score in one transaction.
   * @param onProgress called with the number of enterprises scored so far (every 50,000)
   * @param actor who runs it, for the audit entry `credit_score.rescore_all` (run, as-of date, tier counts)
   * @returns the run's summary with the tier distribution
   * @throws UnprocessableEntityException (422, field `asOf`) a day after today: its tiers would be
   *   projections, and the kept history would hold tier changes dated in the future
   */
  async rescoreAll(
    asOf: string = todayInShanghai(),
    onProgress?: (done: number) => void,
    actor: Actor = cliActor(),
  ): Promise<ScoringRunSummary> {
    refuseFutureAsOf(asOf, 'scores are stored only as of today or earlier');
    return this.scoreEveryone(asOf, onProgress, actor);
  }

  /**
   * rescoreAll, with `first` run in the run's transaction under the scoring lock before the
   * version in force is read (a scorecard activation, ScorecardVersionsService.activateScorecard),
   * so both commit or neither does.
   */
  async scoreEveryone(
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
      const changes = await writer.query(
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
      lap('replaced credit_score');
      // the statistics step of a bulk write: credit_score was rewritten whole (TRUNCATE leaves it
      // without a row estimate), the history grew by the changed tiers
      const sql = sqlOfClient(writer);
      await refreshStatistics(sql, 'credit_score', enterprises);
      await refreshStatistics(sql, 'credit_tier_change', changes.rowCount ?? 0);
      await refreshStatistics(sql, 'scoring_run', 1);
      lap('refreshed statistics');
      await appendAudit(sqlOfClient(writer), actor, {
        action: 'credit_score.rescore_all',
        entityType: 'scoring_run',
        entityId: runId,
        after: { runId: Number(runId), modelVersion: card.version, asOf, enterprises, tierCounts },
      });
      await writer.query('COMMIT');
      lap('committed');
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
    // the first one's record (read committed), so no score or tier change is lost. FOR NO KEY
    // UPDATE, not FOR UPDATE: the callers' rows referencing the enterprise (credit_record,
    // penalty_decision...) hold KEY SHARE on it, which FOR UPDATE would wait for in both
    // transactions at once (a deadlock: two decisions for one enterprise recorded together).
    await manager.query(`SELECT 1 FROM enterprise WHERE id = $1 FOR NO KEY UPDATE`, [enterpriseId]);
    const card = await scorecardInForce(asOf, manager);
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
    const card = inForce ?? (await scorecardInForce(asOf, manager));
    const [row] = await manager.query(indicatorQuery(true, recencyOf(card)), [asOf, enterpriseId]);
    if (!row) throw new NotFoundException(`enterprise ${enterpriseId} not found`);
    return scoreEnterprise(indicatorValues(row), card);
  }
}
