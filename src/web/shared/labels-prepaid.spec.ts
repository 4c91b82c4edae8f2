import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  GUARANTEE_KINDS,
  PREPAID_SECTORS,
  RISK_LEVELS,
  SIGNAL_KINDS,
} from '../../prepaid/rules/risk-facts.js';
import * as L from './labels-prepaid.js';

const keys = (o: object) => Object.keys(o).sort();
const MIGRATION = readFileSync('migrations/1765929600000-prepaid-early-warning.ts', 'utf8');
/** The codes the CHECK after `column` allows, in `table`'s definition. */
function checkCodes(table: string, column: string): string[] {
  const start = MIGRATION.indexOf(`CREATE TABLE ${table} (`);
  if (start < 0) throw new Error(`no table ${table}`);
  const sql = MIGRATION.slice(start);
  const m = new RegExp(`\\n\\s*${column}\\s[^\\n]*?CHECK \\(${column} IN \\(([^)]*)\\)`).exec(sql);
  if (!m) throw new Error(`no CHECK on ${table}.${column}`);
  return [...m[1]!.matchAll(/'([a-z_]+)'/g)].map((x) => x[1]!).sort();
}

describe('labels of prepaid risk (labels-prepaid.ts)', () => {
  it('labels the codes of the rules', () => {
    expect(keys(L.PREPAID_SECTOR_LABELS)).toEqual([...PREPAID_SECTORS].sort());
    expect(keys(L.GUARANTEE_KIND_LABELS)).toEqual([...GUARANTEE_KINDS].sort());
    expect(keys(L.RISK_LEVEL_LABELS)).toEqual([...RISK_LEVELS].sort());
    expect(keys(L.RISK_LEVEL_LONG_LABELS)).toEqual([...RISK_LEVELS].sort());
    expect(keys(L.RISK_LEVEL_COLORS)).toEqual([...RISK_LEVELS].sort());
    expect(keys(L.SIGNAL_KIND_LABELS)).toEqual([...SIGNAL_KINDS].sort());
  });

  it("labels the codes of the schema's checks", () => {
    expect(keys(L.PREPAID_SECTOR_LABELS)).toEqual(checkCodes('prepaid_issuer', 'sector'));
    expect(keys(L.GUARANTEE_KIND_LABELS)).toEqual(checkCodes('prepaid_issuer', 'guarantee_kind'));
    expect(keys(L.PERIOD_KIND_LABELS)).toEqual(checkCodes('prepaid_report', 'period_kind'));
    expect(keys(L.ALERT_STATUS_LABELS)).toEqual(checkCodes('prepaid_alert', 'status'));
    expect(keys(L.ALERT_OUTCOME_LABELS)).toEqual(checkCodes('prepaid_alert', 'outcome'));
    expect(keys(L.ALERT_EVENT_LABELS)).toEqual(checkCodes('prepaid_alert_event', 'kind'));
    expect(keys(L.DISPOSAL_KIND_LABELS)).toEqual(checkCodes('prepaid_disposal', 'kind'));
    expect(keys(L.SIGNAL_KIND_LABELS)).toEqual(checkCodes('prepaid_signal', 'kind'));
  });

  it('speaks the terms of the brief', () => {
    expect(Object.values(L.RISK_LEVEL_LABELS)).toEqual(['无', '蓝', '黄', '橙', '红']);
    expect(Object.values(L.ALERT_STATUS_LABELS)).toEqual(['待分派', '已分派', '处置中', '已反馈', '已办结']);
    expect(L.prepaidLabel(L.SIGNAL_KIND_LABELS, null)).toBe('—');
    expect(L.prepaidLabel(L.SIGNAL_KIND_LABELS, 'x')).toBe('x');
  });
});
