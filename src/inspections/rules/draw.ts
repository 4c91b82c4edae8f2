import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';

/**
 * The tiered random draw (双随机抽取 of targets, domain.md 5.1 and 5.2). Pure: the same candidates,
 * ratios and seed give the same list on any machine, so anyone holding the published inputs can
 * check a draw afterwards.
 *
 * Algorithm `tiered-fisher-yates-arc4/v1`:
 * 1. candidates are grouped by tier and each group sorted by USCC (code-point order);
 * 2. per tier, n = ceil(group size * ratio) (the ratio is a minimum share; 0 gives none);
 * 3. a generator is seeded with `<seed>|<tier>` (npm `seedrandom`, ARC4) and the first n positions
 *    of a Fisher-Yates shuffle of the sorted group are taken, in draw order.
 * The candidates digest is SHA-256 over the sorted lines `USCC,tier\n`.
 */
export const DRAW_ALGORITHM = 'tiered-fisher-yates-arc4/v1';

export interface DrawCandidate {
  uscc: string;
  tier: string;
}

export interface DrawnTarget extends DrawCandidate {
  /** 1-based position in the whole draw */
  position: number;
  /** 1-based position within its tier */
  tierPosition: number;
}

export interface DrawResult<C extends DrawCandidate = DrawCandidate> {
  algorithm: string;
  seed: string;
  ratios: Record<string, number>;
  candidates: number;
  candidatesDigest: string;
  perTier: { tier: string; candidates: number; ratio: number; selected: number }[];
  /** the drawn candidates (with whatever else the caller's candidates carry), in draw order */
  selected: (C & Omit<DrawnTarget, keyof DrawCandidate>)[];
}

/** A draw's inputs refused, with the input at fault (`seed`, `ratios`, `ratios.<tier>`: the API's 422 field). */
export class DrawInputError extends Error {
  constructor(
    message: string,
    readonly field: string = 'ratios',
  ) {
    super(message);
    this.name = 'DrawInputError';
  }
}

/**
 * Parses `A=0,B=0.05,C=0.2,D=0.6` into ratios.
 * @throws DrawInputError naming the part that is not `<tier>=<number in [0,1]>` or a tier given twice.
 */
export function parseRatios(text: string): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z][\w]*)\s*=\s*([0-9]*\.?[0-9]+)$/.exec(part);
    if (!m) throw new DrawInputError(`ratio '${part}': expected <tier>=<share>, e.g. B=0.05`);
    const tier = m[1]!.toUpperCase();
    const value = Number(m[2]);
    if (!(value >= 0 && value <= 1))
      throw new DrawInputError(`ratio '${part}': share must be between 0 and 1`);
    if (tier in ratios) throw new DrawInputError(`ratio '${part}': tier ${tier} given twice`);
    ratios[tier] = value;
  }
  if (!Object.keys(ratios).length) throw new DrawInputError('no ratios given, e.g. A=0,B=0.05,C=0.2,D=0.6');
  return ratios;
}

/** SHA-256 over sorted `USCC,tier` lines: identifies exactly which roster a draw was run on. */
export function candidatesDigest(candidates: readonly DrawCandidate[]): string {
  const lines = candidates.map((c) => `${c.uscc},${c.tier}\n`).sort();
  const h = createHash('sha256');
  for (const l of lines) h.update(l);
  return h.digest('hex');
}

/**
 * The ratio rules of a draw, on their own (the API checks them before reading the candidates):
 * every ratio a number from 0 to 1 of a tier of the scorecard, none above 0 for a tier without
 * routine checks, at least one given.
 * @throws DrawInputError naming `ratios.<tier>` (or `ratios` when none is given)
 */
