/**
 * Measures of how well a risk ordering finds problems (docs/evaluation.md): pure functions over
 * evaluated cases, each with a risk value (higher = riskier), a tier, and whether the inspection
 * found problems.
 */
export interface EvaluatedCase {
  /** higher = riskier (for the model: minus the credit score) */
  risk: number;
  tier: string;
  problem: boolean;
}

/**
 * Area under the ROC curve of `risk` for `problem` (Mann-Whitney, ties counted half): the chance
 * that a random problem case has a higher risk than a random clean one. 0.5 is chance.
 * @returns NaN when either class is empty
 */
export function auc(cases: readonly { risk: number; problem: boolean }[]): number {
  const sorted = [...cases].sort((a, b) => a.risk - b.risk);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.risk === sorted[i]!.risk) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1 .. j share their average
    for (let k = i; k < j; k++)
      if (sorted[k]!.problem) {
        rankSum += midRank;
        positives++;
      }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (!positives || !negatives) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Per tier: cases, problem cases, the problem-detection rate and the tier's share of cases. */
export interface TierRow {
  tier: string;
  cases: number;
  problems: number;
  /** problems / cases (NaN for an empty tier) */
  rate: number;
  /** cases / all cases */
  share: number;
}

/** The report of one ordering (the model or a baseline). */
export interface OrderingReport {
  cases: number;
  problems: number;
  auc: number;
  tiers: TierRow[];
  /** rate of the riskiest tier over the rate of the best */
  lift: number;
  /** rates strictly rising from the best tier to the riskiest */
  monotonic: boolean;
  /** share of all problem cases found among the riskier half of the cases (by risk) */
  riskierHalfShare: number;
  /** the smallest tier share */
  minTierShare: number;
}

/**
 * The full report for cases and the tiers in order, best first.
 * Riskier half: the ceil(n/2) cases of highest risk, ties broken by their order in `cases`.
 */
export function report(cases: readonly EvaluatedCase[], tiersBestFirst: readonly string[]): OrderingReport {
  const n = cases.length;
  const problems = cases.filter((c) => c.problem).length;
  const tiers = tiersBestFirst.map((tier): TierRow => {
    const inTier = cases.filter((c) => c.tier === tier);
    const p = inTier.filter((c) => c.problem).length;
    return { tier, cases: inTier.length, problems: p, rate: p / inTier.length, share: inTier.length / n };
  });
  const rates = tiers.map((t) => t.rate);
  const monotonic = rates.every((r, i) => i === 0 || r > rates[i - 1]!);
  const lift = rates[rates.length - 1]! / rates[0]!;
  const byRisk = cases.map((c, i) => ({ c, i })).sort((a, b) => b.c.risk - a.c.risk || a.i - b.i);
  const half = byRisk.slice(0, Math.ceil(n / 2));
  const riskierHalfShare = half.filter((x) => x.c.problem).length / problems;
  return {
    cases: n,
    problems,
    auc: auc(cases),
    tiers,
    lift,
    monotonic,
    riskierHalfShare,
    minTierShare: Math.min(...tiers.map((t) => t.share)),
  };
}

/**
 * Tiers for a baseline ordering with the same shares as a reference tiering (so the two are
 * compared tier for tier): cases sorted by risk, lowest first, cut at the reference's cumulative
 * shares; equal risks stay in one tier (the lower one).
 */
export function tiersByShares(
  risks: readonly number[],
  tiersBestFirst: readonly string[],
  shares: readonly number[],
): string[] {
  const order = risks.map((r, i) => ({ r, i })).sort((a, b) => a.r - b.r || a.i - b.i);
  const out = new Array<string>(risks.length);
  let cumulative = 0;
  let t = 0;
  let boundary = Math.round(shares[0]! * risks.length);
  for (let k = 0; k < order.length; k++) {
    while (t < tiersBestFirst.length - 1 && k >= boundary && (k === 0 || order[k]!.r !== order[k - 1]!.r)) {
      cumulative += shares[t]!;
      t++;
      boundary = Math.round((cumulative + shares[t]!) * risks.length);
    }
    out[order[k]!.i] = tiersBestFirst[t]!;
  }
  return out;
}

