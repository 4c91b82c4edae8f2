/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/audit/actor.js';
import { addDays } from '../../src/common/calendar-days.js';
import { todayInShanghai } from '../../src/common/clock.js';
import { RemindersJob } from '../../src/credit-repair/reminders/reminders.job.js';
import { insertDecision } from '../enterprise-repair-fixtures.js';
import {
  expectAccessible,
  fillSignIn,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOT_DIR,
  startService,
  type Service,
} from './harness.js';

/** What the phone's screen shows, as out/screenshots/<name>.png (the tab bar stays at the bottom). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);

/**
 * Issue 13 (slice D): the enterprise signs in on a 375 px phone, sees on 本企业 the unread badge
 * of a reminder the daily job created, its decision with both documents at once, the reminder
 * (read on tapping), and its record's publication dates with 申请信用修复.
 */
describe('the enterprise page: decisions, both documents, reminders (/m)', () => {
  let service: Service;
  let browser: Browser;
  let uscc: string;
  let decision: { decisionId: number; decisionNo: string; recordId: number };
  const today = todayInShanghai();

  beforeAll(async () => {
    service = await startService(120);
    browser = await launchBrowser();
    const [own] = await service.test.dataSource.query(
      `SELECT e.id::int AS id, e.uscc FROM app_user u JOIN enterprise e ON e.id = u.enterprise_id WHERE u.username = $1`,
      [service.demo.enterprise.username],
    );
    uscc = own.uscc;
    // a decision served yesterday with its notice; repair may be applied for from today (a fixture)
    decision = await insertDecision(service.test.dataSource, {
      enterpriseId: own.id,
      decisionDate: addDays(today, -1),
      publicationStart: today,
      publicationLastDay: addDays(today, 1000),
      earliestRepairOn: today,
      fineFen: 3_000_000,
    });
    const run = await service.test.app.get(RemindersJob).run(today, systemActor('test'));
    expect(run!.byKind.repair_possible).toBeGreaterThanOrEqual(1);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('sees the unread badge, both documents of its decision, the reminder, and 申请信用修复 on the record', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    await page.goto('/m/login');
    await fillSignIn(page, service.demo.enterprise);
    await page.waitForURL(/\/m\/?$/);
    expect(uscc).toHaveLength(18);

    // 本企业: 信用服务 with the unread count the API gives
    const login = await fetch(`${service.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(service.demo.enterprise),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const my = (await (
      await fetch(`${service.baseUrl}/api/my/reminders`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { unread: number; items: { kind: string; message: string; creditRecordId: number }[] };
    expect(my.unread).toBeGreaterThanOrEqual(1);
    const badge = page.locator('.reminders-link .unread-count');
    await badge.waitFor();
    await expect(badge.innerText()).resolves.toBe(`${my.unread} 条未读`);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expectAccessible(page, '/m (信用服务)');
    await screenshot(page, 'm-home-services');

    // 处罚决定与告知书: the decision with both documents at once
    await page.getByText('处罚决定与告知书', { exact: true }).click();
    await page.waitForURL(/\/m\/decisions$/);
    const card = page.locator('article.decision', { hasText: decision.decisionNo });
    await card.waitFor();
    const links = card.getByRole('link');
    await expect(links.count()).resolves.toBe(2);
    await expect(
      card.getByRole('link', { name: '行政处罚决定书（PDF）' }).getAttribute('href'),
    ).resolves.toBe(`/api/penalty-decisions/${decision.decisionId}/documents/decision.pdf`);
    await expect(
      card.getByRole('link', { name: '信用修复告知书（PDF）' }).getAttribute('href'),
    ).resolves.toBe(`/api/penalty-decisions/${decision.decisionId}/documents/repair-notice.pdf`);
    const text = (await card.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('已附信用修复告知书');
    expect(text).toContain('¥30,000.00');
    expect(text).toContain('公示中');
    expect(text).toContain('直接送达：行政处罚决定书、信用修复告知书');
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page, '/m/decisions');
    await screenshot(page, 'm-decisions');

    // 消息提醒: the job's reminder, read on tapping
    await page.getByText('返回', { exact: true }).click();
    await page.waitForURL(/\/m\/?$/);
    await page.getByText('消息提醒', { exact: true }).click();
    await page.waitForURL(/\/m\/reminders$/);
    const expected = my.items.find(
      (r) => r.kind === 'repair_possible' && r.creditRecordId === decision.recordId,
    )!;
    const reminder = page.locator('article.reminder', { hasText: decision.decisionNo });
    await reminder.waitFor();
    await expect(reminder.locator('.message').innerText()).resolves.toBe(expected.message);
    await expect(reminder.getByText('未读').isVisible()).resolves.toBe(true);
    await expect(reminder.getByRole('link', { name: '申请信用修复' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page, '/m/reminders');
    await screenshot(page, 'm-reminders');
    await reminder.locator('.reminder-body').click();
    await reminder.getByText('未读').waitFor({ state: 'detached' });
    const after = (await (
      await fetch(`${service.baseUrl}/api/my/reminders`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { unread: number };
    expect(after.unread).toBe(my.unread - 1);

    // 信用记录: the record's publication state and dates, and 申请信用修复 (slice E's page)
    await page.getByRole('tab', { name: '信用记录' }).click();
    await page.waitForURL(/\/m\/records$/);
    const record = page.locator('article.record', { hasText: decision.decisionNo });
    await record.waitFor();
    await record.locator('.publication').waitFor();
    const recordText = (await record.innerText()).replace(/\s+/g, ' ');
    expect(recordText).toContain('公示状态 公示中');
    const chinese = (d: string) => `${+d.slice(0, 4)}年${+d.slice(5, 7)}月${+d.slice(8, 10)}日`;
    expect(recordText).toContain(`公示起始日 ${chinese(today)}`);
    expect(recordText).toContain(`公示截止日 ${chinese(addDays(today, 1000))}`);
    const apply = record.getByRole('link', { name: '申请信用修复' });
    await expect(apply.getAttribute('href')).resolves.toBe(`/m/repair/apply?record=${decision.recordId}`);
    await record.scrollIntoViewIfNeeded();
    await page.locator('.van-list[aria-busy="false"]').waitFor();
    await expectAccessible(page, '/m/records (publication)');
    await screenshot(page, 'm-records-publication');

    // the demo enterprise is on the anomaly list: its listing card applies to leave it (申请移出),
    // and the penalty's refusal (请先申请移出) links to the same application
    const [listing] = await service.test.dataSource.query(
      `SELECT r.id::int AS id FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id
       WHERE e.uscc = $1 AND r.kind = 'listing' AND r.list_type = 'anomaly' AND r.removed_on IS NULL`,
      [uscc],
    );
    expect(listing).toBeDefined();
    const leave = page.getByRole('link', { name: '申请移出' });
    await leave.first().waitFor();
    await expect(leave.evaluateAll((ls) => ls.map((l) => l.getAttribute('href')))).resolves.toEqual([
      `/m/repair/apply?record=${listing.id}`,
    ]);
    await leave.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'm-records-listing');
    await apply.click();
    await page.waitForURL(new RegExp(`/m/repair/apply\\?record=${decision.recordId}$`));
    const refusal = page.getByRole('alert').filter({ hasText: '请先申请移出' });
    await refusal.waitFor();
    await expect(refusal.getByRole('link', { name: '申请移出' }).getAttribute('href')).resolves.toBe(
      `/m/repair/apply?record=${listing.id}`,
    );
    await expectAccessible(page, '/m/repair/apply (refused: on the anomaly list)');
    await screenshot(page, 'm-repair-apply-refused');
    await refusal.getByRole('link', { name: '申请移出' }).click();
    await page.waitForURL(new RegExp(`/m/repair/apply\\?record=${listing.id}$`));
    await page.getByRole('heading', { name: '移出经营异常名录' }).waitFor();
    await page.getByText('本企业确认：列入经营异常名录的情形已消除').waitFor();

    // 合规告知: the items of its industry
    await page.goto('/m/compliance-notice');
    await page.locator('.m-note').first().waitFor();
    await expectAccessible(page, '/m/compliance-notice');
    await screenshot(page, 'm-compliance-notice');
    expect(await scrollsSideways(page)).toBe(false);
    w.expectNoProblems();
  });
});
