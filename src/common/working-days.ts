import chineseDays from 'chinese-days';
import { addDays, dayNumber } from './calendar-days.js';

/**
 * Working days (工作日) on the official calendar: the State Council's yearly holiday notice with its
 * make-up working days on weekends (调休), as published by the maintained npm package
 * `chinese-days` (domain.md 3.6). Pure apart from the package's data: no clock.
 *
 * A year the package does not cover yet (the notice appears late in the year before) is never
 * taken as Monday to Friday silently: a date computed through such a year is computed with
 * weekends only and marked `provisional`, naming the years it crossed (the caller flags and logs
 * it, and computes it again once the package covers the year).
 */

/** The answer for one day: a working day, a rest day, or null when the calendar does not cover its year. */
export interface WorkingDayCalendar {
  /** true: a working day; false: a weekend or statutory holiday not worked; null: year not covered */
  isWorkingDay(date: string): boolean | null;
}

const coverage = new Map<number, boolean>();

/** Whether `chinese-days` holds the holiday notice of `year` (it lists at least one holiday in it). */
export function calendarCovers(year: number): boolean {
  let known = coverage.get(year);
  if (known === undefined) {
    known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    coverage.set(year, known);
  }
  return known;
}

/** The official calendar (`chinese-days`); null for a year it does not cover. */
export const officialCalendar: WorkingDayCalendar = {
  isWorkingDay(date: string): boolean | null {
    dayNumber(date); // RangeError for anything but a real date
    if (!calendarCovers(+date.slice(0, 4))) return null;
    return chineseDays.isWorkday(date);
  },
};

/** Monday to Friday: the stand-in for a year the official calendar does not cover (provisional only). */
function weekday(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** A computed date and whether it rests on a year the calendar does not cover. */
export interface WorkingDayResult {
  /** YYYY-MM-DD */
  date: string;
  /** true when a day on the way lay in a year the calendar does not cover (weekends only assumed there) */
  provisional: boolean;
  /** the years not covered that the computation crossed, ascending; empty when not provisional */
  uncoveredYears: number[];
}

function walker(cal: WorkingDayCalendar) {
  const uncovered = new Set<number>();
  return {
    working(date: string): boolean {
      const answer = cal.isWorkingDay(date);
      if (answer !== null) return answer;
      uncovered.add(+date.slice(0, 4));
      return weekday(date);
    },
    result(date: string): WorkingDayResult {
      const years = [...uncovered].sort((a, b) => a - b);
      return { date, provisional: years.length > 0, uncoveredYears: years };
    },
  };
}

/**
 * The `n`-th working day after `from` (`from` itself not counted: a deadline of 3 working days
 * from Friday 2026-02-13 is Wednesday 2026-02-25 across the Spring Festival, Saturday 2026-02-14
 * being a make-up working day: 02-14, 02-24, 02-25). n = 0 gives `from` itself.
 * @param n whole working days, 0..3660
 * @throws RangeError for a bad date or n
 */
export function addWorkingDays(
  from: string,
  n: number,
  cal: WorkingDayCalendar = officialCalendar,
): WorkingDayResult {
  if (!Number.isInteger(n) || n < 0 || n > 3660)
    throw new RangeError(`working days ${n}: a whole number 0..3660`);
  dayNumber(from);
  const w = walker(cal);
  let d = from;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (w.working(d)) left--;
  }
  return w.result(d);
}

/** `date` itself when a working day, else the first working day after it (Civil Code art. 203's "next day after the holiday"). */
export function nextWorkingDay(date: string, cal: WorkingDayCalendar = officialCalendar): WorkingDayResult {
  dayNumber(date);
  const w = walker(cal);
  let d = date;
  while (!w.working(d)) d = addDays(d, 1);
  return w.result(d);
}

/**
 * Working days after `from` up to and including `to` (0 when `to` <= `from`): how many working
 * days of a time limit have run by `to`.
 * @throws RangeError when `from` or `to` is not a date YYYY-MM-DD
 */
export function workingDaysBetween(
  from: string,
  to: string,
  cal: WorkingDayCalendar = officialCalendar,
): { days: number; provisional: boolean; uncoveredYears: number[] } {
  dayNumber(from);
  dayNumber(to);
  const w = walker(cal);
  let days = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (w.working(d)) days++;
  const r = w.result(to);
  return { days, provisional: r.provisional, uncoveredYears: r.uncoveredYears };
}
