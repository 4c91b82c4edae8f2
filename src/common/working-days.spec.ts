import { describe, expect, it } from '@jest/globals';
import {
  type WorkingDayCalendar,
  addWorkingDays,
  calendarCovers,
  nextWorkingDay,
  officialCalendar,
  workingDaysBetween,
} from './working-days.js';

// Expected dates below are counted by hand from the State Council's notices (国办发明电〔2025〕7号
// for 2026: Spring Festival 2026-02-15..02-23 off, Saturdays 02-14 and 02-28 worked; National Day
// 2026-10-01..10-07 off; 2023: Dragon Boat 06-22..06-24 off, Sunday 06-25 worked), not read back
// from the functions.
describe('officialCalendar (chinese-days)', () => {
  it('knows the 2026 make-up Saturday, the Spring Festival holiday and an ordinary weekend', () => {
    expect(officialCalendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休 worked
    expect(officialCalendar.isWorkingDay('2026-02-16')).toBe(false); // Monday, holiday
    expect(officialCalendar.isWorkingDay('2026-02-24')).toBe(true);
    expect(officialCalendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
  });
  it('answers null, never "workday", for a year the package does not cover', () => {
    expect(calendarCovers(2026)).toBe(true);
    expect(calendarCovers(2027)).toBe(false);
    expect(officialCalendar.isWorkingDay('2027-01-01')).toBeNull();
    expect(officialCalendar.isWorkingDay('2027-01-04')).toBeNull();
  });
  it('refuses what is not a date', () => {
    expect(() => officialCalendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => officialCalendar.isWorkingDay('20260214')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('counts across the Spring Festival 2026 with its make-up Saturday (from itself not counted)', () => {
    expect(addWorkingDays('2026-02-13', 1)).toEqual({
      date: '2026-02-14',
      provisional: false,
      uncoveredYears: [],
    });
    expect(addWorkingDays('2026-02-13', 2).date).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-13', 3).date).toBe('2026-02-25');
  });
  it('20 working days from Friday 2026-02-06 end on 2026-03-12 (both make-up Saturdays counted)', () => {
    // 02-09..02-13 (5), 02-14 (6), 02-24..02-27 (10), 02-28 (11), 03-02..03-06 (16), 03-09..03-12 (20)
    expect(addWorkingDays('2026-02-06', 20)).toEqual({
      date: '2026-03-12',
      provisional: false,
      uncoveredYears: [],
    });
  });
  it('20 working days from 2023-06-01 end on 2023-06-30 (Dragon Boat off, Sunday 06-25 worked)', () => {
    expect(addWorkingDays('2023-06-01', 20).date).toBe('2023-06-30');
  });
  it('n = 0 gives the day itself, even a holiday', () => {
    expect(addWorkingDays('2026-02-16', 0)).toEqual({
      date: '2026-02-16',
      provisional: false,
      uncoveredYears: [],
    });
  });
  it('marks a deadline running into 2027 provisional, naming the year', () => {
    const r = addWorkingDays('2026-12-30', 3);
    expect(r.provisional).toBe(true);
    expect(r.uncoveredYears).toEqual([2027]);
    // 12-31 (1), then weekends only assumed in 2027: Fri 01-01 (2), Mon 01-04 (3)
    expect(r.date).toBe('2027-01-04');
  });
  it('a deadline inside a covered year is not provisional', () => {
    expect(addWorkingDays('2026-12-01', 10).provisional).toBe(false);
  });
  it('refuses a bad n or date', () => {
    expect(() => addWorkingDays('2026-02-13', -1)).toThrow(/whole number/);
    expect(() => addWorkingDays('2026-02-13', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-13', 3661)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-13-01', 1)).toThrow(/not a date/);
  });
  it('uses the calendar it is given', () => {
    const everyDay: WorkingDayCalendar = { isWorkingDay: () => true };
    expect(addWorkingDays('2026-02-13', 3, everyDay).date).toBe('2026-02-16');
  });
});

describe('nextWorkingDay', () => {
  it('a working day is itself; a make-up Saturday is a working day', () => {
    expect(nextWorkingDay('2026-02-13').date).toBe('2026-02-13');
    expect(nextWorkingDay('2026-02-14').date).toBe('2026-02-14');
  });
  it('a holiday moves to the day after the holiday ends', () => {
    expect(nextWorkingDay('2026-02-16').date).toBe('2026-02-24');
    expect(nextWorkingDay('2026-10-01').date).toBe('2026-10-08');
  });
  it('a weekend in an uncovered year moves over the weekend only, provisionally', () => {
    expect(nextWorkingDay('2027-02-27')).toEqual({
      date: '2027-03-01',
      provisional: true,
      uncoveredYears: [2027],
    });
  });
  it('even a weekday in an uncovered year is provisional', () => {
    expect(nextWorkingDay('2027-01-04').provisional).toBe(true);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after from up to and including to', () => {
    expect(workingDaysBetween('2026-02-13', '2026-02-25')).toEqual({
      days: 3,
      provisional: false,
      uncoveredYears: [],
    });
    expect(workingDaysBetween('2026-02-14', '2026-02-23').days).toBe(0);
  });
  it('is 0 for the same day and for an earlier to', () => {
    expect(workingDaysBetween('2026-02-13', '2026-02-13').days).toBe(0);
    expect(workingDaysBetween('2026-02-25', '2026-02-13').days).toBe(0);
  });
  it('is provisional across an uncovered year', () => {
    const r = workingDaysBetween('2026-12-30', '2027-01-04');
    expect(r).toEqual({ days: 3, provisional: true, uncoveredYears: [2027] });
  });
  it('refuses a bad from or to', () => {
    expect(() => workingDaysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError);
    expect(() => workingDaysBetween('2026-02-13', 'tomorrow')).toThrow(RangeError);
  });
});
