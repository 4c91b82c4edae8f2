/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { todayInShanghai } from '../../src/common/clock.js';
import { DEMO_USERS } from '../../src/demo/demo-data.js';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';
import { applyAndCheckIn } from './check-code-steps.js';

/** A demo user's name and password (DEMO_USERS, what `npm start` prints). */
function demoUser(username: string): { username: string; password: string } {
  const u = DEMO_USERS.find((d) => d.username === username);
  if (!u) throw new Error(`no demo user ${username}`);
  return { username: u.username, password: u.password };
}

/** The tier the enterprise page shows in its heading, e.g. "B类 · 信用风险一般". */
async function tierOnEnterprisePage(page: Page, uscc: string, name: string): Promise<string> {
  await page.goto(`/enterprises/${uscc}`);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  const tag = page.locator('.head .tier-tag');
  await tag.waitFor();
  // the heading first shows the list's tier, then the credit status: wait for the latter
  await page.getByText('信用状况').waitFor();
  await page.waitForLoadState('networkidle');
  return ((await tag.textContent()) ?? '').trim();
}

/** The operators' command line, when built (npm run build). */
const CLI = path.resolve('dist/src/cli.js');

/** The lowest score of each tier (the default scorecard's thresholds). */
const TIER_FLOOR: Record<string, number> = { B: 75, C: 55 };

/**
 * Issue 11 end to end, on the demo data `npm start` loads and only through the pages: the demo
 * regulator publishes the demo draft plan, commits to batch 1's draw with a secret made in the
 * browser, a regulator of another department of the bureau types the public value in a browser of
 * her own, the demo regulator reveals, draws and verifies; the public draw page (no sign-in)
 * shows the draw and its verification, and `draw verify` on the command line agrees; the demo
 * inspector opens 我的任务, one of its drawn tasks (on an enterprise near the floor of its tier)
 * and records problems found; the regulator sees the enterprise's tier move on 企业详情. The demo
 * plan is of this year with its first batch open from today (demo-plan.ts), so that the drawn
 * tasks take results the same day.
 */
