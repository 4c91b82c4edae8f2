import { type Scorecard, recencyOf } from './scorecard.js';

/**
 * The scorecard shipped with the service, version `v1`. Stored in the database at start-up when
 * absent (a new default is a new version, never an edit of this one).
 *
 * Hand-set first version: 100 points, deductions for negative records that still count, small
 * additions for positive ones; thresholds A >= 90, B >= 75, C >= 55, D below. Hard rules:
 * serious list -> D (SAMR 国市监信发〔2022〕6号 practice, domain.md 4); judgment defaulter ->
 * at least C (joint punishment of 失信被执行人, 国办发〔2016〕33号 memo practice).
 * The next version replaces the weights with ones chosen on past inspection outcomes.
 */
export const DEFAULT_SCORECARD: Scorecard = {
  version: 'v1',
  description: '首版手工评分卡: 基础分100, 负面记录扣分, 正面记录加分; A>=90, B>=75, C>=55, D<55',
  baseScore: 100,
  minScore: 0,
  maxScore: 100,
  maxReasons: 5,
  indicators: [
    {
      key: 'penalty_severe_1y',
      label: { zh: '近1年严重行政处罚', en: 'severe penalties, last year' },
      pointsPerUnit: -30,
      maxPoints: 60,
    },
    {
      key: 'penalty_severe_1to3y',
      label: { zh: '1至3年前严重行政处罚', en: 'severe penalties, 1-3 years ago' },
      pointsPerUnit: -15,
      maxPoints: 30,
    },
    {
      key: 'penalty_general_1y',
      label: { zh: '近1年一般行政处罚', en: 'general penalties, last year' },
      pointsPerUnit: -12,
      maxPoints: 36,
    },
    {
      key: 'penalty_general_1to3y',
      label: { zh: '1至3年前一般行政处罚', en: 'general penalties, 1-3 years ago' },
      pointsPerUnit: -5,
      maxPoints: 15,
    },
    {
      key: 'penalty_light_1y',
      label: { zh: '近1年轻微处罚(警告/简易程序)', en: 'light penalties, last year' },
      pointsPerUnit: -2,
      maxPoints: 6,
    },
    {
      key: 'anomaly_listed',
      label: { zh: '列入经营异常名录', en: 'on the anomaly list' },
      pointsPerUnit: -20,
    },
    {
      key: 'anomaly_listings_3y',
      label: { zh: '近3年列入经营异常名录次数', en: 'anomaly listings, last 3 years' },
      pointsPerUnit: -4,
      maxPoints: 12,
    },
    {
      key: 'serious_listed',
      label: { zh: '列入严重违法失信名单', en: 'on the serious illegal and dishonest list' },
      pointsPerUnit: -50,
    },
    {
      key: 'complaints_1y',
      label: { zh: '近1年投诉举报', en: 'complaints and reports, last year' },
      pointsPerUnit: -3,
      maxPoints: 15,
    },
    {
      key: 'referrals_1y',
      label: { zh: '近1年转办交办线索', en: 'referrals, last year' },
      pointsPerUnit: -5,
      maxPoints: 15,
    },
    {
      key: 'inspections_failed_2y',
      label: { zh: '近2年检查发现问题或拒绝检查', en: 'inspections with problems or refused, last 2 years' },
      pointsPerUnit: -10,
      maxPoints: 30,
    },
    {
      key: 'inspections_passed_2y',
      label: { zh: '近2年检查未发现问题', en: 'inspections without problems, last 2 years' },
      pointsPerUnit: 2,
      maxPoints: 6,
    },
    {
      key: 'spot_checks_failed_2y',
      label: { zh: '近2年产品抽检不合格', en: 'failed product spot checks, last 2 years' },
      pointsPerUnit: -8,
      maxPoints: 24,
    },
    {
      key: 'judgment_defaulter',
      label: { zh: '失信被执行人', en: 'judgment defaulter' },
      pointsPerUnit: -20,
    },
    { key: 'unpaid_tax', label: { zh: '欠缴税款', en: 'unpaid tax' }, pointsPerUnit: -10 },
    {
      key: 'judicial_enforcements_3y',
      label: { zh: '近3年被强制执行案件', en: 'enforcement cases, last 3 years' },
      pointsPerUnit: -4,
      maxPoints: 12,
    },
    {
      key: 'commendations',
      label: { zh: '表彰与守合同重信用等荣誉', en: 'commendations and honours' },
      pointsPerUnit: 5,
      maxPoints: 10,
    },
  ],
  overrides: [
    {
      key: 'serious_list',
      indicator: 'serious_listed',
      minTier: 'D',
      label: { zh: '列入严重违法失信名单, 直接列为D类', en: 'on the serious list: tier D' },
      source: 'SAMR 国市监信发〔2022〕6号; domain.md 4',
    },
    {
      key: 'judgment_defaulter',
      indicator: 'judgment_defaulter',
      minTier: 'C',
      label: { zh: '失信被执行人, 至少列为C类', en: 'judgment defaulter: at least tier C' },
      source: '失信被执行人联合惩戒 (发改财金〔2016〕141号); domain.md 3.1',
    },
  ],
  tiers: [
    { tier: 'A', minScore: 90, label: { zh: '信用风险低', en: 'low risk' } },
    { tier: 'B', minScore: 75, label: { zh: '信用风险一般', en: 'ordinary risk' } },
    { tier: 'C', minScore: 55, label: { zh: '信用风险较高', en: 'elevated risk' } },
    { tier: 'D', minScore: 0, label: { zh: '信用风险高', en: 'high risk' } },
  ],
};

