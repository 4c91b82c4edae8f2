import { INDICATOR_KEYS, type IndicatorKey } from './rules/scorecard.js';

/**
 * Set-based aggregation of credit records into scorecard indicators (one row per enterprise).
 * Parameter $1 is the as-of date: only records dated on or before it count, and only while they
 * still count (their own end date `valid_until`, when set, is after the as-of date; publication
 * periods and repair arrive with the credit-repair issue). Windows count back from $1:
 * `_1y` = within 1 year, `_1to3y` = more than 1 and at most 3 years ago, `_2y`, `_3y` alike.
 */
const Y1 = `r.record_date > $1::date - interval '1 year'`;
const Y2 = `r.record_date > $1::date - interval '2 years'`;
const Y3 = `r.record_date > $1::date - interval '3 years'`;
const currentListing = (type: string) =>
  `r.kind = 'listing' AND r.list_type = '${type}' AND r.listed_on <= $1::date AND (r.removed_on IS NULL OR r.removed_on > $1::date)`;

export const INDICATOR_SQL: Record<IndicatorKey, string> = {
  penalty_severe_1y: `count(*) FILTER (WHERE r.kind = 'administrative_penalty' AND r.penalty_severity = 'severe' AND ${Y1})`,
  penalty_severe_1to3y: `count(*) FILTER (WHERE r.kind = 'administrative_penalty' AND r.penalty_severity = 'severe' AND NOT (${Y1}) AND ${Y3})`,
  penalty_general_1y: `count(*) FILTER (WHERE r.kind = 'administrative_penalty' AND r.penalty_severity = 'general' AND ${Y1})`,
  penalty_general_1to3y: `count(*) FILTER (WHERE r.kind = 'administrative_penalty' AND r.penalty_severity = 'general' AND NOT (${Y1}) AND ${Y3})`,
  penalty_light_1y: `count(*) FILTER (WHERE r.kind = 'administrative_penalty' AND r.penalty_severity = 'light' AND ${Y1})`,
  anomaly_listed: `max(CASE WHEN ${currentListing('anomaly')} THEN 1 ELSE 0 END)`,
  anomaly_listings_3y: `count(*) FILTER (WHERE r.kind = 'listing' AND r.list_type = 'anomaly' AND ${Y3})`,
  serious_listed: `max(CASE WHEN ${currentListing('serious')} THEN 1 ELSE 0 END)`,
  complaints_1y: `count(*) FILTER (WHERE r.kind = 'complaint' AND ${Y1})`,
  referrals_1y: `count(*) FILTER (WHERE r.kind = 'referral' AND ${Y1})`,
  inspections_failed_2y: `count(*) FILTER (WHERE r.kind = 'inspection_result' AND r.outcome IN ('problems_found','refused') AND ${Y2})`,
  inspections_passed_2y: `count(*) FILTER (WHERE r.kind = 'inspection_result' AND r.outcome = 'no_problem' AND ${Y2})`,
  spot_checks_failed_2y: `count(*) FILTER (WHERE r.kind = 'product_spot_check' AND r.outcome = 'failed' AND ${Y2})`,
  judgment_defaulter: `max(CASE WHEN r.kind = 'judgment_defaulter' THEN 1 ELSE 0 END)`,
  unpaid_tax: `max(CASE WHEN r.kind = 'unpaid_tax' THEN 1 ELSE 0 END)`,
  judicial_enforcements_3y: `count(*) FILTER (WHERE r.kind = 'judicial_case' AND r.polarity = 'negative' AND ${Y3})`,
  commendations: `count(*) FILTER (WHERE r.kind = 'commendation')`,
};

/**
 * SQL giving `enterprise_id` and one integer column per indicator for every enterprise (those
 * without records get zeros). $1 = as-of date; with `oneEnterprise`, $2 = the enterprise id.
 */
export function indicatorQuery(oneEnterprise: boolean): string {
  const keys = INDICATOR_KEYS; // column order = INDICATOR_KEYS order (the batch reads rows as arrays)
  const aggregates = keys.map((k) => `${INDICATOR_SQL[k]}::int AS ${k}`).join(',\n      ');
  const outer = keys.map((k) => `coalesce(a.${k}, 0) AS ${k}`).join(', ');
  const filter = oneEnterprise ? 'AND r.enterprise_id = $2' : '';
  return `
    SELECT e.id AS enterprise_id, ${outer}
    FROM enterprise e
    LEFT JOIN (
      SELECT r.enterprise_id,
      ${aggregates}
      FROM credit_record r
      WHERE r.record_date <= $1::date AND (r.valid_until IS NULL OR r.valid_until > $1::date) ${filter}
      GROUP BY r.enterprise_id
    ) a ON a.enterprise_id = e.id
    ${oneEnterprise ? 'WHERE e.id = $2' : ''}`;
}
