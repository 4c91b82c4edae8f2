/**
 * Rules on the periodic reports (定期报送): late or missing reports, sales surges, long terms and deep
 * discounts, falling redemptions (issue 14 "Risk rules"; domain.md 6).
 */
import type { ReportFact } from './risk-facts.js';
import type { RiskModelConfig, RuleOutcome } from './risk-rules.js';
import {
  type RuleContext,
  SOURCES,
  chineseDate,
  day,
  outcome,
  param,
  pct,
  ramp,
  recentSignals,
  yuan,
} from './rule-kit.js';

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const LAST_DAY = [31, 30, 30, 31];

/** One quarter to report: its first and last day and the day the report is due. */
export interface QuarterDue {
  start: string;
  end: string;
  dueOn: string;
}

/**
 * The quarter with index `q` (year * 4 + quarter - 1) and its due day: the 25th of the quarter's
 * following month, i.e. the first month of the next quarter (上海市单用途预付消费卡管理规定 2018:
 * quarterly reporting by the 25th of each quarter's first month for the quarter before; domain.md 6).
 */
export function quarterDue(q: number): QuarterDue {
  const year = Math.floor(q / 4);
  const k = q - year * 4;
  const m1 = k * 3 + 1;
  const m3 = m1 + 2;
  const nextYear = k === 3 ? year + 1 : year;
  const nextMonth = k === 3 ? 1 : m3 + 1;
  return {
    start: `${year}-${pad2(m1)}-01`,
    end: `${year}-${pad2(m3)}-${LAST_DAY[k]}`,
    dueOn: `${nextYear}-${pad2(nextMonth)}-25`,
  };
}

/** The index of the latest quarter whose due day has passed on `asOf` (a report is on time on its due day). */
export function latestDueQuarter(asOf: string): number {
  const year = +asOf.slice(0, 4);
  const month = +asOf.slice(5, 7);
  const d = +asOf.slice(8, 10);
  const current = year * 4 + Math.floor((month - 1) / 3);
  const firstMonthOfQuarter = (month - 1) % 3 === 0;
  return firstMonthOfQuarter && d <= 25 ? current - 2 : current - 1;
}

/** How a quarter was reported as of a day. */
export type QuarterStatus = 'on_time' | 'late' | 'missing';

/**
 * The status of a quarter's report as of the day the reports are known: on time when a quarterly
 * report, or monthly reports of its three months (a monthly reporter is not late on the quarter when its
 * months cover it), were submitted by the due day; late when they were all submitted, some after it;
 * missing otherwise. A month of the quarter before the month the issuer began selling (`since`) owes no
 * report: an issuer that opened in the quarter's last month reports that month alone.
 */
export function quarterStatus(
  reports: readonly ReportFact[],
  q: QuarterDue,
  since: string | null = null,
): QuarterStatus {
  let quarterly: ReportFact | null = null;
  const months: (string | null)[] = [null, null, null];
  const m0 = +q.start.slice(5, 7);
  const y = q.start.slice(0, 4);
  // months wholly before the first selling month: nothing to report ('' sorts before every due day)
  if (since !== null && since.slice(0, 4) === y)
    for (let i = 0; i < 3 && m0 + i < +since.slice(5, 7); i++) months[i] = '';
  for (const r of reports) {
    if (r.periodEnd < q.start || r.periodStart > q.end) continue;
    if (r.periodStart <= q.start && r.periodEnd >= q.end) {
      if (!quarterly || r.submittedOn < quarterly.submittedOn) quarterly = r;
      continue;
    }
    if (r.periodKind !== 'month' || r.periodStart.slice(0, 4) !== y) continue;
    const i = +r.periodStart.slice(5, 7) - m0;
    if (i >= 0 && i < 3 && (months[i] === null || r.submittedOn < months[i]!)) months[i] = r.submittedOn;
  }
  const monthsDone = months[0] !== null && months[1] !== null && months[2] !== null;
  const monthsOnTime = monthsDone && months.every((s) => s! <= q.dueOn);
  if ((quarterly && quarterly.submittedOn <= q.dueOn) || monthsOnTime) return 'on_time';
  if (quarterly || monthsDone) return 'late';
  return 'missing';
}