/**
 * Version `v2`: v1's indicators, with inspections weighed by what they found and how recently
 * (indicator `inspection_violations`, RecencyParams in scorecard.ts) instead of counts of failed
 * and passed inspections in two years; complaints rising (social evaluation trend, -2 each, at
 * most 6); established less than a year ago (basic attributes, -3); other enterprises of the same
 * legal representative on the serious list (related parties, -15 each, at most 30); and the hard rule for
 * prepaid-card issuers with 2 or more penalties in a year -> D (domain.md 4). Parameters chosen on Boston food-safety inspections of
 * 2008-2011 only (docs/evaluation.md "How the parameters were chosen"): half-life 0.5 years,
 * horizon 3 years, weights severe 1, major 0.3, minor 0.1; 20 points per unit of the square root
 * (at most 60), so one recent severe violation costs 20 points. Same thresholds and hard rules.
 */
export const SCORECARD_V2: Scorecard = {
  ...DEFAULT_SCORECARD,
  version: 'v2',
  description:
    '第二版评分卡: 检查发现问题按严重程度与时间衰减计分(半衰期0.5年, 3年内), 投诉上升, 成立不满1年, 关联企业严重失信, 预付卡经营者1年2次处罚列D; 阈值同v1: A>=90, B>=75, C>=55, D<55',
  recency: {
    halfLifeYears: 0.5,
    horizonYears: 3,
    inspectionWeights: { severe: 1, major: 0.3, minor: 0.1 },
  },
  indicators: [
    ...DEFAULT_SCORECARD.indicators.filter(
      (i) => i.key !== 'inspections_failed_2y' && i.key !== 'inspections_passed_2y',
    ),
    {
      key: 'inspection_violations',
      label: {
        zh: '检查发现问题(按严重程度与时间衰减)',
        en: 'inspection findings, weighted by severity and recency',
      },
      pointsPerUnit: -20,
      maxPoints: 60,
    },
    {
      key: 'complaints_rising',
      label: {
        zh: '投诉举报上升(近6个月较前6个月增加件数)',
        en: 'complaints rising (last 6 months over the 6 before)',
      },
      pointsPerUnit: -2,
      maxPoints: 6,
    },
    {
      key: 'new_enterprise_1y',
      label: { zh: '成立不满1年', en: 'established less than a year ago' },
      pointsPerUnit: -3,
    },
    {
      key: 'related_serious_listed',
      label: {
        zh: '同一法定代表人的其他企业列入严重违法失信名单',
        en: 'other enterprises of the same legal representative on the serious list',
      },
      pointsPerUnit: -15,
      maxPoints: 30,
    },
  ],
  overrides: [
    ...DEFAULT_SCORECARD.overrides,
    {
      key: 'prepaid_penalties',
      indicator: 'prepaid_penalties_1y',
      minValue: 2,
      minTier: 'D',
      label: {
        zh: '单用途预付卡经营者1年内受到2次以上行政处罚, 列为D类',
        en: 'prepaid-card issuer with 2 or more penalties in a year: tier D',
      },
      source:
        '上海市单用途预付卡消费规定: 1年内2次以上行政处罚的预付卡经营者列入严重违法失信名单; domain.md 4',
    },
  ],
};

