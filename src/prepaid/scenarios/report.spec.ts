import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RISK_MODEL } from '../rules/default-risk-model.js';
import { dateOfDay, day } from '../rules/rule-kit.js';
import { DEFAULT_SCENARIO_PARAMS, factsAsOf, generateIssuers } from './generator.js';
import { TARGET, formatScenarioReport, runScenarioReport } from './report.js';
import { runShapes } from './shapes.js';

describe('the scenario report (Does it warn in time?)', () => {
  it('meets the target on the default seed and population', () => {
    const r = runScenarioReport();
    expect(r.params).toEqual(DEFAULT_SCENARIO_PARAMS);
    expect(r.closing.issuers).toBe(100);
    expect(r.healthy.issuers).toBe(500);
    expect(r.closing.warned30Share).toBeGreaterThanOrEqual(TARGET.warnedShare);
    expect(r.healthy.everRedShare).toBeLessThan(TARGET.healthyEverRedMax);
    expect(r.targetMet).toBe(true);
    // the false-alert rate is a real measurement: healthy issuers do raise yellows now and then
    expect(r.healthy.everYellow).toBeGreaterThan(0);
    expect(r.closing.minLeadDays).not.toBeNull();
    const text = formatScenarioReport(r).join('\n');
    expect(text).toContain('target met: yes');
    expect(text).toContain('sudden_closure');
  }, 120_000);

  it('is deterministic: the same seed gives the same issuers and report, another seed others', () => {
    const small = { ...DEFAULT_SCENARIO_PARAMS, healthy: 30, closing: 10 };
    expect(generateIssuers(small)).toEqual(generateIssuers(small));
    expect(runScenarioReport(small)).toEqual(runScenarioReport(small));
    expect(generateIssuers({ ...small, seed: 15 })).not.toEqual(generateIssuers(small));
  }, 60_000);

  it('gives facts as of a day: nothing submitted, received or decided after it', () => {
    const [iss] = generateIssuers({ ...DEFAULT_SCENARIO_PARAMS, healthy: 0, closing: 1 });
    const asOf = dateOfDay(day(iss!.closesOn!) - 1);
    const f = factsAsOf(iss!, asOf, 1);
    expect(f.reports.every((r) => r.submittedOn <= asOf)).toBe(true);
    expect(f.signals.every((s) => s.receivedOn <= asOf)).toBe(true);
    expect(f.credit.penaltyDates.every((d) => d <= asOf)).toBe(true);
    expect(f.stores.every((s) => s.closedOn === null)).toBe(true);
    expect(f.signals.some((s) => s.kind === 'unreachable')).toBe(false);
    expect(factsAsOf(iss!, iss!.closesOn!, 1).stores.every((s) => s.closedOn === iss!.closesOn)).toBe(true);
  });
});

describe('off-generator shapes', () => {
  const byName = Object.fromEntries(runShapes(DEFAULT_RISK_MODEL).map((s) => [s.name, s]));
  it('cannot warn of a sudden closure with no drift, and is red once it has happened', () => {
    const s = byName.sudden_closure!;
    expect(s.maxLevelBeforeClosure).toBe('none');
    expect(s.leadDays).toBeNull();
    expect(s.maxLevel).toBe('red');
  });
  it('leaves a fast but healthy grower below yellow', () => {
    expect(['none', 'blue']).toContain(byName.fast_healthy_growth!.maxLevel);
  });
  it('does not alarm on a big chain whose many complaints are its normal', () => {
    expect(byName.big_chain_many_complaints!.maxLevel).toBe('none');
  });
  it('escalates an issuer gone silent: yellow after two missing quarters, orange after three', () => {
    const s = byName.silent_stop!;
    expect(s.maxLevel).toBe('orange');
    expect(s.segments.map((x) => x.level)).toEqual(['none', 'blue', 'yellow', 'orange']);
  });
  it('opens an alert (yellow) on escrow eroded to nothing, and no more on that alone', () => {
    expect(byName.escrow_erosion!.maxLevel).toBe('yellow');
  });
});
