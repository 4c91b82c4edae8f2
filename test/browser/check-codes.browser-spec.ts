/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  enterpriseOfTier,
  insertInspectorProfile,
  insertItem,
  insertJointVisit,
  insertPublishedPlan,
  insertTask,
} from '../planning-fixtures.js';
import {
  DESKTOP,
  expectAccessible,
  fillSignIn,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOT_DIR,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';

/** What a phone's screen shows, as out/screenshots/<name>.png. */
async function phoneShot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

const noSideScroll = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);

/**
 * Issue 12 "Carrying out the inspection" as a person does it: the demo inspector on a 375 px phone
 * opens its task (no 记录检查结果 yet: 无码不检查), applies for the code, sees the QR code and the
 * check word (the same as the service's), enlarges the QR, checks in, records the result, checks
 * out; 我的检查码 lists the code completed; a regulator's workbench 检查码 page lists it completed
 * and opens its particulars and check-in events.
 */
describe('inspection codes on the phone and the workbench', () => {
  let service: Service;
  let browser: Browser;
  let ent: Awaited<ReturnType<typeof enterpriseOfTier>>;
  let taskId: number;

  beforeAll(async () => {
    service = await startService(120);
    browser = await launchBrowser();
    const db = service.test.dataSource;
    const [{ id }] = await db.query(`SELECT id::int AS id FROM app_user WHERE username = 'demo-inspector'`);
    const partner = (await service.test.signIn('inspector', { credentialNo: '31011026099' })).user;
    const item = await insertItem(db, {
      code: 'MK-LIC-09',
      name: '营业执照公示情况检查',
      legalBasis: '《中华人民共和国市场主体登记管理条例》第三十六条',
      checkMethod: 'on_site',
      requirements: ['在住所醒目位置悬挂营业执照', '登记事项与实际经营一致'],
    });
    for (const u of [id as number, partner.id]) await insertInspectorProfile(db, u, [item.id]);
    const plan = await insertPublishedPlan(db, { itemIds: [item.id] });
    ent = await enterpriseOfTier(db, 'B');
    taskId = await insertTask(db, {
      enterpriseId: ent.id,
      plan,
      tier: 'B',
      itemIds: [item.id],
      inspectors: [id as number, partner.id],
      visitId: await insertJointVisit(db, { enterpriseId: ent.id }),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('phone: apply for the code, QR and check word, check in, record the result, check out', async () => {
    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    await page.goto('/m/login');
    await fillSignIn(page, service.demo.inspector);
    await page.waitForURL((u) => u.pathname === '/m/tasks');

    // the task: no result without a code checked in under
    await page.goto(`/m/tasks/${taskId}`);
    await page.getByRole('heading', { name: ent.name }).waitFor();
    await page.getByText('进入企业检查前，请先申请检查码').waitFor();
    await expect(page.getByRole('button', { name: '记录检查结果' }).count()).resolves.toBe(0);
    await expectAccessible(page, '/m/tasks/:id (no code)');
    await phoneShot(page, 'codes-task-before', true);

    await page.getByRole('button', { name: '申请检查码' }).click();
    await page.getByText('将为本次检查申请检查码').waitFor();
    await page.getByRole('button', { name: '申请', exact: true }).click();
    await page.waitForURL((u) => /^\/m\/codes\/\d+$/.test(u.pathname));
    const codeId = Number(new URL(page.url()).pathname.split('/').pop());

    // the code as the service has it: number, check word, QR
    const api = (await service.test.admin.get(`/api/check-codes/${codeId}`).expect(200)).body;
    expect(api).toMatchObject({ status: 'issued', taskIds: [taskId] });
    await page.locator('.code-head').getByText(api.codeNoDisplay).waitFor();
    await page.locator('.code-head').getByText('待检查').waitFor();
    const word = ((await page.locator('.word-text').textContent()) ?? '').trim();
    // the word may have turned over between the two reads (a 10-minute window)
    const again = (await service.test.admin.get(`/api/check-codes/${codeId}`).expect(200)).body;
    expect([api.checkWord, again.checkWord]).toContain(word);
    await page.getByText(/\d+ (分钟|秒)后更换/).waitFor();
    const qr = page.getByRole('img', { name: /检查码二维码/ }).first();
    await qr.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.qr img');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(260); // big on a 375 px screen
    expect(await noSideScroll(page)).toBe(true);
    await expectAccessible(page, '/m/codes/:id');
    await phoneShot(page, 'codes-code-phone');
    await phoneShot(page, 'codes-code-phone-full', true);

    // tap to enlarge: the QR over the whole width, on white
    await qr.click();
    const big = page.getByRole('dialog', { name: '二维码（放大）' });
    await big.waitFor();
    await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"]'));
    const bigBox = (await big.getByRole('img').boundingBox())!;
    expect(bigBox.width).toBeGreaterThan(340);
    await phoneShot(page, 'codes-qr-enlarged');
    await big.click();
    await big.waitFor({ state: 'hidden' });

    // check in, with confirmation
    await page.getByRole('button', { name: '签到（开始检查）' }).click();
    await page.getByText(`开始对${ent.name}的检查`).waitFor();
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await page.locator('.code-head').getByText('检查中').waitFor();
    await page.getByText('签到 · 演示执法人员（市场监管）').waitFor();
    await expect(page.getByRole('button', { name: '签到（开始检查）' }).count()).resolves.toBe(0);
    await page.locator('.van-toast').waitFor({ state: 'hidden' });
    await expectAccessible(page, '/m/codes/:id (checked in)');
    await phoneShot(page, 'codes-checked-in', true);

    // to the task: now the result may be recorded
    await page.getByRole('button', { name: '查看任务 / 记录检查结果' }).click();
    await page.getByRole('heading', { name: ent.name }).waitFor();
    await page.getByRole('button', { name: '记录检查结果' }).click();
    await page.getByRole('heading', { name: '记录检查结果' }).waitFor();
    await page.getByText('未发现问题', { exact: true }).click();
    await page.getByRole('button', { name: '提交结果' }).click();
    await page.getByRole('button', { name: '确定提交' }).click();
    await page.getByRole('button', { name: '好的' }).click();
    await page.getByText('检查结果：未发现问题').waitFor();
    // the code covered only this task: completed with its result
    await page.locator('.task-code').getByText('已完成').waitFor();
    await expectAccessible(page, '/m/tasks/:id (recorded under the code)'); // also waits for the dialog to fade
    await phoneShot(page, 'codes-task-recorded', true);

    // check out from the code's page
    await page.getByRole('button', { name: '查看检查码' }).click();
    await page.locator('.code-head').getByText('已完成').waitFor();
    await page.getByRole('button', { name: '签退（离开企业）' }).click();
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await page.getByText('签退 · 演示执法人员（市场监管）').waitFor();
    await expectAccessible(page, '/m/codes/:id (completed)');

    // 我的检查码
    await page.getByRole('tab', { name: '我的检查码' }).click();
    await page.getByRole('heading', { name: '我的检查码' }).waitFor();
    await page
      .getByRole('article', { name: new RegExp(`${ent.name} ${api.codeNoDisplay} 已完成`) })
      .waitFor();
    expect(await noSideScroll(page)).toBe(true);
    await expectAccessible(page, '/m/codes');
    await phoneShot(page, 'codes-my-codes');
    w.expectNoProblems();
    await w.context.close();

    const [row] = await service.test.dataSource.query(
      `SELECT c.status, t.status AS task_status, (SELECT count(*)::int FROM check_code_event WHERE code_id = c.id) AS events
       FROM check_code c JOIN check_code_task ct ON ct.code_id = c.id JOIN inspection_task t ON t.id = ct.task_id WHERE c.id = $1`,
      [codeId],
    );
    expect(row).toEqual({ status: 'completed', task_status: 'completed', events: 2 });
  });

  it('workbench: the regulator lists the code as completed and opens its particulars', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '检查码', exact: true }).click();
    await page.getByRole('heading', { name: '检查码', level: 1 }).waitFor();
    const row = page.locator('tr', { hasText: ent.name }).first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/已完成/);
    await expectAccessible(page, 'check codes (workbench)');
    // every column on screen: no horizontal scroll in the table
    expect(
      await page.evaluate(() => {
        const wrap = document.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')!;
        return wrap.scrollWidth <= wrap.clientWidth;
      }),
    ).toBe(true);
    await screenshot(page, 'codes-workbench-list');
    await row.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('营业执照公示情况检查').waitFor();
    await drawer.getByText('《中华人民共和国市场主体登记管理条例》第三十六条', { exact: false }).waitFor();
    await drawer.getByText('执法证号 31011026001', { exact: false }).waitFor();
    await expect(drawer.locator('table').last().textContent()).resolves.toMatch(/签到.*签退/);
    // completed: nothing to revoke
    await expect(drawer.getByRole('button', { name: '吊销' }).count()).resolves.toBe(0);
    await expectAccessible(page, 'check code drawer');
    await screenshot(page, 'codes-workbench-drawer');
    // the filter: completed only, then issued only (none)
    await page.keyboard.press('Escape');
    w.expectNoProblems();
    await w.context.close();
  });
});