/**
 * Version `v3`: v2 with the two indicator groups v2 could not weigh for want of register data
 * (SAMR 国市监信发〔2022〕6号 groups; domain.md 4):
 * - dynamic information, frequent changes: changes of the legal representative, domicile,
 *   registered capital or shareholders (KEY_CHANGE_ITEMS) in the last year beyond the first,
 *   -4 points each, at most 12 (a single change is ordinary business; two or more within a year
 *   is the pattern of shell companies and of firms preparing to disappear);
 * - basic attributes, registered capital band: a company, partnership or cooperative registering
 *   less than 100,000 yuan (band `micro`, capital-band.ts), -2 points.
 * Both weights are set by hand and small: no outcome data with registration changes or capital is
 * available to fit them (the Boston file carries inspections only, so v3 orders it exactly as
 * v2; docs/evaluation.md). Same recency parameters, thresholds and hard rules as v2.
 */
export const SCORECARD_V3: Scorecard = {
  ...SCORECARD_V2,
  version: 'v3',
  description:
    '第三版评分卡: 在v2基础上增加动态信息(近1年法定代表人/住所/注册资本/股东变更, 第2次起每次扣4分, 最多12分)与基础属性(注册资本10万元以下扣2分); 阈值与硬性规则同v2',
  indicators: [
    ...SCORECARD_V2.indicators,
    {
      key: 'frequent_changes_1y',
      label: {
        zh: '近1年频繁变更法定代表人、住所、注册资本或股东(第2次起计)',
        en: 'frequent changes of legal representative, domicile, capital or shareholders, last year (from the second)',
      },
      pointsPerUnit: -4,
      maxPoints: 12,
    },
    {
      key: 'micro_registered_capital',
      label: { zh: '注册资本10万元以下', en: 'registered capital below 100,000 yuan' },
      pointsPerUnit: -2,
    },
  ],
};

/** The parameters v4 is chosen among (evaluation/boston-tuning.ts V4_GRID). */
export interface V4Parameters {
  /** half-life of inspection findings, years (RecencyParams.halfLifeYears) */
  halfLifeYears: number;
  /** points per unit of inspection_violations (deducted; at most 60 as in v2 and v3) */
  violationPoints: number;
  /** points for a lifetime share of 1 of failed inspections (inspections_failed_share; 0 = not used) */
  failedSharePoints: number;
  /** tier D below this score: tier C's cut-off (minScore; 55 in v1-v3) */
  dBelow: number;
}

const FAILED_SHARE_LABEL = {
  zh: '历次检查发现问题的比例',
  en: 'share of all its inspections that found problems',
};

/** A candidate's name, `hl0.5-s20-w10-d55`: half-life, points per unit of findings, points for the failed share, D below. */
export function v4Key(p: V4Parameters): string {
  return `hl${p.halfLifeYears}-s${p.violationPoints}-w${p.failedSharePoints}-d${p.dBelow}`;
}

