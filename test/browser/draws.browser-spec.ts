import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  startService,
  type Service,
  signIn,
} from './harness.js';

/** Issue 10 journey: a regulator runs a draw with a seed and ratios, opens it and downloads its list. */
describe('draw pages (browser)', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService(150);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('a regulator runs a draw, sees it among past draws, opens it and downloads the list', async () => {
    const admin = service.test.admin;
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '计划外抽取' }).click();
    await page.waitForURL('**/draws');
    await page.getByText('还没有抽取记录').waitFor();
    await expectAccessible(page, '/draws (empty)');

    await page.getByRole('button', { name: '发起抽取' }).click();
    const dialog = page.getByRole('dialog', { name: '发起抽取' });
    await expect(dialog.getByLabel('随机种子').inputValue()).resolves.toMatch(/^\d{4}-杨浦-第1批$/);
    await dialog.getByText('任何人用同一种子和同一候选名单都能重新算出同一份名单').waitFor();
    await dialog.getByText('0%（无事不扰，不作例行抽取）').waitFor();
    await dialog.getByLabel('随机种子').fill('2026-杨浦-浏览器测试');
    await dialog.locator('#d-ratio-C').fill('25');
    await dialog.locator('#d-ratio-D').fill('50');
    await dialog.locator('#d-note').fill('浏览器测试抽取');
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'run-draw dialog');
    await dialog.getByRole('button', { name: '确认抽取' }).click();
    await page.getByRole('dialog', { name: '确认抽取' }).getByRole('button', { name: '确定抽取' }).click();
    await page.waitForURL(/\/draws\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());

    // the draw as the API has it: the inputs and targets the page shows
    const draw = (await admin.get(`/api/draws/${id}`).expect(200)).body;
    expect(draw.seed).toBe('2026-杨浦-浏览器测试');
    expect(draw.ratios).toMatchObject({ A: 0, C: 0.25, D: 0.5 });
    await page.getByText('2026-杨浦-浏览器测试').first().waitFor();
    await page.getByText(draw.candidatesDigest).waitFor();
    const perTierRows = page.locator('.per-tier .el-table__body tbody tr');
    await expect(perTierRows.count()).resolves.toBe(draw.perTier.length);
    for (const [i, t] of draw.perTier.entries()) {
      const text = (await perTierRows.nth(i).textContent()) ?? '';
      expect(text).toContain(`${t.tier}类`);
      expect(text).toContain(`${Math.round(t.ratio * 1000) / 10}%`);
      expect(text).toContain(String(t.selected));
    }
    const all: {
      position: number;
      tier: string;
      tierPosition: number;
      uscc: string;
      name: string;
      street: string | null;
    }[] = (await admin.get(`/api/draws/${id}/targets?pageSize=1000`).expect(200)).body.items;
    expect(all.length).toBe(draw.selected);
    expect(all.length).toBeGreaterThan(0);
    const targetRows = page.getByTestId('targets').locator('.el-table__body tbody tr');
    await targetRows.first().waitFor();
    const shownUscc = await targetRows.locator('td:nth-child(4)').allTextContents();
    expect(shownUscc.map((s) => s.trim())).toEqual(all.slice(0, 50).map((t) => t.uscc));

    // tier filter: only D rows
    await page.locator('.el-select__wrapper', { has: page.locator('#t-tier') }).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'D类' }).first().click();
    const dCount = all.filter((t) => t.tier === 'D').length;
    await page.getByText(`共 ${dCount} 条`).waitFor();
    const tiers = await targetRows.locator('td:nth-child(2)').allTextContents();
    expect(tiers.every((t) => t.includes('D类'))).toBe(true);
    await page.mouse.move(0, 0);
    await expectAccessible(page, `/draws/${id}`);
    await screenshot(page, 'draw-detail');

    // the list as CSV: BOM, Chinese header, the same rows as the API's targets
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载名单' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`draw-${id}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toBe('序号,风险分类,分类内序号,统一社会信用代码,企业名称,街道');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(
      all.map((t) => `${t.position},${t.tier},${t.tierPosition},${t.uscc}`),
    );

    // back on the list: the draw, its seed and ratios
    await page.getByRole('menuitem', { name: '计划外抽取' }).click();
    const row = page.locator('.el-table__body tbody tr', { hasText: '2026-杨浦-浏览器测试' });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('C类 25%');
    expect(rowText).toContain('D类 50%');
    expect(rowText).toContain('demo-regulator');
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/draws');
    await screenshot(page, 'draws-list');
    w.expectNoProblems();
    await w.context.close();
  });

  it('an admin reads past draws but runs none', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(w.page, service.demo.admin);
    await w.page.getByRole('menuitem', { name: '计划外抽取' }).click();
    await w.page.getByText('2026-杨浦-浏览器测试').waitFor();
    await expect(w.page.getByRole('button', { name: '发起抽取' }).count()).resolves.toBe(0);
    w.expectNoProblems();
    await w.context.close();
  });
});
