import { describe, expect, it } from '@jest/globals';
import {
  ACTIVE_ON_NEW_DATABASE,
  DEFAULT_SCORECARD,
  SCORECARD_V2,
  SCORECARD_V3,
  SCORECARD_V4,
  SHIPPED_SCORECARDS,
  V4_PARAMETERS,
  v4Candidate,
} from './default-scorecard.js';
import {
  INDICATOR_KEYS,
  Scorecard,
  ScorecardError,
  expandReasons,
  indicatorValues,
  reasonRule,
  scoreEnterprise,
  storeReasons,
  tierDecision,
  tierDecisionLines,
  tierLabel,
  validateScorecard,
} from './scorecard.js';

const card = DEFAULT_SCORECARD;
const score = (v: Parameters<typeof indicatorValues>[0]) => scoreEnterprise(indicatorValues(v), card);

describe('shipped scorecards', () => {
  it('are valid; v1 weighs the indicators it was built with, v2 replaces the inspection counts and adds trend, age, related parties and the prepaid rule', () => {
    for (const c of SHIPPED_SCORECARDS) expect(validateScorecard(c)).toBe(c);
    expect(card.indicators.map((i) => i.key).sort()).toEqual(
      INDICATOR_KEYS.filter(
        (k) =>
          ![
            'inspection_violations',
            'complaints_rising',
            'new_enterprise_1y',
            'prepaid_penalties_1y',
            'related_serious_listed',
            'frequent_changes_1y',
            'micro_registered_capital',
            'inspections_failed_share',
          ].includes(k),
      ).sort(),
    );
    expect(SCORECARD_V2.indicators.map((i) => i.key).sort()).toEqual(
      INDICATOR_KEYS.filter(
        (k) =>
          ![
            'inspections_failed_2y',
            'inspections_passed_2y',
            'prepaid_penalties_1y',
            'frequent_changes_1y',
            'micro_registered_capital',
            'inspections_failed_share',
          ].includes(k),
      ).sort(),
    );
    // v3 is v2 plus the two new groups, nothing else changed
    expect(SCORECARD_V3.indicators.slice(0, SCORECARD_V2.indicators.length)).toEqual(SCORECARD_V2.indicators);
    expect(SCORECARD_V3.indicators.slice(SCORECARD_V2.indicators.length).map((i) => i.key)).toEqual([
      'frequent_changes_1y',
      'micro_registered_capital',
    ]);
    expect({ ...SCORECARD_V3, indicators: [], version: '', description: '' }).toEqual({
      ...SCORECARD_V2,
      indicators: [],
      version: '',
      description: '',
    });
    // every indicator is weighed or bases a hard rule in v3 (the newest)
    const usedByV3 = new Set([
      ...SCORECARD_V3.indicators.map((i) => i.key),
      ...SCORECARD_V3.overrides.map((o) => o.indicator),
    ]);
    expect(INDICATOR_KEYS.filter((k) => !usedByV3.has(k) && !k.startsWith('inspections_'))).toEqual([]);
    expect(SHIPPED_SCORECARDS.map((c) => c.version)).toEqual(['v1', 'v2', 'v3', 'v4']);
    // v4 is stored for a regulator to activate; a new database starts with v3 (docs/evaluation.md)
    expect(ACTIVE_ON_NEW_DATABASE).toBe('v3');
  });

  it('v4: v3 with 25 points per unit of the recency-weighted findings (at most 60) and tier D below 50', () => {
    const v4 = (v: Parameters<typeof indicatorValues>[0]) =>
      scoreEnterprise(indicatorValues(v), SCORECARD_V4);
    expect(v4({ inspection_violations: 0.4 })).toMatchObject({ score: 90, tier: 'A' }); // threshold inclusive
    expect(v4({ inspection_violations: 1 })).toMatchObject({ score: 75, tier: 'B' });
    expect(v4({ inspection_violations: 1.2 })).toMatchObject({ score: 70, tier: 'C' });
    expect(v4({ inspection_violations: 2 })).toMatchObject({ score: 50, tier: 'C' }); // 50 is still C
    expect(v4({ inspection_violations: 2.04 })).toMatchObject({ score: 49, tier: 'D' });
    expect(v4({ inspection_violations: 10 })).toMatchObject({ score: 40, tier: 'D' }); // capped at -60
    // the lifetime share is not weighed (the choice gave it 0 points); hard rules as v3
    expect(v4({ inspections_failed_share: 1 })).toMatchObject({ score: 100, tier: 'A' });
    expect(v4({ serious_listed: 1 }).tier).toBe('D');
    expect(v4({ frequent_changes_1y: 3 })).toMatchObject({ score: 88, tier: 'B' });
    expect(SCORECARD_V4.tiers.map((t) => [t.tier, t.minScore])).toEqual([
      ['A', 90],
      ['B', 75],
      ['C', 50],
      ['D', 0],
    ]);
    expect(SCORECARD_V4.overrides).toEqual(SCORECARD_V3.overrides);
    expect(SCORECARD_V4.recency).toEqual(SCORECARD_V3.recency);
    // v4 is the candidate of its parameters, nothing else changed
    expect({ ...SCORECARD_V4, version: '', description: '' }).toEqual({
      ...v4Candidate(SCORECARD_V3, V4_PARAMETERS),
      version: '',
      description: '',
    });
  });

  it('v4 candidates: the half-life, the points, the lifetime share of failed inspections and D cut-off as given', () => {
    const c = v4Candidate(SCORECARD_V3, {
      halfLifeYears: 1,
      violationPoints: 15,
      failedSharePoints: 20,
      dBelow: 45,
    });
    expect(validateScorecard(c)).toBe(c);
    expect(c.version).toBe('v4-hl1-s15-w20-d45');
    expect(c.recency).toEqual({ ...SCORECARD_V3.recency, halfLifeYears: 1 });
    const score = (v: Parameters<typeof indicatorValues>[0]) => scoreEnterprise(indicatorValues(v), c);
    // a lifetime share of 0.5 of failed inspections costs 10 points, at most 20
    expect(score({ inspections_failed_share: 0.5 })).toMatchObject({ score: 90, tier: 'A' });
    expect(score({ inspections_failed_share: 1 }).reasons[0]).toMatchObject({
      code: 'inspections_failed_share',
      zh: '历次检查发现问题的比例',
      value: 1,
      points: -20,
    });
    expect(score({ inspection_violations: 2, inspections_failed_share: 0.5 })).toMatchObject({
      score: 60,
      tier: 'C',
    });
    expect(score({ inspection_violations: 4 })).toMatchObject({ score: 40, tier: 'D' }); // 45 is C's cut-off
    // no points for the share: the indicator is not listed at all
    const without = v4Candidate(SCORECARD_V3, { ...V4_PARAMETERS, failedSharePoints: 0 });
    expect(without.indicators.map((i) => i.key)).not.toContain('inspections_failed_share');
  });

  it('v2: 20 points per unit of the recency-weighted violations (square root), at most 60; same hard rules', () => {
    const v2 = (v: Parameters<typeof indicatorValues>[0]) =>
      scoreEnterprise(indicatorValues(v), SCORECARD_V2);
    expect(v2({ inspection_violations: 0.5 })).toMatchObject({ score: 90, tier: 'A' }); // threshold inclusive
    expect(v2({ inspection_violations: 1 })).toMatchObject({ score: 80, tier: 'B' });
    expect(v2({ inspection_violations: 2.25 })).toMatchObject({ score: 55, tier: 'C' });
    expect(v2({ inspection_violations: 10 })).toMatchObject({ score: 40, tier: 'D' }); // capped at -60
    expect(v2({ inspections_failed_2y: 3 })).toMatchObject({ score: 100, tier: 'A' }); // not weighed in v2
    expect(v2({ serious_listed: 1 }).tier).toBe('D');
    expect(v2({ judgment_defaulter: 1 }).tier).toBe('C');
    expect(v2({ complaints_rising: 2 })).toMatchObject({ score: 96, tier: 'A' });
    expect(v2({ complaints_rising: 9 })).toMatchObject({ score: 94 }); // at most 6
    expect(v2({ new_enterprise_1y: 1 })).toMatchObject({ score: 97, tier: 'A' });
  });

  it('v3: -4 per key change in a year beyond the first (at most 12), -2 for a capital below 100,000 yuan', () => {
    const v3 = (v: Parameters<typeof indicatorValues>[0]) =>
      scoreEnterprise(indicatorValues(v), SCORECARD_V3);
    expect(v3({})).toMatchObject({ score: 100, tier: 'A' });
    expect(v3({ frequent_changes_1y: 1 })).toMatchObject({ score: 96, tier: 'A' });
    expect(v3({ frequent_changes_1y: 3 })).toMatchObject({ score: 88, tier: 'B' });
    expect(v3({ frequent_changes_1y: 7 })).toMatchObject({ score: 88 }); // at most 12
    expect(v3({ micro_registered_capital: 1 })).toMatchObject({ score: 98, tier: 'A' });
    const both = v3({ frequent_changes_1y: 2, micro_registered_capital: 1, inspection_violations: 1 });
    expect(both).toMatchObject({ score: 70, tier: 'C' });
    expect(both.reasons.map((r) => r.code)).toEqual([
      'inspection_violations',
      'frequent_changes_1y',
      'micro_registered_capital',
    ]);
    // v2 does not weigh them
    expect(scoreEnterprise(indicatorValues({ frequent_changes_1y: 3 }), SCORECARD_V2).score).toBe(100);
  });

  it('v2 hard rule: a prepaid-card issuer with 2 or more penalties in a year is tier D, with 1 it is not', () => {
    const v2 = (v: Parameters<typeof indicatorValues>[0]) =>
      scoreEnterprise(indicatorValues(v), SCORECARD_V2);
    const one = v2({ prepaid_penalties_1y: 1, penalty_light_1y: 1 });
    expect(one.tier).toBe('A');
    const two = v2({ prepaid_penalties_1y: 2, penalty_light_1y: 2 });
    expect(two).toMatchObject({ score: 96, tier: 'D' });
    expect(two.reasons[0]).toMatchObject({ code: 'override:prepaid_penalties', value: 2 });
    expect(() =>
      validateScorecard({ ...SCORECARD_V2, overrides: [{ ...SCORECARD_V2.overrides[2]!, minValue: 0 }] }),
    ).toThrow(/overrides\[0\].minValue/);
  });

  it('refuses bad recency parameters, naming the field', () => {
    const bad = (recency: unknown) => () => validateScorecard({ ...SCORECARD_V2, recency } as Scorecard);
    expect(bad({ ...SCORECARD_V2.recency, halfLifeYears: 0 })).toThrow(/recency.halfLifeYears/);
    expect(bad({ ...SCORECARD_V2.recency, horizonYears: -1 })).toThrow(/recency.horizonYears/);
    expect(bad({ ...SCORECARD_V2.recency, inspectionWeights: { severe: 1, major: -1, minor: 0 } })).toThrow(
      /recency.inspectionWeights.major/,
    );
  });
});

