/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_PASSWORD } from '../helpers.js';
import { insertPenalty, PDF_BYTES, pngBytes, repairEnterprise } from '../repair-fixtures.js';
import {
  expectAccessible,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOT_DIR,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';

/**
 * Issue 13, credit repair: the enterprise, on a 375 px phone, opens /m/repair/apply for its penalty
 * record, sees the conditions, uploads its commitment letter (a PNG named .pdf: stored as PNG) and
 * proof and submits; the market regulator accepts and approves it on the workbench's 信用修复受理;
 * the enterprise then sees 已修复 on 我的修复申请.
 */
describe('credit repair: apply on the phone, decide on the workbench', () => {
  let service: Service;
  let browser: Browser;
  let recordId: number;
  let enterpriseUser: { username: string; password: string };
  const dir = path.join(tmpdir(), `repair-browser-${process.pid}`);
  beforeAll(async () => {
    service = await startService(30);
    browser = await launchBrowser();
    // an enterprise of its own (the demo enterprise is on the anomaly list: its penalty is refused)
    const e = await repairEnterprise(service.test.dataSource, '上海修复演示餐饮有限公司');
    const { user } = await service.test.signIn('enterprise', { uscc: e.uscc });
    enterpriseUser = { username: user.username, password: TEST_PASSWORD };
    recordId = await insertPenalty(service.test.dataSource, e.id, { subject: '浏览器测试：未按规定标示' });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '信用承诺书.pdf'), await pngBytes('承诺'));
    writeFileSync(path.join(dir, '缴款凭证.pdf'), PDF_BYTES);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('the enterprise applies with uploads, the regulator approves, the enterprise sees 已修复', async () => {
    const phone = await openPage(browser, service.baseUrl, PHONE);
    await signIn(phone.page, enterpriseUser, '/m/login');
    await phone.page.goto(`/m/repair/apply?record=${recordId}`);
    const conditions = phone.page.getByRole('list', { name: '修复条件' });
    await conditions.getByText('已届最短公示期').waitFor();
    expect(await conditions.locator('li.c-failed').allInnerTexts()).toEqual([]);
    await phone.page.getByLabel('情况说明').fill('罚款已缴清，已按规定更正标示并开展自查');
    await phone.page.getByText('本企业确认：已履行行政处罚义务').click();
    await phone.page.getByText('本企业确认：已消除危害后果和不良影响').click();
    await phone.page.getByLabel(/^信用承诺书/).setInputFiles(path.join(dir, '信用承诺书.pdf'));
    await phone.page.getByLabel(/^证明材料/).setInputFiles(path.join(dir, '缴款凭证.pdf'));
    // the template of the commitment letter, beside its upload
    await expect(
      phone.page.getByRole('link', { name: '下载信用承诺书模板（PDF）' }).getAttribute('href'),
    ).resolves.toBe('/api/credit-repair/commitment-letter.pdf');
    await expectAccessible(phone.page, 'apply for repair (phone)');
    await screenshot(phone.page, 'repair-apply-phone');
    await phone.page.getByRole('button', { name: '提交申请' }).click();
    await phone.page.waitForURL(/\/m\/repair$/);
    const card = phone.page.getByRole('article').first();
    await card.getByText('已提交，待受理').waitFor();
    // a deadline includes its day
    expect((await card.innerText()).replace(/\s+/g, ' ')).toMatch(
      /受理期限 最迟\d{4}年\d{1,2}月\d{1,2}日（含当日）/,
    );
    await expectAccessible(phone.page, 'my repair applications (phone)');
    await phone.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'repair-mine-submitted-phone.png') });
    const [stored] = await service.test.dataSource.query(
      `SELECT f.file_name, f.media_type FROM repair_application_file f JOIN repair_application a ON a.id = f.application_id
       WHERE a.credit_record_id = $1 AND f.role = 'commitment_letter'`,
      [recordId],
    );
    expect(stored).toEqual({ file_name: '信用承诺书.png', media_type: 'image/png' });

    const desk = await openPage(browser, service.baseUrl);
    await signIn(desk.page, service.demo.regulator);
    await desk.page.goto('/credit-repair');
    const table = desk.page.getByRole('table').first();
    await desk.page.getByRole('button', { name: /^XF-/ }).first().waitFor();
    await screenshot(desk.page, 'repair-queue-workbench');
    await desk.page.getByRole('button', { name: /^XF-/ }).first().click();
    const drawer = desk.page.getByRole('dialog', { name: /^修复申请 XF-/ });
    await drawer.getByText('信用承诺书.png').waitFor();
    // 符合 for what the service checked; the enterprise's declarations are 企业声明, not verified
    const tags = async (text: string) =>
      (await drawer.getByRole('list', { name: '修复条件' }).locator('li').allInnerTexts())
        .filter((t) => t.startsWith(text))
        .map((t) => t.slice(text.length).trim());
    await expect(tags('企业声明')).resolves.toEqual(['已履行行政处罚义务', '已消除危害后果和不良影响']);
    await expect(tags('符合')).resolves.toContain('未再因同类违法行为受到行政处罚');
    await drawer.getByRole('button', { name: '受理', exact: true }).click();
    await drawer.getByText('已受理，审核中').waitFor();
    await drawer.getByLabel('理由 / 审核意见').fill('罚款已缴清，违法行为已纠正，符合信用修复条件');
    // the decision is confirmed first: cancelled, nothing happens
    const box = desk.page.locator('.el-message-box');
    await drawer.getByRole('button', { name: '准予修复' }).click();
    await box.getByText('确定准予修复？', { exact: false }).waitFor();
    // the box fades in: shown once its transitions are over
    await desk.page.evaluate(() =>
      Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
    );
    await screenshot(desk.page, 'repair-approve-confirm-workbench');
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    await expect(drawer.getByText('已受理，审核中').isVisible()).resolves.toBe(true);
    await drawer.getByRole('button', { name: '准予修复' }).click();
    await box.getByRole('button', { name: '准予修复' }).click();
    await drawer.getByText('已修复').first().waitFor();
    await expectAccessible(desk.page, 'repair application decided (workbench)');
    await screenshot(desk.page, 'repair-detail-approved-workbench');
    expect(await table.isVisible()).toBe(true);
    const [rec] = await service.test.dataSource.query(
      `SELECT repaired_on::text FROM credit_record WHERE id = $1`,
      [recordId],
    );
    expect(rec.repaired_on).not.toBeNull();

    await phone.page.reload();
    await phone.page.getByRole('article').first().getByText('已修复', { exact: true }).waitFor();
    await expect(
      phone.page.getByRole('article').first().getByText('罚款已缴清，违法行为已纠正').isVisible(),
    ).resolves.toBe(true);
    await phone.page
      .getByRole('article')
      .first()
      .getByText(/^\d{4}年\d{1,2}月\d{1,2}日$/)
      .last()
      .waitFor();
    await phone.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'repair-mine-approved-phone.png') });
    phone.expectNoProblems();
    desk.expectNoProblems();
  });
});
