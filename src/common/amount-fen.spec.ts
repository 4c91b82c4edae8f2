import { describe, expect, it } from '@jest/globals';
import { MAX_AMOUNT_FEN, readAmountFen } from './amount-fen.js';

describe('readAmountFen', () => {
  it('reads whole numbers and digit texts from 0 to 10^12 fen', () => {
    expect(readAmountFen(0)).toEqual({ ok: true, fen: 0 });
    expect(readAmountFen('20000000')).toEqual({ ok: true, fen: 20_000_000 });
    expect(readAmountFen(' 0500 ')).toEqual({ ok: true, fen: 500 });
    expect(readAmountFen(MAX_AMOUNT_FEN)).toEqual({ ok: true, fen: 1_000_000_000_000 });
    expect(readAmountFen(String(MAX_AMOUNT_FEN))).toEqual({ ok: true, fen: MAX_AMOUNT_FEN });
  });

  it('refuses what JavaScript would read but a person did not write as fen', () => {
    for (const v of [
      '0x10',
      '0b11',
      '0o7',
      '5e5',
      '1_000',
      '12.50',
      '+3',
      '-1',
      '1 000',
      'Infinity',
      '',
      '１２',
      true,
      null,
      [5],
      {},
    ])
      expect([v, readAmountFen(v).ok]).toEqual([v, false]);
    for (const v of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect([v, readAmountFen(v).ok]).toEqual([v, false]);
    const r = readAmountFen('0x10');
    expect(!r.ok && r.reason).toContain('“0x10”');
  });

  it('refuses more than the documented bound (9007199254740991 fen too)', () => {
    const r = readAmountFen(MAX_AMOUNT_FEN + 1);
    expect(!r.ok && r.reason).toContain('一百亿元');
    expect(readAmountFen(9007199254740991).ok).toBe(false);
    expect(readAmountFen('9007199254740993').ok).toBe(false);
  });
});
