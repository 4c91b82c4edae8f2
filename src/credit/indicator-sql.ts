import { INDICATOR_KEYS, type IndicatorKey, type RecencyParams } from './rules/scorecard.js';

/**
 * Set-based aggregation of credit records into scorecard indicators (one row per enterprise).
 * Parameter $1 is the as-of date: only records dated on or before it count, and only while they
 * still count (their own end date `valid_until`, when set, is after the as-of date; publication
 * periods and repair arrive with the credit-repair issue). Windows count back from $1:
 * `_1y` = within 1 year, `_1to3y` = more than 1 and at most 3 years ago, `_2y`, `_3y` alike.
 */
/** Window conditions relative to the as-of date expression `d`. */
const windows = (d: string) => ({
  Y1: `r.record_date > ${d} - interval '1 year'`,
  Y2: `r.record_date > ${d} - interval '2 years'`,
  Y3: `r.record_date > ${d} - interval '3 years'`,
  listing: (type: string) =>
    `r.kind = 'listing' AND r.list_type = '${type}' AND r.listed_on <= ${d} AND (r.removed_on IS NULL OR r.removed_on > ${d})`,
});

/** A violation count from the record's details, when it is a number (details are free JSON). */
const count = (key: string) =>
  `CASE WHEN jsonb_typeof(r.details->'${key}') = 'number' THEN greatest((r.details->>'${key}')::float8, 0) END`;

/** How an indicator aggregates the records matching its condition. */
type Aggregate = 'count' | 'flag' | { sqrtOfSum: string };

/**
 * Each indicator as a condition on one record (`r`) and an aggregate, as of the date expression
 * `d`. The same conditions select "the records behind" an indicator (recordsBehindQuery).
 * `inspection_violations` follows RecencyParams (scorecard.ts): the square root of the
 * recency-weighted sum of weighted violation counts of inspections within the horizon.
 */
export function indicatorDefinitions(
  d: string,
  recency: RecencyParams,
): Record<IndicatorKey, { when: string; agg: Aggregate }> {
  const { Y1, Y2, Y3, listing } = windows(d);
  const num = (x: number) => {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    return `${x}::float8`;
  };
  const w = recency.inspectionWeights;
  const severe = `coalesce(${count('severe')}, CASE WHEN r.outcome IN ('problems_found','refused') THEN 1 ELSE 0 END)`;
  const weighted = `(${num(w.severe)} * ${severe} + ${num(w.major)} * coalesce(${count('major')}, 0) + ${num(w.minor)} * coalesce(${count('minor')}, 0))`;
  const decay = `power(0.5, (${d} - r.record_date) / 365.25 / ${num(recency.halfLifeYears)})`;
  const inHorizon = `r.record_date > ${d} - make_interval(days => round(${num(recency.horizonYears)} * 365.25)::int)`;
  const penalty = (severity: string) =>
    `r.kind = 'administrative_penalty' AND r.penalty_severity = '${severity}'`;
  return {
    penalty_severe_1y: { when: `${penalty('severe')} AND ${Y1}`, agg: 'count' },
    penalty_severe_1to3y: { when: `${penalty('severe')} AND NOT (${Y1}) AND ${Y3}`, agg: 'count' },
    penalty_general_1y: { when: `${penalty('general')} AND ${Y1}`, agg: 'count' },
    penalty_general_1to3y: { when: `${penalty('general')} AND NOT (${Y1}) AND ${Y3}`, agg: 'count' },
    penalty_light_1y: { when: `${penalty('light')} AND ${Y1}`, agg: 'count' },
    anomaly_listed: { when: listing('anomaly'), agg: 'flag' },
    anomaly_listings_3y: { when: `r.kind = 'listing' AND r.list_type = 'anomaly' AND ${Y3}`, agg: 'count' },
    serious_listed: { when: listing('serious'), agg: 'flag' },
    complaints_1y: { when: `r.kind = 'complaint' AND ${Y1}`, agg: 'count' },
    referrals_1y: { when: `r.kind = 'referral' AND ${Y1}`, agg: 'count' },
    inspections_failed_2y: {
      when: `r.kind = 'inspection_result' AND r.outcome IN ('problems_found','refused') AND ${Y2}`,
      agg: 'count',
    },
    inspections_passed_2y: {
      when: `r.kind = 'inspection_result' AND r.outcome = 'no_problem' AND ${Y2}`,
      agg: 'count',
    },
    spot_checks_failed_2y: {
      when: `r.kind = 'product_spot_check' AND r.outcome = 'failed' AND ${Y2}`,
      agg: 'count',
    },
    judgment_defaulter: { when: `r.kind = 'judgment_defaulter'`, agg: 'flag' },
    unpaid_tax: { when: `r.kind = 'unpaid_tax'`, agg: 'flag' },
    judicial_enforcements_3y: {
      when: `r.kind = 'judicial_case' AND r.polarity = 'negative' AND ${Y3}`,
      agg: 'count',
    },
    commendations: { when: `r.kind = 'commendation'`, agg: 'count' },
    inspection_violations: {
      when: `r.kind = 'inspection_result' AND ${inHorizon} AND ${weighted} > 0`,
      agg: { sqrtOfSum: `${decay} * ${weighted}` },
    },
  };
}

