import { describe, expect, it } from '@jest/globals';
import {
  CHECK_CODE_MAX_DAYS,
  RATING_DELAY_DAYS,
  RATING_MIN_GROUP,
} from '../../../../check-codes/rules/check-code-rules.js';
import { SUPERVISING_DEPARTMENT as SERVER_SUPERVISING } from '../../../../check-codes/ratings/rules/rating-rules.js';
import { CHECK_CODE_SETTING_BOUNDS, SUPERVISING_DEPARTMENT } from './types.js';

/** The pages' copies of the inspection-code rules agree with their sources. */
describe('inspection-code settings of the pages', () => {
  it('copies the bounds of check-code-rules.ts', () => {
    expect(CHECK_CODE_SETTING_BOUNDS).toEqual({
      checkCodeMaxDays: CHECK_CODE_MAX_DAYS,
      ratingMinGroup: RATING_MIN_GROUP,
      ratingDelayDays: RATING_DELAY_DAYS,
    });
    expect(SUPERVISING_DEPARTMENT).toBe(SERVER_SUPERVISING);
  });
});
