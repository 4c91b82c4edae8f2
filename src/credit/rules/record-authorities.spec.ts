import { describe, expect, it } from '@jest/globals';
import { DEPARTMENTS, type Department } from '../../auth/roles.js';
import { issueRefusal, mayIssue, RECORD_AUTHORITIES } from './record-authorities.js';
import { CREDIT_RECORD_KINDS, type CreditRecordKind } from './record-kinds.js';

/** The expected issuers, written out independently of the table's helpers. */
const EXPECTED: Record<CreditRecordKind, Department[] | 'all'> = {
  administrative_penalty: 'all',
  listing: ['market'],
  complaint: 'all',
  referral: 'all',
  inspection_result: 'all',
  judgment_defaulter: ['court'],
  unpaid_tax: ['tax'],
  product_spot_check: ['market'],
  judicial_case: ['court'],
  commendation: 'all',
  registration_change: ['market'],
  regulatory_measure: ['market'],
};
const departments = Object.keys(DEPARTMENTS) as Department[];

describe('RECORD_AUTHORITIES (who may post what)', () => {
  it('has one row for every record kind, each with a source', () => {
    expect(Object.keys(RECORD_AUTHORITIES).sort()).toEqual([...CREDIT_RECORD_KINDS].sort());
    for (const k of CREDIT_RECORD_KINDS) expect(RECORD_AUTHORITIES[k].source.length).toBeGreaterThan(10);
  });

  it('names only known departments', () => {
    for (const k of CREDIT_RECORD_KINDS)
      for (const d of RECORD_AUTHORITIES[k].issuers) expect(departments).toContain(d);
  });

  const cases = CREDIT_RECORD_KINDS.flatMap((kind) =>
    departments.map((dep) => {
      const e = EXPECTED[kind];
      return [kind, dep, e === 'all' || e.includes(dep)] as const;
    }),
  );
  it.each(cases)('%s by %s: %s', (kind, dep, allowed) => {
    expect(mayIssue(kind, dep)).toBe(allowed);
    const refusal = issueRefusal(kind, dep);
    if (allowed) expect(refusal).toBeNull();
    else {
      expect(refusal).toContain(kind);
      expect(refusal).toContain(`not by ${dep}`);
      expect(refusal).toContain(RECORD_AUTHORITIES[kind].source);
    }
  });

  it('refuses a department code it does not know', () => {
    expect(mayIssue('complaint', 'police')).toBe(false);
    expect(issueRefusal('judgment_defaulter', 'health')).toMatch(/issued by court only .*not by health/);
  });
});
