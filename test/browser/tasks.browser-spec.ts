/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  daysFromToday,
  enterpriseOfTier,
  insertInspectorProfile,
  insertItem,
  insertJointVisit,
  insertPublishedPlan,
  insertTask,
  insertTrigger,
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
  type WatchedPage,
} from './harness.js';
import { applyAndCheckIn, applyAndCheckInOn } from './check-code-steps.js';

/** What a phone's screen shows, as out/screenshots/<name>.png (a full page would paint the tab bar mid-page). */
async function phoneShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The tier the enterprise page shows in its heading, e.g. "B类 · 信用风险一般". */
async function tierOnEnterprisePage(page: Page, uscc: string, name: string): Promise<string> {
  await page.goto(`/enterprises/${uscc}`);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  const tag = page.locator('.head .tier-tag');
  await tag.waitFor();
  // the heading first shows the list's tier, then the credit status: wait for the latter
  await page.getByText('信用状况').waitFor();
  await page.waitForLoadState('networkidle');
  return ((await tag.textContent()) ?? '').trim();
}

/**
 * Issue 11 "an inspector records a result and the enterprise's tier changes": the demo inspector
 * on a desk finds the task under 我的任务, reads the combined checklist of a joint visit, records
 * problems found; on a 375 px phone records a refusal of another task; each time the enterprise
 * page shows the tier before (B) and after (C). Issue 12 (无码不检查): before each result the
 * inspector applies for the visit's inspection code on its phone and checks in under it; until then
 * neither page offers 记录检查结果.
 */
