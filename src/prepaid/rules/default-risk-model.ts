import { RISK_LEVELS } from './risk-facts.js';
import { RISK_RULE_KEYS, type RiskModelConfig, type RiskRuleKey } from './risk-rules.js';

/**
 * The first prepaid risk model (prepaid-risk-v1): every rule's weight (points at full strength) and
 * thresholds, the reasons beside the numbers. The evaluation stores it as a prepaid_risk_model row; a
 * new model is a new version (POST /api/prepaid/models, checked by validateRiskModel), never an edit.
 *
 * Levels: blue from 10 points, yellow (an alert opens) from 35, orange from 50, red from 80 (tuned from
 * 30 / 55 / 80: yellow at 35 halves the healthy issuers' alerts on the scenarios and warns no closer later); floors
 * (closing with short notice, unreachable: red; two penalties in a year, a closure even with notice, the
 * serious list: orange) apply whatever the points. Weights were set by hand, then tuned on the scenario
 * generator's seed 14 and checked on seeds 1, 2 and 3 (docs/prepaid.md "Does it warn in time?").
 */
export const DEFAULT_RISK_MODEL: RiskModelConfig = {
  version: 'prepaid-risk-v1',
  description: '预付式消费风险预警模型 v1：17条规则加权计分，蓝≥10、黄≥35、橙≥50、红≥80，另有红/橙底线规则',
  levelCuts: { blue: 10, yellow: 35, orange: 50, red: 80 },
  rules: {
    // The Shanghai thresholds (domain.md 6); a 5 % tolerance for timing between a report's balance and
    // the escrow statement; half the required cover missing is full strength (tuned: 40 -> 45 points,
    // full at 60 % -> 50 %).
    escrow_shortfall: {
      weight: 45,
      thresholdBalanceFen: 20_000_000, // 200,000 yuan
      baseSharePct: 40, // above 200,000 yuan: 40 %
      revenueSharePct: 20, // balance above 20 % of last year's main-business revenue ...
      revenueCapFen: 5_000_000_000, // ... 100 %, at most 50 million yuan
      youngDays: 365, // under one year old above 200,000 yuan: 100 %
      minShortfallPct: 5,
      fullShortfallPct: 50,
      baseStrength: 0.3,
    },
    // National limits (商务部 2012): anonymous 1,000 yuan, registered 5,000 yuan; any over-limit card
    // counts, ten in a year is full strength.
    card_over_limit: {
      weight: 15,
      lookbackDays: 365,
      anonymousLimitFen: 100_000,
      registeredLimitFen: 500_000,
      minCount: 1,
      fullCount: 10,
    },
    // One late quarter in the last four happens to healthy issuers: few points; three is a habit.
    report_late: { weight: 8, lookbackQuarters: 4, minCount: 1, fullCount: 3 },
    // A missing quarter hides the money: strong; two missing is full strength (yellow on its own);
    // three or more of the last four (most of a year without a word) is at least orange.
    report_missing: { weight: 35, lookbackQuarters: 4, minCount: 1, fullCount: 2, orangeCount: 3 },
    // Complaints in 90 days against the issuer's own year before and its sector; at least 3, and 2.5
    // times the expected count (a big chain's many complaints are its normal); 50,000 yuan complained
    // of in 90 days is full strength.
    complaint_surge: {
      weight: 30,
      windowDays: 90,
      baselineDays: 360,
      minBaseline: 1,
      minCount: 3,
      surgeRatio: 2.5,
      fullRatio: 6,
      amountFullFen: 5_000_000,
    },
    // Sales per day in the latest period (a quarter's report can be 120 days old before the next one)
    // against the year before: seasonality stays under 2 times; 50,000 yuan a month at least.
    sales_surge: {
      weight: 20,
      maxAgeDays: 120,
      minHistoryDays: 180,
      surgeRatio: 2,
      fullRatio: 4,
      minMonthlySalesFen: 5_000_000,
    },
    // Terms over 24 months (the fitness cap, 沪体规文〔2025〕1号) or discounts of 50 % and more (5折).
    long_term_or_deep_discount: {
      weight: 15,
      maxAgeDays: 120,
      promotionDays: 90,
      maxTermMonths: 24,
      fullTermMonths: 48,
      deepDiscountPct: 50,
      fullDiscountPct: 80,
    },
    // The share of the balance consumed per 30 days falling by 25 % or more while at least half the
    // usual sales continue (tuned: 30 % -> 25 %, 25 -> 30 points; healthy month-to-month noise is about
    // 10 %, so a 25 % fall against a year's mean is rare without a cause).
    redemption_fall: {
      weight: 30,
      maxAgeDays: 120,
      minHistoryDays: 180,
      minDropPct: 25,
      fullDropPct: 65,
      salesContinueShare: 0.5,
    },
    // 30 days' notice (上海市单用途预付消费卡管理规定); shorter: red floor. A closure with notice: orange
    // floor (refunds must be arranged). A move with notice: 40 % of the weight.
    closure_short_notice: {
      weight: 40,
      minNoticeDays: 30,
      lookbackDays: 180,
      afterDays: 90,
      longClosureFloor: 'orange',
      longMoveStrength: 0.4,
    },
    // A store's lease ending within 90 days (or ended 30 days ago, store still open).
    lease_ending: { weight: 12, withinDays: 90, graceDays: 30, baseStrength: 0.5 },
    // Unreachable: red floor (serious-list case); the weight adds to the score.
    unreachable: { weight: 40, lookbackDays: 90 },
    payee_or_entity_change: { weight: 15, lookbackDays: 180, fullCount: 2 },
    unpaid_wages: { weight: 25, lookbackDays: 180, fullCount: 3 },
    // Two penalties within a year: serious-list case, orange floor.
    penalties_1y: { weight: 20, seriousCount: 2 },
    lawsuits: { weight: 15, fullCount: 3 },
    anomaly_listing: { weight: 15 },
    // Credit tier C: half the weight; D: the whole.
    credit_tier: { weight: 15, cShare: 0.5 },
  },
};

