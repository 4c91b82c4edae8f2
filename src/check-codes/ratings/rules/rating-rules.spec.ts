import { describe, expect, it } from '@jest/globals';
import { isSupervisingBody, ratingRefusal, releasedOn } from './rating-rules.js';
import { countByKind } from './visit-stats.js';

describe('ratingRefusal', () => {
  const code = { status: 'completed' as const, uscc: '91310110MA1FL0XX3K', rated: false };

  it('lets a user of the enterprise rate its completed, unrated inspection', () => {
    expect(ratingRefusal(code, code.uscc)).toBeNull();
  });

  it('refuses another enterprise and a user without one (403) before saying anything of the code', () => {
    expect(ratingRefusal({ ...code, status: 'in_use', rated: true }, '91310110MA1FL0YY7Q')).toMatchObject({
      code: 'forbidden',
    });
    expect(ratingRefusal(code, null)?.code).toBe('forbidden');
  });

  it('refuses a code not completed (409), saying why', () => {
    for (const [status, words] of [
      ['issued', 'not begun'],
      ['in_use', 'not completed yet'],
      ['expired', 'expired'],
      ['revoked', 'revoked'],
    ] as const) {
      const r = ratingRefusal({ ...code, status }, code.uscc);
      expect(r?.code).toBe('conflict');
      expect(r?.reason).toContain(words);
    }
  });

  it('refuses a second rating (409)', () => {
    expect(ratingRefusal({ ...code, rated: true }, code.uscc)).toEqual({
      code: 'conflict',
      reason: 'this inspection has been rated already (once per code)',
    });
  });
});

describe('releasedOn', () => {
  it('adds the delay in calendar days, across months and years', () => {
    expect(releasedOn('2026-12-01', 14)).toBe('2026-12-15');
    expect(releasedOn('2026-12-25', 14)).toBe('2027-01-08');
    expect(releasedOn('2026-12-01', 0)).toBe('2026-12-01');
    expect(() => releasedOn('2026-12-01', -1)).toThrow(RangeError);
  });
});

describe('isSupervisingBody', () => {
  it('is a regulator of the oversight department only', () => {
    expect(isSupervisingBody({ role: 'regulator', department: 'oversight' })).toBe(true);
    expect(isSupervisingBody({ role: 'regulator', department: 'market' })).toBe(false);
    expect(isSupervisingBody({ role: 'inspector', department: 'oversight' })).toBe(false);
    expect(isSupervisingBody({ role: 'admin', department: null })).toBe(false);
  });
});

describe('countByKind', () => {
  it('counts every kind, zero included', () => {
    expect(countByKind([{ kind: 'joint' }, { kind: 'routine' }, { kind: 'joint' }])).toEqual({
      routine: 1,
      event: 0,
      joint: 2,
    });
    expect(countByKind([])).toEqual({ routine: 0, event: 0, joint: 0 });
  });
});
