import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  PHONE,
  startService,
  type Service,
  fillSignIn,
} from './harness.js';

/**
 * A page left open ends its session by itself once the admin's idle timeout has passed since the
 * service last answered (shared/session.ts watchIdle): no enterprise data stays on an unattended
 * screen until the next click. The browser's clock is Playwright's, moved forward.
 */
describe('idle timeout on an open page', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService(30);
    browser = await launchBrowser();
    // the shortest idle timeout the admin may set
    await service.test.admin.patch('/api/settings').send({ sessionIdleMinutes: 5 }).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('the workbench goes back to sign-in after 5 idle minutes, saying why, and not before', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    await w.context.clock.install();
    await w.page.goto('/login');
    await fillSignIn(w.page, service.demo.regulator);
    await w.page.getByRole('heading', { name: '驾驶舱' }).waitFor();
    await w.page.waitForLoadState('networkidle');
    await w.page.clock.runFor('04:00');
    await w.page.waitForTimeout(200);
    expect(new URL(w.page.url()).pathname).toBe('/dashboard');
    await w.page.clock.runFor('01:01');
    await w.page.getByText('登录已失效').first().waitFor();
    await w.page.getByRole('button', { name: '登录' }).waitFor();
    expect(new URL(w.page.url()).pathname).toBe('/login');
    expect(await w.page.getByText('风险分类分布').count()).toBe(0);
    await expectAccessible(w.page, '/login after the idle timeout');
    w.expectNoProblems();
    await w.context.close();
  });

  it('so do the phone pages', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    await w.context.clock.install();
    await w.page.goto('/m/login');
    await fillSignIn(w.page, service.demo.enterprise);
    await w.page.waitForURL((u) => u.pathname === '/m/');
    // the home page's own requests move the idle clock when they answer: let them finish first
    await w.page.waitForLoadState('networkidle');
    await w.page.clock.runFor('05:30');
    await w.page.waitForURL((u) => u.pathname === '/m/login');
    w.expectNoProblems();
    await w.context.close();
  });
});
