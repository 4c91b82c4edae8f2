import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers.js';
import { insertItems, insertPlan, rosterInspector } from '../plan-draw-fixtures.js';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startService,
  type Service,
} from './harness.js';

/**
 * Issue 11 journey: on the batch's draw page a regulator of the lead department commits (the
 * secret made and hashed in the browser), a second regulator types the public value, the first
 * reveals and draws, and the page verifies the draw; the public page says it matches.
 */
describe('plan draw page (browser)', () => {
  let service: Service;
  let browser: Browser;
  let batchId: number;
  let planId: number;
  let second: { username: string; password: string; displayName: string };

  beforeAll(async () => {
    service = await startService(150);
    browser = await launchBrowser();
    const ds = service.test.dataSource;
    const items = await insertItems(ds, [
      { code: 'SC-M01', name: '营业执照公示情况检查', department: 'market' },
      { code: 'SC-H01', name: '公共场所卫生检查', department: 'health', industries: ['H'] },
      {
        code: 'SC-H02',
        name: '餐饮服务食品安全检查',
        department: 'health',
        industries: ['H62'],
        fullCoveragePerYear: 4,
      },
    ]);
    ({ planId, batchIds: [batchId] = [] } = await insertPlan(ds, {
      year: 2027,
      lead: 'market',
      planNo: '2027-market-001',
      itemIds: [...items.values()],
      tiers: [
        { tier: 'A', ratio: 0, yearlyCap: 2 },
        { tier: 'B', ratio: 0.05, yearlyCap: 2 },
        { tier: 'C', ratio: 0.2, yearlyCap: 2 },
        { tier: 'D', ratio: 0.6, yearlyCap: 2 },
      ],
      batches: [{ name: '第一批', windowStart: '2027-04-01', windowEnd: '2027-06-30' }],
    }));
    for (const [department, codes] of [
      ['market', ['SC-M01']],
      ['health', ['SC-H01', 'SC-H02']],
    ] as const)
      for (let i = 0; i < 3; i++) {
        const { user } = await service.test.signIn('inspector', { department });
        await rosterInspector(
          ds,
          user.id,
          codes.map((c) => items.get(c)!),
        );
      }
    const { user } = await service.test.signIn('regulator', { department: 'health' });
    second = { username: user.username, password: TEST_PASSWORD, displayName: user.displayName };
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('commit, public value by another person, reveal, draw, verify', async () => {
    const path = `/plans/${planId}/batches/${batchId}/draw`;
    const lead = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(lead.page, service.demo.regulator, `/login?redirect=${encodeURIComponent(path)}`);
    await lead.page.goto(path);
    await lead.page.getByRole('heading', { name: '第一步：承诺种子' }).waitFor();
    const secret = ((await lead.page.getByTestId('secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const commitment = createHash('sha256').update(secret).digest('hex');
    await lead.page.getByText(commitment).waitFor();
    await lead.page.getByLabel('公开随机数来源').fill('中国福利彩票双色球 2027015 期开奖号码');
    await expectAccessible(lead.page, 'draw page: commit');
    await screenshot(lead.page, 'plan-draw-1-commit');
    const commitButton = lead.page.getByRole('button', { name: '承诺并冻结名录' });
    await expect(commitButton.isDisabled()).resolves.toBe(true);
    await lead.page.getByText('我已保存好种子').click();
    await commitButton.click();
    await lead.page.getByRole('heading', { name: '第二步：录入公开随机数' }).waitFor();
    await lead.page.getByText('须由另一位工作人员（不是承诺人）').waitFor();
    const [draw] = (await service.test.admin.get('/api/plan-draws').query({ batchId }).expect(200)).body
      .items;
    expect(draw.commitment).toBe(commitment);
    expect(draw.secret).toBeNull();

    const other = await openPage(browser, service.baseUrl, DESKTOP);
    await signIn(other.page, second);
    await other.page.goto(path);
    await other.page.getByLabel(/公开随机数（/).fill('03 07 12 19 25 31 + 09');
    await other.page.getByRole('button', { name: '录入公开随机数' }).click();
    await other.page.getByRole('heading', { name: '第三步：揭示种子' }).waitFor();
    await other.context.close();

    // the committer's page sees the public value arrive by itself (it looks again every 5 s)
    await lead.page.getByRole('heading', { name: '第三步：揭示种子' }).waitFor({ timeout: 15_000 });
    await lead.page.getByText(second.displayName).first().waitFor();
    const revealInput = lead.page.getByLabel('种子（原样输入承诺时保存的种子）');
    await revealInput.fill('0'.repeat(64));
    await lead.page.getByText('与种子承诺值不一致').waitFor();
    await revealInput.fill(secret);
    await lead.page.getByText('与种子承诺值一致').waitFor();
    await screenshot(lead.page, 'plan-draw-2-reveal');
    await lead.page.getByRole('button', { name: '揭示种子' }).click();
    await lead.page.getByRole('heading', { name: '第四步：抽取' }).waitFor();
    await lead.page.getByRole('button', { name: '执行抽取' }).click();
    await lead.page
      .getByRole('dialog', { name: '执行抽取' })
      .getByRole('button', { name: '执行抽取' })
      .click();
    await lead.page.getByRole('heading', { name: '各事项、各类抽取情况' }).waitFor();
    await lead.page.getByTestId('targets').locator('.el-table__body tbody tr').first().waitFor();
    await lead.page.getByRole('button', { name: '重新计算并验证' }).click();
    await lead.page.getByTestId('verdict').getByText('验证通过').waitFor();
    await lead.page.mouse.move(0, 0);
    await expectAccessible(lead.page, 'draw page: drawn and verified');
    await screenshot(lead.page, 'plan-draw-3-verified');
    lead.expectNoProblems();

    const view = (await service.test.admin.get(`/api/plan-draws/${draw.id}`).expect(200)).body;
    expect(view.status).toBe('drawn');
    expect(view.summary.targets).toBeGreaterThan(0);
    const publicPage = await openPage(browser, service.baseUrl, DESKTOP);
    await publicPage.page.goto(`/public/draws/${draw.id}`);
    await publicPage.page.getByText('验证通过').waitFor();
    await publicPage.page.getByText(secret).waitFor();
    await screenshot(publicPage.page, 'plan-draw-4-public');
  });
});
