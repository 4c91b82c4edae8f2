/**
 * The credit scorecard (信用评分卡) and the pure scoring function that turns indicator values into
 * a score, a risk tier (信用风险分类, SAMR 国市监信发〔2022〕6号; domain.md 4) and the reasons behind
 * them. Indicator values are aggregated from credit records elsewhere (set-based SQL); this file
 * only applies the versioned configuration. No framework imports, no clock.
 */

/** Indicators the aggregation can compute. Windows count back from the as-of date. */
export const INDICATOR_KEYS = [
  'penalty_severe_1y',
  'penalty_severe_1to3y',
  'penalty_general_1y',
  'penalty_general_1to3y',
  'penalty_light_1y',
  'anomaly_listed',
  'anomaly_listings_3y',
  'serious_listed',
  'complaints_1y',
  'referrals_1y',
  'inspections_failed_2y',
  'inspections_passed_2y',
  'spot_checks_failed_2y',
  'judgment_defaulter',
  'unpaid_tax',
  'judicial_enforcements_3y',
  'commendations',
  'inspection_violations',
  'complaints_rising',
  'new_enterprise_1y',
  'prepaid_penalties_1y',
  'related_serious_listed',
  'frequent_changes_1y',
  'micro_registered_capital',
  'inspections_failed_share',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];
export type IndicatorValues = Record<IndicatorKey, number>;

export interface Label {
  zh: string;
  en: string;
}

/** Points for one indicator: `pointsPerUnit * value`, capped in absolute value by `maxPoints`. */
export interface IndicatorRule {
  key: IndicatorKey;
  label: Label;
  /** Negative deducts, positive adds. */
  pointsPerUnit: number;
  /** Largest absolute contribution; absent = uncapped. */
  maxPoints?: number;
}

/** A hard rule applied before points decide: when `indicator` > 0 the tier is at least `minTier`. */
export interface OverrideRule {
  key: string;
  indicator: IndicatorKey;
  minTier: string;
  label: Label;
  /** Published rule this override comes from. */
  source: string;
  /** the rule applies when the indicator is at least this (default 1) */
  minValue?: number;
}

export interface TierRule {
  tier: string;
  /** Lowest score that still earns this tier (inclusive). Tiers are listed best first. */
  minScore: number;
  label: Label;
}

/**
 * Recency weighting of inspection findings (indicator `inspection_violations`): each inspection
 * within `horizonYears` adds `0.5^(age / halfLifeYears) * (severe*w.severe + major*w.major +
 * minor*w.minor)` (age in years; violation counts from the record's details, or 1 severe for an
 * inspection with problems or refused and no counts); the indicator is the square root of the
 * sum (diminishing: the tenth violation adds less than the first).
 */
export interface RecencyParams {
  halfLifeYears: number;
  horizonYears: number;
  inspectionWeights: { severe: number; major: number; minor: number };
}

/** Recency parameters of a scorecard without its own (v1). */
export const DEFAULT_RECENCY: RecencyParams = {
  halfLifeYears: 0.5,
  horizonYears: 3,
  inspectionWeights: { severe: 1, major: 0.3, minor: 0.1 },
};

/** A scorecard's recency parameters (its own, else DEFAULT_RECENCY). */
export function recencyOf(card: Scorecard): RecencyParams {
  return card.recency ?? DEFAULT_RECENCY;
}

export interface Scorecard {
  version: string;
  /** recency weighting of inspection findings (absent: DEFAULT_RECENCY) */
  recency?: RecencyParams;
  description: string;
  /** Score of an enterprise with no indicator points. */
  baseScore: number;
  /** Score range: results are clamped to [minScore, maxScore]. */
  minScore: number;
  maxScore: number;
  indicators: IndicatorRule[];
  overrides: OverrideRule[];
  /** Best tier first; the last tier must have the lowest minScore (at most minScore). */
  tiers: TierRule[];
  /** How many reasons a snapshot keeps. */
  maxReasons: number;
}

export interface Reason {
  /** indicator key, or `override:<key>` for a hard rule */
  code: string;
  zh: string;
  en: string;
  value: number;
  points: number;
}

export interface ScoreResult {
  /** Rounded to 2 decimals. */
  score: number;
  tier: string;
  /** Most decisive first: hard rules, then indicators by absolute points; at most maxReasons. */
  reasons: Reason[];
  /** Every hard rule that applied and every indicator with points, in the same order (stored). */
  breakdown: Reason[];
}

