import { PUBLICATION_REGIMES } from '../../penalties/rules/publication-regimes.js';
import { describe, expect, it } from '@jest/globals';
import { RECORD_TEXT_LIMITS, beforeEstablishmentReason, checkCreditRecord } from './credit-record-input.js';

const base = { recordDate: '2026-03-01', sourceDepartment: '区市场监管局' };

describe('checkCreditRecord', () => {
  it('accepts a general-procedure fine and derives severity and polarity', () => {
    const r = checkCreditRecord({
      ...base,
      kind: 'administrative_penalty',
      decisionNo: '沪市监杨处〔2026〕1号',
      procedure: 'general',
      penaltyTypes: ['fine'],
      fineFen: 500000,
    });
    expect(r).toMatchObject({
      ok: true,
      record: { penaltySeverity: 'general', polarity: 'negative', fineFen: 500000 },
    });
  });

  it('reports every missing penalty field by name', () => {
    const r = checkCreditRecord({ ...base, kind: 'administrative_penalty', penaltyTypes: ['fine', 'spank'] });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.field).sort()).toEqual([
        'decisionNo',
        'fineFen',
        'penaltyTypes',
        'procedure',
      ]);
  });

  it('requires the fine amount when the penalty includes a fine', () => {
    const r = checkCreditRecord({
      ...base,
      kind: 'administrative_penalty',
      decisionNo: 'x',
      procedure: 'general',
      penaltyTypes: ['fine'],
    });
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'fineFen', reason: 'required when the penalty includes a fine' },
    ]);
  });

  it('listing takes its record date from listedOn and refuses removal before listing', () => {
    const ok = checkCreditRecord({
      kind: 'listing',
      sourceDepartment: 'x',
      listType: 'anomaly',
      listedOn: '2025-01-02',
    });
    expect(ok).toMatchObject({ ok: true, record: { recordDate: '2025-01-02', listedOn: '2025-01-02' } });
    const bad = checkCreditRecord({
      kind: 'listing',
      sourceDepartment: 'x',
      listType: 'anomaly',
      listedOn: '2025-01-02',
      removedOn: '2024-12-31',
    });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['removedOn']);
  });

  it.each([
    [{ kind: 'inspection_result', outcome: 'no_problem' }, 'positive'],
    [{ kind: 'inspection_result', outcome: 'problems_found' }, 'negative'],
    [{ kind: 'inspection_result', outcome: 'not_found' }, 'negative'],
    [{ kind: 'judicial_case', caseType: 'judgment' }, 'neutral'],
    [{ kind: 'commendation' }, 'positive'],
    [{ kind: 'unpaid_tax', amountFen: 100 }, 'negative'],
    [{ kind: 'registration_change', changeItem: 'legal_representative' }, 'neutral'],
  ])('%j -> %s', (extra, polarity) => {
    expect(checkCreditRecord({ ...base, ...extra })).toMatchObject({ ok: true, record: { polarity } });
  });

  it.each([
    [{ kind: 'gossip' }, 'kind'],
    [{ kind: 'complaint', recordDate: '2026-02-30' }, 'recordDate'],
    [{ kind: 'complaint', sourceDepartment: ' ' }, 'sourceDepartment'],
    [{ kind: 'complaint', validUntil: '2026-01-01' }, 'validUntil'],
    [{ kind: 'inspection_result', outcome: 'fine' }, 'outcome'],
    [{ kind: 'unpaid_tax', amountFen: -1 }, 'amountFen'],
    [{ kind: 'unpaid_tax', amountFen: 1.5 }, 'amountFen'],
    [{ kind: 'judicial_case' }, 'caseType'],
    [{ kind: 'registration_change' }, 'changeItem'],
    [{ kind: 'registration_change', changeItem: 'ceo' }, 'changeItem'],
  ])('%j is refused at field %s', (extra, field) => {
    const r = checkCreditRecord({ ...base, ...extra });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toContain(field);
  });

  it('keeps the changed particular of a registration change, and only for that kind', () => {
    expect(
      checkCreditRecord({ ...base, kind: 'registration_change', changeItem: ' address ' }),
    ).toMatchObject({
      ok: true,
      record: { kind: 'registration_change', changeItem: 'address', polarity: 'neutral' },
    });
    expect(checkCreditRecord({ ...base, kind: 'complaint', changeItem: 'address' })).toMatchObject({
      ok: true,
      record: { changeItem: null },
    });
    for (const [given, item] of [
      ['法定代表人', 'legal_representative'],
      ['REGISTERED_CAPITAL', 'registered_capital'],
      ['股东', 'shareholders'],
      ['经营场所', 'address'],
    ])
      expect(checkCreditRecord({ ...base, kind: 'registration_change', changeItem: given })).toMatchObject({
        ok: true,
        record: { changeItem: item },
      });
    const bad = checkCreditRecord({ ...base, kind: 'registration_change', changeItem: 'ceo' });
    expect(bad.ok ? [] : bad.errors).toEqual([
      {
        field: 'changeItem',
        reason:
          "'ceo' is not one of name, legal_representative, address, registered_capital, business_scope, shareholders, other (or their Chinese labels)",
      },
    ]);
  });

  it('refuses a record dated after today when today is given', () => {
    const r = checkCreditRecord({ ...base, kind: 'complaint', recordDate: '2026-12-01' }, '2026-11-30');
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'recordDate', reason: '2026-12-01 is in the future (today is 2026-11-30)' },
    ]);
    expect(checkCreditRecord({ ...base, kind: 'complaint', recordDate: '2026-11-30' }, '2026-11-30').ok).toBe(
      true,
    );
  });
});