export function checkRatios(
  ratios: Record<string, unknown>,
  tiers: readonly string[],
  noRoutineTiers: readonly string[],
): void {
  const entries = Object.entries(ratios);
  if (!entries.length) throw new DrawInputError('no ratios given, e.g. { "B": 0.05, "C": 0.2, "D": 0.6 }');
  for (const [tier, ratio] of entries) {
    const field = `ratios.${tier}`;
    if (!tiers.includes(tier))
      throw new DrawInputError(`ratio for unknown tier '${tier}' (tiers: ${tiers.join(', ')})`, field);
    if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      throw new DrawInputError(`ratio of tier ${tier} must be a number from 0 to 1`, field);
    if (noRoutineTiers.includes(tier) && ratio > 0) {
      throw new DrawInputError(
        `tier ${tier} gets no routine random checks (无事不扰, domain.md 5.2): its ratio must be 0`,
        field,
      );
    }
  }
  if (entries.every(([, ratio]) => ratio === 0))
    throw new DrawInputError(
      'every ratio is 0: nothing to draw (give at least one tier a share above 0)',
      'ratios',
    );
}

/**
 * What is wrong with a draw's seed, or null. The seed is published so that anyone can recompute
 * the list (domain.md 5.1): two seeds that look the same must be the same seed, or a drawer could
 * re-roll a draw unseen (" abc ", "ab\u200bc", "ａｂｃ" all read as abc but give other lists). So a
 * seed is refused unless it is in Unicode NFKC form, has no leading or trailing space, and holds
 * no control, format (zero-width) or line-break character, and no space but U+0020.
 */
export function seedProblem(seed: string): string | null {
  if (!seed.trim()) return 'seed must not be empty';
  if (seed !== seed.trim()) return 'seed must not begin or end with a space';
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(seed) || /[^\S ]/u.test(seed))
    return 'seed must not contain control, zero-width or line-break characters, nor spaces other than the plain space';
  const nfkc = seed.normalize('NFKC');
  if (nfkc !== seed)
    return `seed must be in its plain form (Unicode NFKC: full-width letters and digits as ASCII): '${nfkc}'`;
  return null;
}

const byUscc = (a: DrawCandidate, b: DrawCandidate) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0);

/**
 * Draws targets per tier.
 * @param tiers every tier of the scorecard, best first (the order of the output)
 * @param noRoutineTiers tiers that get no routine random check ("无事不扰": tier A, domain.md 5.2)
 * @throws DrawInputError when a ratio is not a number from 0 to 1 (field `ratios.<tier>`), names an
 *   unknown tier, a no-routine tier has a ratio above 0, no ratio is given or every ratio is 0
 *   (`ratios`), the seed is empty or not in its one plain form (`seed`, seedProblem), or a USCC
 *   appears twice.
 */
export function drawTargets<C extends DrawCandidate>(
  candidates: readonly C[],
  ratios: Record<string, number>,
  seed: string,
  tiers: readonly string[],
  noRoutineTiers: readonly string[],
): DrawResult<C> {
  const problem = seedProblem(seed);
  if (problem) throw new DrawInputError(problem, 'seed');
  checkRatios(ratios, tiers, noRoutineTiers);
  const groups = new Map<string, C[]>(tiers.map((t) => [t, []]));
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.uscc))
      throw new DrawInputError(`USCC ${c.uscc} appears twice among the candidates`, '(candidates)');
    seen.add(c.uscc);
    groups.get(c.tier)?.push(c);
  }
  const selected: DrawResult<C>['selected'] = [];
  const perTier: DrawResult['perTier'] = [];
  for (const tier of tiers) {
    const pool = groups.get(tier)!.sort(byUscc);
    const ratio = ratios[tier] ?? 0;
    // the epsilon keeps float noise (1000 * 0.05 = 50.000000000000007) from adding one more
    const n = Math.max(0, Math.min(pool.length, Math.ceil(pool.length * ratio - 1e-9)));
    const rng = seedrandom(`${seed}|${tier}`);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rng() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      selected.push({ ...pool[i]!, position: selected.length + 1, tierPosition: i + 1 });
    }
    perTier.push({ tier, candidates: pool.length, ratio, selected: n });
  }
  return {
    algorithm: DRAW_ALGORITHM,
    seed,
    ratios,
    candidates: candidates.length,
    candidatesDigest: candidatesDigest(candidates),
    perTier,
    selected,
  };
}