export class ScorecardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScorecardError';
  }
}

/**
 * Checks a scorecard's internal consistency.
 * @throws ScorecardError naming the field at fault (unknown indicator, unordered tiers, unknown
 *   tier in an override, non-finite numbers).
 */
export function validateScorecard(card: Scorecard): Scorecard {
  if (!card.version || !/^[\w.-]+$/.test(card.version))
    throw new ScorecardError('version: letters, digits, ., _ or - required');
  if (!(card.minScore < card.maxScore)) throw new ScorecardError('minScore must be below maxScore');
  if (!card.tiers.length) throw new ScorecardError('tiers: at least one tier');
  const seen = new Set<string>();
  for (const [i, ind] of card.indicators.entries()) {
    if (!INDICATOR_KEYS.includes(ind.key))
      throw new ScorecardError(`indicators[${i}].key: unknown indicator '${ind.key}'`);
    if (seen.has(ind.key)) throw new ScorecardError(`indicators[${i}].key: '${ind.key}' listed twice`);
    seen.add(ind.key);
    if (!Number.isFinite(ind.pointsPerUnit))
      throw new ScorecardError(`indicators[${i}].pointsPerUnit: not a number`);
    if (ind.maxPoints !== undefined && !(ind.maxPoints >= 0))
      throw new ScorecardError(`indicators[${i}].maxPoints: must be >= 0`);
  }
  if (card.recency) {
    const r = card.recency;
    const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;
    const weight = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
    if (!positive(r.halfLifeYears)) throw new ScorecardError('recency.halfLifeYears: a number above 0');
    if (!positive(r.horizonYears)) throw new ScorecardError('recency.horizonYears: a number above 0');
    for (const k of ['severe', 'major', 'minor'] as const)
      if (!weight(r.inspectionWeights?.[k]))
        throw new ScorecardError(`recency.inspectionWeights.${k}: a number >= 0`);
  }
  for (let i = 1; i < card.tiers.length; i++) {
    if (!(card.tiers[i]!.minScore < card.tiers[i - 1]!.minScore)) {
      throw new ScorecardError(
        `tiers[${i}].minScore must be below tiers[${i - 1}].minScore (best tier first)`,
      );
    }
  }
  if (card.tiers[card.tiers.length - 1]!.minScore > card.minScore) {
    throw new ScorecardError('the last tier must cover the lowest score (its minScore <= minScore)');
  }
  const tierNames = card.tiers.map((t) => t.tier);
  for (const [i, o] of card.overrides.entries()) {
    if (!INDICATOR_KEYS.includes(o.indicator))
      throw new ScorecardError(`overrides[${i}].indicator: unknown '${o.indicator}'`);
    if (!tierNames.includes(o.minTier))
      throw new ScorecardError(`overrides[${i}].minTier: unknown tier '${o.minTier}'`);
    if (o.minValue !== undefined && !(Number.isFinite(o.minValue) && o.minValue > 0))
      throw new ScorecardError(`overrides[${i}].minValue: a number above 0`);
  }
  return card;
}

/** Indicator values with every key present (missing ones are 0). */
export function indicatorValues(partial: Partial<Record<IndicatorKey, number>>): IndicatorValues {
  const v = {} as IndicatorValues;
  for (const k of INDICATOR_KEYS) v[k] = Number(partial[k] ?? 0);
  return v;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Scores one enterprise.
 * Rule: score = clamp(baseScore + sum over indicators of clamp(pointsPerUnit * value, ±maxPoints));
 * tier = the best tier whose minScore <= score, then lowered to every applicable override's
 * minTier (hard rules first, SAMR 国市监信发〔2022〕6号 practice: serious list -> D).
 * @param values indicator values (counts, or 0/1 flags)
 * @returns score (2 decimals), tier, and reasons (hard rules, then indicators by |points|,
 *   at most card.maxReasons, zero-point indicators left out)
 */
export function scoreEnterprise(values: IndicatorValues, card: Scorecard): ScoreResult {
  let total = card.baseScore;
  const indicatorReasons: Reason[] = [];
  for (const ind of card.indicators) {
    const value = values[ind.key] ?? 0;
    if (!value) continue;
    let points = ind.pointsPerUnit * value;
    if (ind.maxPoints !== undefined) points = Math.max(-ind.maxPoints, Math.min(ind.maxPoints, points));
    if (points === 0) continue;
    total += points;
    indicatorReasons.push({
      code: ind.key,
      zh: ind.label.zh,
      en: ind.label.en,
      value,
      points: round2(points),
    });
  }
  const score = round2(Math.max(card.minScore, Math.min(card.maxScore, total)));
  let tierIndex = scoreTierIndex(card, score);

  const overrideReasons: Reason[] = [];
  for (const o of card.overrides) {
    const value = values[o.indicator] ?? 0;
    if (!value || value < (o.minValue ?? 1)) continue;
    const min = card.tiers.findIndex((t) => t.tier === o.minTier);
    if (min > tierIndex) tierIndex = min;
    overrideReasons.push({ code: `override:${o.key}`, zh: o.label.zh, en: o.label.en, value, points: 0 });
  }
  indicatorReasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.code.localeCompare(b.code));
  const breakdown = [...overrideReasons, ...indicatorReasons];
  return {
    score,
    tier: card.tiers[tierIndex]!.tier,
    reasons: breakdown.slice(0, card.maxReasons),
    breakdown,
  };
}

