import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { todayInShanghai } from '../../src/common/clock.js';
import type { Browser, Page } from 'playwright-core';
import { insertInspector, insertItem } from '../triggers-fixtures.js';
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

/**
 * Issue 11 journey (part 5): a regulator proposes an event-triggered check of a tier-A
 * enterprise, accepts it and sees the task; a second trigger on the same enterprise merges into
 * it (every reason listed); the joint visit shows its combined checklist; the 无事不扰 report says
 * "0 项违规"; the frequency alerts page. Items and inspectors come from SQL fixtures.
 */
describe('event triggers, joint visits, alerts (browser)', () => {
  let service: Service;
  let browser: Browser;
  let target: { uscc: string; name: string };

  beforeAll(async () => {
    service = await startService(60);
    browser = await launchBrowser();
    const t = service.test;
    const m1 = await insertItem(t.dataSource, 'SC-01', 'market');
    const m2 = await insertItem(t.dataSource, 'SC-02', 'market', { checkMethod: 'documents' });
    const h1 = await insertItem(t.dataSource, 'WS-01', 'health');
    for (let i = 0; i < 2; i++) await insertInspector(t, 'market', [m1, m2]);
    for (let i = 0; i < 2; i++) await insertInspector(t, 'health', [h1]);
    [target] = await t.dataSource.query(
      `SELECT e.uscc, e.name FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
       WHERE s.tier = 'A' AND e.status = 'active' ORDER BY e.uscc LIMIT 1`,
    );
    expect(target).toBeDefined();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** Picks `label` in the Element Plus select whose input has id `id`. */
  async function choose(page: Page, id: string, label: string): Promise<void> {
    await page.locator('.el-select__wrapper', { has: page.locator(`#${id}`) }).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
  }

  /** Types item codes into the allow-create select `id` (the item list of part 1 may be absent). */
  async function typeItems(page: Page, id: string, codes: string[]): Promise<void> {
    await page.locator('.el-select__wrapper', { has: page.locator(`#${id}`) }).click();
    for (const code of codes) {
      await page.keyboard.type(code);
      await page.locator('.el-select-dropdown__item:visible', { hasText: code }).first().waitFor();
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('Escape');
  }

  async function propose(page: Page, reason: string, codes: string[]): Promise<void> {
    await page.getByRole('button', { name: '提出事件触发' }).click();
    const dialog = page.getByRole('dialog', { name: '提出事件触发' });
    await dialog.locator('#p-uscc').fill(target.uscc);
    await choose(page, 'p-kind', '举报');
    await dialog.locator('#p-reason').fill(reason);
    await dialog.locator('#p-ref').fill('12345-2026-0001');
    await typeItems(page, 'p-items', codes);
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async function acceptFirst(page: Page): Promise<void> {
    const row = page.locator('.el-table__body tbody tr', { hasText: target.name }).first();
    await row.getByRole('button', { name: '受理', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '受理事件触发' });
    await dialog.getByText('随机抽取2名具备全部事项资格的人员').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'accept dialog');
    await dialog.getByRole('button', { name: '确认受理' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  it('propose -> accept -> the task appears; a second trigger merges into it; the visit, the report, the alerts', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    // the item list endpoint (part 1) may not be on this branch: its 404 is expected here
    w.allow(/status of 404/);
    const { page } = w;
    await signIn(page, service.demo.regulator);
    await page.getByRole('menuitem', { name: '事件触发' }).click();
    await page.waitForURL('**/triggers');
    await page.getByText('没有待受理的事件触发').waitFor();
    await expectAccessible(page, '/triggers (empty)');

    // a bad proposal: the field at fault said beside it, in Chinese (the browser logs the 422)
    w.allow(/status of 422/);
    await page.getByRole('button', { name: '提出事件触发' }).click();
    const dialog = page.getByRole('dialog', { name: '提出事件触发' });
    await dialog.locator('#p-uscc').fill(target.uscc);
    await dialog.locator('#p-reason').fill('测试');
    await typeItems(page, 'p-items', ['NOPE-1']);
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.getByText('随机抽查事项清单中没有此事项').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'propose dialog with an error');
    await screenshot(page, 'trigger-propose-error');
    await dialog.getByRole('button', { name: '取消' }).click();

    await propose(page, '群众举报：无证经营', ['SC-01']);
    const row = page.locator('.el-table__body tbody tr', { hasText: target.name }).first();
    await row.getByText('待受理').waitFor();
    await acceptFirst(page);
    await page.getByText(/已生成检查任务 #\d+/).waitFor();
    const [task] = await service.test.dataSource.query(
      `SELECT t.id, t.visit_id FROM inspection_task t JOIN enterprise e ON e.id = t.enterprise_id WHERE e.uscc = $1`,
      [target.uscc],
    );
    expect(task).toBeDefined();

    // the second one merges into the same task
    await propose(page, '消费者投诉：超范围经营', ['SC-02']);
    await acceptFirst(page);
    await page.getByText(`已并入检查任务 #${task.id}（该任务共 2 条事由）`).waitFor();

    // all triggers: both accepted, the task listing both reasons
    await page.locator('.el-select__wrapper', { has: page.locator('#f-status') }).hover();
    await page
      .locator('.el-select__wrapper', { has: page.locator('#f-status') })
      .locator('.el-select__clear')
      .click();
    await page.getByRole('button', { name: '查询' }).click();
    const accepted = page.locator('.el-table__body tbody tr', { hasText: '已合并 2 条事由' });
    await accepted.first().waitFor();
    await accepted.first().locator('.el-table__expand-icon').click();
    await page.getByText('该任务的全部事由').first().waitFor();
    await page.locator('.reasons li', { hasText: '群众举报：无证经营' }).first().waitFor();
    await page.locator('.reasons li', { hasText: '消费者投诉：超范围经营' }).first().waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/triggers (accepted, expanded)');
    await screenshot(page, 'triggers');

    // health accepts a referral of its own on the same enterprise (through the API): the two
    // departments' tasks overlap, so they are one joint visit with one checklist
    const { agent: health } = await service.test.signIn('regulator', { department: 'health' });
    const referral = (
      await health
        .post('/api/triggers')
        .send({
          enterpriseUscc: target.uscc,
          kind: 'referral',
          reason: '区卫健委交办：食品卫生',
          department: 'health',
          itemCodes: ['WS-01'],
          receivedOn: todayInShanghai(),
        })
        .expect(201)
    ).body;
    await health.post(`/api/triggers/${referral.id}/accept`).send({}).expect(200);

    // the visit with its combined checklist
    await page.getByRole('link', { name: '查看检查安排' }).first().click();
    await page.waitForURL(`**/joint-visits/${task.visit_id}`);
    await page.getByRole('heading', { name: `联合检查 · ${target.name}` }).waitFor();
    await page.getByText('一表通查：合并检查表').waitFor();
    await page.getByText('WS-01 检查事项WS-01').waitFor();
    await page.getByText('区卫健委交办：食品卫生').waitFor();
    await page.getByText('SC-01 检查事项SC-01').waitFor();
    await page.getByText('SC-02 检查事项SC-02').waitFor();
    await page.getByText('SC-01 要求一').waitFor();
    await page.getByText('群众举报：无证经营').first().waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/joint-visits/:id');
    await screenshot(page, 'joint-visit');

    await page.getByRole('menuitem', { name: '联合检查' }).click();
    await page.waitForURL('**/joint-visits');
    await page.locator('.el-table__body tbody tr', { hasText: target.name }).waitFor();
    await expectAccessible(page, '/joint-visits');
    await screenshot(page, 'joint-visits');
    await page.getByRole('link', { name: '联合检查成效' }).click();
    await page
      .getByText(/共 2 项检查任务，合并为 1 次检查（其中联合检查\s*1 次），减少进企业检查 1 次/)
      .waitFor();
    await expectAccessible(page, '/joint-visits/report');
    await screenshot(page, 'joint-visits-report');

    await page.getByRole('menuitem', { name: '无事不扰' }).click();
    await page
      .getByTestId('finding')
      .getByText(/^0 项违规：.*2 项检查任务均由事件触发并载明事由/)
      .waitFor();
    await expectAccessible(page, '/reports/no-disturbance');
    await screenshot(page, 'no-disturbance');

    await page.getByRole('menuitem', { name: '频次预警' }).click();
    await page.getByText(/年没有企业超过年度检查上限/).waitFor();
    await page.getByText('没有需要复核的执法检查人员').waitFor();
    await expectAccessible(page, '/alerts');
    await screenshot(page, 'alerts');
    w.expectNoProblems();
    await w.context.close();
  });
});
