import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { todayInShanghai } from '../../src/common/clock.js';
import { formatDate } from '../../src/web/shared/format.js';
import { RECORD_KIND_LABELS } from '../../src/web/shared/labels-credit.js';
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

/** 'YYYY-MM-DD' `days` before `date`. */
function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Rows of a CSV without quotes inside cells (the demo data has none), BOM kept on the first. */
const csvRows = (text: string) =>
  text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(','));

/** Picks `option` of the Element Plus select whose input has id `id`. */
async function choose(page: Page, id: string, option: string): Promise<void> {
  await page.locator('.el-select__wrapper', { has: page.locator(`#${id}`) }).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

/**
 * Issue 10 journeys on 企业名录 and 企业详情: a regulator filters tier D, exports the list, opens a
 * D enterprise, reads why it is D as of a past date, sees its tier history and adds a record; an
 * inspector reads but cannot add records or reach the draws.
 */
describe('enterprise pages (browser)', () => {
  let service: Service;
  let browser: Browser;
  const today = todayInShanghai();
  beforeAll(async () => {
    // an export limit below the register's size: the whole list is refused, tier D is not
    service = await startService(150, { EXPORT_MAX_ROWS: '100' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('a regulator filters tier D, exports it, reads why an enterprise is D as of a past date and adds a record', async () => {
    const admin = service.test.admin;
    const dList = (await admin.get('/api/enterprises?tier=D&pageSize=200').expect(200)).body;
    expect(dList.total).toBeGreaterThan(0);
    expect(dList.total).toBeLessThan(100);
    // an enterprise of the first page that was D a month ago too: its past explanation says D
    const pastDate = daysBefore(today, 30);
    let target: { uscc: string; name: string } | null = null;
    let past: {
      tier: string;
      indicators: { zh: string; value: number; points: number; records: number[] }[];
      records: { id: number; kind: string; recordDate: string }[];
    } | null = null;
    for (const e of dList.items.slice(0, 20)) {
      const res = await admin.get(`/api/enterprises/${e.uscc}/credit/explain?asOf=${pastDate}`);
      if (res.status === 200 && res.body.tier === 'D') {
        target = e;
        past = res.body;
        break;
      }
    }
    expect(target).not.toBeNull();

    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    // expected refusals below: the export over its limit, a record dated before establishment
    w.allow(/Failed to load resource: the server responded with a status of 422/);
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '企业名录' }).click();
    await page.waitForURL('**/enterprises');
    await page.getByTestId('total').getByText('共 150 家').waitFor();

    // the whole register is over the export limit: the page says so and how to narrow it
    await page.getByRole('button', { name: '导出CSV' }).click();
    await page.getByText('超过单次导出上限 100 家').waitFor();
    await expect(page.getByText('符合条件的企业有 150 家').count()).resolves.toBe(1);

    // filter tier D: only D rows, the API's total, the filter in the URL
    await choose(page, 'f-tier', 'D类');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/tier=D/);
    await page.getByTestId('total').getByText(`共 ${dList.total} 家`).waitFor();
    const rows = page.locator('.el-table__body tbody tr');
    await expect(rows.count()).resolves.toBe(Math.min(20, dList.total));
    const tierCells = await rows.locator('td:nth-child(3)').allTextContents();
    expect(tierCells.every((t) => t.includes('D类'))).toBe(true);
    const names = await rows.locator('td:nth-child(2)').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(dList.items.slice(0, 20).map((e: { name: string }) => e.name));
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/enterprises?tier=D');
    await screenshot(page, 'enterprise-list');

    // the CSV of the filtered list: a download, BOM, Chinese header, D rows only, all of them
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...body] = csvRows(csv.slice(1));
    expect(header.slice(0, 2)).toEqual(['统一社会信用代码', '企业名称']);
    const tierAt = header.indexOf('风险分类');
    expect(tierAt).toBeGreaterThan(-1);
    expect(body).toHaveLength(dList.total);
    expect(body.every((r) => r[tierAt].startsWith('D'))).toBe(true);

    // the back button goes back to the unfiltered list, forward to the filter
    await page.goBack();
    await page.getByTestId('total').getByText('共 150 家').waitFor();
    await page.goForward();
    await page.getByTestId('total').getByText(`共 ${dList.total} 家`).waitFor();

    // open the enterprise
    await page.getByRole('link', { name: target!.name }).click();
    await page.waitForURL(`**/enterprises/${target!.uscc}`);
    await page.getByRole('heading', { level: 1, name: target!.name }).waitFor();
    await page.getByText('登记信息').waitFor();
    await expect(page.getByText(target!.uscc).count()).resolves.toBeGreaterThan(0);

    // the explanation as of a month ago: D, its indicators and the records behind them
    const picker = page.locator('#explain-date');
    await picker.fill(formatDate(pastDate));
    await picker.press('Enter');
    const summary = page.getByTestId('explain-summary');
    await summary.getByText(`截至 ${formatDate(pastDate)}`).waitFor();
    await expect(summary.textContent()).resolves.toContain('D类');
    const shown = past!.indicators.filter((i) => i.points !== 0 || i.value !== 0);
    expect(shown.length).toBeGreaterThan(0);
    const indicatorRows = page
      .getByTestId('indicators')
      .locator('.el-table__body > tbody > tr.el-table__row');
    await expect(indicatorRows.count()).resolves.toBe(shown.length);
    for (const i of shown)
      await page.getByTestId('indicators').getByText(i.zh, { exact: true }).first().waitFor();
    const withRecords = shown.findIndex((i) => i.records.length > 0);
    if (withRecords >= 0) {
      await indicatorRows.nth(withRecords).locator('.el-table__expand-icon').click();
      const record = past!.records.find((r) => r.id === shown[withRecords].records[0])!;
      const behind = page.getByTestId('indicators').locator('.records-behind').first();
      await behind.getByText(formatDate(record.recordDate)).first().waitFor();
      await behind.getByText(RECORD_KIND_LABELS[record.kind]).first().waitFor();
    }
    await page.mouse.move(0, 0);
    await expectAccessible(page, `/enterprises/${target!.uscc} (explanation open)`);
    await screenshot(page, 'enterprise-detail');

    // the tier history as a timeline
    const history = (await admin.get(`/api/enterprises/${target!.uscc}/credit/history`).expect(200)).body;
    const items = page.getByTestId('history').locator('.el-timeline-item');
    await expect(items.count()).resolves.toBe(history.length);
    await expect(items.last().textContent()).resolves.toContain('首次分类');

    // add a complaint: a date before establishment is refused beside its field, then a good one
    await page.getByRole('button', { name: '新增信用记录' }).click();
    const dialog = page.getByRole('dialog', { name: '新增信用记录' });
    await choose(page, 'r-kind', '投诉举报');
    await dialog.getByLabel('渠道').fill('12315');
    await dialog.getByLabel('事由').fill('预付卡退费纠纷（浏览器测试）');
    const enterprise = (await admin.get(`/api/enterprises/${target!.uscc}`).expect(200)).body;
    if (enterprise.establishedOn && enterprise.establishedOn > '2000-01-02') {
      await dialog.locator('#r-date').fill(formatDate('2000-01-01'));
      await dialog.locator('#r-date').press('Enter');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.locator('.el-form-item', { hasText: '记录日期' }).getByText('填写有误').waitFor();
      await dialog.locator('#r-date').fill(formatDate(today));
      await dialog.locator('#r-date').press('Enter');
    }
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已新增信用记录').waitFor();
    const recordsTable = page.getByTestId('records');
    const row = recordsTable.locator('tr', { hasText: '预付卡退费纠纷（浏览器测试）' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('投诉举报');
    await expect(row.textContent()).resolves.toMatch(/计入至\d{4}年\d{1,2}月\d{1,2}日/);
    const stored = await admin.get(`/api/enterprises/${target!.uscc}/credit-records`).expect(200);
    expect(stored.body.some((r: { subject: string }) => r.subject === '预付卡退费纠纷（浏览器测试）')).toBe(
      true,
    );

    w.expectNoProblems();
    await w.context.close();
  });

  it('an inspector reads the list and a detail, but adds no record and has no draws', async () => {
    const one = (await service.test.admin.get('/api/enterprises?pageSize=1').expect(200)).body.items[0];
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.inspector);
    await page.getByRole('menuitem', { name: '企业名录' }).waitFor();
    await expect(page.getByRole('menuitem', { name: '计划外抽取' }).count()).resolves.toBe(0);
    await page.getByRole('menuitem', { name: '企业名录' }).click();
    await page.getByTestId('total').getByText('共 150 家').waitFor();
    await page.getByRole('link', { name: one.name }).click();
    await page.getByRole('heading', { level: 1, name: one.name }).waitFor();
    await page.getByText('信用记录', { exact: true }).waitFor();
    await page.getByTestId('explain-summary').waitFor();
    await expect(page.getByRole('button', { name: '新增信用记录' }).count()).resolves.toBe(0);
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'enterprise detail (inspector)');
    await page.goto('/draws');
    await page.getByText('无权访问').waitFor();
    // an unknown enterprise reads as such, not as an error code
    w.allow(/Failed to load resource: the server responded with a status of (404|422)/);
    // a code that fails its check character is called invalid (422), not unknown
    await page.goto('/enterprises/91310110MA1G8XXX0X');
    await page.getByText('统一社会信用代码有误').waitFor();
    w.expectNoProblems();
    await w.context.close();
  });
});