describe('checkCreditRecord: inspection violation counts', () => {
  const base = {
    kind: 'inspection_result',
    recordDate: '2026-01-02',
    sourceDepartment: '杨浦区市场监督管理局',
  };
  it('accepts whole counts; refuses fractions, negatives, huge numbers and text', () => {
    expect(
      checkCreditRecord({ ...base, outcome: 'problems_found', details: { severe: 2, major: 1, minor: 0 } })
        .ok,
    ).toBe(true);
    for (const severe of [1.5, -1, 1e308, '2'])
      expect(checkCreditRecord({ ...base, outcome: 'problems_found', details: { severe } })).toMatchObject({
        ok: false,
        errors: [{ field: 'details.severe' }],
      });
  });
  it('refuses severe violations on an inspection without problems', () => {
    expect(checkCreditRecord({ ...base, outcome: 'no_problem', details: { severe: 1 } })).toMatchObject({
      ok: false,
      errors: [{ field: 'details.severe', reason: expect.stringMatching(/no_problem/) }],
    });
    expect(checkCreditRecord({ ...base, outcome: 'no_problem', details: { minor: 3 } }).ok).toBe(true);
  });
});

describe('checkCreditRecord: dates and text through the shared parser and limits', () => {
  const complaint = { kind: 'complaint', sourceDepartment: '12315' };
  it('reads every date form; a month-only date is its first day and marks the record estimated', () => {
    expect(checkCreditRecord({ ...complaint, recordDate: '二〇二三年五月四日' })).toMatchObject({
      ok: true,
      record: { recordDate: '2023-05-04', dateEstimated: false },
    });
    expect(checkCreditRecord({ ...complaint, recordDate: '2023-05-01T00:30:00+09:00' })).toMatchObject({
      record: { recordDate: '2023-04-30' },
    });
    expect(checkCreditRecord({ ...complaint, recordDate: '2023年04月' })).toMatchObject({
      record: { recordDate: '2023-04-01', dateEstimated: true },
    });
    const listing = checkCreditRecord({
      kind: 'listing',
      sourceDepartment: 'x',
      listType: 'anomaly',
      listedOn: '2022-07',
    });
    expect(listing).toMatchObject({
      record: { recordDate: '2022-07-01', listedOn: '2022-07-01', dateEstimated: true },
    });
  });
  it('reads Excel serials only when the caller allows them', () => {
    expect(
      checkCreditRecord({ ...complaint, recordDate: '45047' }, undefined, { excelSerial: true }),
    ).toMatchObject({
      record: { recordDate: '2023-05-01' },
    });
    const api = checkCreditRecord({ ...complaint, recordDate: '45047' });
    expect(api.ok ? [] : api.errors).toEqual([
      { field: 'recordDate', reason: expect.stringMatching(/a number, not a date/) },
    ]);
  });
  it('refuses a day that does not exist and a non-text date, naming the field', () => {
    const r = checkCreditRecord({ ...complaint, recordDate: '2023年2月30日', validUntil: 5 as never });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['recordDate', 'validUntil']);
  });
  it('applies RECORD_TEXT_LIMITS and refuses unstorable characters', () => {
    const r = checkCreditRecord({
      ...complaint,
      recordDate: '2024-01-01',
      subject: 'x'.repeat(RECORD_TEXT_LIMITS.subject + 1),
      channel: 'a\u0000',
    });
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'channel', reason: expect.stringMatching(/NUL/) },
      { field: 'subject', reason: 'longer than 500 characters (501)' },
    ]);
  });
  it('beforeEstablishmentReason', () => {
    expect(beforeEstablishmentReason('2020-06-14', '2020-06-15')).toBe(
      '2020-06-14 is before the enterprise was established (2020-06-15)',
    );
    expect(beforeEstablishmentReason('2020-06-15', '2020-06-15')).toBeNull();
    expect(beforeEstablishmentReason('1990-01-01', null)).toBeNull();
  });
});

