import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { DEMO_INSPECTOR_PASSWORD } from '../../src/demo/demo-planning.js';
import {
  DESKTOP,
  PHONE,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';

/**
 * Issue 11 "Lists and rosters": an inspector declares a conflict, a regulator of its department
 * reviews it (a rejection needs a note), the item list with its CSV import's rejection report and
 * the roster; an enterprise asks on its phone that an inspector withdraw.
 */
describe('item list, roster and recusal pages (browser)', () => {
  let service: Service;
  let browser: Browser;
  let uscc: string;
  beforeAll(async () => {
    const started = Date.now();
    service = await startService(120);
    process.stderr.write(`service started in ${Date.now() - started} ms\n`);
    browser = await launchBrowser();
    const [row] = await service.test.dataSource.query(
      `SELECT uscc FROM enterprise WHERE status = 'active' ORDER BY uscc DESC LIMIT 1`,
    );
    uscc = row.uscc;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('an inspector declares a conflict; a regulator of its department approves it', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    w.allow(/status of 422/); // the unknown USCC below, refused and shown beside its field
    await signIn(page, service.demo.inspector);
    await page.getByRole('menuitem', { name: '回避申报与审核' }).click();
    await page.waitForURL('**/recusals');
    await page.getByText('您还没有申报过回避').waitFor();
    await page.getByRole('button', { name: '申报回避' }).click();
    const dialog = page.getByRole('dialog', { name: '申报回避' });
    await dialog.getByLabel('企业统一社会信用代码').fill('91310110MA1G00000X');
    await dialog.getByLabel('回避理由').fill('本人表弟在该企业任店长');
    await dialog.getByRole('button', { name: '提交申报' }).click();
    await dialog
      .getByText(/统一社会信用代码|企业名录中没有/)
      .first()
      .waitFor();
    await dialog.getByLabel('企业统一社会信用代码').fill(uscc);
    await dialog.getByRole('button', { name: '提交申报' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('.el-table__body tr', { hasText: uscc });
    await row.getByText('待审核').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/recusals (inspector)');
    await screenshot(page, 'recusals-inspector');
    w.expectNoProblems();
    await w.context.close();

    const [declared] = (await service.test.admin.get('/api/recusals').query({ enterprise: uscc }).expect(200))
      .body.items;
    expect(declared).toMatchObject({
      source: 'inspector',
      status: 'pending',
      reason: '本人表弟在该企业任店长',
    });

    const r = await openPage(browser, service.baseUrl, DESKTOP);
    r.allow(/status of 422/); // the rejection without a note below
    await signIn(r.page, service.demo.regulator);
    await r.page.getByRole('menuitem', { name: '回避申报与审核' }).click();
    await r.page.waitForURL('**/recusals');
    const pending = r.page.locator('.el-table__body tr', { hasText: uscc });
    await pending.getByText('执法人员申报').waitFor();
    await r.page.mouse.move(0, 0);
    await expectAccessible(r.page, '/recusals (regulator queue)');
    await screenshot(r.page, 'recusals-review-queue');
    await pending.getByRole('button', { name: /^审核/ }).click();
    const review = r.page.getByRole('dialog', { name: '审核回避' });
    await review.getByText('本人表弟在该企业任店长').waitFor();
    await review.getByText('驳回', { exact: true }).click();
    await review.getByRole('button', { name: '提交审核' }).click();
    await review.getByText('驳回须填写审核意见（理由将告知申请人）').waitFor();
    await expectAccessible(r.page, 'review dialog with a field error');
    await review.getByText('同意回避', { exact: true }).click();
    await review.getByLabel('审核意见').fill('情况属实，同意回避');
    await review.getByRole('button', { name: '提交审核' }).click();
    await review.waitFor({ state: 'hidden' });
    await r.page.getByText('已同意回避').first().waitFor();
    const after = (await service.test.admin.get('/api/recusals').query({ enterprise: uscc }).expect(200)).body
      .items[0];
    expect(after).toMatchObject({ status: 'approved', reviewNote: '情况属实，同意回避' });
    r.expectNoProblems();
    await r.context.close();
  });

  it('a regulator reads the item list, sees an import refused row by row, and edits an inspector', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '随机抽查事项清单' }).click();
    await page.waitForURL('**/inspection-items');
    await page.getByText('共 10 项').waitFor();
    await page.getByText('每年 2 次').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/inspection-items');
    await screenshot(page, 'inspection-items');

    w.allow(/status of 422/);
    await page.getByRole('button', { name: '导入 CSV' }).click();
    const dialog = page.getByRole('dialog', { name: '导入检查事项' });
    await dialog.locator('#csv-file').setInputFiles({
      name: 'items.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'code,name,department,legal_basis,check_method,requirements\nYP-SC-11,新事项,market,依据,data,要求\nYP-SC-12,坏事项,fire,,phone,要求\n',
      ),
    });
    await dialog.getByRole('button', { name: '导入' }).click();
    await dialog.getByText('文件中有错误，整份文件未导入').waitFor();
    const rejected = dialog.locator('.el-table__body tr');
    await expect(rejected.count()).resolves.toBe(3);
    await dialog.getByText('legal_basis', { exact: true }).waitFor();
    await expectAccessible(page, 'import dialog with rejections');
    await screenshot(page, 'inspection-items-import-rejected');
    await dialog.getByRole('button', { name: '关闭', exact: true }).click();
    expect((await service.test.admin.get('/api/inspection-items/YP-SC-11')).status).toBe(404);

    await page.getByRole('menuitem', { name: '执法检查人员名录库' }).click();
    await page.waitForURL('**/inspectors');
    await page.getByText('共 15 人').waitFor();
    const row = page.locator('.el-table__body tr', { hasText: '陈静' });
    await row.getByRole('button', { name: '编辑 陈静（市场监管）' }).click();
    const edit = page.getByRole('dialog', { name: /^编辑：陈静/ });
    await edit.getByText('不在库').click();
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.waitFor({ state: 'hidden' });
    await row.getByText('不在库').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/inspectors');
    await screenshot(page, 'inspectors');
    const { body } = await service.test.admin.get('/api/inspectors').query({ q: '陈静' }).expect(200);
    expect(body.items[0]).toMatchObject({
      onRoster: false,
      items: [{ code: 'YP-SC-01' }, { code: 'YP-SC-04' }],
    });
    w.expectNoProblems();
    await w.context.close();
  });

  it('an enterprise asks on its phone that an inspector withdraw', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    await signIn(page, service.demo.enterprise, '/m/login');
    await page.getByText('申请回避').click();
    await page.waitForURL('**/m/recusal');
    // the demo's own pending request (about zhifa-market-3): an inspector never assigned to the
    // enterprise is shown by surname only (typing credential numbers must not list the staff)
    await page.getByText('李**（31011026003）').waitFor();
    await page.getByLabel('执法证号').fill('31011026004');
    await page.getByLabel('申请理由').fill('该人员系本企业股东的近亲属');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('张**（31011026004）').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/m/recusal');
    await screenshot(page, 'm-recusal');
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll).toBeLessThanOrEqual(375);
    w.expectNoProblems();
    await w.context.close();
    expect(DEMO_INSPECTOR_PASSWORD).toBe('Yangpu-Insp-2026');
  });
});
