/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { todayInShanghai } from '../../src/common/clock.js';
import { buildUscc } from '../../src/common/uscc.js';
import { KIND_LABELS } from '../../src/web/mobile/labels.js';
import { formatDate, formatFen } from '../../src/web/shared/format.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOT_DIR,
  startService,
  type Service,
  fillSignIn,
} from './harness.js';

/** What GET /api/enterprises/:uscc/credit-records answers per record (the fields the page shows). */
interface ApiRecord {
  kind: string;
  recordDate: string;
  sourceDepartment: string;
  decisionNo: string | null;
  fineFen: number | null;
  counting: { counts: boolean; until: string | null; reason: string };
}

const TIER_HIDDEN = '本局未向企业展示风险分类结果：风险分类用于配置监管资源，不是对外公布的信用评价。';

/** The browser's own console line for an answer the journey expects (401 while signed out, 404 for another's). */
const EXPECTED_REFUSALS = /Failed to load resource: the server responded with a status of (401|404)/;

/**
 * Saves what the phone's screen shows as out/screenshots/<name>.png (a full-page capture would
 * paint the fixed tab bar halfway down a long page).
 */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** True when the page scrolls sideways at its width (a phone page must not). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);
}

/**
 * Issue 10: an enterprise user on a 375 px phone signs in, sees its particulars and its credit
 * records with their counting state, sees its tier only once the bureau shows tiers to
 * enterprises, and cannot reach another enterprise's page or data.
 */