describe('scoreEnterprise: points', () => {
  it('no records: base score, best tier, no reasons', () => {
    expect(score({})).toEqual({ score: 100, tier: 'A', reasons: [], breakdown: [] });
  });

  it('one general penalty last year costs 12 points: 88 -> B', () => {
    const r = score({ penalty_general_1y: 1 });
    expect(r.score).toBe(88);
    expect(r.tier).toBe('B');
    expect(r.reasons).toEqual([
      {
        code: 'penalty_general_1y',
        zh: '近1年一般行政处罚',
        en: 'general penalties, last year',
        value: 1,
        points: -12,
      },
    ]);
  });

  it('caps an indicator at maxPoints', () => {
    expect(score({ complaints_1y: 100 }).score).toBe(85);
  });

  it('positive records add points but never above maxScore', () => {
    expect(score({ commendations: 3 }).score).toBe(100);
    expect(score({ commendations: 1, penalty_general_1y: 1 }).score).toBe(93);
  });

  it('clamps at minScore', () => {
    const r = score({
      penalty_severe_1y: 5,
      penalty_general_1y: 5,
      anomaly_listed: 1,
      unpaid_tax: 1,
      spot_checks_failed_2y: 3,
    });
    expect(r.score).toBe(0);
    expect(r.tier).toBe('D');
  });

  it.each([
    [{ penalty_general_1y: 1 }, 'B'], // 88
    [{ anomaly_listed: 1 }, 'B'], // 80
    [{ anomaly_listed: 1, anomaly_listings_3y: 2 }, 'C'], // 72
    [{ penalty_severe_1y: 1, complaints_1y: 2 }, 'C'], // 64
    [{ penalty_severe_1y: 1, penalty_general_1y: 2 }, 'D'], // 46
    [{ inspections_failed_2y: 1 }, 'A'], // 90: the threshold itself is inclusive
  ])('%j -> tier %s', (v, tier) => {
    expect(score(v).tier).toBe(tier);
  });

  it('orders reasons by absolute points and keeps at most maxReasons', () => {
    const r = score({
      complaints_1y: 1,
      penalty_severe_1y: 1,
      commendations: 1,
      referrals_1y: 1,
      unpaid_tax: 1,
      spot_checks_failed_2y: 1,
    });
    expect(r.reasons.map((x) => x.code)).toEqual([
      'penalty_severe_1y',
      'unpaid_tax',
      'spot_checks_failed_2y',
      'commendations',
      'referrals_1y',
    ]);
  });
});

