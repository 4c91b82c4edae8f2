/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { issueTestCode, type TestCode } from '../check-code-fixtures.js';
import {
  expectAccessible,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  startService,
  type Service,
} from './harness.js';

/** True when the page scrolls sideways at its width (a phone page must not). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);
}

/** The code text with one base32 character of its signature changed (an altered code). */
function altered(text: string): string {
  const at = text.length - 10;
  const c = text[at]!;
  return text.slice(0, at) + (c === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

/**
 * Issue 12 "Verifying": the enterprise scans the inspector's QR code with its phone (375 px) and
 * sees, with no sign-in and no script, whether the inspection is genuine: a valid code's page in
 * green with the check word, the task, the items and the inspectors; a forged one in red with
 * what to do. Screenshots in out/screenshots (check-code-verify-*.png).
 */
describe('the verification page of an inspection code on a phone (/v/<code>)', () => {
  let service: Service;
  let browser: Browser;
  let code: TestCode;
  beforeAll(async () => {
    service = await startService(50, { BUREAU_PHONE: '021-65000000' });
    browser = await launchBrowser();
    code = await issueTestCode(service.test, { kind: 'joint', enterpriseName: '上海扫码核验餐饮有限公司' });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it("a genuine code (the QR code's upper-cased URL): green verdict, check word, task, items, inspectors; readable at 375 px", async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    const url = new URL(code.verifyUrl);
    await w.page.goto(url.pathname);
    expect(await w.page.title()).toContain('检查码核验结果');
    const verdict = w.page.getByRole('status');
    await expect(verdict.textContent()).resolves.toContain('检查码有效 · 真实检查');
    // the check word the inspector's own page shows
    const own = await code.inspectors[0]!.agent.get(`/api/check-codes/${code.codeId}`).expect(200);
    await expect(w.page.locator('.word .value').textContent()).resolves.toBe(own.body.checkWord);
    const body = (await w.page.locator('main').innerText()).replace(/\s+/g, ' ');
    for (const s of [
      '请检查人员读出核验词；与此处一致方为真实检查',
      '联合检查',
      '上海扫码核验餐饮有限公司',
      code.enterprise.uscc,
      '食品经营许可情况检查',
      '《中华人民共和国食品安全法》第三十五条',
      '公共场所卫生检查',
      '群众举报：空调通风系统未清洗',
      '杨浦区市场监督管理局（牵头部门）',
      '杨浦区卫生健康委员会',
      '检查人员（4 名）',
      ...code.inspectors.flatMap((i) => [i.user.displayName, i.user.credentialNo!]),
      '待检查',
      '021-65000000',
    ])
      expect([s, body.includes(s)]).toEqual([s, true]);
    // the check word is the largest text on the page
    const sizes = await w.page.evaluate(() => {
      const px = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
      return { word: px(document.querySelector('.word .value')), h1: px(document.querySelector('h1')) };
    });
    expect(sizes.word).toBeGreaterThanOrEqual(2 * sizes.h1);
    expect(await w.page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await scrollsSideways(w.page)).toBe(false);
    await expectAccessible(w.page, '/v/<valid code>');
    await screenshot(w.page, 'check-code-verify-valid');
    w.expectNoProblems();
    await w.context.close();
  });

  it('a forged (altered) code: an unmistakable red page with the reason and what to do, none of its claims', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    await w.page.goto(`/v/${altered(code.codeText)}`);
    const alert = w.page.getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('检查码无效');
    const background = await alert.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(180, 35, 24)');
    const body = (await w.page.locator('main').innerText()).replace(/\s+/g, ' ');
    for (const s of ['请勿接受检查', '12315', '021-65000000', '如何举报'])
      expect([s, body.includes(s)]).toEqual([s, true]);
    expect(body).toMatch(/伪造或被篡改|无法识别/);
    for (const s of [
      '上海扫码核验餐饮有限公司',
      code.inspectors[0]!.user.displayName,
      '核验词',
      '检查码有效',
    ])
      expect([s, body.includes(s)]).toEqual([s, false]);
    expect(await scrollsSideways(w.page)).toBe(false);
    await expectAccessible(w.page, '/v/<forged code>');
    await screenshot(w.page, 'check-code-verify-forged');
    w.expectNoProblems();
    await w.context.close();
  });

  it('the form at /v: a pasted code text is verified without script', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    await w.page.goto('/v');
    await expectAccessible(w.page, '/v');
    await w.page.getByLabel('粘贴检查码内容或链接（以 JC1. 开头）').fill(code.codeText.toLowerCase());
    await w.page.getByRole('button', { name: '核验' }).click();
    await w.page.waitForURL(/\/v\?code=/);
    await expect(w.page.getByRole('status').textContent()).resolves.toContain('检查码有效 · 真实检查');
    expect(await scrollsSideways(w.page)).toBe(false);
    await screenshot(w.page, 'check-code-verify-form-result');
    w.expectNoProblems();
    await w.context.close();
  });
});