describe('the enterprise on its phone (/m)', () => {
  let service: Service;
  let browser: Browser;
  let uscc: string;
  let name: string;
  let otherUscc: string;
  beforeAll(async () => {
    service = await startService(120);
    browser = await launchBrowser();
    const login = await fetch(`${service.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(service.demo.enterprise),
    });
    uscc = ((await login.json()) as { user: { uscc: string } }).user.uscc;
    const [own] = await service.test.dataSource.query(`SELECT name FROM enterprise WHERE uscc = $1`, [uscc]);
    name = own.name;
    const [other] = await service.test.dataSource.query(
      `SELECT uscc FROM enterprise WHERE uscc <> $1 ORDER BY uscc LIMIT 1`,
      [uscc],
    );
    otherUscc = other.uscc;
    // more records than one page of the list (20), the newest a penalty with a decision number and a fine
    const have = Number(
      (
        await service.test.dataSource.query(
          `SELECT count(*)::int AS n FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id WHERE e.uscc = $1`,
          [uscc],
        )
      )[0].n,
    );
    const today = todayInShanghai();
    const [{ established }] = await service.test.dataSource.query(
      `SELECT to_char(established_on, 'YYYY-MM-DD') AS established FROM enterprise WHERE uscc = $1`,
      [uscc],
    );
    const daysAgo = (n: number) => {
      const d = new Date(Date.parse(`${today}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);
      return established && d < established ? established : d;
    };
    for (let i = have; i < 24; i++)
      await service.test.admin
        .post(`/api/enterprises/${uscc}/credit-records`)
        .send({
          kind: 'complaint',
          recordDate: daysAgo(1 + i),
          sourceDepartment: '杨浦区市场监督管理局',
          channel: '12315',
          subject: `浏览器测试投诉${i}`,
        })
        .expect(201);
    await service.test.admin
      .post(`/api/enterprises/${uscc}/credit-records`)
      .send({
        kind: 'administrative_penalty',
        recordDate: today,
        sourceDepartment: '杨浦区市场监督管理局',
        decisionNo: '沪市监杨处〔2026〕88号',
        procedure: 'general',
        penaltyTypes: ['fine'],
        fineFen: 1234500,
      })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('signs in at 375 px, shows its particulars and its records with their counting state, never another enterprise', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    w.allow(EXPECTED_REFUSALS);

    // signed out: any page of /m leads to the sign-in page
    await page.goto('/m/records');
    await page.waitForURL(/\/m\/login\?redirect=(%2F|\/)records$/);
    await expect(page.getByRole('heading', { name: '企业信用服务' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page, '/m/login');
    await screenshot(page, 'm-login');
    expect(await scrollsSideways(page)).toBe(false);

    // a wrong password: the workbench's message
    await page.getByLabel('用户名').fill(service.demo.enterprise.username);
    await page.getByLabel('密码').fill('not-the-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('用户名或密码错误');

    await page.getByLabel('密码').fill(service.demo.enterprise.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/m\/records$/);

    // 本企业: its name and USCC; the tier is not shown by default, and the page says why
    await page.getByRole('tab', { name: '本企业' }).click();
    await page.waitForURL(/\/m\/?$/);
    await page.getByText(name, { exact: true }).waitFor();
    await expect(page.getByText(uscc, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(TIER_HIDDEN).isVisible()).resolves.toBe(true);
    expect(await page.getByText(/[ABCD]类 · /).count()).toBe(0);
    expect(await page.getByText('信用评分').count()).toBe(0);
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page, '/m (tier hidden)');
    await screenshot(page, 'm-home');

    // 信用记录: every record of the API, newest first, each with its counting state
    const res = await service.test.admin
      .get(`/api/enterprises/${uscc}/credit-records?pageSize=500`)
      .expect(200);
    const records = res.body as ApiRecord[];
    expect(records.length).toBeGreaterThan(20);
    await page.getByRole('tab', { name: '信用记录' }).click();
    await page.waitForURL(/\/m\/records$/);
    const cards = page.locator('article.record');
    await cards.first().waitFor();
    const first = (await cards.first().innerText()).replace(/\s+/g, ' ');
    const top = records[0]!;
    expect(top.kind).toBe('administrative_penalty');
    for (const text of [
      KIND_LABELS[top.kind]!,
      formatDate(top.recordDate),
      top.sourceDepartment,
      top.decisionNo!,
      formatFen(top.fineFen),
      top.counting.reason,
    ])
      expect(first).toContain(text);
    expect(first).toContain('¥12,345.00');
    expect(first).toMatch(/计入信用评价至\d{4}年\d{1,2}月\d{1,2}日/);
    // checked once the list has settled (axe on a list growing under it reports what is not there)
    await page.locator('.van-list[aria-busy="false"]').waitFor();
    await expectAccessible(page, '/m/records');
    await screenshot(page, 'm-records');
    // load more: scrolling to the end brings the next page, until all are shown
    const done = page.getByText(`共 ${records.length} 条，已全部显示`);
    for (let i = 0; i < 10 && !(await done.isVisible()); i++) {
      await page.mouse.wheel(0, 4000);
      await page.waitForTimeout(300);
    }
    await expect(done.isVisible()).resolves.toBe(true);
    expect(await cards.count()).toBe(records.length);
    const states = await page.locator('article.record .counting .van-cell__value').allInnerTexts();
    expect(states).toEqual(records.map((r) => r.counting.reason));
    expect(await scrollsSideways(page)).toBe(false);

    // another enterprise's page on the workbench ends on /m, and its data answers 404
    await page.goto(`/enterprises/${otherUscc}`);
    await page.waitForURL(/\/m\/?$/);
    await page.getByText(name, { exact: true }).waitFor();
    const status = await page.evaluate(
      async (other) => (await fetch(`/api/enterprises/${other}`, { credentials: 'same-origin' })).status,
      otherUscc,
    );
    expect(status).toBe(404);
    const recordsStatus = await page.evaluate(
      async (other) => (await fetch(`/api/enterprises/${other}/credit-records`)).status,
      otherUscc,
    );
    expect(recordsStatus).toBe(404);
    // an unknown phone page says so
    await page.goto('/m/enterprises/x');
    await expect(page.getByRole('heading', { name: '未找到' }).isVisible()).resolves.toBe(true);

    // the tier, once the bureau shows tiers to enterprises (an admin's setting)
    await service.test.admin.patch('/api/settings').send({ enterpriseTierVisible: true }).expect(200);
    const credit = (await service.test.admin.get(`/api/enterprises/${uscc}/credit`).expect(200)).body as {
      tier: string;
      tierLabel: { zh: string };
    };
    await page.goto('/m/');
    await page.getByText(`${credit.tier}类 · ${credit.tierLabel.zh}`).waitFor();
    expect(await page.getByText(TIER_HIDDEN).count()).toBe(0);
    await expect(
      page.getByText('风险分类用于配置监管资源，不是对外公布的信用评价。').isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(page, '/m (tier shown)');
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
    await screenshot(page, 'm-home-tier');
    await service.test.admin.patch('/api/settings').send({ enterpriseTierVisible: false }).expect(200);

    // 我的: the account; a session ended elsewhere sends the page to sign-in with a message
    await page.getByRole('tab', { name: '我的' }).click();
    await page.getByRole('button', { name: '退出所有设备' }).waitFor();
    await expectAccessible(page, '/m/account');
    await screenshot(page, 'm-account');
    await w.context.clearCookies();
    await page.getByRole('tab', { name: '信用记录' }).click();
    await page.getByText('登录已失效（长时间未操作或已在其他设备退出），请重新登录').waitFor();
    await page.waitForURL(/\/m\/login/);

    w.expectNoProblems();
    await w.context.close();
  });

  it('changes the password and signs out everywhere, after a confirmation', async () => {
    const { user } = await service.test.signIn('enterprise', { uscc });
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    w.allow(EXPECTED_REFUSALS);
    // the refusals of a weak new password (422) and of a wrong current one (401) are expected here
    w.allow(/status of 422/);
    await page.goto('/m/login');
    await page.getByLabel('用户名').fill(user.username);
    await page.getByLabel('密码').fill('Test-password-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/m\/?$/);
    await page.getByRole('tab', { name: '我的' }).click();

    // a weak new password: the reason beside the field, in Chinese
    await page.getByLabel('当前密码').fill('Test-password-2026');
    await page.getByLabel('新密码', { exact: true }).fill('short1');
    await page.getByLabel('确认新密码').fill('short1');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('新密码至少10个字符').waitFor();
    // a wrong current password: beside that field, still signed in
    await page.getByLabel('当前密码').fill('Wrong-password-2026');
    await page.getByLabel('新密码', { exact: true }).fill('New-password-2026');
    await page.getByLabel('确认新密码').fill('New-password-2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('当前密码不正确').waitFor();
    expect(page.url()).toMatch(/\/m\/account$/);
    await page.getByLabel('当前密码').fill('Test-password-2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改').waitFor();
    // the old password no longer signs in; this session stays
    const old = await fetch(`${service.baseUrl}/api/auth/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: 'Test-password-2026' }),
    });
    expect(old.status).toBe(401);
    await page.getByRole('tab', { name: '信用记录' }).click();
    await page.locator('article.record').first().waitFor();

    // sign out everywhere: asked first; cancelling keeps the session
    await page.getByRole('tab', { name: '我的' }).click();
    await page.getByRole('button', { name: '退出所有设备' }).click();
    await page.getByRole('button', { name: '取消' }).click();
    expect(page.url()).toMatch(/\/m\/account$/);
    await page.getByRole('button', { name: '退出所有设备' }).click();
    await page.getByRole('button', { name: '确定退出' }).click();
    await page.waitForURL(/\/m\/login$/);
    const after = await page.evaluate(async () => (await fetch('/api/auth/session')).status);
    expect(after).toBe(401);

    w.expectNoProblems();
    await w.context.close();
  });

  it('says so when the enterprise has no credit records', async () => {
    const fresh = buildUscc('91', '310110', 'MA1K7W2P');
    await service.test.admin
      .post('/api/enterprises')
      .send({ uscc: fresh, name: '上海无记录测试有限公司', establishedOn: '2020-03-01' })
      .expect(201);
    const { user } = await service.test.signIn('enterprise', { uscc: fresh });
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    w.allow(EXPECTED_REFUSALS);
    await page.goto('/m/login');
    await page.getByLabel('用户名').fill(user.username);
    await page.getByLabel('密码').fill('Test-password-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('上海无记录测试有限公司', { exact: true }).waitFor();
    await page.getByRole('tab', { name: '信用记录' }).click();
    await page.getByText('暂无信用记录').waitFor();
    expect(await page.locator('article.record').count()).toBe(0);
    await expectAccessible(page, '/m/records (empty)');
    w.expectNoProblems();
    await w.context.close();
  });

  it('sends a staff user who signs in on the phone pages to the workbench', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    w.allow(EXPECTED_REFUSALS);
    await page.goto('/m/login');
    await fillSignIn(page, service.demo.regulator);
    await page.waitForURL((url) => !url.pathname.startsWith('/m'));
    expect(new URL(page.url()).pathname.startsWith('/m')).toBe(false);
    w.expectNoProblems();
    await w.context.close();
  });
});
