import { counting } from '../../credit/indicator-sql.js';
import type {
  GuaranteeKind,
  IssuerFacts,
  PrepaidSector,
  ReportFact,
  SignalFact,
  SignalKind,
  StoreFact,
} from '../rules/risk-facts.js';

/** A query function: a TypeORM manager's or a pg client's (`(sql, params) => rows`). */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Which issuers to load: those with enterprise_id in (`after`, `through`] (a batch of the daily run,
 * in enterprise_id order), or exactly `ids`.
 */
export type IssuerSelection = { after: number; through: number } | { ids: number[] };

/** How far back reports and signals are read (months): the rules look at most 24 months back. */
export const FACTS_MONTHS = 25;

const where = (sel: IssuerSelection, col: string, first: number): { sql: string; params: unknown[] } =>
  'ids' in sel
    ? { sql: `${col} = ANY($${first}::bigint[])`, params: [sel.ids] }
    : { sql: `${col} > $${first} AND ${col} <= $${first + 1}`, params: [sel.after, sel.through] };

/**
 * Every selected issuer's facts as of `asOf` (risk-facts.ts IssuerFacts), set-based: one query per kind
 * of fact for the whole selection, grouped in memory. As of D means what was known on D; a report or
 * signal is known from its known_on day (prepaid-issuers.service.ts KNOWN_ON_SQL: its typed day, or the
 * day after the latest evaluation run when recorded later, so no back-dated entry rewrites a day
 * already evaluated; rows without known_on: their typed day):
 * - reports known on or before D, the latest recorded per period (the correction chain: a correction
 *   known after D does not apply on D; one known on or before D replaces the report it corrects) with the day
 *   of the period's first submission as its submittedOn (a correction does not make a report that came
 *   on time late), periods
 *   ending within the last FACTS_MONTHS months and starting on or before D;
 * - signals known on or before D that occurred within the last 24 months;
 * - stores opened on or before D (or without an opening day); a closing after D is not known yet;
 * - credit records as the scoring reads them (credit/indicator-sql.ts `counting`): administrative
 *   penalties recorded in the year before D, each decision once (by decision number); the anomaly and
 *   serious lists on D; judicial cases recorded in the year before D;
 * - the credit tier in force on D: the tier of the last tier change judged as of D or earlier
 *   (credit_tier_change), else the current score's when it was judged as of D or earlier, else null;
 * - the sector complaint baseline: complaint signals per issuer per 90 days over the year before D,
 *   over every issuer of the sector (sectorBaselines).
 * @param baselines per sector, from sectorBaselines(asOf) (computed once per run)
 * @returns the facts, in enterprise_id order
 */
