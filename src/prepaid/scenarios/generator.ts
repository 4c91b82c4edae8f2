/**
 * A seeded scenario generator for "Does it warn in time?" (issue 14): synthetic prepaid-card issuers that
 * stay healthy and issuers that drift toward closure, each with months of activity (by default three years,
 * the last two assessed) turned into reports (monthly or quarterly reporters), signals, stores with leases and credit records; and the
 * facts about one of them as of any day (only what was known that day). Pure and deterministic: the
 * same parameters give the same issuers (npm `seedrandom`, one stream per issuer `<seed>|<index>`).
 *
 * Healthy issuers are noisy on purpose, so that the false-alert rate is a measurement: seasonality and
 * month-to-month noise in sales and redemptions, escrow cover that dips under the requirement some
 * months, an occasional complaint (more for bigger issuers), a late report now and then, moderate
 * promotions, the odd payee change, penalty, lawsuit, large card, lease renewed late.
 *
 * Closing issuers behave like a healthy one until their drift begins (`driftMinDays` to `driftMaxDays`
 * before closure, at an intensity drawn per issuer), then, as the drift progresses: redemptions fall
 * against the balance, the escrow share falls, complaints grow (and their amounts), a discount blitz
 * (sales up, deep discounts, long terms, larger cards) in the second half, reports late or skipped near
 * the end, unpaid wages, payee changes, lawsuits, a lease not renewed; then they close, with 30 days'
 * notice (a few), short notice, or none, and become unreachable.
 *
 * What it cannot show: issuers whose trouble shows in none of these (see report.ts's off-generator
 * shapes), data quality problems of real reports, and how the real district's issuers are distributed.
 */
import seedrandom from 'seedrandom';
import { requiredCover } from '../rules/guarantee.js';
import { DEFAULT_RISK_MODEL } from '../rules/default-risk-model.js';
import type {
  GuaranteeKind,
  IssuerFacts,
  PrepaidSector,
  ReportFact,
  SignalFact,
  SignalKind,
  StoreFact,
} from '../rules/risk-facts.js';
import { dateOfDay, day } from '../rules/rule-kit.js';

/** Parameters of a generated population (defaults: DEFAULT_SCENARIO_PARAMS). */
export interface ScenarioParams {
  /** seeds every issuer's random stream (`<seed>|<index>`) */
  seed: number;
  /** how many issuers stay healthy and how many drift to closure */
  healthy: number;
  closing: number;
  /** first day of the first month reported; `months` months of activity follow */
  start: string;
  months: number;
  /** assessments begin on this day (a year of reports before it, as a real register would hold) */
  evaluateFrom: string;
  /** closures fall uniformly between these days (inclusive) */
  closeFrom: string;
  closeUntil: string;
  /** the drift toward closure lasts this many days before it (uniform) */
  driftMinDays: number;
  driftMaxDays: number;
  /** how far each closing issuer drifts (1 = the full drift described above), uniform per issuer */
  intensityMin: number;
  intensityMax: number;
  /** share of a healthy issuer's reports submitted late */
  lateReportRate: number;
  /** share of months in which a healthy issuer's escrow or insurance cover dips under the requirement */
  coverDipRate: number;
  /** a healthy issuer's prepaid complaints per month, for a typical size (scaled by sqrt of size) */
  complaintsPerMonth: number;
  /** share of issuers reporting quarterly (the others monthly) */
  quarterlyShare: number;
}

/**
 * Default population: 500 healthy and 100 closing issuers, 36 months of activity from 2023-01-01 assessed
 * from 2024-02-01 to 2025-12-31 (a year of reports before the first assessment, as a register holds),
 * closures from 2024-06-01 to 2025-12-31 after a drift of 150 to 360 days at intensity 0.7 to 1.2, 4 %
 * late reports, 5 % of months with a cover dip, 0.3 complaints a month for a typical issuer, 30 %
 * quarterly reporters. Shorter and milder drifts are measured in docs/prepaid.md (the rules warn them
 * less well).
 */
