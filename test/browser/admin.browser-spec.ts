/**
 * The admin's pages as a person uses them (issue 10 "an admin creates an inspector"): users,
 * deactivation, settings, the audit trail; the role-aware menu of the new inspector; changing
 * one's own password.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers.js';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  startService,
  type Service,
  type WatchedPage,
  fillSignIn,
} from './harness.js';

/** Picks `option` in the Element Plus select labelled `label` (inside `scope`, a dialog or the page). */
async function choose(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await scope
    .locator('.el-form-item')
    .filter({ has: page.locator('label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.el-select__wrapper')
    .click();
  await page.locator('.el-select-dropdown__item').filter({ hasText: option, visible: true }).first().click();
}

/** The names of the main menu's items. */
async function menuItems(page: Page): Promise<string[]> {
  await page.locator('nav[aria-label="主菜单"] .el-menu-item').first().waitFor();
  return (await page.locator('nav[aria-label="主菜单"] .el-menu-item').allTextContents()).map((t) =>
    t.trim(),
  );
}

async function signOut(page: Page): Promise<void> {
  await page.locator('.user-button').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.getByRole('heading', { name: '信用风险分类监管工作台' }).waitFor();
}

describe('admin pages', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService(60);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('an admin creates an inspector, who then sees only its own menu and no user page', async () => {
    const w: WatchedPage = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    // not signed in yet, the page asks for its session (GET /api/auth/session answers 401, which
    // the browser logs): the only 401s this journey may see, checked at its end
    w.allow(/status of 401/);
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 401) refused.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto('/admin/users');
    // not signed in: the sign-in page, keeping where the person was going
    await page.getByRole('heading', { name: '信用风险分类监管工作台' }).waitFor();
    expect(page.url()).toContain('/login?redirect=');
    await expectAccessible(page, 'sign-in page');
    await screenshot(page, 'login');

    await fillSignIn(page, { username: service.demo.admin.username, password: service.demo.admin.password });
    await page.getByRole('heading', { name: '用户管理' }).waitFor();
    await page.locator('table').getByText(service.demo.regulator.username).waitFor();
    await expect(menuItems(page)).resolves.toEqual([
      '驾驶舱',
      '企业名录',
      '公示期规则',
      '年度抽查计划',
      '检查任务',
      '事件触发',
      '行政处罚决定',
      '双书同达统计',
      '包容审慎监管清单',
      '信用修复受理',
      // issue 14: the 预付卡风险 submenu
      '风险地图',
      '预警列表',
      '预付卡经营者',
      '预付卡数据导入',
      '检查码',
      '联合检查',
      '频次预警',
      '无事不扰',
      '检查评价',
      '检查码统计',
      '随机抽查事项清单',
      '执法检查人员名录库',
      '回避申报与审核',
      '计划外抽取',
      '用户管理',
      '审计日志',
      '系统设置',
      '检查码签名密钥',
      '修改密码',
    ]);
    await expectAccessible(page, 'users page');
    await screenshot(page, 'users');

    // 新建用户: an inspector needs a department and a credential number
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog', { name: '新建用户' });
    await dialog.waitFor();
    await choose(page, dialog, '角色', '执法检查人员');
    await expect(dialog.getByLabel('执法证号').isVisible()).resolves.toBe(true);
    await expect(dialog.getByText('统一社会信用代码').count()).resolves.toBe(0);
    await dialog.getByLabel('用户名').fill('li.na');
    await dialog.getByLabel('姓名').fill('李娜');
    await choose(page, dialog, '部门', '卫生健康委员会');
    await dialog.getByLabel('执法证号').fill('WJ-310110-0042');
    // a weak password is refused in the page, saying why, beside the field
    await dialog.getByLabel('初始密码').fill('short1');
    await dialog.getByRole('button', { name: '创建' }).click();
    await dialog.getByText('密码至少10个字符').waitFor();
    await expect(dialog.getByText('密码长度10至72个字节').isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'create-user dialog');
    await dialog.getByLabel('初始密码').fill('Jiancha-2026-ln');
    await dialog.getByRole('button', { name: '创建' }).click();
    await page.getByText('已创建用户 li.na（执法检查人员）').waitFor();
    const row = page.locator('.el-table__body tr').filter({ hasText: 'li.na' });
    await expect(row.textContent()).resolves.toMatch(
      /李娜.*执法检查人员.*卫生健康委员会.*WJ-310110-0042.*启用/,
    );

    // a second user with the same credential number: 409, said beside the field
    await page.getByRole('button', { name: '新建用户' }).click();
    await choose(page, dialog, '角色', '执法检查人员');
    await dialog.getByLabel('用户名').fill('wang.qiang');
    await dialog.getByLabel('姓名').fill('王强');
    await choose(page, dialog, '部门', '消防救援支队');
    await dialog.getByLabel('执法证号').fill('WJ-310110-0042');
    await dialog.getByLabel('初始密码').fill('Jiancha-2026-wq');
    w.allow(/status of 409/);
    await dialog.getByRole('button', { name: '创建' }).click();
    await dialog.getByText('执法证号已属于其他用户').waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();

    await signOut(page);

    // the new inspector: 我的任务 (its home), 企业名录, the item list, its recusal declarations and 修改密码 only
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/'))
        apiCalls.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await fillSignIn(page, { username: 'li.na', password: 'Jiancha-2026-ln' });
    await page.getByRole('heading', { name: '我的任务' }).waitFor();
    await expect(page.locator('.user-button').textContent()).resolves.toContain('李娜 · 执法检查人员');
    await expect(menuItems(page)).resolves.toEqual([
      '我的任务',
      '企业名录',
      '包容审慎监管清单',
      '随机抽查事项清单',
      '回避申报与审核',
      '修改密码',
    ]);
    // the user page by its address: no access, and no call that would answer 403
    await page.goto('/admin/users');
    await page.getByText('无权访问').waitFor();
    await page.getByText('您的角色不能使用此页面').waitFor();
    await page.goto('/dashboard');
    await page.getByText('无权访问').waitFor();
    expect(apiCalls.filter((c) => /\/api\/(users|dashboard)/.test(c))).toEqual([]);
    await expectAccessible(page, 'no-access page');
    expect(refused).toEqual(['GET /api/auth/session']);
    w.expectNoProblems();
    await w.context.close();
  });

  it('an admin deactivates a user, who can no longer sign in; reactivated, it can', async () => {
    const { user } = await service.test.signIn('regulator', { department: 'culture' });
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await page.goto('/login?redirect=/admin/users');
    await fillSignIn(page, { username: service.demo.admin.username, password: service.demo.admin.password });
    await page.getByRole('heading', { name: '用户管理' }).waitFor();
    // the filter bar: regulators of 文化和旅游局
    await choose(page, page.locator('.filter-bar'), '角色', '监管人员');
    await choose(page, page.locator('.filter-bar'), '部门', '文化和旅游局');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('共 1 个用户').waitFor();
    const row = page.locator('.el-table__body tr').filter({ hasText: user.username });
    await row.getByRole('button', { name: '停用' }).click();
    await page.getByText('将不能登录').waitFor();
    await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click();
    await page.getByText(`已停用 ${user.username}`).waitFor();
    await row.getByText('停用', { exact: true }).first().waitFor();
    await expect(row.locator('.el-tag').textContent()).resolves.toContain('停用');

    // only the deactivated ones
    await choose(page, page.locator('.filter-bar'), '状态', '停用');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('共 1 个用户').waitFor();

    // the deactivated user tries to sign in
    const other = await openPage(browser, service.baseUrl, DESKTOP);
    other.allow(/status of 401/);
    await other.page.goto('/login');
    await fillSignIn(other.page, { username: user.username, password: TEST_PASSWORD });
    await other.page.getByText('用户名或密码错误').waitFor();
    expect(other.page.url()).toContain('/login');

    // reactivated: it signs in again
    await page
      .locator('.el-table__body tr')
      .filter({ hasText: user.username })
      .getByRole('button', { name: '启用' })
      .click();
    await page.locator('.el-message-box').getByRole('button', { name: '启用' }).click();
    await page.getByText(`已启用 ${user.username}`).waitFor();
    await fillSignIn(other.page, { username: user.username, password: TEST_PASSWORD });
    await other.page.getByRole('heading', { name: '驾驶舱' }).waitFor();
    other.expectNoProblems();
    await other.context.close();

    // the audit trail shows both, and the chain is whole
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByText('审计链完整').waitFor();
    await choose(page, page.locator('.filter-bar'), '操作', '停用用户');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('共 1 条记录').waitFor();
    const entry = page.locator('.el-table__body tr').filter({ hasText: '停用用户' });
    await expect(entry.textContent()).resolves.toMatch(/demo-admin.*系统管理员.*停用用户.*用户/);
    await choose(page, page.locator('.filter-bar'), '操作', '新建用户');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.el-table__body tr').filter({ hasText: '新建用户' }).first().waitFor();
    await page.getByRole('button', { name: '重置' }).click();
    await page.locator('.el-table__body tr').filter({ hasText: '登录' }).first().waitFor();
    await expectAccessible(page, 'audit page');
    await screenshot(page, 'audit');
    w.expectNoProblems();
    await w.context.close();
  });

  it('settings changed by the admin are shown after a reload; the explanation is on the page', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await page.goto('/login?redirect=/admin/settings');
    await fillSignIn(page, { username: service.demo.admin.username, password: service.demo.admin.password });
    await page.getByRole('heading', { name: '系统设置' }).waitFor();
    await page.getByText('风险分类用于配置监管资源，不是对外公布的信用评价，默认不向企业展示').waitFor();
    const minutes = page.getByRole('spinbutton', { name: '空闲自动退出（分钟）' });
    await expect(minutes.inputValue()).resolves.toBe('30');
    const visible = page.getByRole('switch', { name: '向企业展示本企业风险分类' });
    await expect(visible.isChecked()).resolves.toBe(false);
    await minutes.fill('45');
    await minutes.press('Tab');
    await page.locator('.el-switch').click();
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('设置已保存').waitFor();
    await expectAccessible(page, 'settings page');
    await screenshot(page, 'settings');

    await page.reload();
    await page.getByRole('heading', { name: '系统设置' }).waitFor();
    await expect(page.getByRole('spinbutton', { name: '空闲自动退出（分钟）' }).inputValue()).resolves.toBe(
      '45',
    );
    await expect(page.getByRole('switch', { name: '向企业展示本企业风险分类' }).isChecked()).resolves.toBe(
      true,
    );
    // what the service stored
    const [row] = await service.test.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'setting.update'`,
    );
    expect(row.n).toBeGreaterThanOrEqual(1);
    w.expectNoProblems();
    await w.context.close();
  });

  it('a regulator changes its password, stays signed in, signs out and signs in with the new one', async () => {
    const { user } = await service.test.signIn('regulator');
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await page.goto('/login?redirect=/account');
    await fillSignIn(page, { username: user.username, password: TEST_PASSWORD });
    await page.getByRole('heading', { name: '修改密码' }).waitFor();
    await page.getByText('密码长度10至72个字节').waitFor();
    await expectAccessible(page, 'account page');

    // a wrong current password: said beside the field, the session goes on
    w.allow(/status of 401/);
    await page.getByLabel('当前密码').fill('Not-my-password-1');
    await page.getByLabel('新密码', { exact: true }).fill('Neue-Passwort-2027');
    await page.getByLabel('确认新密码').fill('Neue-Passwort-2027');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('当前密码不正确').waitFor();
    // the two new passwords differ
    await page.getByLabel('当前密码').fill(TEST_PASSWORD);
    await page.getByLabel('确认新密码').fill('Neue-Passwort-2028');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('两次输入的新密码不一致').waitFor();
    await page.getByLabel('确认新密码').fill('Neue-Passwort-2027');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('新密码已生效').waitFor();

    // still signed in: another page works (its API calls carry the same session and CSRF token)
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByText('您可以查看本部门人员的操作记录').waitFor();
    await page.locator('.el-table__body tr').first().waitFor();

    await signOut(page);
    await fillSignIn(page, { username: user.username, password: TEST_PASSWORD });
    await page.getByText('用户名或密码错误').waitFor();
    await fillSignIn(page, { username: user.username, password: 'Neue-Passwort-2027' });
    await page.getByRole('heading', { name: '驾驶舱' }).waitFor();
    w.expectNoProblems();
    await w.context.close();
  });
});
