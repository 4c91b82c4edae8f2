/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '../../src/common/calendar-days.js';
import { todayInShanghai } from '../../src/common/clock.js';
import { completeTestCode, issueTestCode, type TestCode } from '../check-code-fixtures.js';
import { TEST_PASSWORD } from '../helpers.js';
import {
  DESKTOP,
  expectAccessible,
  fillSignIn,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOT_DIR,
  screenshot,
  signIn,
  startService,
  type Service,
  type WatchedPage,
} from './harness.js';

/** What a phone's screen shows, as out/screenshots/<name>.png (a full page would paint the tab bar mid-page). */
async function phoneShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** True when the page scrolls sideways at its width (a phone page must not). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);
}

/** Picks `label` in the Element Plus select whose input has the id. */
async function choose(page: Page, id: string, label: string): Promise<void> {
  await page.locator('.el-select__wrapper', { has: page.locator(`#${id}`) }).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
}

const COMMENT = '检查人员出示了检查码并读出核验词，但同一周内市场监管已来过一次，建议合并检查。';

/**
 * Issue 12 "the enterprise rates the visit anonymously": on a 375 px phone the enterprise opens
 * the rating link of its completed inspection (signing in first), gives 4 stars, answers the two
 * questions, leaves a comment, and cannot rate again; 本年检查 shows the visit rated. At a desk,
 * the market regulator sees '不足 5 条' for a period with one rating and the aggregate once it has
 * five, never the comment; the supervising body (司法局) reads the comment.
 */
