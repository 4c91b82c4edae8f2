import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { addWorkingDays } from '../src/common/working-days.js';
import { RepairApplicationsService } from '../src/credit-repair/applications/repair-applications.service.js';
import { counting } from '../src/credit/indicator-sql.js';
import { ScoringService } from '../src/credit/scoring.service.js';
import type { AuthUser } from '../src/auth/auth-user.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import { insertListing, insertPenalty, PDF_BYTES, pngBytes, repairEnterprise } from './repair-fixtures.js';

/**
 * Credit-repair applications (issue 13) through the API and the CLI, on the real database with the
 * real migrations: eligibility, the multipart application with sniffed files, the workflow with
 * working-day deadlines, approval's rescoring, and the share to Credit China. Penalty records come
 * from SQL fixtures (test/repair-fixtures.ts).
 */
describe('credit-repair applications', () => {
  let t: TestApp;
  let market: Agent;
  let marketUser: AuthUser;
  let health: Agent;
  let png: Buffer;
  const today = todayInShanghai();
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.dataSource.query(sql, params))[0].n);
  const rescore = async (id: number) =>
    t.dataSource.transaction((m) => t.app.get(ScoringService).rescoreEnterprise(m, id, today));

  async function enterpriseWith(name: string) {
    const e = await repairEnterprise(t.dataSource, name);
    const { agent, user } = await t.signIn('enterprise', { uscc: e.uscc });
    return { ...e, agent, user };
  }

  const apply = (
    agent: Agent,
    recordId: number | string,
    opts: {
      letter?: [Buffer, string] | null;
      proof?: [Buffer, string][];
      form?: [Buffer, string];
      fields?: Record<string, string>;
    } = {},
  ) => {
    let req = agent
      .post('/api/credit-repair/applications')
      .field('recordId', String(recordId))
      .field('statement', '罚款已于2026年6月缴清，涉事食品已全部下架销毁，已建立进货查验制度');
    for (const [k, v] of Object.entries({
      obligationsFulfilled: 'true',
      harmRemoved: 'true',
      ...(opts.fields ?? {}),
    }))
      if (v !== '') req = req.field(k, v);
    if (opts.letter !== null) {
      const [b, n] = opts.letter ?? [PDF_BYTES, '信用承诺书.pdf'];
      req = req.attach('commitmentLetter', b, n);
    }
    for (const [b, n] of opts.proof ?? [[PDF_BYTES, '缴款凭证.pdf']]) req = req.attach('proof', b, n);
    if (opts.form) req = req.attach('applicationForm', opts.form[0], opts.form[1]);
    return req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const m = await t.signIn('regulator', { department: 'market' });
    market = m.agent;
    marketUser = {
      ...m.user,
      role: 'regulator',
      department: 'market',
      enterpriseId: null,
      enterpriseUscc: null,
    } as unknown as AuthUser;
    ({ agent: health } = await t.signIn('regulator', { department: 'health' }));
    png = await pngBytes();
  });
  afterAll(() => t.close());

  it('eligibility: before the earliest day names the day; never-repairable refuses; another enterprise gets 404', async () => {
    const e = await enterpriseWith('上海甲餐饮管理有限公司');
    const soon = addDays(today, 10);
    const early = await insertPenalty(t.dataSource, e.id, {
      recordDate: addDays(today, -20),
      earliestRepairOn: soon,
    });
    const never = await insertPenalty(t.dataSource, e.id, {
      types: ['fine', 'licence_revocation'],
      neverEndedEarly: true,
      subject: '广告法第五十五条',
    });
    const r1 = await e.agent.get(`/api/credit-repair/records/${early}/eligibility`).expect(200);
    const [y, mo, d] = soon.split('-').map(Number);
    expect(r1.body).toMatchObject({
      kind: 'penalty',
      mayApply: false,
      decidingDepartment: '杨浦区市场监督管理局',
    });
    expect(r1.body.refusals).toEqual([{ code: 'NOT_YET', message: `可于${y}年${mo}月${d}日起申请` }]);
    const r2 = await e.agent.get(`/api/credit-repair/records/${never}/eligibility`).expect(200);
    expect(r2.body.refusals.map((r: { code: string }) => r.code)).toEqual(['NEVER_ENDED_EARLY']);
    const other = await enterpriseWith('上海乙贸易有限公司');
    await other.agent.get(`/api/credit-repair/records/${early}/eligibility`).expect(404);
    await market.get(`/api/credit-repair/records/${early}/eligibility`).expect(200);
    await e.agent.get(`/api/credit-repair/records/4.0/eligibility`).expect(422);

    // applying anyway: 422 naming the condition, nothing written
    const before = await count(`SELECT count(*) AS n FROM repair_application`);
    const a1 = await apply(e.agent, early).expect(422);
    expect(a1.body.errors).toEqual([
      { field: 'recordId', code: 'NOT_YET', reason: `可于${y}年${mo}月${d}日起申请` },
    ]);
    const a2 = await apply(e.agent, never).expect(422);
    expect(a2.body.errors[0].code).toBe('NEVER_ENDED_EARLY');
    expect(await count(`SELECT count(*) AS n FROM repair_application`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM repair_application_file`)).toBe(0);
  });

  it('uploads: sniffed from the bytes; mislabelled stored as what it is; wrong type 415; oversized 413; missing 422', async () => {
    const e = await enterpriseWith('上海丙食品有限公司');
    const rec = await insertPenalty(t.dataSource, e.id);
    // a text file named .pdf: refused
    const r415 = await apply(e.agent, rec, {
      proof: [[Buffer.from('just some text, not a pdf'), '证明.pdf']],
    }).expect(415);
    expect(r415.body.errors[0].field).toBe('proof[0]');
    // the application form must be a PDF: PNG bytes refused even when named .pdf
    const rForm = await apply(e.agent, rec, { form: [png, '申请表.pdf'] }).expect(415);
    expect(rForm.body.errors[0]).toMatchObject({ field: 'applicationForm[0]' });
    expect(rForm.body.errors[0].reason).toContain('须为 PDF');
    // a name with a right-to-left override (发票‮fdp.exe shows as 发票exe.pdf) or a zero-width
    // space: refused by the shared text check, naming the file
    const rtl = await apply(e.agent, rec, { proof: [[PDF_BYTES, '发票\u202Efdp.exe']] }).expect(422);
    expect(rtl.body.errors).toEqual([
      {
        field: 'proof[0]',
        reason:
          '文件名contains the invisible formatting character U+202E (right-to-left override) at character 3: the text would display other than it is stored',
      },
    ]);
    const zw = await apply(e.agent, rec, { letter: [PDF_BYTES, '承诺\u200B书.pdf'] }).expect(422);
    expect(zw.body.errors[0].field).toBe('commitmentLetter[0]');
    expect(zw.body.errors[0].reason).toContain('U+200B');
    // over 10 MiB
    const big = Buffer.concat([PDF_BYTES, Buffer.alloc(10 * 1024 * 1024)]);
    const r413 = await apply(e.agent, rec, { proof: [[big, '大文件.pdf']] }).expect(413);
    expect(r413.body.errors).toEqual([{ field: 'proof', reason: '文件超过 10 MiB' }]);
    // no commitment letter; a declaration missing; not multipart
    const r422 = await apply(e.agent, rec, { letter: null }).expect(422);
    expect(r422.body.errors).toEqual([{ field: 'commitmentLetter', reason: '请上传信用承诺书' }]);
    const undeclared = await apply(e.agent, rec, { fields: { harmRemoved: '' } }).expect(422);
    expect(undeclared.body.errors.map((x: { field: string }) => x.field)).toEqual(['harmRemoved']);
    await e.agent.post('/api/credit-repair/applications').send({ recordId: rec }).expect(422);
    expect(
      await count(`SELECT count(*) AS n FROM repair_application WHERE credit_record_id = $1`, [rec]),
    ).toBe(0);

    // a PNG named .pdf as the commitment letter: stored as PNG, name corrected, sha256 kept
    const ok = await apply(e.agent, rec, { letter: [png, '承诺书.pdf'] }).expect(201);
    const letter = ok.body.files.find((f: { role: string }) => f.role === 'commitment_letter');
    expect(letter).toMatchObject({ fileName: '承诺书.png', mediaType: 'image/png', sizeBytes: png.length });
    const dl = await e.agent
      .get(`/api/credit-repair/applications/${ok.body.id}/files/${letter.id}`)
      .buffer(true)
      .expect(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(dl.body as Buffer, png)).toBe(0);
    expect(dl.headers['x-content-sha256']).toBe(letter.sha256);
    // duplicate open application: 409
    await apply(e.agent, rec).expect(409);
    // another enterprise cannot read it
    const other = await enterpriseWith('上海丁商贸有限公司');
    await other.agent.get(`/api/credit-repair/applications/${ok.body.id}`).expect(404);
    await other.agent.post(`/api/credit-repair/applications/${ok.body.id}/withdraw`).send({}).expect(404);
    // withdraw: then a new application is possible
    await e.agent.post(`/api/credit-repair/applications/${ok.body.id}/withdraw`).send({}).expect(200);
    await e.agent.post(`/api/credit-repair/applications/${ok.body.id}/withdraw`).send({}).expect(409);
    await apply(e.agent, rec).expect(201);
  });

  it('the workflow: accept, suspend, resume, approve; the record stops counting, rescored, reminded, shared', async () => {
    const e = await enterpriseWith('上海戊餐饮有限公司');
    const rec = await insertPenalty(t.dataSource, e.id);
    await rescore(e.id);
    const app = (await apply(e.agent, rec).expect(201)).body;
    expect(app).toMatchObject({
      status: 'submitted',
      kind: 'penalty',
      timeLimits: 'NDRC-2026',
      decidingDepartment: '杨浦区市场监督管理局',
    });
    expect(app.acceptBy).toBe(addWorkingDays(today, 3).date);
    expect(app.applicationNo).toMatch(/^XF-\d{4}-\d{6}$/);

    // another department: 403, audited; admins read but do not decide
    await health.post(`/api/credit-repair/applications/${app.id}/accept`).send({}).expect(403);
    await health.get(`/api/credit-repair/applications/${app.id}`).expect(403);
    expect(
      await count(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied' AND entity_type = 'repair_application' AND entity_id = $1`,
        [String(app.id)],
      ),
    ).toBe(2);
    await t.admin.get(`/api/credit-repair/applications/${app.id}`).expect(200);
    await t.admin.post(`/api/credit-repair/applications/${app.id}/accept`).send({}).expect(403);
    // approving before acceptance: 409
    await market
      .post(`/api/credit-repair/applications/${app.id}/approve`)
      .send({ reasons: '符合条件' })
      .expect(409);

    const queue = (await market.get('/api/credit-repair/applications?status=submitted').expect(200)).body;
    expect(queue.map((a: { id: number }) => a.id)).toContain(app.id);
    expect(
      (await health.get('/api/credit-repair/applications').expect(200)).body.map((a: { id: number }) => a.id),
    ).not.toContain(app.id);

    const accepted = (
      await market.post(`/api/credit-repair/applications/${app.id}/accept`).send({}).expect(200)
    ).body;
    expect(accepted).toMatchObject({
      status: 'accepted',
      decideBy: addWorkingDays(today, 3).date,
      overdue: null,
    });
    await market
      .post(`/api/credit-repair/applications/${app.id}/suspend`)
      .send({ reason: '请补充罚款缴纳凭证', latestEnd: today })
      .expect(422);
    const suspended = (
      await market
        .post(`/api/credit-repair/applications/${app.id}/suspend`)
        .send({ reason: '请补充罚款缴纳凭证', latestEnd: addDays(today, 10) })
        .expect(200)
    ).body;
    expect(suspended.suspension).toEqual({
      since: today,
      reason: '请补充罚款缴纳凭证',
      latestEnd: addDays(today, 10),
    });
    await market
      .post(`/api/credit-repair/applications/${app.id}/approve`)
      .send({ reasons: '符合条件' })
      .expect(409);
    const resumed = (
      await market.post(`/api/credit-repair/applications/${app.id}/resume`).send({}).expect(200)
    ).body;
    expect(resumed).toMatchObject({ suspension: null, suspendedWorkingDays: 0, decideBy: accepted.decideBy });

    const approved = (
      await market
        .post(`/api/credit-repair/applications/${app.id}/approve`)
        .send({ reasons: '已履行罚款义务，危害后果已消除' })
        .expect(200)
    ).body;
    expect(approved.status).toBe('approved');
    expect(approved.record.repairedOn).toBe(today);
    expect(approved.share).toMatchObject({
      dueBy: addWorkingDays(today, 3).date,
      sharedAt: null,
      overdue: false,
    });
    expect(approved.events.map((x: { action: string }) => x.action)).toEqual([
      'submitted',
      'accepted',
      'suspended',
      'resumed',
      'approved',
    ]);
    expect(approved.rescored).not.toBeNull();
    if (counting('d').includes('repaired_on'))
      // once `counting` stops a record on repaired_on (the publication-period slice), the score rises
      expect(approved.rescored.score).toBeGreaterThan(approved.rescored.scoreBefore);
    const [score] = await t.dataSource.query(`SELECT score FROM credit_score WHERE enterprise_id = $1`, [
      e.id,
    ]);
    expect(Number(score.score)).toBe(approved.rescored.score);
    // reminders, audit
    const reminders = await t.dataSource.query(
      `SELECT dedupe_key, message FROM enterprise_reminder WHERE application_id = $1 ORDER BY id`,
      [app.id],
    );
    // a deadline includes its day: 最迟于…（含当日）, not "…前"
    const ymd = (d: string) => `${+d.slice(0, 4)}年${+d.slice(5, 7)}月${+d.slice(8, 10)}日`;
    expect(reminders[0].message).toContain(`认定部门最迟于${ymd(app.acceptBy)}（含当日）作出是否受理的决定`);
    expect(reminders[1].message).toContain(`最迟于${ymd(accepted.decideBy)}（含当日）作出决定`);
    expect(reminders[2].message).toContain(`请最迟于${ymd(addDays(today, 10))}补正`);
    expect(reminders.map((r: { dedupe_key: string }) => r.dedupe_key)).toEqual([
      `application:${app.id}:submitted`,
      `application:${app.id}:accepted`,
      `application:${app.id}:suspended:${today}`,
      `application:${app.id}:approved`,
    ]);
    const actions = (
      await t.dataSource.query(
        `SELECT action FROM audit_log WHERE entity_type = 'repair_application' AND entity_id = $1 AND action <> 'access.denied' ORDER BY seq`,
        [String(app.id)],
      )
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual([
      'repair_application.submit',
      'repair_application.accept',
      'repair_application.suspend',
      'repair_application.resume',
      'repair_application.approve',
    ]);
    // the enterprise sees it; the record is repaired: a new application is refused
    const mine = (await e.agent.get('/api/credit-repair/my-applications').expect(200)).body;
    expect(mine[0]).toMatchObject({ id: app.id, status: 'approved' });
    const again = await apply(e.agent, rec).expect(422);
    expect(again.body.errors[0].code).toBe('ALREADY_REPAIRED');
  });

  it('anomaly-list removal: approval removes the listing today and the score rises; the tier may change', async () => {
    const e = await enterpriseWith('上海己服务有限公司');
    const listing = await insertListing(t.dataSource, e.id, 'anomaly', addDays(today, -60));
    const before = await rescore(e.id);
    const elig = (await e.agent.get(`/api/credit-repair/records/${listing}/eligibility`).expect(200)).body;
    expect(elig).toMatchObject({ kind: 'anomaly_removal', mayApply: true, eligible: false });
    const app = (
      await apply(e.agent, listing, {
        fields: { obligationsFulfilled: '', harmRemoved: '', causeFixed: 'true' },
      }).expect(201)
    ).body;
    expect(app.kind).toBe('anomaly_removal');
    // which listing: its reason and day (a listing has no decision number)
    const which = { listingReason: '未按规定报送年度报告', listedOn: addDays(today, -60) };
    expect(app.record).toMatchObject(which);
    const mine = (await e.agent.get('/api/credit-repair/my-applications').expect(200)).body;
    expect(mine.find((a: { id: number }) => a.id === app.id).record).toMatchObject(which);
    // the declaration is the enterprise's word; the listing in force the service checked
    expect(app.eligibility.conditions.map((c: { code: string; basis: string }) => [c.code, c.basis])).toEqual(
      [
        ['DEPARTMENT_OUTSIDE_DISTRICT', 'checked'],
        ['LISTING_IN_FORCE', 'checked'],
        ['CAUSE_FIXED', 'declared'],
      ],
    );
    await market.post(`/api/credit-repair/applications/${app.id}/accept`).send({}).expect(200);
    const done = (
      await market
        .post(`/api/credit-repair/applications/${app.id}/approve`)
        .send({ reasons: '已补报年度报告' })
        .expect(200)
    ).body;
    expect(done.record.removedOn).toBe(today);
    expect(done.rescored.scoreBefore).toBe(before.score);
    expect(done.rescored.score).toBeGreaterThan(before.score);
  });

  it('rejection with reasons, and a penalty while on the anomaly list is refused naming the list', async () => {
    const e = await enterpriseWith('上海庚贸易有限公司');
    const rec = await insertPenalty(t.dataSource, e.id);
    const app = (await apply(e.agent, rec).expect(201)).body;
    await market.post(`/api/credit-repair/applications/${app.id}/reject`).send({ reasons: '  ' }).expect(422);
    const rejected = (
      await market
        .post(`/api/credit-repair/applications/${app.id}/reject`)
        .send({ reasons: '罚款尚未缴清' })
        .expect(200)
    ).body;
    expect(rejected).toMatchObject({ status: 'rejected', decisionReasons: '罚款尚未缴清' });
    expect(rejected.record.repairedOn).toBeNull();
    expect(rejected.share.dueBy).toBe(addWorkingDays(today, 3).date);
    const msg = await t.dataSource.query(`SELECT message FROM enterprise_reminder WHERE dedupe_key = $1`, [
      `application:${app.id}:rejected`,
    ]);
    expect(msg[0].message).toContain('罚款尚未缴清');

    await insertListing(t.dataSource, e.id, 'anomaly', addDays(today, -5));
    const r = await apply(e.agent, rec).expect(422);
    expect(r.body.errors.map((x: { code: string }) => x.code)).toEqual(['NOT_ON_ANOMALY_LIST']);
    // a repeat penalty of the same kind since
    const e2 = await enterpriseWith('上海辛餐饮有限公司');
    const first = await insertPenalty(t.dataSource, e2.id, { recordDate: addDays(today, -300) });
    await insertPenalty(t.dataSource, e2.id, { recordDate: addDays(today, -30) });
    const r2 = await apply(e2.agent, first).expect(422);
    expect(r2.body.errors[0].code).toBe('NO_REPEAT_PENALTY');
  });

  it('approval re-runs the eligibility rule: a repeat penalty recorded after acceptance refuses it (422), the regulator rejects', async () => {
    const e = await enterpriseWith('上海癸餐饮有限公司');
    const rec = await insertPenalty(t.dataSource, e.id, { recordDate: addDays(today, -300) });
    const app = (await apply(e.agent, rec).expect(201)).body;
    await market.post(`/api/credit-repair/applications/${app.id}/accept`).send({}).expect(200);
    // a penalty of the same kind (same legal basis) recorded meanwhile
    await insertPenalty(t.dataSource, e.id, { recordDate: addDays(today, -1) });
    const r = await market
      .post(`/api/credit-repair/applications/${app.id}/approve`)
      .send({ reasons: '符合条件' })
      .expect(422);
    expect(r.body.errors.map((x: { code: string }) => x.code)).toEqual(['NO_REPEAT_PENALTY']);
    expect(r.body.message).toContain('NO_REPEAT_PENALTY');
    // nothing written: the record not repaired, the application still accepted, no share
    const [row] = await t.dataSource.query(`SELECT repaired_on FROM credit_record WHERE id = $1`, [rec]);
    expect(row.repaired_on).toBeNull();
    const still = (await market.get(`/api/credit-repair/applications/${app.id}`).expect(200)).body;
    expect(still).toMatchObject({ status: 'accepted', share: null });
    // a listing since: refused as well, naming both conditions
    await insertListing(t.dataSource, e.id, 'anomaly', addDays(today, -1));
    const r2 = await market
      .post(`/api/credit-repair/applications/${app.id}/approve`)
      .send({ reasons: '符合条件' })
      .expect(422);
    expect(r2.body.errors.map((x: { code: string }) => x.code)).toEqual([
      'NO_REPEAT_PENALTY',
      'NOT_ON_ANOMALY_LIST',
    ]);
    const rejected = (
      await market
        .post(`/api/credit-repair/applications/${app.id}/reject`)
        .send({ reasons: '受理后又因同类违法行为受到行政处罚' })
        .expect(200)
    ).body;
    expect(rejected.status).toBe('rejected');
  });

  it('overdue is computed against the day asked: the queue flags a missed acceptance, a suspension past its end', async () => {
    const e = await enterpriseWith('上海壬科技有限公司');
    const rec = await insertPenalty(t.dataSource, e.id);
    const app = (await apply(e.agent, rec).expect(201)).body;
    const svc = t.app.get(RepairApplicationsService);
    const onTime = await svc.queue({ overdue: true }, marketUser, app.acceptBy);
    expect(onTime.map((a) => a.id)).not.toContain(app.id);
    const late = await svc.queue({ overdue: true }, marketUser, addDays(app.acceptBy, 1));
    expect(late.find((a) => a.id === app.id)?.overdue).toBe('accept');
    // a suspension: not overdue until its latest end, then flagged
    await market
      .post(`/api/credit-repair/applications/${app.id}/suspend`)
      .send({ reason: '请补充材料', latestEnd: addDays(today, 20) })
      .expect(200);
    expect(
      (await svc.queue({}, marketUser, addDays(today, 20))).find((a) => a.id === app.id)?.overdue,
    ).toBeNull();
    expect((await svc.queue({}, marketUser, addDays(today, 21))).find((a) => a.id === app.id)?.overdue).toBe(
      'suspension',
    );
    // resumed a week later (moved clock): the working days suspended extend the acceptance deadline
    const resumeOn = addDays(today, 7);
    const moved = await svc.resume(
      app.id,
      marketUser,
      { userId: marketUser.id, name: 'test', role: 'regulator', department: 'market', requestId: null },
      undefined,
      resumeOn,
    );
    const { workingDaysBetween } = await import('../src/common/working-days.js');
    const days = workingDaysBetween(today, resumeOn).days;
    expect(moved.suspendedWorkingDays).toBe(days);
    expect(moved.acceptBy).toBe(addWorkingDays(app.acceptBy, days).date);
  });

  it('shares: the feed since a cursor, the CSV of pending results, and the CLI export marking them shared', async () => {
    const feed = (await market.get('/api/credit-repair/shares?after=0').expect(200)).body;
    expect(feed.items.length).toBeGreaterThanOrEqual(3);
    expect(
      feed.items.every((s: { overdue: boolean; dueBy: string }) => s.overdue === false && s.dueBy > today),
    ).toBe(true);
    const next = (await market.get(`/api/credit-repair/shares?after=${feed.cursor}`).expect(200)).body;
    expect(next.items).toEqual([]);
    const overdueLater = await t.app
      .get(RepairApplicationsService)
      .shareFeed(0, 100, addDays(feed.items[0].dueBy, 1));
    expect(overdueLater.items[0].overdue).toBe(true);
    const csv = await market
      .get('/api/credit-repair/shares.csv')
      .buffer(true)
      .parse((res, cb) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString('utf8')));
        res.on('end', () => cb(null, s));
      })
      .expect(200);
    const lines = (csv.body as string)
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '申请编号,统一社会信用代码,企业名称,修复类别,决定书文号,认定部门,修复结果,决定日期,决定理由,应报送日期,报送批次,逾期',
    );
    expect(lines.length).toBe(feed.items.length + 1);
    await (await t.signIn('inspector')).agent.get('/api/credit-repair/shares').expect(403);

    const cli = path.resolve('dist/src/cli.js');
    if (!existsSync(cli)) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'repair-cli-'));
    try {
      const env = {
        ...process.env,
        DATABASE_URL: t.url,
        LOG_LEVEL: 'error',
        AUDIT_KEY_FILE: path.join(dir, 'key.pem'),
      };
      const out = path.join(dir, 'shares.csv');
      const r = spawnSync(process.execPath, [cli, 'credit-repair', 'shares', 'export', '--out', out], {
        encoding: 'utf8',
        cwd: dir,
        env,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(`^batch ${today}-[0-9a-f]{6}: ${feed.items.length} result\\(s\\) shared`),
      );
      expect(readFileSync(out, 'utf8').trim().split('\r\n').length).toBe(feed.items.length + 1);
      expect(await count(`SELECT count(*) AS n FROM repair_result_share WHERE shared_at IS NULL`)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM repair_application_event WHERE action = 'shared'`)).toBe(
        feed.items.length,
      );
      const again = spawnSync(process.execPath, [cli, 'credit-repair', 'shares', 'export'], {
        encoding: 'utf8',
        cwd: dir,
        env,
      });
      expect(again.stderr.trim()).toBe('nothing to share');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