describe('scoreEnterprise: hard rules', () => {
  it('serious list -> D whatever the points', () => {
    const r = score({ serious_listed: 1, commendations: 2 });
    expect(r.tier).toBe('D');
    expect(r.reasons[0]!.code).toBe('override:serious_list');
  });
  it('judgment defaulter -> at least C', () => {
    expect(score({ judgment_defaulter: 1 }).tier).toBe('C'); // 80 would be B
    expect(score({ judgment_defaulter: 1, penalty_severe_1y: 2 }).tier).toBe('D'); // points already D
  });
});

describe('validateScorecard', () => {
  const bad = (patch: Partial<Scorecard>) => () => validateScorecard({ ...card, ...patch });
  it('refuses unknown indicators, unordered tiers, uncovered scores and unknown override tiers', () => {
    expect(
      bad({ indicators: [{ key: 'nope' as never, label: { zh: '', en: '' }, pointsPerUnit: 1 }] }),
    ).toThrow(/indicators\[0\]\.key/);
    expect(bad({ tiers: [card.tiers[1]!, card.tiers[0]!] })).toThrow(/tiers\[1\]/);
    expect(bad({ tiers: [{ tier: 'A', minScore: 50, label: { zh: '', en: '' } }] })).toThrow(/lowest score/);
    expect(bad({ overrides: [{ ...card.overrides[0]!, minTier: 'E' }] })).toThrow(/minTier/);
    expect(bad({ version: 'has space' })).toThrow(ScorecardError);
  });
});

