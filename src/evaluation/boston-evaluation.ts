import { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor } from '../audit/actor.js';
import { todayInShanghai } from '../common/clock.js';
import { openCsv } from '../common/csv-source.js';
import { ImportReport } from '../common/import-report.js';
import { deriveUsccFromDigest } from '../common/uscc.js';
import { RecordImportService, RecordInput } from '../credit/import/record-import.service.js';
import { pairIndicatorQuery } from '../credit/indicator-sql.js';
import { checkCreditRecord } from '../credit/rules/credit-record-input.js';
import { MAX_VIOLATIONS, VIOLATION_LEVELS } from '../credit/rules/record-kinds.js';
import {
  INDICATOR_KEYS,
  type IndicatorValues,
  type RecencyParams,
  type Scorecard,
  indicatorValues,
  recencyOf,
  scoreEnterprise,
} from '../credit/rules/scorecard.js';
import { ScorecardVersionsService } from '../credit/scorecard-versions.service.js';
import { RegisterImportService, RegisterInput } from '../enterprises/import/register-import.service.js';
import { placeholderRegisterRow } from '../enterprises/register-row.js';
import {
  EvaluatedCase,
  OrderingReport,
  PeriodRow,
  StratifiedAuc,
  byPeriod,
  quarterOf,
  report,
  stratifiedAuc,
  tiersByShares,
} from './rules/metrics.js';

/** Source system of the Boston establishments and inspections. */
export const BOSTON_SOURCE = 'boston-food';
/** Division code given to the derived placeholder USCCs of Boston establishments (not a real division). */
const BOSTON_DIVISION = '000000';
const BOSTON_DEPARTMENT = 'Boston Inspectional Services (food safety)';
/** A routine inspection: the establishment's previous one is at least this many days earlier. */
export const ROUTINE_GAP_DAYS = 90;

/** Rows per batch handed to the loader (one COPY text chunk each; one batch of millions overflows a string). */
const BATCH_ROWS = 20_000;

const COLUMNS = ['inspection_id', 'date', 'restaurant_id', 'minor', 'major', 'severe'] as const;

/**
 * Imports the Boston food-safety inspections (shared/data/README.md) through the service's own
 * importers: every establishment becomes an enterprise (derived placeholder USCC from its id),
 * every inspection an `inspection_result` record with its minor/major/severe counts; problems
 * found when severe > 0. Idempotent: a second import stores nothing new (an inspection is keyed by
 * its inspection_id). Counts must be whole numbers 0-9999; dates real and not in the future.
 * @throws Error when the database holds enterprises of another source (use a database of its own);
 *   CsvHeaderError missing file or columns; rows with bad values are refused by line
 */
