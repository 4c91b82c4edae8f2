import { describe, expect, it } from '@jest/globals';
import { deadlineAfter, extendBySuspension, overdue, timeLimitsFor } from './time-limits.js';

describe('credit-repair time limits', () => {
  it('the limits in force by submission day: SAMR-2021 the day before 2026-04-01, NDRC-2026 from it', () => {
    expect(timeLimitsFor('2026-03-31')).toMatchObject({
      code: 'SAMR-2021',
      acceptWithin: 3,
      decideWithin: 15,
    });
    expect(timeLimitsFor('2026-04-01')).toMatchObject({
      code: 'NDRC-2026',
      acceptWithin: 3,
      decideWithin: 3,
    });
    expect(() => timeLimitsFor('2020-01-01')).toThrow(RangeError);
  });

  it('3 working days across the Spring Festival 2026 (02-14 a make-up Saturday, 02-15..02-23 off)', () => {
    expect(deadlineAfter('2026-02-13', 3)).toEqual({
      date: '2026-02-25',
      provisional: false,
      uncoveredYears: [],
    });
    // received on a holiday: counting starts the next working day
    expect(deadlineAfter('2026-02-16', 1).date).toBe('2026-02-24');
  });

  it('a deadline running into 2027 (not covered by the calendar) is provisional', () => {
    const d = deadlineAfter('2026-12-30', 3);
    expect(d.provisional).toBe(true);
    expect(d.uncoveredYears).toEqual([2027]);
    // within 2026: not provisional
    expect(deadlineAfter('2026-12-01', 3)).toEqual({
      date: '2026-12-04',
      provisional: false,
      uncoveredYears: [],
    });
  });

  it('suspension: the working days after suspending up to resuming move the deadline', () => {
    // deadline Fri 2026-12-04; suspended Tue 12-01, resumed Mon 12-07: 12-02, 03, 04, 07 = 4 working days
    expect(extendBySuspension('2026-12-04', '2026-12-01', '2026-12-07')).toEqual({
      date: '2026-12-10',
      provisional: false,
      uncoveredYears: [],
      suspendedWorkingDays: 4,
    });
    // same day: nothing moves
    expect(extendBySuspension('2026-12-04', '2026-12-01', '2026-12-01')).toMatchObject({
      date: '2026-12-04',
      suspendedWorkingDays: 0,
    });
    // over the Spring Festival: 02-13 suspended, 02-24 resumed: 02-14 and 02-24 count
    expect(extendBySuspension('2026-02-25', '2026-02-13', '2026-02-24')).toMatchObject({
      date: '2026-02-27',
      suspendedWorkingDays: 2,
    });
    // pushed into 2027: provisional
    expect(extendBySuspension('2026-12-29', '2026-12-01', '2026-12-08').provisional).toBe(true);
  });

  it('overdue: by the running clock; a suspended clock only past its latest end; decided never', () => {
    const s = {
      status: 'submitted',
      acceptBy: '2026-12-04',
      decideBy: null,
      suspendedOn: null,
      suspensionLatestEnd: null,
    };
    expect(overdue(s, '2026-12-04')).toBeNull();
    expect(overdue(s, '2026-12-05')).toBe('accept');
    const a = { ...s, status: 'accepted', decideBy: '2026-12-09' };
    expect(overdue(a, '2026-12-09')).toBeNull();
    expect(overdue(a, '2026-12-10')).toBe('decide');
    const susp = { ...a, suspendedOn: '2026-12-02', suspensionLatestEnd: '2026-12-20' };
    expect(overdue(susp, '2026-12-20')).toBeNull();
    expect(overdue(susp, '2026-12-21')).toBe('suspension');
    expect(overdue({ ...a, status: 'approved' }, '2027-01-01')).toBeNull();
  });
});
