import { describe, expect, it } from '@jest/globals';
import { CHECK_DETAILS, CHECK_LABELS } from '../../web/workbench/pages/plan-draws/types.js';
import { CHECK_DETAIL_ZH, CHECK_ZH } from './draw-labels.js';

describe('the draw page’s copy of the checks’ labels', () => {
  it('equals the server’s', () => {
    expect(CHECK_LABELS).toEqual(CHECK_ZH);
    expect(CHECK_DETAILS).toEqual(CHECK_DETAIL_ZH);
  });
});
