import { capitalBandSql } from '../enterprises/rules/capital-band.js';
import { FAILED_INSPECTION_OUTCOMES, KEY_CHANGE_ITEMS, MAX_VIOLATIONS } from './rules/record-kinds.js';
import { INDICATOR_KEYS, type IndicatorKey, type RecencyParams } from './rules/scorecard.js';

/**
 * Set-based aggregation of credit records into scorecard indicators (one row per enterprise).
 * Parameter $1 is the as-of date: only records dated on or before it count, and only while they
 * still count (their own end date `valid_until`, when set, is after the as-of date: for a published
 * penalty the day after its publication period's last day; and repair, `repaired_on`, not granted
 * on or before it). Windows count back from $1:
 * `_1y` = within 1 year, `_1to3y` = more than 1 and at most 3 years ago, `_2y`, `_3y` alike.
 */
/**
 * Records (alias `r`) that count as of the date expression `d`: dated on or before it, own end
 * date after it (`valid_until`: for a published penalty the day after its publication period,
 * penalties/rules/publication-regimes.ts countsUntil), and not repaired on or before it
 * (`repaired_on`: the day credit repair was granted, 信用修复; domain.md 3.1, 3.3). The one
 * statement of "records that still count" (scores, explanations, the snapshot's inputs digest),
 * restated per record by rules/record-counting.ts.
 */
export const counting = (d: string, r = 'r') =>
  `${r}.record_date <= ${d} AND (${r}.valid_until IS NULL OR ${r}.valid_until > ${d}) AND (${r}.repaired_on IS NULL OR ${r}.repaired_on > ${d})`;

/** A listing record (alias `r`) of `type` in force on `d`: listed on or before it, not yet removed. */
const currentListing = (type: string, d: string, r = 'r') =>
  `${r}.kind = 'listing' AND ${r}.list_type = '${type}' AND ${r}.listed_on <= ${d} AND (${r}.removed_on IS NULL OR ${r}.removed_on > ${d})`;

/**
 * From-and-where of the other enterprises (`e2`) of enterprise `e`'s legal representative on the
 * serious list on `d` (their listing records `r2`): related parties, for the indicator and for
 * the explanation alike.
 */
const relatedSerious = (d: string) => `FROM enterprise e2 JOIN credit_record r2 ON r2.enterprise_id = e2.id
  WHERE e.legal_rep_key IS NOT NULL AND e2.legal_rep_key = e.legal_rep_key AND e2.id <> e.id
    AND ${currentListing('serious', d, 'r2')} AND ${counting(d, 'r2')}`;

/** Window conditions relative to the as-of date expression `d`. */
const windows = (d: string) => ({
  Y1: `r.record_date > ${d} - interval '1 year'`,
  Y2: `r.record_date > ${d} - interval '2 years'`,
  Y3: `r.record_date > ${d} - interval '3 years'`,
  listing: (type: string) => currentListing(type, d),
});

/** A violation count from the record's details, when it is a number (details are free JSON), within 0..MAX_VIOLATIONS. */
const count = (key: string) =>
  `CASE WHEN jsonb_typeof(r.details->'${key}') = 'number' THEN least(greatest((r.details->>'${key}')::float8, 0), ${MAX_VIOLATIONS}) END`;

/**
 * How a record-level indicator aggregates the records matching its condition: their number, 1
 * when any, their number beyond the first `countBeyond`, the square root of a sum, or own SQL.
 */
type Aggregate = 'count' | 'flag' | { countBeyond: number } | { sqrtOfSum: string } | { sql: string };

/**
 * An indicator: record-level (a condition on one record `r` and an aggregate over an
 * enterprise's records), or enterprise-level (an expression over the enterprise row `e` and the
 * record-level results `a.<key>`, with the records behind it selected by `when`, if any).
 */
type Definition =
  | { level: 'record'; when: string; agg: Aggregate }
  | {
      level: 'enterprise';
      expr: string;
      /** the same value computed over every enterprise at once (the batch), when `expr` would be slow there */
      batchExpr?: string;
      when: string | null;
    };

