import { describe, expect, it } from '@jest/globals';
import { buildUscc } from '../../common/uscc.js';
import { checkRatios, DrawInputError, drawTargets, parseRatios, seedProblem } from './draw.js';

const TIERS = ['A', 'B', 'C', 'D'];
function roster(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    uscc: buildUscc('91', '310110', String(i).padStart(8, '0')),
    tier: TIERS[i % 4]!,
  }));
}

describe('parseRatios', () => {
  it('reads the documented form', () => {
    expect(parseRatios('A=0,B=0.05,C=0.2,D=0.6')).toEqual({ A: 0, B: 0.05, C: 0.2, D: 0.6 });
    expect(parseRatios(' b = 1 ')).toEqual({ B: 1 });
  });
  it.each(['', 'B', 'B=2', 'B=-0.1', 'B=0.1,B=0.2', 'B=abc'])('refuses %j', (t) => {
    expect(() => parseRatios(t)).toThrow(DrawInputError);
  });
});

describe('drawTargets', () => {
  const ratios = { A: 0, B: 0.05, C: 0.2, D: 0.6 };
  const people = roster(4000);

  it('same inputs and seed -> the same list, whatever the input order', () => {
    const a = drawTargets(people, ratios, '2026-第1批', TIERS, ['A']);
    const b = drawTargets([...people].reverse(), ratios, '2026-第1批', TIERS, ['A']);
    expect(b.selected).toEqual(a.selected);
    expect(b.candidatesDigest).toBe(a.candidatesDigest);
  });

  it('a pinned draw stays the same on every machine and release', () => {
    const r = drawTargets(roster(40), { B: 0.2, C: 0.5, D: 1 }, 'seed-1', TIERS, ['A']);
    expect(r.selected.map((s) => `${s.tier}:${s.uscc}`).slice(0, 4)).toMatchSnapshot();
  });

  it('another seed gives another list', () => {
    const a = drawTargets(people, ratios, 'x', TIERS, ['A']);
    const b = drawTargets(people, ratios, 'y', TIERS, ['A']);
    expect(b.selected.map((s) => s.uscc)).not.toEqual(a.selected.map((s) => s.uscc));
  });

  it('takes ceil(n * ratio) per tier, none from A, no one twice', () => {
    const r = drawTargets(people, ratios, 's', TIERS, ['A']);
    expect(r.perTier).toEqual([
      { tier: 'A', candidates: 1000, ratio: 0, selected: 0 },
      { tier: 'B', candidates: 1000, ratio: 0.05, selected: 50 },
      { tier: 'C', candidates: 1000, ratio: 0.2, selected: 200 },
      { tier: 'D', candidates: 1000, ratio: 0.6, selected: 600 },
    ]);
    expect(new Set(r.selected.map((s) => s.uscc)).size).toBe(850);
    expect(r.selected.every((s) => s.tier !== 'A')).toBe(true);
    expect(drawTargets(roster(7 * 4), { B: 0.05 }, 's', TIERS, ['A']).perTier[1]!.selected).toBe(1);
  });

  it('ratio 1 takes the whole tier', () => {
    const r = drawTargets(people, { D: 1 }, 's', TIERS, ['A']);
    expect(r.selected.length).toBe(1000);
  });

  it('is roughly uniform: every D candidate is drawn about as often over many seeds', () => {
    const small = roster(40).filter((c) => c.tier === 'D');
    const counts = new Map<string, number>();
    for (let s = 0; s < 2000; s++) {
      for (const t of drawTargets(small, { D: 0.3 }, `s${s}`, TIERS, ['A']).selected)
        counts.set(t.uscc, (counts.get(t.uscc) ?? 0) + 1);
    }
    // 10 candidates, 3 drawn per run: expected 600 each
    for (const c of small) expect(Math.abs((counts.get(c.uscc) ?? 0) - 600)).toBeLessThan(90);
  });

  it('refuses a routine ratio for tier A, unknown tiers, an empty seed and duplicates', () => {
    expect(() => drawTargets(people, { A: 0.01 }, 's', TIERS, ['A'])).toThrow(/无事不扰/);
    expect(() => drawTargets(people, { E: 0.1 }, 's', TIERS, ['A'])).toThrow(/unknown tier 'E'/);
    expect(() => drawTargets(people, ratios, ' ', TIERS, ['A'])).toThrow(/seed/);
    expect(() => drawTargets([people[0]!, people[0]!], ratios, 's', TIERS, ['A'])).toThrow(/twice/);
  });
});