/** Late and missing quarters among the last `n` due, counting only quarters ending on or after `since`. */
function quarterTally(ctx: RuleContext, n: number): { late: string[]; missing: string[]; checked: number } {
  const key = `quarters:${n}`;
  const known = ctx.memo[key] as { late: string[]; missing: string[]; checked: number } | undefined;
  if (known) return known;
  const since = ctx.facts.sellingSince ?? ctx.reports[0]?.periodStart ?? null;
  const last = latestDueQuarter(ctx.asOf);
  const late: string[] = [];
  const missing: string[] = [];
  let checked = 0;
  for (let q = last; q > last - n; q--) {
    const due = quarterDue(q);
    if (since !== null && due.end < since) break;
    checked++;
    const s = quarterStatus(ctx.reports, due, since);
    const label = `${due.start.slice(0, 4)}Q${(q % 4) + 1}`;
    if (s === 'late') late.push(label);
    else if (s === 'missing') missing.push(label);
  }
  const tally = { late, missing, checked };
  ctx.memo[key] = tally;
  return tally;
}

const REPORT_SOURCE = {
  document: SOURCES.shanghai2018,
  article: `发卡经营者按季度于每季度首月25日前报送上一季度预收资金等信息；${SOURCES.verify}`,
};

/**
 * report_late (报送迟延): among the last `lookbackQuarters` quarters due (since the issuer began selling),
 * the quarters reported after the 25th of the following quarter's first month. Fires at `minCount`; full
 * at `fullCount`. Source: 上海市单用途预付消费卡管理规定 (2018), quarterly reporting.
 */
export function reportLate(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const n = param(model, 'report_late', 'lookbackQuarters');
  const min = param(model, 'report_late', 'minCount');
  const t = quarterTally(ctx, n);
  const fired = t.late.length >= min;
  return outcome(model, 'report_late', {
    fired,
    strength: ramp(t.late.length, min, param(model, 'report_late', 'fullCount')),
    value: t.late.length,
    threshold: min,
    unit: '个季度',
    reason: `近${t.checked}个应报季度中迟报${t.late.length}个${t.late.length ? `（${t.late.join('、')}）` : ''}，${fired ? '达到' : '未达'}${min}个`,
    source: REPORT_SOURCE,
  });
}

/**
 * report_missing (未报送): among the last `lookbackQuarters` quarters due (since the issuer began
 * selling), the quarters with no report (neither a quarterly one nor all three months) known on the day,
 * the due day past. Fires at `minCount`; full at `fullCount`; at `orangeCount` or more the floor is orange
 * (most of a year with no report: nothing is known of the money). Source: as report_late.
 */
export function reportMissing(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const n = param(model, 'report_missing', 'lookbackQuarters');
  const min = param(model, 'report_missing', 'minCount');
  const t = quarterTally(ctx, n);
  const fired = t.missing.length >= min;
  return outcome(model, 'report_missing', {
    fired,
    strength: ramp(t.missing.length, min, param(model, 'report_missing', 'fullCount'), 0.6),
    floor: t.missing.length >= param(model, 'report_missing', 'orangeCount') ? 'orange' : null,
    value: t.missing.length,
    threshold: min,
    unit: '个季度',
    reason: `近${t.checked}个应报季度中逾期未报${t.missing.length}个${t.missing.length ? `（${t.missing.join('、')}）` : ''}，${fired ? '达到' : '未达'}${min}个`,
    source: REPORT_SOURCE,
  });
}

const periodDays = (r: ReportFact) => day(r.periodEnd) - day(r.periodStart) + 1;

