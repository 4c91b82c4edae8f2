/** The bureau's time zone: legal dates are days in Asia/Shanghai (architecture.md). */
export const BUREAU_TIME_ZONE = 'Asia/Shanghai';

/** Today's date in Asia/Shanghai as YYYY-MM-DD (the only place that reads the clock for dates). */
export function todayInShanghai(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: BUREAU_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * True for a real calendar day written YYYY-MM-DD (Gregorian leap years) in the years 1900-2199:
 * legal dates of this service lie there, and PostgreSQL refuses year 0. Hot in imports: no allocation.
 */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || !ISO_DATE.test(s)) return false;
  const y = +s.slice(0, 4);
  const m = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
  const d = (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}