describe("an inspector's tasks and results (desk and phone)", () => {
  let service: Service;
  let browser: Browser;
  let desk: WatchedPage;
  let deskEnt: Awaited<ReturnType<typeof enterpriseOfTier>>;
  let phoneEnt: Awaited<ReturnType<typeof enterpriseOfTier>>;
  let deskTask: number;
  let phoneTask: number;

  beforeAll(async () => {
    service = await startService(120);
    browser = await launchBrowser();
    const db = service.test.dataSource;
    const [{ id: inspectorId }] = await db.query(`SELECT id FROM app_user WHERE username = 'demo-inspector'`);
    const partner = (await service.test.signIn('inspector')).user;
    const health = (await service.test.signIn('inspector', { department: 'health' })).user;
    const food = await insertItem(db, {
      code: 'MK-FOOD-01',
      name: '食品经营许可情况检查',
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      requirements: ['在经营场所显著位置公示食品经营许可证', '许可证载明的经营项目与实际一致'],
    });
    const label = await insertItem(db, {
      code: 'MK-LBL-01',
      name: '食品标签标识检查',
      legalBasis: '《中华人民共和国食品安全法》第六十七条',
      requirements: ['预包装食品标签载明生产日期和保质期', '不销售超过保质期的食品'],
    });
    const hygiene = await insertItem(db, {
      code: 'HE-HYG-01',
      name: '公共场所卫生检查',
      department: 'health',
      legalBasis: '《公共场所卫生管理条例》第六条',
      requirements: ['持有有效的卫生许可证', '从业人员持有健康合格证明'],
    });
    for (const u of [Number(inspectorId), partner.id])
      await insertInspectorProfile(db, u, [food.id, label.id]);
    await insertInspectorProfile(db, health.id, [hygiene.id]);
    const plan = await insertPublishedPlan(db, {
      itemIds: [food.id, label.id, hygiene.id],
      joint: ['health'],
    });
    deskEnt = await enterpriseOfTier(db, 'B');
    phoneEnt = await enterpriseOfTier(db, 'B', 1);
    const visit = await insertJointVisit(db, { enterpriseId: deskEnt.id, leadDepartment: 'market' });
    deskTask = await insertTask(db, {
      enterpriseId: deskEnt.id,
      plan,
      tier: 'B',
      itemIds: [food.id, label.id],
      inspectors: [Number(inspectorId), partner.id],
      visitId: visit,
      windowEnd: daysFromToday(5),
    });
    const healthTask = await insertTask(db, {
      enterpriseId: deskEnt.id,
      department: 'health',
      kind: 'event',
      tier: 'B',
      itemIds: [hygiene.id],
      inspectors: [health.id],
      visitId: visit,
    });
    // an event task comes from an accepted trigger (the visit's code carries its reason)
    await insertTrigger(db, {
      enterpriseId: deskEnt.id,
      taskId: healthTask,
      department: 'health',
      reason: '群众举报：公共场所卫生状况差',
    });
    phoneTask = await insertTask(db, {
      enterpriseId: phoneEnt.id,
      kind: 'event',
      tier: 'B',
      itemIds: [label.id],
      inspectors: [Number(inspectorId), partner.id],
      visitId: await insertJointVisit(db, {
        enterpriseId: phoneEnt.id,
        leadDepartment: 'market',
        windowEnd: daysFromToday(2),
      }),
      windowEnd: daysFromToday(2),
    });
    await insertTrigger(db, {
      enterpriseId: phoneEnt.id,
      taskId: phoneTask,
      reason: '消费者投诉：销售过期食品',
    });
    desk = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(desk.page, service.demo.inspector);
  });
  afterAll(async () => {
    await desk?.context.close();
    await browser?.close();
    await service?.close();
  });

  it('on the desk: 我的任务, the combined checklist, problems found, and the tier moves from B to C', async () => {
    const { page } = desk;
    expect(await tierOnEnterprisePage(page, deskEnt.uscc, deskEnt.name)).toMatch(/^B类/);

    await page.getByRole('menuitem', { name: '我的任务' }).click();
    await page.getByRole('heading', { name: '我的任务' }).waitFor();
    await page.getByRole('link', { name: deskEnt.name }).waitFor();
    await page.getByRole('link', { name: phoneEnt.name }).waitFor();
    await expectAccessible(page, 'my tasks (desk)');
    await screenshot(page, 'tasks-my-desk');

    await page.getByRole('link', { name: deskEnt.name }).click();
    await page.getByRole('heading', { level: 1, name: deskEnt.name }).waitFor();
    await page.getByRole('heading', { name: '一表通查 · 综合查一次' }).waitFor();
    // the combined checklist: the lead department's items, then health's, with their requirements
    const items = page.locator('.checklist article h3');
    await expect(items.allTextContents()).resolves.toEqual([
      '1. 食品经营许可情况检查 MK-FOOD-01',
      '2. 食品标签标识检查 MK-LBL-01',
      '3. 公共场所卫生检查 HE-HYG-01',
    ]);
    await page.getByText('不销售超过保质期的食品').waitFor();
    await page.getByText('其他部门任务的事项').waitFor();
    await expectAccessible(page, 'task detail (desk)');
    await screenshot(page, 'tasks-detail-desk');

    // no result without the inspection code checked in under (无码不检查): the inspector applies
    // for the visit's code on its phone and checks in at the enterprise
    await expect(page.getByRole('button', { name: '记录检查结果' }).count()).resolves.toBe(0);
    await page.getByText('检查人员须先申请检查码并在企业现场签到').waitFor();
    await applyAndCheckIn(browser, service.baseUrl, service.demo.inspector, deskTask);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: deskEnt.name }).waitFor();
    await page.getByRole('button', { name: '记录检查结果' }).click();
    const dialog = page.getByRole('dialog', { name: '记录检查结果' });
    await dialog.getByText('发现问题', { exact: true }).click();
    // an empty finding is refused beside its field
    desk.allow(/status of 422/);
    await dialog.getByRole('button', { name: '提交结果' }).click();
    await page.getByRole('button', { name: '确定提交' }).click();
    await dialog.getByText('请填写发现的问题').waitFor();
    await screenshot(page, 'tasks-result-refused-desk');
    await dialog.getByLabel('第1条问题', { exact: true }).fill('未在经营场所显著位置公示食品经营许可证');
    await expect(dialog.getByText('请填写发现的问题').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: '添加一条问题' }).click();
    await dialog.locator('.finding').nth(1).locator('.el-select__wrapper').click();
    await page.getByRole('option', { name: '食品标签标识检查' }).click();
    await dialog.getByLabel('第2条问题', { exact: true }).fill('货架上有2件超过保质期的预包装饼干');
    await dialog.getByLabel('说明（可不填）').fill('已当场下架过期食品');
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'result dialog (desk)');
    await screenshot(page, 'tasks-result-dialog-desk');
    await dialog.getByRole('button', { name: '提交结果' }).click();
    await page.getByRole('button', { name: '确定提交' }).click();
    await page.getByText('检查结果已记录，企业风险分类由 B 类调整为 C 类。').waitFor();
    await expect(page.getByTestId('outcome').textContent()).resolves.toBe('发现问题');
    await page.getByText('货架上有2件超过保质期的预包装饼干').waitFor();
    await expect(page.getByRole('button', { name: '记录检查结果' }).count()).resolves.toBe(0);
    await screenshot(page, 'tasks-recorded-desk');

    expect(await tierOnEnterprisePage(page, deskEnt.uscc, deskEnt.name)).toMatch(/^C类/);
    await page.getByText('检查结果').first().waitFor();
    desk.expectNoProblems();
  });

  it('on a phone: 我的任务 under /m, the task, a refusal recorded, and the tier moves from B to C', async () => {
    expect(await tierOnEnterprisePage(desk.page, phoneEnt.uscc, phoneEnt.name)).toMatch(/^B类/);

    const w = await openPage(browser, service.baseUrl, PHONE);
    const { page } = w;
    await page.goto('/m/login');
    await fillSignIn(page, service.demo.inspector);
    await page.waitForURL((u) => u.pathname === '/m/tasks');
    await page.getByRole('heading', { name: '我的任务' }).waitFor();
    await page.getByRole('link', { name: new RegExp(phoneEnt.name) }).waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth)).toBe(false);
    await expectAccessible(page, '/m/tasks');
    await phoneShot(page, 'tasks-my-phone');

    await page.getByRole('link', { name: new RegExp(phoneEnt.name) }).click();
    await page.getByRole('heading', { name: phoneEnt.name }).waitFor();
    await page.getByText('消费者投诉：销售过期食品').waitFor();
    await page.getByText('预包装食品标签载明生产日期和保质期').waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth)).toBe(false);
    await expect(page.getByRole('button', { name: '记录检查结果' }).count()).resolves.toBe(0);
    await expectAccessible(page, '/m/tasks/:id');
    await phoneShot(page, 'tasks-detail-phone');

    // 申请检查码, 签到 on the code's page, back to the task (无码不检查)
    await applyAndCheckInOn(page, phoneTask);
    await page.goto(`/m/tasks/${phoneTask}`);
    await page.getByRole('heading', { name: phoneEnt.name }).waitFor();
    await page.getByRole('button', { name: '记录检查结果' }).click();
    await page.getByRole('heading', { name: '记录检查结果' }).waitFor();
    await page.getByText('拒绝检查', { exact: true }).click();
    await page.getByLabel('说明').fill('负责人拒绝出示证照，并要求检查人员离开');
    // the submit button enabled by the choice (a half-drawn disabled button fails the contrast check)
    await page.waitForFunction(() => !document.querySelector('.van-button--disabled'));
    await expectAccessible(page, '/m/tasks/:id/result');
    await phoneShot(page, 'tasks-result-phone');
    await page.getByRole('button', { name: '提交结果' }).click();
    await page.getByRole('button', { name: '确定提交' }).click();
    await page.getByText('企业风险分类由 B 类调整为 C 类。').waitFor();
    await page.getByRole('button', { name: '好的' }).click();
    await page.getByText('检查结果：拒绝检查').waitFor();
    await expect(page.getByRole('button', { name: '记录检查结果' }).count()).resolves.toBe(0);
    await expectAccessible(page, '/m/tasks/:id (recorded)'); // also waits for the dialog to fade out
    await phoneShot(page, 'tasks-recorded-phone');
    w.expectNoProblems();
    await w.context.close();

    expect(await tierOnEnterprisePage(desk.page, phoneEnt.uscc, phoneEnt.name)).toMatch(/^C类/);
    const [task] = await service.test.dataSource.query(
      `SELECT status, outcome, result_note FROM inspection_task WHERE id = $1`,
      [phoneTask],
    );
    expect(task).toEqual({
      status: 'completed',
      outcome: 'refused',
      result_note: '负责人拒绝出示证照，并要求检查人员离开',
    });
    expect(deskTask).toBeLessThan(phoneTask);
  });

  it("the regulator's board lists the tasks with their results and filters the open ones", async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '检查任务' }).click();
    await page.getByRole('heading', { name: '检查任务' }).waitFor();
    await page.getByTestId('total').getByText('共 3 项').waitFor();
    const row = page.locator('tr', { hasText: deskEnt.name }).first();
    await expect(row.textContent()).resolves.toMatch(/已完成.*发现问题/);
    await expectAccessible(page, 'task board');
    expect(
      await page.evaluate(
        () =>
          document.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')!.scrollWidth <=
          document.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')!.clientWidth,
      ),
    ).toBe(true);
    await screenshot(page, 'tasks-board');
    await page.locator('.filters .el-select__wrapper').first().click(); // 状态
    // the joint visit's health task is under way: its code was checked in under for the market task
    await page
      .locator('.el-select-dropdown__item')
      .filter({ hasText: '检查中', visible: true })
      .first()
      .click();
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('total').getByText('共 1 项').waitFor();
    await page.locator('tr', { hasText: '卫生健康委员会' }).first().waitFor();
    w.expectNoProblems();
    await w.context.close();
  });
});
