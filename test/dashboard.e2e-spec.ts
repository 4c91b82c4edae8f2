import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '../src/audit/actor.js';
import { todayInShanghai } from '../src/common/clock.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import { DashboardService } from '../src/dashboard/dashboard.service.js';
import { monthStart } from '../src/dashboard/rules/dashboard.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { TestApp, createTestApp } from './helpers.js';

/** The regulator home (驾驶舱): GET /api/dashboard against what the runs and tier changes stored. */
describe('dashboard', () => {
  let t: TestApp;
  const today = todayInShanghai();
  const month = today.slice(0, 7);
  /** day `d` of the month `offset` months from this one */
  const day = (offset: number, d: number) =>
    `${monthStart(today, offset).slice(0, 8)}${String(d).padStart(2, '0')}`;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('an empty database answers empty lists and zeros, not errors', async () => {
    const res = await t.admin.get('/api/dashboard').expect(200);
    expect(res.body).toEqual({
      tiers: [
        { tier: 'A', label: expect.objectContaining({ zh: expect.any(String), en: expect.any(String) }) },
        { tier: 'B', label: expect.any(Object) },
        { tier: 'C', label: expect.any(Object) },
        { tier: 'D', label: expect.any(Object) },
      ],
      latestRun: null,
      trend: [],
      changesThisMonth: { month, total: 0, transitions: [] },
      recentRuns: [],
      movedToWorst: { tier: 'D', total: 0, items: [] },
    });
  });

  describe('on scored data', () => {
    let runs: { id: number; as_of: string; tier_counts: Record<string, number> }[];
    let moved: { uscc: string; name: string; fromTier: string };

    beforeAll(async () => {
      expect(await loadDemoData(t.app, 300, true, systemActor('test'))).not.toBeNull();
      const scoring = t.app.get(ScoringService);
      // a run 13 months back (outside the trend), two in the same month 3 months back, one today
      for (const asOf of [day(-13, 28), day(-3, 20), day(-3, 10), today]) await scoring.rescoreAll(asOf);
      // a tier change of last month stays out of this month's counts
      await t.dataSource.query(
        `INSERT INTO credit_tier_change (enterprise_id, changed_at, as_of, run_id, model_version, from_tier, to_tier, from_score, to_score, reasons)
         SELECT enterprise_id, now() - interval '40 days', as_of, run_id, model_version, 'A', 'D', 95, 10, reasons
         FROM credit_score ORDER BY enterprise_id LIMIT 1`,
      );
      // an enterprise of tier C with deductions moves to D (serious list): the move of this month
      const [c] = await t.dataSource.query(
        `SELECT e.uscc, e.name FROM credit_score s JOIN enterprise e ON e.id = s.enterprise_id
         WHERE s.tier = 'C' AND e.status = 'active' ORDER BY e.id LIMIT 1`,
      );
      await t.admin
        .post(`/api/enterprises/${c.uscc}/credit-records`)
        .send({
          kind: 'listing',
          listType: 'serious',
          listedOn: today,
          sourceDepartment: '上海市市场监督管理局',
          listingReason: '预付卡经营者一年内两次以上行政处罚',
        })
        .expect(201);
      moved = { uscc: c.uscc, name: c.name, fromTier: 'C' };
      runs = await t.dataSource.query(
        `SELECT id::int AS id, as_of, tier_counts FROM scoring_run WHERE scope = 'all' ORDER BY id DESC`,
      );
    });

    it('the latest run and the recent runs are the stored full runs with their counts', async () => {
      const body = (await t.admin.get('/api/dashboard').expect(200)).body;
      const stored = (await t.admin.get('/api/scoring-runs').query({ pageSize: 5 }).expect(200)).body;
      expect(body.recentRuns).toEqual(stored);
      expect(body.recentRuns).toHaveLength(5);
      expect(body.latestRun).toEqual(stored[0]);
      expect(body.latestRun).toMatchObject({
        id: runs[0]!.id,
        asOf: today,
        tierCounts: runs[0]!.tier_counts,
      });
      expect(Object.values(body.latestRun.tierCounts as Record<string, number>).reduce((a, b) => a + b)).toBe(
        300,
      );
      expect(body.latestRun.tierShares.A).toBeCloseTo(body.latestRun.tierCounts.A / 300, 4);
    });

    it('trend: one point per month of the last 12, the last run of each, oldest first', async () => {
      const body = (await t.admin.get('/api/dashboard').expect(200)).body;
      const byAsOf = (d: string) => runs.find((r) => r.as_of === d)!;
      // the demo load's own run (today) and the run as of today: the newer one stands for this month
      const thisMonth = runs.filter((r) => r.as_of === today)[0]!;
      expect(body.trend).toEqual([
        {
          month: day(-3, 1).slice(0, 7),
          runId: byAsOf(day(-3, 20)).id,
          asOf: day(-3, 20),
          tierCounts: byAsOf(day(-3, 20)).tier_counts,
        },
        { month, runId: thisMonth.id, asOf: today, tierCounts: thisMonth.tier_counts },
      ]);
    });

    it('changes this month: counted by (from, to) as stored, last month left out', async () => {
      const body = (await t.admin.get('/api/dashboard').expect(200)).body;
      const expected: { from_tier: string | null; to_tier: string; n: number }[] = await t.dataSource.query(
        `SELECT from_tier, to_tier, count(*)::int AS n FROM credit_tier_change
         WHERE to_char(changed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1
         GROUP BY from_tier, to_tier ORDER BY to_tier, from_tier NULLS FIRST`,
        [month],
      );
      expect(body.changesThisMonth.month).toBe(month);
      expect(body.changesThisMonth.transitions).toEqual(
        expected.map((e) => ({ fromTier: e.from_tier, toTier: e.to_tier, count: e.n })),
      );
      // the first classifications of the demo load are among them
      expect(body.changesThisMonth.transitions[0]).toMatchObject({ fromTier: null, toTier: 'A' });
      const [{ all }] = await t.dataSource.query(`SELECT count(*)::int AS "all" FROM credit_tier_change`);
      expect(body.changesThisMonth.total).toBe(all - 1);
      expect(body.changesThisMonth.total).toBe(expected.reduce((a, e) => a + e.n, 0));
    });

    it('moved to the worst tier: this month, newest first, with the hard rule and the largest deductions', async () => {
      const body = (await t.admin.get('/api/dashboard').expect(200)).body;
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM credit_tier_change WHERE to_tier = 'D' AND from_tier IS NOT NULL
         AND changed_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'`,
      );
      expect(body.movedToWorst.tier).toBe('D');
      expect(body.movedToWorst.total).toBe(n);
      expect(body.movedToWorst.items.length).toBe(Math.min(n, 10));
      const [newest] = body.movedToWorst.items;
      expect(newest).toMatchObject({ uscc: moved.uscc, name: moved.name, fromTier: 'C', toTier: 'D' });
      expect(newest.topReasons[0]).toEqual({ zh: '列入严重违法失信名单, 直接列为D类', points: 0 });
      expect(newest.topReasons.length).toBeGreaterThan(1);
      expect(newest.topReasons.length).toBeLessThanOrEqual(3);
      const deductions = newest.topReasons.slice(1).map((r: { points: number }) => r.points);
      expect(deductions.every((p: number) => p < 0)).toBe(true);
      expect(deductions).toEqual([...deductions].sort((a, b) => a - b));
      const times = body.movedToWorst.items.map((i: { changedAt: string }) => i.changedAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(body.movedToWorst.items.every((i: { changedAt: string }) => i.changedAt.startsWith('20'))).toBe(
        true,
      );
    });

    it('"this month" follows the given day: a day of another month reads that month', async () => {
      const dashboards = t.app.get(DashboardService);
      const earlier = await dashboards.dashboard(day(-3, 25));
      expect(earlier.changesThisMonth).toEqual({ month: day(-3, 1).slice(0, 7), total: 0, transitions: [] });
      expect(earlier.movedToWorst.items).toEqual([]);
      // the trend is the 12 months ending with that month: the run 13 months back is inside, today's after it
      expect(earlier.trend.map((p) => p.asOf)).toEqual([day(-13, 28), day(-3, 20)]);
      const longAgo = await dashboards.dashboard(day(-13, 28));
      expect(longAgo.trend.map((p) => p.asOf)).toEqual([day(-13, 28)]);
    });

    it('regulators open it; inspectors and enterprises may not', async () => {
      await (await t.signIn('regulator')).agent.get('/api/dashboard').expect(200);
      await (await t.signIn('inspector')).agent.get('/api/dashboard').expect(403);
      await (await t.signIn('enterprise', { uscc: moved.uscc })).agent.get('/api/dashboard').expect(403);
    });
  });
});
