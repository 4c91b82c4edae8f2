import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { todayInShanghai } from '../../src/common/clock.js';
import { insertInspector, insertItem } from '../triggers-fixtures.js';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot as saveScreenshot,
  startService,
  type Service,
  signIn,
} from './harness.js';

/** A street no demo issuer uses, so that its tile and its filtered list hold this test's issuer only. */
const STREET = '测试预警街道';

/** 'YYYY-MM-DD' `days` after `day` (negative: before). */
function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The `n` calendar quarters before the one of `day`, oldest first, each submitted 10 days after its end
 * (by the 25th of the next month, and not after `day`).
 */
function lastQuarters(day: string, n: number): { start: string; end: string; submitted: string }[] {
  const [y, m] = day.split('-').map(Number) as [number, number];
  let q = y * 4 + Math.floor((m - 1) / 3);
  const out = [];
  for (let i = 0; i < n; i++) {
    q--;
    const year = Math.floor(q / 4);
    const first = (q % 4) * 3 + 1;
    const start = `${year}-${String(first).padStart(2, '0')}-01`;
    const next = first + 3 > 12 ? `${year + 1}-01-01` : `${year}-${String(first + 3).padStart(2, '0')}-01`;
    const end = addDays(next, -1);
    const submitted = addDays(end, 10) < day ? addDays(end, 10) : day;
    out.unshift({ start, end, submitted });
  }
  return out;
}

/**
 * The page's screenshot in out/screenshots and, at 1440 px, in docs/screenshots (the pages' record),
 * once the messages of the last step have gone.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40 && (await page.locator('.el-message').count()) > 0; i++)
    await page.waitForTimeout(250);
  const file = await saveScreenshot(page, name);
  const docs = path.resolve(process.cwd(), 'docs/screenshots');
  mkdirSync(docs, { recursive: true });
  copyFileSync(file, path.join(docs, `${name}.png`));
}

/**
 * Issue 14 "Pages" and "Done when", in a real browser on a real database: an issuer drifting toward
 * closure (a large prepaid balance without escrow, complaints, a closure notice with less than 30
 * days' notice, unreachable) is evaluated by the daily job's run (立即评估: POST /api/prepaid/evaluations);
 * its alert is seen on the risk map and in the list, assigned, disposed of with an on-site check (the
 * event-triggered task appears and opens), given feedback and closed; the closing writes the
 * regulatory-measure credit record that the enterprise page lists. The issuer's page shows the trend,
 * the assessment as of a past day and the alert with its evidence. axe and the console on every page.
 */
