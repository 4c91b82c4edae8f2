/**
 * Dates as they appear in source files: ISO `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYYMMDD`, and ISO
 * date-times, whose date part is taken), and Chinese-numeral dates such as `二〇一七年十月二十三日`
 * (used by court documents in the Jinan data). Pure: returns `YYYY-MM-DD` strings, never Date
 * objects, because legal dates have no time zone (architecture.md).
 */

const DIGITS: Record<string, number> = {
  〇: 0,
  '○': 0,
  零: 0,
  O: 0,
  Ｏ: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

export class DateParseError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`'${input}' is not a date: ${reason}`);
    this.name = 'DateParseError';
  }
}

/** Reads a year written digit by digit (二〇一七 -> 2017). */
function chineseYear(s: string, input: string): number {
  let y = 0;
  for (const ch of s) {
    const d = DIGITS[ch];
    if (d === undefined) throw new DateParseError(input, `'${ch}' is not a Chinese digit in the year`);
    y = y * 10 + d;
  }
  return y;
}

/** Reads 1..31 written with 十 (十 = 10, 十月 = 10, 二十三 = 23, 三十一 = 31). */
function chineseSmallNumber(s: string, input: string): number {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const ten = s.indexOf('十');
  if (ten < 0) {
    if (s.length !== 1 || DIGITS[s] === undefined) throw new DateParseError(input, `cannot read '${s}'`);
    return DIGITS[s]!;
  }
  const tensPart = s.slice(0, ten);
  const unitPart = s.slice(ten + 1);
  const tens = tensPart === '' ? 1 : DIGITS[tensPart];
  const units = unitPart === '' ? 0 : DIGITS[unitPart];
  if (tens === undefined || units === undefined || tensPart.length > 1 || unitPart.length > 1) {
    throw new DateParseError(input, `cannot read '${s}'`);
  }
  return tens * 10 + units;
}

function isoOf(y: number, m: number, d: number, input: string): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new DateParseError(input, `no such day ${y}-${m}-${d}`);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Parses a source date into `YYYY-MM-DD`. Empty or blank input gives `null` (a missing date is not
 * an error for the caller to decide about here).
 * @throws DateParseError with the input and the reason when the text is not a real calendar day.
 */
export function parseSourceDate(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  const s = input.trim();
  if (s === '') return null;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]), input);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]), input);
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]), input);
  m =
    /^([〇○零OＯ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$/.exec(
      s,
    );
  if (m) {
    return isoOf(
      chineseYear(m[1]!, input),
      chineseSmallNumber(m[2]!, input),
      chineseSmallNumber(m[3]!, input),
      input,
    );
  }
  throw new DateParseError(input, 'expected YYYY-MM-DD or a date such as 二〇一七年十月二十三日');
}
