import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SCORECARD, SCORECARD_V3, v4Candidate } from './default-scorecard.js';
import { CREDIT_RECORD_KINDS } from './record-kinds.js';
import {
  type CountedRecord,
  addMonths,
  chineseDate,
  indicatorsFedOn,
  penaltyNotPublished,
  recordCounting,
} from './record-counting.js';

const plain = { prepaidIssuer: false };
const rec = (r: Partial<CountedRecord> & { kind: string; recordDate: string }): CountedRecord => ({
  validUntil: null,
  polarity: 'negative',
  ...r,
});
const at = (r: CountedRecord, today: string, card = SCORECARD_V3, e = plain) =>
  recordCounting(r, e, card, today);

describe('date helpers', () => {
  it('adds months as PostgreSQL does, clamping the day to the month', () => {
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(addMonths('2025-08-31', -6)).toBe('2025-02-28');
    expect(addMonths('2024-05-31', 36)).toBe('2027-05-31');
    expect(addMonths('2024-01-15', -1)).toBe('2023-12-15');
  });
  it('writes dates the Chinese way', () => {
    expect(chineseDate('2027-05-31')).toBe('2027年5月31日');
    expect(chineseDate('2026-01-09')).toBe('2026年1月9日');
  });
});

describe('recordCounting (scorecard v3)', () => {
  // one record of every kind, dated 2026-06-01, as of 2026-12-01
  const day = '2026-06-01';
  const today = '2026-12-01';
  const samples: Record<(typeof CREDIT_RECORD_KINDS)[number], [CountedRecord, boolean, string | null]> = {
    administrative_penalty: [
      rec({ kind: 'administrative_penalty', recordDate: day, penaltySeverity: 'general' }),
      true,
      '2029-05-31',
    ],
    listing: [
      rec({ kind: 'listing', recordDate: day, listType: 'anomaly', listedOn: day }),
      true,
      null, // on the list with no removal: open
    ],
    complaint: [rec({ kind: 'complaint', recordDate: day }), true, '2027-05-31'],
    referral: [rec({ kind: 'referral', recordDate: day }), true, '2027-05-31'],
    inspection_result: [
      rec({ kind: 'inspection_result', recordDate: day, outcome: 'problems_found' }),
      true,
      '2029-05-31', // horizon 3 years = 1096 days
    ],
    judgment_defaulter: [rec({ kind: 'judgment_defaulter', recordDate: day }), true, null],
    unpaid_tax: [rec({ kind: 'unpaid_tax', recordDate: day }), true, null],
    product_spot_check: [
      rec({ kind: 'product_spot_check', recordDate: day, outcome: 'failed' }),
      true,
      '2028-05-31',
    ],
    judicial_case: [
      rec({
        kind: 'judicial_case',
        recordDate: day,
        polarity: 'negative',
        details: { caseType: 'enforcement' },
      }),
      true,
      '2029-05-31',
    ],
    commendation: [rec({ kind: 'commendation', recordDate: day, polarity: 'positive' }), true, null],
    registration_change: [
      rec({ kind: 'registration_change', recordDate: day, polarity: 'neutral', changeItem: 'address' }),
      true,
      '2027-05-31',
    ],
    // 监管措施 (issue 14): shown on the record list, fed into no indicator
    regulatory_measure: [
      rec({
        kind: 'regulatory_measure',
        recordDate: day,
        polarity: 'neutral',
        subject: '预付卡风险预警处置：约谈',
      }),
      false,
      null,
    ],
  };
  it.each(Object.entries(samples))('%s', (_kind, [r, counts, until]) => {
    const c = at(r, today);
    expect(c).toMatchObject({ counts, until });
    expect(c.reason).toBe(
      !counts
        ? '不计入信用评价：此类记录不参与信用风险评分（评分卡v3）'
        : until
          ? `计入信用评价至${chineseDate(until)}`
          : r.kind === 'listing'
            ? '在名录期间计入信用评价（尚未移出）'
            : '计入信用评价，无截止日期',
    );
  });

  it('covers every record kind', () => {
    expect(Object.keys(samples).sort()).toEqual([...CREDIT_RECORD_KINDS].sort());
  });

  it('counts a general penalty 3 years: the last day counts, the next does not', () => {
    const r = rec({ kind: 'administrative_penalty', recordDate: '2024-06-01', penaltySeverity: 'general' });
    expect(at(r, '2027-05-31')).toEqual({
      state: 'counting',
      counts: true,
      until: '2027-05-31',
      reason: '计入信用评价至2027年5月31日',
    });
    expect(at(r, '2027-06-01')).toEqual({
      state: 'ended',
      counts: false,
      until: '2027-05-31',
      reason: '已超过计入期限（计入至2027年5月31日）',
    });
    // within the first year (penalty_general_1y) the same span: one continuous period
    expect(at(r, '2024-06-01').until).toBe('2027-05-31');
  });

  it('counts a light penalty 1 year only (no 1-3 year indicator for light penalties)', () => {
    const r = rec({ kind: 'administrative_penalty', recordDate: '2025-03-10', penaltySeverity: 'light' });
    expect(at(r, '2026-03-09')).toMatchObject({ counts: true, until: '2026-03-09' });
    expect(at(r, '2026-03-10')).toMatchObject({ counts: false, until: '2026-03-09' });
  });

  it('follows PostgreSQL on 29 February: a year after is 28 February', () => {
    const r = rec({ kind: 'complaint', recordDate: '2024-02-29' });
    expect(at(r, '2025-02-28')).toMatchObject({ counts: true, until: '2025-02-28' });
    expect(at(r, '2025-03-01').counts).toBe(false);
  });

  it('ends at its own end date when earlier than the window: the day of validUntil no longer counts', () => {
    const r = rec({ kind: 'complaint', recordDate: '2026-01-10', validUntil: '2026-03-01' });
    expect(at(r, '2026-02-28')).toEqual({
      state: 'counting',
      counts: true,
      until: '2026-02-28',
      reason: '计入信用评价至2026年2月28日',
    });
    expect(at(r, '2026-03-01')).toEqual({
      state: 'ended',
      counts: false,
      until: '2026-02-28',
      reason: '已于2026年3月1日到期，不再计入',
    });
  });

  it('ends an open record (defaulter) at its own end date', () => {
    const r = rec({ kind: 'judgment_defaulter', recordDate: '2020-01-01', validUntil: '2026-12-02' });
    expect(at(r, '2026-12-01')).toMatchObject({ counts: true, until: '2026-12-01' });
    expect(at(r, '2026-12-02')).toMatchObject({ counts: false, reason: '已于2026年12月2日到期，不再计入' });
  });

  it('never counts a record whose end date is its own date', () => {
    const r = rec({ kind: 'complaint', recordDate: '2026-05-01', validUntil: '2026-05-01' });
    expect(at(r, '2026-05-01')).toEqual({
      state: 'ended',
      counts: false,
      until: null,
      reason: '已于2026年5月1日到期，不再计入',
    });
  });

  it('counts a serious listing while listed, and not after its removal', () => {
    const r = rec({
      kind: 'listing',
      recordDate: '2025-01-05',
      listType: 'serious',
      listedOn: '2025-01-05',
      removedOn: '2026-07-01',
    });
    expect(at(r, '2026-06-30')).toMatchObject({ counts: true, until: '2026-06-30' });
    expect(at(r, '2026-07-01')).toEqual({
      state: 'ended',
      counts: false,
      until: '2026-06-30',
      reason: '已于2026年7月1日移出名录，不再计入',
    });
  });

  it('keeps counting a removed anomaly listing for 3 years (anomaly listings in 3 years)', () => {
    const r = rec({
      kind: 'listing',
      recordDate: '2025-01-05',
      listType: 'anomaly',
      listedOn: '2025-01-05',
      removedOn: '2025-03-01',
    });
    expect(at(r, '2026-12-01')).toMatchObject({ counts: true, until: '2028-01-04' });
    expect(indicatorsFedOn(r, plain, SCORECARD_V3, '2025-02-01').sort()).toEqual([
      'anomaly_listed',
      'anomaly_listings_3y',
    ]);
    expect(indicatorsFedOn(r, plain, SCORECARD_V3, '2025-03-01')).toEqual(['anomaly_listings_3y']);
  });

  it('never counts records the version does not weigh', () => {
    const never = [
      rec({
        kind: 'inspection_result',
        recordDate: '2026-06-01',
        outcome: 'no_problem',
        polarity: 'positive',
      }),
      rec({ kind: 'product_spot_check', recordDate: '2026-06-01', outcome: 'passed', polarity: 'positive' }),
      rec({ kind: 'judicial_case', recordDate: '2026-06-01', polarity: 'neutral' }),
      rec({
        kind: 'registration_change',
        recordDate: '2026-06-01',
        polarity: 'neutral',
        changeItem: 'business_scope',
      }),
    ];
    for (const r of never)
      expect(at(r, '2026-12-01')).toEqual({
        state: 'not_weighed',
        counts: false,
        until: null,
        reason: '不计入信用评价：此类记录不参与信用风险评分（评分卡v3）',
      });
  });

  it('weighs inspections without problems under v1 only (2 years)', () => {
    const r = rec({
      kind: 'inspection_result',
      recordDate: '2025-06-01',
      outcome: 'no_problem',
      polarity: 'positive',
    });
    expect(at(r, '2026-12-01', DEFAULT_SCORECARD)).toMatchObject({ counts: true, until: '2027-05-31' });
    // an inspection without problems but with counted minor violations feeds v3's inspection_violations
    const minor = { ...r, details: { minor: 2 } };
    expect(at(minor, '2026-12-01')).toMatchObject({ counts: true, until: '2028-05-31' });
  });

  it('counts an inspection not found at the address (查无下落) as a failed one, as a refusal', () => {
    const r = rec({ kind: 'inspection_result', recordDate: '2024-01-01', outcome: 'not_found' });
    expect(at(r, '2026-12-31')).toMatchObject({ counts: true, until: '2026-12-31' });
    expect(at(r, '2025-06-01', DEFAULT_SCORECARD)).toMatchObject({ counts: true, until: '2025-12-31' });
    expect(at(r, '2027-01-01').counts).toBe(false);
  });

  it('under a version weighing the lifetime share of failed inspections, counts every inspection, a clean one too, without end', () => {
    const card = v4Candidate(SCORECARD_V3, {
      halfLifeYears: 0.5,
      violationPoints: 20,
      failedSharePoints: 20,
      dBelow: 55,
    });
    const clean = rec({
      kind: 'inspection_result',
      recordDate: '2016-03-01',
      outcome: 'no_problem',
      polarity: 'positive',
    });
    expect(at(clean, today, card)).toMatchObject({ counts: true, until: null });
    expect(indicatorsFedOn(clean, plain, card, today)).toEqual(['inspections_failed_share']);
    // v3 does not weigh the share: an old clean inspection feeds nothing there
    expect(at(clean, today)).toMatchObject({ counts: false });
  });

  it('counts inspection findings for the recency horizon in days (1096 for 3 years)', () => {
    const r = rec({ kind: 'inspection_result', recordDate: '2024-01-01', outcome: 'refused' });
    expect(at(r, '2026-12-31')).toMatchObject({ counts: true, until: '2026-12-31' });
    expect(at(r, '2027-01-01').counts).toBe(false);
  });

  it('counts a commendation (positive) without end, and stops at its end date', () => {
    const r = rec({ kind: 'commendation', recordDate: '2010-01-01', polarity: 'positive' });
    expect(at(r, '2026-12-01')).toEqual({
      state: 'counting',
      counts: true,
      until: null,
      reason: '计入信用评价，无截止日期',
    });
    expect(at({ ...r, validUntil: '2020-01-01' }, '2026-12-01')).toMatchObject({
      counts: false,
      until: '2019-12-31',
    });
  });

  it('does not count a record dated after today yet', () => {
    const r = rec({ kind: 'complaint', recordDate: '2027-05-31' });
    expect(at(r, '2026-12-01')).toEqual({
      state: 'not_yet',
      counts: false,
      until: null,
      reason: '记录日期2027年5月31日晚于今天，尚未计入信用评价',
    });
  });

  it('a serious listing removed on the day it was listed never counted: ended by its removal, not "not weighed"', () => {
    const r = rec({
      kind: 'listing',
      recordDate: '2026-03-01',
      listType: 'serious',
      listedOn: '2026-03-01',
      removedOn: '2026-03-01',
    });
    expect(at(r, '2026-12-01')).toEqual({
      state: 'ended',
      counts: false,
      until: null,
      reason: '已于2026年3月1日移出名录，不再计入',
    });
  });

  it('counts a listing only from the day it was listed', () => {
    const r = rec({ kind: 'listing', recordDate: '2026-11-01', listType: 'serious', listedOn: '2026-12-10' });
    expect(at(r, '2026-12-01')).toEqual({
      state: 'not_yet',
      counts: false,
      until: null,
      reason: '自2026年12月10日起计入信用评价',
    });
    expect(at(r, '2026-12-10').counts).toBe(true);
  });

  it('counts a severe penalty 1-3 years ago and a 1-year one as one period', () => {
    const r = rec({ kind: 'administrative_penalty', recordDate: '2023-12-02', penaltySeverity: 'severe' });
    expect(indicatorsFedOn(r, plain, SCORECARD_V3, '2024-12-01')).toEqual(['penalty_severe_1y']);
    expect(indicatorsFedOn(r, plain, SCORECARD_V3, '2024-12-02')).toEqual(['penalty_severe_1to3y']);
    expect(at(r, '2026-12-01')).toMatchObject({ counts: true, until: '2026-12-01' });
    expect(at(r, '2026-12-02').counts).toBe(false);
  });

  it("feeds a prepaid-card issuer's penalties to prepaid_penalties_1y for a year", () => {
    const r = rec({ kind: 'administrative_penalty', recordDate: '2026-02-01', penaltySeverity: 'light' });
    expect(indicatorsFedOn(r, { prepaidIssuer: true }, SCORECARD_V3, '2026-12-01').sort()).toEqual([
      'penalty_light_1y',
      'prepaid_penalties_1y',
    ]);
    expect(indicatorsFedOn(r, plain, SCORECARD_V3, '2026-12-01')).toEqual(['penalty_light_1y']);
  });
});

