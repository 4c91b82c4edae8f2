import { describe, expect, it } from '@jest/globals';
import { lengthText, periodLastDay } from './legal-periods.js';

// Civil Code art. 201-203; holiday facts as in working-days.spec.ts (counted by hand).
describe('periodLastDay (民法典 第二百零一条至第二百零三条)', () => {
  it('art. 201/202: the start day is not counted, the period ends on the matching day', () => {
    expect(periodLastDay('2026-01-10', { months: 3 })).toEqual({
      lastDay: '2026-04-10',
      movedFrom: null,
      rules: ['art201', 'art202'],
      provisional: false,
    });
    expect(periodLastDay('2023-06-01', { years: 3 }).lastDay).toBe('2026-06-01');
  });
  it("art. 202: 01-31 + 1 month ends on the end month's last day (2026-02-28, a make-up Saturday: not moved)", () => {
    expect(periodLastDay('2026-01-31', { months: 1 })).toEqual({
      lastDay: '2026-02-28',
      movedFrom: null,
      rules: ['art201', 'art202-month-end'],
      provisional: false,
    });
  });
  it('art. 202: month ends (03-31 + 1 month, 2024-01-31 + 1 month in a leap year)', () => {
    expect(periodLastDay('2026-03-31', { months: 1 }).lastDay).toBe('2026-04-30');
    expect(periodLastDay('2024-01-31', { months: 1 }, undefined, false).lastDay).toBe('2024-02-29');
    expect(periodLastDay('2024-01-30', { months: 1 }, undefined, false).rules).toEqual([
      'art201',
      'art202-month-end',
    ]);
    expect(periodLastDay('2024-01-29', { months: 1 }, undefined, false)).toMatchObject({
      lastDay: '2024-02-29',
      rules: ['art201', 'art202'],
    });
  });
  it('leap day 2024-02-29 + 1 year ends 2025-02-28 (month end)', () => {
    const r = periodLastDay('2024-02-29', { years: 1 });
    expect(r.lastDay).toBe('2025-02-28');
    expect(r.rules).toEqual(['art201', 'art202-month-end']);
  });
  it('+ 3 years from a 29 February: 2027-02-28, a Sunday in an uncovered year -> 2027-03-01, provisional', () => {
    expect(periodLastDay('2024-02-29', { years: 3 }, undefined, false).lastDay).toBe('2027-02-28');
    expect(periodLastDay('2024-02-29', { years: 3 })).toEqual({
      lastDay: '2027-03-01',
      movedFrom: '2027-02-28',
      rules: ['art201', 'art202-month-end', 'art203'],
      provisional: true,
    });
  });
  it('+ 4 years from a 29 February has a matching day', () => {
    expect(periodLastDay('2020-02-29', { years: 4 }, undefined, false)).toMatchObject({
      lastDay: '2024-02-29',
      rules: ['art201', 'art202'],
    });
  });
  it('art. 203: a last day on a weekend moves to the next working day', () => {
    expect(periodLastDay('2026-03-07', { months: 3 })).toEqual({
      lastDay: '2026-06-08',
      movedFrom: '2026-06-07',
      rules: ['art201', 'art202', 'art203'],
      provisional: false,
    });
  });
  it('art. 203: a last day on National Day moves to the day after the holiday', () => {
    expect(periodLastDay('2026-07-01', { months: 3 })).toMatchObject({
      lastDay: '2026-10-08',
      movedFrom: '2026-10-01',
    });
  });
  it('art. 203: a last day in the Spring Festival 2026 (days)', () => {
    expect(periodLastDay('2026-02-13', { days: 3 })).toMatchObject({
      lastDay: '2026-02-24',
      movedFrom: '2026-02-16',
    });
    expect(periodLastDay('2026-02-13', { days: 1 })).toMatchObject({
      lastDay: '2026-02-14',
      movedFrom: null,
    });
  });
  it('a last day in 2027 (not covered) is provisional even on a weekday, never taken as settled', () => {
    const r = periodLastDay('2024-01-04', { years: 3 });
    expect(r.lastDay).toBe('2027-01-04');
    expect(r.provisional).toBe(true);
    expect(periodLastDay('2026-12-31', { days: 1 }).provisional).toBe(true);
  });
  it('without the holiday shift the bare day is returned, not provisional', () => {
    expect(periodLastDay('2026-07-01', { months: 3 }, undefined, false)).toEqual({
      lastDay: '2026-10-01',
      movedFrom: null,
      rules: ['art201', 'art202'],
      provisional: false,
    });
  });
  it('refuses a bad date or length', () => {
    expect(() => periodLastDay('2026-02-29', { months: 1 })).toThrow(/not a date/);
    expect(() => periodLastDay('2026-01-01', { months: 0 })).toThrow(/whole number/);
    expect(() => periodLastDay('2026-01-01', { years: 1.5 })).toThrow(RangeError);
    expect(() => periodLastDay('2026-01-01', { days: -3 })).toThrow(RangeError);
  });
  it('lengthText writes the length in Chinese', () => {
    expect(lengthText({ years: 3 })).toBe('3年');
    expect(lengthText({ months: 6 })).toBe('6个月');
    expect(lengthText({ days: 20 })).toBe('20日');
  });
});
