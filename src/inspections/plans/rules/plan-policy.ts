/**
 * Annual inspection plans (年度抽查计划): the pure rules. Framework-free (no NestJS, TypeORM or pg).
 *
 * - The default sampling policy by tier (domain.md 5.2): tier A none (无事不扰), B 5 %, C 20 %,
 *   D 60 %, at most 2 routine checks per enterprise a year (Huangpu 2024, 国办发〔2024〕54号).
 * - The check of a plan as a regulator writes it (`checkPlan`): every field at fault named, in the
 *   project's field syntax (`tiers.B.ratio`, `batches[1].windowEnd`, `itemCodes[0]`).
 * - Late publication (`isLate`): a plan published after March 31 of its year (上海市优化营商环境条例
 *   art. 62: departments publish their annual random-check plans by the end of March).
 * - The plan number (`planNumber`): `<year>-<lead department>-<seq, 2 digits>`, e.g.
 *   `2027-market-01`, the same for every version of a plan (the inspection code carries it).
 */
import { isIsoDate } from '../../../common/clock.js';
import { textProblem } from '../../../common/text-check.js';

/** One field-level problem (the API answers them as a 422). */
export interface PlanProblem {
  field: string;
  reason: string;
}

/** A tier's sampling policy: the share of eligible enterprises drawn per batch, item and tier, and the yearly cap. */
export interface TierPolicy {
  tier: string;
  /** 0..1, at most 6 decimals (stored as numeric(7,6)) */
  ratio: number;
  /** routine checks per enterprise per year at most, an integer >= 0 */
  yearlyCap: number;
}

/** A batch of a plan: a name and its window (dates YYYY-MM-DD, both inclusive). */
export interface BatchInput {
  name: string;
  windowStart: string;
  windowEnd: string;
}

/** A plan as checked (`checkPlan`): what the service stores. */
export interface PlanInput {
  year: number;
  title: string;
  leadDepartment: string;
  jointDepartments: string[];
  scope: string | null;
  itemCodes: string[];
  /** every tier of the active scorecard, best first */
  tiers: TierPolicy[];
  /** in the order given; windows inside the year, not overlapping */
  batches: BatchInput[];
}

/** What the check needs to know beyond the body. */
export interface PlanContext {
  /** the active scorecard's tiers, best first (the best gets no routine checks) */
  tiers: readonly string[];
  /** department codes that may lead or join a plan */
  departments: readonly string[];
  /** the item list by code: each item's department and whether it is active */
  items: ReadonlyMap<string, { department: string; active: boolean }>;
  /** the current year in Shanghai: a plan is made for this year or a later one */
  thisYear: number;
}

/** Lengths (characters) and counts a plan may have. */
export const PLAN_LIMITS = {
  title: 100,
  scope: 2000,
  batchName: 50,
  batches: 24,
  items: 500,
  jointDepartments: 12,
  yearlyCap: 100,
  minYear: 2000,
  maxYear: 2100,
} as const;

/** The default ratios of domain.md 5.2 (A none: 无事不扰; B 5 %; C 20 %; D 60 %). */
export const DEFAULT_RATIOS: Readonly<Record<string, number>> = { A: 0, B: 0.05, C: 0.2, D: 0.6 };

/** At most 2 routine random checks per enterprise per year in principle (domain.md 5.2, Huangpu 2024). */
export const DEFAULT_YEARLY_CAP = 2;

/**
 * The default policy for the scorecard's tiers (best first): the ratios of domain.md 5.2 for tiers
 * named A-D; for a scorecard with other tiers (Shanghai's earlier A-E), the best tier 0 and the
 * others spaced evenly from 5 % to 60 % by rank; a cap of 2 for every tier.
 */
export function defaultTierPolicy(tiers: readonly string[]): TierPolicy[] {
  const standard = tiers.length === 4 && tiers.every((t, i) => t === 'ABCD'[i]);
  return tiers.map((tier, i) => {
    let ratio: number;
    if (i === 0) ratio = 0;
    else if (standard) ratio = DEFAULT_RATIOS[tier]!;
    else if (tiers.length === 2) ratio = DEFAULT_RATIOS.D!;
    else ratio = Math.round((0.05 + ((0.6 - 0.05) * (i - 1)) / (tiers.length - 2)) * 1e6) / 1e6;
    return { tier, ratio, yearlyCap: DEFAULT_YEARLY_CAP };
  });
}

