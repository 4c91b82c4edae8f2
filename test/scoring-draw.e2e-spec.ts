import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { storeReasons } from '../src/credit/rules/scorecard.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { systemActor } from '../src/audit/actor.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { DrawService } from '../src/inspections/draw.service.js';
import { DrawInputError } from '../src/inspections/rules/draw.js';
import { TestApp, createTestApp } from './helpers.js';

describe('batch scoring and the tiered draw on generated data', () => {
  let t: TestApp;
  let scoring: ScoringService;
  let draws: DrawService;
  beforeAll(async () => {
    t = await createTestApp();
    const loaded = await loadDemoData(t.app, 600, true, systemActor('test'));
    expect(loaded).not.toBeNull();
    scoring = t.app.get(ScoringService);
    draws = t.app.get(DrawService);
  });
  afterAll(() => t.close());

  it('demo data loads through the importers and every enterprise gets a tier', async () => {
    const [{ n, scored }] = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(s.enterprise_id)::int AS scored FROM enterprise e LEFT JOIN credit_score s ON s.enterprise_id = e.id`,
    );
    expect(n).toBe(600);
    expect(scored).toBe(600);
    expect(await loadDemoData(t.app, 600, true, systemActor('test'))).toBeNull();
  });

  it('the batch gives each enterprise the same result as scoring it alone', async () => {
    const run = await scoring.rescoreAll('2026-11-30');
    expect(Object.values(run.tierCounts).reduce((a, b) => a + b, 0)).toBe(600);
    expect(Object.keys(run.tierCounts)).toEqual(['A', 'B', 'C', 'D']);
    // tiers are mixed on the demo data
    expect(Object.values(run.tierCounts).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    const sample: { id: number; score: number; tier: string; reasons: unknown }[] = await t.dataSource.query(
      `SELECT enterprise_id AS id, score, tier, reasons FROM credit_score ORDER BY enterprise_id LIMIT 40`,
    );
    // an indicator's value is a float sum whose order PostgreSQL leaves to the plan (the batch's
    // aggregate and one enterprise's read add the same terms in another order), so values agree
    // to 12 significant digits, not always to the last bit; scores, tiers and points exactly
    const same = (reasons: unknown) =>
      JSON.parse(JSON.stringify(reasons), (_k, v: unknown) =>
        typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
      );
    for (const s of sample) {
      const one = await t.dataSource.transaction((m) => scoring.rescoreEnterprise(m, s.id, '2026-11-30'));
      expect({ score: one.score, tier: one.tier, reasons: same(storeReasons(one.breakdown)) }).toEqual({
        score: s.score,
        tier: s.tier,
        reasons: same(s.reasons),
      });
    }
  });

  it('as-of: records dated after the date do not count', async () => {
    const early = await scoring.rescoreAll('2000-01-01');
    expect(early.tierCounts.A).toBe(600);
  });

  it('draws reproducibly and records the draw with its inputs', async () => {
    await scoring.rescoreAll('2026-11-30');
    const ratios = { A: 0, B: 0.05, C: 0.2, D: 0.6 };
    const a = await draws.draw('2026-杨浦-第1批', ratios);
    const b = await draws.draw('2026-杨浦-第1批', ratios);
    expect(b.selected).toEqual(a.selected);
    expect(b.drawId).not.toBe(a.drawId);
    expect(a.selected.every((s) => s.tier !== 'A')).toBe(true);
    const [stored] = await t.dataSource.query(
      `SELECT seed, candidates, candidates_digest, selected FROM random_draw WHERE id = $1`,
      [a.drawId],
    );
    expect(stored).toEqual({
      seed: '2026-杨浦-第1批',
      candidates: a.candidates,
      candidates_digest: a.candidatesDigest,
      selected: a.selected.length,
    });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM random_draw_item WHERE draw_id = $1`,
      [a.drawId],
    );
    expect(n).toBe(a.selected.length);
    // only enterprises in business are candidates
    const [{ active }] = await t.dataSource.query(
      `SELECT count(*)::int AS active FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id WHERE e.status = 'active'`,
    );
    expect(a.candidates).toBe(active);
    await expect(draws.draw('x', { A: 0.1 })).rejects.toThrow(DrawInputError);
  });
});
