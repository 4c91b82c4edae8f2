/**
 * Numbers of the inspection-code rules (issue 12; domain.md 5.4), as bounds and defaults of the
 * bureau settings that hold them (src/settings).
 */

/** Longest validity of a code, calendar days (the task window, at most this): setting checkCodeMaxDays. */
export const CHECK_CODE_MAX_DAYS = { min: 1, max: 90, default: 30 } as const;

/**
 * Smallest group of ratings an inspected department sees an aggregate of (k-anonymity of the
 * enterprise's rating): setting ratingMinGroup.
 */
export const RATING_MIN_GROUP = { min: 2, max: 50, default: 5 } as const;

/**
 * Calendar days after a rating before it enters the department's aggregates: setting
 * ratingDelayDays (default 14: with several inspections a fortnight, a rating released at once
 * would point at the visit just done, undoing ratingMinGroup's anonymity).
 */
export const RATING_DELAY_DAYS = { min: 0, max: 180, default: 14 } as const;

/** Code states (check_code.status). */
export const CHECK_CODE_STATES = ['issued', 'in_use', 'completed', 'expired', 'revoked'] as const;
export type CheckCodeState = (typeof CHECK_CODE_STATES)[number];