/** Index in `card.tiers` of the best tier whose cut-off (minScore) the score reaches; the last tier otherwise. */
function scoreTierIndex(card: Scorecard, score: number): number {
  const i = card.tiers.findIndex((t) => score >= t.minScore);
  return i < 0 ? card.tiers.length - 1 : i;
}

/** A tier's cut-off: the lowest score that still earns it (inclusive). */
export interface CutOff {
  tier: string;
  minScore: number;
  label: Label;
}

/** A hard rule that applied to a score (an `override:<key>` reason). */
export interface AppliedHardRule {
  /** `override:<key>` */
  code: string;
  zh: string;
  en: string;
  /** the indicator the rule rests on, and its value */
  indicator: IndicatorKey;
  value: number;
  /** the best tier the rule allows */
  minTier: string;
  /** the published rule it comes from */
  source: string;
  /** true when this rule set the tier (the score alone would have given a better one) */
  decisive: boolean;
}

/** Which rule decided a tier: the score against the cut-offs, or a hard rule that overrode it. */
export interface TierDecision {
  /** `score`: the score against the cut-offs; `hard_rule`: a hard rule lowered the score's tier */
  decidedBy: 'score' | 'hard_rule';
  tier: string;
  score: number;
  /** the tier the score alone earns, and that tier's cut-off (reached) */
  scoreTier: string;
  scoreTierMinScore: number;
  /** the next better tier and its cut-off, which the score is below; null for the best tier */
  nextBetter: { tier: string; minScore: number } | null;
  /** the decisive hard rule (the first in the version's order when several set the same tier), else null */
  hardRule: AppliedHardRule | null;
  /** every hard rule that applied, decisive or not, in the version's order */
  hardRules: AppliedHardRule[];
  /** the version's cut-offs, best tier first */
  cutOffs: CutOff[];
  /** one sentence saying the above */
  summary: Label;
}

/**
 * Says which rule decided a tier (SAMR 国市监信发〔2022〕6号: tiers by score, hard rules such as
 * serious list -> D before points decide): the score against the version's cut-offs, or the hard
 * rule that lowered it, with what the score alone would have given. The same rule as
 * scoreEnterprise, read back from a score and its reasons (stored or just computed), so a stored
 * score is explained without recomputing it.
 * @param score the score (2 decimals)
 * @param reasons the score's breakdown (at least its `override:<key>` reasons, with their values);
 *   reasons whose code the version does not know are ignored
 * @returns the decision; its `tier` equals scoreEnterprise's for the same score and reasons
 */