describe('publication periods and repair (issue 13)', () => {
  const penaltyRec = (r: Partial<CountedRecord>): CountedRecord => ({
    kind: 'administrative_penalty',
    recordDate: '2023-06-01',
    validUntil: '2026-06-02',
    publicationLastDay: '2026-06-01',
    polarity: 'negative',
    penaltySeverity: 'general',
    ...r,
  });
  it('a published penalty counts until its publication last day at most, and says so', () => {
    // published 1 year (NDRC-2026 general class): the scorecard's 3-year windows would run longer
    const r = penaltyRec({ validUntil: '2024-06-02', publicationLastDay: '2024-06-01' });
    expect(recordCounting(r, plain, DEFAULT_SCORECARD, '2024-01-10')).toEqual({
      state: 'counting',
      counts: true,
      until: '2024-06-01',
      reason: '计入信用评价至2024年6月1日（公示期至2024年6月1日）',
    });
  });
  it('a 3-year publication outlasts the 3-year window by a day: the window ends it, as in SQL', () => {
    // record_date > d - 3 years: the last such day is 2026-05-31; publication's last day is 2026-06-01
    expect(recordCounting(penaltyRec({}), plain, DEFAULT_SCORECARD, '2025-01-10')).toEqual({
      state: 'counting',
      counts: true,
      until: '2026-05-31',
      reason: '计入信用评价至2026年5月31日',
    });
  });
  it('a shorter publication (3 months) ends counting before the window', () => {
    const r = penaltyRec({ validUntil: '2023-09-02', publicationLastDay: '2023-09-01' });
    expect(recordCounting(r, plain, DEFAULT_SCORECARD, '2023-09-01')).toMatchObject({
      counts: true,
      until: '2023-09-01',
    });
    expect(recordCounting(r, plain, DEFAULT_SCORECARD, '2023-09-02')).toEqual({
      state: 'ended',
      counts: false,
      until: '2023-09-01',
      reason: '公示期至2023年9月1日届满，不再计入',
    });
  });
  it('a penalty that is not published (summary procedure, warning or reprimand alone) still counts, and says why', () => {
    const summary = penaltyRec({
      procedure: 'summary',
      validUntil: null,
      publicationLastDay: null,
      penaltyTypes: ['fine'],
    });
    expect(recordCounting(summary, plain, DEFAULT_SCORECARD, '2024-01-10')).toEqual({
      state: 'counting',
      counts: true,
      until: '2026-05-31',
      reason: '不予公示；按评分规则计入信用评价至2026年5月31日',
    });
    const warning = penaltyRec({
      procedure: 'general',
      validUntil: null,
      publicationLastDay: null,
      penaltyTypes: ['warning', 'reprimand'],
    });
    expect(recordCounting(warning, plain, DEFAULT_SCORECARD, '2024-01-10').reason).toBe(
      '不予公示；按评分规则计入信用评价至2026年5月31日',
    );
    expect(recordCounting(warning, plain, DEFAULT_SCORECARD, '2026-06-01').reason).toBe(
      '不予公示；已超过计入期限（计入至2026年5月31日）',
    );
    // a published fine, and a penalty before the first regime (2021-09-01), say nothing of it
    const fine = penaltyRec({ procedure: 'general', penaltyTypes: ['fine'] });
    expect(recordCounting(fine, plain, DEFAULT_SCORECARD, '2025-01-10').reason).toBe(
      '计入信用评价至2026年5月31日',
    );
    const old = penaltyRec({
      recordDate: '2021-08-31',
      procedure: 'summary',
      validUntil: null,
      publicationLastDay: null,
    });
    expect(recordCounting(old, plain, DEFAULT_SCORECARD, '2022-01-10').reason).not.toContain('不予公示');
    expect(penaltyNotPublished({ ...summary, kind: 'inspection_result' })).toBe(false);
  });

  it('repair stops counting on the day it is granted', () => {
    const r = penaltyRec({ repairedOn: '2024-03-02' });
    expect(recordCounting(r, plain, DEFAULT_SCORECARD, '2024-03-01')).toMatchObject({
      counts: true,
      until: '2024-03-01',
    });
    expect(recordCounting(r, plain, DEFAULT_SCORECARD, '2024-03-02')).toEqual({
      state: 'ended',
      counts: false,
      until: '2024-03-01',
      reason: '已于2024年3月2日信用修复，不再计入',
    });
    expect(indicatorsFedOn(r, plain, DEFAULT_SCORECARD, '2024-03-01').length).toBeGreaterThan(0);
    expect(indicatorsFedOn(r, plain, DEFAULT_SCORECARD, '2024-03-02')).toEqual([]);
  });
});
