import { refuseFutureAsOf } from './as-of.js';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { unprocessable } from '../http/api-errors.js';
import { recordsBehindQuery, relatedPartiesQuery } from './indicator-sql.js';
import { type CountedRecord, recordCounting } from './rules/record-counting.js';
import { scorecardInForce } from './scorecard-in-force.js';
import { ScoringService } from './scoring.service.js';
import {
  Scorecard,
  ScoreResult,
  type TierDecision,
  expandReasons,
  reasonRule,
  recencyOf,
  tierDecision,
  tierLabel,
} from './rules/scorecard.js';

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
  /** which rule decided the tier: the score against the version's cut-offs, or a hard rule (tierDecision) */
  tierDecision: TierDecision;
}

/**
 * Reads that explain a judgement: an enterprise's current credit status (stored score) and its
 * score as of any date with everything behind it (computed, not stored).
 */
@Injectable()
export class CreditExplanationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scoring: ScoringService,
  ) {}

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
      tierDecision: tierDecision(card, row.score, indicators),
    };
  }

  /**
   * The score an enterprise had (or would have had) as of a date: only records dated on or
   * before it that still counted then, with the scorecard version in force then; every indicator
   * with its value, points and labels, the records behind each, and which rule decided the tier
   * (tierDecision). Computed, not stored. Only today and earlier days (Asia/Shanghai) can be
   * explained: records dated later cannot exist yet, so a later day's answer would be a guess.
   * @param asOf YYYY-MM-DD, at most today in Asia/Shanghai
   * @throws UnprocessableEntityException (422, field `asOf`) a day after today, or before the
   *   enterprise was established
   * @throws NotFoundException unknown enterprise
   */
  async scoreAsOf(uscc: string, asOf: string): Promise<ScoreExplanation> {
    refuseFutureAsOf(asOf, 'only past scores can be explained');
    const [e] = await this.dataSource.query(`SELECT id, established_on FROM enterprise WHERE uscc = $1`, [
      uscc,
    ]);
    if (!e) throw new NotFoundException(`enterprise ${uscc} is not in the register`);
    if (e.established_on && e.established_on > asOf)
      throw unprocessable([
        { field: 'asOf', reason: `enterprise ${uscc} was established on ${e.established_on}, after ${asOf}` },
      ]);
    const card = await scorecardInForce(asOf, this.dataSource.manager);
    const result = await this.scoring.computeScore(this.dataSource.manager, e.id, asOf, card);
    // the indicators this version weighs or bases a hard rule on
    const used = new Set<string>([
      ...card.indicators.map((i) => i.key),
      ...card.overrides.map((o) => o.indicator),
    ]);
    const all: ExplainedRecord[] = (
      await this.dataSource.query(recordsBehindQuery(recencyOf(card)), [asOf, e.id])
    ).map((r: ExplainedRecord & CountedRecord & { prepaidIssuer: boolean }) => {
      const { prepaidIssuer, ...record } = r;
      const { until, reason } = recordCounting(record, { prepaidIssuer }, card, asOf);
      return { ...record, indicators: r.indicators.filter((k) => used.has(k)), counting: { until, reason } };
    });
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
      tierDecision: tierDecision(card, result.score, result.breakdown),
      indicators: result.breakdown.map((r) => {
        const indicator = reasonRule(card, r.code)!.indicator;
        return { ...r, records: records.filter((x) => x.indicators.includes(indicator)).map((x) => x.id) };
      }),
      records,
      recordsTotal: all.length,
      relatedParties,
    };
  }
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
  polarity: string;
  validUntil: string | null;
  /** the day credit repair was granted, null when not repaired */
  repairedOn: string | null;
  /** a published penalty's last day of publication (公示期至) */
  publicationLastDay: string | null;
  listedOn: string | null;
  removedOn: string | null;
  indicators: string[];
  /**
   * until when the record counts as of asOf and why (record-counting.ts recordCounting under the
   * version in force then: the publication period, the scorecard's window, repair, removal)
   */
  counting: { until: string | null; reason: string };
}

/** A score as of a date with everything behind it (scoreAsOf). */
export interface ScoreExplanation {
  uscc: string;
  asOf: string;
  modelVersion: string;
  score: number;
  tier: string;
  tierLabel: { zh: string; en: string };
  /** which rule decided the tier: the score against the version's cut-offs, or a hard rule (tierDecision) */
  tierDecision: TierDecision;
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
