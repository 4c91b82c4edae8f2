/**
 * The enterprise's rating of an inspection (issue 12 "The enterprise rates after completion, once
 * per code"; domain.md 5.4): who may rate, when, and what is stored. Pure: the code's state, the
 * rater and today are arguments.
 */
import { addDays } from '../../../common/calendar-days.js';
import type { CheckCodeState } from '../../rules/check-code-rules.js';

/** Longest comment, characters (the shared text rule, src/common/text-check.ts, checks it). */
export const RATING_COMMENT_MAX = 500;

/** Scores from 1 (very poor) to 5 (very good). */
export const RATING_SCORE = { min: 1, max: 5 } as const;

/** A rating of at most this many stars is a low rating, listed for the supervising body. */
export const LOW_SCORE = 2;

/** The supervising body of ratings: regulators of this department see ratings whole (docs/security.md "Ratings"). */
export const SUPERVISING_DEPARTMENT = 'oversight';

/** A refusal: `forbidden` answers 403 (audited access.denied), `conflict` 409 (audited check_code.rating_refused). */
export interface RatingRefusal {
  code: 'forbidden' | 'conflict';
  reason: string;
}

/** What the rule needs of the code and of the user asking. */
export interface CodeForRating {
  status: CheckCodeState;
  /** USCC of the code's enterprise */
  uscc: string;
  /** whether the code has a rating already */
  rated: boolean;
}

/**
 * Why this enterprise user may not rate the code now, or null (it may):
 * - only a user of the code's own enterprise rates it (403);
 * - only a completed code: every task it covers has its result (409; issued, in use, expired and
 *   revoked codes say which);
 * - once per code, whoever of the enterprise rates first (409).
 */
export function ratingRefusal(code: CodeForRating, userUscc: string | null): RatingRefusal | null {
  if (!userUscc || userUscc !== code.uscc)
    return { code: 'forbidden', reason: "only the inspected enterprise's own users rate its inspection" };
  if (code.status !== 'completed') {
    const why: Record<Exclude<CheckCodeState, 'completed'>, string> = {
      issued: 'the inspection has not begun',
      in_use: 'the inspection is not completed yet',
      expired: 'the code expired without the inspection being completed',
      revoked: 'the code was revoked',
    };
    return { code: 'conflict', reason: `a visit is rated after it is completed: ${why[code.status]}` };
  }
  if (code.rated)
    return { code: 'conflict', reason: 'this inspection has been rated already (once per code)' };
  return null;
}

/** The day a rating made on `ratedOn` enters the department's aggregates: ratedOn + delayDays (setting ratingDelayDays). */
export function releasedOn(ratedOn: string, delayDays: number): string {
  if (!Number.isInteger(delayDays) || delayDays < 0)
    throw new RangeError(`delayDays ${delayDays} must be >= 0`);
  return addDays(ratedOn, delayDays);
}

/** Whether the user is of the supervising body (a regulator of SUPERVISING_DEPARTMENT). */
export function isSupervisingBody(user: { role: string; department: string | null }): boolean {
  return user.role === 'regulator' && user.department === SUPERVISING_DEPARTMENT;
}