/** The latest report if its period ended within `maxAgeDays`, and the reports of the year before it. */
function latestAndYearBefore(
  ctx: RuleContext,
  maxAgeDays: number,
): { latest: ReportFact; before: ReportFact[]; beforeDays: number } | null {
  const latest = ctx.latest;
  if (!latest || ctx.asOfDay - day(latest.periodEnd) > maxAgeDays) return null;
  const startDay = day(latest.periodStart);
  const before: ReportFact[] = [];
  let beforeDays = 0;
  for (let i = ctx.reports.length - 2; i >= 0; i--) {
    const r = ctx.reports[i]!;
    if (r.periodEnd >= latest.periodStart) continue;
    if (day(r.periodStart) < startDay - 366) break;
    before.push(r);
    beforeDays += periodDays(r);
  }
  return { latest, before, beforeDays };
}

const TREND_SOURCE = {
  document: SOURCES.practice,
  article: '闭店跑路前常见“突击售卡”、大幅折扣与长期限预售、服务兑付下降（预收资金风险监测指标）',
};

/**
 * sales_surge (售卡激增): cards sold per day in the latest report (period ended within `maxAgeDays`)
 * against the issuer's own rate over the year before it (at least `minHistoryDays` of reports). Value: the
 * ratio; fires at `surgeRatio` when the period's sales per 30 days reach `minMonthlySalesFen`; full at
 * `fullRatio`. Source: monitoring practice (domain.md 6: sales surges before closing).
 */
export function salesSurge(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const at = param(model, 'sales_surge', 'surgeRatio');
  const w = latestAndYearBefore(ctx, param(model, 'sales_surge', 'maxAgeDays'));
  const none = (reason: string) =>
    outcome(model, 'sales_surge', {
      fired: false,
      value: null,
      threshold: at,
      unit: '倍',
      reason,
      source: TREND_SOURCE,
    });
  if (!w) return none('近期无报送数据，无法判断售卡趋势');
  if (w.beforeDays < param(model, 'sales_surge', 'minHistoryDays'))
    return none('历史报送不足，无法判断售卡趋势');
  let sold = 0;
  for (const r of w.before) sold += r.cardsSoldFen;
  const baseline = sold / w.beforeDays;
  const days = periodDays(w.latest);
  const rate = w.latest.cardsSoldFen / days;
  const ratio = baseline > 0 ? rate / baseline : rate > 0 ? Infinity : 0;
  const shown = Number.isFinite(ratio) ? Math.round(ratio * 100) / 100 : 999;
  const enough = rate * 30 >= param(model, 'sales_surge', 'minMonthlySalesFen');
  const fired = enough && ratio >= at;
  return outcome(model, 'sales_surge', {
    fired,
    strength: ramp(shown, at, param(model, 'sales_surge', 'fullRatio')),
    value: shown,
    threshold: at,
    unit: '倍',
    reason: `${chineseDate(w.latest.periodStart)}至${chineseDate(w.latest.periodEnd)}日均售卡${yuan(Math.round(rate))}，为此前一年日均${yuan(Math.round(baseline))}的${shown}倍，${fired ? '达到' : enough ? '未达' : '售卡额较小，不计；阈值'}${at}倍`,
    source: TREND_SOURCE,
  });
}

/**
 * long_term_or_deep_discount (长期限或大幅折扣预售): the longest term and deepest discount in the latest
 * report (period ended within `maxAgeDays`) and in promotion signals of the last `promotionDays`. Fires
 * when a term exceeds `maxTermMonths` or a discount reaches `deepDiscountPct`; strength the stronger of
 * the two ramps (full at `fullTermMonths` / `fullDiscountPct`). Value: the deepest discount, percent off.
 * Source: monitoring practice (domain.md 6: deep-discount promotions before closing); 沪体规文〔2025〕1号
 * 第八条 caps fitness terms at 24 months.
 */
