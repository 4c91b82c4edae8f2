import { describe, expect, it } from '@jest/globals';
import { DEPARTMENTS } from '../../auth/roles.js';
import { AppConfig } from '../../config/configuration.js';
import { RECORD_AUTHORITIES } from '../../credit/rules/record-authorities.js';
import {
  CHANGE_ITEM_LABELS,
  CREDIT_RECORD_KINDS,
  INSPECTION_OUTCOMES,
  JUDICIAL_CASE_TYPES,
  KIND_LABELS,
  LIST_TYPES,
  PENALTY_PROCEDURES,
  PENALTY_SEVERITIES,
  PENALTY_TYPES,
  SPOT_CHECK_OUTCOMES,
} from '../../credit/rules/record-kinds.js';
import { ENTITY_TYPE_LABELS, STATUS_LABELS } from '../../enterprises/entities/enterprise.entity.js';
import { REVIEW_FLAGS } from '../../enterprises/dto/enterprise.dto.js';
import { penaltyTypeLabel } from '../../penalties/rules/publication-regimes.js';
import * as L from './labels-credit.js';

/** The pages' copies of the backend's codes and labels (labels-credit.ts) agree with their sources. */
describe('labels of the pages (labels-credit.ts)', () => {
  it('copies the backend label tables exactly', () => {
    expect(L.RECORD_KIND_LABELS).toEqual(KIND_LABELS);
    expect(L.CHANGE_ITEM_LABELS).toEqual(CHANGE_ITEM_LABELS);
    expect(L.ENTITY_TYPE_LABELS).toEqual(ENTITY_TYPE_LABELS);
    expect(L.STATUS_LABELS).toEqual(STATUS_LABELS);
    expect(L.DEPARTMENT_NAMES).toEqual(DEPARTMENTS);
  });

  it('labels every code of the backend, and no other', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(L.LIST_TYPE_LABELS)).toEqual([...LIST_TYPES].sort());
    expect(keys(L.INSPECTION_OUTCOME_LABELS)).toEqual([...INSPECTION_OUTCOMES].sort());
    expect(keys(L.SPOT_CHECK_OUTCOME_LABELS)).toEqual([...SPOT_CHECK_OUTCOMES].sort());
    expect(keys(L.CASE_TYPE_LABELS)).toEqual([...JUDICIAL_CASE_TYPES].sort());
    expect(keys(L.PROCEDURE_LABELS)).toEqual([...PENALTY_PROCEDURES].sort());
    expect(keys(L.PENALTY_TYPE_LABELS)).toEqual([...PENALTY_TYPES].sort());
    expect(keys(L.PENALTY_SEVERITY_LABELS)).toEqual([...PENALTY_SEVERITIES].sort());
    expect(keys(L.REVIEW_FLAG_LABELS)).toEqual([...REVIEW_FLAGS].sort());
    expect(keys(L.RECORD_ISSUERS)).toEqual([...CREDIT_RECORD_KINDS].sort());
  });

  it('names each penalty type as the printed documents do (one set of words)', () => {
    for (const t of PENALTY_TYPES) expect([t, L.PENALTY_TYPE_LABELS[t]]).toEqual([t, penaltyTypeLabel(t)]);
  });

  it('offers each department exactly the kinds RECORD_AUTHORITIES lets it issue', () => {
    for (const department of Object.keys(DEPARTMENTS)) {
      const allowed = CREDIT_RECORD_KINDS.filter((k) =>
        (RECORD_AUTHORITIES[k].issuers as readonly string[]).includes(department),
      );
      expect(L.kindsFor(department).sort()).toEqual([...allowed].sort());
    }
    expect(L.kindsFor(null)).toHaveLength(CREDIT_RECORD_KINDS.length);
  });

  it("names the district as the configuration's default does", () => {
    expect(L.DISTRICT_NAME).toBe(new AppConfig().DISTRICT_NAME);
  });

  it('colours tiers from best to worst and others neutral', () => {
    expect(['A', 'B', 'C', 'D', 'E', null].map(L.tierTagType)).toEqual([
      'success',
      'primary',
      'warning',
      'danger',
      'info',
      'info',
    ]);
  });
});
