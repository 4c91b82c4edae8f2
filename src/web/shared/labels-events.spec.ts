import { describe, expect, it } from '@jest/globals';
import { TRIGGER_KINDS, TRIGGER_STATUSES } from '../../inspections/triggers/dto/trigger.dto.js';
import { VISIT_STATUSES } from '../../inspections/visits/dto/visit.dto.js';
import { REPEAT_VISIT_LIMITS } from '../../inspections/rules/frequency-alerts.js';
import * as L from './labels-events.js';

const keys = (o: object) => Object.keys(o).sort();

/** The pages' copies of the codes of triggers, visits, tasks and alerts agree with the backend. */
describe('labels of triggers, visits and alerts (labels-events.ts)', () => {
  it('labels every code of the backend, and no other', () => {
    expect(keys(L.TRIGGER_KIND_LABELS)).toEqual([...TRIGGER_KINDS].sort());
    expect(keys(L.TRIGGER_STATUS_LABELS)).toEqual([...TRIGGER_STATUSES].sort());
    expect(keys(L.TRIGGER_STATUS_TAGS)).toEqual([...TRIGGER_STATUSES].sort());
    expect(keys(L.VISIT_STATUS_LABELS)).toEqual([...VISIT_STATUSES].sort());
    expect(keys(L.REPEAT_RULE_LABELS)).toEqual(keys(REPEAT_VISIT_LIMITS));
  });

  it('labels the task columns as the schema allows them (migration 1765584000000)', async () => {
    const { readFileSync } = await import('node:fs');
    const schema = readFileSync('migrations/1765584000000-inspection-planning.ts', 'utf8');
    const allowed = (column: string) =>
      new RegExp(`${column}\\s+text[^\\n]*?CHECK \\(${column} IN \\(([^)]*)\\)`, 's')
        .exec(schema)![1]!
        .split(',')
        .map((s) => s.trim().replace(/'/g, ''))
        .sort();
    expect(keys(L.TASK_KIND_LABELS)).toEqual(allowed('kind'));
    expect(keys(L.CHECK_METHOD_LABELS)).toEqual(allowed('check_method'));
    expect(keys(L.TASK_OUTCOME_LABELS)).toEqual(allowed('outcome'));
    expect(keys(L.TASK_STATUS_LABELS)).toEqual(
      /status\s+text NOT NULL DEFAULT 'assigned'\s+CHECK \(status IN \(([^)]*)\)/
        .exec(schema)![1]!
        .split(',')
        .map((s) => s.trim().replace(/'/g, ''))
        .sort(),
    );
  });
});
