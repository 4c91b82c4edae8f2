import { describe, expect, it } from '@jest/globals';
import type { WorkingDayCalendar } from '../../../common/working-days.js';
import {
  ALERT_STATUSES,
  ALERT_STEPS,
  disposalDueOn,
  dueAfterRaise,
  isOverdue,
  STATUS_AFTER,
  stepRefusal,
} from './alert-rules.js';

/** Monday to Friday, no holidays: the tests' own calendar. */
const weekdays: WorkingDayCalendar = {
  isWorkingDay: (d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()),
};

describe('alert time limits (working days to the first disposal)', () => {
  it('red 2, orange 5, yellow 10 working days from Friday 2026-12-04', () => {
    expect(disposalDueOn('2026-12-04', 'red', weekdays).dueOn).toBe('2026-12-08');
    expect(disposalDueOn('2026-12-04', 'orange', weekdays).dueOn).toBe('2026-12-11');
    expect(disposalDueOn('2026-12-04', 'yellow', weekdays).dueOn).toBe('2026-12-18');
  });

  it('the official calendar skips the National Day holidays', () => {
    // 2026-09-30 (Wednesday): 10-01..10-07 rest (the make-up working days are on weekends around it)
    const due = disposalDueOn('2026-09-30', 'red').dueOn;
    expect(due >= '2026-10-08').toBe(true);
  });

  it('a raise shortens a running limit, never lengthens it', () => {
    // opened yellow Monday 12-07, due 12-21; raised red Tuesday 12-08: due 12-10
    expect(
      dueAfterRaise({ dueOn: '2026-12-21', disposedSinceLastStart: false }, '2026-12-08', 'red', weekdays)
        .dueOn,
    ).toBe('2026-12-10');
    // raised to orange on 12-18 with 12-21 still running: the earlier day stays
    expect(
      dueAfterRaise({ dueOn: '2026-12-21', disposedSinceLastStart: false }, '2026-12-18', 'orange', weekdays)
        .dueOn,
    ).toBe('2026-12-21');
    // after a disposal a raise asks for a new disposal within the new limit
    expect(
      dueAfterRaise({ dueOn: '2026-12-09', disposedSinceLastStart: true }, '2026-12-18', 'orange', weekdays)
        .dueOn,
    ).toBe('2026-12-25');
  });

  it('overdue: after the due day without a disposal since the opening or last raise, before feedback', () => {
    const a = { status: 'assigned' as const, dueOn: '2026-12-10', disposedSinceLastStart: false };
    expect(isOverdue(a, '2026-12-10')).toBe(false);
    expect(isOverdue(a, '2026-12-11')).toBe(true);
    expect(isOverdue({ ...a, disposedSinceLastStart: true }, '2026-12-11')).toBe(false);
    expect(isOverdue({ ...a, status: 'feedback' }, '2026-12-11')).toBe(false);
    expect(isOverdue({ ...a, status: 'closed' }, '2026-12-11')).toBe(false);
  });
});

describe('alert lifecycle', () => {
  it('open -> assigned -> disposing -> feedback -> closed, and nothing else', () => {
    const allowed: string[] = [];
    for (const step of Object.keys(ALERT_STEPS) as (keyof typeof ALERT_STEPS)[])
      for (const s of ALERT_STATUSES) if (stepRefusal(step, s) === null) allowed.push(`${step}@${s}`);
    expect(allowed.sort()).toEqual(
      [
        'assign@open',
        'assign@assigned',
        'assign@disposing',
        'dispose@assigned',
        'dispose@disposing',
        'feedback@disposing',
        'close@feedback',
      ].sort(),
    );
    expect(STATUS_AFTER.assign('open')).toBe('assigned');
    expect(STATUS_AFTER.assign('disposing')).toBe('disposing');
    expect(STATUS_AFTER.dispose('assigned')).toBe('disposing');
  });

  it('a refusal names the current status and what the step needs', () => {
    expect(stepRefusal('close', 'disposing')).toBe('the alert is disposing: close needs status feedback');
    expect(stepRefusal('dispose', 'closed')).toBe(
      'the alert is closed: dispose needs status assigned or disposing',
    );
  });
});
