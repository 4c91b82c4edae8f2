/**
 * Issue 12, the signing keys as an admin uses them: 系统管理 → 检查码签名密钥 lists the key that signs
 * codes; 轮换密钥 after a confirmation makes a new one and retires the old (still verifying its
 * codes); 吊销 asks for a reason and then shows the key revoked. What the page shows is checked
 * against the API; no console error, axe-core clean, screenshots in out/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { KeysService } from '../../src/check-codes/keys/keys.service.js';
import {
  DESKTOP,
  expectAccessible,
  expectCount,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';

describe('check-code signing keys (browser)', () => {
  let service: Service;
  let browser: Browser;
  let firstKid: string;

  beforeAll(async () => {
    service = await startService(30);
    browser = await launchBrowser();
    // the key the first code would be signed with
    firstKid = (await service.test.app.get(KeysService).signer()).kid;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('an admin rotates the key after confirming, then revokes the old one with a reason', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.admin);
    await page.locator('nav[aria-label="主菜单"]').getByText('检查码签名密钥').click();
    await page.getByRole('heading', { name: '检查码签名密钥' }).waitFor();
    const rows = page.locator('.el-table__body tbody tr');
    await expectCount(rows, 1);
    await expect(rows.first().innerText()).resolves.toMatch(new RegExp(`${firstKid}[\\s\\S]*使用中`));
    await expect(rows.first().innerText()).resolves.toContain('由系统自动生成');
    await expect(page.getByRole('link', { name: '信任列表' }).getAttribute('href')).resolves.toBe(
      '/.well-known/check-code-trust-list.json',
    );
    await expectAccessible(page, 'key list');
    await screenshot(page, 'check-code-keys');

    // 轮换密钥: a confirmation first; cancelling changes nothing
    await page.getByRole('button', { name: '轮换密钥' }).click();
    const rotate = page.getByRole('dialog', { name: '轮换签名密钥' });
    await rotate.waitFor();
    await expect(rotate.innerText()).resolves.toContain(firstKid);
    await expectAccessible(page, 'rotate dialog');
    await rotate.getByRole('button', { name: '取消' }).click();
    await rotate.waitFor({ state: 'hidden' });
    expect((await service.test.admin.get('/api/check-code-keys').expect(200)).body).toHaveLength(1);

    await page.getByRole('button', { name: '轮换密钥' }).click();
    await rotate.waitFor();
    await rotate.getByLabel('轮换原因').fill('年度例行轮换');
    await screenshot(page, 'check-code-keys-rotate');
    await rotate.getByRole('button', { name: '确认轮换' }).click();
    await page.getByText(/已轮换：新密钥 \S+ 已启用/).waitFor();
    await rotate.waitFor({ state: 'hidden' });

    const keys = (await service.test.admin.get('/api/check-code-keys').expect(200)).body as {
      kid: string;
      status: string;
      createdBy: string | null;
    }[];
    expect(keys.map((k) => [k.kid === firstKid, k.status])).toEqual([
      [false, 'active'],
      [true, 'retired'],
    ]);
    const newKid = keys[0]!.kid;
    expect(keys[0]!.createdBy).toBe(service.demo.admin.username);
    await expectCount(rows, 2);
    await expect(rows.nth(0).innerText()).resolves.toMatch(new RegExp(`${newKid}[\\s\\S]*使用中`));
    const old = rows.nth(1);
    await expect(old.innerText()).resolves.toMatch(/已停用[\s\S]*轮换原因：年度例行轮换/);
    await expect(rows.nth(0).innerText()).resolves.toContain(`由 ${service.demo.admin.username} 生成`);

    // 吊销 the retired key: a reason is required
    await old.getByRole('button', { name: '吊销' }).click();
    const revoke = page.getByRole('dialog', { name: '吊销签名密钥' });
    await revoke.waitFor();
    await expect(revoke.innerText()).resolves.toMatch(
      new RegExp(`${firstKid}[\\s\\S]*立即失效[\\s\\S]*不能撤销`),
    );
    await revoke.getByRole('button', { name: '确认吊销' }).click();
    await revoke.getByText('请写明吊销的原因').waitFor();
    await revoke.getByLabel('吊销原因').fill('私钥疑似泄露');
    await expectAccessible(page, 'revoke dialog');
    await revoke.getByRole('button', { name: '确认吊销' }).click();
    await page.getByText(`已吊销密钥 ${firstKid}，同时吊销检查码 0 个`).waitFor();
    await revoke.waitFor({ state: 'hidden' });
    await expect(old.innerText()).resolves.toMatch(/已吊销[\s\S]*不再核验[\s\S]*吊销：私钥疑似泄露/);
    await expect(old.getByRole('button', { name: '吊销' }).count()).resolves.toBe(0);
    const after = (await service.test.admin.get('/api/check-code-keys').expect(200)).body as {
      kid: string;
      status: string;
      revokeReason: string | null;
    }[];
    expect(after.find((k) => k.kid === firstKid)).toMatchObject({
      status: 'revoked',
      revokeReason: '私钥疑似泄露',
    });
    expect(after.find((k) => k.kid === newKid)).toMatchObject({ status: 'active' });
    // the public trust list says so too
    const list = await (await page.request.get('/.well-known/check-code-trust-list.json')).json();
    expect(list.keys.map((k: { kid: string; status: string }) => [k.kid, k.status])).toEqual([
      [firstKid, 'revoked'],
      [newKid, 'active'],
    ]);
    await screenshot(page, 'check-code-keys-revoked');
    w.expectNoProblems();
  });

  it('a regulator has no such menu item, and the page says no access', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(w.page, service.demo.regulator);
    await w.page.locator('nav[aria-label="主菜单"] .el-menu-item').first().waitFor();
    await expect(
      w.page.locator('nav[aria-label="主菜单"]').getByText('检查码签名密钥').count(),
    ).resolves.toBe(0);
    await w.page.goto('/admin/check-code-keys');
    await w.page.getByText('无权访问').first().waitFor();
    w.expectNoProblems();
  });
});
