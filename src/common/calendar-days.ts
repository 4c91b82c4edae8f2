import { isIsoDate } from './clock.js';

/**
 * Calendar-day arithmetic on legal dates written YYYY-MM-DD (days in Asia/Shanghai, never
 * instants). Pure: no clock.
 */

/** Days since 1970-01-01 of a date YYYY-MM-DD. @throws RangeError for anything but a real date */
export function dayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`'${date}' is not a date YYYY-MM-DD`);
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000;
}

/** The date `days` calendar days after `date` (before it when negative). @throws RangeError as dayNumber */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). @throws RangeError as dayNumber */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