describe('rating an inspection (phone) and reading the ratings (desk)', () => {
  let service: Service;
  let browser: Browser;
  let code: TestCode;
  const lastYear = Number(todayInShanghai().slice(0, 4)) - 1;
  const earlier: TestCode[] = [];

  beforeAll(async () => {
    service = await startService(60);
    browser = await launchBrowser();
    const t = service.test;
    const [ent] = await t.dataSource.query(
      `SELECT e.id, e.uscc, e.name FROM app_user u JOIN enterprise e ON e.id = u.enterprise_id WHERE u.username = $1`,
      [service.demo.enterprise.username],
    );
    code = await issueTestCode(t, { enterprise: { id: Number(ent.id), uscc: ent.uscc, name: ent.name } });
    await completeTestCode(t, code);
    // five more market inspections, completed, for last year's ratings
    for (let i = 0; i < 5; i++) {
      const c = await issueTestCode(t);
      await completeTestCode(t, c);
      earlier.push(c);
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A rating of last June (a rating made through the API is dated today). */
  const rateLastYear = (c: TestCode, score: number) =>
    service.test.dataSource.query(
      `INSERT INTO check_code_rating (code_id, score, necessary, mergeable, comment, rated_on, released_on)
       VALUES ($1, $2, true, false, NULL, $3, $4)`,
      [c.codeId, score, `${lastYear}-06-10`, addDays(`${lastYear}-06-10`, 14)],
    );

  it('the enterprise rates its completed inspection on a 375 px phone, once', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    // the verify page's link: sign in first (the session check answers 401 until then), then the rating page
    w.allow(/responded with a status of 401/);
    await page.goto(`/m/codes/${code.codeNo}/rate`);
    await page.waitForURL(/\/m\/login/);
    await fillSignIn(page, service.demo.enterprise);
    await page.waitForURL(new RegExp(`/m/codes/${code.codeNo}/rate$`));
    const form = page.getByRole('form', { name: '评价本次检查' });
    await form.waitFor();
    await page.getByText(`JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}`).waitFor();
    await page.getByText('杨浦区市场监督管理局（牵头）').waitFor();
    await page.getByText('评价不记录评价人').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page, 'the rating form (phone)');

    // submitting without answers says what is missing, sends nothing
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('请点选1至5星').waitFor();
    await page.getByRole('radio', { name: '4星：满意' }).click();
    await page.getByText('满意', { exact: true }).waitFor();
    // (a Vant radio's name begins with its icon's glyph)
    await page.getByRole('radio', { name: /(?<!不)必要$/ }).click();
    await page.getByRole('radio', { name: '可以合并' }).click();
    await page.getByPlaceholder('选填：对检查人员、检查方式的意见或建议').fill(COMMENT);
    await phoneShot(page, 'check-code-rating-phone-form');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('heading', { name: '评价已提交' }).waitFor();
    await page.getByText('感谢您的评价').waitFor();
    await phoneShot(page, 'check-code-rating-phone-thanks');
    await expectAccessible(page, 'the thanks (phone)');
    const [row] = await service.test.dataSource.query(`SELECT * FROM check_code_rating WHERE code_id = $1`, [
      code.codeId,
    ]);
    expect(row).toMatchObject({ score: 4, necessary: true, mergeable: true, comment: COMMENT });

    // once only: the page says so on a second visit
    await page.reload();
    await page.getByRole('heading', { name: '已评价' }).waitFor();
    await page.getByText('每次检查只能评价一次').waitFor();
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);

    // 本年检查: the visit, rated, no 评价 button
    await page.getByRole('tab', { name: '本年检查' }).click();
    await page.waitForURL(/\/m\/visits$/);
    const visit = page.getByRole('article', {
      name: `检查 JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)} 已完成`,
    });
    await visit.waitFor();
    await visit.getByText('已评价').waitFor();
    expect(await visit.getByRole('link', { name: '评价' }).count()).toBe(0);
    await page.getByText(/本企业接受检查 1 次：计划检查 1 次/).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page, '本年检查 (phone)');
    await phoneShot(page, 'check-code-visits-phone');
    w.expectNoProblems();
    await w.context.close();
  });

  it("the market regulator sees '不足 5 条' for one rating, the aggregate at five, never the comment", async () => {
    await rateLastYear(earlier[0]!, 3);
    const w: WatchedPage = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '检查评价' }).click();
    await page.getByRole('heading', { level: 1, name: '检查评价' }).waitFor();
    // this year: the phone's rating stays out until its quarter is over and published
    await page
      .getByText(/统计期未结束，\d{4}年\d{1,2}月\d{1,2}日起公布/)
      .first()
      .waitFor();
    await choose(page, 'r-year', `${lastYear}年`);
    const table = page.locator('[aria-label="部门汇总"]');
    await page.getByText(`${lastYear}年第二季度`).waitFor();
    await page.getByText('不足 5 条，暂不显示').first().waitFor();
    await screenshot(page, 'check-code-ratings-below-minimum');
    await expectAccessible(page, '检查评价 (one rating)');

    for (const [i, c] of earlier.slice(1).entries()) await rateLastYear(c, i < 2 ? 5 : 4);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '检查评价' }).waitFor();
    await choose(page, 'r-year', `${lastYear}年`);
    await page.getByText('5 条').first().waitFor();
    // 3 + 5 + 5 + 4 + 4 = 21: 4.20 on average, all necessary, none mergeable
    await page.getByText('4.20 分').first().waitFor();
    expect(await table.textContent()).toContain('100%');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain(COMMENT);
    expect(text).not.toContain('全部评价');
    await screenshot(page, 'check-code-ratings-aggregate');
    await expectAccessible(page, '检查评价 (five ratings)');
    w.expectNoProblems();
    await w.context.close();
  });

  it("the admin sets k and the delay on 系统设置, and the regulator's page follows", async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.admin, '/login?redirect=/admin/settings');
    await page.getByRole('heading', { name: '检查码与检查评价' }).waitFor();
    const k = page.getByRole('spinbutton', { name: '评价匿名最少条数' });
    await expect(k.inputValue()).resolves.toBe('5');
    await expect(page.getByRole('spinbutton', { name: '检查码最长有效期（天）' }).inputValue()).resolves.toBe(
      '30',
    );
    const delay = page.getByRole('spinbutton', { name: '评价延迟公开（天）' });
    await expect(delay.inputValue()).resolves.toBe('14');
    await page.getByText('每组至少这么多条评价才显示').waitFor();
    // out of bounds: the field takes its bound (2 to 50)
    await k.fill('1');
    await k.press('Tab');
    await expect(k.inputValue()).resolves.toBe('2');
    await k.fill('6');
    await k.press('Tab');
    await delay.fill('7');
    await delay.press('Tab');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('设置已保存').waitFor();
    await expectAccessible(page, '系统设置 (inspection codes)');
    await screenshot(page, 'check-code-settings');
    const settings = await service.test.admin.get('/api/settings').expect(200);
    expect(settings.body).toMatchObject({ ratingMinGroup: 6, ratingDelayDays: 7, checkCodeMaxDays: 30 });
    await w.context.close();

    const r = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(r.page, service.demo.regulator, '/login?redirect=/check-code-ratings');
    await r.page.getByText('匿名规则：最少 6 条成组，评价后 7 天公开').waitFor();
    await choose(r.page, 'r-year', `${lastYear}年`);
    await r.page.getByText('不足 6 条，暂不显示').first().waitFor();
    r.expectNoProblems();
    await r.context.close();
    await service.test.admin
      .patch('/api/settings')
      .send({ ratingMinGroup: 5, ratingDelayDays: 14 })
      .expect(200);
  });

  it('the supervising body (司法局) reads every rating with its comment', async () => {
    const { user } = await service.test.signIn('regulator', { department: 'oversight' });
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, { username: user.username, password: TEST_PASSWORD });
    await page.getByRole('menuitem', { name: '检查评价' }).click();
    await page.getByText('督查视图（行政执法监督）').waitFor();
    await page.getByRole('tab', { name: /全部评价/ }).click();
    const all = page.locator('[aria-label="全部评价"]');
    await all.getByText(COMMENT).waitFor();
    expect(await all.textContent()).toContain(`JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}`);
    await page.getByText('仅看有留言的').click();
    await all.getByText(COMMENT).waitFor();
    await screenshot(page, 'check-code-ratings-oversight');
    await expectAccessible(page, '全部评价 (supervising body)');
    w.expectNoProblems();
    await w.context.close();
  });
});