/**
 * A v4 candidate: v3 with the given half-life of inspection findings, points per unit of
 * inspection_violations, points for inspections_failed_share (added after the other indicators
 * when above 0), and tier C's cut-off (D below it). Pure; the version is `v4-<v4Key>` until one
 * is shipped as `v4`.
 */
export function v4Candidate(base: Scorecard, p: V4Parameters): Scorecard {
  const indicators = base.indicators.map((i) =>
    i.key === 'inspection_violations' ? { ...i, pointsPerUnit: -p.violationPoints } : i,
  );
  if (p.failedSharePoints > 0)
    indicators.push({
      key: 'inspections_failed_share',
      label: FAILED_SHARE_LABEL,
      pointsPerUnit: -p.failedSharePoints,
      maxPoints: p.failedSharePoints,
    });
  return {
    ...base,
    version: `v4-${v4Key(p)}`,
    recency: { ...recencyOf(base), halfLifeYears: p.halfLifeYears },
    indicators,
    tiers: base.tiers.map((t) => (t.tier === 'C' ? { ...t, minScore: p.dBelow } : t)),
  };
}

/** v4's parameters, chosen by `evaluate boston-tune --before 2012-01-01` (docs/evaluation.md "Scorecard v4"). */
export const V4_PARAMETERS: V4Parameters = {
  halfLifeYears: 0.5,
  violationPoints: 25,
  failedSharePoints: 0,
  dBelow: 50,
};

/**
 * Version `v4`: v3 with its inspection weighting chosen for stability across periods (issue 15).
 * V4_PARAMETERS were chosen by a walk-forward procedure on Boston food-safety inspections of
 * 2009-2011 only (`evaluate boston-tune --before 2012-01-01`, evaluation/boston-tuning.ts): each
 * year scored from the history before it, 96 candidates (half-life, points per unit of findings,
 * points for the lifetime share of failed inspections `inspections_failed_share`, tier C's
 * cut-off), the best worst-year AUC within each quarter among those whose tier rates rise in
 * every year with at least 10 % in each tier, then the best worst-year D/A lift. The procedure
 * kept v3's half-life and weights, left the lifetime share out (weight 0: the candidates weighing
 * it were as good on the worst year's AUC but none reached v4's worst-year D/A lift), raised the points per unit of findings from
 * 20 to 25 (at most 60 as before) and moved tier D's boundary from below 55 to below 50, so every
 * tier holds at least 12 % in every tuning year (v3's D fell to 8 % in 2011). Same indicators,
 * A and B cut-offs (90, 75) and hard rules as v3 (SAMR 国市监信发〔2022〕6号; domain.md 4).
 */
export const SCORECARD_V4: Scorecard = {
  ...v4Candidate(SCORECARD_V3, V4_PARAMETERS),
  version: 'v4',
  description:
    '第四版评分卡: 在v3基础上, 检查发现问题的计分参数按2009-2011年逐年滚动检验选取(各类占比均不低于10%且风险率逐级上升, 取最差年度表现最好者): 每单位扣25分(v3为20分), 最多60分; D类为低于50分(v3为低于55分); 其他指标、阈值与硬性规则同v3',
};

/** Scorecard versions shipped with the service, oldest first (each stored once, never edited). */
export const SHIPPED_SCORECARDS: readonly Scorecard[] = [
  DEFAULT_SCORECARD,
  SCORECARD_V2,
  SCORECARD_V3,
  SCORECARD_V4,
];

/**
 * The version a new database activates. v3 still: v4 does not beat it on Boston 2012-2013
 * (docs/evaluation.md "Scorecard v4"), so it is stored for a regulator to activate
 * (CLI `scorecard activate v4`) rather than switched on for everyone.
 */
export const ACTIVE_ON_NEW_DATABASE = 'v3';
