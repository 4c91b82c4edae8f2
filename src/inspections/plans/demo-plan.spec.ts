import { describe, expect, it } from '@jest/globals';
import { demoBatchWindows } from './demo-plan.js';

describe('demoBatchWindows (the demo plan of this year)', () => {
  it.each([
    ['2026-12-01', [['2026-12-01', '2026-12-31']]],
    ['2026-12-31', [['2026-12-31', '2026-12-31']]],
    ['2026-10-03', [['2026-10-03', '2026-12-31']]],
    [
      '2026-06-15',
      [
        ['2026-06-15', '2026-09-12'],
        ['2026-09-13', '2026-12-31'],
      ],
    ],
    [
      '2028-01-01',
      [
        ['2028-01-01', '2028-03-30'],
        ['2028-03-31', '2028-12-31'],
      ],
    ],
  ])('on %s the first batch opens that day', (today, windows) => {
    const batches = demoBatchWindows(today);
    expect(batches.map((b) => [b.windowStart, b.windowEnd])).toEqual(windows);
    expect(batches.map((b) => b.name)).toEqual(['第一批', '第二批'].slice(0, windows.length));
  });
});
