/**
 * The facts about one prepaid-card issuer (单用途预付卡发卡经营者) as of one day, as the pure risk rules
 * (risk-rules.ts) read them. Issue 14; domain.md 6; 上海市单用途预付消费卡管理规定 (2018) and its 2019
 * measures.
 *
 * This is the contract between the three producers of facts and the rules:
 * - the database loader (src/prepaid/evaluation: set-based SQL, every issuer as of a day),
 * - the scenario generator (src/prepaid/scenarios: seeded synthetic issuers, in memory),
 * - unit tests (hand-built cases).
 * Each producer gives only what was known on `asOf`: reports submitted on or before it (a correction in
 * force on that day), signals received on or before it, credit records recorded on or before it.
 *
 * Units: money in fen (integers), days are calendar days, dates are 'YYYY-MM-DD' (Asia/Shanghai).
 */

/** Sectors of prepaid consumption (domain.md 6: beauty and hairdressing and fitness first). */
export const PREPAID_SECTORS = [
  'beauty_hair',
  'fitness',
  'education_training',
  'catering',
  'laundry',
  'other',
] as const;
export type PrepaidSector = (typeof PREPAID_SECTORS)[number];

/** How the prepaid balance is secured: 资金存管 / 履约保证保险 / 银行保函 / none. */
export const GUARANTEE_KINDS = ['escrow', 'insurance', 'bank_guarantee', 'none'] as const;
export type GuaranteeKind = (typeof GUARANTEE_KINDS)[number];

/** Risk levels, mildest first (蓝/黄/橙/红); 'none' when no rule fires enough. */
export const RISK_LEVELS = ['none', 'blue', 'yellow', 'orange', 'red'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** Levels that open an alert (an alert opens at yellow: issue 14). */
export const ALERT_LEVELS = ['yellow', 'orange', 'red'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Signals kept in prepaid_signal (penalties, anomaly listing and judicial cases come from credit records). */
export const SIGNAL_KINDS = [
  'complaint',
  'closure_notice',
  'moving_notice',
  'unreachable',
  'promotion',
  'payee_change',
  'entity_change',
  'unpaid_wages',
  'lawsuit',
  'public_opinion',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** One periodic report as the rules see it (prepaid_report in force on `asOf`). */
export interface ReportFact {
  periodKind: 'quarter' | 'month';
  /** first and last day of the period reported, inclusive */
  periodStart: string;
  periodEnd: string;
  /** the day the period was first reported (a correction keeps it: lateness is the first submission's) */
  submittedOn: string;
  /** 预收资金余额 at period end */
  balanceFen: number;
  cardsSoldCount: number;
  cardsSoldFen: number;
  /** the largest single card sold in the period, when reported */
  maxCardFen: number | null;
  /** cards sold over the national limits (anonymous 1,000 / registered 5,000 yuan), as reported */
  anonymousOverLimit: number;
  registeredOverLimit: number;
  longestTermMonths: number | null;
  /** deepest discount offered in the period, percent off face value (0-100) */
  deepestDiscountPct: number | null;
  /** services consumed against cards (消费/核销) during the period */
  redemptionsFen: number;
  refundsFen: number;
  /** 存管资金余额 at period end, when escrowed */
  escrowBalanceFen: number | null;
  /** 履约保证保险 cover (or bank guarantee amount) at period end */
  insuranceCoverFen: number | null;
  /** 上一年度主营业务收入 */
  revenueLastYearFen: number | null;
}

/** One signal as the rules see it. */
export interface SignalFact {
  kind: SignalKind;
  occurredOn: string;
  receivedOn: string;
  amountFen: number | null;
  /** closure / moving notices: the announced day */
  effectiveOn: string | null;
  discountPct: number | null;
  termMonths: number | null;
}

/** Credit records that matter to prepaid risk (read from credit_record, counted as of `asOf`). */
export interface CreditFacts {
  /** the credit tier in force on `asOf` (A-D), null when not scored */
  tier: string | null;
  /** administrative penalty decision dates (each decision once), any severity */
  penaltyDates: string[];
  /** on the anomaly list (经营异常名录) on `asOf` */
  anomalyListed: boolean;
  /** on the serious list (严重失信主体名单) on `asOf` */
  seriousListed: boolean;
  /** judicial cases (credit_record judicial_case) recorded in the last year */
  judicialCaseDates: string[];
}

export interface StoreFact {
  openedOn: string | null;
  leaseEndsOn: string | null;
  closedOn: string | null;
}

/** Everything the rules read about one issuer as of one day. */
export interface IssuerFacts {
  enterpriseId: number;
  sector: PrepaidSector;
  /** the day it began selling cards, else the register's 成立日期; null when neither is known */
  sellingSince: string | null;
  guaranteeKind: GuaranteeKind;
  platformRegisteredOn: string | null;
  stores: StoreFact[];
  /** reports in force, oldest period first; at least the last 24 months when known */
  reports: ReportFact[];
  /** signals received on or before asOf, oldest first; at least the last 24 months */
  signals: SignalFact[];
  credit: CreditFacts;
  /**
   * Sector baseline for the complaint-surge rule: prepaid complaints per issuer per 90 days in the
   * issuer's sector over the trailing year (the loader computes it over all issuers; a generator over
   * its population). null when unknown.
   */
  sectorComplaintsPer90d: number | null;
}