/**
 * Every indicator as of the date expression `d` (docs/scoring.md; indicator groups of SAMR
 * 国市监信发〔2022〕6号, domain.md 4). `inspection_violations` follows RecencyParams
 * (scorecard.ts): the square root of the recency-weighted sum of weighted violation counts.
 */
export function indicatorDefinitions(d: string, recency: RecencyParams): Record<IndicatorKey, Definition> {
  const { Y1, Y2, Y3, listing } = windows(d);
  const num = (x: number) => {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    return `${x}::float8`;
  };
  const w = recency.inspectionWeights;
  // an inspection with problems, refused or not found at the address (检查发现问题 / 拒绝检查 /
  // 查无下落: FAILED_INSPECTION_OUTCOMES)
  const failed = `r.outcome IN (${FAILED_INSPECTION_OUTCOMES.map((o) => `'${o}'`).join(',')})`;
  const severe = `coalesce(${count('severe')}, CASE WHEN ${failed} THEN 1 ELSE 0 END)`;
  const weighted = `(${num(w.severe)} * ${severe} + ${num(w.major)} * coalesce(${count('major')}, 0) + ${num(w.minor)} * coalesce(${count('minor')}, 0))`;
  const decay = `power(0.5, (${d} - r.record_date) / 365.25 / ${num(recency.halfLifeYears)})`;
  const inHorizon = `r.record_date > ${d} - make_interval(days => round(${num(recency.horizonYears)} * 365.25)::int)`;
  const penalty = (severity: string) =>
    `r.kind = 'administrative_penalty' AND r.penalty_severity = '${severity}'`;
  const M6 = `r.record_date > ${d} - interval '6 months'`;
  const rec = (when: string, agg: Aggregate): Definition => ({ level: 'record', when, agg });
  const keyItems = KEY_CHANGE_ITEMS.map((i) => `'${i}'`).join(',');
  return {
    // supervision information: penalties by severity and recency, listings, inspections, spot checks
    penalty_severe_1y: rec(`${penalty('severe')} AND ${Y1}`, 'count'),
    penalty_severe_1to3y: rec(`${penalty('severe')} AND NOT (${Y1}) AND ${Y3}`, 'count'),
    penalty_general_1y: rec(`${penalty('general')} AND ${Y1}`, 'count'),
    penalty_general_1to3y: rec(`${penalty('general')} AND NOT (${Y1}) AND ${Y3}`, 'count'),
    penalty_light_1y: rec(`${penalty('light')} AND ${Y1}`, 'count'),
    // dynamic information: abnormal operation
    anomaly_listed: rec(listing('anomaly'), 'flag'),
    anomaly_listings_3y: rec(`r.kind = 'listing' AND r.list_type = 'anomaly' AND ${Y3}`, 'count'),
    serious_listed: rec(listing('serious'), 'flag'),
    // social evaluation: complaints and reports, per period and trend
    complaints_1y: rec(`r.kind = 'complaint' AND ${Y1}`, 'count'),
    referrals_1y: rec(`r.kind = 'referral' AND ${Y1}`, 'count'),
    complaints_rising: rec(`r.kind = 'complaint' AND ${M6}`, {
      sql: `greatest(count(*) FILTER (WHERE r.kind = 'complaint' AND ${M6}) - count(*) FILTER (WHERE r.kind = 'complaint' AND ${Y1} AND NOT (${M6})), 0)`,
    }),
    inspections_failed_2y: rec(`r.kind = 'inspection_result' AND ${failed} AND ${Y2}`, 'count'),
    inspections_passed_2y: rec(
      `r.kind = 'inspection_result' AND r.outcome = 'no_problem' AND ${Y2}`,
      'count',
    ),
    spot_checks_failed_2y: rec(`r.kind = 'product_spot_check' AND r.outcome = 'failed' AND ${Y2}`, 'count'),
    judgment_defaulter: rec(`r.kind = 'judgment_defaulter'`, 'flag'),
    unpaid_tax: rec(`r.kind = 'unpaid_tax'`, 'flag'),
    judicial_enforcements_3y: rec(`r.kind = 'judicial_case' AND r.polarity = 'negative' AND ${Y3}`, 'count'),
    commendations: rec(`r.kind = 'commendation'`, 'count'),
    inspection_violations: rec(`r.kind = 'inspection_result' AND ${inHorizon} AND ${weighted} > 0`, {
      sqrtOfSum: `${decay} * ${weighted}`,
    }),
    // supervision information: the share of all its inspections that found problems (or were
    // refused), lifetime; 0 without inspections (v4, docs/evaluation.md "Scorecard v4")
    inspections_failed_share: rec(`r.kind = 'inspection_result'`, {
      sql: `coalesce((count(*) FILTER (WHERE r.kind = 'inspection_result' AND ${failed}))::float8 / nullif(count(*) FILTER (WHERE r.kind = 'inspection_result'), 0), 0)`,
    }),
    // basic attributes: an enterprise established less than a year before d
    new_enterprise_1y: {
      level: 'enterprise',
      expr: `CASE WHEN e.established_on <= ${d} AND e.established_on > ${d} - interval '1 year' THEN 1 ELSE 0 END`,
      when: null,
    },
    // related parties: other enterprises of the same legal representative on the serious list
    related_serious_listed: {
      level: 'enterprise',
      expr: `(SELECT count(DISTINCT r2.enterprise_id) ${relatedSerious(d)})`,
      batchExpr: `CASE WHEN e.legal_rep_key IS NULL THEN 0 ELSE
        sum(coalesce(a.serious_listed, 0)) OVER (PARTITION BY e.legal_rep_key) - coalesce(a.serious_listed, 0) END`,
      when: null,
    },
    // dynamic information: changes of key registered particulars in the last year beyond the first
    frequent_changes_1y: rec(`r.kind = 'registration_change' AND r.change_item IN (${keyItems}) AND ${Y1}`, {
      countBeyond: 1,
    }),
    // basic attributes: registered capital in the lowest band (capital-band.ts)
    micro_registered_capital: {
      level: 'enterprise',
      expr: `CASE WHEN ${capitalBandSql('micro')} THEN 1 ELSE 0 END`,
      when: null,
    },
    // prepaid-card issuers (单用途预付卡): penalties of any severity in the last year
    prepaid_penalties_1y: {
      level: 'enterprise',
      expr: `CASE WHEN e.prepaid_issuer THEN coalesce(a.penalty_severe_1y, 0) + coalesce(a.penalty_general_1y, 0) + coalesce(a.penalty_light_1y, 0) ELSE 0 END`,
      when: `e.prepaid_issuer AND r.kind = 'administrative_penalty' AND ${Y1}`,
    },
  };
}

