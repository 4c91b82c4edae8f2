import { describe, expect, it } from '@jest/globals';
import { penaltySeverity, recordPolarity } from './record-kinds.js';

describe('penaltySeverity (SAMR Order 45, domain.md 3.2)', () => {
  it.each([
    ['summary', ['fine'], 'light'],
    ['general', ['warning'], 'light'],
    ['general', ['reprimand'], 'light'],
    ['general', ['warning', 'reprimand'], 'light'],
    ['general', ['warning', 'fine'], 'general'],
    ['general', ['fine', 'confiscation'], 'general'],
    ['general', ['licence_suspension'], 'general'],
    ['general', ['fine', 'production_suspension'], 'severe'],
    ['general', ['business_restriction'], 'severe'],
    ['general', ['post_ban'], 'severe'],
    ['general', ['qualification_downgrade'], 'severe'],
    ['general', ['licence_revocation'], 'severe'],
    ['summary', ['licence_revocation'], 'severe'],
  ] as const)('%s %j -> %s', (procedure, types, expected) => {
    expect(penaltySeverity(procedure, types)).toBe(expected);
  });
});

describe('recordPolarity', () => {
  it.each([
    ['administrative_penalty', null, null, 'negative'],
    ['inspection_result', 'no_problem', null, 'positive'],
    ['inspection_result', 'problems_found', null, 'negative'],
    ['inspection_result', 'refused', null, 'negative'],
    ['inspection_result', 'not_found', null, 'negative'],
    ['product_spot_check', 'passed', null, 'positive'],
    ['product_spot_check', 'failed', null, 'negative'],
    ['judicial_case', null, 'judgment', 'neutral'],
    ['judicial_case', null, 'enforcement', 'negative'],
    ['commendation', null, null, 'positive'],
    ['complaint', null, null, 'negative'],
  ] as const)('%s %s %s -> %s', (kind, outcome, caseType, expected) => {
    expect(recordPolarity(kind, outcome, caseType)).toBe(expected);
  });
});