export async function loadIssuerFacts(
  query: Query,
  asOf: string,
  sel: IssuerSelection,
  baselines: Map<string, number | null>,
): Promise<IssuerFacts[]> {
  const w = (col: string) => where(sel, col, 2);
  const issuers = await query(
    `SELECT pi.enterprise_id AS id, pi.sector, coalesce(pi.selling_since, e.established_on)::text AS selling_since,
            pi.guarantee_kind,
            CASE WHEN pi.platform_registered_on <= $1::date THEN pi.platform_registered_on::text END AS platform_on,
            (SELECT c.to_tier FROM credit_tier_change c WHERE c.enterprise_id = pi.enterprise_id AND c.as_of <= $1::date
              ORDER BY c.as_of DESC, c.id DESC LIMIT 1) AS changed_tier,
            CASE WHEN s.as_of <= $1::date THEN s.tier END AS score_tier
     FROM prepaid_issuer pi JOIN enterprise e ON e.id = pi.enterprise_id
     LEFT JOIN credit_score s ON s.enterprise_id = pi.enterprise_id
     WHERE ${w('pi.enterprise_id').sql} ORDER BY pi.enterprise_id`,
    [asOf, ...w('pi.enterprise_id').params],
  );
  if (!issuers.length) return [];
  const stores = await query(
    `SELECT enterprise_id AS id, opened_on::text AS opened_on, lease_ends_on::text AS lease_ends_on,
            CASE WHEN closed_on <= $1::date THEN closed_on::text END AS closed_on
     FROM prepaid_store WHERE ${w('enterprise_id').sql} AND (opened_on IS NULL OR opened_on <= $1::date)
     ORDER BY enterprise_id, id`,
    [asOf, ...w('enterprise_id').params],
  );
  const reports = await query(
    `SELECT * FROM (
       SELECT DISTINCT ON (enterprise_id, period_kind, period_start)
              enterprise_id AS id, period_kind, period_start::text AS period_start, period_end::text AS period_end,
              (min(submitted_on) OVER (PARTITION BY enterprise_id, period_kind, period_start))::text AS submitted_on, balance_fen, cards_sold_count, cards_sold_fen, max_card_fen,
              anonymous_over_limit, registered_over_limit, longest_term_months, deepest_discount_pct,
              redemptions_fen, refunds_fen, escrow_balance_fen, insurance_cover_fen, revenue_last_year_fen
       FROM prepaid_report
       WHERE ${w('enterprise_id').sql} AND coalesce(known_on, submitted_on) <= $1::date AND period_start <= $1::date
         AND period_end > $1::date - make_interval(months => ${FACTS_MONTHS})
       ORDER BY enterprise_id, period_kind, period_start, id DESC) r
     ORDER BY id, period_end, period_kind`,
    [asOf, ...w('enterprise_id').params],
  );
  const signals = await query(
    `SELECT enterprise_id AS id, kind, occurred_on::text AS occurred_on, received_on::text AS received_on,
            amount_fen, effective_on::text AS effective_on, discount_pct, term_months
     FROM prepaid_signal
     WHERE ${w('enterprise_id').sql} AND coalesce(known_on, received_on) <= $1::date AND occurred_on > $1::date - interval '24 months'
     ORDER BY enterprise_id, occurred_on, id`,
    [asOf, ...w('enterprise_id').params],
  );
  const credit = await query(
    `SELECT r.enterprise_id AS id,
            coalesce(array_agg(DISTINCT r.record_date::text || '|' || coalesce(r.decision_no, r.id::text))
              FILTER (WHERE r.kind = 'administrative_penalty' AND r.record_date > $1::date - interval '1 year'), '{}') AS penalties,
            bool_or(r.kind = 'listing' AND r.list_type = 'anomaly' AND r.listed_on <= $1::date
              AND (r.removed_on IS NULL OR r.removed_on > $1::date)) AS anomaly,
            bool_or(r.kind = 'listing' AND r.list_type = 'serious' AND r.listed_on <= $1::date
              AND (r.removed_on IS NULL OR r.removed_on > $1::date)) AS serious,
            coalesce(array_agg(r.record_date::text ORDER BY r.record_date)
              FILTER (WHERE r.kind = 'judicial_case' AND r.record_date > $1::date - interval '1 year'), '{}') AS judicial
     FROM credit_record r
     WHERE ${w('r.enterprise_id').sql} AND r.kind IN ('administrative_penalty','listing','judicial_case')
       AND ${counting('$1::date')}
     GROUP BY r.enterprise_id`,
    [asOf, ...w('r.enterprise_id').params],
  );
  const group = <T>(rows: Record<string, unknown>[], map: (r: Record<string, unknown>) => T) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const id = Number(r.id);
      let list = m.get(id);
      if (!list) m.set(id, (list = []));
      list.push(map(r));
    }
    return m;
  };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const storesBy = group<StoreFact>(stores, (r) => ({
    openedOn: (r.opened_on as string | null) ?? null,
    leaseEndsOn: (r.lease_ends_on as string | null) ?? null,
    closedOn: (r.closed_on as string | null) ?? null,
  }));
  const reportsBy = group<ReportFact>(reports, (r) => ({
    periodKind: r.period_kind as 'quarter' | 'month',
    periodStart: r.period_start as string,
    periodEnd: r.period_end as string,
    submittedOn: r.submitted_on as string,
    balanceFen: Number(r.balance_fen),
    cardsSoldCount: Number(r.cards_sold_count),
    cardsSoldFen: Number(r.cards_sold_fen),
    maxCardFen: num(r.max_card_fen),
    anonymousOverLimit: Number(r.anonymous_over_limit),
    registeredOverLimit: Number(r.registered_over_limit),
    longestTermMonths: num(r.longest_term_months),
    deepestDiscountPct: num(r.deepest_discount_pct),
    redemptionsFen: Number(r.redemptions_fen),
    refundsFen: Number(r.refunds_fen),
    escrowBalanceFen: num(r.escrow_balance_fen),
    insuranceCoverFen: num(r.insurance_cover_fen),
    revenueLastYearFen: num(r.revenue_last_year_fen),
  }));
  const signalsBy = group<SignalFact>(signals, (r) => ({
    kind: r.kind as SignalKind,
    occurredOn: r.occurred_on as string,
    receivedOn: r.received_on as string,
    amountFen: num(r.amount_fen),
    effectiveOn: (r.effective_on as string | null) ?? null,
    discountPct: num(r.discount_pct),
    termMonths: num(r.term_months),
  }));
  const creditBy = new Map(credit.map((r) => [Number(r.id), r]));
  return issuers.map((i) => {
    const id = Number(i.id);
    const c = creditBy.get(id);
    return {
      enterpriseId: id,
      sector: i.sector as PrepaidSector,
      sellingSince: (i.selling_since as string | null) ?? null,
      guaranteeKind: i.guarantee_kind as GuaranteeKind,
      platformRegisteredOn: (i.platform_on as string | null) ?? null,
      stores: storesBy.get(id) ?? [],
      reports: reportsBy.get(id) ?? [],
      signals: signalsBy.get(id) ?? [],
      credit: {
        tier: ((i.changed_tier ?? i.score_tier) as string | null) ?? null,
        penaltyDates: c ? ((c.penalties as string[]).map((p) => p.slice(0, 10)).sort() as string[]) : [],
        anomalyListed: c ? c.anomaly === true : false,
        seriousListed: c ? c.serious === true : false,
        judicialCaseDates: c ? (c.judicial as string[]) : [],
      },
      sectorComplaintsPer90d: baselines.get(i.sector as string) ?? null,
    };
  });
}

/**
 * The sector complaint baseline as of `asOf`: per sector, prepaid complaint signals that occurred in
 * the year before D and were known by D, per issuer of the sector, per 90 days (count / issuers /
 * 365 x 90). A sector without issuers is absent (null for the rules).
 */
export async function sectorBaselines(query: Query, asOf: string): Promise<Map<string, number | null>> {
  const rows = await query(
    `SELECT pi.sector, count(*)::int AS issuers, coalesce(sum(c.n), 0)::int AS complaints
     FROM prepaid_issuer pi
     LEFT JOIN (SELECT enterprise_id, count(*) AS n FROM prepaid_signal
                WHERE kind = 'complaint' AND coalesce(known_on, received_on) <= $1::date AND occurred_on > $1::date - interval '1 year'
                GROUP BY enterprise_id) c ON c.enterprise_id = pi.enterprise_id
     GROUP BY pi.sector`,
    [asOf],
  );
  return new Map(
    rows.map((r) => [
      r.sector as string,
      Number(r.issuers)
        ? Math.round((Number(r.complaints) / Number(r.issuers) / 365) * 90 * 1000) / 1000
        : null,
    ]),
  );
}
