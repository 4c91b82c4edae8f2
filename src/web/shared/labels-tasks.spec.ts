import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { INSPECTION_OUTCOMES } from '../../credit/rules/record-kinds.js';
import { MY_TASK_VIEWS, TASK_KINDS, TASK_STATUSES } from '../../inspections/tasks/rules/task-result.js';
import * as L from './labels-tasks.js';

const keys = (o: object) => Object.keys(o).sort();
/**
 * The codes a CHECK of the planning migration allows (`... IN ('a','b')`) after `column`, a
 * column definition whose spaces match any whitespace (in `table`'s definition or later).
 */
function checkCodes(column: string, table?: string): string[] {
  const whole = readFileSync('migrations/1765584000000-inspection-planning.ts', 'utf8');
  const sql = table ? whole.slice(whole.indexOf(`CREATE TABLE ${table} (`)) : whole;
  const m = new RegExp(`${column.replace(/ +/g, '\\s+')}\\s+IN\\s*\\(([^)]*)\\)`).exec(sql);
  if (!m) throw new Error(`no CHECK on ${column}`);
  return [...m[1]!.matchAll(/'([a-z_]+)'/g)].map((x) => x[1]!).sort();
}

/** The task labels of the pages (labels-tasks.ts) name every code of the server, and no other. */
describe('labels of inspection tasks (labels-tasks.ts)', () => {
  it('labels the codes of the rules', () => {
    expect(keys(L.TASK_STATUS_LABELS)).toEqual([...TASK_STATUSES].sort());
    expect(keys(L.TASK_STATUS_TAG)).toEqual([...TASK_STATUSES].sort());
    expect(keys(L.TASK_KIND_LABELS)).toEqual([...TASK_KINDS].sort());
    expect(keys(L.TASK_OUTCOME_LABELS)).toEqual([...INSPECTION_OUTCOMES].sort());
    expect(keys(L.TASK_OUTCOME_HINTS)).toEqual([...INSPECTION_OUTCOMES].sort());
    expect(Object.keys(L.MY_TASK_VIEW_LABELS)).toEqual([...MY_TASK_VIEWS]);
    expect(L.TASK_OUTCOME_LABELS.not_found).toBe('查无下落');
  });

  it("labels the codes of the schema's checks", () => {
    expect(keys(L.TASK_STATUS_LABELS)).toEqual(
      checkCodes("status text NOT NULL DEFAULT 'assigned' CHECK \\(status"),
    );
    expect(keys(L.CHECK_METHOD_LABELS)).toEqual(checkCodes('check_method'));
    expect(keys(L.TRIGGER_KIND_LABELS)).toEqual(
      checkCodes('kind text NOT NULL CHECK \\(kind', 'inspection_trigger'),
    );
    expect(keys(L.INSPECTOR_ROLE_LABELS)).toEqual(checkCodes('role text NOT NULL CHECK \\(role'));
    expect(keys(L.VISIT_STATUS_LABELS)).toEqual(
      checkCodes("status text NOT NULL DEFAULT 'open' CHECK \\(status"),
    );
  });

  it('writes a window of one day as that day', () => {
    const f = (d: string) => d.replaceAll('-', '/');
    expect(L.windowText('2026-12-01', '2026-12-31', f)).toBe('2026/12/01 至 2026/12/31');
    expect(L.windowText('2026-12-01', '2026-12-01', f)).toBe('2026/12/01');
  });
});
