import { addDays, dayNumber } from './calendar-days.js';
import { type WorkingDayCalendar, nextWorkingDay, officialCalendar } from './working-days.js';

/**
 * Periods of law counted in years, months or days, by the Civil Code's rules on periods
 * (民法典 第二百零一条至第二百零三条). Pure apart from the holiday calendar; no clock.
 * - art. 201: the day the period starts from is not counted; counting begins the next day;
 * - art. 202: a period in months or years ends on the matching day of the end month; with no
 *   matching day (31 March + 1 month, 29 February + 1 year), on the end month's last day;
 * - art. 203: a last day that falls on a statutory holiday (法定休假日: weekends and holidays not
 *   worked, make-up working days 调休 excluded) moves to the day after the holiday ends, the next
 *   working day on the official calendar (common/working-days.ts). A last day in a year the
 *   calendar does not cover is moved over weekends only and marked provisional.
 */

/** A period's length: whole years, months or days (at least 1). */
export type PeriodLength = { years: number } | { months: number } | { days: number };

/** The Civil Code articles applied to reach a last day. */
export type CivilCodeRule = 'art201' | 'art202' | 'art202-month-end' | 'art203';

/** A period's last day and how it was reached. */
export interface PeriodEnd {
  /** the last day of the period, YYYY-MM-DD (after any holiday shift) */
  lastDay: string;
  /** the last day before art. 203 moved it off a holiday; null when not moved */
  movedFrom: string | null;
  /** the articles applied, in order */
  rules: CivilCodeRule[];
  /** true when art. 203 was applied in a year the holiday calendar does not cover */
  provisional: boolean;
}

/** 3 years, 6 months, 20 days: the length in Chinese (3年, 6个月, 20日). */
export function lengthText(len: PeriodLength): string {
  if ('years' in len) return `${len.years}年`;
  if ('months' in len) return `${len.months}个月`;
  return `${len.days}日`;
}

function monthsOf(len: PeriodLength): number | null {
  if ('years' in len) return len.years * 12;
  if ('months' in len) return len.months;
  return null;
}

/**
 * The last day of a period counted from `from` (the day of the event, itself not counted).
 * 2026-01-31 + 1 month: 2026-02-28 (art. 202, month end); 2024-02-29 + 1 year: 2025-02-28;
 * 2026-07-01 + 3 months: 2026-10-01, a National Day holiday, moved to 2026-10-08 (art. 203).
 * @param shiftOffHolidays apply art. 203 (default true); false gives the bare art. 201/202 day
 * @throws RangeError for a bad date or a length that is not a whole number >= 1
 */
export function periodLastDay(
  from: string,
  len: PeriodLength,
  cal: WorkingDayCalendar = officialCalendar,
  shiftOffHolidays = true,
): PeriodEnd {
  dayNumber(from);
  const n = 'years' in len ? len.years : 'months' in len ? len.months : len.days;
  if (!Number.isInteger(n) || n < 1 || n > 1200)
    throw new RangeError(`period length ${n}: a whole number 1..1200`);
  const rules: CivilCodeRule[] = ['art201'];
  let last: string;
  const months = monthsOf(len);
  if (months === null) {
    last = addDays(from, n);
  } else {
    const total = +from.slice(0, 4) * 12 + (+from.slice(5, 7) - 1) + months;
    const y = Math.floor(total / 12);
    const m = total - y * 12;
    const monthEnd = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const day = +from.slice(8, 10);
    rules.push(day > monthEnd ? 'art202-month-end' : 'art202');
    last = `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(Math.min(day, monthEnd)).padStart(2, '0')}`;
  }
  if (!shiftOffHolidays) return { lastDay: last, movedFrom: null, rules, provisional: false };
  const next = nextWorkingDay(last, cal);
  if (next.date === last) return { lastDay: last, movedFrom: null, rules, provisional: next.provisional };
  return { lastDay: next.date, movedFrom: last, rules: [...rules, 'art203'], provisional: next.provisional };
}