export async function importBoston(
  app: INestApplicationContext,
  file: string,
  actor: Actor,
): Promise<{ register: ImportReport; records: ImportReport }> {
  // an evaluation database of its own: never mix placeholder establishments into a real register
  const [other] = await app
    .get(DataSource)
    .query(`SELECT uscc FROM enterprise WHERE source_system IS DISTINCT FROM $1 LIMIT 1`, [BOSTON_SOURCE]);
  if (other)
    throw new Error(
      'this database holds other enterprises: run the evaluation on a database of its own (e.g. EMBEDDED_PG_DATABASE=boston)',
    );
  const csv = await openCsv(file, COLUMNS, []);
  const establishments = new Map<string, string>(); // restaurant_id -> uscc
  const records: RecordInput[] = [];
  const usccOf = (id: string) => {
    let u = establishments.get(id);
    if (!u) {
      u = deriveUsccFromDigest(createHash('sha256').update(`boston:${id}`).digest('hex'), BOSTON_DIVISION);
      establishments.set(id, u);
    }
    return u;
  };
  const today = todayInShanghai();
  const seenIds = new Set<string>();
  for await (const r of csv.rows) {
    const v = r.values;
    const id = (v.restaurant_id ?? '').trim();
    const inspectionId = (v.inspection_id ?? '').trim();
    const errors: { field: string; reason: string }[] = [];
    if (!id) errors.push({ field: 'restaurant_id', reason: 'required' });
    if (!inspectionId)
      errors.push({ field: 'inspection_id', reason: 'required (the key of the inspection)' });
    else if (seenIds.has(inspectionId))
      errors.push({ field: 'inspection_id', reason: `'${inspectionId}' repeats an earlier row` });
    for (const k of VIOLATION_LEVELS) {
      const given = (v[k] ?? '').trim();
      if (!/^[0-9]+$/.test(given) || Number(given) > MAX_VIOLATIONS)
        errors.push({ field: k, reason: `'${v[k] ?? ''}' is not a count (0 to ${MAX_VIOLATIONS})` });
    }
    if (errors.length) {
      records.push({ line: r.line, errors });
      continue;
    }
    seenIds.add(inspectionId);
    const counts = { minor: Number(v.minor), major: Number(v.major), severe: Number(v.severe) };
    const check = checkCreditRecord(
      {
        kind: 'inspection_result',
        recordDate: v.date,
        sourceDepartment: BOSTON_DEPARTMENT,
        outcome: counts.severe > 0 ? 'problems_found' : 'no_problem',
        details: counts,
      },
      today,
    );
    if (!check.ok) {
      records.push({ line: r.line, errors: check.errors });
      continue;
    }
    records.push({
      line: r.line,
      uscc: usccOf(id),
      record: check.record,
      sourceSystem: BOSTON_SOURCE,
      sourceKey: inspectionId,
    });
  }
  const registerRows = [...establishments.entries()].map(([id, uscc], i): RegisterInput => ({
    line: i + 1,
    usccDerived: true,
    row: placeholderRegisterRow({
      uscc,
      name: `Boston establishment ${id}`,
      entityType: 'other',
      industryCode: 'H62', // catering (GB/T 4754: H 住宿和餐饮业, 62 餐饮业)
      sourceSystem: BOSTON_SOURCE,
      sourceKey: id,
    }),
  }));
  const register = await app
    .get(RegisterImportService)
    .load(`${file} (establishments)`, csv.encoding, [registerRows], { actor, rejectsFile: null });
  // refused rows go to the loader too: its report counts and lists them with the others
  const batches = Array.from({ length: Math.ceil(records.length / BATCH_ROWS) }, (_, i) =>
    records.slice(i * BATCH_ROWS, (i + 1) * BATCH_ROWS),
  );
  const recordReport = await app
    .get(RecordImportService)
    .load(file, csv.encoding, batches, { actor, rejectsFile: null });
  return { register, records: recordReport };
}

/** The evaluation report (docs/evaluation.md). */
export interface BostonEvaluation {
  from: string;
  to: string;
  modelVersion: string;
  /** tiers best first */
  tierOrder: string[];
  model: OrderingReport;
  baselines: { lastFailed: OrderingReport; lifetimeShare: OrderingReport };
  /** per calendar quarter of the inspection date: cases, problem rate, AUC of the model and baselines */
  byQuarter: PeriodRow[];
  /** the headline figure (issue 15): the AUC within each quarter weighted by its inspections */
  stratified: { model: StratifiedAuc; lastFailed: StratifiedAuc; lifetimeShare: StratifiedAuc };
  /** one line: the model's stratified AUC, its margin over the better baseline, the D/A lift */
  summary: string;
  text: string;
}

/** The evaluated inspections of a period: who, when, the outcome, the baselines' values, and the model's indicators. */
export interface BostonCases {
  cases: { problem: boolean; lastFailed: number; lifetimeShare: number; inspectedOn: string }[];
  /** indicator values of each case, scored as of the day before its inspection */
  values: IndicatorValues[];
}

/**
 * The evaluated inspections of imported Boston establishments dated in [from, to): those whose
 * previous inspection is at least ROUTINE_GAP_DAYS earlier (routine visits, not follow-ups; a
 * first inspection has no history and is not evaluated), each with its indicator values as of the
 * day before, from records dated before that day only (pairIndicatorQuery: the batch's SQL), and
 * the baselines' values (last inspection failed 0/1, lifetime share of failed inspections 0..1).
 * @param recency the recency parameters of the scorecard to be evaluated (the only parameters the
 *   SQL takes; points are applied by the pure scorer afterwards)
 */