export const DEFAULT_SCENARIO_PARAMS: ScenarioParams = {
  seed: 14,
  healthy: 500,
  closing: 100,
  start: '2023-01-01',
  months: 36,
  evaluateFrom: '2024-02-01',
  closeFrom: '2024-06-01',
  closeUntil: '2025-12-31',
  driftMinDays: 150,
  driftMaxDays: 360,
  intensityMin: 0.7,
  intensityMax: 1.2,
  lateReportRate: 0.04,
  coverDipRate: 0.05,
  complaintsPerMonth: 0.3,
  quarterlyShare: 0.3,
};

/** A store over the horizon: its leases as they became known (a renewal is known before the old end). */
export interface StoreTimeline {
  openedOn: string;
  closedOn: string | null;
  /** lease ends, each known from a day (the first from the opening) */
  leases: { knownFrom: string; endsOn: string }[];
}

/** One generated issuer: everything that will ever be known, with the day it became known. */
export interface ScenarioIssuer {
  id: number;
  kind: 'healthy' | 'closing';
  sector: PrepaidSector;
  sellingSince: string;
  guaranteeKind: GuaranteeKind;
  /** closing issuers: the day they close, the day their drift began, its intensity */
  closesOn: string | null;
  driftStartsOn: string | null;
  intensity: number;
  reports: ReportFact[];
  /** sorted by receivedOn */
  signals: SignalFact[];
  stores: StoreTimeline[];
  tier: string;
  penaltyDates: string[];
  judicialCaseDates: string[];
}

const SECTORS: PrepaidSector[] = [
  'beauty_hair',
  'beauty_hair',
  'fitness',
  'fitness',
  'education_training',
  'catering',
  'laundry',
  'other',
];

type Rng = () => number;
const uni = (rng: Rng, a: number, b: number) => a + (b - a) * rng();
const int = (rng: Rng, a: number, b: number) => Math.floor(uni(rng, a, b + 1));
const chance = (rng: Rng, p: number) => rng() < p;
/** exp of a normal(0, sigma) draw (Box-Muller): multiplicative noise around 1 */
const noise = (rng: Rng, sigma: number) =>
  Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));
function poisson(rng: Rng, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > l) {
    k++;
    p *= rng();
  }
  return k;
}

/** Day number of the first day of month `m` counted from `start` (a month's first day). */
function monthStart(start: string, m: number): number {
  const y = +start.slice(0, 4);
  const mo = +start.slice(5, 7) - 1 + m;
  return Date.UTC(y + Math.floor(mo / 12), ((mo % 12) + 12) % 12, 1) / 86_400_000;
}

/** Generates the population: healthy issuers first (ids 1..healthy), then closing ones. */
export function generateIssuers(params: ScenarioParams = DEFAULT_SCENARIO_PARAMS): ScenarioIssuer[] {
  const out: ScenarioIssuer[] = [];
  for (let i = 0; i < params.healthy + params.closing; i++)
    out.push(generateIssuer(params, i + 1, i < params.healthy ? 'healthy' : 'closing'));
  return out;
}

