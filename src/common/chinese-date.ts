import { todayInShanghai } from './clock.js';

/**
 * The one parser of dates as sources and clients write them, used by every importer and the API
 * (issue 9, "one date parser"): ISO `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`), `YYYYMMDD`,
 * `2019年5月20日`, Chinese-numeral dates such as `二〇一七年十月二十三日` (court documents in the
 * Jinan data), date-times (with an offset or `Z`: converted to the Asia/Shanghai calendar date;
 * without one: already the bureau's local time, the date part is taken), month-only dates
 * (`2015-08`, `2015年08月`, `二〇一五年八月`: the month's first day, marked estimated), and, where
 * the caller allows it (a CSV date column), Excel serial day numbers (1900 date system). Pure:
 * returns `YYYY-MM-DD` strings, never Date objects, because legal dates have no time zone
 * (architecture.md).
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
  if (y < 1900 || y > 2199 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new DateParseError(input, `no such day ${y}-${m}-${d}`);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A source date: the calendar day, and whether the source gave it only roughly (a month). */
export interface SourceDate {
  /** YYYY-MM-DD */
  date: string;
  /** true when the source gave only the month: `date` is its first day */
  estimated: boolean;
}

export interface SourceDateOptions {
  /**
   * Read a bare number of 1-5 digits as an Excel serial day number (1900 date system: 1 is
   * 1900-01-01; 60 is Excel's non-existent 1900-02-29 and refused). Only for a column known to
   * hold dates (CSV cells exported from a spreadsheet); the API never sends serials.
   */
  excelSerial?: boolean;
}

/** Days from 1970-01-01 to Excel's day 0 (1899-12-31) for serials before 60, and for 61 on (1899-12-30). */
const EXCEL_EPOCH_BEFORE_60 = Date.UTC(1899, 11, 31);
const EXCEL_EPOCH_FROM_61 = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function excelSerialDate(serial: number, input: string): string {
  if (serial < 1) throw new DateParseError(input, 'Excel serial day numbers start at 1 (1900-01-01)');
  if (serial === 60)
    throw new DateParseError(input, "Excel serial 60 is Excel's 1900-02-29, a day that did not exist");
  const ms = (serial < 60 ? EXCEL_EPOCH_BEFORE_60 : EXCEL_EPOCH_FROM_61) + serial * DAY_MS;
  const d = new Date(ms);
  return isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), input);
}

const DATE_TIME =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A date-time: with an offset, the Asia/Shanghai day of that instant; without, its own date. */
function dateTime(m: RegExpExecArray, input: string): string {
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const day = isoOf(y, mo, d, input);
  if (h > 23 || mi > 59 || sec > 59) throw new DateParseError(input, `no such time ${m[4]}:${m[5]}`);
  const offset = m[7];
  if (!offset) return day;
  let offsetMinutes = 0;
  if (offset.toUpperCase() !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 14 || om > 59) throw new DateParseError(input, `no such offset ${offset}`);
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const instant = Date.UTC(y, mo - 1, d, h, mi, sec) - offsetMinutes * 60_000;
  const shanghai = todayInShanghai(new Date(instant));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(shanghai) || shanghai < '1900-01-01' || shanghai > '2199-12-31')
    throw new DateParseError(input, 'outside the years 1900-2199');
  return shanghai;
}

const CN_YEAR = '[〇○零OＯ一二三四五六七八九]{4}';
const CN_SMALL = '[一二三四五六七八九十]{1,3}';
const CN_DAY = new RegExp(`^(${CN_YEAR})年(${CN_SMALL})月(${CN_SMALL})[日号]$`);
const CN_MONTH = new RegExp(`^(${CN_YEAR})年(${CN_SMALL})月(?:份)?$`);

const EXPECTED =
  'expected YYYY-MM-DD, YYYYMMDD, 2023年5月1日, 二〇二三年五月一日, a month (2015-08, 2015年08月) or a date-time with an offset (2023-05-01T20:00:00+08:00)';

/**
 * Reads a source date. Empty or blank input gives `null` (whether a date is required is the
 * caller's rule).
 * @param input the text as the source wrote it (surrounding spaces ignored)
 * @param options `excelSerial`: also read 1-5 digit numbers as Excel serial day numbers
 * @returns the calendar day (Asia/Shanghai for instants) and whether it is only estimated (a month)
 * @throws DateParseError naming the input and the reason: no such day (2月30日), no such time or
 *   offset, Excel's 1900-02-29, a bare number where serials are not allowed, any other text
 */
export function readSourceDate(
  input: string | null | undefined,
  options: SourceDateOptions = {},
): SourceDate | null {
  if (input === null || input === undefined) return null;
  const s = input.trim();
  if (s === '') return null;
  const exact = (date: string): SourceDate => ({ date, estimated: false });
  const month = (y: number, mo: number): SourceDate => ({ date: isoOf(y, mo, 1, input), estimated: true });
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (m) return exact(isoOf(Number(m[1]), Number(m[2]), Number(m[3]), input));
  m = DATE_TIME.exec(s);
  if (m) return exact(dateTime(m, input));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return exact(isoOf(Number(m[1]), Number(m[2]), Number(m[3]), input));
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]$/.exec(s);
  if (m) return exact(isoOf(Number(m[1]), Number(m[2]), Number(m[3]), input));
  m = /^(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月(?:份)?)$/.exec(s);
  if (m) {
    const mo = Number(m[2] ?? m[3]);
    if (mo < 1 || mo > 12) throw new DateParseError(input, `no such month ${mo}`);
    return month(Number(m[1]), mo);
  }
  m = CN_DAY.exec(s);
  if (m) {
    return exact(
      isoOf(
        chineseYear(m[1]!, input),
        chineseSmallNumber(m[2]!, input),
        chineseSmallNumber(m[3]!, input),
        input,
      ),
    );
  }
  m = CN_MONTH.exec(s);
  if (m) {
    const mo = chineseSmallNumber(m[2]!, input);
    if (mo < 1 || mo > 12) throw new DateParseError(input, `no such month ${mo}`);
    return month(chineseYear(m[1]!, input), mo);
  }
  if (/^\d{1,5}(?:\.\d+)?$/.test(s)) {
    if (!options.excelSerial)
      throw new DateParseError(input, `a number, not a date (an Excel serial day number? ${EXPECTED})`);
    return exact(excelSerialDate(Math.floor(Number(s)), input));
  }
  throw new DateParseError(input, EXPECTED);
}

/**
 * Reads a source date into `YYYY-MM-DD` (readSourceDate without the estimated mark). Empty or
 * blank input gives `null`.
 * @throws DateParseError with the input and the reason when the text is not a real calendar day.
 */
export function parseSourceDate(
  input: string | null | undefined,
  options: SourceDateOptions = {},
): string | null {
  return readSourceDate(input, options)?.date ?? null;
}
