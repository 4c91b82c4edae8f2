/**
 * The one reading of an amount of money in fen (分) given by a person or a file: a plain decimal
 * whole number (digits only, as a JSON number or as text), from 0 to MAX_AMOUNT_FEN. Text such as
 * '0x10', '5e5', '1_000', '12.50', '+3' or ' ' inside is refused, never read as JavaScript would
 * read it (Number('0x10') is 16). Pure.
 */

/**
 * The largest amount accepted, in fen: 10^12 fen = 10,000,000,000 yuan (一百亿元). Far above any
 * administrative fine (the largest on record are a few billion yuan) and far below
 * Number.MAX_SAFE_INTEGER, so every accepted amount is exact in JSON, in JavaScript and in a
 * PostgreSQL bigint.
 */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/** An amount read, or why not (Chinese, naming the value). */
export type AmountFenReading = { ok: true; fen: number } | { ok: false; reason: string };

/**
 * Reads an amount in fen: a JSON number that is a whole number, or a text of decimal digits only
 * (surrounding spaces trimmed), 0 <= amount <= MAX_AMOUNT_FEN.
 * @returns the amount, or the reason (Chinese) it is refused
 */
export function readAmountFen(v: unknown): AmountFenReading {
  const shown = typeof v === 'string' ? v : JSON.stringify(v);
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^[0-9]+$/.test(v.trim())) n = Number(v.trim());
  else return { ok: false, reason: `“${shown}”不是以分计的十进制非负整数（只含数字0-9）` };
  if (!Number.isInteger(n) || n < 0)
    return { ok: false, reason: `“${shown}”不是以分计的十进制非负整数（只含数字0-9）` };
  if (n > MAX_AMOUNT_FEN)
    return {
      ok: false,
      reason: `“${shown}”超过上限${MAX_AMOUNT_FEN}分（一百亿元）`,
    };
  return { ok: true, fen: n };
}
