/**
 * What the prepaid risk rules share: the facts narrowed to what was known on the day (RuleContext), a
 * cheap day number, windows, strengths and the outcome shape. Pure; no clock (issue 14).
 */
export { chineseDate } from '../../credit/rules/record-counting.js';
import type { IssuerFacts, ReportFact, RiskLevel, SignalFact, SignalKind } from './risk-facts.js';
import type { RiskModelConfig, RiskRuleKey, RuleOutcome, RuleSource } from './risk-rules.js';

/**
 * Days since 1970-01-01 of a date 'YYYY-MM-DD', without validation (the producers of facts validate;
 * this runs a million times in a benchmark). Same result as src/common/calendar-days.ts dayNumber.
 */
export function day(date: string): number {
  const y = (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100;
  const year = y + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const d = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return Date.UTC(year, month - 1, d) / 86_400_000;
}

/** The date 'YYYY-MM-DD' of a day number. */
export function dateOfDay(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The facts of one issuer narrowed to what was known on `asOf`: reports submitted on or before it for
 * periods ended on or before it, signals received on or before it, credit dates on or before it. The
 * producers already give only that (risk-facts.ts); the rules filter again so that they can never look
 * past the day they are given.
 */
export interface RuleContext {
  facts: IssuerFacts;
  asOf: string;
  asOfDay: number;
  /** reports known on asOf, oldest period end first */
  reports: ReportFact[];
  /** the latest of them by period end, or null */
  latest: ReportFact | null;
  /** signals received on or before asOf, in the producer's order (oldest first) */
  signals: SignalFact[];
  penaltyDates: string[];
  judicialCaseDates: string[];
  /** results rules share, computed once per context (e.g. the quarter tally of report_late / report_missing) */
  memo: Record<string, unknown>;
}

/** The rule context of facts as of a day (see RuleContext). */
export function ruleContext(facts: IssuerFacts, asOf: string): RuleContext {
  const reports: ReportFact[] = [];
  let sorted = true;
  for (const r of facts.reports) {
    if (r.submittedOn > asOf || r.periodEnd > asOf) continue;
    if (reports.length && reports[reports.length - 1]!.periodEnd > r.periodEnd) sorted = false;
    reports.push(r);
  }
  if (!sorted) reports.sort((a, b) => (a.periodEnd < b.periodEnd ? -1 : a.periodEnd > b.periodEnd ? 1 : 0));
  const signals: SignalFact[] = [];
  for (const s of facts.signals) if (s.receivedOn <= asOf) signals.push(s);
  return {
    facts,
    asOf,
    asOfDay: day(asOf),
    reports,
    latest: reports.length ? reports[reports.length - 1]! : null,
    signals,
    penaltyDates: facts.credit.penaltyDates.filter((d) => d <= asOf),
    judicialCaseDates: facts.credit.judicialCaseDates.filter((d) => d <= asOf),
    memo: {},
  };
}

/** Signals of some kinds received within the last `days` days (received on or after asOf - days + 1). */
export function recentSignals(ctx: RuleContext, kinds: readonly SignalKind[], days: number): SignalFact[] {
  const from = ctx.asOfDay - days + 1;
  const out: SignalFact[] = [];
  for (const s of ctx.signals) if (kinds.includes(s.kind) && day(s.receivedOn) >= from) out.push(s);
  return out;
}

/** How many dates fall within the last `days` days up to asOf. */
export function countWithin(dates: readonly string[], asOfDay: number, days: number): number {
  let n = 0;
  for (const d of dates) {
    const k = day(d);
    if (k <= asOfDay && k > asOfDay - days) n++;
  }
  return n;
}

/** x clamped to [0, 1]. */
export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Strength of a measure that fires at `at` and is full at `full` (linear between, from `base` at the
 * threshold): 0 below `at`.
 */
export function ramp(value: number, at: number, full: number, base = 0.5): number {
  if (value < at) return 0;
  if (full <= at) return 1;
  return clamp01(base + ((1 - base) * (value - at)) / (full - at));
}

/** A rule's parameter from the model (validateRiskModel guarantees it exists and is a number). */
export function param(model: RiskModelConfig, rule: RiskRuleKey, key: string): number {
  return model.rules[rule][key] as number;
}

/** Yuan of fen, written for a reason, always two decimals: 12345678 -> '123,456.78元', 100000 -> '1,000.00元' (no Intl: it runs in hot loops). */
export function yuan(fen: number): string {
  const neg = fen < 0;
  const f = Math.round(Math.abs(fen));
  const whole = String(Math.floor(f / 100));
  const cents = f % 100;
  let grouped = '';
  for (let i = whole.length; i > 0; i -= 3)
    grouped = whole.slice(Math.max(0, i - 3), i) + (grouped ? ',' + grouped : '');
  const dec = `.${cents < 10 ? '0' : ''}${cents}`;
  return `${neg ? '-' : ''}${grouped}${dec}元`;
}

/** Percent with at most one decimal: 0.1234 -> '12.3%'. */
export function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** Builds an outcome; points = weight x strength when fired (2 decimals). */
export function outcome(
  model: RiskModelConfig,
  rule: RiskRuleKey,
  o: {
    fired: boolean;
    strength?: number;
    floor?: RiskLevel | null;
    value: number | string | null;
    threshold: number | string | null;
    unit: string;
    reason: string;
    source: RuleSource;
  },
): RuleOutcome {
  const strength = o.fired ? clamp01(o.strength ?? 1) : 0;
  const points = Math.round(model.rules[rule].weight * strength * 100) / 100;
  return {
    rule,
    fired: o.fired,
    points,
    floor: o.fired ? (o.floor ?? null) : null,
    value: o.value,
    threshold: o.threshold,
    unit: o.unit,
    reason: o.reason,
    source: o.source,
  };
}

/** Sources the rules cite. */
export const SOURCES = {
  shanghai2018: '上海市单用途预付消费卡管理规定（2018年，上海市人大常委会）',
  shanghai2019: '上海市单用途预付消费卡管理实施办法（2019年）',
  mofcom2012: '商务部《单用途商业预付卡管理办法（试行）》（2012年第9号令）',
  fitness2025:
    '上海市体育局等《上海市体育健身行业预付式消费经营活动监管实施办法（试行）》（沪体规文〔2025〕1号）',
  cpl2024: '《中华人民共和国消费者权益保护法实施条例》（2024年）',
  samr2022: '市场监管总局《关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）',
  anomaly: '《企业经营异常名录管理暂行办法》（国家工商总局令第68号）',
  practice: '预付式消费风险监测实务',
  verify: '条款以正式文本为准',
} as const;
