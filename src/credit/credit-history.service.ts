import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { refreshStatistics } from '../database/table-statistics.js';
import { EnterprisesService } from '../enterprises/enterprises.service.js';
import { counting } from './indicator-sql.js';
import { SCORING_LOCK } from './scoring.service.js';
import { Scorecard, ScoreResult, expandReasons, tierLabel, type StoredReason } from './rules/scorecard.js';

/**
 * The judgements' history: scoring runs, monthly reclassification snapshots (月度分类结果) and
 * every change of an enterprise's tier.
 */
@Injectable()
export class CreditHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enterprises: EnterprisesService,
  ) {}

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
      // the statistics step of a bulk write (a month of a million rows)
      await refreshStatistics(sqlOf(m), 'credit_snapshot', rows.length);
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
    return rows.map(tierChangeOf);
  }

  /**
   * The last full run of each month whose as-of date lies from `fromDate` to `toDate` (YYYY-MM-DD,
   * inclusive), oldest month first: the run with the latest as-of date in the month (the newest
   * of those). Read through the index on (scope, as_of), however many single rescorings there are.
   */
  async monthlyFullRuns(
    fromDate: string,
    toDate: string,
  ): Promise<{ month: string; runId: number; asOf: string; tierCounts: Record<string, number> }[]> {
    const rows: { month: string; id: number; as_of: string; tier_counts: Record<string, number> | null }[] =
      await this.dataSource.query(
        `SELECT DISTINCT ON (date_trunc('month', as_of)) to_char(as_of, 'YYYY-MM') AS month, id::int AS id,
                as_of, tier_counts
         FROM scoring_run
         WHERE scope = 'all' AND finished_at IS NOT NULL AND as_of BETWEEN $1 AND $2
         ORDER BY date_trunc('month', as_of), as_of DESC, id DESC`,
        [fromDate, toDate],
      );
    return rows.map((r) => ({ month: r.month, runId: r.id, asOf: r.as_of, tierCounts: r.tier_counts ?? {} }));
  }

  /**
   * Tier changes made (changed_at) in the days `fromDate` up to but excluding `untilDate`, days in
   * Asia/Shanghai, counted by (from tier, to tier); the first classification has `fromTier` null.
   * Counted from the index on (to_tier, changed_at) alone, per tier of any stored scorecard version.
   */
  async tierTransitions(
    fromDate: string,
    untilDate: string,
  ): Promise<{ fromTier: string | null; toTier: string; count: number }[]> {
    const rows: { from_tier: string | null; to_tier: string; n: number }[] = await this.dataSource.query(
      `SELECT from_tier, to_tier, count(*)::int AS n FROM credit_tier_change
       WHERE to_tier = ANY($3::text[])
         AND changed_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
         AND changed_at < ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
       GROUP BY from_tier, to_tier ORDER BY to_tier, from_tier NULLS FIRST`,
      [fromDate, untilDate, await this.storedTiers()],
    );
    return rows.map((r) => ({ fromTier: r.from_tier ?? null, toTier: r.to_tier, count: r.n }));
  }

  /**
   * The newest `limit` changes into `tier` from another tier (first classifications left out) made
   * in the days `fromDate` up to but excluding `untilDate` (Asia/Shanghai), newest first, with the
   * enterprise and the reasons behind the new score, labelled by the version that produced them.
   */
  async recentMovesTo(
    tier: string,
    fromDate: string,
    untilDate: string,
    limit: number,
  ): Promise<(TierChange & { uscc: string; name: string; street: string | null })[]> {
    const rows = await this.dataSource.query(
      `SELECT c.changed_at, c.as_of, c.run_id::int AS run_id, c.model_version, c.from_tier, c.to_tier,
              c.from_score, c.to_score, c.reasons, v.config, e.uscc, e.name, e.street
       FROM (SELECT * FROM credit_tier_change
             WHERE to_tier = $1 AND from_tier IS NOT NULL
               AND changed_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
               AND changed_at < ($3::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
             ORDER BY changed_at DESC, id DESC LIMIT $4) c
       JOIN scorecard_version v ON v.version = c.model_version
       JOIN enterprise e ON e.id = c.enterprise_id
       ORDER BY c.changed_at DESC, c.id DESC`,
      [tier, fromDate, untilDate, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      ...tierChangeOf(r),
      uscc: r.uscc as string,
      name: r.name as string,
      street: (r.street as string | null) ?? null,
    }));
  }

  /** Every tier of every stored scorecard version (a handful of rows). */
  private async storedTiers(): Promise<string[]> {
    const rows: { tier: string }[] = await this.dataSource.query(
      `SELECT DISTINCT t ->> 'tier' AS tier FROM scorecard_version, jsonb_array_elements(config -> 'tiers') t`,
    );
    return rows.map((r) => r.tier);
  }
}

/** A stored tier change (with its version's config) as the API gives it. */
function tierChangeOf(r: Record<string, unknown>): TierChange {
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
}

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
