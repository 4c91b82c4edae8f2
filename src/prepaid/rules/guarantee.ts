/**
 * Rules on the money held: escrow or insurance cover against the Shanghai thresholds, and cards sold over
 * the limits (issue 14 "Risk rules"; domain.md 6).
 */
import type { PrepaidSector } from './risk-facts.js';
import type { RiskModelConfig, RuleOutcome } from './risk-rules.js';
import { type RuleContext, SOURCES, chineseDate, day, outcome, param, pct, ramp, yuan } from './rule-kit.js';

/** What the Shanghai thresholds require to be escrowed or insured, and why. */
export interface RequiredCover {
  /** fen that must be covered (0 when the balance is at or under the threshold) */
  requiredFen: number;
  /** which threshold applies: none, the 40 % base, 100 % above 20 % of revenue (capped), 100 % young firm */
  basis: 'none' | 'base' | 'revenue' | 'young';
}

/**
 * The cover the Shanghai thresholds require (上海市单用途预付消费卡管理规定 2018 and its 2019 measures;
 * domain.md 6), in fen:
 * - balance at or under 200,000 yuan (`thresholdBalanceFen`): nothing required;
 * - above it: 40 % of the balance (`baseSharePct`);
 * - above it and above 20 % (`revenueSharePct`) of last year's main-business revenue: 100 % of the
 *   balance, at most 50 million yuan (`revenueCapFen`). Read: "when that exceeds 200,000" is the balance
 *   (the threshold of every tier); an unknown revenue never triggers this tier;
 * - above it and selling for under one year (`youngDays` since sellingSince): 100 % of the balance
 *   (no cap is published for this tier).
 * The most demanding tier applies.
 */
export function requiredCover(
  balanceFen: number,
  revenueLastYearFen: number | null,
  ageDays: number | null,
  model: RiskModelConfig,
): RequiredCover {
  const threshold = param(model, 'escrow_shortfall', 'thresholdBalanceFen');
  if (!(balanceFen > threshold)) return { requiredFen: 0, basis: 'none' };
  let best: RequiredCover = {
    requiredFen: Math.ceil((balanceFen * param(model, 'escrow_shortfall', 'baseSharePct')) / 100),
    basis: 'base',
  };
  if (
    revenueLastYearFen !== null &&
    balanceFen * 100 > revenueLastYearFen * param(model, 'escrow_shortfall', 'revenueSharePct')
  ) {
    const capped = Math.min(balanceFen, param(model, 'escrow_shortfall', 'revenueCapFen'));
    if (capped > best.requiredFen) best = { requiredFen: capped, basis: 'revenue' };
  }
  if (
    ageDays !== null &&
    ageDays < param(model, 'escrow_shortfall', 'youngDays') &&
    balanceFen > best.requiredFen
  )
    best = { requiredFen: balanceFen, basis: 'young' };
  return best;
}

const BASIS_ZH: Record<RequiredCover['basis'], string> = {
  none: '未超过20万元，无存管要求',
  base: '余额超过20万元，应存管40%',
  revenue: '余额超过上年主营业务收入20%，应存管100%（最高5000万元）',
  young: '经营不满一年且余额超过20万元，应存管100%',
};

/**
 * escrow_shortfall (资金存管不足): the latest report's escrow balance plus insurance / guarantee cover
 * against the cover the Shanghai thresholds require (requiredCover). Value: the share of the required
 * cover that is missing, percent; fires above `minShortfallPct`; strength grows from `baseStrength` at
 * the threshold to full at `fullShortfallPct`. No report: does not fire (report_missing covers it).
 * Source: 上海市单用途预付消费卡管理规定 (2018) / 实施办法 (2019), the escrow thresholds (domain.md 6).
 */
export function escrowShortfall(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const source = {
    document: `${SOURCES.shanghai2018}；${SOURCES.shanghai2019}`,
    article: `预收资金存管比例（余额20万元以上40%；超过上年主营业务收入20%的100%、上限5000万元；不满一年100%）；${SOURCES.verify}`,
  };
  const minPct = param(model, 'escrow_shortfall', 'minShortfallPct');
  const r = ctx.latest;
  if (!r)
    return outcome(model, 'escrow_shortfall', {
      fired: false,
      value: null,
      threshold: minPct,
      unit: '%',
      reason: '尚无报送数据，无法核对存管比例',
      source,
    });
  const since = ctx.facts.sellingSince;
  const ageDays = since ? day(r.periodEnd) - day(since) : null;
  const need = requiredCover(r.balanceFen, r.revenueLastYearFen, ageDays, model);
  const cover = (r.escrowBalanceFen ?? 0) + (r.insuranceCoverFen ?? 0);
  const share = need.requiredFen > 0 ? Math.max(0, need.requiredFen - cover) / need.requiredFen : 0;
  const sharePct = Math.round(share * 1000) / 10;
  const fired = share * 100 > minPct;
  const strength = ramp(
    sharePct,
    minPct,
    param(model, 'escrow_shortfall', 'fullShortfallPct'),
    param(model, 'escrow_shortfall', 'baseStrength'),
  );
  const head = `${chineseDate(r.periodEnd)}报送：预收余额${yuan(r.balanceFen)}，${BASIS_ZH[need.basis]}`;
  return outcome(model, 'escrow_shortfall', {
    fired,
    strength,
    value: sharePct,
    threshold: minPct,
    unit: '%',
    reason:
      need.requiredFen === 0
        ? `${head}`
        : `${head}（${yuan(need.requiredFen)}），存管及保险保障${yuan(cover)}，缺口占应存管额${pct(share)}，${fired ? '超过' : '未超过'}容差${minPct}%`,
    source,
  });
}