export function tierDecision(
  card: Scorecard,
  score: number,
  reasons: readonly Pick<Reason, 'code' | 'value'>[],
): TierDecision {
  const scoreIndex = scoreTierIndex(card, score);
  const tierIndexOf = (tier: string) => card.tiers.findIndex((t) => t.tier === tier);
  const applied = card.overrides.flatMap((o) => {
    const r = reasons.find((x) => x.code === `override:${o.key}`);
    return r ? [{ o, value: r.value, index: tierIndexOf(o.minTier) }] : [];
  });
  const finalIndex = Math.max(scoreIndex, ...applied.map((a) => a.index));
  const hardRules: AppliedHardRule[] = applied.map(({ o, value, index }) => ({
    code: `override:${o.key}`,
    zh: o.label.zh,
    en: o.label.en,
    indicator: o.indicator,
    value,
    minTier: o.minTier,
    source: o.source,
    decisive: index === finalIndex && index > scoreIndex,
  }));
  const hardRule = hardRules.find((h) => h.decisive) ?? null;
  const tier = card.tiers[finalIndex]!.tier;
  const own = card.tiers[scoreIndex]!;
  const better = scoreIndex > 0 ? card.tiers[scoreIndex - 1]! : null;
  const reach = {
    zh: `评分${score}达到${own.tier}类下限${own.minScore}${better ? `、低于${better.tier}类下限${better.minScore}` : ''}`,
    en: `score ${score} reaches ${own.tier}'s cut-off ${own.minScore}${better ? ` and is below ${better.tier}'s ${better.minScore}` : ''}`,
  };
  let summary: Label;
  if (hardRule)
    summary = {
      zh: `${reach.zh}，仅按评分为${own.tier}类；硬性规则「${hardRule.zh}」适用（${hardRule.indicator} = ${hardRule.value}），定为${tier}类`,
      en: `${reach.en}, which alone gives tier ${own.tier}; hard rule "${hardRule.en}" applies (${hardRule.indicator} = ${hardRule.value}): tier ${tier}`,
    };
  else {
    const also = hardRules.map((h) => ({ zh: `「${h.zh}」`, en: `"${h.en}"` }));
    summary = {
      zh: `${reach.zh}，按评分为${tier}类${also.length ? `；硬性规则${also.map((a) => a.zh).join('、')}同时适用，未改变分类` : ''}`,
      en: `${reach.en}: tier ${tier} by score${also.length ? `; hard rule ${also.map((a) => a.en).join(', ')} also applies and changes nothing` : ''}`,
    };
  }
  return {
    decidedBy: hardRule ? 'hard_rule' : 'score',
    tier,
    score,
    scoreTier: own.tier,
    scoreTierMinScore: own.minScore,
    nextBetter: better && { tier: better.tier, minScore: better.minScore },
    hardRule,
    hardRules,
    cutOffs: card.tiers.map((t) => ({ tier: t.tier, minScore: t.minScore, label: t.label })),
    summary,
  };
}

/**
 * A tier decision as lines of text for the command line: who decided (score or hard rule) with the
 * sentence in Chinese and English, then the version's cut-offs (`A >= 90, B >= 75, ...`).
 */
export function tierDecisionLines(d: TierDecision): string[] {
  return [
    `tier ${d.tier}, decided by ${d.decidedBy === 'score' ? 'the score' : `the hard rule ${d.hardRule!.code}`}: ${d.summary.zh}`,
    `  ${d.summary.en}`,
    `cut-offs: ${d.cutOffs.map((c) => `${c.tier} >= ${c.minScore}`).join(', ')}`,
  ];
}

/** A reason as stored with a snapshot: [code, value, points]; labels come from the scorecard version. */
export type StoredReason = [code: string, value: number, points: number];

/** Compact form of reasons for storage (a million snapshots carry no repeated labels). */
export function storeReasons(reasons: readonly Reason[]): StoredReason[] {
  return reasons.map((r) => [r.code, r.value, r.points]);
}

/**
 * What a reason code names in a version: an indicator (`<key>`), or a hard rule
 * (`override:<key>`) with the indicator it rests on. Undefined when the version has neither.
 */
export function reasonRule(
  card: Scorecard,
  code: string,
): { label: Label; indicator: IndicatorKey } | undefined {
  if (code.startsWith('override:')) {
    const o = card.overrides.find((x) => `override:${x.key}` === code);
    return o && { label: o.label, indicator: o.indicator };
  }
  const i = card.indicators.find((x) => x.key === code);
  return i && { label: i.label, indicator: i.key };
}

/** The label of a tier in a version; the tier's own letter when the version has no such tier. */
export function tierLabel(card: Scorecard, tier: string): Label {
  return card.tiers.find((t) => t.tier === tier)?.label ?? { zh: tier, en: tier };
}

/**
 * Expands stored reasons with the labels of the scorecard version that produced them.
 * An unknown code (cannot happen for a stored version) keeps the code as its label.
 */
export function expandReasons(stored: readonly StoredReason[], card: Scorecard): Reason[] {
  return stored.map(([code, value, points]) => {
    const label = reasonRule(card, code)?.label;
    return { code, zh: label?.zh ?? code, en: label?.en ?? code, value, points };
  });
}