describe('stored reasons', () => {
  it('round-trip through the compact form with the labels of the scorecard', () => {
    const r = score({ serious_listed: 1, complaints_1y: 2, commendations: 1 });
    const stored = storeReasons(r.reasons);
    expect(stored[0]).toEqual(['override:serious_list', 1, 0]);
    expect(expandReasons(stored, card)).toEqual(r.reasons);
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(r.reasons).length / 3);
  });
});

describe('v2: related parties', () => {
  it('costs 15 points per other enterprise of the same legal representative on the serious list, at most 30', () => {
    const v2 = (v: Parameters<typeof indicatorValues>[0]) =>
      scoreEnterprise(indicatorValues(v), SCORECARD_V2);
    expect(v2({ related_serious_listed: 1 })).toMatchObject({ score: 85, tier: 'B' });
    expect(v2({ related_serious_listed: 5 })).toMatchObject({ score: 70, tier: 'C' });
  });
});

describe('reasonRule and tierLabel', () => {
  it('name the indicator behind a reason code, a hard rule included, and the label of a tier', () => {
    expect(reasonRule(SCORECARD_V3, 'frequent_changes_1y')).toEqual({
      label: SCORECARD_V3.indicators.find((i) => i.key === 'frequent_changes_1y')!.label,
      indicator: 'frequent_changes_1y',
    });
    expect(reasonRule(SCORECARD_V3, 'override:prepaid_penalties')?.indicator).toBe('prepaid_penalties_1y');
    expect(reasonRule(DEFAULT_SCORECARD, 'frequent_changes_1y')).toBeUndefined(); // not in v1
    expect(reasonRule(DEFAULT_SCORECARD, 'override:nope')).toBeUndefined();
    expect(tierLabel(SCORECARD_V3, 'D')).toEqual({ zh: '信用风险高', en: 'high risk' });
    expect(tierLabel(SCORECARD_V3, 'E')).toEqual({ zh: 'E', en: 'E' });
  });
});