export function longTermOrDeepDiscount(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const p = (k: string) => param(model, 'long_term_or_deep_discount', k);
  let term = 0;
  let discount = 0;
  const latest = ctx.latest;
  if (latest && ctx.asOfDay - day(latest.periodEnd) <= p('maxAgeDays')) {
    term = latest.longestTermMonths ?? 0;
    discount = latest.deepestDiscountPct ?? 0;
  }
  for (const s of recentSignals(ctx, ['promotion'], p('promotionDays'))) {
    if ((s.termMonths ?? 0) > term) term = s.termMonths!;
    if ((s.discountPct ?? 0) > discount) discount = s.discountPct!;
  }
  const maxTerm = p('maxTermMonths');
  const deep = p('deepDiscountPct');
  const termFired = term > maxTerm;
  const discountFired = discount >= deep;
  const strength = Math.max(
    termFired ? ramp(term, maxTerm + 1, p('fullTermMonths')) : 0,
    discountFired ? ramp(discount, deep, p('fullDiscountPct')) : 0,
  );
  return outcome(model, 'long_term_or_deep_discount', {
    fired: termFired || discountFired,
    strength,
    value: discount,
    threshold: deep,
    unit: '%折让',
    reason: `近期最大折让${discount}%（阈值${deep}%，即${(100 - deep) / 10}折及以下），最长期限${term}个月（上限${maxTerm}个月）${termFired || discountFired ? '，属长期限或大幅折扣预售' : ''}`,
    source: {
      document: `${TREND_SOURCE.document}；${SOURCES.fitness2025}`,
      article: `${TREND_SOURCE.article}；第八条（会籍类不超过24个月）`,
    },
  });
}

/**
 * redemption_fall (兑付下降): the share of the prepaid balance consumed per 30 days (redemptions /
 * balance) in the latest report (period ended within `maxAgeDays`) against its mean over the year before
 * (at least `minHistoryDays`), while sales continue (the period's sales per day at least
 * `salesContinueShare` of the year before's): the service stops being delivered while money keeps
 * coming in. Value: the fall, percent; fires at `minDropPct`; full at `fullDropPct`.
 * Source: monitoring practice (domain.md 6); 消保法实施条例 (2024) 第二十二条 (major operating risk).
 */
export function redemptionFall(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const p = (k: string) => param(model, 'redemption_fall', k);
  const at = p('minDropPct');
  const source = {
    document: `${TREND_SOURCE.document}；${SOURCES.cpl2024}`,
    article: `${TREND_SOURCE.article}；第二十二条`,
  };
  const none = (reason: string) =>
    outcome(model, 'redemption_fall', {
      fired: false,
      value: null,
      threshold: at,
      unit: '%',
      reason,
      source,
    });
  const w = latestAndYearBefore(ctx, p('maxAgeDays'));
  if (!w) return none('近期无报送数据，无法判断兑付趋势');
  if (w.beforeDays < p('minHistoryDays')) return none('历史报送不足，无法判断兑付趋势');
  const turnover = (r: ReportFact) =>
    r.balanceFen > 0 ? (r.redemptionsFen * 30) / periodDays(r) / r.balanceFen : null;
  let sum = 0;
  let n = 0;
  let sold = 0;
  for (const r of w.before) {
    const t = turnover(r);
    sold += r.cardsSoldFen;
    if (t !== null) {
      sum += t;
      n++;
    }
  }
  const now = turnover(w.latest);
  if (now === null || n === 0 || sum === 0) return none('预收余额为零，不计兑付比例');
  const base = sum / n;
  const drop = Math.max(0, 1 - now / base);
  const dropPct = Math.round(drop * 1000) / 10;
  const salesRate = w.latest.cardsSoldFen / periodDays(w.latest);
  const salesContinue = salesRate >= (p('salesContinueShare') * sold) / w.beforeDays;
  const fired = salesContinue && dropPct >= at;
  return outcome(model, 'redemption_fall', {
    fired,
    strength: ramp(dropPct, at, p('fullDropPct')),
    value: dropPct,
    threshold: at,
    unit: '%',
    reason: `${chineseDate(w.latest.periodEnd)}报送：每30天兑付占预收余额${pct(now)}，此前一年平均${pct(base)}，下降${dropPct}%（阈值${at}%）${salesContinue ? '，同期仍在售卡' : '，同期售卡亦减少，不计'}`,
    source,
  });
}
