import { Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { DataSource, EntityManager } from 'typeorm';
import { copyLine } from '../common/copy-text.js';
import { Actor, cliActor, systemActor } from '../audit/actor.js';
import { appendAudit, sqlOf, sqlOfClient } from '../audit/audit-writer.js';
import { todayInShanghai } from '../common/clock.js';
import { bulkDebug } from '../database/bulk-load.js';
import { pgPool } from '../database/pg-pool.js';
import { EnterprisesService } from '../enterprises/enterprises.service.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { indicatorQuery } from './indicator-sql.js';
import { SHIPPED_SCORECARDS } from './rules/default-scorecard.js';
import {
  INDICATOR_KEYS,
  Scorecard,
  ScoreResult,
  expandReasons,
  indicatorValues,
  recencyOf,
  scoreEnterprise,
  storeReasons,
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
  reasons: ScoreResult['reasons'];
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
   * Makes `version` the active scorecard (recorded in the audit trail as `scorecard.activate`
   * with the versions before and after), then rescores everyone with it as of `asOf`.
   * @throws NotFoundException unknown version
   */
  async activateScorecard(version: string, actor: Actor, asOf: string = todayInShanghai()) {
    const before = await this.dataSource.transaction(async (m) => {
      const [target] = await m.query(`SELECT version FROM scorecard_version WHERE version = $1`, [version]);
      if (!target) throw new NotFoundException(`scorecard version ${version} does not exist`);
      const [current] = await m.query(`SELECT version FROM scorecard_version WHERE is_active FOR UPDATE`);
      await m.query(`UPDATE scorecard_version SET is_active = false WHERE is_active`);
      await m.query(`UPDATE scorecard_version SET is_active = true WHERE version = $1`, [version]);
      await appendAudit(sqlOf(m), actor, {
        action: 'scorecard.activate',
        entityType: 'scorecard_version',
        entityId: version,
        before: { active: current?.version ?? null },
        after: { active: version },
      });
      return (current?.version as string | undefined) ?? null;
    });
    const run = await this.rescoreAll(asOf, undefined, actor);
    return { before, after: version, run };
  }

  /** Every stored scorecard version, oldest first, with whether it is active. */
  async scorecardVersions(): Promise<
    { version: string; description: string; active: boolean; createdAt: Date }[]
  > {
    return this.dataSource.query(
      `SELECT version, description, is_active AS active, created_at AS "createdAt" FROM scorecard_version ORDER BY created_at, version`,
    );
  }

  /** The active scorecard. @throws Error when none is active (cannot happen after start-up). */
  async activeScorecard(manager: EntityManager = this.dataSource.manager): Promise<Scorecard> {
    const row = await manager.findOne(ScorecardVersion, { where: { isActive: true } });
    if (!row) throw new Error('no active scorecard version');
    return validateScorecard(row.config);
  }

  /**
   * Rescores every enterprise as of `asOf` (default: today in Shanghai) with the active scorecard,
   * replacing each enterprise's current score in one transaction.
   * @param onProgress called with the number of enterprises scored so far (every 50,000)
   * @param actor who runs it, for the audit entry `credit_score.rescore_all` (run, as-of date, tier counts)
   * @returns the run's summary with the tier distribution
   */
  async rescoreAll(
    asOf: string = todayInShanghai(),
    onProgress?: (done: number) => void,
    actor: Actor = cliActor(),
  ): Promise<ScoringRunSummary> {
    const started = Date.now();
    const lap = bulkDebug('rescoring'); // phase timings with BULK_LOAD_DEBUG=1
    const card = await this.activeScorecard();
    const tierCounts: Record<string, number> = Object.fromEntries(card.tiers.map((t) => [t.tier, 0]));
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
      const source = reader.query(
        new QueryStream(`SELECT * FROM score_input`, [], { batchSize: 20000, rowMode: 'array' }),
      );
      // Lines are sent in ~256 KiB pieces: one socket write per row cost more than the scoring.
      let pendingLines = '';
      const toCopy = new Transform({
        writableObjectMode: true,
        transform(row: number[], _enc, done) {
          try {
            pendingLines += scoreRow(row);
            if (pendingLines.length < 262144) return done();
            const out = pendingLines;
            pendingLines = '';
            done(null, out);
          } catch (e) {
            done(e as Error);
          }
        },
        flush(done) {
          done(null, pendingLines || undefined);
        },
      });
      const scoreRow = (row: number[]): string => {
        const values: Record<string, number> = {};
        for (let i = 0; i < INDICATOR_KEYS.length; i++) values[INDICATOR_KEYS[i]!] = row[i + 1]!;
        const r = scoreEnterprise(values as ReturnType<typeof indicatorValues>, card);
        tierCounts[r.tier] = (tierCounts[r.tier] ?? 0) + 1;
        enterprises++;
        if (onProgress && enterprises % 50000 === 0) onProgress(enterprises);
        return copyLine([row[0]!, r.score, r.tier, storeReasons(r.reasons)]);
      };
      await pipeline(
        source as unknown as Readable,
        toCopy,
        writer.query(copyFrom('COPY score_stage FROM STDIN')),
      );
      await reader.query('COMMIT');
      lap(`scored and staged ${enterprises} enterprises`);
      // Every enterprise is rescored: the current scores are replaced whole. TRUNCATE + INSERT took
      // a quarter of the time of an upsert; readers of credit_score wait for this step (seconds).
      await writer.query(`TRUNCATE credit_score`);
      await writer.query(
        `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
         SELECT enterprise_id, score, tier, $1, $2, now(), $3, reasons FROM score_stage`,
        [card.version, asOf, runId],
      );
      await writer.query(
        `UPDATE scoring_run SET finished_at = now(), enterprises = $2, tier_counts = $3 WHERE id = $1`,
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
    await manager.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [SCORING_LOCK]);
    const card = await this.activeScorecard(manager);
    const result = await this.computeScore(manager, enterpriseId, asOf);
    const [{ id: runId }] = await manager.query(
      `INSERT INTO scoring_run (model_version, as_of, scope, finished_at, enterprises, tier_counts)
       VALUES ($1, $2, 'enterprise', now(), 1, $3) RETURNING id`,
      [card.version, asOf, JSON.stringify({ [result.tier]: 1 })],
    );
    await manager.query(
      `INSERT INTO credit_score (enterprise_id, score, tier, model_version, as_of, computed_at, run_id, reasons)
       VALUES ($1, $2, $3, $4, $5, now(), $6, $7)
       ON CONFLICT (enterprise_id) DO UPDATE SET score = excluded.score, tier = excluded.tier,
         model_version = excluded.model_version, as_of = excluded.as_of, computed_at = excluded.computed_at,
         run_id = excluded.run_id, reasons = excluded.reasons`,
      [
        enterpriseId,
        result.score,
        result.tier,
        card.version,
        asOf,
        runId,
        JSON.stringify(storeReasons(result.reasons)),
      ],
    );
    return result;
  }

  /**
   * The score one enterprise has as of `asOf` with the active scorecard, computed without writing.
   * @throws NotFoundException unknown enterprise id
   */
  async computeScore(
    manager: EntityManager,
    enterpriseId: number,
    asOf: string = todayInShanghai(),
  ): Promise<ScoreResult> {
    const card = await this.activeScorecard(manager);
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
    const tier = (row.config as Scorecard).tiers.find((t) => t.tier === row.tier);
    return {
      uscc: row.uscc,
      score: row.score,
      tier: row.tier,
      tierLabel: tier?.label ?? { zh: row.tier, en: row.tier },
      modelVersion: row.model_version,
      asOf: row.as_of,
      computedAt: new Date(row.computed_at).toISOString(),
      reasons: expandReasons(row.reasons, row.config as Scorecard),
    };
  }
}