/** The aggregate SQL of a record-level indicator. */
function aggregateSql(when: string, agg: Aggregate): string {
  if (agg === 'count') return `count(*) FILTER (WHERE ${when})`;
  if (agg === 'flag') return `max(CASE WHEN ${when} THEN 1 ELSE 0 END)`;
  if ('countBeyond' in agg) return `greatest(count(*) FILTER (WHERE ${when}) - ${agg.countBeyond}, 0)`;
  if ('sqrtOfSum' in agg) return `sqrt(coalesce(sum(${agg.sqrtOfSum}) FILTER (WHERE ${when}), 0))`;
  return agg.sql;
}

/** Indicators whose values are fractions (the others are counts or 0/1 flags). */
const FRACTIONAL: ReadonlySet<IndicatorKey> = new Set(['inspection_violations', 'inspections_failed_share']);
const cast = (k: IndicatorKey) => (FRACTIONAL.has(k) ? 'float8' : 'int');

/** Aggregates of the record-level indicators over `r`, then every indicator's column over `e` and `a`. */
function parts(d: string, recency: RecencyParams, batch = false): { aggregates: string; columns: string } {
  const defs = indicatorDefinitions(d, recency);
  const recordKeys = INDICATOR_KEYS.filter((k) => defs[k].level === 'record');
  const aggregates = recordKeys
    .map((k) => {
      const def = defs[k] as Extract<Definition, { level: 'record' }>;
      return `${aggregateSql(def.when, def.agg)}::${cast(k)} AS ${k}`;
    })
    .join(',\n      ');
  const columns = INDICATOR_KEYS.map((k) => {
    const def = defs[k];
    if (def.level === 'record') return `coalesce(a.${k}, 0) AS ${k}`;
    return `(${batch && def.batchExpr ? def.batchExpr : def.expr})::${cast(k)} AS ${k}`;
  }).join(', ');
  return { aggregates, columns };
}

