import { describe, expect, it } from '@jest/globals';
import { ALERT_LEVELS, RISK_LEVELS } from '../../prepaid/rules/risk-facts.js';
import { RISK_RULE_KEYS } from '../../prepaid/rules/risk-rules.js';
import { RISK_RULE_LABELS as SERVER_RULE_LABELS } from '../../prepaid/rules/rule-labels.js';
import * as L from './labels-prepaid.js';

const keys = (o: object) => Object.keys(o).sort();

/** WCAG relative luminance of '#rrggbb'. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The risk pages' part of labels-prepaid.ts (rules, alert levels, tag colours). */
describe('labels of the risk pages (labels-prepaid.ts)', () => {
  it('labels every rule and level of the rules, and no other', () => {
    expect(keys(L.RISK_RULE_LABELS)).toEqual([...RISK_RULE_KEYS].sort());
    // the server's names of the rules (src/prepaid/rules/rule-labels.ts), copied
    expect(L.RISK_RULE_LABELS).toEqual(SERVER_RULE_LABELS);
    expect([...L.ALERT_LEVELS]).toEqual([...ALERT_LEVELS]);
    expect(keys(L.RISK_LEVEL_TAG_COLORS)).toEqual([...RISK_LEVELS].sort());
    expect(keys(L.ALERT_STATUS_TAGS)).toEqual(keys(L.ALERT_STATUS_LABELS));
  });

  it('keeps the tag colours readable: text on its background at least 4.5:1 (WCAG AA)', () => {
    for (const [level, c] of Object.entries(L.RISK_LEVEL_TAG_COLORS)) {
      const [hi, lo] = [luminance(c.background), luminance(c.text)].sort((a, b) => b - a);
      // the level named in a failure
      expect({ level, readable: (hi! + 0.05) / (lo! + 0.05) >= 4.5 }).toEqual({ level, readable: true });
    }
    // and the check can fail: the data pages' light red under white text is not readable
    const red = [luminance(L.RISK_LEVEL_COLORS.red!), luminance('#ffffff')].sort((a, b) => b - a);
    expect((red[0]! + 0.05) / (red[1]! + 0.05)).toBeLessThan(4.5);
  });
});

describe('labels of the alerts (labels-prepaid.ts) and the server', () => {
  it('names disposals and outcomes as the alert rules do', async () => {
    const server = await import('../../prepaid/alerts/rules/alert-rules.js');
    expect(L.DISPOSAL_KIND_LABELS).toEqual(server.DISPOSAL_LABELS);
    expect(L.ALERT_OUTCOME_LABELS).toEqual(server.ALERT_OUTCOME_LABELS);
    // the disposal dialog says which disposals write a credit record
    const page = (await import('node:fs')).readFileSync(
      'src/web/workbench/pages/prepaid/AlertDetailPage.vue',
      'utf8',
    );
    const listed = /const RECORDED_KINDS = \[([^\]]*)\]/.exec(page)![1]!.match(/[a-z_]+/g);
    expect(listed).toEqual([...server.DISPOSALS_WITH_RECORD]);
  });
});