describe('tierDecision: which rule decided the tier', () => {
  const v3 = SCORECARD_V3;
  it('shows the cut-offs of the version, best tier first', () => {
    expect(tierDecision(v3, 100, []).cutOffs).toEqual([
      { tier: 'A', minScore: 90, label: v3.tiers[0]!.label },
      { tier: 'B', minScore: 75, label: v3.tiers[1]!.label },
      { tier: 'C', minScore: 55, label: v3.tiers[2]!.label },
      { tier: 'D', minScore: 0, label: v3.tiers[3]!.label },
    ]);
  });
  it("53 in tier D: the score is below C's cut-off 55", () => {
    const d = tierDecision(v3, 53, []);
    expect(d).toMatchObject({
      decidedBy: 'score',
      tier: 'D',
      score: 53,
      scoreTier: 'D',
      scoreTierMinScore: 0,
      nextBetter: { tier: 'C', minScore: 55 },
      hardRule: null,
      hardRules: [],
    });
    expect(d.summary.en).toBe("score 53 reaches D's cut-off 0 and is below C's 55: tier D by score");
    expect(d.summary.zh).toBe('评分53达到D类下限0、低于C类下限55，按评分为D类');
    // Chinese punctuation in the Chinese text (the page prints it after 按评分定级：)
    expect(d.summary.zh).not.toMatch(/[:;]\s|,\s/);
  });
  it('cut-offs are inclusive; the best tier has no better one', () => {
    expect(tierDecision(v3, 55, []).tier).toBe('C');
    expect(tierDecision(v3, 54.99, []).tier).toBe('D');
    expect(tierDecision(v3, 90, [])).toMatchObject({ tier: 'A', nextBetter: null });
    expect(tierDecision(v3, 90, []).summary.en).toBe("score 90 reaches A's cut-off 90: tier A by score");
  });
  it('a hard rule that lowers the tier decides it, with what the score alone gives', () => {
    const r = scoreEnterprise(indicatorValues({ judgment_defaulter: 1 }), v3); // 80: B by score
    const d = tierDecision(v3, r.score, r.breakdown);
    expect(d).toMatchObject({
      decidedBy: 'hard_rule',
      tier: 'C',
      scoreTier: 'B',
      scoreTierMinScore: 75,
      nextBetter: { tier: 'A', minScore: 90 },
      hardRule: {
        code: 'override:judgment_defaulter',
        indicator: 'judgment_defaulter',
        value: 1,
        minTier: 'C',
        decisive: true,
      },
    });
    expect(d.hardRule!.source).toMatch(/失信被执行人/);
    expect(d.summary.en).toBe(
      `score 80 reaches B's cut-off 75 and is below A's 90, which alone gives tier B; hard rule "judgment defaulter: at least tier C" applies (judgment_defaulter = 1): tier C`,
    );
    expect(d.summary.zh).toMatch(
      /，仅按评分为B类；硬性规则「失信被执行人, 至少列为C类」适用（judgment_defaulter = 1），定为C类$/,
    );
  });
  it('of several hard rules the one setting the worst tier decides; the others are listed', () => {
    const d = tierDecision(v3, 90, [
      { code: 'override:serious_list', value: 1 },
      { code: 'override:judgment_defaulter', value: 1 },
    ]);
    expect(d).toMatchObject({ decidedBy: 'hard_rule', tier: 'D', scoreTier: 'A' });
    expect(d.hardRule!.code).toBe('override:serious_list');
    expect(d.hardRules.map((h) => [h.code, h.decisive])).toEqual([
      ['override:serious_list', true],
      ['override:judgment_defaulter', false],
    ]);
  });
  it('a hard rule that changes nothing leaves the decision to the score, and says so', () => {
    const d = tierDecision(v3, 40, [{ code: 'override:judgment_defaulter', value: 1 }]);
    expect(d).toMatchObject({ decidedBy: 'score', tier: 'D', hardRule: null });
    expect(d.hardRules[0]).toMatchObject({ code: 'override:judgment_defaulter', decisive: false });
    expect(d.summary.en).toMatch(
      /tier D by score; hard rule "judgment defaulter: at least tier C" also applies/,
    );
  });
  it('ignores indicator reasons and codes the version does not know', () => {
    const d = tierDecision(v3, 95, [
      { code: 'penalty_light_1y', value: 1 },
      { code: 'override:gone', value: 1 },
    ]);
    expect(d).toMatchObject({ decidedBy: 'score', tier: 'A', hardRules: [] });
  });
  it("gives scoreEnterprise's tier for every shipped version, from fresh and from stored reasons", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const c of SHIPPED_SCORECARDS)
      for (let i = 0; i < 2000; i++) {
        const values = indicatorValues(
          Object.fromEntries(INDICATOR_KEYS.map((k) => [k, rnd(4) ? 0 : rnd(3)])),
        );
        const r = scoreEnterprise(values, c);
        const fresh = tierDecision(c, r.score, r.breakdown);
        const stored = tierDecision(c, r.score, expandReasons(storeReasons(r.breakdown), c));
        expect(fresh.tier).toBe(r.tier);
        expect(stored).toEqual(fresh);
        expect(fresh.decidedBy === 'score').toBe(fresh.scoreTier === r.tier);
      }
  });
});

describe('tierDecisionLines', () => {
  it('names who decided, the sentence in both languages, and the cut-offs', () => {
    expect(tierDecisionLines(tierDecision(SCORECARD_V3, 53, []))).toEqual([
      'tier D, decided by the score: 评分53达到D类下限0、低于C类下限55，按评分为D类',
      "  score 53 reaches D's cut-off 0 and is below C's 55: tier D by score",
      'cut-offs: A >= 90, B >= 75, C >= 55, D >= 0',
    ]);
    const lines = tierDecisionLines(
      tierDecision(SCORECARD_V3, 90, [{ code: 'override:serious_list', value: 1 }]),
    );
    expect(lines[0]).toMatch(/^tier D, decided by the hard rule override:serious_list: 评分90/);
  });
});
