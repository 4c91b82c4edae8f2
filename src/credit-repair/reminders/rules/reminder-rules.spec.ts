import { describe, expect, it } from '@jest/globals';
import {
  complianceReminder,
  newlyRegistered,
  publicationState,
  recordReminders,
  RecordPeriodFacts,
  REMINDER_PARAMETERS,
  repairOpen,
  runDayProblem,
} from './reminder-rules.js';

/** A 3-year penalty decided 2025-06-10: published from 2025-06-11, repair from 2025-09-11. */
const record = (over: Partial<RecordPeriodFacts> = {}): RecordPeriodFacts => ({
  recordId: 7,
  enterpriseId: 3,
  decisionId: 11,
  decisionNo: '沪市监杨处〔2025〕123号',
  publicationStart: '2025-06-11',
  publicationLastDay: '2028-06-12',
  earliestRepairOn: '2025-09-11',
  neverEndedEarly: false,
  repairedOn: null,
  ...over,
});
const kinds = (today: string, r = record(), days?: number) =>
  recordReminders(r, today, days).map((x) => x.kind);

describe('repair_possible', () => {
  it('the day before the earliest repair day: nothing; the day of and after: one, same key', () => {
    expect(kinds('2025-09-10')).toEqual([]);
    const on = recordReminders(record(), '2025-09-11');
    expect(on).toHaveLength(1);
    expect(on[0]).toMatchObject({
      kind: 'repair_possible',
      dueOn: '2025-09-11',
      dedupeKey: 'repair_possible:7',
      creditRecordId: 7,
      decisionId: 11,
      enterpriseId: 3,
    });
    expect(on[0]!.message).toContain('2025年9月11日');
    expect(on[0]!.message).toContain('沪市监杨处〔2025〕123号');
    const after = recordReminders(record(), '2025-09-12');
    expect(after.map((x) => x.dedupeKey)).toEqual(['repair_possible:7']);
    expect(after[0]!.dueOn).toBe('2025-09-11');
  });
  it('never for a record that can never be ended early, nor once repaired, nor without a date', () => {
    expect(kinds('2025-09-11', record({ neverEndedEarly: true }))).toEqual([]);
    expect(kinds('2025-09-11', record({ repairedOn: '2025-09-01' }))).toEqual([]);
    expect(kinds('2025-09-11', record({ earliestRepairOn: null }))).toEqual([]);
    expect(repairOpen(record({ publicationLastDay: null }), '2025-09-11')).toBe(false);
  });
  it('open through the last day of publication, closed the day after', () => {
    expect(repairOpen(record(), '2028-06-12')).toBe(true);
    expect(repairOpen(record(), '2028-06-13')).toBe(false);
  });
  it('names the record by its id when it has no decision number', () => {
    const [r] = recordReminders(record({ decisionNo: null }), '2025-09-11');
    expect(r!.message).toContain('编号 7');
  });
});

describe('period_ending', () => {
  const N = REMINDER_PARAMETERS.periodEndingNoticeDays.value;
  it('is data with a reason (30 calendar days)', () => {
    expect(N).toBe(30);
    expect(REMINDER_PARAMETERS.periodEndingNoticeDays.reason.length).toBeGreaterThan(20);
  });
  it('from N days before the last day (included) to the last day (included)', () => {
    const r = record({ earliestRepairOn: null });
    expect(kinds('2028-05-12', r)).toEqual([]); // 31 days before
    const first = recordReminders(r, '2028-05-13'); // 30 days before
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      kind: 'period_ending',
      dueOn: '2028-06-12',
      dedupeKey: 'period_ending:7:2028-06-12',
    });
    expect(first[0]!.message).toContain('2028年6月12日');
    expect(first[0]!.message).toContain('还有 30 天');
    expect(recordReminders(r, '2028-06-12')[0]!.message).toContain('还有 0 天');
    expect(kinds('2028-06-13', r)).toEqual([]);
  });
  it('both reminders within the window while repair is open; none once repaired', () => {
    expect(kinds('2028-06-01')).toEqual(['repair_possible', 'period_ending']);
    expect(kinds('2028-06-01', record({ repairedOn: '2028-05-01' }))).toEqual([]);
  });
  it('a never-ended-early record is still told that its maximum period ends', () => {
    expect(kinds('2028-06-01', record({ neverEndedEarly: true }))).toEqual(['period_ending']);
  });
  it('a recomputed last day is a new fact with its own key', () => {
    const a = recordReminders(record({ earliestRepairOn: null }), '2028-06-01');
    const b = recordReminders(
      record({ earliestRepairOn: null, publicationLastDay: '2028-06-20' }),
      '2028-06-01',
    );
    expect(a[0]!.dedupeKey).not.toBe(b[0]!.dedupeKey);
  });
  it('the notice days are a parameter', () => {
    const r = record({ earliestRepairOn: null });
    expect(kinds('2028-06-04', r, 7)).toEqual([]);
    expect(kinds('2028-06-05', r, 7)).toEqual(['period_ending']);
  });
  it('a leap-day last day: 30 days before is 2028-01-30', () => {
    const r = record({ earliestRepairOn: null, publicationLastDay: '2028-02-29' });
    expect(kinds('2028-01-29', r)).toEqual([]);
    expect(kinds('2028-01-30', r)).toEqual(['period_ending']);
  });
});