describe('penalty publication window (issue 13): one normalisation for the API, CSV and Jinan', () => {
  const periods = {
    regimes: PUBLICATION_REGIMES,
    thresholds: { organisationFen: 10_000_000, naturalPersonFen: 1_000_000 },
  };
  const pen = (extra: object = {}) => ({
    kind: 'administrative_penalty',
    recordDate: '2023-06-01',
    sourceDepartment: '杨浦区市场监督管理局',
    decisionNo: '沪市监杨处〔2023〕9号',
    procedure: 'general',
    penaltyTypes: ['fine'],
    fineFen: 10_000_000,
    ...extra,
  });
  it('stores the window and validUntil = the day after the last day', () => {
    const c = checkCreditRecord(pen({ domain: 'fire' }), '2026-12-01', { periods });
    expect(c.ok && c.record).toMatchObject({
      regimeCode: 'SH-2023',
      publicationStart: '2023-06-01',
      publicationLastDay: '2026-06-01',
      validUntil: '2026-06-02',
      earliestRepairOn: '2024-06-02',
      neverEndedEarly: false,
      periodProvisional: false,
    });
  });
  it("a natural person's fine at its threshold is not lower; publishedOn moves the start", () => {
    const c = checkCreditRecord(
      pen({ partyType: 'natural_person', fineFen: 1_000_000, publishedOn: '2023-06-10' }),
      undefined,
      { periods },
    );
    expect(c.ok && c.record).toMatchObject({
      publicationStart: '2023-06-10',
      publicationLastDay: '2026-06-10',
    });
  });
  it('not published (summary procedure): regime named, no window, validUntil NULL', () => {
    const c = checkCreditRecord(pen({ procedure: 'summary' }), undefined, { periods });
    expect(c.ok && c.record).toMatchObject({
      regimeCode: 'SH-2023',
      publicationLastDay: null,
      validUntil: null,
    });
  });
  it('refuses a validUntil for a penalty under a regime, a bad domain or party, publishedOn before the decision', () => {
    const c = checkCreditRecord(
      pen({ validUntil: '2024-01-01', domain: 'toys', partyType: 'company', publishedOn: '2023-05-01' }),
      undefined,
      { periods },
    );
    expect(c.ok).toBe(false);
    const fields = !c.ok ? c.errors.map((e) => e.field).sort() : [];
    expect(fields).toEqual(['domain', 'partyType', 'publishedOn']);
    const v = checkCreditRecord(pen({ validUntil: '2024-01-01' }), undefined, { periods });
    expect(!v.ok && v.errors).toEqual([
      { field: 'validUntil', reason: expect.stringContaining('publication period') },
    ]);
  });
  it('a penalty before the first regime (2021-09-01) keeps the validUntil given and gets no window', () => {
    const c = checkCreditRecord(pen({ recordDate: '2021-08-31', validUntil: '2024-08-31' }), undefined, {
      periods,
    });
    expect(c.ok && c.record).toMatchObject({
      regimeCode: null,
      validUntil: '2024-08-31',
      publicationLastDay: null,
    });
  });
  it('without period inputs (pure checks) nothing is computed', () => {
    const c = checkCreditRecord(pen());
    expect(c.ok && c.record).toMatchObject({ regimeCode: null, validUntil: null });
  });
});
