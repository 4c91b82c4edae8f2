import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
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
 * Issue 13 journey: a regulator opens 公示期规则 from the menu, reads the three regimes with their
 * dates of force and sources, computes the periods of a food penalty (the rule behind each date),
 * is told in Chinese what is wrong with bad facts, and finds a penalty's window in the enterprise's
 * records table.
 */
describe('公示期规则 and the period calculator (browser)', () => {
  let service: Service;
  let browser: Browser;
  let target: { uscc: string };

  beforeAll(async () => {
    service = await startService(30);
    browser = await launchBrowser();
    [target] = await service.test.dataSource.query(
      `SELECT uscc FROM enterprise WHERE status = 'active' AND (established_on IS NULL OR established_on < '2023-01-01') ORDER BY uscc LIMIT 1`,
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

  async function pickDate(page: Page, id: string, date: string): Promise<void> {
    const input = page.locator(`#${id}`);
    await input.click();
    await input.fill(date);
    await input.press('Enter');
  }

  it("reads the regimes, computes a food penalty's periods, shows errors, and the records table shows the window", async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '公示期规则' }).click();
    await page.waitForURL('**/publication-regimes');
    const regimes = page.getByTestId('regimes');
    await regimes.getByText('上海市优化营商环境条例与发改委第58号令').waitFor();
    await regimes.getByText('决定日期2023年5月1日至2026年3月31日').waitFor();
    await regimes.getByText('国家发展改革委2026年信用修复管理办法').waitFor();
    await expect(regimes.getByText('第十四条第二款').count()).resolves.toBeGreaterThan(0);
    await page
      .getByText(/单位低于.*100,000/)
      .first()
      .waitFor();

    // a food penalty of 100,000 yuan decided 2023-06-01: 3 years, repair after 1 year
    await pickDate(page, 'c-date', '2023-06-01');
    await choose(page, 'c-domain', '食品');
    await page.getByTestId('compute').click();
    const periods = page.getByTestId('periods');
    await periods.getByText('2023年6月1日 至 2026年6月1日').waitFor();
    await periods.getByText('2024年6月2日').waitFor(); // earliest repair (food: 1 year)
    await periods.getByText('2023年6月30日').waitFor(); // publish-by: 20 working days
    await periods
      .getByText(/第十一条/)
      .first()
      .waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/publication-regimes with a result');
    await screenshot(page, 'publication-regimes-calculator');

    // bad facts: the field at fault named in Chinese (the browser logs the 422)
    w.allow(/status of 422/);
    await pickDate(page, 'c-date', '2021-08-31');
    await page.getByTestId('compute').click();
    await page.getByText('2021-08-31 无适用的公示期规则（最早的规则自 2021-09-01 起施行）').waitFor();
    await screenshot(page, 'publication-regimes-error');

    // a penalty posted through the API gets its window; the enterprise page shows it
    const res = await service.test.admin.post(`/api/enterprises/${target.uscc}/credit-records`).send({
      kind: 'administrative_penalty',
      recordDate: '2023-06-01',
      sourceDepartment: '杨浦区市场监督管理局',
      decisionNo: '沪市监杨处〔2023〕777号',
      procedure: 'general',
      penaltyTypes: ['fine'],
      fineFen: 10_000_000,
      domain: 'food',
    });
    expect(res.status).toBe(201);
    await page.goto(`${service.baseUrl}/enterprises/${target.uscc}`);
    const period = page.getByTestId('record-period').filter({ hasText: '2026年6月1日' });
    await period.getByText('公示期 2023年6月1日 至 2026年6月1日').waitFor();
    await period.getByText('2024年6月2日起可申请信用修复').waitFor();
    await period.getByText('规则 SH-2023').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'enterprise records with a publication window');
    await screenshot(page, 'enterprise-records-publication');
    w.expectNoProblems();
  });
});
