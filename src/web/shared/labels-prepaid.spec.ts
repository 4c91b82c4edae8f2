import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  GUARANTEE_KINDS,
  PREPAID_SECTORS,
  RISK_LEVELS,
  ALERT_LEVELS,
} from '../../prepaid/rules/risk-facts.js';
import { RISK_RULE_KEYS } from '../../prepaid/rules/risk-rules.js';
import * as L from './labels-prepaid.js';

const keys = (o: object) => Object.keys(o).sort();
const schema = readFileSync('migrations/1765929600000-prepaid-early-warning.ts', 'utf8');

/** The codes a CHECK (`column IN (...)`) of the prepaid migration allows, the first after `table`. */
function allowed(table: string, column: string): string[] {
  const from = schema.indexOf(`CREATE TABLE ${table} `);
  expect(from).toBeGreaterThan(-1);
  const m = new RegExp(`${column}\\s+text[^\\n]*?CHECK \\(${column} IN \\(([^)]*)\\)`, 's').exec(
    schema.slice(from),
  );
  return m![1]!
    .split(',')
    .map((s) => s.trim().replace(/'/g, ''))
    .sort();
}

/** The pages' copies of the prepaid codes agree with the rules and the schema. */
describe('labels of the prepaid risk early warning (labels-prepaid.ts)', () => {
  it('labels every code of the rules, and no other', () => {
    expect(keys(L.RISK_LEVEL_LABELS)).toEqual([...RISK_LEVELS].sort());
    expect(keys(L.RISK_LEVEL_COLORS)).toEqual([...RISK_LEVELS].sort());
    expect([...L.ALERT_LEVELS]).toEqual([...ALERT_LEVELS]);
    expect(keys(L.PREPAID_SECTOR_LABELS)).toEqual([...PREPAID_SECTORS].sort());
    expect(keys(L.GUARANTEE_KIND_LABELS)).toEqual([...GUARANTEE_KINDS].sort());
    expect(keys(L.RISK_RULE_LABELS)).toEqual([...RISK_RULE_KEYS].sort());
  });

  it('labels the alert columns as the schema allows them', () => {
    expect(keys(L.ALERT_STATUS_LABELS)).toEqual(allowed('prepaid_alert', 'status'));
    expect(keys(L.ALERT_STATUS_TAGS)).toEqual(allowed('prepaid_alert', 'status'));
    expect(keys(L.ALERT_OUTCOME_LABELS)).toEqual(allowed('prepaid_alert', 'outcome'));
    expect(keys(L.ALERT_EVENT_KIND_LABELS)).toEqual(allowed('prepaid_alert_event', 'kind'));
    expect(keys(L.DISPOSAL_KIND_LABELS)).toEqual(allowed('prepaid_disposal', 'kind'));
  });

  it('keeps the level colours readable: text on its background at least 4.5:1 (WCAG AA)', () => {
    const lum = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const [level, c] of Object.entries(L.RISK_LEVEL_COLORS)) {
      const [hi, lo] = [lum(c.background), lum(c.text)].sort((a, b) => b - a);
      // the level named in a failure
      expect({ level, readable: (hi! + 0.05) / (lo! + 0.05) >= 4.5 }).toEqual({ level, readable: true });
    }
  });
});
