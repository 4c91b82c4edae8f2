import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemActor } from '../src/audit/actor.js';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { RemindersJob } from '../src/credit-repair/reminders/reminders.job.js';
import { RemindersService } from '../src/credit-repair/reminders/reminders.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { insertDecision, setEstablished } from './enterprise-repair-fixtures.js';
import { insertEnterprise, insertItem } from './triggers-fixtures.js';

/**
 * The enterprise's own page (issue 13, slice D) on the real database with the real migrations:
 * the daily reminders job moved through days (the day before, of and after), run twice, run
 * concurrently on two connections, and killed half-way then rerun: every reminder exactly once;
 * the enterprise's API (its reminders, decisions with both documents, record periods, the
 * compliance notice) and its scope (another enterprise's reminder answers 404).
 */
describe('enterprise reminders and the enterprise page', () => {
  let t: TestApp;
  let job: RemindersJob;
  let own: Agent;
  let other: Agent;
  let regulator: Agent;
  let e1: { id: number; uscc: string };
  let e2: { id: number; uscc: string };
  let e3: { id: number; uscc: string };
  const rec: Record<string, { decisionId: number; decisionNo: string; recordId: number }> = {};
  const actor = systemActor('test');

  const keys = async (): Promise<string[]> =>
    (await t.dataSource.query(`SELECT dedupe_key FROM enterprise_reminder ORDER BY dedupe_key`)).map(
      (r: { dedupe_key: string }) => r.dedupe_key,
    );
  const countLike = async (pattern: string) =>
    Number(
      (
        await t.dataSource.query(`SELECT count(*) AS n FROM enterprise_reminder WHERE dedupe_key LIKE $1`, [
          pattern,
        ])
      )[0].n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    job = t.app.get(RemindersJob);
    e1 = await insertEnterprise(t.dataSource, { name: '上海甲乙餐饮有限公司', industry: 'H6210' });
    e2 = await insertEnterprise(t.dataSource, { name: '上海丙丁商贸有限公司' });
    e3 = await insertEnterprise(t.dataSource, { name: '上海新设科技有限公司', industry: 'I65' });
    await setEstablished(t.dataSource, e3.id, '2026-03-01');
    ({ agent: own } = await t.signIn('enterprise', { uscc: e1.uscc }));
    ({ agent: other } = await t.signIn('enterprise', { uscc: e2.uscc }));
    ({ agent: regulator } = await t.signIn('regulator'));
    // R1: repair from 2026-03-10; R2: period ends 2026-04-08 (reminder from 03-09); R3: never early;
    // R4: another enterprise's, repair from 2026-03-10
    rec.R1 = await insertDecision(t.dataSource, {
      enterpriseId: e1.id,
      decisionDate: '2025-12-09',
      publicationStart: '2025-12-10',
      publicationLastDay: '2028-12-11',
      earliestRepairOn: '2026-03-10',
    });
    rec.R2 = await insertDecision(t.dataSource, {
      enterpriseId: e1.id,
      decisionDate: '2026-01-07',
      publicationStart: '2026-01-08',
      publicationLastDay: '2026-04-08',
      earliestRepairOn: null,
      withNotice: false,
    });
    rec.R3 = await insertDecision(t.dataSource, {
      enterpriseId: e1.id,
      decisionDate: '2025-12-09',
      publicationStart: '2025-12-10',
      publicationLastDay: '2028-12-11',
      earliestRepairOn: '2026-03-10',
      neverEndedEarly: true,
    });
    rec.R4 = await insertDecision(t.dataSource, {
      enterpriseId: e2.id,
      decisionDate: '2025-12-09',
      publicationStart: '2025-12-10',
      publicationLastDay: '2028-12-11',
      earliestRepairOn: '2026-03-10',
    });
  });
  afterAll(() => t.close());

  it('the day before: the period ending and the compliance notice; no repair reminder yet', async () => {
    const r = await job.run('2026-03-09', actor);
    expect(r).toMatchObject({
      due: 2,
      created: 2,
      existing: 0,
      byKind: { repair_possible: 0, period_ending: 1, compliance_notice: 1 },
    });
    // records and enterprises are counted apart from reminders: R2 is the one record looked at
    expect(r!.examined.records).toBe(1);
    expect(r!.examined.enterprises).toBeGreaterThanOrEqual(1);
    expect(await keys()).toEqual([
      `compliance_notice:${e3.id}`,
      `period_ending:${rec.R2!.recordId}:2026-04-08`,
    ]);
  });

  it('the day of: repair possible for R1 and R4 (not the never-early R3); twice and the day after: nothing new', async () => {
    const r = await job.run('2026-03-10', actor);
    expect(r).toMatchObject({
      created: 2,
      byKind: { repair_possible: 2, period_ending: 0, compliance_notice: 0 },
    });
    expect(await keys()).toEqual(
      [
        `compliance_notice:${e3.id}`,
        `period_ending:${rec.R2!.recordId}:2026-04-08`,
        `repair_possible:${rec.R1!.recordId}`,
        `repair_possible:${rec.R4!.recordId}`,
      ].sort(),
    );
    // what each number is: due = created now + there already; R1-R4 looked at (R2's period
    // ending and e3's notice are due again, there already)
    expect(r).toMatchObject({ due: 4, existing: 2, examined: { records: 4 } });
    const twice = await job.run('2026-03-10', actor);
    expect(twice).toMatchObject({ due: 4, created: 0, existing: 4, examined: r!.examined });
    expect((await job.run('2026-03-11', actor))!.created).toBe(0);
    const [row] = await t.dataSource.query(
      `SELECT enterprise_id::int AS e, decision_id::int AS d, due_on, message FROM enterprise_reminder WHERE dedupe_key = $1`,
      [`repair_possible:${rec.R1!.recordId}`],
    );
    expect(row).toMatchObject({ e: e1.id, d: rec.R1!.decisionId, due_on: '2026-03-10' });
    expect(row.message).toContain(rec.R1!.decisionNo);
    // audited once per batch that created something: the day before's records and enterprises, the day of's records
    const audits = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'enterprise_reminder.create'`,
    );
    expect(audits[0].n).toBe(3);
  });

  it('two runs at once on two connections: each reminder once (the lock, and the unique key beneath it)', async () => {
    for (let i = 0; i < 7; i++)
      await insertDecision(t.dataSource, {
        enterpriseId: e1.id,
        decisionDate: '2026-06-01',
        publicationStart: '2026-06-02',
        publicationLastDay: '2029-06-04',
        earliestRepairOn: '2027-01-05',
      });
    const before = await countLike('repair_possible:%');
    const runs = await Promise.all([
      job.run('2027-01-05', actor, { batchSize: 2 }),
      job.run('2027-01-05', actor, { batchSize: 2 }),
    ]);
    const created = runs.reduce((s, r) => s + (r?.created ?? 0), 0);
    expect(created).toBe(7);
    expect(await countLike('repair_possible:%')).toBe(before + 7);
    // without the lock (the service itself, twice at once): the unique key alone keeps it once
    for (let i = 0; i < 6; i++)
      await insertDecision(t.dataSource, {
        enterpriseId: e2.id,
        decisionDate: '2026-07-01',
        publicationStart: '2026-07-02',
        publicationLastDay: '2029-07-03',
        earliestRepairOn: '2027-02-01',
      });
    const service = t.app.get(RemindersService);
    const both = await Promise.all([
      service.createDue('2027-02-01', actor, { batchSize: 1 }),
      service.createDue('2027-02-01', actor, { batchSize: 1 }),
    ]);
    expect(both[0].created + both[1].created).toBe(6);
    expect(await countLike('repair_possible:%')).toBe(before + 13);
    const dup = await t.dataSource.query(
      `SELECT credit_record_id, kind, count(*) FROM enterprise_reminder GROUP BY 1, 2 HAVING count(*) > 1`,
    );
    expect(dup).toEqual([]);
  });

  it('killed half-way: finished batches stay, the lock is freed, a rerun completes without duplicates', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await insertDecision(t.dataSource, {
            enterpriseId: e2.id,
            decisionDate: '2026-09-01',
            publicationStart: '2026-09-02',
            publicationLastDay: '2029-09-03',
            earliestRepairOn: '2027-06-01',
          })
        ).recordId,
      );
    const ofSet = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*) AS n FROM enterprise_reminder WHERE credit_record_id = ANY($1::bigint[])`,
            [ids],
          )
        )[0].n,
      );
    await expect(
      job.run('2027-06-01', actor, {
        batchSize: 2,
        afterBatch: async () => {
          if ((await ofSet()) > 0) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const halfway = await ofSet();
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(5);
    const rerun = await job.run('2027-06-01', actor, { batchSize: 2 });
    expect(rerun).not.toBeNull();
    expect(rerun!.byKind.repair_possible).toBe(5 - halfway);
    expect(await ofSet()).toBe(5);
  });

  it('GET /api/my/reminders: its own only, newest first, with the unread count; 403 for staff', async () => {
    const mine = (await own.get('/api/my/reminders').expect(200)).body;
    expect(
      mine.items.every((r: { creditRecordId: number | null }) => r.creditRecordId !== rec.R4!.recordId),
    ).toBe(true);
    expect(mine.items.map((r: { kind: string }) => r.kind)).toContain('period_ending');
    expect(mine.unread).toBe(mine.items.length);
    const theirs = (await other.get('/api/my/reminders').expect(200)).body;
    expect(theirs.items.map((r: { creditRecordId: number }) => r.creditRecordId)).toContain(rec.R4!.recordId);
    await regulator.get('/api/my/reminders').expect(403);
  });

  it("POST /api/my/reminders/:id/read: 404 for another enterprise's reminder, once for its own", async () => {
    const theirs = (await other.get('/api/my/reminders').expect(200)).body.items[0];
    await own.post(`/api/my/reminders/${theirs.id}/read`).expect(404);
    await own.post(`/api/my/reminders/999999/read`).expect(404);
    await own.post(`/api/my/reminders/1.0/read`).expect(422);
    const before = (await own.get('/api/my/reminders').expect(200)).body;
    const first = (await own.post(`/api/my/reminders/${before.items[0].id}/read`).expect(200)).body;
    expect(first.readAt).not.toBeNull();
    const again = (await own.post(`/api/my/reminders/${before.items[0].id}/read`).expect(200)).body;
    expect(again.readAt).toBe(first.readAt);
    expect((await own.get('/api/my/reminders').expect(200)).body.unread).toBe(before.unread - 1);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'enterprise_reminder.read'`,
    );
    expect(n).toBe(1);
    // the other enterprise's reminder is still unread
    expect((await other.get('/api/my/reminders').expect(200)).body.items[0].readAt).toBeNull();
  });

  it('GET /api/my/penalty-decisions: its decisions with both documents, the notice or why none', async () => {
    const list = (await own.get('/api/my/penalty-decisions').expect(200)).body;
    const byNo = Object.fromEntries(list.map((d: { decisionNo: string }) => [d.decisionNo, d]));
    expect(byNo[rec.R4!.decisionNo]).toBeUndefined();
    const d1 = byNo[rec.R1!.decisionNo];
    expect(d1.documents).toEqual({
      decision: `/api/penalty-decisions/${rec.R1!.decisionId}/documents/decision.pdf`,
      repairNotice: `/api/penalty-decisions/${rec.R1!.decisionId}/documents/repair-notice.pdf`,
    });
    expect(d1.notice).toMatchObject({ issuedOn: '2025-12-09' });
    expect(d1.deliveries).toEqual([
      {
        documents: ['decision', 'repair_notice'],
        channel: 'in_person',
        deliveredOn: '2025-12-09',
        recipient: '张三（法定代表人）',
        exceptionReason: null,
      },
    ]);
    expect(d1.record).toMatchObject({
      recordId: rec.R1!.recordId,
      publicationStart: '2025-12-10',
      publicationLastDay: '2028-12-11',
      earliestRepairOn: '2026-03-10',
      neverEndedEarly: false,
    });
    const d2 = byNo[rec.R2!.decisionNo];
    expect(d2.notice).toBeNull();
    expect(d2.documents.repairNotice).toBeNull();
    expect(d2.noNoticeReason).toContain('无需告知');
    await regulator.get('/api/my/penalty-decisions').expect(403);
  });

  it('GET /api/my/record-periods: the window, state and whether repair is open, own records only', async () => {
    const list = (await own.get('/api/my/record-periods').expect(200)).body;
    const ids = list.map((r: { recordId: number }) => r.recordId);
    expect(ids).toContain(rec.R1!.recordId);
    expect(ids).not.toContain(rec.R4!.recordId);
    const r3 = list.find((r: { recordId: number }) => r.recordId === rec.R3!.recordId);
    expect(r3).toMatchObject({ neverEndedEarly: true, repairOpen: false, regimeCode: 'SH-2023' });
  });

  it('GET /api/my/compliance-notice: the items of its industry with their requirements', async () => {
    await insertItem(t.dataSource, 'YP-I-01', 'market', { requirements: ['公示营业执照', '明码标价'] });
    await insertItem(t.dataSource, 'YP-H-01', 'health', { requirements: ['从业人员健康证明'] });
    await insertItem(t.dataSource, 'YP-I-02', 'market', { active: false });
    await t.dataSource.query(`UPDATE inspection_item SET industries = '{I}' WHERE code = 'YP-I-01'`);
    await t.dataSource.query(`UPDATE inspection_item SET industries = '{H62}' WHERE code = 'YP-H-01'`);
    const { agent: newcomer } = await t.signIn('enterprise', { uscc: e3.uscc });
    const n = (await newcomer.get('/api/my/compliance-notice').expect(200)).body;
    expect(n).toMatchObject({ industryCode: 'I65', establishedOn: '2026-03-01', newDays: 30 });
    expect(n.sections).toEqual([
      {
        department: 'market',
        departmentName: '杨浦区市场监督管理局',
        items: [expect.objectContaining({ code: 'YP-I-01', requirements: ['公示营业执照', '明码标价'] })],
      },
    ]);
    const food = (await own.get('/api/my/compliance-notice').expect(200)).body;
    expect(food.sections.flatMap((s: { items: { code: string }[] }) => s.items.map((i) => i.code))).toEqual([
      'YP-H-01',
    ]);
    expect(food.newlyRegistered).toBe(false);
    await regulator.get('/api/my/compliance-notice').expect(403);
  });

  const cli = path.resolve('dist/src/cli.js');
  (existsSync(cli) ? it : it.skip)('the CLI: credit-repair reminders run --today', async () => {
    const dueToday = await insertDecision(t.dataSource, {
      enterpriseId: e2.id,
      decisionDate: addDays(todayInShanghai(), -100),
      publicationStart: addDays(todayInShanghai(), -99),
      publicationLastDay: addDays(todayInShanghai(), 1000),
      earliestRepairOn: todayInShanghai(),
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'reminders-cli-'));
    try {
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [cli, ...args], {
          encoding: 'utf8',
          cwd: dir,
          env: {
            ...process.env,
            DATABASE_URL: t.url,
            LOG_LEVEL: 'error',
            AUDIT_KEY_FILE: path.join(dir, 'key.pem'),
          },
        });
      const bad = run('credit-repair', 'reminders', 'run', '--today', '2027-02-30');
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain('is not a date');
      // the live database: a day after the real today, or more than 31 days before it, is refused
      // before anything is read or written
      const today = todayInShanghai();
      const before = await keys();
      const future = run('credit-repair', 'reminders', 'run', '--today', addDays(today, 1));
      expect(future.status).toBe(1);
      expect(future.stderr).toBe(
        `error: --today ${addDays(today, 1)} is after today (${today}, Asia/Shanghai): a future day's reminders would show now and, each created once, never come on the day; reminders run only as of today or a missed day\n`,
      );
      const old = run('credit-repair', 'reminders', 'run', '--today', addDays(today, -32));
      expect(old.status).toBe(1);
      expect(old.stderr).toContain(`is more than 31 days before today (${today}, Asia/Shanghai)`);
      expect(await keys()).toEqual(before);
      // today and a missed day a month back run; the summary says what each number counts
      const summary =
        /^reminders as of (\S+): (\d+) due, (\d+) created \(repair_possible (\d+), period_ending (\d+), compliance_notice (\d+)\), (\d+) there already; looked at (\d+) penalty record\(s\) and (\d+) newly registered enterprise\(s\)\n$/;
      const ok = run('credit-repair', 'reminders', 'run', '--today', today);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      const [, day, due, created, a, b, c, existing, records] = summary.exec(ok.stdout)!.map(String);
      expect(day).toBe(today);
      expect(Number(created)).toBe(Number(a) + Number(b) + Number(c));
      expect(Number(due)).toBe(Number(created) + Number(existing));
      // the record due today (set up above) and its reminder
      expect(Number(records)).toBeGreaterThanOrEqual(1);
      expect(Number(a)).toBeGreaterThanOrEqual(1);
      expect(await keys()).toContain(`repair_possible:${dueToday.recordId}`);
      const again = run('credit-repair', 'reminders', 'run');
      expect(again.stdout).toMatch(
        new RegExp(`^reminders as of ${today}: ${due} due, 0 created .*, ${due} there already;`),
      );
      const missed = run('credit-repair', 'reminders', 'run', '--today', addDays(today, -31));
      expect(missed.status).toBe(0);
      expect(missed.stdout).toMatch(summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
