/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/audit/actor.js';
import { addDays } from '../../src/common/calendar-days.js';
import { todayInShanghai } from '../../src/common/clock.js';
import type { AuthUser } from '../../src/auth/auth-user.js';
import { RemindersJob } from '../../src/credit-repair/reminders/reminders.job.js';
import { PenaltyDecisionsService } from '../../src/penalties/decisions/penalty-decisions.service.js';
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
  let light: { id: number; decisionNo: string };
  let never: { id: number; decisionNo: string };
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
    // recorded through the real service (its notice as issued): a light fine (a lower amount:
    // published for the minimum period, no early repair) and one never ended early
    const admin: AuthUser = {
      id: 0,
      username: 'test-loader',
      displayName: '测试',
      role: 'admin',
      department: null,
      credentialNo: null,
      enterpriseId: null,
      enterpriseUscc: null,
    };
    const record = (over: Record<string, unknown>) =>
      service.test.app.get(PenaltyDecisionsService).record(
        {
          decisionNo: `沪市监杨处〔${today.slice(0, 4)}〕B${String(Math.random()).slice(2, 7)}号`,
          enterpriseUscc: uscc,
          partyType: 'organisation',
          decisionDate: addDays(today, -3),
          procedure: 'general',
          penaltyTypes: ['fine'],
          fineFen: 2_000_000,
          domain: 'general',
          violation: '未按规定明码标价',
          legalBasis: '《中华人民共和国价格法》第四十二条',
          delivery: { channel: 'in_person', deliveredOn: addDays(today, -3) },
          department: 'market',
          ...over,
        },
        admin,
        systemActor('test'),
        today,
      );
    light = await record({});
    never = await record({
      penaltyTypes: ['fine', 'licence_revocation'],
      fineFen: 50_000_000,
      domain: 'food',
      violation: '使用非食品原料生产食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十三条',
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
    // both documents in place, and each PDF
    await expect(links.allInnerTexts()).resolves.toEqual([
      '在线查看两份文书',
      '行政处罚决定书（PDF）',
      '信用修复告知书（PDF）',
    ]);
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

    // one document only (the demo's 首违不罚, no notice): 在线查看文书
    const first = page.locator('article.decision', { hasText: '沪市监杨不罚' });
    await expect(first.getByRole('link').allInnerTexts()).resolves.toEqual([
      '在线查看文书',
      '行政处罚决定书（PDF）',
    ]);
    // a light record (a lower-amount fine: the minimum period, no early repair) stops by itself
    const lightCard = page.locator('article.decision', { hasText: light.decisionNo });
    expect((await lightCard.innerText()).replace(/\s+/g, ' ')).toContain(
      '信用修复 期满自动停止公示，无需申请',
    );
    // the documents in place: the commitment letter where repair is possible (the demo's D005,
    // recorded by the service with its notice: repair open for a month), 返回 to the list
    const [open] = await service.test.dataSource.query(
      `SELECT d.id::int AS id, d.decision_no FROM penalty_decision d JOIN credit_record r ON r.id = d.credit_record_id
       WHERE d.enterprise_id = (SELECT enterprise_id FROM app_user WHERE username = $1)
         AND d.decision_no LIKE '%D005号' AND r.earliest_repair_on <= $2::date`,
      [service.demo.enterprise.username, today],
    );
    expect(open).toBeDefined();
    await page
      .locator('article.decision', { hasText: open.decision_no })
      .getByRole('link', { name: '在线查看两份文书', exact: true })
      .click();
    await page.waitForURL(new RegExp(`/m/decisions/${open.id}/documents$`));
    await page.getByText('申请信用修复需提交信用承诺书').waitFor();
    await screenshot(page, 'm-decision-documents');
    await page.getByText('返回', { exact: true }).click();
    await page.waitForURL(/\/m\/decisions$/);
    // never ended early: a notice, but no repair: no commitment letter offered
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/my/penalty-decisions'));
    await page
      .locator('article.decision', { hasText: never.decisionNo })
      .getByRole('link', { name: '在线查看两份文书', exact: true })
      .click();
    await page.waitForURL(new RegExp(`/m/decisions/${never.id}/documents$`));
    await asked;
    await page.locator('.m-decision-documents iframe').nth(1).waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    expect(await page.getByText('申请信用修复需提交信用承诺书').count()).toBe(0);
    await page.getByText('返回', { exact: true }).click();
    await page.waitForURL(/\/m\/decisions$/);

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
    const listings: { id: number; list_type: string; removed: boolean }[] =
      await service.test.dataSource.query(
        `SELECT r.id::int AS id, r.list_type, (r.removed_on IS NOT NULL AND r.removed_on <= $2::date) AS removed
       FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id
       WHERE e.uscc = $1 AND r.kind = 'listing' ORDER BY r.id`,
        [uscc, today],
      );
    const listing = listings.find((l) => l.list_type === 'anomaly' && !l.removed)!;
    expect(listing).toBeDefined();
    // every listing in force, and only those (one removed already gets none)
    const leave = page.getByRole('link', { name: '申请移出' });
    await leave.first().waitFor();
    const hrefs = await leave.evaluateAll((ls) => ls.map((l) => l.getAttribute('href')!));
    expect(hrefs.sort()).toEqual(
      listings
        .filter((l) => !l.removed)
        .map((l) => `/m/repair/apply?record=${l.id}`)
        .sort(),
    );
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
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
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