describe('checkRatios', () => {
  const fieldOf = (ratios: Record<string, unknown>) => {
    try {
      checkRatios(ratios, TIERS, ['A']);
      return null;
    } catch (e) {
      expect(e).toBeInstanceOf(DrawInputError);
      return [(e as DrawInputError).field, (e as DrawInputError).message];
    }
  };
  it('accepts ratios of known tiers from 0 to 1, A only at 0', () => {
    expect(fieldOf({ A: 0, B: 0, C: 0.5, D: 1 })).toBeNull();
  });
  it.each([
    [{ E: 0.1 }, 'ratios.E', /unknown tier 'E' \(tiers: A, B, C, D\)/],
    [{ B: 1.01 }, 'ratios.B', /must be a number from 0 to 1/],
    [{ B: -0 - 0.5 }, 'ratios.B', /must be a number from 0 to 1/],
    [{ C: '0.2' }, 'ratios.C', /must be a number from 0 to 1/],
    [{ D: Number.NaN }, 'ratios.D', /must be a number from 0 to 1/],
    [{ D: null }, 'ratios.D', /must be a number from 0 to 1/],
    [{ A: 0.01 }, 'ratios.A', /无事不扰/],
    [{}, 'ratios', /no ratios given/],
    [{ A: 0, B: 0, C: 0, D: 0 }, 'ratios', /every ratio is 0: nothing to draw/],
    [{ D: -0 }, 'ratios', /every ratio is 0/],
    // an underflowing ratio in JSON arrives as 0
    [{ D: Number('1e-400') }, 'ratios', /every ratio is 0/],
  ])('%j -> %s', (ratios, field, message) => {
    const [f, m] = fieldOf(ratios)!;
    expect(f).toBe(field);
    expect(m).toMatch(message);
  });
  it('drawTargets names the seed', () => {
    expect(() => drawTargets(roster(4), { B: 0.5 }, ' ', TIERS, ['A'])).toThrow(
      expect.objectContaining({ field: 'seed' }),
    );
  });
});

describe('seedProblem', () => {
  it.each(['2026-杨浦-第12批', 'abc', 'a b c', '2018-济南-第1批'])('accepts %j', (seed) => {
    expect(seedProblem(seed)).toBeNull();
  });
  it.each([
    ['', /must not be empty/],
    ['   ', /must not be empty/],
    [' abc', /begin or end with a space/],
    ['abc ', /begin or end with a space/],
    ['ab\u200bc', /zero-width/],
    ['ab\u00adc', /zero-width/],
    ['a\r\nX-Injected: 1', /line-break/],
    ['a\u2028b', /line-break/],
    ['a\tb', /spaces other than the plain space/],
    ['a\u3000b', /spaces other than the plain space/],
    ['ａｂｃ', /NFKC.*'abc'/],
    ['２０２６-杨浦', /NFKC.*'2026-杨浦'/],
  ])('refuses %j', (seed, reason) => {
    expect(seedProblem(seed)).toMatch(reason);
  });
  it('look-alike seeds cannot give different lists: drawTargets refuses them', () => {
    for (const seed of [' abc ', 'ab\u200bc', 'ａｂｃ'])
      expect(() => drawTargets(roster(8), { D: 0.5 }, seed, TIERS, ['A'])).toThrow(
        expect.objectContaining({ field: 'seed' }),
      );
  });
});