/** One issuer from its own random stream `<seed>|<id>`. */
export function generateIssuer(p: ScenarioParams, id: number, kind: 'healthy' | 'closing'): ScenarioIssuer {
  const rng = seedrandom(`${p.seed}|${id}`);
  const startDay = day(p.start);
  const sector = SECTORS[int(rng, 0, SECTORS.length - 1)]!;
  const young = chance(rng, 0.1);
  const sellingSinceDay = startDay - (young ? int(rng, 30, 300) : int(rng, 400, 3000));
  const gk = rng();
  const guaranteeKind: GuaranteeKind = gk < 0.65 ? 'escrow' : gk < 0.9 ? 'insurance' : 'bank_guarantee';
  const big = chance(rng, 0.05);
  // monthly sales, fen: about 30,000 to 600,000 yuan (a chain: 5 to 20 times more)
  const size = Math.exp(uni(rng, Math.log(3_000_000), Math.log(60_000_000))) * (big ? uni(rng, 5, 20) : 1);
  const amp = uni(rng, 0.05, 0.3);
  const phase = uni(rng, 0, 12);
  const turnover = uni(rng, 0.07, 0.2); // share of the balance consumed per month
  const avgCardFen = int(rng, 500, 3000) * 100;
  const termMonths = chance(rng, 0.2) ? 24 : 12;
  const quarterly = chance(rng, p.quarterlyShare);
  const tierDraw = rng();
  const tier = tierDraw < 0.3 ? 'A' : tierDraw < 0.88 ? 'B' : tierDraw < 0.98 ? 'C' : 'D';
  const complaintRate = p.complaintsPerMonth * Math.sqrt(size / 15_000_000);

  let closesOnDay: number | null = null;
  let driftStartDay: number | null = null;
  let driftDays = 1;
  let intensity = 0;
  if (kind === 'closing') {
    closesOnDay = int(rng, day(p.closeFrom), day(p.closeUntil));
    driftDays = int(rng, p.driftMinDays, p.driftMaxDays);
    driftStartDay = closesOnDay - driftDays;
    intensity = uni(rng, p.intensityMin, p.intensityMax);
  }
  const driftAt = (d: number) =>
    driftStartDay === null || d < driftStartDay
      ? 0
      : Math.min(1, ((d - driftStartDay) / driftDays) * intensity);

  // stores and leases
  const stores: StoreTimeline[] = [];
  const nStores = big ? int(rng, 10, 30) : int(rng, 1, 4);
  const horizonEnd = monthStart(p.start, p.months) - 1;
  for (let s = 0; s < nStores; s++) {
    const opened = sellingSinceDay + int(rng, 0, Math.max(0, startDay - sellingSinceDay));
    const leases: StoreTimeline['leases'] = [];
    let end = opened + 365 * int(rng, 3, 5);
    while (end < startDay - 60) end += 365 * 3;
    leases.push({ knownFrom: dateOfDay(opened), endsOn: dateOfDay(end) });
    while (end < horizonEnd + 400) {
      const renewedAt = end - (chance(rng, 0.1) ? int(rng, 0, 30) : int(rng, 60, 200));
      const abandon = closesOnDay !== null && renewedAt > (driftStartDay ?? 0) && chance(rng, 0.6);
      if (abandon) break;
      end += 365 * 3;
      leases.push({ knownFrom: dateOfDay(renewedAt), endsOn: dateOfDay(end) });
    }
    stores.push({
      openedOn: dateOfDay(opened),
      closedOn: closesOnDay === null ? null : dateOfDay(closesOnDay),
      leases,
    });
  }

  const reports: ReportFact[] = [];
  const signals: SignalFact[] = [];
  const penaltyDates: string[] = [];
  const judicialCaseDates: string[] = [];
  const sig = (k: SignalKind, occurred: number, over: Partial<SignalFact> = {}) =>
    signals.push({
      kind: k,
      occurredOn: dateOfDay(occurred),
      receivedOn: dateOfDay(occurred + int(rng, 0, 3)),
      amountFen: null,
      effectiveOn: null,
      discountPct: null,
      termMonths: null,
      ...over,
    });

  let balance = (size / turnover) * uni(rng, 0.8, 1.2);
  let revenue = size * 12 * uni(rng, 1.5, 4);
  const months: ReportFact[] = [];
  for (let m = 0; m < p.months; m++) {
    const from = monthStart(p.start, m);
    const to = monthStart(p.start, m + 1) - 1;
    if (closesOnDay !== null && to >= closesOnDay) break;
    const mid = from + 15;
    const drift = driftAt(mid);
    const blitz = Math.max(0, (drift - 0.4) / 0.6);
    if (m > 0 && m % 12 === 0) revenue = size * 12 * uni(rng, 1.5, 4);
    const season = 1 + amp * Math.sin((2 * Math.PI * (m + phase)) / 12);
    const sales = Math.round(size * season * noise(rng, 0.12) * (1 + blitz * uni(rng, 1.5, 3)));
    const redemptions = Math.round(balance * turnover * (1 - 0.6 * drift) * noise(rng, 0.1));
    const refunds = Math.round(balance * 0.004 * rng());
    balance = Math.max(0, balance + sales - redemptions - refunds);
    const need = requiredCover(
      Math.round(balance),
      Math.round(revenue),
      mid - sellingSinceDay,
      DEFAULT_RISK_MODEL,
    ).requiredFen;
    let coverShare = chance(rng, p.coverDipRate) ? uni(rng, 0.85, 0.97) : uni(rng, 1.0, 1.25);
    if (drift > 0) coverShare = Math.min(coverShare, 1.1 - drift * uni(rng, 0.7, 1.0));
    const cover = Math.max(0, Math.round(need * coverShare));
    let maxCard = Math.min(490_000, Math.round(avgCardFen * uni(rng, 1.5, 3)));
    let overAnon = 0;
    if (chance(rng, 0.02)) maxCard = int(rng, 5200, 8000) * 100;
    if (blitz > 0 && chance(rng, 0.6 * blitz)) {
      maxCard = int(rng, 6000, 30000) * 100;
      overAnon = int(rng, 0, 20);
    }
    const discount =
      blitz > 0
        ? Math.round(40 + 40 * blitz * uni(rng, 0.6, 1))
        : chance(rng, 0.05)
          ? int(rng, 35, 45)
          : int(rng, 5, 30);
    const term = blitz > 0.3 ? termMonths + Math.round(36 * blitz * rng()) : termMonths;
    months.push({
      periodKind: 'month',
      periodStart: dateOfDay(from),
      periodEnd: dateOfDay(to),
      submittedOn: '',
      balanceFen: Math.round(balance),
      cardsSoldCount: Math.max(1, Math.round(sales / avgCardFen)),
      cardsSoldFen: sales,
      maxCardFen: maxCard,
      anonymousOverLimit: overAnon,
      registeredOverLimit: 0,
      longestTermMonths: term,
      deepestDiscountPct: Math.min(90, discount),
      redemptionsFen: redemptions,
      refundsFen: refunds,
      escrowBalanceFen: guaranteeKind === 'escrow' ? cover : null,
      insuranceCoverFen: guaranteeKind === 'escrow' ? null : cover,
      revenueLastYearFen: Math.round(revenue),
    });

    // signals of the month
    const inMonth = () => from + int(rng, 0, to - from);
    const nComplaints = poisson(rng, complaintRate * (1 + 8 * drift * drift));
    for (let c = 0; c < nComplaints; c++)
      sig('complaint', inMonth(), { amountFen: int(rng, 300, 3000) * 100 * (1 + Math.round(3 * drift)) });
    if (blitz > 0 ? chance(rng, 0.5) : chance(rng, 0.08))
      sig('promotion', inMonth(), {
        discountPct: blitz > 0 ? int(rng, 50, 80) : int(rng, 15, 40),
        termMonths: blitz > 0 ? int(rng, 24, 60) : termMonths,
      });
    if (chance(rng, drift > 0.6 ? 0.15 : 0.003))
      sig(chance(rng, 0.8) ? 'payee_change' : 'entity_change', inMonth());
    if (chance(rng, drift > 0.6 ? 0.2 : 0.001)) sig('unpaid_wages', inMonth());
    if (chance(rng, drift > 0.5 ? 0.1 : 0.003)) sig('lawsuit', inMonth());
    if (chance(rng, drift > 0.5 ? 0.03 : 0.001)) judicialCaseDates.push(dateOfDay(inMonth()));
    if (chance(rng, drift > 0.3 ? 0.04 : 0.004)) penaltyDates.push(dateOfDay(inMonth() + int(rng, 20, 60)));
  }

  // reports: monthly, or quarterly sums; submitted after the period, late now and then, skipped near a closure
  const submit = (periodEndDay: number, drift: number): number | null => {
    if (drift > 0.7 && chance(rng, 0.6 * drift)) return null;
    const late = drift > 0.5 ? chance(rng, 0.4 * drift) : chance(rng, p.lateReportRate);
    return periodEndDay + (late ? int(rng, 30, 60) : int(rng, 5, quarterly ? 24 : 20));
  };
  if (!quarterly) {
    for (const r of months) {
      const s = submit(day(r.periodEnd), driftAt(day(r.periodEnd)));
      if (s !== null && (closesOnDay === null || s < closesOnDay))
        reports.push({ ...r, submittedOn: dateOfDay(s) });
    }
  } else {
    for (let q = 0; q + 3 <= months.length; q += 3) {
      const [a, b, c] = [months[q]!, months[q + 1]!, months[q + 2]!];
      const s = submit(day(c.periodEnd), driftAt(day(c.periodEnd)));
      if (s === null || (closesOnDay !== null && s >= closesOnDay)) continue;
      reports.push({
        ...c,
        periodKind: 'quarter',
        periodStart: a.periodStart,
        submittedOn: dateOfDay(s),
        cardsSoldCount: a.cardsSoldCount + b.cardsSoldCount + c.cardsSoldCount,
        cardsSoldFen: a.cardsSoldFen + b.cardsSoldFen + c.cardsSoldFen,
        maxCardFen: Math.max(a.maxCardFen!, b.maxCardFen!, c.maxCardFen!),
        anonymousOverLimit: a.anonymousOverLimit + b.anonymousOverLimit + c.anonymousOverLimit,
        longestTermMonths: Math.max(a.longestTermMonths!, b.longestTermMonths!, c.longestTermMonths!),
        deepestDiscountPct: Math.max(a.deepestDiscountPct!, b.deepestDiscountPct!, c.deepestDiscountPct!),
        redemptionsFen: a.redemptionsFen + b.redemptionsFen + c.redemptionsFen,
        refundsFen: a.refundsFen + b.refundsFen + c.refundsFen,
      });
    }
  }

  // the closure: notice (30 days or more, short, or none), then unreachable
  if (closesOnDay !== null) {
    const r = rng();
    if (r < 0.2) {
      const given = closesOnDay - int(rng, 30, 45);
      sig('closure_notice', given, { effectiveOn: dateOfDay(closesOnDay) });
    } else if (r < 0.55) {
      sig('closure_notice', closesOnDay - int(rng, 1, 25), { effectiveOn: dateOfDay(closesOnDay) });
    }
    sig('unreachable', closesOnDay + int(rng, 1, 10));
  }

  signals.sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0));
  penaltyDates.sort();
  judicialCaseDates.sort();
  return {
    id,
    kind,
    sector,
    sellingSince: dateOfDay(sellingSinceDay),
    guaranteeKind,
    closesOn: closesOnDay === null ? null : dateOfDay(closesOnDay),
    driftStartsOn: driftStartDay === null ? null : dateOfDay(driftStartDay),
    intensity,
    reports: reports.sort((a, b) => (a.periodEnd < b.periodEnd ? -1 : 1)),
    signals,
    stores,
    tier,
    penaltyDates,
    judicialCaseDates,
  };
}

