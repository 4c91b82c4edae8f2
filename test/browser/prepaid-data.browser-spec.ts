import { readFile } from 'node:fs/promises';
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

/** The first day of the calendar quarter before the one holding `date`. */
function lastQuarterStart(date: string): string {
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) - 1;
  const y = Number(date.slice(0, 4)) + Math.floor(q / 4);
  return `${y}-${String((((q % 4) + 4) % 4) * 3 + 1).padStart(2, '0')}-01`;
}

/**
 * Issue 14 data pages: a regulator of the market department registers an issuer, enters a report
 * whose escrow exceeds the balance (refused beside the field, both values named), then a good one,
 * corrects it (the replaced report stays, marked 已更正), and imports a signals CSV with a rejected
 * row (nothing imported, the row named by line and column).
 */
describe('prepaid data (browser)', () => {
  let service: Service;
  let browser: Browser;
  let target: { uscc: string; name: string };
  const today = todayInShanghai();
  const q = lastQuarterStart(today);

  beforeAll(async () => {
    service = await startService(40);
    browser = await launchBrowser();
    [target] = await service.test.dataSource.query(
      `SELECT uscc, name FROM enterprise WHERE status = 'active' AND NOT prepaid_issuer ORDER BY uscc LIMIT 1`,
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

  it('registers an issuer, refuses a bad report then takes a good one and its correction, imports with a rejected row', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '预付卡经营者' }).click();
    await page.waitForURL('**/prepaid/issuers');
    // the demo issuers are listed
    await page.locator('a[href$="/data"]').first().waitFor();
    await expectAccessible(page, '/prepaid/issuers');
    await screenshot(page, 'prepaid-issuers');

    await page.getByRole('button', { name: '登记经营者' }).click();
    const dialog = page.getByRole('dialog', { name: '登记经营者' });
    await dialog.waitFor();
    await page.locator('#r-uscc').fill(target.uscc);
    await choose(page, 'r-sector', '美容美发');
    await dialog.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(`**/prepaid/issuers/${target.uscc}/data`);
    await page.getByRole('heading', { name: target.name }).waitFor();

    await page.getByRole('tab', { name: '报送数据' }).click();
    w.allow(/status of 422/);
    await page.locator('#p-start').fill(q);
    await page.locator('#p-balance').fill('300000');
    await page.locator('#p-count').fill('40');
    await page.locator('#p-sold').fill('120000');
    await page.locator('#p-redeemed').fill('90000');
    await page.locator('#p-escrow').fill('400000');
    await page.getByRole('button', { name: '提交报送' }).click();
    // money in yuan first, fen in brackets; the long reason wraps inside its field
    const reason = page.getByText(
      '存管资金余额400,000.00元（40000000分）大于预收资金余额300,000.00元（30000000分）',
    );
    await reason.waitFor();
    const item = page.locator('.el-form-item', { has: page.locator('#p-escrow') });
    const [box, itemBox] = await Promise.all([reason.boundingBox(), item.boundingBox()]);
    expect(box!.x + box!.width).toBeLessThanOrEqual(itemBox!.x + itemBox!.width + 1);
    expect(box!.y + box!.height).toBeLessThanOrEqual(itemBox!.y + itemBox!.height + 1);
    await page.mouse.move(0, 0);
    await screenshot(page, 'prepaid-issuer-report-refused');
    await page.locator('#p-escrow').fill('150000');
    // the fields the rules read: the largest card, over-limit cards, last year's revenue
    await page.locator('#p-maxcard').fill('4800');
    await page.locator('#p-anon').fill('1');
    await page.locator('#p-reg').fill('2');
    await page.locator('#p-revenue').fill('2000000');
    await page.getByRole('button', { name: '提交报送' }).click();
    await page.getByText('已报送').waitFor();
    await page.getByRole('cell', { name: '¥300,000.00' }).first().waitFor();
    const [stored] = await service.test.dataSource.query(
      `SELECT max_card_fen::int AS max, anonymous_over_limit AS anon, registered_over_limit AS reg, revenue_last_year_fen::bigint::text AS revenue
       FROM prepaid_report r JOIN enterprise e ON e.id = r.enterprise_id WHERE e.uscc = $1`,
      [target.uscc],
    );
    expect(stored).toMatchObject({ max: 480_000, anon: 1, reg: 2, revenue: '200000000' });

    await page.getByRole('button', { name: '更正' }).first().click();
    await page.locator('#p-balance').fill('320000');
    await page.locator('#p-reason').fill('漏报一家门店的预收款');
    await page.getByRole('button', { name: '提交更正' }).click();
    await page.getByText('已更正，原报送记录保留').waitFor();
    await page.locator('.el-tag', { hasText: '已更正' }).waitFor();
    await page.getByRole('cell', { name: '¥320,000.00' }).first().waitFor();
    await screenshot(page, 'prepaid-issuer-reports');
    // the data page links to the issuer's risk page, whose breadcrumb leads back
    await page.getByRole('link', { name: '查看经营者风险' }).click();
    await page.waitForURL(`**/prepaid/issuers/${target.uscc}`);
    const crumbs = page.locator('.crumbs');
    await crumbs.getByText('经营者资料').click();
    await page.waitForURL(`**/prepaid/issuers/${target.uscc}/data`);
    await page.getByRole('heading', { name: target.name }).waitFor();

    await page.getByRole('menuitem', { name: '预付卡数据导入' }).click();
    await page.waitForURL('**/prepaid/import');
    // each kind's columns with their Chinese meaning, and a template of its header row (UTF-8 with BOM)
    await expect(page.getByText('import-formats.md').count()).resolves.toBe(0);
    await page.getByText('报送数据', { exact: true }).click();
    const columns = page.locator('[aria-label="报送数据的列"]');
    await columns.getByText('上年主营业务收入（分）').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载模板' }).click(),
    ]);
    const template = await readFile((await download.path())!);
    expect(template.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(template.subarray(3).toString('utf8')).toMatch(
      /^uscc,period_kind,period_start,.*,revenue_last_year_fen,correction_reason,source_key\r\n$/,
    );
    await page.mouse.move(0, 0);
    await screenshot(page, 'prepaid-import');
    await page.getByText('预警信号', { exact: true }).click();
    await page.locator('#prepaid-csv').setInputFiles({
      name: 'signals.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `uscc,kind,occurred_on,summary,effective_on\n${target.uscc},complaint,${today},退卡难,\n${target.uscc},closure_notice,${today},门口张贴停业公告,\n`,
      ),
    });
    await page.getByRole('button', { name: '导入' }).click();
    await page.getByText('未导入：以下 1 行有误').waitFor();
    const problems = page.locator('[aria-label="导入问题"]');
    await problems.getByRole('cell', { name: 'effective_on', exact: true }).waitFor();
    await problems.getByRole('cell', { name: '3', exact: true }).waitFor();
    await expectAccessible(page, '/prepaid/import');
    const [{ n }] = await service.test.dataSource.query(
      `SELECT count(*)::int AS n FROM prepaid_signal s JOIN enterprise e ON e.id = s.enterprise_id WHERE e.uscc = $1`,
      [target.uscc],
    );
    expect(n).toBe(0);
    w.expectNoProblems();
    await w.context.close();
  });
});
