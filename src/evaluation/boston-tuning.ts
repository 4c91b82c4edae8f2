import { INestApplicationContext } from '@nestjs/common';
import { type Scorecard, validateScorecard } from '../credit/rules/scorecard.js';
import {
  SCORECARD_V3,
  V4_PARAMETERS,
  type V4Parameters,
  v4Candidate,
  v4Key,
} from '../credit/rules/default-scorecard.js';
import { bostonCases, evaluateCases, fixed } from './boston-evaluation.js';
import {
  type CandidateFigures,
  type Choice,
  type ChoiceRules,
  WALK_FORWARD_RULES,
  chooseByWorstPeriod,
} from './rules/walk-forward.js';

/**
 * The candidates of scorecard v4 (docs/evaluation.md "Scorecard v4"), simpler first: the
 * half-life of inspection findings, the points per unit of the recency-weighted findings
 * (inspection_violations, at most 60 as in v2/v3), and the points for the lifetime share of failed
 * inspections (inspections_failed_share, 0 = not used), and tier C's cut-off (tier D below it).
 * 2 x 4 x 4 x 3 = 96 candidates; v3's own values first in each list.
 */
export const V4_GRID = {
  halfLifeYears: [0.5, 1],
  violationPoints: [20, 15, 25, 30],
  failedSharePoints: [0, 10, 20, 30],
  dBelow: [55, 50, 45],
} as const;

/** The most calendar years a tuning may span (a typo guard: the Boston series starts in 2006). */
export const MAX_TUNING_YEARS = 30;

export interface TuningReport {
  /** the evaluated period starts here; tuning periods are the calendar years before it */
  before: string;
  periods: { period: string; from: string; to: string; cases: number }[];
  rules: ChoiceRules;
  choice: Choice<V4Parameters>;
  /** whether the choice is the shipped v4's parameters (V4_PARAMETERS) */
  matchesShipped: boolean;
  text: string;
}

/**
 * Walk-forward choice of v4's parameters on Boston outcomes before `before` only: each of the
 * `years` calendar years before it is a tuning period, its routine inspections scored from the
 * history before each (bostonCases), every V4_GRID candidate evaluated on each period
 * (evaluateCases: stratified AUC, tier rates, lift), and the choice made by chooseByWorstPeriod
 * (worst period first, tiers rising with at least 10 % each). Nothing after `before` is read.
 * @param before YYYY-MM-DD, the first day of the period to be evaluated later
 * @param years how many calendar years before it to tune on (each needs its own history: the first
 *   years of a file have little, so 3 by default)
 * @throws RangeError when years is not 1 to MAX_TUNING_YEARS, or a tuning period has no routine inspection
 */
export async function tuneBoston(
  app: INestApplicationContext,
  before: string,
  years = 3,
  rules: ChoiceRules = WALK_FORWARD_RULES,
): Promise<TuningReport> {
  if (!(Number.isInteger(years) && years >= 1 && years <= MAX_TUNING_YEARS))
    throw new RangeError(`--years must be a whole number from 1 to ${MAX_TUNING_YEARS}, not ${years}`);
  // full calendar years that end on or before `before`
  const endYear = Number(before.slice(0, 4)) - 1;
  const periods = Array.from({ length: years }, (_, i) => {
    const y = endYear - years + 1 + i;
    return { period: String(y), from: `${y}-01-01`, to: `${y + 1}-01-01`, cases: 0 };
  });
  const candidates: { key: string; params: V4Parameters; card: Scorecard }[] = [];
  for (const halfLifeYears of V4_GRID.halfLifeYears)
    for (const violationPoints of V4_GRID.violationPoints)
      for (const failedSharePoints of V4_GRID.failedSharePoints)
        for (const dBelow of V4_GRID.dBelow) {
          const params = { halfLifeYears, violationPoints, failedSharePoints, dBelow };
          candidates.push({
            key: v4Key(params),
            params,
            card: validateScorecard(v4Candidate(SCORECARD_V3, params)),
          });
        }
  const figures = new Map<string, CandidateFigures<V4Parameters>>(
    candidates.map((c) => [c.key, { key: c.key, params: c.params, periods: [] }]),
  );
  for (const p of periods)
    for (const halfLifeYears of V4_GRID.halfLifeYears) {
      const group = candidates.filter((c) => c.params.halfLifeYears === halfLifeYears);
      const data = await bostonCases(app, p.from, p.to, group[0]!.card.recency!);
      if (!data.cases.length) throw new RangeError(`no routine inspection in ${p.from} .. ${p.to}`);
      p.cases = data.cases.length;
      for (const c of group) {
        const r = evaluateCases(data, c.card, p.from, p.to);
        figures.get(c.key)!.periods.push({
          period: p.period,
          stratifiedAuc: r.stratified.model.auc,
          lift: r.model.lift,
          monotonic: r.model.monotonic,
          minTierShare: r.model.minTierShare,
        });
      }
    }
  const choice = chooseByWorstPeriod([...figures.values()], rules);
  const matchesShipped = !!choice.chosen && v4Key(choice.chosen.params) === v4Key(V4_PARAMETERS);
  const result = { before, periods, rules, choice, matchesShipped };
  return { ...result, text: formatTuning(result) };
}

function formatTuning(r: Omit<TuningReport, 'text'>): string {
  const f3 = (x: number) => fixed(x, 3);
  const f2 = (x: number) => fixed(x, 2);
  const lines = [
    `walk-forward choice of scorecard v4 on Boston inspections before ${r.before}`,
    `tuning periods (full calendar years before ${r.before}; nothing dated on or after it is read, although the whole file is imported): ${r.periods.map((p) => `${p.period} (${p.cases} routine inspections)`).join(', ')}`,
    `rules: in every period tier rates rise strictly and every tier holds >= ${100 * r.rules.minTierShare}%; best worst-period stratified AUC (within ${r.rules.aucTolerance}), then best worst-period D/A lift`,
    '',
    `candidate              ${r.periods.map((p) => `${p.period} AUC/lift/min tier`.padEnd(24)).join('')}worst AUC  worst lift  refused`,
  ];
  for (const c of r.choice.ranking)
    lines.push(
      `${(c === r.choice.chosen ? '* ' : '  ') + c.key.padEnd(21)}${c.periods
        .map((p) =>
          `${f3(p.stratifiedAuc)} / ${f2(p.lift)} / ${(100 * p.minTierShare).toFixed(1)}%`.padEnd(24),
        )
        .join('')}${f3(c.worstAuc).padStart(9)}  ${f2(c.worstLift).padStart(10)}  ${c.refused.join('; ')}`,
    );
  lines.push(
    '',
    r.choice.chosen
      ? `chosen: ${r.choice.chosen.key} (${r.matchesShipped ? 'the parameters of the shipped v4' : `NOT the shipped v4's ${v4Key(V4_PARAMETERS)}`})`
      : 'chosen: none (no candidate is admissible)',
  );
  return lines.join('\n');
}