/** A risk model that fails validation; `field` names the wrong field (e.g. `rules.sales_surge.surgeRatio`). */
export class RiskModelError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'RiskModelError';
  }
}

/** Parameters that are shares (0-1) and percents (0-100). */
const SHARES = new Set(['baseStrength', 'longMoveStrength', 'salesContinueShare', 'cShare']);
/** Parameters that divide or compare ratios: above 0. */
const POSITIVE = new Set([
  'minBaseline',
  'surgeRatio',
  'fullRatio',
  'registeredLimitFen',
  'anonymousLimitFen',
]);
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks a risk model (e.g. the body of POST /api/prepaid/models) and returns it typed.
 * Rule: `version` of letters, digits, `.`, `_`, `-` (at most 64); `description` non-empty text;
 * `levelCuts` blue < yellow < orange < red, all finite numbers above 0; `rules` has exactly the keys of
 * RISK_RULE_KEYS, each with the parameters of DEFAULT_RISK_MODEL's rule (same names and types, nothing
 * more): `weight` and numbers finite and >= 0, share parameters (baseStrength, longMoveStrength,
 * salesContinueShare, cShare) at most 1, minBaseline, ratios and card limits above 0, `...Pct` at most 100, `...Days` / `...Count` / `...Quarters`
 * whole numbers (days and quarters at least 1), `longClosureFloor` a risk level.
 * @throws RiskModelError naming the first wrong field and what is wrong with it
 */
export function validateRiskModel(config: unknown): RiskModelConfig {
  if (!isObject(config)) throw new RiskModelError('model', 'an object is required');
  const { version, description, levelCuts, rules } = config;
  if (typeof version !== 'string' || !/^[\w.-]{1,64}$/.test(version))
    throw new RiskModelError('version', 'letters, digits, ., _ or - (1 to 64) required');
  if (typeof description !== 'string' || !description.trim())
    throw new RiskModelError('description', 'a non-empty text is required');
  if (!isObject(levelCuts))
    throw new RiskModelError('levelCuts', 'an object { blue, yellow, orange, red } is required');
  let previous = 0;
  for (const k of ['blue', 'yellow', 'orange', 'red'] as const) {
    const v = levelCuts[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new RiskModelError(`levelCuts.${k}`, 'a number above 0 is required');
    if (v <= previous) throw new RiskModelError(`levelCuts.${k}`, "must be above the milder level's cut");
    previous = v;
  }
  for (const k of Object.keys(levelCuts))
    if (!['blue', 'yellow', 'orange', 'red'].includes(k))
      throw new RiskModelError(`levelCuts.${k}`, 'unknown level');
  if (!isObject(rules)) throw new RiskModelError('rules', 'an object keyed by rule is required');
  for (const k of Object.keys(rules))
    if (!(RISK_RULE_KEYS as readonly string[]).includes(k))
      throw new RiskModelError(`rules.${k}`, 'unknown rule');
  for (const key of RISK_RULE_KEYS) {
    const rule = rules[key];
    const field = `rules.${key}`;
    if (!isObject(rule))
      throw new RiskModelError(field, 'missing (every rule needs its weight and thresholds)');
    const expected = DEFAULT_RISK_MODEL.rules[key as RiskRuleKey];
    for (const p of Object.keys(rule))
      if (!(p in expected)) throw new RiskModelError(`${field}.${p}`, `unknown parameter of ${key}`);
    for (const [p, model] of Object.entries(expected)) {
      const v = rule[p];
      const f = `${field}.${p}`;
      if (v === undefined) throw new RiskModelError(f, 'missing');
      if (typeof model === 'string') {
        if (typeof v !== 'string') throw new RiskModelError(f, 'a text is required');
        if (p === 'longClosureFloor' && !(RISK_LEVELS as readonly unknown[]).includes(v))
          throw new RiskModelError(f, `one of ${RISK_LEVELS.join(', ')} is required`);
        continue;
      }
      if (typeof model === 'boolean') {
        if (typeof v !== 'boolean') throw new RiskModelError(f, 'true or false is required');
        continue;
      }
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new RiskModelError(f, 'a number >= 0 is required');
      if (POSITIVE.has(p) && v === 0) throw new RiskModelError(f, 'a number above 0 is required');
      if (SHARES.has(p) && v > 1) throw new RiskModelError(f, 'a share between 0 and 1 is required');
      if (p.endsWith('Pct') && v > 100)
        throw new RiskModelError(f, 'a percent between 0 and 100 is required');
      if (/(Days|Count|Quarters)$/.test(p) && !Number.isInteger(v))
        throw new RiskModelError(f, 'a whole number is required');
      if (/(Days|Quarters)$/.test(p) && p !== 'graceDays' && v < 1)
        throw new RiskModelError(f, 'at least 1 is required');
    }
  }
  return config as unknown as RiskModelConfig;
}
