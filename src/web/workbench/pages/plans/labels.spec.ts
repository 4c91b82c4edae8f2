import { describe, expect, it } from '@jest/globals';
import * as server from '../../../../inspections/public/public-plan-pages.js';
import * as L from './labels.js';

/** The plan pages' labels agree with the server's (public pages, the same words). */
describe('labels of the plan pages', () => {
  it('copies the server tables exactly', () => {
    expect(L.PLAN_STATUS_LABELS).toEqual(server.PLAN_STATUS_LABELS);
    expect(L.CHECK_METHOD_LABELS).toEqual(server.CHECK_METHOD_LABELS);
    expect(L.DRAW_STATUS_LABELS).toEqual(server.DRAW_STATUS_LABELS);
    expect(Object.keys(L.PLAN_STATUS_TAGS).sort()).toEqual(Object.keys(server.PLAN_STATUS_LABELS).sort());
  });
});
