/**
 * Whether a credit record counts in the credit evaluation (计入信用评价) on a day, and until when:
 * the counting state shown beside each record (GET /api/enterprises/:uscc/credit-records).
 * Pure: no framework imports, no clock (the caller passes today).
 *
 * The rule is the scoring's own (credit/indicator-sql.ts), restated per record: a record counts on
 * day d when it feeds, on d, an indicator the scorecard weighs or bases a hard rule on, that is when
 * - it is dated on or before d and its own end date `validUntil`, when set, is after d (SQL
 *   `counting`: on the day `validUntil` itself it no longer counts; for a published penalty it is
 *   the day after the publication period's last day, `publicationLastDay`), and repair was not
 *   granted on or before d (`repairedOn`: from that day it no longer counts), and
 * - the indicator's condition on the record holds (kind, severity, outcome...), and
 * - d lies in the indicator's window: `_1y` = dated after d minus 1 year (PostgreSQL interval
 *   arithmetic, Feb 29 minus a year is Feb 28), `_1to3y` = not within 1 year but within 3,
 *   6 months for complaints rising, the recency horizon in days (round(years * 365.25)) for
 *   inspection findings, on the list (listed on or before d, not removed on or before d) for
 *   listings, no window for defaulters, unpaid tax and commendations.
 * The same records the explanation lists behind each indicator (recordsBehindQuery, filtered to
 * the version's indicators): test/enterprise-list.e2e-spec.ts checks the two agree.
 */
import { FAILED_INSPECTION_OUTCOMES, KEY_CHANGE_ITEMS, MAX_VIOLATIONS } from './record-kinds.js';
import { type IndicatorKey, type RecencyParams, type Scorecard, recencyOf } from './scorecard.js';

/** The first day a publication regime applies (SAMR-2021: penalties/rules/publication-regimes.ts). */
const FIRST_REGIME_FROM = '2021-09-01';

/** The fields of a credit record the rule reads (as stored: dates YYYY-MM-DD). */
export interface CountedRecord {
  kind: string;
  recordDate: string;
  validUntil: string | null;
  /** the day credit repair was granted (信用修复): from that day the record no longer counts */
  repairedOn?: string | null;
  /** a published penalty's publication period's last day (公示期至), for the reason text */
  publicationLastDay?: string | null;
  /** a penalty's procedure (summary | general) and types: a penalty that is not published is said so */
  procedure?: string | null;
  penaltyTypes?: readonly string[] | null;
  polarity?: string | null;
  penaltySeverity?: string | null;
  listType?: string | null;
  listedOn?: string | null;
  removedOn?: string | null;
  outcome?: string | null;
  changeItem?: string | null;
  details?: Record<string, unknown> | null;
}

/** What the rule needs of the record's enterprise. */
export interface CountedEnterprise {
  /** 单用途预付卡发卡企业: its penalties feed prepaid_penalties_1y */
  prepaidIssuer: boolean;
}

/** A record's counting state on a day. */
export interface RecordCounting {
  /**
   * `counting` (feeds the evaluation on that day), `not_weighed` (no indicator or hard rule of the
   * version reads this record: 不计入信用评价, e.g. 监管措施), `not_yet` (dated after the day, or
   * counts only from a later day: 尚未计入) or `ended` (counted, no longer: 不再计入). Pages tag a
   * record by this, never by the reason's words.
   */
  state: 'counting' | 'not_weighed' | 'not_yet' | 'ended';
  /** true when the record feeds the evaluation on that day (state `counting`) */
  counts: boolean;
  /**
   * the last day it counts (counting) or counted (no longer counting), YYYY-MM-DD; null when it
   * counts with no end (a listing not yet removed, a defaulter record without end date), never
   * counted, or counts only from a later day
   */
  until: string | null;
  /** one sentence in Chinese, dates written 2027年5月31日 */
  reason: string;
}

/**
 * Whether a penalty record is one that is never published (Order 45 第七条, every regime since
 * the first, 2021-09-01: summary procedure, or only a warning and/or a public reprimand): it still
 * counts under the scorecard's own windows, and its reason says so.
 */
export function penaltyNotPublished(r: CountedRecord): boolean {
  if (r.kind !== 'administrative_penalty' || r.recordDate < FIRST_REGIME_FROM) return false;
  if (r.procedure === 'summary') return true;
  const types = r.penaltyTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'warning' || t === 'reprimand');
}

/** Why a span of counting ends. */
type EndCause = 'window' | 'validUntil' | 'removed' | 'repaired';

/** Days of one indicator on which a record feeds it: from `start` to `end` (inclusive; null open). */
interface Span {
  start: string;
  end: string | null;
  cause: EndCause | null;
}

