import { todayInShanghai } from '../common/clock.js';
import { unprocessable } from '../http/api-errors.js';

/**
 * Refuses an as-of date after today (Asia/Shanghai): records dated later cannot exist yet, so a
 * score, tier or explanation as of a later day would be a projection, and a stored one would
 * write a tier change dated in the future into the kept history (issue 9, "Text and dates").
 * @param what what cannot be computed for a later day, ending the reason (`only past scores can be explained`)
 * @throws UnprocessableEntityException (422, field `asOf`)
 */
export function refuseFutureAsOf(asOf: string, what: string): void {
  const today = todayInShanghai();
  if (asOf > today)
    throw unprocessable([
      { field: 'asOf', reason: `${asOf} is after today (${today}, Asia/Shanghai): ${what}` },
    ]);
}