describe('planning journey on the demo data (browser)', () => {
  let service: Service;
  let browser: Browser;

  beforeAll(async () => {
    const t0 = Date.now();
    service = await startService(3000);
    console.log(`service with the demo data: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('publish the demo plan, commit, public value, reveal, draw, verify, public page, a result moves a tier', async () => {
    const started = Date.now();
    const lap = (what: string) => console.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // 1. the demo regulator opens 年度抽查计划 and the demo draft plan, publishes it
    const reg = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = reg;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '年度抽查计划' }).click();
    await page.waitForURL('**/plans');
    const today = todayInShanghai();
    const year = Number(today.slice(0, 4));
    const planLink = page.getByTestId('plans').getByRole('link', { name: `${year}-market-01` });
    await planLink.waitFor();
    await expectAccessible(page, '/plans (demo)');
    await screenshot(page, 'journey-1-plans');
    await planLink.click();
    await page.waitForURL(/\/plans\/\d+$/);
    const planId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByText('草稿尚未发布').waitFor();
    await page.getByRole('button', { name: '发布计划' }).click();
    const confirm = page.getByRole('dialog', { name: '确认发布计划' });
    await confirm.getByText('将向社会公开').waitFor();
    await confirm.getByRole('button', { name: '确定发布' }).click();
    await page.getByText('计划已发布').waitFor();
    await page.locator('.page-title').getByText('已发布').waitFor();
    const published = (await service.test.admin.get(`/api/plans/${planId}`).expect(200)).body;
    // a plan of this year published after March 31 is flagged late, and the page says so
    expect(published).toMatchObject({ status: 'published', late: today > `${year}-03-31` });
    if (published.late) await page.locator('.page-title').getByText('逾期发布').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'demo plan (published)');
    await screenshot(page, 'journey-2-plan-published');
    lap('published');

    // 2. batch 1's draw page: commit with the secret the page made
    await page.getByTestId('batches').getByRole('link', { name: '进入抽取' }).first().click();
    await page.waitForURL(/\/plans\/\d+\/batches\/\d+\/draw$/);
    const drawPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: '第一步：承诺种子' }).waitFor();
    const secret = ((await page.getByTestId('secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByText(createHash('sha256').update(secret).digest('hex')).waitFor();
    await page.getByLabel('公开随机数来源').fill(`中国福利彩票双色球 ${year}015 期开奖号码`);
    await page.getByText('我已保存好种子').click();
    await screenshot(page, 'journey-3-commit');
    await page.getByRole('button', { name: '承诺并冻结名录' }).click();
    await page.getByRole('heading', { name: '第二步：录入公开随机数' }).waitFor();
    await page.getByText('须由另一位工作人员（不是承诺人）').waitFor();
    await expectAccessible(page, 'draw page: committed');
    lap('committed');

    // another regulator of the bureau (health), in a browser of her own, types the public value
    const other = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(other.page, demoUser('demo-reg-health'), `/login?redirect=${encodeURIComponent(drawPath)}`);
    await other.page.waitForURL(`**${drawPath}`);
    await other.page.getByText(/只有牵头部门（.*市场监督管理局）的监管人员可以承诺/).waitFor();
    await other.page.getByLabel(/公开随机数（/).fill('03 07 12 19 25 31 + 09');
    await screenshot(other.page, 'journey-4-public-value');
    await other.page.getByRole('button', { name: '录入公开随机数' }).click();
    await other.page.getByRole('heading', { name: '第三步：揭示种子' }).waitFor();
    other.expectNoProblems();
    await other.context.close();

    // the demo regulator reveals with the secret, draws, verifies
    await page.reload();
    await page.getByRole('heading', { name: '第三步：揭示种子' }).waitFor();
    await page.getByLabel('种子（原样输入承诺时保存的种子）').fill(secret);
    await page.getByText('与种子承诺值一致').waitFor();
    await page.getByRole('button', { name: '揭示种子' }).click();
    await page.getByRole('heading', { name: '第四步：抽取' }).waitFor();
    await page.getByRole('button', { name: '执行抽取' }).click();
    await page.getByRole('dialog', { name: '执行抽取' }).getByRole('button', { name: '执行抽取' }).click();
    await page.getByRole('heading', { name: '各事项、各类抽取情况' }).waitFor();
    await page.getByTestId('targets').locator('.el-table__body tbody tr').first().waitFor();
    lap('drawn');
    await page.getByRole('button', { name: '重新计算并验证' }).click();
    await page.getByTestId('verdict').getByText('验证通过').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'draw page: drawn and verified');
    await screenshot(page, 'journey-5-verified');
    const drawId = Number(
      /第 (\d+) 次/.exec((await page.getByText(/抽取记录 · 第 \d+ 次/).textContent()) ?? '')?.[1],
    );
    expect(drawId).toBeGreaterThan(0);
    lap('verified');

    // 3. the public draw page, without signing in
    const pub = await openPage(browser, service.baseUrl, DESKTOP);
    await pub.page.goto(`/public/draws/${drawId}`);
    await pub.page.getByText('验证通过').first().waitFor();
    await pub.page.getByText(secret).first().waitFor();
    await pub.page.getByText('03 07 12 19 25 31 + 09').first().waitFor();
    await expectAccessible(pub.page, '/public/draws/:id');
    await screenshot(pub.page, 'journey-6-public-draw');
    pub.expectNoProblems();
    await pub.context.close();
    lap('public');

    // anybody with the published inputs re-runs it: the operators' command on the same database
    if (existsSync(CLI)) {
      const dir = mkdtempSync(path.join(tmpdir(), 'journey-cli-'));
      const verify = spawnSync(process.execPath, [CLI, 'draw', 'verify', String(drawId)], {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, DATABASE_URL: service.test.url, LOG_LEVEL: 'error' },
      });
      console.log(verify.stdout, verify.stderr);
      expect(verify.status).toBe(0);
      lap('draw verify on the command line');
    }

    // 4. the demo inspector (drawn for tasks of market) opens 我的任务; of the open tasks on its
    // first page, the one whose enterprise is nearest the floor of its tier (B or C): a failed
    // inspection moves it down
    const inspector = await openPage(browser, service.baseUrl, DESKTOP);
    const ip = inspector.page;
    await signIn(ip, service.demo.inspector);
    await ip.getByRole('menuitem', { name: '我的任务' }).click();
    await ip.getByRole('heading', { name: '我的任务' }).waitFor();
    await ip.waitForLoadState('networkidle');
    await screenshot(ip, 'journey-7-my-tasks-today');
    await ip.getByRole('tab', { name: /全部未完成/ }).click();
    await ip.locator('.el-card.task').first().waitFor();
    await expectAccessible(ip, 'my tasks (open)');
    await screenshot(ip, 'journey-8-my-tasks-open');
    // each card: its task, and whether it says 综合查一次 (a draw gives every task a visit; only
    // one holding tasks of other departments is a joint visit)
    const shown = await ip.locator('.el-card.task').evaluateAll((cards) =>
      cards.map((c) => ({
        id: Number(c.querySelector<HTMLAnchorElement>('h2 a')!.pathname.split('/').pop()),
        joint: (c.querySelector('.task-head')!.textContent ?? '').includes('综合查一次'),
      })),
    );
    let pick: { id: number; uscc: string; name: string; tier: string; margin: number } | undefined;
    for (const { id, joint } of shown) {
      const t = (await service.test.admin.get(`/api/tasks/${id}`).expect(200)).body;
      expect({ id, joint }).toEqual({ id, joint: t.visit?.joint === true });
      if (t.drawId !== drawId) continue;
      const e = (await service.test.admin.get(`/api/enterprises/${t.enterprise.uscc}`).expect(200)).body;
      if (!(e.tier in TIER_FLOOR)) continue;
      const margin = Number(e.score) - TIER_FLOOR[e.tier];
      if (!pick || margin < pick.margin) pick = { id, uscc: e.uscc, name: e.name, tier: e.tier, margin };
    }
    if (!pick)
      throw new Error(
        `none of the tasks ${shown.map((x) => x.id).join(', ')} is of this draw on a tier B or C enterprise`,
      );
    const { tier } = pick;
    lap(`task ${pick.id} of ${pick.name} (${tier}, ${pick.margin} points above the floor)`);

    // the regulator reads the tier first
    expect(await tierOnEnterprisePage(page, pick.uscc, pick.name)).toMatch(new RegExp(`^${tier}类`));
    await screenshot(page, 'journey-9-enterprise-before');

    // at the enterprise: the inspection code of the visit, applied for and checked in under on the
    // inspector's phone (issue 12, 无码不检查), then the result on the desk
    await applyAndCheckIn(browser, service.baseUrl, service.demo.inspector, pick.id);
    lap('inspection code applied for and checked in (phone)');
    await ip.getByRole('link', { name: pick.name }).first().click();
    await ip.getByRole('heading', { level: 1, name: pick.name }).waitFor();
    await expectAccessible(ip, 'task detail');
    await screenshot(ip, 'journey-10-task');
    await ip.getByRole('button', { name: '记录检查结果' }).click();
    const dialog = ip.getByRole('dialog', { name: '记录检查结果' });
    await dialog.getByText('发现问题', { exact: true }).click();
    await dialog.getByLabel('第1条问题', { exact: true }).fill('未在经营场所醒目位置悬挂营业执照');
    await ip.mouse.move(0, 0);
    await screenshot(ip, 'journey-11-result');
    await dialog.getByRole('button', { name: '提交结果' }).click();
    await ip.getByRole('button', { name: '确定提交' }).click();
    const next = tier === 'B' ? 'C' : 'D';
    await ip.getByText(`检查结果已记录，企业风险分类由 ${tier} 类调整为 ${next} 类。`).waitFor();
    await expect(ip.getByTestId('outcome').textContent()).resolves.toBe('发现问题');
    await screenshot(ip, 'journey-12-recorded');
    inspector.expectNoProblems();
    await inspector.context.close();

    // the regulator sees the tier changed
    expect(await tierOnEnterprisePage(page, pick.uscc, pick.name)).toMatch(new RegExp(`^${next}类`));
    await screenshot(page, 'journey-13-enterprise-after');
    reg.expectNoProblems();
    await reg.context.close();
    lap('done');
  }, 150_000);
});
