/**
 * Choosing a scorecard's parameters so that they hold on periods they never saw (issue 15,
 * docs/evaluation.md "Scorecard v4: how the parameters were chosen"): every candidate is judged on
 * each tuning period separately (calendar years before the evaluated period, each scored only from
 * the history before it), and the choice rewards the worst period, not the average. Pure.
 */

/** A candidate's figures on one tuning period. */
export interface PeriodFigures {
  period: string;
  /** AUC within each quarter, weighted by its inspections */
  stratifiedAuc: number;
  /** problem rate of the riskiest tier over the best tier's */
  lift: number;
  /** rates strictly rising from the best tier to the riskiest */
  monotonic: boolean;
  /** the smallest tier's share of the period's inspections */
  minTierShare: number;
}

export interface CandidateFigures<P> {
  /** a name for the candidate, e.g. `hl0.5-s20-w10` */
  key: string;
  params: P;
  periods: PeriodFigures[];
}

/** The rules of the choice (defaults: WALK_FORWARD_RULES). */
export interface ChoiceRules {
  /** every tier must hold at least this share in every tuning period (a margin over the 5 % required later) */
  minTierShare: number;
  /** worst-period stratified AUCs within this of the best count as equal (noise at ~2,000 inspections a period) */
  aucTolerance: number;
}

/** 10 %: twice the 5 % the tiers must keep on an unseen period; 0.005 AUC: about one standard error at a year of inspections. */
export const WALK_FORWARD_RULES: ChoiceRules = { minTierShare: 0.1, aucTolerance: 0.005 };

export interface RankedCandidate<P> extends CandidateFigures<P> {
  worstAuc: number;
  worstLift: number;
  /** why the candidate may not be chosen (empty: admissible) */
  refused: string[];
}

export interface Choice<P> {
  /** null when no candidate is admissible */
  chosen: RankedCandidate<P> | null;
  /** every candidate, the chosen first, then admissible by the same order, then the refused */
  ranking: RankedCandidate<P>[];
}

/**
 * The choice: a candidate is admissible when in every tuning period its tier rates rise strictly
 * and every tier holds at least rules.minTierShare; among the admissible, those whose worst-period
 * stratified AUC is within rules.aucTolerance of the best worst-period AUC are shortlisted, and the
 * one with the best worst-period D/A lift is chosen; remaining ties go to the earlier candidate in
 * `candidates` (list the simpler first). Repeatable: the same figures give the same choice.
 * @throws RangeError when there are no candidates or a candidate has no period
 */
export function chooseByWorstPeriod<P>(
  candidates: readonly CandidateFigures<P>[],
  rules: ChoiceRules = WALK_FORWARD_RULES,
): Choice<P> {
  if (!candidates.length) throw new RangeError('no candidates');
  const ranked = candidates.map((c, index): RankedCandidate<P> & { index: number } => {
    if (!c.periods.length) throw new RangeError(`candidate ${c.key} has no period`);
    const refused: string[] = [];
    for (const p of c.periods) {
      if (!p.monotonic) refused.push(`${p.period}: tier rates do not rise strictly`);
      if (!(p.minTierShare >= rules.minTierShare))
        refused.push(
          `${p.period}: smallest tier ${(100 * p.minTierShare).toFixed(1)}% < ${100 * rules.minTierShare}%`,
        );
      if (!Number.isFinite(p.stratifiedAuc)) refused.push(`${p.period}: no stratified AUC`);
    }
    return {
      ...c,
      index,
      worstAuc: Math.min(...c.periods.map((p) => p.stratifiedAuc)),
      worstLift: Math.min(...c.periods.map((p) => p.lift)),
      refused,
    };
  });
  const admissible = ranked.filter((r) => !r.refused.length);
  const bestWorst = Math.max(...admissible.map((r) => r.worstAuc));
  const inTolerance = (r: RankedCandidate<P>) => r.worstAuc >= bestWorst - rules.aucTolerance - 1e-12;
  const order = (a: (typeof ranked)[number], b: (typeof ranked)[number]) => {
    const ra = a.refused.length ? 2 : inTolerance(a) ? 0 : 1;
    const rb = b.refused.length ? 2 : inTolerance(b) ? 0 : 1;
    if (ra !== rb) return ra - rb;
    if (ra === 0 && a.worstLift !== b.worstLift) return b.worstLift - a.worstLift;
    if (ra !== 2 && a.worstAuc !== b.worstAuc) return b.worstAuc - a.worstAuc;
    return a.index - b.index;
  };
  const ranking = [...ranked].sort(order).map(({ index: _i, ...r }) => r);
  return { chosen: admissible.length ? ranking[0]! : null, ranking };
}
