import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { todayInShanghai } from '../../src/common/clock.js';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  startService,
  type Service,
  signIn,
} from './harness.js';

/**
 * Issue 13 journey (decisions): a regulator records a penalty decision on the form, sees the
 * computed periods and that a notice is needed before saving, saves, and finds on the decision's
 * page the links to both documents (decision and repair notice, print and PDF) and the periods
 * with their rules; the list, the same-day report and the lenient lists.
 */
describe('penalty decisions (browser)', () => {
  let service: Service;
  let browser: Browser;
  let target: { uscc: string; name: string };
  const today = todayInShanghai();

  beforeAll(async () => {
    service = await startService(40);
    browser = await launchBrowser();
    [target] = await service.test.dataSource.query(
      `SELECT uscc, name FROM enterprise WHERE status = 'active' AND (established_on IS NULL OR established_on <= $1::date)
        ORDER BY uscc DESC LIMIT 1`,
      [today],
    );
    expect(target).toBeDefined();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function choose(page: Page, id: string, label: string): Promise<void> {
    await page.locator('.el-select__wrapper', { has: page.locator(`#${id}`) }).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
  }

  it('records a decision with the periods previewed, then sees both documents and the periods', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '行政处罚决定' }).click();
    await page.waitForURL('**/penalty-decisions');
    // the demo decisions are listed
    await page.getByText(/D003号/).waitFor();
    await expectAccessible(page, '/penalty-decisions');
    await screenshot(page, 'penalty-decisions-list');

    await page.getByRole('button', { name: '录入处罚决定' }).click();
    await page.waitForURL('**/penalty-decisions/new');
    // a bad decision: the fields at fault said beside them, in Chinese
    w.allow(/status of 422/);
    await page.getByRole('button', { name: '计算公示期' }).click();
    await page.getByText('必填：决定书文号').waitFor();
    await page.getByText('必填：统一社会信用代码').waitFor();

    await page.locator('#d-no').fill('沪市监杨处〔2026〕B901号');
    await page.locator('#d-uscc').fill(target.uscc);
    await choose(page, 'd-types', '罚款');
    await page.keyboard.press('Escape');
    await page.locator('#d-fine').fill('200000');
    await page.locator('#d-violation').fill('销售不合格电线电缆');
    await page.locator('#d-basis').fill('《中华人民共和国产品质量法》第四十九条');
    await page.locator('#d-recipient').fill('张三');
    await page.getByRole('button', { name: '计算公示期' }).click();
    const preview = page.getByLabel('公示期预览');
    await preview.getByText('需同时送达信用修复告知书').waitFor();
    await preview.getByText('国家发展改革委2026年信用修复管理办法').first().waitFor();
    const previewText = await preview.innerText();
    expect(previewText).toContain('可申请信用修复');
    expect(previewText).toMatch(/公示期1年/);
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/penalty-decisions/new with its preview');
    await screenshot(page, 'penalty-decision-form');

    await page.getByRole('button', { name: '保存并送达' }).click();
    await page.waitForURL(/\/penalty-decisions\/\d+$/);
    const id = page.url().split('/').pop();
    await page.getByRole('heading', { name: '沪市监杨处〔2026〕B901号' }).waitFor();
    const docs = page.getByLabel('文书');
    const hrefs = await docs.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([
      // both documents side by side (the page added by the integration), then each one's print and PDF
      `/penalty-decisions/${id}/documents`,
      `/api/penalty-decisions/${id}/documents/decision.html`,
      `/api/penalty-decisions/${id}/documents/decision.pdf`,
      `/api/penalty-decisions/${id}/documents/repair-notice.html`,
      `/api/penalty-decisions/${id}/documents/repair-notice.pdf`,
    ]);
    await docs.getByText(/信修告〔\d{4}〕\d+号/).waitFor();
    const periods = await page.getByLabel('公示期').first().innerText();
    expect(periods).toContain('适用规则');
    expect(periods).toContain('第二百零一条至第二百零三条');
    const delivered = await page.getByLabel('送达记录').innerText();
    expect(delivered).toContain('决定书、信用修复告知书');
    expect(delivered).toContain('直接送达');
    await expectAccessible(page, '/penalty-decisions/:id');
    await screenshot(page, 'penalty-decision-detail');
    const [stored] = await service.test.dataSource.query(
      `SELECT d.notice_required, r.publication_last_day IS NOT NULL AS windowed FROM penalty_decision d
         JOIN credit_record r ON r.id = d.credit_record_id WHERE d.id = $1`,
      [id],
    );
    expect(stored).toEqual({ notice_required: true, windowed: true });

    // the same-day report lists the demo's late notice with its reason
    await page.getByRole('menuitem', { name: '双书同达统计' }).click();
    await page.waitForURL('**/reports/same-day-service');
    await page.getByText('告知书待加盖公章；公章加盖后次日邮寄补送').waitFor();
    await expectAccessible(page, '/reports/same-day-service');
    await screenshot(page, 'penalty-same-day-report');

    await page.getByRole('menuitem', { name: '包容审慎监管清单' }).click();
    await page.waitForURL('**/lenient-enforcement');
    await page.getByText('SH-FO-2021-01').waitFor();
    await expectAccessible(page, '/lenient-enforcement');
    await screenshot(page, 'penalty-lenient-lists');
    w.expectNoProblems();
  });
});
