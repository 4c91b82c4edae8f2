import { describe, expect, it } from '@jest/globals';
import { dashboardWindow, monthOf, monthStart, topReasons } from './dashboard.js';

describe('dashboard months', () => {
  it('this month, next month and 11 months back, across year ends', () => {
    expect(monthOf('2026-12-01')).toBe('2026-12');
    expect(monthStart('2026-12-31')).toBe('2026-12-01');
    expect(monthStart('2026-12-31', 1)).toBe('2027-01-01');
    expect(monthStart('2026-01-15', -1)).toBe('2025-12-01');
    expect(monthStart('2026-03-15', -14)).toBe('2025-01-01');
    expect(monthStart('2026-03-15', 22)).toBe('2028-01-01');
  });
  it('the window of a day', () => {
    expect(dashboardWindow('2026-12-01')).toEqual({
      month: '2026-12',
      from: '2026-12-01',
      until: '2027-01-01',
      trendFrom: '2026-01-01',
    });
    expect(dashboardWindow('2027-01-31').trendFrom).toBe('2026-02-01');
  });
});

describe('topReasons', () => {
  const r = (code: string, points: number) => ({ code, zh: `原因${code}`, points });
  it('hard rules first, then the largest deductions, at most 3; additions left out', () => {
    expect(
      topReasons([
        r('complaints_1y', -5),
        r('commendations', 4),
        r('penalty_general_1y', -12),
        r('override:serious', 0),
        r('anomaly_listings_3y', -8),
        r('penalty_light_1y', -2),
      ]),
    ).toEqual([
      { zh: '原因override:serious', points: 0 },
      { zh: '原因penalty_general_1y', points: -12 },
      { zh: '原因anomaly_listings_3y', points: -8 },
    ]);
  });
  it('ties by code; nothing to show gives an empty list', () => {
    expect(topReasons([r('b', -3), r('a', -3)], 2).map((x) => x.zh)).toEqual(['原因a', '原因b']);
    expect(topReasons([r('commendations', 4), r('new_enterprise_1y', 0)])).toEqual([]);
  });
});
