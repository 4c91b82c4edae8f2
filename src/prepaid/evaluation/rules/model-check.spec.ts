import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RISK_MODEL } from '../../rules/default-risk-model.js';
import { checkedRiskModel, riskModelProblems } from './model-check.js';

describe('riskModelProblems (a model before it is stored)', () => {
  it('accepts the shipped model', () => {
    expect(riskModelProblems(DEFAULT_RISK_MODEL)).toEqual([]);
  });

  it('names every field at fault', () => {
    const fields = riskModelProblems({
      version: '-bad name',
      description: ' ',
      levelCuts: { blue: 10, yellow: 5, orange: 'x', red: 90, purple: 1 },
      rules: { nope: { weight: 1 }, escrow_shortfall: { weight: -1, share: {} }, lawsuits: {} },
      extra: true,
    }).map((p) => p.field);
    expect(fields.sort()).toEqual(
      [
        'version',
        'description',
        'levelCuts.yellow',
        'levelCuts.orange',
        'levelCuts.purple',
        'rules.nope',
        'rules.escrow_shortfall.weight',
        'rules.escrow_shortfall.share',
        'rules.lawsuits.weight',
        'extra',
      ].sort(),
    );
  });

  it('equal cuts are allowed (they skip the milder level); a falling cut is not', () => {
    const m = { ...DEFAULT_RISK_MODEL, levelCuts: { blue: 0, yellow: 0, orange: 50, red: 50 } };
    expect(riskModelProblems(m)).toEqual([]);
    expect(() => checkedRiskModel({ ...m, levelCuts: { blue: 0, yellow: 0, orange: 50, red: 40 } })).toThrow(
      'levelCuts.red: 40 is below',
    );
    expect(riskModelProblems(null)[0].field).toBe('(body)');
  });
});