/** How an indicator's window runs from a record: months or days back from the day, or the listing period. */
type Window =
  { months: number; notWithinMonths?: number } | { days: number } | { listing: true } | { none: true };

interface IndicatorRecordRule {
  /** the indicator's condition on one record (SQL `when` without its window) */
  matches: (r: CountedRecord, e: CountedEnterprise, recency: RecencyParams) => boolean;
  window: (recency: RecencyParams) => Window;
}

const num = (details: Record<string, unknown> | null | undefined, key: string): number | null => {
  const v = details?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0), MAX_VIOLATIONS) : null;
};

/** An inspection's weighted violations (indicator-sql.ts `weighted`): above 0 feeds inspection_violations. */
function weightedViolations(r: CountedRecord, recency: RecencyParams): number {
  const failed = FAILED_INSPECTION_OUTCOMES.includes(r.outcome ?? '');
  const severe = num(r.details, 'severe') ?? (failed ? 1 : 0);
  const w = recency.inspectionWeights;
  return (
    w.severe * severe + w.major * (num(r.details, 'major') ?? 0) + w.minor * (num(r.details, 'minor') ?? 0)
  );
}

const penalty = (severity: string) => (r: CountedRecord) =>
  r.kind === 'administrative_penalty' && r.penaltySeverity === severity;
const kindIs = (kind: string) => (r: CountedRecord) => r.kind === kind;
const listing = (type: string) => (r: CountedRecord) => r.kind === 'listing' && r.listType === type;
const months = (m: number, notWithinMonths?: number) => (): Window => ({ months: m, notWithinMonths });
const noWindow = (): Window => ({ none: true });

/**
 * Per indicator fed by records, its condition and window: indicator-sql.ts `indicatorDefinitions`
 * restated for one record. Indicators over the enterprise alone (new_enterprise_1y,
 * micro_registered_capital) or other enterprises' records (related_serious_listed) have none.
 */
const RECORD_RULES: Record<IndicatorKey, IndicatorRecordRule | null> = {
  penalty_severe_1y: { matches: penalty('severe'), window: months(12) },
  penalty_severe_1to3y: { matches: penalty('severe'), window: months(36, 12) },
  penalty_general_1y: { matches: penalty('general'), window: months(12) },
  penalty_general_1to3y: { matches: penalty('general'), window: months(36, 12) },
  penalty_light_1y: { matches: penalty('light'), window: months(12) },
  anomaly_listed: { matches: listing('anomaly'), window: () => ({ listing: true }) },
  anomaly_listings_3y: { matches: listing('anomaly'), window: months(36) },
  serious_listed: { matches: listing('serious'), window: () => ({ listing: true }) },
  complaints_1y: { matches: kindIs('complaint'), window: months(12) },
  referrals_1y: { matches: kindIs('referral'), window: months(12) },
  complaints_rising: { matches: kindIs('complaint'), window: months(6) },
  inspections_failed_2y: {
    matches: (r) => r.kind === 'inspection_result' && FAILED_INSPECTION_OUTCOMES.includes(r.outcome ?? ''),
    window: months(24),
  },
  inspections_passed_2y: {
    matches: (r) => r.kind === 'inspection_result' && r.outcome === 'no_problem',
    window: months(24),
  },
  spot_checks_failed_2y: {
    matches: (r) => r.kind === 'product_spot_check' && r.outcome === 'failed',
    window: months(24),
  },
  judgment_defaulter: { matches: kindIs('judgment_defaulter'), window: noWindow },
  unpaid_tax: { matches: kindIs('unpaid_tax'), window: noWindow },
  judicial_enforcements_3y: {
    matches: (r) => r.kind === 'judicial_case' && r.polarity === 'negative',
    window: months(36),
  },
  commendations: { matches: kindIs('commendation'), window: noWindow },
  inspection_violations: {
    matches: (r, _e, recency) => r.kind === 'inspection_result' && weightedViolations(r, recency) > 0,
    window: (recency) => ({ days: Math.round(recency.horizonYears * 365.25) }),
  },
  // every inspection feeds the lifetime share, a clean one too (it lowers the share)
  inspections_failed_share: { matches: kindIs('inspection_result'), window: noWindow },
  frequent_changes_1y: {
    matches: (r) =>
      r.kind === 'registration_change' &&
      (KEY_CHANGE_ITEMS as readonly string[]).includes(r.changeItem ?? ''),
    window: months(12),
  },
  prepaid_penalties_1y: {
    matches: (r, e) => e.prepaidIssuer && r.kind === 'administrative_penalty',
    window: months(12),
  },
  new_enterprise_1y: null,
  related_serious_listed: null,
  micro_registered_capital: null,
};

