import { describe, expect, it } from '@jest/globals';
import { monthEnds } from './evaluation.service.js';

describe('monthEnds (the trend points)', () => {
  it('month ends within the range, then the last day', () => {
    expect(monthEnds('2024-01-15', '2024-04-10')).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-10',
    ]);
    expect(monthEnds('2024-01-31', '2024-03-31')).toEqual(['2024-01-31', '2024-02-29', '2024-03-31']);
    expect(monthEnds('2024-12-05', '2025-01-02')).toEqual(['2024-12-31', '2025-01-02']);
    expect(monthEnds('2024-05-02', '2024-05-03')).toEqual(['2024-05-03']);
  });
});
