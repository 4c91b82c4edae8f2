/**
 * Prepaid-consumption risk rules (预付式消费风险预警规则): pure functions from an issuer's facts as of a
 * day (risk-facts.ts) to a risk level blue / yellow / orange / red (蓝/黄/橙/红) with the rules that fired,
 * their values and thresholds. Issue 14; domain.md 6.
 *
 * No Nest, no TypeORM, no clock: `asOf` is an argument. The weights and thresholds are a versioned model
 * (RiskModelConfig, stored in prepaid_risk_model like the scorecard); the rule logic is code.
 *
 * The rules live by theme in guarantee.ts (escrow, card limits), reports.ts (late / missing reports,
 * sales, terms and discounts, redemptions) and signals.ts (complaints, notices, leases, credit records);
 * every rule cites its source in `source`. The model v1 is default-risk-model.ts.
 */
import { cardOverLimit, escrowShortfall } from './guarantee.js';
import { longTermOrDeepDiscount, redemptionFall, reportLate, reportMissing, salesSurge } from './reports.js';
import type { AlertLevel, IssuerFacts, RiskLevel } from './risk-facts.js';
import { type RuleContext, ruleContext } from './rule-kit.js';
import {
  anomalyListing,
  closureShortNotice,
  complaintSurge,
  creditTier,
  lawsuits,
  leaseEnding,
  payeeOrEntityChange,
  penalties1y,
  unpaidWages,
  unreachable,
} from './signals.js';

/** A document and article a rule applies. */
export interface RuleSource {
  document: string;
  article?: string;
}

/** Keys of the rules, each one idea. */
export const RISK_RULE_KEYS = [
  'escrow_shortfall',
  'card_over_limit',
  'report_late',
  'report_missing',
  'complaint_surge',
  'sales_surge',
  'long_term_or_deep_discount',
  'redemption_fall',
  'closure_short_notice',
  'lease_ending',
  'unreachable',
  'payee_or_entity_change',
  'unpaid_wages',
  'penalties_1y',
  'lawsuits',
  'anomaly_listing',
  'credit_tier',
] as const;
export type RiskRuleKey = (typeof RISK_RULE_KEYS)[number];

/** What one rule found as of the day. */
export interface RuleOutcome {
  rule: RiskRuleKey;
  fired: boolean;
  /** points added to the risk score when fired (weight x strength, per the model) */
  points: number;
  /** a level this rule forces at least, whatever the points (e.g. closing with short notice: red) */
  floor: RiskLevel | null;
  /** the measured value and the threshold it was compared with, in the units named */
  value: number | string | null;
  threshold: number | string | null;
  unit: string;
  /** one sentence for the regulator, in Chinese, naming the value and threshold */
  reason: string;
  source: RuleSource;
}

/** The judgement for one issuer as of one day. */
export interface RiskAssessment {
  enterpriseId: number;
  asOf: string;
  modelVersion: string;
  level: RiskLevel;
  score: number;
  /** every rule's outcome, fired ones first (highest points first), then the others */
  outcomes: RuleOutcome[];
}

/** Points at which a level begins (inclusive), mildest first. */
export interface LevelCuts {
  blue: number;
  yellow: number;
  orange: number;
  red: number;
}

/** A versioned model: weights and thresholds per rule, level cuts. Stored as prepaid_risk_model.config. */
export interface RiskModelConfig {
  version: string;
  description: string;
  levelCuts: LevelCuts;
  /** per rule: its weight (points at full strength) and its own thresholds, named by the rule */
  rules: Record<RiskRuleKey, { weight: number; [threshold: string]: number | string | boolean }>;
}

const ORDER: readonly RiskLevel[] = ['none', 'blue', 'yellow', 'orange', 'red'];

/** The worse of two levels. */
export function worseLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** Rank of a level, 0 (none) to 4 (red). */
export function levelRank(level: RiskLevel): number {
  return ORDER.indexOf(level);
}

/** Whether a level opens an alert (yellow or worse). */
export function isAlertLevel(level: RiskLevel): level is AlertLevel {
  return levelRank(level) >= levelRank('yellow');
}

/** The level the points earn under the cuts. */
export function levelOfScore(score: number, cuts: LevelCuts): RiskLevel {
  if (score >= cuts.red) return 'red';
  if (score >= cuts.orange) return 'orange';
  if (score >= cuts.yellow) return 'yellow';
  if (score >= cuts.blue) return 'blue';
  return 'none';
}

/**
 * Combine rule outcomes into the assessment: the score is the sum of fired points; the level is the
 * worse of the level the score earns and every fired rule's floor.
 */
export function combine(
  enterpriseId: number,
  asOf: string,
  model: RiskModelConfig,
  outcomes: RuleOutcome[],
): RiskAssessment {
  let score = 0;
  let level: RiskLevel = 'none';
  for (const o of outcomes) {
    if (!o.fired) continue;
    score += o.points;
    if (o.floor) level = worseLevel(level, o.floor);
  }
  score = Math.round(score * 100) / 100;
  level = worseLevel(level, levelOfScore(score, model.levelCuts));
  const sorted = [...outcomes].sort((a, b) => Number(b.fired) - Number(a.fired) || b.points - a.points);
  return { enterpriseId, asOf, modelVersion: model.version, level, score, outcomes: sorted };
}

/** Every rule, in RISK_RULE_KEYS order. */
export const RISK_RULES: Record<RiskRuleKey, (ctx: RuleContext, model: RiskModelConfig) => RuleOutcome> = {
  escrow_shortfall: escrowShortfall,
  card_over_limit: cardOverLimit,
  report_late: reportLate,
  report_missing: reportMissing,
  complaint_surge: complaintSurge,
  sales_surge: salesSurge,
  long_term_or_deep_discount: longTermOrDeepDiscount,
  redemption_fall: redemptionFall,
  closure_short_notice: closureShortNotice,
  lease_ending: leaseEnding,
  unreachable,
  payee_or_entity_change: payeeOrEntityChange,
  unpaid_wages: unpaidWages,
  penalties_1y: penalties1y,
  lawsuits,
  anomaly_listing: anomalyListing,
  credit_tier: creditTier,
};

/**
 * Assess one issuer as of a day under a model: every rule of RISK_RULE_KEYS on the facts known on
 * `asOf` (reports submitted, signals received and credit dates on or before it: ruleContext narrows the
 * facts again, so nothing after `asOf` is ever read), combined by `combine`.
 * @param facts the issuer's facts as of the day (risk-facts.ts)
 * @param asOf the day, 'YYYY-MM-DD'
 * @param model a validated model (validateRiskModel)
 * @returns level, score (sum of fired points, 2 decimals) and every rule's outcome
 */
export function assessIssuer(facts: IssuerFacts, asOf: string, model: RiskModelConfig): RiskAssessment {
  const ctx = ruleContext(facts, asOf);
  const outcomes: RuleOutcome[] = [];
  for (const key of RISK_RULE_KEYS) outcomes.push(RISK_RULES[key](ctx, model));
  return combine(facts.enterpriseId, asOf, model, outcomes);
}
