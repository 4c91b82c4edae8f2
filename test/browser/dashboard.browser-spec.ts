/**
 * The regulator's home (驾驶舱) as a person reads it: the tier distribution of the last run, the
 * last runs, this month's changes and the enterprises that moved to D with their reasons; the
 * numbers on the page are those of GET /api/dashboard and of the stored run. Its empty and error
 * states are shown with the service's answer replaced in the browser.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  startService,
  type Service,
  fillSignIn,
} from './harness.js';

const count = (n: number) => n.toLocaleString('zh-CN');
const share = (s: number) => `${(s * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`;
const chineseDate = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

interface DashboardAnswer {
  tiers: { tier: string; label: { zh: string } }[];
  latestRun: {
    id: number;
    asOf: string;
    modelVersion: string;
    enterprises: number;
    tierCounts: Record<string, number>;
    tierShares: Record<string, number>;
  };
  recentRuns: { id: number; asOf: string; enterprises: number; modelVersion: string }[];
  changesThisMonth: { month: string; total: number };
  movedToWorst: { total: number; items: { uscc: string; name: string }[] };
}

describe('驾驶舱', () => {
  let service: Service;
  let browser: Browser;
  let moved: { uscc: string; name: string };
  beforeAll(async () => {
    service = await startService(200);
    browser = await launchBrowser();
    // an enterprise of tier B put on the serious list today: it moves to D this month
    [moved] = await service.test.dataSource.query(
      `SELECT e.uscc, e.name FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
        WHERE s.tier = 'B' ORDER BY e.uscc LIMIT 1`,
    );
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await service.test.admin
      .post(`/api/enterprises/${moved.uscc}/credit-records`)
      .send({
        kind: 'listing',
        listType: 'serious',
        listedOn: today,
        sourceDepartment: '杨浦区市场监督管理局',
        listingReason: '提交虚假材料取得登记',
      })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('a regulator signs in and reads the tier distribution, the last runs and the moves to D', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await page.goto('/login');
    await fillSignIn(page, service.demo.regulator);
    // the regulator's home is the first item of its menu
    await page.getByRole('heading', { name: '驾驶舱' }).waitFor();
    await page.getByRole('heading', { name: /风险分类分布/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    // what the service answers, with the page's own session
    const res = await w.context.request.get('/api/dashboard');
    expect(res.status()).toBe(200);
    const d = (await res.json()) as DashboardAnswer;
    // ... and what it stored: the last full run's counts
    const [run] = await service.test.dataSource.query(
      `SELECT id::int AS id, enterprises, tier_counts FROM scoring_run
        WHERE scope = 'all' AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    expect(d.latestRun.id).toBe(run.id);
    expect(d.latestRun.tierCounts).toEqual(run.tier_counts);
    expect(run.enterprises).toBe(200);

    const stats = page.locator('[data-test="tier-stats"]');
    await expect(
      stats
        .locator('[data-test="enterprises"]')
        .textContent()
        .then((s) => s?.trim()),
    ).resolves.toBe(count(run.enterprises));
    for (const t of d.tiers) {
      const stat = stats.locator(`[data-tier="${t.tier}"]`);
      await expect(stat.textContent()).resolves.toContain(t.label.zh);
      await expect(
        stat
          .locator('[data-test="tier-count"]')
          .textContent()
          .then((s) => s?.trim()),
      ).resolves.toBe(count(run.tier_counts[t.tier] ?? 0));
      await expect(
        stat
          .locator('[data-test="tier-share"]')
          .textContent()
          .then((s) => s?.trim()),
      ).resolves.toBe(`占 ${share(d.latestRun.tierShares[t.tier] ?? 0)}`);
    }
    // the charts speak too: a label a screen reader reads, with the same numbers
    const pie = page.getByRole('img', { name: /风险分类分布饼图/ });
    await expect(pie.getAttribute('aria-label')).resolves.toContain(
      `D类${d.tiers.at(-1)!.label.zh} ${count(run.tier_counts.D ?? 0)}家`,
    );
    await expect(pie.locator('canvas').count()).resolves.toBe(1);
    await expect(page.locator('table.sr-only caption').first().textContent()).resolves.toContain(
      '风险分类分布',
    );
    await expect(page.getByRole('img', { name: /近12个月分类趋势/ }).count()).resolves.toBe(1);

    // the last runs: 批次, 评分基准日, 完成时间, 企业数, 模型版本
    const runs = page.locator('[data-test="recent-runs"] .el-table__body tr');
    await expect(runs.count()).resolves.toBe(d.recentRuns.length);
    const first = d.recentRuns[0]!;
    await expect(runs.first().textContent()).resolves.toContain(String(first.id));
    await expect(runs.first().textContent()).resolves.toContain(chineseDate(first.asOf));
    await expect(runs.first().textContent()).resolves.toContain(count(first.enterprises));
    await expect(runs.first().textContent()).resolves.toContain(first.modelVersion);

    // this month's changes, and the enterprise that moved to D with its reason
    const [year, month] = d.changesThisMonth.month.split('-').map(Number);
    await page.getByRole('heading', { name: `${year}年${month}月分类变动` }).waitFor();
    expect(d.movedToWorst.items.map((i) => i.uscc)).toContain(moved.uscc);
    const row = page
      .locator('[data-test="moved-to-worst"] .el-table__body tr')
      .filter({ hasText: moved.uscc });
    await expect(row.textContent()).resolves.toMatch(/B类/);
    await expect(row.textContent()).resolves.toContain('严重违法失信');
    await expect(page.getByText(`共 ${count(d.movedToWorst.total)} 家`).count()).resolves.toBeGreaterThan(0);

    await expectAccessible(page, 'dashboard');
    await screenshot(page, 'dashboard');

    // the enterprise's name opens its page
    await row.getByRole('link', { name: moved.name }).click();
    await page.waitForURL(`**/enterprises/${moved.uscc}`);
    w.expectNoProblems();
    await w.context.close();
  });

  it('says so in a sentence when nothing is scored yet, and offers a retry when the service fails', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await page.goto('/login?redirect=/dashboard');
    await page.getByLabel('用户名').fill(service.demo.admin.username);
    await page.getByLabel('密码').fill(service.demo.admin.password);
    // an empty database's answer (DashboardService on no runs)
    await page.route('**/api/dashboard', (route) =>
      route.fulfill({
        json: {
          tiers: [{ tier: 'A', label: { zh: '信用风险低', en: 'low risk' } }],
          latestRun: null,
          trend: [],
          changesThisMonth: { month: '2026-12', total: 0, transitions: [] },
          recentRuns: [],
          movedToWorst: { tier: 'D', total: 0, items: [] },
        },
      }),
    );
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('还没有完成的全量评分').waitFor();
    await expectAccessible(page, 'empty dashboard');

    // the service fails: the reason in Chinese, and a retry that works once it is back
    await page.unroute('**/api/dashboard');
    w.allow(/status of 503/);
    let failing = true;
    await page.route('**/api/dashboard', (route) =>
      failing
        ? route.fulfill({ status: 503, json: { statusCode: 503, message: 'database not answering' } })
        : route.continue(),
    );
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByText('驾驶舱数据加载失败：服务暂时不可用，请稍后再试').waitFor();
    failing = false;
    await page.getByRole('button', { name: '重试' }).click();
    await page.getByRole('heading', { name: /风险分类分布/ }).waitFor();
    w.expectNoProblems();
    await w.context.close();
  });
});
