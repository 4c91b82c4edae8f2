import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  startService,
  type Service,
} from './harness.js';

/** The pages are served beside /api with their history fallback (src/http/web-pages.ts). */
describe('pages served by the service', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService(50);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('answers a deep workbench path with the workbench, in Chinese, accessible', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    await w.page.goto('/login');
    await expect(w.page.getByRole('heading', { name: '信用风险分类监管工作台' }).textContent()).resolves.toBe(
      '信用风险分类监管工作台',
    );
    expect(await w.page.title()).toContain('信用风险分类监管工作台');
    await expectAccessible(w.page, '/login');
    await screenshot(w.page, 'smoke-login-desktop');
    w.expectNoProblems();
    await w.context.close();
  });

  it('answers /m/... with the phone pages at 375 px', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    // signed out: the session probe answers 401 and the page shows the sign-in
    w.allow(/status of 401/);
    await w.page.goto('/m/records');
    await w.page.waitForURL(/\/m\/login/);
    expect(await w.page.title()).toContain('企业信用服务');
    await screenshot(w.page, 'smoke-mobile-home');
    w.expectNoProblems();
    await w.context.close();
  });

  it('never answers an API or asset path with a page', async () => {
    const api = await fetch(`${service.baseUrl}/api/no-such-thing`, { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    const asset = await fetch(`${service.baseUrl}/assets/missing-0000.js`);
    expect(asset.status).toBe(404);
    const page = await fetch(`${service.baseUrl}/enterprises/91310110MA1G8XXX0X`, {
      headers: { Accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<div id="app"></div>');
  });
});