/**
 * The facts about a generated issuer as of a day: only what was known that day (reports submitted,
 * signals received, leases renewed, stores closed and penalties decided on or before it).
 * @param sectorComplaintsPer90d the sector baseline of the population as of the day (report.ts computes it)
 */
export function factsAsOf(
  issuer: ScenarioIssuer,
  asOf: string,
  sectorComplaintsPer90d: number | null,
): IssuerFacts {
  const stores: StoreFact[] = [];
  for (const s of issuer.stores) {
    if (s.openedOn > asOf) continue;
    let lease: string | null = null;
    for (const l of s.leases) if (l.knownFrom <= asOf) lease = l.endsOn;
    stores.push({
      openedOn: s.openedOn,
      leaseEndsOn: lease,
      closedOn: s.closedOn !== null && s.closedOn <= asOf ? s.closedOn : null,
    });
  }
  return {
    enterpriseId: issuer.id,
    sector: issuer.sector,
    sellingSince: issuer.sellingSince,
    guaranteeKind: issuer.guaranteeKind,
    platformRegisteredOn: issuer.sellingSince,
    stores,
    reports: issuer.reports.filter((r) => r.submittedOn <= asOf),
    signals: issuer.signals.filter((s) => s.receivedOn <= asOf),
    credit: {
      tier: issuer.tier,
      penaltyDates: issuer.penaltyDates.filter((d) => d <= asOf),
      anomalyListed: false,
      seriousListed: false,
      judicialCaseDates: issuer.judicialCaseDates.filter((d) => d <= asOf),
    },
    sectorComplaintsPer90d,
  };
}
