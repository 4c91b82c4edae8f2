import { describe, expect, it } from '@jest/globals';
import {
  CHECK_METHOD_LABELS,
  RECUSAL_SOURCES,
  RECUSAL_STATUSES,
} from '../../inspections/catalog/rules/catalog-input.js';
import * as L from './labels-catalog.js';

/** The pages' copies of the catalog's codes (labels-catalog.ts) agree with their sources. */
describe('labels of the catalog pages (labels-catalog.ts)', () => {
  it('copies the backend tables and labels every code', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(L.CHECK_METHOD_LABELS).toEqual(CHECK_METHOD_LABELS);
    expect(keys(L.RECUSAL_STATUS_LABELS)).toEqual([...RECUSAL_STATUSES].sort());
    expect(keys(L.RECUSAL_STATUS_TAGS)).toEqual([...RECUSAL_STATUSES].sort());
    expect(keys(L.RECUSAL_SOURCE_LABELS)).toEqual([...RECUSAL_SOURCES].sort());
  });
});
