import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { insertEnterprise } from './triggers-fixtures.js';

/** The first day of the calendar quarter `back` quarters before the one holding `date`. */
function quarterStart(date: string, back: number): string {
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) - back;
  const yy = Number(date.slice(0, 4)) + Math.floor(q / 4);
  return `${yy}-${String((((q % 4) + 4) % 4) * 3 + 1).padStart(2, '0')}-01`;
}

/**
 * The prepaid CSV imports (issue 14 "Data": API, CSV import and pages with the same checks and
 * limits): every rejected row named by line and column, nothing stored when one row is rejected,
 * corrections through correction_reason, duplicated periods in the file, and the CLI importing the
 * same way.
 */
describe('prepaid CSV imports', () => {
  let t: TestApp;
  let market: Agent;
  let a: { id: number; uscc: string };
  let b: { id: number; uscc: string };
  const today = todayInShanghai();
  const q1 = quarterStart(today, 1);
  const q2 = quarterStart(today, 2);
  const csv = (kind: string, body: string) =>
    market.post(`/api/prepaid/import/${kind}`).set('Content-Type', 'text/csv').send(body);
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: market } = await t.signIn('regulator', { department: 'market' }));
    a = await insertEnterprise(t.dataSource, { name: '上海甲健身有限公司', tier: null });
    b = await insertEnterprise(t.dataSource, { name: '上海乙美发有限公司', tier: null });
  });
  afterAll(() => t.close());

  it('issuers: a bad row refuses the whole file, naming line and column; then the good file', async () => {
    const bad = await csv(
      'issuers',
      `uscc,sector,guarantee_kind,escrow_bank\n${a.uscc},运动健身,资金存管,上海银行\n${b.uscc},游泳,,\n91310110MA1XXXXX00,fitness,,\n`,
    ).expect(422);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(['rows[3].sector', 'rows[4].uscc']);
    expect(bad.body.report).toMatchObject({ rows: 3, rejected: 2, inserted: 0 });
    expect(await count('prepaid_issuer')).toBe(0);
    const ok = await csv(
      'issuers',
      `uscc,sector,guarantee_kind,escrow_bank\n${a.uscc},运动健身,资金存管,上海银行\n${b.uscc},美容美发,,\n`,
    ).expect(200);
    expect(ok.body).toMatchObject({ kind: 'issuers', rows: 2, inserted: 2, ids: [a.id, b.id] });
    const again = await csv('issuers', `uscc,sector\n${a.uscc},fitness\n`).expect(422);
    expect(again.body.errors[0].reason).toContain('已登记为预付卡经营者');
  });

  it('stores: an unknown issuer named; a missing column refuses the file', async () => {
    const other = await insertEnterprise(t.dataSource, { name: '上海丙洗衣店', tier: null });
    const r = await csv(
      'stores',
      `uscc,name,address,street\n${a.uscc},甲健身五角场店,淞沪路1号,五角场街道\n${other.uscc},丙店,政和路2号,\n`,
    ).expect(422);
    expect(r.body.errors).toEqual([
      { field: 'rows[3].uscc', reason: expect.stringContaining(`${other.uscc}不是已登记的预付卡经营者`) },
    ]);
    const nohead = await csv('stores', `uscc,name\n${a.uscc},x\n`).expect(422);
    expect(nohead.body.errors[0].field).toBe('(file)');
    await csv('stores', `uscc,name,address,street\n${a.uscc},甲健身五角场店,淞沪路1号,五角场街道\n`).expect(
      200,
    );
    expect(await count('prepaid_store')).toBe(1);
  });

  it('reports: negative amounts, escrow above the balance, future periods, duplicates in the file: all named, nothing stored', async () => {
    const head =
      'uscc,period_kind,period_start,submitted_on,balance_fen,cards_sold_count,cards_sold_fen,redemptions_fen,escrow_balance_fen,correction_reason\n';
    const bad = await csv(
      'reports',
      head +
        `${a.uscc},quarter,${q1},${today},5000000,10,300000,200000,2500000,\n` +
        `${a.uscc},quarter,${q2},${today},-1,10,300000,200000,,\n` +
        `${b.uscc},季度,${q1},${today},100000,2,20000,10000,200000,\n` +
        `${b.uscc},month,${today.slice(0, 8)}01,${today},1,1,1,1,,\n` +
        `${a.uscc},quarter,${q1},${today},5000000,10,300000,200000,2500000,\n`,
    ).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows[3].balance_fen',
      'rows[4].escrow_balance_fen',
      'rows[5].period_end',
      'rows[6].period_start',
    ]);
    expect(bad.body.errors[1].reason).toContain('200000分');
    expect(bad.body.errors[1].reason).toContain('100000分');
    expect(bad.body.errors[3].reason).toContain('第2行');
    expect(await count('prepaid_report')).toBe(0);

    const ok = await csv(
      'reports',
      head +
        `${a.uscc},quarter,${q1},${today},5000000,10,300000,200000,2500000,\n` +
        `${a.uscc},quarter,${q2},${addDays(q1, 10)},4800000,8,250000,230000,2400000,\n`,
    ).expect(200);
    expect(ok.body).toMatchObject({ rows: 2, inserted: 2, corrected: 0 });
    // a second report for a period: refused without correction_reason, kept with it
    const again = await csv(
      'reports',
      head + `${a.uscc},quarter,${q1},${today},5100000,10,300000,200000,2500000,\n`,
    ).expect(422);
    expect(again.body.errors[0]).toMatchObject({ field: 'rows[2].period_start' });
    expect(again.body.errors[0].reason).toContain('更正原因');
    const fixed = await csv(
      'reports',
      head + `${a.uscc},quarter,${q1},${today},5100000,10,300000,200000,2500000,漏报一张大额卡\n`,
    ).expect(200);
    expect(fixed.body).toMatchObject({ inserted: 1, corrected: 1 });
    const rows = await t.dataSource.query(
      `SELECT balance_fen::int AS b, superseded_by IS NOT NULL AS replaced, correction_reason FROM prepaid_report
        WHERE period_start = $1 ORDER BY id`,
      [q1],
    );
    expect(rows).toEqual([
      { b: 5000000, replaced: true, correction_reason: null },
      { b: 5100000, replaced: false, correction_reason: '漏报一张大额卡' },
    ]);
  });

  it('signals: per kind, with source keys refused when already imported', async () => {
    const head =
      'uscc,kind,occurred_on,received_on,effective_on,discount_pct,term_months,amount_fen,summary,source_key\n';
    const bad = await csv(
      'signals',
      head +
        `${a.uscc},closure_notice,${addDays(today, -1)},,,,,,停业公告,K1\n` +
        `${a.uscc},promotion,${addDays(today, -1)},,,70,,,三折,K2\n` +
        `${a.uscc},complaint,${addDays(today, -1)},${addDays(today, -2)},,,,,退款难,K3\n` +
        `${a.uscc},complaint,${addDays(today, 1)},,,,,-300,退款难,K4\n`,
    ).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows[2].effective_on',
      'rows[3].term_months',
      'rows[4].received_on',
      'rows[5].occurred_on',
      'rows[5].amount_fen',
    ]);
    const good =
      head +
      `${a.uscc},停业（关店）公告,${addDays(today, -1)},,${addDays(today, 20)},,,,停业公告,K1\n` +
      `${a.uscc},complaint,${addDays(today, -3)},${addDays(today, -2)},,,,300000,退款难,K3\n`;
    const ok = await csv('signals', good).expect(200);
    expect(ok.body).toMatchObject({ rows: 2, inserted: 2 });
    const again = await csv('signals', good).expect(422);
    // already imported: by the source key, and (no complaint number) as the same signal
    expect(again.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows[2].source_key',
      'rows[2].summary',
      'rows[3].source_key',
      'rows[3].summary',
    ]);
    expect(await count('prepaid_signal')).toBe(2);
    // a complaint number (source_ref) once per issuer and kind: a second upload, or twice in a file, is refused
    const refHead = 'uscc,kind,occurred_on,received_on,amount_fen,summary,source_ref\n';
    const complaint = `${a.uscc},预付卡投诉,${addDays(today, -5)},${addDays(today, -4)},50000,办卡后门店无法预约,TS-GB-1\n`;
    await csv('signals', refHead + complaint).expect(200);
    const twice = await csv('signals', refHead + complaint).expect(422);
    expect(twice.body.errors[0].field).toBe('rows[2].source_ref');
    expect(twice.body.errors[0].reason).toContain('TS-GB-1');
    const inFile = await csv(
      'signals',
      refHead + complaint.replace('TS-GB-1', 'TS-GB-2') + complaint.replace('TS-GB-1', 'TS-GB-2'),
    ).expect(422);
    expect(inFile.body.errors.map((e: { field: string }) => e.field)).toEqual(['rows[3].source_ref']);
    expect(await count('prepaid_signal')).toBe(3);
    const audit = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'prepaid.import'`,
    );
    expect(audit[0].n).toBe(6);
  });

  it('the CLI imports the same way (the dist build), refusing a bad file with every row named', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prepaid-cli-'));
    try {
      const file = path.join(dir, 'signals.csv');
      writeFileSync(
        file,
        `uscc,kind,occurred_on,summary\n${b.uscc},unreachable,${addDays(today, -1)},电话无人接听\n`,
      );
      const env = { ...process.env, DATABASE_URL: t.url };
      const out = execFileSync('node', ['dist/src/cli.js', 'prepaid', 'import', 'signals', file], {
        env,
        encoding: 'utf8',
      });
      expect(out).toContain('prepaid signals: 1 rows');
      writeFileSync(file, `uscc,kind,occurred_on,summary\n${b.uscc},unreachable,${addDays(today, 5)},x\n`);
      let failed = '';
      try {
        execFileSync('node', ['dist/src/cli.js', 'prepaid', 'import', 'signals', file], {
          env,
          encoding: 'utf8',
        });
      } catch (e) {
        failed =
          String((e as { stdout?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '');
      }
      expect(failed).toContain('rows[2].occurred_on');
      // the same row with the clock moved ahead: refused, nothing stored
      let ahead = '';
      try {
        execFileSync(
          'node',
          ['dist/src/cli.js', 'prepaid', 'import', 'signals', file, '--today', addDays(today, 10)],
          { env, encoding: 'utf8' },
        );
      } catch (e) {
        ahead =
          String((e as { stdout?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '');
      }
      expect(ahead).toContain('is after today');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
