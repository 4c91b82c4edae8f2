/**
 * What every browser test needs (issue 10 "Tested as a person would use it"): the real service on
 * a fresh, migrated database with demo data and users, listening on a loopback port; Debian's
 * Chromium driven by playwright-core (never a browser download: none works here); every console
 * error, uncaught page error and failed request of a page collected so that a journey fails on
 * them; an accessibility check with axe-core that fails on any serious or critical finding; and
 * screenshots saved to out/screenshots/ (git-ignored) for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { systemActor } from '../../src/audit/actor.js';
import { DEMO_USERS, loadDemoData } from '../../src/demo/demo-data.js';
import { createTestApp, type TestApp } from '../helpers.js';

/** Debian's Chromium (apt-get install chromium), or the one named by CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the tests save their screenshots (the best are copied into docs/screenshots by hand). */
export const SCREENSHOT_DIR = path.resolve(process.cwd(), 'out/screenshots');

/** Viewports: a desk's screen, and a phone 375 px wide (issue 10: usable at 375 px). */
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 740 };

export interface Service {
  /** the service's address, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  test: TestApp;
  /** demo users (demo-data.ts DEMO_USERS) by role: username and password to type */
  demo: Record<'admin' | 'regulator' | 'inspector' | 'enterprise', { username: string; password: string }>;
  close(): Promise<void>;
}

/**
 * Starts the real HTTP application (createTestApp: validation, sessions, pages) on a fresh
 * database with `enterprises` generated demo enterprises, scored, and the demo users.
 */
export async function startService(enterprises = 300, env: Record<string, string> = {}): Promise<Service> {
  const test = await createTestApp(env);
  await loadDemoData(test.app, enterprises, false, systemActor('test'));
  await test.app.listen(0, '127.0.0.1');
  const address = test.app.getHttpServer().address() as { port: number };
  // the first demo user of each role (demo-admin, demo-regulator, demo-inspector, demo-enterprise)
  const byRole = Object.fromEntries(
    DEMO_USERS.filter((u, i) => DEMO_USERS.findIndex((v) => v.role === u.role) === i).map((u) => [
      u.role,
      { username: u.username, password: u.password },
    ]),
  );
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    test,
    demo: byRole as Service['demo'],
    close: () => test.close(),
  };
}

/**
 * Launches headless Chromium with the flags this closed network needs (stack-notes.md).
 * @throws Error saying how to install it when /usr/bin/chromium is missing
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get update && apt-get install -y chromium fonts-wqy-microhei) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A page of a fresh browser context (own cookies) whose problems are collected. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** console errors, page errors and failed requests seen so far, as text */
  problems: string[];
  /**
   * Console errors matching `pattern` are expected from now on (for example the browser's own
   * "Failed to load resource: ... 404" when a test opens a page it may not see): not problems.
   */
  allow(pattern: RegExp): void;
  /** @throws Error listing every problem seen (the journey fails on a console error) */
  expectNoProblems(): void;
}

/** Opens a new context (Chinese locale, Shanghai time) and page at `viewport`, watching for problems. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowed.some((a) => a.test(m.text())))
      problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // a download the test saved, or a request the page aborted on leaving, is no failure
    const why = r.failure()?.errorText ?? '';
    if (!/ERR_ABORTED/.test(why)) problems.push(`request failed: ${r.method()} ${r.url()} ${why}`);
  });
  return {
    page,
    context,
    problems,
    allow: (p) => allowed.push(p),
    expectNoProblems: () => {
      if (problems.length) throw new Error(`the page had problems:\n${problems.join('\n')}`);
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core finding. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page as it is now.
 * @returns the serious and critical findings (empty when none)
 */
export async function accessibilityFindings(page: Page): Promise<AxeFinding[]> {
  // a dropdown or dialog still fading in or out (a Vue transition) is half transparent: axe would
  // judge its colours mid-fade. Wait for every transition to end first.
  await page.waitForFunction(
    () => !document.querySelector('[class*="-enter-active"], [class*="-leave-active"]'),
    undefined,
    { timeout: 5000 },
  );
  // evaluated through the DevTools protocol: the page's Content-Security-Policy (script-src 'self')
  // stays in force for the page itself
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** @throws Error listing every serious or critical axe-core finding on the page (`where` names it) */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // judge the page as it rests, not half-way through a transition: a button fading in from its
  // disabled look (Vant: opacity over 0.2 s) failed the contrast rule now and then on a busy machine
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
  const findings = await accessibilityFindings(page);
  if (findings.length)
    throw new Error(
      `accessibility (axe-core) on ${where}:\n` +
        findings.map((f) => `  [${f.impact}] ${f.id}: ${f.help} at ${f.nodes.join(', ')}`).join('\n'),
    );
}

/** Types a user's name and password into the sign-in form on screen (workbench or phone) and submits it. */
export async function fillSignIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Opens the sign-in page at `path`, signs in as `user` and waits for the page after it. */
export async function signIn(
  page: Page,
  user: { username: string; password: string },
  path = '/login',
): Promise<void> {
  await page.goto(path);
  await fillSignIn(page, user);
  await page.waitForURL((u) => !/\/login$/.test(u.pathname));
}

/** Saves a full-page screenshot as out/screenshots/<name>.png. @returns its path */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until `locator` matches exactly `n` elements (a list that loads after its heading, or
 * reloads after an action, is counted only once it has settled); throws after `timeoutMs` with
 * the last count seen. `locator.count()` alone does not wait.
 */
export async function expectCount(
  locator: { count(): Promise<number> },
  n: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await locator.count();
  }
  if (seen !== n) throw new Error(`expected ${n} matching elements, saw ${seen} after ${timeoutMs} ms`);
}