// --- calendar days (YYYY-MM-DD, proleptic Gregorian, as PostgreSQL's date) ---

const toDays = (iso: string) =>
  Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;
const fromDays = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const addDays = (iso: string, n: number) => fromDays(toDays(iso) + n);

/** `iso` plus `m` months (negative: minus), the day clamped to the month's last: PostgreSQL's `date + interval 'm months'`. */
export function addMonths(iso: string, m: number): string {
  const total = +iso.slice(0, 4) * 12 + (+iso.slice(5, 7) - 1) + m;
  const y = Math.floor(total / 12);
  const mo = total - y * 12;
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  const d = Math.min(+iso.slice(8, 10), last);
  return `${String(y).padStart(4, '0')}-${String(mo + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The last day d on which a record dated `date` is within `m` months back from d (`date > d - m months`). */
function lastWithinMonths(date: string, m: number): string {
  let d = addDays(addMonths(date, m), 3);
  while (!(date > addMonths(d, -m))) d = addDays(d, -1);
  return d;
}

/** 2027年5月31日 */
export function chineseDate(iso: string): string {
  return `${+iso.slice(0, 4)}年${+iso.slice(5, 7)}月${+iso.slice(8, 10)}日`;
}

const repairedText = (day: string) => `已于${chineseDate(day)}信用修复，不再计入`;

/** Why a counting span ends when it does, when its record's publication period ends it: 公示期至… */
function why(record: CountedRecord, span: Span): string {
  if (span.cause === 'validUntil' && record.publicationLastDay)
    return `（公示期至${chineseDate(record.publicationLastDay)}）`;
  return '';
}

/** The days on which the record feeds one indicator (null: never), before its own end date. */
function spanOf(r: CountedRecord, w: Window): Span | null {
  const span: Span = { start: r.recordDate, end: null, cause: null };
  const endAt = (day: string, why: EndCause) => {
    if (span.end === null || day < span.end || (day === span.end && why !== 'window')) {
      span.end = day;
      span.cause = why;
    }
  };
  if ('months' in w) {
    endAt(lastWithinMonths(r.recordDate, w.months), 'window');
    if (w.notWithinMonths) span.start = addDays(lastWithinMonths(r.recordDate, w.notWithinMonths), 1);
  } else if ('days' in w) {
    endAt(addDays(r.recordDate, w.days - 1), 'window');
  } else if ('listing' in w) {
    // SQL: listed_on <= d AND (removed_on IS NULL OR removed_on > d); no listed_on: never on the list
    if (!r.listedOn) return null;
    if (r.listedOn > span.start) span.start = r.listedOn;
    if (r.removedOn) endAt(addDays(r.removedOn, -1), 'removed');
  }
  if (r.validUntil) endAt(addDays(r.validUntil, -1), 'validUntil');
  if (r.repairedOn) endAt(addDays(r.repairedOn, -1), 'repaired');
  if (span.end !== null && span.end < span.start) return null;
  return span;
}

/** Overlapping or adjacent spans merged, by start; a merged span ends as its latest part does. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && (last.end === null || addDays(last.end, 1) >= s.start)) {
      if (last.end !== null && (s.end === null || s.end > last.end)) {
        last.end = s.end;
        last.cause = s.cause;
      }
    } else out.push({ ...s });
  }
  return out;
}

/** The indicators a scorecard weighs or bases a hard rule on (as the explanation filters them). */
export function usedIndicators(card: Scorecard): Set<IndicatorKey> {
  return new Set([...card.indicators.map((i) => i.key), ...card.overrides.map((o) => o.indicator)]);
}

/**
 * The indicators of `card` that `record` feeds on day `day`: the rule's answer to "which records
 * are behind each indicator" (compare recordsBehindQuery).
 */
export function indicatorsFedOn(
  record: CountedRecord,
  enterprise: CountedEnterprise,
  card: Scorecard,
  day: string,
): IndicatorKey[] {
  const recency = recencyOf(card);
  return [...usedIndicators(card)].filter((k) => {
    const rule = RECORD_RULES[k];
    if (!rule || !rule.matches(record, enterprise, recency)) return false;
    const span = spanOf(record, rule.window(recency));
    return !!span && span.start <= day && (span.end === null || day <= span.end);
  });
}

/**
 * The counting state of a credit record on `today` under the scorecard in force then.
 * @param record the record as stored (dates YYYY-MM-DD)
 * @param enterprise its enterprise (prepaid-card issuers' penalties feed one more indicator)
 * @param card the scorecard version in force on `today`
 * @param today YYYY-MM-DD (Asia/Shanghai; the caller reads the clock)
 * @returns counts, the last day it counts or counted (null when open or never), and the reason:
 *   "计入信用评价至2027年5月31日", "计入信用评价至2026年6月1日（公示期至2026年6月1日）" (a published
 *   penalty's period), "不予公示；按评分规则计入信用评价至2027年5月31日" (a penalty never published:
 *   summary procedure, a warning or reprimand alone, penaltyNotPublished), "已于2026年3月2日信用修复，不再计入", "公示期至2026年6月1日届满，不再计入", "在名录期间计入信用评价（尚未移出）", "计入信用评价，无截止日期",
 *   "已超过计入期限（计入至2025年5月30日）", "已于2025年3月1日移出名录，不再计入",
 *   "已于2025年3月1日到期，不再计入" (its own end date `validUntil`: not counted on that day), "不计入信用评价：此类记录不参与信用风险评分（评分卡v3）",
 *   "记录日期2027年5月31日晚于今天，尚未计入信用评价", "自2026年1月1日起计入信用评价"
 */
export function recordCounting(
  record: CountedRecord,
  enterprise: CountedEnterprise,
  card: Scorecard,
  today: string,
): RecordCounting {
  const recency = recencyOf(card);
  const spans: Span[] = [];
  let fedAny = false;
  for (const k of usedIndicators(card)) {
    const rule = RECORD_RULES[k];
    if (!rule || !rule.matches(record, enterprise, recency)) continue;
    fedAny = true;
    const span = spanOf(record, rule.window(recency));
    if (span) spans.push(span);
  }
  // no indicator or hard rule of the version reads this record (e.g. 监管措施)
  const notWeighed: RecordCounting = {
    state: 'not_weighed',
    counts: false,
    until: null,
    reason: `不计入信用评价：此类记录不参与信用风险评分（评分卡${card.version}）`,
  };
  if (!fedAny) return notWeighed;
  if (record.recordDate > today)
    return {
      state: 'not_yet',
      counts: false,
      until: null,
      reason: `记录日期${chineseDate(record.recordDate)}晚于今天，尚未计入信用评价`,
    };
  const merged = merge(spans);
  const now = merged.find((s) => s.start <= today && (s.end === null || today <= s.end));
  // not published, yet counted: the scorecard's window, not a publication period, decides
  const unpublished = penaltyNotPublished(record);
  if (now) {
    if (now.end !== null)
      return {
        state: 'counting',
        counts: true,
        until: now.end,
        reason: unpublished
          ? `不予公示；按评分规则计入信用评价至${chineseDate(now.end)}`
          : `计入信用评价至${chineseDate(now.end)}${why(record, now)}`,
      };
    return {
      state: 'counting',
      counts: true,
      until: null,
      reason: record.kind === 'listing' ? '在名录期间计入信用评价（尚未移出）' : '计入信用评价，无截止日期',
    };
  }
  const later = merged.find((s) => s.start > today);
  if (later)
    return {
      state: 'not_yet',
      counts: false,
      until: null,
      reason: `自${chineseDate(later.start)}起计入信用评价`,
    };
  const past = merged[merged.length - 1];
  if (!past) {
    // the record's own end date (or removal, or repair) came before any day it would have counted
    if (record.repairedOn && (!record.validUntil || record.repairedOn <= record.validUntil))
      return { state: 'ended', counts: false, until: null, reason: repairedText(record.repairedOn) };
    if (record.validUntil)
      return {
        state: 'ended',
        counts: false,
        until: null,
        reason: `已于${chineseDate(record.validUntil)}到期，不再计入`,
      };
    if (record.kind === 'listing' && record.removedOn)
      return {
        state: 'ended',
        counts: false,
        until: null,
        reason: `已于${chineseDate(record.removedOn)}移出名录，不再计入`,
      };
    return notWeighed;
  }
  const end = past.end!;
  if (past.cause === 'removed')
    return {
      state: 'ended',
      counts: false,
      until: end,
      reason: `已于${chineseDate(record.removedOn!)}移出名录，不再计入`,
    };
  if (past.cause === 'repaired')
    return { state: 'ended', counts: false, until: end, reason: repairedText(record.repairedOn!) };
  if (past.cause === 'validUntil')
    return {
      state: 'ended',
      counts: false,
      until: end,
      reason: record.publicationLastDay
        ? `公示期至${chineseDate(record.publicationLastDay)}届满，不再计入`
        : `已于${chineseDate(record.validUntil!)}到期，不再计入`,
    };
  return {
    state: 'ended',
    counts: false,
    until: end,
    reason: `${unpublished ? '不予公示；' : ''}已超过计入期限（计入至${chineseDate(end)}）`,
  };
}