export async function bostonCases(
  app: INestApplicationContext,
  from: string,
  to: string,
  recency: RecencyParams,
): Promise<BostonCases> {
  return app.get(DataSource).transaction(async (m) => {
    await m.query(`CREATE TEMP TABLE eval_pairs (pair_id int PRIMARY KEY, enterprise_id bigint, as_of date,
      problem boolean, last_failed int, lifetime_share float8) ON COMMIT DROP`);
    await m.query(
      `INSERT INTO eval_pairs
       SELECT row_number() OVER (ORDER BY x.record_date, x.id)::int, x.enterprise_id, x.record_date - 1,
              x.outcome = 'problems_found', x.last_failed, x.lifetime_share
       FROM (
         SELECT r.id, r.enterprise_id, r.record_date, r.outcome, h.prev_date, h.last_failed, h.lifetime_share
         FROM credit_record r
         JOIN enterprise e ON e.id = r.enterprise_id AND e.source_system = $3
         CROSS JOIN LATERAL (
           SELECT max(p.record_date) AS prev_date,
                  (array_agg((p.outcome = 'problems_found')::int ORDER BY p.record_date DESC, p.id DESC))[1] AS last_failed,
                  avg((p.outcome = 'problems_found')::int)::float8 AS lifetime_share
           FROM credit_record p
           WHERE p.enterprise_id = r.enterprise_id AND p.kind = 'inspection_result' AND p.record_date < r.record_date
         ) h
         WHERE r.kind = 'inspection_result' AND r.record_date >= $1::date AND r.record_date < $2::date
       ) x
       WHERE x.prev_date IS NOT NULL AND x.record_date - x.prev_date >= ${ROUTINE_GAP_DAYS}`,
      [from, to, BOSTON_SOURCE],
    );
    await m.query(`ANALYZE eval_pairs`); // a temporary table: autovacuum never analyzes those
    const pairs: { problem: boolean; last_failed: number; lifetime_share: number; inspected_on: string }[] =
      await m.query(
        `SELECT problem, last_failed, lifetime_share, (as_of + 1)::text AS inspected_on FROM eval_pairs ORDER BY pair_id`,
      );
    const rows: Record<string, number>[] = await m.query(pairIndicatorQuery('eval_pairs', recency));
    return {
      cases: pairs.map((p) => ({
        problem: p.problem,
        lastFailed: Number(p.last_failed),
        lifetimeShare: Number(p.lifetime_share),
        inspectedOn: p.inspected_on,
      })),
      values: rows.map((row) =>
        indicatorValues(Object.fromEntries(INDICATOR_KEYS.map((k) => [k, Number(row[k])]))),
      ),
    };
  });
}

/**
 * The report of one scorecard on evaluated cases (pure): the model's AUC, tiers, lift and
 * per-quarter figures, the same for the two baselines (tiered with the model's tier shares, so
 * tiers compare one to one), and the stratified AUC of each (issue 15).
 * @param data bostonCases computed with this card's recency parameters (recencyOf(card))
 */
export function evaluateCases(
  data: BostonCases,
  card: Scorecard,
  from: string,
  to: string,
): Omit<BostonEvaluation, 'text'> {
  const tierOrder = card.tiers.map((t) => t.tier);
  const { cases } = data;
  const model: EvaluatedCase[] = data.values.map((values, i) => {
    const r = scoreEnterprise(values, card);
    return { risk: -r.score, tier: r.tier, problem: cases[i]!.problem };
  });
  const modelReport = report(model, tierOrder);
  const shares = modelReport.tiers.map((t) => t.share);
  const baseline = (risks: number[]) => {
    const tiers = tiersByShares(risks, tierOrder, shares);
    return report(
      risks.map((risk, i) => ({ risk, tier: tiers[i]!, problem: cases[i]!.problem })),
      tierOrder,
    );
  };
  const lastFailedRisk = cases.map((c) => c.lastFailed);
  const lifetimeShareRisk = cases.map((c) => c.lifetimeShare);
  const byQuarter = byPeriod(
    cases.map((c) => quarterOf(c.inspectedOn)),
    cases.map((c) => c.problem),
    { model: model.map((c) => c.risk), lastFailed: lastFailedRisk, lifetimeShare: lifetimeShareRisk },
  );
  const stratified = {
    model: stratifiedAuc(byQuarter, 'model'),
    lastFailed: stratifiedAuc(byQuarter, 'lastFailed'),
    lifetimeShare: stratifiedAuc(byQuarter, 'lifetimeShare'),
  };
  const better = Math.max(stratified.lastFailed.auc, stratified.lifetimeShare.auc);
  const summary = `summary: stratified AUC ${fixed(stratified.model.auc, 3)} (${signed(stratified.model.auc - better)} over the better baseline), D/A lift ${fixed(modelReport.lift, 2)}`;
  return {
    from,
    to,
    modelVersion: card.version,
    tierOrder,
    model: modelReport,
    baselines: { lastFailed: baseline(lastFailedRisk), lifetimeShare: baseline(lifetimeShareRisk) },
    byQuarter,
    stratified,
    summary,
  };
}