describe('compliance notice', () => {
  const e = { enterpriseId: 5, establishedOn: '2026-03-01', status: 'active' };
  it('established today and up to 29 days ago: newly registered; 30 days ago: not', () => {
    expect(newlyRegistered(e, '2026-03-01')).toBe(true);
    expect(newlyRegistered(e, '2026-03-30')).toBe(true); // 29 days after
    expect(newlyRegistered(e, '2026-03-31')).toBe(false); // 30 days after
  });
  it('not before its establishment, not without a date, not when not in business', () => {
    expect(newlyRegistered(e, '2026-02-28')).toBe(false);
    expect(newlyRegistered({ ...e, establishedOn: null }, '2026-03-01')).toBe(false);
    expect(newlyRegistered({ ...e, status: 'deregistered' }, '2026-03-01')).toBe(false);
  });
  it('one reminder per enterprise, keyed by it', () => {
    expect(complianceReminder(e, '2026-03-10')).toMatchObject({
      kind: 'compliance_notice',
      enterpriseId: 5,
      creditRecordId: null,
      dueOn: '2026-03-01',
      dedupeKey: 'compliance_notice:5',
    });
    expect(complianceReminder(e, '2026-04-10')).toBeNull();
  });
});

describe('publication state', () => {
  it('pending before the start, published from the start to the last day, ended after', () => {
    expect(publicationState(record(), '2025-06-10')).toBe('pending');
    expect(publicationState(record(), '2025-06-11')).toBe('published');
    expect(publicationState(record(), '2028-06-12')).toBe('published');
    expect(publicationState(record(), '2028-06-13')).toBe('ended');
  });
  it('repaired from the day repair was granted; not computed without a window', () => {
    expect(publicationState(record({ repairedOn: '2026-01-05' }), '2026-01-04')).toBe('published');
    expect(publicationState(record({ repairedOn: '2026-01-05' }), '2026-01-05')).toBe('repaired');
    expect(publicationState(record({ publicationStart: null, publicationLastDay: null }), '2026-01-05')).toBe(
      'not_computed',
    );
  });
});

describe('the day a run by hand may take (CLI --today)', () => {
  it('today and the 31 days before it: allowed; a later day or an earlier one: refused, naming the bounds', () => {
    expect(REMINDER_PARAMETERS.catchUpDays.value).toBe(31);
    expect(runDayProblem('2026-12-01', '2026-12-01')).toBeNull();
    expect(runDayProblem('2026-10-31', '2026-12-01')).toBeNull();
    expect(runDayProblem('2026-12-02', '2026-12-01')).toBe(
      "--today 2026-12-02 is after today (2026-12-01, Asia/Shanghai): a future day's reminders would show now and, each created once, never come on the day; reminders run only as of today or a missed day",
    );
    expect(runDayProblem('2026-10-30', '2026-12-01')).toBe(
      '--today 2026-10-30 is more than 31 days before today (2026-12-01, Asia/Shanghai): a missed day is caught up from 2026-10-31 on',
    );
    // across a year end and a leap day
    expect(runDayProblem('2027-12-31', '2028-01-31')).toBeNull();
    expect(runDayProblem('2028-01-30', '2028-03-01')).toBeNull();
    expect(runDayProblem('2028-01-29', '2028-03-01')).toContain('caught up from 2028-01-30 on');
  });
});