/**
 * Sector limits on a single prepayment that replace the national ones for a time: dated configuration,
 * each with its source. A report whose period ends within [from, until] is judged by the entry.
 */
export interface SectorCardLimit {
  sector: PrepaidSector;
  from: string;
  until: string;
  /** the largest single prepayment allowed, fen */
  maxPaymentFen: number;
  /** the longest term allowed, months (null: no term limit) */
  maxTermMonths: number | null;
  source: { document: string; article: string };
}

/**
 * Dated sector limits. Fitness (体育健身), 2025-03-01 to 2026-12-31 (试行): membership cards at most 5,000
 * yuan and 24 months, lesson packages at most 20,000 yuan and 60 lessons, stored value at most 5,000
 * yuan, at most 20,000 yuan per consumer in all (沪体规文〔2025〕1号 第八条). A report does not say which
 * kind its largest card was, so the largest single card is judged against the highest of these caps
 * (20,000 yuan), and the longest term against 24 months.
 */
export const SECTOR_CARD_LIMITS: readonly SectorCardLimit[] = [
  {
    sector: 'fitness',
    from: '2025-03-01',
    until: '2026-12-31',
    maxPaymentFen: 2_000_000,
    maxTermMonths: 24,
    source: {
      document: SOURCES.fitness2025,
      article: `第八条（会籍类5000元/24个月，课时类20000元/60次，储值类5000元，同一消费者合计20000元；试行至2026年12月31日）；${SOURCES.verify}`,
    },
  },
];

/** The sector limit in force on a day, if any. */
export function sectorCardLimit(sector: PrepaidSector, on: string): SectorCardLimit | null {
  for (const l of SECTOR_CARD_LIMITS) if (l.sector === sector && l.from <= on && on <= l.until) return l;
  return null;
}

/**
 * card_over_limit (超限额发卡): over the last `lookbackDays`, the cards the reports declare over the
 * national limits (anonymous 1,000 / registered 5,000 yuan, `anonymousLimitFen` / `registeredLimitFen`),
 * plus one for each report whose largest single card exceeds the limit in force for the sector on its
 * period end (the national registered limit, or a dated sector limit: SECTOR_CARD_LIMITS), plus one for
 * each report whose longest term exceeds a sector term limit in force. Value: that count; fires at
 * `minCount`; full at `fullCount`.
 * Source: 商务部《单用途商业预付卡管理办法（试行）》2012 第十八条 (条款以正式文本为准); 沪体规文〔2025〕1号 第八条.
 */
export function cardOverLimit(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const minCount = param(model, 'card_over_limit', 'minCount');
  const from = ctx.asOfDay - param(model, 'card_over_limit', 'lookbackDays') + 1;
  const registered = param(model, 'card_over_limit', 'registeredLimitFen');
  let declared = 0;
  let bigCards = 0;
  let longTerms = 0;
  let sectorSource: SectorCardLimit | null = null;
  let largest = 0;
  for (const r of ctx.reports) {
    if (day(r.periodEnd) < from) continue;
    declared += r.anonymousOverLimit + r.registeredOverLimit;
    const sector = sectorCardLimit(ctx.facts.sector, r.periodEnd);
    if (sector) sectorSource = sector;
    const limit = sector ? sector.maxPaymentFen : registered;
    if (r.maxCardFen !== null) {
      if (r.maxCardFen > largest) largest = r.maxCardFen;
      if (r.maxCardFen > limit) bigCards++;
    }
    if (
      sector?.maxTermMonths != null &&
      r.longestTermMonths !== null &&
      r.longestTermMonths > sector.maxTermMonths
    )
      longTerms++;
  }
  const n = declared + bigCards + longTerms;
  const fired = n >= minCount;
  const parts = [`申报超限卡${declared}张`, `单卡超限额的报告期${bigCards}个`];
  if (sectorSource) parts.push(`期限超过${sectorSource.maxTermMonths}个月的报告期${longTerms}个`);
  return outcome(model, 'card_over_limit', {
    fired,
    strength: ramp(n, minCount, param(model, 'card_over_limit', 'fullCount')),
    value: n,
    threshold: minCount,
    // the value adds cards and report periods: its unit is the count of over-limit findings (项),
    // and the reason gives that count first, then what it is made of
    unit: '项',
    reason: `近${param(model, 'card_over_limit', 'lookbackDays')}天超限情形${n}项（${parts.join('、')}；最大单卡${yuan(largest)}；限额：不记名${yuan(param(model, 'card_over_limit', 'anonymousLimitFen'))}、记名${yuan(registered)}${sectorSource ? `，本行业现行单笔${yuan(sectorSource.maxPaymentFen)}` : ''}）${fired ? '，达到' : '，未达'}${minCount}项`,
    source: sectorSource
      ? {
          document: `${SOURCES.mofcom2012}；${sectorSource.source.document}`,
          article: `第十八条；${sectorSource.source.article}`,
        }
      : {
          document: SOURCES.mofcom2012,
          article: `第十八条（不记名卡1000元、记名卡5000元）；${SOURCES.verify}`,
        },
  });
}
