/**
 * Pure rules of the regulator home (驾驶舱): which days "this month" and "the last 12 months" are
 * (calendar months of a YYYY-MM-DD day in Asia/Shanghai, given by the caller), and which reasons
 * are shown for a move to the worst tier. No framework, no clock.
 */

/** A reason as the credit module expands it (code, Chinese label, points: negative deducts). */
export interface DashboardReason {
  code: string;
  zh: string;
  points: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The month of a day: `2026-12-01` -> `2026-12`. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/**
 * The first day of the month `offset` months after the month of `day` (negative: before).
 * `monthStart('2026-12-15', 0)` = `2026-12-01`, `(…, 1)` = `2027-01-01`, `(…, -11)` = `2026-01-01`.
 */
export function monthStart(day: string, offset = 0): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + offset;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  return `${year}-${pad(month + 1)}-01`;
}

/**
 * The days the dashboard reads for `today`: this month (`from` inclusive, `until` exclusive:
 * the first day of next month) and the trend's window, the 12 months ending with this one
 * (`trendFrom`, the first day of the month 11 months back, to today).
 */
export function dashboardWindow(today: string): {
  month: string;
  from: string;
  until: string;
  trendFrom: string;
} {
  return {
    month: monthOf(today),
    from: monthStart(today),
    until: monthStart(today, 1),
    trendFrom: monthStart(today, -11),
  };
}

/**
 * The reasons shown for a move to the worst tier, at most `n` (3): the hard rules that decided
 * the tier first (their points are 0: the rule, not the points, decided), then the largest
 * deductions (most negative points first; ties by code). Additions and zero-point indicators are
 * left out.
 */
export function topReasons(reasons: readonly DashboardReason[], n = 3): { zh: string; points: number }[] {
  const hard = reasons.filter((r) => r.code.startsWith('override:'));
  const deductions = reasons
    .filter((r) => !r.code.startsWith('override:') && r.points < 0)
    .sort((a, b) => a.points - b.points || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return [...hard, ...deductions].slice(0, n).map((r) => ({ zh: r.zh, points: r.points }));
}