/** Each indicator's aggregate SQL over the records of one enterprise, as of `d`. */
export function indicatorSql(d: string, recency: RecencyParams): Record<IndicatorKey, string> {
  const defs = indicatorDefinitions(d, recency);
  return Object.fromEntries(
    INDICATOR_KEYS.map((k) => {
      const { when, agg } = defs[k];
      const sql =
        agg === 'count'
          ? `count(*) FILTER (WHERE ${when})`
          : agg === 'flag'
            ? `max(CASE WHEN ${when} THEN 1 ELSE 0 END)`
            : `sqrt(coalesce(sum(${agg.sqrtOfSum}) FILTER (WHERE ${when}), 0))`;
      return [k, sql];
    }),
  ) as Record<IndicatorKey, string>;
}

/**
 * The records that count for one enterprise ($2) as of $1, each with the indicators it feeds
 * (`indicators`: keys, possibly empty): the records behind a score.
 */
export function recordsBehindQuery(recency: RecencyParams): string {
  const defs = indicatorDefinitions('$1::date', recency);
  const feeds = INDICATOR_KEYS.map((k) => `CASE WHEN ${defs[k].when} THEN '${k}' END`).join(', ');
  return `
    SELECT r.id::int AS id, r.kind, r.record_date, r.source_department, r.decision_no, r.penalty_severity,
           r.list_type, r.outcome, r.subject, r.details,
           array_remove(ARRAY[${feeds}], NULL) AS indicators
    FROM credit_record r
    WHERE r.enterprise_id = $2 AND ${counting('$1::date')}
    ORDER BY r.record_date DESC, r.id DESC`;
}

/** Indicators whose values are fractions (the others are counts or 0/1 flags). */
const FRACTIONAL: ReadonlySet<IndicatorKey> = new Set(['inspection_violations']);
const cast = (k: IndicatorKey) => (FRACTIONAL.has(k) ? 'float8' : 'int');

/** Records that count as of the date expression `d`: dated on or before it, own end date after it. */
const counting = (d: string) => `r.record_date <= ${d} AND (r.valid_until IS NULL OR r.valid_until > ${d})`;

/**
 * SQL giving `enterprise_id` and one integer column per indicator for every enterprise (those
 * without records get zeros). $1 = as-of date; with `oneEnterprise`, $2 = the enterprise id.
 */
export function indicatorQuery(oneEnterprise: boolean, recency: RecencyParams): string {
  const sql = indicatorSql('$1::date', recency);
  const keys = INDICATOR_KEYS; // column order = INDICATOR_KEYS order (the batch reads rows as arrays)
  const aggregates = keys.map((k) => `${sql[k]}::${cast(k)} AS ${k}`).join(',\n      ');
  const outer = keys.map((k) => `coalesce(a.${k}, 0) AS ${k}`).join(', ');
  const filter = oneEnterprise ? 'AND r.enterprise_id = $2' : '';
  return `
    SELECT e.id AS enterprise_id, ${outer}
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
 * that counted on its own date: the same aggregates as indicatorQuery, read from a table
 * `pairs (pair_id, enterprise_id, as_of date)` (a temporary table the caller fills). Columns:
 * `pair_id`, then one per indicator in INDICATOR_KEYS order. Used for past scores (evaluation,
 * score as-of) with the same model as the batch.
 */
export function pairIndicatorQuery(pairs: string, recency: RecencyParams): string {
  const sql = indicatorSql('q.as_of', recency);
  const aggregates = INDICATOR_KEYS.map((k) => `coalesce(${sql[k]}, 0)::${cast(k)} AS ${k}`).join(
    ',\n      ',
  );
  return `
    SELECT q.pair_id, a.*
    FROM ${pairs} q
    CROSS JOIN LATERAL (
      SELECT ${aggregates}
      FROM credit_record r
      WHERE r.enterprise_id = q.enterprise_id AND ${counting('q.as_of')}
    ) a
    ORDER BY q.pair_id`;
}
