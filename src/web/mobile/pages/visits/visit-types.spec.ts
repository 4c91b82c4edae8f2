import { describe, expect, it } from '@jest/globals';
import { CODED_KINDS } from '../../../../check-codes/ratings/rules/visit-stats.js';
import { RATING_COMMENT_MAX as SERVER_MAX } from '../../../../check-codes/ratings/rules/rating-rules.js';
import { STATE_LABELS } from '../../../../check-codes/codes/rules/code-rules.js';
import { formatDate } from '../../../shared/format.js';
import { RATING_COMMENT_MAX, repeatAlertText, VISIT_KIND_LABELS, VISIT_STATUS_TAGS } from './visit-types.js';

describe("the enterprise's inspection pages (visit-types.ts)", () => {
  it('copies the comment limit and labels every kind and state of the server', () => {
    expect(RATING_COMMENT_MAX).toBe(SERVER_MAX);
    expect(Object.keys(VISIT_KIND_LABELS).sort()).toEqual([...CODED_KINDS].sort());
    expect(Object.keys(VISIT_STATUS_TAGS).sort()).toEqual(Object.keys(STATE_LABELS).sort());
  });

  it('says a repeat-visit alert in words', () => {
    const a = { limit: 1, from: '2026-03-02', to: '2026-03-02', visits: ['code:A', 'code:B'] };
    expect(repeatAlertText({ ...a, rule: 'day' }, formatDate)).toBe(
      '2026年3月2日同一天检查 2 次（每天不超过 1 次）',
    );
    expect(
      repeatAlertText(
        { ...a, rule: 'week', limit: 2, to: '2026-03-06', visits: ['a', 'b', 'c'] },
        formatDate,
      ),
    ).toBe('2026年3月2日至2026年3月6日的7天内检查 3 次（不超过 2 次）');
    expect(repeatAlertText({ ...a, rule: 'month', limit: 3, visits: ['a', 'b', 'c', 'd'] }, formatDate)).toBe(
      '2026年3月检查 4 次（每月不超过 3 次）',
    );
  });
});