describe('prepaid alerts: the closed loop (browser)', () => {
  let service: Service;
  let browser: Browser;
  let issuer: { id: number; uscc: string; name: string };
  const today = todayInShanghai();

  beforeAll(async () => {
    service = await startService(60);
    browser = await launchBrowser();
    const ds = service.test.dataSource;
    // the on-site check becomes an event-triggered task: the market department's items and inspectors
    const item = await insertItem(ds, 'SC-01', 'market');
    for (let i = 0; i < 2; i++) await insertInspector(service.test, 'market', [item]);

    [issuer] = await ds.query(
      `SELECT e.id::int AS id, e.uscc, e.name FROM enterprise e
       WHERE e.status = 'active' AND NOT EXISTS (SELECT 1 FROM prepaid_issuer p WHERE p.enterprise_id = e.id)
       ORDER BY e.uscc LIMIT 1`,
    );
    expect(issuer).toBeDefined();
    await ds.query(
      `INSERT INTO prepaid_issuer (enterprise_id, sector, guarantee_kind, selling_since, platform_registered_on)
       VALUES ($1, 'fitness', 'none', $2, $2)`,
      [issuer.id, addDays(today, -700)],
    );
    await ds.query(
      `INSERT INTO prepaid_store (enterprise_id, name, address, street, opened_on)
       VALUES ($1, '五角场店', '上海市杨浦区测试路1号', $2, $3)`,
      [issuer.id, STREET, addDays(today, -700)],
    );
    // the last two calendar quarters (reported on time): the balance grows, no escrow, redemptions
    // fall, a discount blitz of long cards
    const [quarter1, quarter2] = lastQuarters(today, 2);
    const quarters = [
      { ...quarter1!, balance: 180_000_000, sold: 90_000_000, used: 40_000_000 },
      { ...quarter2!, balance: 320_000_000, sold: 200_000_000, used: 8_000_000 },
    ];
    for (const q of quarters)
      await ds.query(
        `INSERT INTO prepaid_report (enterprise_id, period_kind, period_start, period_end, submitted_on, balance_fen,
           cards_sold_count, cards_sold_fen, max_card_fen, longest_term_months, deepest_discount_pct, redemptions_fen,
           escrow_balance_fen, revenue_last_year_fen)
         VALUES ($1, 'quarter', $2, $3, $4, $5, 900, $6, 1200000, 60, 70, $7, 0, 300000000)`,
        [issuer.id, q.start, q.end, q.submitted, q.balance, q.sold, q.used],
      );
    const signal = (kind: string, occurred: string, extra: Record<string, unknown> = {}) =>
      ds.query(
        `INSERT INTO prepaid_signal (enterprise_id, kind, occurred_on, received_on, amount_fen, effective_on, summary)
         VALUES ($1, $2, $3, $3, $4, $5, $6)`,
        [
          issuer.id,
          kind,
          occurred,
          extra.amount ?? null,
          extra.effective ?? null,
          extra.summary ?? `测试信号 ${kind}`,
        ],
      );
    for (let i = 0; i < 8; i++)
      await signal('complaint', addDays(today, -2 - i), {
        amount: 500_000,
        summary: `会员卡无法消费投诉 ${i + 1}`,
      });
    await signal('closure_notice', addDays(today, -3), {
      effective: addDays(today, 7),
      summary: '门店张贴停业通知，十日后停业',
    });
    await signal('unreachable', addDays(today, -1), { summary: '电话无人接听，门店关闭' });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** Picks `label` in the Element Plus select whose input has id `id`. */
  async function choose(page: Page, id: string, label: string, multiple = false): Promise<void> {
    await page.locator('.el-select__wrapper', { has: page.locator(`#${id}`) }).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
    // a single select closes its list on the choice; a multiple one is closed by the caller
    if (!multiple) await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' });
  }

  it('evaluate -> map -> list -> assign -> on-site check (the task) -> feedback -> close (the credit record)', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.regulator);

    // the list before the run; the run through the page's button (the daily job's evaluation)
    await page.getByRole('menuitem', { name: '预警列表' }).click();
    await page.waitForURL('**/prepaid/alerts');
    await page.getByRole('heading', { name: '预付卡风险预警' }).waitFor();
    await page.getByRole('button', { name: '立即评估' }).click();
    const run = page.getByTestId('run');
    await run.getByText(/已完成 .* 的评估/).waitFor();
    await run.getByText(/新生成预警 [1-9]\d* 件/).waitFor();
    const [alertRow] = await service.test.dataSource.query(
      `SELECT id::int AS id, level, status FROM prepaid_alert WHERE enterprise_id = $1`,
      [issuer.id],
    );
    expect(alertRow).toMatchObject({ status: 'open' });
    expect(['orange', 'red']).toContain(alertRow.level);
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/prepaid/alerts');
    await screenshot(page, 'prepaid-alerts');

    // the map: the street's tile, coloured by its worst level, with its open alert
    await page.getByRole('menuitem', { name: '风险地图' }).click();
    await page.waitForURL('**/prepaid/map');
    const tile = page.locator(`a.tile[data-street="${STREET}"]`);
    await tile.waitFor();
    await expect(tile.textContent()).resolves.toMatch(/在办预警 1 件/);
    await page
      .getByTestId('totals')
      .getByText(/在办预警/)
      .waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/prepaid/map');
    await screenshot(page, 'prepaid-map');

    // the tile opens the list filtered by the street: this issuer's alert only
    await tile.click();
    await page.waitForURL((u) => u.pathname === '/prepaid/alerts' && u.searchParams.get('street') === STREET);
    const rows = page.locator('.el-table__body tbody tr');
    await rows.filter({ hasText: issuer.name }).first().waitFor();
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toMatch(/待分派/);
    await rows.first().getByRole('link', { name: '处置' }).click();

    // the alert: the evidence as of the opening day, the workflow
    await page.waitForURL(`**/prepaid/alerts/${alertRow.id}`);
    await page.getByRole('heading', { name: `预警 #${alertRow.id} · ${issuer.name}` }).waitFor();
    await page.getByRole('heading', { name: /预警依据（.* 生成时）/ }).waitFor();
    await page.locator(`[aria-label="生成时的预警依据"]`).getByText('触发').first().waitFor();
    await page.getByText('停业或迁址未提前30日告知').first().waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/prepaid/alerts/:id (open)');
    await screenshot(page, 'prepaid-alert-open');

    // a refusal is said in Chinese: a disposal before the assignment has no button; an empty note is refused
    await expect(page.getByRole('button', { name: '处置', exact: true }).count()).resolves.toBe(0);

    // 分派 to the signed-in regulator
    await page.getByRole('button', { name: '分派', exact: true }).click();
    const assign = page.getByRole('dialog', { name: '分派预警' });
    await choose(page, 'a-assignee', '演示');
    await assign.getByRole('button', { name: '确认分派' }).click();
    await assign.waitFor({ state: 'hidden' });
    await page.locator('.el-tag', { hasText: '已分派' }).first().waitFor();

    // 处置: an on-site check, which becomes an event-triggered task
    await page.getByRole('button', { name: '处置', exact: true }).click();
    const dispose = page.getByRole('dialog', { name: '记录处置' });
    await dispose.getByRole('button', { name: '确认' }).click();
    await dispose.getByText('请写明处置情况').waitFor();
    await choose(page, 'd-kind', '现场检查');
    await dispose.getByText(/现场检查将作为事件触发检查/).waitFor();
    await dispose.locator('#d-note').fill('派员现场核查门店经营和预收资金情况');
    await dispose.getByRole('button', { name: '确认' }).click();
    // the required item is checked on the page, in Chinese, before anything is sent
    await dispose.getByText('现场检查至少选择一项检查事项').waitFor();
    await expect(dispose.getByText(/on-site check/).count()).resolves.toBe(0);
    await choose(page, 'd-items', 'SC-01', true);
    await page.keyboard.press('Escape');
    await dispose.locator('#d-note').fill('派员现场核查门店经营和预收资金情况');
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'disposal dialog');
    await dispose.getByRole('button', { name: '确认' }).click();
    await dispose.waitFor({ state: 'hidden' });
    const taskLink = page.getByRole('link', { name: /^检查任务 #\d+$/ });
    await taskLink.waitFor();
    const [task] = await service.test.dataSource.query(
      `SELECT d.task_id::int AS id FROM prepaid_disposal d WHERE d.alert_id = $1 AND d.kind = 'onsite_check'`,
      [alertRow.id],
    );
    expect(task?.id).toBeGreaterThan(0);
    await expect(taskLink.textContent()).resolves.toBe(`检查任务 #${task.id}`);
    await taskLink.click();
    await page.waitForURL(`**/tasks/${task.id}`);
    await page.getByRole('heading', { name: issuer.name }).waitFor();
    await page.getByText(`预付卡预警 #${alertRow.id}`).first().waitFor();
    await page.goBack();
    await page.waitForURL(`**/prepaid/alerts/${alertRow.id}`);

    // 反馈
    await page.getByRole('button', { name: '反馈', exact: true }).click();
    const fb = page.getByRole('dialog', { name: '处置反馈' });
    await fb.locator('#f-findings').fill('现场核实：门店已停止营业，预收资金约三百二十万元未存管');
    await fb.locator('#f-action').fill('经营者承诺七日内公布退款方案');
    await fb.getByRole('button', { name: '提交反馈' }).click();
    await fb.getByText('请选择处置结果').waitFor();
    await expect(fb.getByText(/must be one of/).count()).resolves.toBe(0);
    await choose(page, 'f-outcome', '风险仍存在');
    await fb.getByRole('button', { name: '提交反馈' }).click();
    await fb.waitFor({ state: 'hidden' });
    await page.getByTestId('feedback').getByText('经营者承诺七日内公布退款方案').waitFor();

    // 办结: the credit record
    await page.getByRole('button', { name: '办结', exact: true }).click();
    const close = page.getByRole('dialog', { name: '办结预警' });
    // the on-site check's task has no result yet: the page warns, the record says so
    await close.getByText(`该预警的现场检查任务 #${task.id} 尚未完成（待检查）`).waitFor();
    await close.getByRole('button', { name: '确认办结' }).click();
    await close.waitFor({ state: 'hidden' });
    const closed = page.getByTestId('closed');
    await closed.getByText(/已写入该经营者的信用记录（监管措施） #\d+/).waitFor();
    await expect(page.getByRole('button', { name: '分派' }).count()).resolves.toBe(0);
    const [record] = await service.test.dataSource.query(
      `SELECT r.id::int AS id FROM credit_record r JOIN prepaid_alert a ON a.credit_record_id = r.id
       WHERE a.id = $1 AND r.kind = 'regulatory_measure' AND r.enterprise_id = $2`,
      [alertRow.id, issuer.id],
    );
    expect(record?.id).toBeGreaterThan(0);
    const [{ subject }] = await service.test.dataSource.query(
      `SELECT subject FROM credit_record WHERE id = $1`,
      [record.id],
    );
    expect(subject).toContain(`现场检查任务 #${task.id} 尚未完成（待检查）`);
    await page.getByRole('heading', { name: '预警经过' }).waitFor();
    for (const step of ['预警生成', '分派', '处置', '反馈', '办结'])
      await page.locator('.el-timeline-item', { hasText: step }).first().waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/prepaid/alerts/:id (closed)');
    await screenshot(page, 'prepaid-alert-closed');

    // the enterprise's credit records list it
    await closed.getByRole('link', { name: '查看企业的信用记录' }).click();
    await page.waitForURL(`**/enterprises/${issuer.uscc}`);
    const records = page.getByTestId('records');
    const measure = records.locator('tbody tr', { hasText: '监管措施' }).first();
    await measure.waitFor();
    // the feedback is in the record: what was found and what the issuer did
    await measure.getByText(/门店已停止营业/).waitFor();
    await measure.getByText(/经营者承诺七日内公布退款方案/).waitFor();
    // a kind no score indicator counts: never counted, so not "不再计入"
    await measure.locator('.el-tag', { hasText: '不计入信用评价' }).waitFor();
    await expect(measure.getByText('不再计入').count()).resolves.toBe(0);
    await measure.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/enterprises/:uscc (the regulatory measure)');

    // the issuer's page: trend, assessment now and as of a past day, its alert with the evidence
    await page.goto(`/prepaid/issuers/${issuer.uscc}`);
    await page.getByRole('heading', { name: issuer.name, exact: true }).waitFor();
    await page.getByRole('heading', { name: /风险趋势/ }).waitFor();
    await page.locator('[role="img"][aria-label^="风险分趋势"]').waitFor();
    await page.locator(`[aria-label="各规则结果"]`).getByText('停业或迁址未提前30日告知').waitFor();
    const history = page.locator(`[aria-label="该经营者的预警"]`);
    await history.getByRole('link', { name: `#${alertRow.id}` }).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/prepaid/issuers/:uscc');
    await screenshot(page, 'prepaid-issuer');
    await history.locator('.el-table__expand-icon').first().click();
    await page.locator(`[aria-label="预警 #${alertRow.id} 的依据"]`).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, '/prepaid/issuers/:uscc (an alert opened)');
    // as of a day before the signals: the closure rule did not fire then
    const past = addDays(today, -60);
    const [y, m, d] = past.split('-').map(Number);
    await page.locator('#as-of').fill(`${y}年${m}月${d}日`);
    await page.locator('#as-of').press('Enter');
    await page.getByRole('heading', { name: /^按日期查看：/ }).waitFor();
    await expect(
      page.locator(`[aria-label="各规则结果"]`).getByText('停业或迁址未提前30日告知').count(),
    ).resolves.toBe(0);

    w.expectNoProblems();
    await w.context.close();
  });

  it('an inspector sees no prepaid menu and gets 无权访问 on the pages', async () => {
    const w = await openPage(browser, service.baseUrl, DESKTOP);
    const { page } = w;
    await signIn(page, service.demo.inspector);
    await page.getByRole('menuitem', { name: '我的任务' }).waitFor();
    await expect(page.getByRole('menuitem', { name: '预警列表' }).count()).resolves.toBe(0);
    await page.goto('/prepaid/alerts');
    await page.getByText('无权访问').waitFor();
    w.expectNoProblems();
    await w.context.close();
  });
});