/** One period's figures (PeriodRow of byPeriod). */
export interface PeriodRow {
  period: string;
  cases: number;
  problems: number;
  /** problems / cases */
  rate: number;
  /** AUC of each named ordering within the period (NaN without both classes) */
  auc: Record<string, number>;
}

/**
 * Figures per period (e.g. calendar quarter), in period order: how many cases, their problem
 * rate, and the AUC of each ordering within the period. A pooled AUC mixes periods whose base
 * rates differ for reasons no enterprise attribute explains (an inspection campaign); this shows
 * whether an ordering holds within each.
 * @param periods the period of each case (same length as every ordering's risks)
 * @param problems whether each case found problems
 * @param orderings named risk values per case (higher = riskier)
 * @throws RangeError when the lengths differ
 */
export function byPeriod(
  periods: readonly string[],
  problems: readonly boolean[],
  orderings: Readonly<Record<string, readonly number[]>>,
): PeriodRow[] {
  const n = periods.length;
  if (problems.length !== n || Object.values(orderings).some((r) => r.length !== n))
    throw new RangeError('periods, problems and every ordering must have one value per case');
  const groups = new Map<string, number[]>();
  periods.forEach((p, i) => {
    const group = groups.get(p);
    if (group) group.push(i);
    else groups.set(p, [i]);
  });
  return [...groups.keys()].sort().map((period) => {
    const idx = groups.get(period)!;
    const p = idx.filter((i) => problems[i]).length;
    return {
      period,
      cases: idx.length,
      problems: p,
      rate: p / idx.length,
      auc: Object.fromEntries(
        Object.entries(orderings).map(([name, risks]) => [
          name,
          auc(idx.map((i) => ({ risk: risks[i]!, problem: problems[i]! }))),
        ]),
      ),
    };
  });
}

/** Calendar quarter of a date `YYYY-MM-DD`, as `YYYY-Qn`. */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || month < 1 || month > 12)
    throw new RangeError(`not a date: ${date}`);
  return `${date.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** The stratified AUC of one ordering: the headline figure of docs/evaluation.md. */
export interface StratifiedAuc {
  /**
   * Mean of the within-period AUCs weighted by each period's cases (NaN when no period has
   * both classes)
   */
  auc: number;
  /** cases of the periods that count (both classes present) */
  cases: number;
  /** periods left out because every case in them has the same outcome (their AUC is undefined) */
  excluded: string[];
}

/**
 * AUC within each period (calendar quarter), weighted by the period's cases: sum(auc_q * n_q) /
 * sum(n_q) over the periods whose cases hold both classes. Issue 15: a year-end inspection
 * campaign changes the base rate in a way no enterprise attribute explains, so an ordering is
 * judged within each quarter, and the pooled AUC is reported beside it. A period with a single
 * class (all clean, or all with problems) has no AUC: it is left out with its weight and named in
 * `excluded`, never counted as 0.5.
 * @param rows byPeriod's rows (each with `cases` and the AUC of every ordering)
 * @param ordering the name of the ordering in `rows[i].auc`
 * @throws RangeError when a row has no AUC for `ordering`
 */
export function stratifiedAuc(rows: readonly PeriodRow[], ordering: string): StratifiedAuc {
  let weighted = 0;
  let cases = 0;
  const excluded: string[] = [];
  for (const row of rows) {
    if (!(ordering in row.auc)) throw new RangeError(`period ${row.period} has no AUC for '${ordering}'`);
    const a = row.auc[ordering]!;
    if (Number.isNaN(a)) {
      excluded.push(row.period);
      continue;
    }
    weighted += a * row.cases;
    cases += row.cases;
  }
  return { auc: cases ? weighted / cases : NaN, cases, excluded };
}
