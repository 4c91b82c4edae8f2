import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { type InsertedDecision, insertDecision } from '../penalty-document-fixtures.js';
import {
  DESKTOP,
  PHONE,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';

/**
 * Issue 13 "The dual documents": a signed-in regulator opens a decision's 处罚文书 page and sees
 * the 行政处罚决定书 and the 信用修复告知书 side by side, each with 打印 and 下载PDF (the PDF link
 * answers application/pdf); the enterprise sees both on its phone, one after the other. The
 * decision and its notice are SQL fixtures (test/penalty-document-fixtures.ts).
 */
describe('penalty decision documents (browser)', () => {
  let service: Service;
  let browser: Browser;
  let decision: InsertedDecision;

  beforeAll(async () => {
    service = await startService(30);
    browser = await launchBrowser();
    const [e] = await service.test.dataSource.query(
      `SELECT enterprise_id AS id FROM app_user WHERE username = $1`,
      [service.demo.enterprise.username],
    );
    decision = await insertDecision(service.test.dataSource, {
      decisionNo: '沪市监杨处〔2025〕4101号',
      enterpriseId: Number(e.id),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('a regulator sees both documents side by side and downloads the PDF', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(w.page, service.demo.regulator);
    await w.page.goto(`/penalty-decisions/${decision.id}/documents`);
    const decisionFrame = w.page.frameLocator('iframe[title="行政处罚决定书"]');
    const noticeFrame = w.page.frameLocator('iframe[title="信用修复告知书"]');
    await expect(decisionFrame.locator('h1').textContent()).resolves.toBe('行政处罚决定书');
    await expect(noticeFrame.locator('h1').textContent()).resolves.toBe('信用修复告知书');
    for (const f of [decisionFrame, noticeFrame]) {
      await expect(f.locator('body').textContent()).resolves.toContain('沪市监杨处〔2025〕4101号');
      await expect(f.locator('body').textContent()).resolves.toContain('2028年6月30日');
    }
    await expect(noticeFrame.locator('body').textContent()).resolves.toContain('2026年7月1日');
    const boxes = await Promise.all(
      ['行政处罚决定书', '信用修复告知书'].map((t) => w.page.locator(`iframe[title="${t}"]`).boundingBox()),
    );
    // side by side on a desktop: same top, the notice to the right
    expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(2);
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width - 1);
    expect(await w.page.getByRole('button', { name: '打印' }).count()).toBe(2);
    const link = w.page.getByRole('link', { name: '下载PDF' }).first();
    const href = await link.getAttribute('href');
    expect(href).toBe(`/api/penalty-decisions/${decision.id}/documents/decision.pdf`);
    const pdf = await w.page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const download = w.page.waitForEvent('download');
    await link.click();
    expect((await download).suggestedFilename()).toBe('行政处罚决定书-沪市监杨处〔2025〕4101号.pdf');
    await screenshot(w.page, 'penalty-documents');
    w.expectNoProblems();
    await w.context.close();
  });

  it('the enterprise sees both documents on its phone, one after the other', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    await signIn(w.page, service.demo.enterprise, '/m/login');
    await w.page.goto(`/m/decisions/${decision.id}/documents`);
    const noticeFrame = w.page.frameLocator('iframe[title="信用修复告知书"]');
    await expect(noticeFrame.locator('h1').textContent()).resolves.toBe('信用修复告知书');
    const boxes = await Promise.all(
      ['行政处罚决定书', '信用修复告知书'].map((t) => w.page.locator(`iframe[title="${t}"]`).boundingBox()),
    );
    expect(boxes[1]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height - 1);
    expect(boxes[0]!.width).toBeLessThanOrEqual(375);
    await expect(
      w.page.getByRole('link', { name: '下载信用承诺书模板（PDF）' }).getAttribute('href'),
    ).resolves.toBe('/api/credit-repair/commitment-letter.pdf');
    await screenshot(w.page, 'm-penalty-documents');
    w.expectNoProblems();
    await w.context.close();
  });
});