/**
 * Evaluates a scorecard version (default: the active one) on real inspection outcomes; every
 * evaluated inspection is scored with that one version, so the report measures the model
 * (bostonCases: which inspections, scored as of when; evaluateCases: the figures).
 * @throws NotFoundException unknown version
 */
export async function evaluateBoston(
  app: INestApplicationContext,
  from: string,
  to: string,
  version?: string,
): Promise<BostonEvaluation> {
  const card = version
    ? await app.get(ScorecardVersionsService).scorecardVersion(version)
    : await app.get(ScorecardVersionsService).activeScorecard();
  const result = evaluateCases(await bostonCases(app, from, to, recencyOf(card)), card, from, to);
  return { ...result, text: formatReport(result) };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
/** A figure with `digits` decimals, or — when it is not a number (an empty tier, a period without both outcomes). */
export const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(3)}` : '—');

function formatReport(r: Omit<BostonEvaluation, 'text'>): string {
  const lines = [
    `Boston food-safety inspections, evaluated ${r.from} .. ${r.to} (exclusive), scorecard ${r.modelVersion}`,
    `evaluated inspections: ${r.model.cases} (routine: previous inspection >= ${ROUTINE_GAP_DAYS} days earlier), with problems: ${r.model.problems} (${pct(r.model.problems / r.model.cases)})`,
    '',
    r.summary,
    '',
    `ordering                 stratified AUC  pooled AUC  lift D/A  rising A<B<C<D  riskier half finds  smallest tier`,
  ];
  const row = (name: string, o: OrderingReport, st: StratifiedAuc) =>
    `${name.padEnd(24)} ${fixed(st.auc, 3).padStart(14)}  ${fixed(o.auc, 3).padStart(10)}  ${fixed(o.lift, 2).padStart(8)}  ${(o.monotonic ? 'yes' : 'no').padStart(14)}  ${pct(o.riskierHalfShare).padStart(18)}  ${pct(o.minTierShare).padStart(13)}`;
  lines.push(row(`model ${r.modelVersion}`, r.model, r.stratified.model));
  lines.push(row('last inspection failed', r.baselines.lastFailed, r.stratified.lastFailed));
  lines.push(row('lifetime share failed', r.baselines.lifetimeShare, r.stratified.lifetimeShare));
  const excluded = r.stratified.model.excluded;
  lines.push(
    `stratified AUC: the AUC within each calendar quarter, weighted by its inspections${excluded.length ? `; quarters with a single outcome left out: ${excluded.join(', ')}` : ''}`,
  );
  for (const [name, o] of [
    [`model ${r.modelVersion}`, r.model],
    ['last inspection failed', r.baselines.lastFailed],
    ['lifetime share failed', r.baselines.lifetimeShare],
  ] as const) {
    lines.push('', `${name}: problem-detection rate by tier`);
    for (const t of o.tiers)
      lines.push(
        `  ${t.tier}: ${String(t.cases).padStart(6)} inspections (${pct(t.share).padStart(6)}), ${String(t.problems).padStart(5)} with problems, rate ${pct(t.rate)}`,
      );
  }
  lines.push(
    '',
    'by quarter of the inspection date (a pooled AUC mixes quarters whose problem rates differ)',
    `quarter   inspections  with problems  AUC ${`model ${r.modelVersion}`.padEnd(9)} last failed  lifetime share`,
  );
  for (const q of r.byQuarter)
    lines.push(
      `${q.period}  ${String(q.cases).padStart(11)}  ${`${q.problems} (${pct(q.rate)})`.padStart(13)}  ${fixed(q.auc.model!, 3).padStart(13)}  ${fixed(q.auc.lastFailed!, 3).padStart(11)}  ${fixed(q.auc.lifetimeShare!, 3).padStart(14)}`,
    );
  return lines.join('\n');
}