/**
 * Whether a plan published on `publishedOn` (its Asia/Shanghai day, YYYY-MM-DD) is late: after
 * March 31 of the plan's year (上海市优化营商环境条例 art. 62). A plan for next year published in
 * December is on time; one for a past year is late.
 * @throws RangeError when `publishedOn` is not a date YYYY-MM-DD
 */
export function isLate(publishedOn: string, year: number): boolean {
  if (!isIsoDate(publishedOn)) throw new RangeError(`'${publishedOn}' is not a date YYYY-MM-DD`);
  return publishedOn > `${String(year).padStart(4, '0')}-03-31`;
}

/**
 * The plan number `<year>-<lead>-<seq>` with the sequence in two digits or more (`2027-market-01`,
 * `2027-market-123`). @throws RangeError for a sequence that is not a positive integer
 */
export function planNumber(year: number, lead: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1)
    throw new RangeError(`plan sequence ${seq} is not a positive integer`);
  return `${year}-${lead}-${String(seq).padStart(2, '0')}`;
}

/** The fields of a plan body; any other is refused. */
export const PLAN_FIELDS = [
  'year',
  'title',
  'leadDepartment',
  'jointDepartments',
  'scope',
  'itemCodes',
  'tiers',
  'batches',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of at most `max` characters, non-blank: the trimmed text, or a problem. */
function text(
  v: unknown,
  field: string,
  max: number,
  problems: PlanProblem[],
  required = true,
): string | null {
  if (v === undefined || v === null) {
    if (required) problems.push({ field, reason: 'required' });
    return null;
  }
  if (typeof v !== 'string') {
    problems.push({ field, reason: 'must be text' });
    return null;
  }
  const problem = textProblem(v, max);
  if (problem) {
    problems.push({ field, reason: `is ${problem}` });
    return null;
  }
  const s = v.trim();
  if (!s) {
    if (required) problems.push({ field, reason: 'must not be blank' });
    return null;
  }
  return s;
}

/** Whole days between two dates YYYY-MM-DD. */
const dayNumber = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86_400_000;

/**
 * Checks a whole plan body (a new plan, or a draft with a change applied) against the rules and
 * the context, and names every field at fault:
 * - `year` an integer 2000-2100, not before this year; `title` 1-100 characters; `scope` at most 2000 (optional);
 * - `leadDepartment` a known department; `jointDepartments[i]` known, not repeated, not the lead;
 * - `itemCodes` at least one; `itemCodes[i]` known, active, not repeated, of the lead or a joint
 *   department (who inspects an item is its department: domain.md 5.1);
 * - `tiers` (absent: `defaultTierPolicy`) every tier of the active scorecard once:
 *   `tiers[i].tier` unknown or repeated, `tiers.<T>` missing, `tiers.<T>.ratio` a number 0..1
 *   with at most 6 decimals and 0 for the best tier (无事不扰, domain.md 5.2), `tiers.<T>.yearlyCap`
 *   an integer 0-100;
 * - `batches` 1-24; `batches[i].name` 1-50 characters, not repeated; `batches[i].windowStart` /
 *   `windowEnd` dates YYYY-MM-DD inside the plan's year, start <= end, windows not overlapping
 *   (the later batch is named).
 * Fields outside PLAN_FIELDS are refused by name.
 * @returns the plan (trimmed texts; tiers best first) when there is no problem, and the problems
 */
export function checkPlan(
  body: unknown,
  ctx: PlanContext,
): { plan: PlanInput | null; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  if (!isObject(body))
    return { plan: null, problems: [{ field: '(body)', reason: 'must be a JSON object' }] };
  for (const k of Object.keys(body))
    if (!(PLAN_FIELDS as readonly string[]).includes(k)) problems.push({ field: k, reason: 'unknown field' });

  // year
  let year: number | null = null;
  if (body.year === undefined || body.year === null) problems.push({ field: 'year', reason: 'required' });
  else if (
    typeof body.year !== 'number' ||
    !Number.isInteger(body.year) ||
    body.year < PLAN_LIMITS.minYear ||
    body.year > PLAN_LIMITS.maxYear
  )
    problems.push({
      field: 'year',
      reason: `must be an integer from ${PLAN_LIMITS.minYear} to ${PLAN_LIMITS.maxYear}`,
    });
  else if (body.year < ctx.thisYear)
    problems.push({
      field: 'year',
      reason: `${body.year} is over: a plan is made for this year (${ctx.thisYear}) or a later one`,
    });
  else year = body.year;

  const title = text(body.title, 'title', PLAN_LIMITS.title, problems);
  const scope = text(body.scope, 'scope', PLAN_LIMITS.scope, problems, false);

  // departments
  let lead: string | null = null;
  if (body.leadDepartment === undefined || body.leadDepartment === null)
    problems.push({ field: 'leadDepartment', reason: 'required' });
  else if (typeof body.leadDepartment !== 'string' || !ctx.departments.includes(body.leadDepartment))
    problems.push({
      field: 'leadDepartment',
      reason: `unknown department (one of ${ctx.departments.join(', ')})`,
    });
  else lead = body.leadDepartment;
  const joint: string[] = [];
  const before = problems.length;
  const jointRaw = body.jointDepartments ?? [];
  if (!Array.isArray(jointRaw)) problems.push({ field: 'jointDepartments', reason: 'must be a list' });
  else if (jointRaw.length > PLAN_LIMITS.jointDepartments)
    problems.push({ field: 'jointDepartments', reason: `at most ${PLAN_LIMITS.jointDepartments}` });
  else
    jointRaw.forEach((d: unknown, i) => {
      const field = `jointDepartments[${i}]`;
      if (typeof d !== 'string' || !ctx.departments.includes(d))
        problems.push({ field, reason: `unknown department (one of ${ctx.departments.join(', ')})` });
      else if (d === lead)
        problems.push({ field, reason: 'is the lead department: a department leads or joins, not both' });
      else if (joint.includes(d)) problems.push({ field, reason: `${d} is listed twice` });
      else joint.push(d);
    });

  // the departments of the plan are known (an item's department is checked against them)
  const departmentsKnown = lead !== null && problems.length === before;

  // items
  const itemCodes: string[] = [];
  const codesRaw = body.itemCodes;
  if (codesRaw === undefined || codesRaw === null) problems.push({ field: 'itemCodes', reason: 'required' });
  else if (!Array.isArray(codesRaw))
    problems.push({ field: 'itemCodes', reason: 'must be a list of item codes' });
  else if (codesRaw.length === 0) problems.push({ field: 'itemCodes', reason: 'at least one item' });
  else if (codesRaw.length > PLAN_LIMITS.items)
    problems.push({ field: 'itemCodes', reason: `at most ${PLAN_LIMITS.items} items` });
  else {
    const planDepartments = new Set([...(lead ? [lead] : []), ...joint]);
    codesRaw.forEach((c: unknown, i) => {
      const field = `itemCodes[${i}]`;
      if (typeof c !== 'string' || !c.trim())
        return void problems.push({ field, reason: 'must be an item code' });
      const code = c.trim();
      const item = ctx.items.get(code);
      if (!item) return void problems.push({ field, reason: `unknown item ${code}` });
      if (!item.active) return void problems.push({ field, reason: `item ${code} is inactive` });
      if (itemCodes.includes(code))
        return void problems.push({ field, reason: `item ${code} is listed twice` });
      if (departmentsKnown && !planDepartments.has(item.department))
        problems.push({
          field,
          reason: `item ${code} belongs to department ${item.department}, which is neither the lead nor a joint department`,
        });
      itemCodes.push(code);
    });
  }

  // tier policy
  let tiers: TierPolicy[] = [];
  if (body.tiers === undefined || body.tiers === null) tiers = defaultTierPolicy(ctx.tiers);
  else if (!Array.isArray(body.tiers))
    problems.push({ field: 'tiers', reason: 'must be a list of { tier, ratio, yearlyCap }' });
  else {
    const byTier = new Map<string, TierPolicy>();
    body.tiers.forEach((t: unknown, i) => {
      if (!isObject(t))
        return void problems.push({ field: `tiers[${i}]`, reason: 'must be { tier, ratio, yearlyCap }' });
      for (const k of Object.keys(t))
        if (!['tier', 'ratio', 'yearlyCap'].includes(k))
          problems.push({ field: `tiers[${i}].${k}`, reason: 'unknown field' });
      if (typeof t.tier !== 'string' || !ctx.tiers.includes(t.tier))
        return void problems.push({
          field: `tiers[${i}].tier`,
          reason: `unknown tier (tiers of the active scorecard: ${ctx.tiers.join(', ')})`,
        });
      if (byTier.has(t.tier))
        return void problems.push({ field: `tiers[${i}].tier`, reason: `tier ${t.tier} is listed twice` });
      const at = `tiers.${t.tier}`;
      let ok = true;
      const ratio = t.ratio;
      if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
        problems.push({ field: `${at}.ratio`, reason: 'must be a number from 0 to 1' });
        ok = false;
      } else if (Math.abs(ratio * 1e6 - Math.round(ratio * 1e6)) > 1e-6) {
        problems.push({ field: `${at}.ratio`, reason: 'at most 6 decimals' });
        ok = false;
      } else if (t.tier === ctx.tiers[0] && ratio > 0) {
        problems.push({
          field: `${at}.ratio`,
          reason: `the best tier (${t.tier}) gets no routine checks (无事不扰, domain.md 5.2): 0`,
        });
        ok = false;
      }
      const cap = t.yearlyCap;
      if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 0 || cap > PLAN_LIMITS.yearlyCap) {
        problems.push({
          field: `${at}.yearlyCap`,
          reason: `must be an integer from 0 to ${PLAN_LIMITS.yearlyCap}`,
        });
        ok = false;
      }
      byTier.set(
        t.tier,
        ok
          ? { tier: t.tier, ratio: ratio as number, yearlyCap: cap as number }
          : { tier: t.tier, ratio: 0, yearlyCap: 0 },
      );
    });
    for (const tier of ctx.tiers)
      if (!byTier.has(tier))
        problems.push({
          field: `tiers.${tier}`,
          reason: 'missing: every tier of the active scorecard needs a ratio and a yearly cap',
        });
    tiers = ctx.tiers.filter((t) => byTier.has(t)).map((t) => byTier.get(t)!);
  }

  // batches
  const batches: BatchInput[] = [];
  const batchesRaw = body.batches;
  if (batchesRaw === undefined || batchesRaw === null)
    problems.push({ field: 'batches', reason: 'required' });
  else if (!Array.isArray(batchesRaw))
    problems.push({ field: 'batches', reason: 'must be a list of { name, windowStart, windowEnd }' });
  else if (batchesRaw.length === 0) problems.push({ field: 'batches', reason: 'at least one batch' });
  else if (batchesRaw.length > PLAN_LIMITS.batches)
    problems.push({ field: 'batches', reason: `at most ${PLAN_LIMITS.batches} batches` });
  else {
    const windows: { i: number; start: string; end: string }[] = [];
    const names = new Map<string, number>();
    batchesRaw.forEach((b: unknown, i) => {
      const at = `batches[${i}]`;
      if (!isObject(b))
        return void problems.push({ field: at, reason: 'must be { name, windowStart, windowEnd }' });
      for (const k of Object.keys(b))
        if (!['name', 'windowStart', 'windowEnd'].includes(k))
          problems.push({ field: `${at}.${k}`, reason: 'unknown field' });
      const name = text(b.name, `${at}.name`, PLAN_LIMITS.batchName, problems);
      if (name !== null) {
        if (names.has(name))
          problems.push({ field: `${at}.name`, reason: `the same name as batches[${names.get(name)}]` });
        else names.set(name, i);
      }
      const date = (k: 'windowStart' | 'windowEnd'): string | null => {
        const v = b[k];
        let reason: string | null = null;
        if (v === undefined || v === null) reason = 'required';
        else if (typeof v !== 'string' || !isIsoDate(v)) reason = 'must be a date YYYY-MM-DD';
        else if (year !== null && !v.startsWith(`${year}-`)) reason = `must lie in the plan's year ${year}`;
        if (reason === null) return v as string;
        problems.push({ field: `${at}.${k}`, reason });
        return null;
      };
      const start = date('windowStart');
      const end = date('windowEnd');
      if (start && end && start > end)
        problems.push({ field: `${at}.windowEnd`, reason: `must not be before windowStart (${start})` });
      else if (start && end) windows.push({ i, start, end });
      if (name !== null && start && end) batches.push({ name, windowStart: start, windowEnd: end });
    });
    // overlaps: each later window (by start) against every earlier one it meets
    const sorted = [...windows].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.i - b.i));
    for (let k = 1; k < sorted.length; k++) {
      const w = sorted[k]!;
      const prior = sorted.slice(0, k).find((p) => dayNumber(p.end) >= dayNumber(w.start));
      if (prior)
        problems.push({
          field: `batches[${w.i}].windowStart`,
          reason: `overlaps batches[${prior.i}] (${prior.start} to ${prior.end}): batch windows must not overlap`,
        });
    }
  }

  if (problems.length) return { plan: null, problems };
  return {
    plan: {
      year: year!,
      title: title!,
      leadDepartment: lead!,
      jointDepartments: joint,
      scope,
      itemCodes,
      tiers,
      batches,
    },
    problems,
  };
}
