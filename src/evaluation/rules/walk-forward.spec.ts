import { describe, expect, it } from '@jest/globals';
import { chooseByWorstPeriod, type CandidateFigures } from './walk-forward.js';

const period = (p: string, auc: number, lift: number, minTierShare = 0.2, monotonic = true) => ({
  period: p,
  stratifiedAuc: auc,
  lift,
  monotonic,
  minTierShare,
});
const cand = (key: string, ...periods: ReturnType<typeof period>[]): CandidateFigures<string> => ({
  key,
  params: key,
  periods,
});

describe('chooseByWorstPeriod', () => {
  it('rewards the worst period, not the mean', () => {
    const steady = cand('steady', period('2010', 0.66, 3), period('2011', 0.66, 3));
    const peaky = cand('peaky', period('2010', 0.62, 3), period('2011', 0.74, 3)); // mean 0.68
    const c = chooseByWorstPeriod([peaky, steady]);
    expect(c.chosen?.key).toBe('steady');
    expect(c.chosen?.worstAuc).toBe(0.66);
  });

  it('among AUCs within the tolerance of the best worst period, takes the best worst-period lift', () => {
    const a = cand('a', period('2010', 0.66, 2.5), period('2011', 0.67, 3));
    const b = cand('b', period('2010', 0.657, 2.9), period('2011', 0.66, 2.8)); // 0.003 below: equal
    const far = cand('far', period('2010', 0.65, 5), period('2011', 0.65, 5)); // 0.01 below: not
    const c = chooseByWorstPeriod([a, b, far]);
    expect(c.ranking.map((r) => r.key)).toEqual(['b', 'a', 'far']);
  });

  it('refuses a candidate whose tiers do not rise or whose smallest tier is under the minimum, in any period, saying why', () => {
    const flat = cand('flat', period('2010', 0.7, 4, 0.2, false), period('2011', 0.7, 4));
    const thin = cand('thin', period('2010', 0.7, 4), period('2011', 0.7, 4, 0.06));
    const ok = cand('ok', period('2010', 0.6, 2), period('2011', 0.6, 2));
    const c = chooseByWorstPeriod([flat, thin, ok]);
    expect(c.chosen?.key).toBe('ok');
    expect(c.ranking.find((r) => r.key === 'flat')!.refused).toEqual([
      '2010: tier rates do not rise strictly',
    ]);
    expect(c.ranking.find((r) => r.key === 'thin')!.refused).toEqual(['2011: smallest tier 6.0% < 10%']);
  });

  it('chooses nothing when nothing is admissible; remaining ties go to the earlier (simpler) candidate', () => {
    expect(chooseByWorstPeriod([cand('x', period('2010', 0.7, 4, 0.01))]).chosen).toBeNull();
    const twins = [cand('simple', period('2010', 0.66, 3)), cand('complex', period('2010', 0.66, 3))];
    expect(chooseByWorstPeriod(twins).chosen?.key).toBe('simple');
  });

  it('refuses an empty list and a candidate without periods', () => {
    expect(() => chooseByWorstPeriod([])).toThrow(RangeError);
    expect(() => chooseByWorstPeriod([cand('none')])).toThrow(/has no period/);
  });
});
