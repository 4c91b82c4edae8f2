import { describe, expect, it } from '@jest/globals';
import { isIsoDate, todayInShanghai } from './clock.js';

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30'])('%s is a date', (d) =>
    expect(isIsoDate(d)).toBe(true),
  );
  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-01',
    '20260101',
    '2026-01-01 ',
    'abcd-ef-gh',
  ])('%s is not', (d) => expect(isIsoDate(d)).toBe(false));
});

describe('todayInShanghai', () => {
  it('is the date in UTC+8', () => {
    expect(todayInShanghai(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(todayInShanghai(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
  });
});