/**
 * SQL giving `enterprise_id` and one column per indicator (INDICATOR_KEYS order: the batch reads
 * rows as arrays) for every enterprise (those without records get zeros). $1 = as-of date; with
 * `oneEnterprise`, $2 = the enterprise id.
 */
export function indicatorQuery(oneEnterprise: boolean, recency: RecencyParams): string {
  const { aggregates, columns } = parts('$1::date', recency, !oneEnterprise);
  const filter = oneEnterprise ? 'AND r.enterprise_id = $2' : '';
  return `
    SELECT e.id AS enterprise_id, ${columns}
    FROM enterprise e
    LEFT JOIN (
      SELECT r.enterprise_id,
      ${aggregates}
      FROM credit_record r
      WHERE ${counting('$1::date')} ${filter}
      GROUP BY r.enterprise_id
    ) a ON a.enterprise_id = e.id
    ${oneEnterprise ? 'WHERE e.id = $2' : ''}`;
}

/**
 * Indicators for many (enterprise, as-of date) pairs at once, each pair seeing only the records
 * that counted on its own date: the same definitions as indicatorQuery, read from a table
 * `pairs (pair_id, enterprise_id, as_of date)` (a temporary table the caller fills). Columns:
 * `pair_id`, then one per indicator in INDICATOR_KEYS order. Used for past scores (evaluation)
 * with the same model as the batch.
 */
export function pairIndicatorQuery(pairs: string, recency: RecencyParams): string {
  const { aggregates, columns } = parts('q.as_of', recency);
  return `
    SELECT q.pair_id, ${columns}
    FROM ${pairs} q
    JOIN enterprise e ON e.id = q.enterprise_id
    CROSS JOIN LATERAL (
      SELECT ${aggregates}
      FROM credit_record r
      WHERE r.enterprise_id = q.enterprise_id AND ${counting('q.as_of')}
    ) a
    ORDER BY q.pair_id`;
}

/**
 * The records that count for one enterprise ($2) as of $1, each with the indicators it feeds
 * (`indicators`: keys, possibly empty): the records behind a score.
 */
export function recordsBehindQuery(recency: RecencyParams): string {
  const defs = indicatorDefinitions('$1::date', recency);
  const feeds = INDICATOR_KEYS.filter((k) => defs[k].when !== null)
    .map((k) => `CASE WHEN ${defs[k].when} THEN '${k}' END`)
    .join(', ');
  return `
    SELECT r.id::int AS id, r.kind, r.record_date AS "recordDate", r.source_department AS "sourceDepartment",
           r.decision_no AS "decisionNo", r.penalty_severity AS "penaltySeverity", r.list_type AS "listType",
           r.outcome, r.subject, r.change_item AS "changeItem", r.details,
           r.polarity, r.valid_until AS "validUntil", r.repaired_on AS "repairedOn",
           r.publication_last_day AS "publicationLastDay", r.listed_on AS "listedOn", r.removed_on AS "removedOn",
           e.prepaid_issuer AS "prepaidIssuer",
           array_remove(ARRAY[${feeds}], NULL) AS indicators
    FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id
    WHERE r.enterprise_id = $2 AND ${counting('$1::date')}
    ORDER BY r.record_date DESC, r.id DESC`;
}

/** The related parties of one enterprise ($1) as of $2: `uscc`, `name`, ordered by USCC. */
export function relatedPartiesQuery(): string {
  return `SELECT DISTINCT p.uscc, p.name FROM enterprise e
    CROSS JOIN LATERAL (SELECT e2.uscc, e2.name ${relatedSerious('$2::date')}) p
    WHERE e.id = $1 ORDER BY p.uscc`;
}
