import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { inputsDigest, parseInputs, runPlanDraw } from '../src/inspections/rules/plan-draw.js';
import { VisitsService } from '../src/inspections/visits/visits.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';
import {
  approvedRecusals,
  insertEnterprises,
  insertItems,
  insertPlan,
  rosterInspector,
} from './plan-draw-fixtures.js';
import { visitSnapshot } from './visit-snapshot.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The draw of a plan's batch through the API on a real database: commit (frozen inputs) ->
 * public value by another person -> reveal -> run -> verify, replacements, the refusals (409, 422,
 * 403 audited), the public page and verification without login.
 */
describe('plan draws through the API', () => {
  let t: TestApp;
  let lead: Agent;
  let second: Agent;
  let fireRegulator: Agent;
  let enterpriseIds: number[];
  let items: Map<string, number>;
  let planId: number;
  let batchIds: number[];
  let draftBatch: number;
  let drawId: number;
  let recusedInspector: number;
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    t = await createTestApp();
    lead = (await t.signIn('regulator', { department: 'market' })).agent;
    second = (await t.signIn('regulator', { department: 'health' })).agent;
    fireRegulator = (await t.signIn('regulator', { department: 'fire' })).agent;
    const industries = ['F5211', 'H6210', 'C1411', null];
    const tiers = ['A', 'B', 'C', 'D', 'C', 'D', null];
    enterpriseIds = await insertEnterprises(
      t.dataSource,
      Array.from({ length: 140 }, (_, i) => ({
        industry: industries[i % 4]!,
        tier: tiers[i % 7]!,
        status: i % 23 === 5 ? 'deregistered' : i % 31 === 7 ? 'suspended' : 'active',
      })),
    );
    items = await insertItems(t.dataSource, [
      { code: 'M01', department: 'market', industries: ['F52'] },
      { code: 'M02', department: 'market' },
      { code: 'H01', department: 'health', industries: ['H'] },
      { code: 'H02', department: 'health', industries: ['H62'], fullCoveragePerYear: 2 },
    ]);
    const policy = [
      { tier: 'A', ratio: 0, yearlyCap: 2 },
      { tier: 'B', ratio: 0.1, yearlyCap: 2 },
      { tier: 'C', ratio: 0.3, yearlyCap: 2 },
      { tier: 'D', ratio: 0.8, yearlyCap: 2 },
    ];
    ({ planId, batchIds } = await insertPlan(t.dataSource, {
      year: 2027,
      lead: 'market',
      itemIds: [...items.values()],
      tiers: policy,
      batches: [
        { name: '第一批', windowStart: '2027-04-01', windowEnd: '2027-06-30' },
        { name: '第二批', windowStart: '2027-07-01', windowEnd: '2027-09-30' },
      ],
    }));
    draftBatch = (
      await insertPlan(t.dataSource, {
        year: 2027,
        lead: 'market',
        itemIds: [items.get('M01')!],
        tiers: policy,
        batches: [{ name: '草稿批次', windowStart: '2027-04-01', windowEnd: '2027-04-30' }],
        publish: false,
      })
    ).batchIds[0]!;
    const m = [items.get('M01')!, items.get('M02')!];
    for (let i = 0; i < 5; i++) {
      const { user } = await t.signIn('inspector', { department: 'market' });
      await rosterInspector(t.dataSource, user.id, m);
      if (i === 0) recusedInspector = user.id;
    }
    for (let i = 0; i < 3; i++) {
      const { user } = await t.signIn('inspector', { department: 'health' });
      await rosterInspector(t.dataSource, user.id, [items.get('H01')!, items.get('H02')!]);
    }
    const { user: off } = await t.signIn('inspector', { department: 'market' });
    await rosterInspector(t.dataSource, off.id, m, false);
    // the first market inspector has a conflict with every enterprise: never assigned, skipped instead
    await approvedRecusals(t.dataSource, recusedInspector, enterpriseIds);
  });
  afterAll(() => t.close());

  it('refuses to commit on a draft plan (409), with a bad commitment (422), from another department (403, audited)', async () => {
    const commitment = sha(secret);
    await lead
      .post('/api/plan-draws')
      .send({ batchId: draftBatch, commitment, publicSource: '双色球' })
      .expect(409);
    const bad = await lead
      .post('/api/plan-draws')
      .send({ batchId: batchIds[0], commitment: 'XYZ', publicSource: '', tierDate: '2999-01-01' })
      .expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'commitment',
      'publicSource',
    ]);
    await lead
      .post('/api/plan-draws')
      .send({ batchId: batchIds[0], commitment, publicSource: '双色球', tierDate: '2999-01-01' })
      .expect(422)
      .expect((r) => expect(r.body.errors[0].field).toBe('tierDate'));
    await fireRegulator
      .post('/api/plan-draws')
      .send({ batchId: batchIds[0], commitment, publicSource: '双色球' })
      .expect(403);
    const [denied] = await t.dataSource.query(
      `SELECT after FROM audit_log WHERE action = 'access.denied' AND entity_type = 'plan_draw' ORDER BY seq DESC LIMIT 1`,
    );
    expect(denied.after.reason).toMatch(/lead department \(market\)/);
    await lead
      .post('/api/plan-draws')
      .send({ batchId: 999999, commitment, publicSource: '双色球' })
      .expect(404);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM plan_draw`);
    expect(n).toBe(0);
  });

  it('commits: the inputs are frozen with their digests, downloadable byte for byte', async () => {
    const res = await lead
      .post('/api/plan-draws')
      .send({
        batchId: batchIds[0],
        commitment: sha(secret),
        publicSource: '中国福利彩票双色球 2027015 期开奖号码',
      })
      .expect(201);
    drawId = res.body.id;
    expect(res.body).toMatchObject({
      status: 'committed',
      commitment: sha(secret),
      publicValue: null,
      secret: null,
      batch: { id: batchIds[0], name: '第一批' },
      plan: { id: planId, status: 'published' },
    });
    expect(res.body.inputs.map((i: { name: string }) => i.name)).toEqual([
      'params',
      'roster',
      'inspectors',
      'recusals',
    ]);
    const docs: Record<string, string> = {};
    for (const i of res.body.inputs) {
      const doc = await lead
        .get(`/api/plan-draws/${drawId}/inputs/${i.name}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
        });
      expect(doc.status).toBe(200);
      docs[i.name] = doc.body as string;
      expect(sha(docs[i.name]!)).toBe(i.digest);
    }
    expect(
      inputsDigest(
        Object.fromEntries(
          res.body.inputs.map((i: { name: string; digest: string }) => [i.name, i.digest]),
        ) as never,
      ),
    ).toBe(res.body.inputsDigest);
    expect(res.body.inputs[1].lines).toBe(140);
    expect(docs.roster!.split('\n')[0]).toBe('uscc,tier,industry,status,routine_checks_this_year');
    // the inspector off the roster is left out; the recusals are the approved ones
    expect(docs.inspectors!.trim().split('\n')).toHaveLength(1 + 8);
    expect(docs.recusals!.trim().split('\n')).toHaveLength(1 + 140);
    await lead
      .post('/api/plan-draws')
      .send({ batchId: batchIds[0], commitment: sha(secret), publicSource: 'x' })
      .expect(409);
  });

  it('needs the public value from another person, then the secret that matches the commitment', async () => {
    await lead.post(`/api/plan-draws/${drawId}/run`).expect(409);
    await lead.post(`/api/plan-draws/${drawId}/reveal`).send({ secret }).expect(409);
    await lead
      .post(`/api/plan-draws/${drawId}/public-value`)
      .send({ value: '03 07 12 19 25 31 + 09' })
      .expect(409);
    await second
      .post(`/api/plan-draws/${drawId}/public-value`)
      .send({ value: '03 07 12 19 25 31 + 09' })
      .expect(200);
    await t.admin.post(`/api/plan-draws/${drawId}/public-value`).send({ value: 'again' }).expect(409);
    const wrong = await lead
      .post(`/api/plan-draws/${drawId}/reveal`)
      .send({ secret: 'x'.repeat(40) })
      .expect(422);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'secret' });
    expect((await lead.get(`/api/plan-draws/${drawId}`).expect(200)).body).toMatchObject({
      status: 'committed',
      secret: null,
    });
    await lead.post(`/api/plan-draws/${drawId}/run`).expect(409);
    const ok = await lead.post(`/api/plan-draws/${drawId}/reveal`).send({ secret }).expect(200);
    expect(ok.body).toMatchObject({
      status: 'revealed',
      secret,
      finalSeed: sha(`${secret}|03 07 12 19 25 31 + 09`),
    });
    expect(ok.body.steps.publicValue.name).toMatch(/^regulator-/);
    const [{ display_name: secondName }] = await t.dataSource.query(
      `SELECT display_name FROM app_user WHERE id = $1`,
      [ok.body.steps.publicValue.userId],
    );
    expect(ok.body.steps.publicValue.displayName).toBe(secondName);
    expect(ok.body.steps.publicValue.userId).not.toBe(ok.body.steps.committed.userId);
  });

  it('runs: targets per item and tier, tasks with 2 inspectors, recusal honoured, the same result as the pure draw', async () => {
    const res = await lead.post(`/api/plan-draws/${drawId}/run`).expect(200);
    const view = res.body;
    expect(view.status).toBe('drawn');
    const strata = view.summary.strata as {
      itemCode: string;
      tier: string;
      eligible: number;
      drawn: number;
      ratio: string;
    }[];
    expect(strata.map((s) => `${s.itemCode}|${s.tier}`)).toEqual(
      ['H01', 'M01', 'M02'].flatMap((c) => ['A', 'B', 'C', 'D'].map((tier) => `${c}|${tier}`)),
    );
    for (const s of strata) expect(s.drawn).toBe(Math.max(0, Math.ceil(s.eligible * Number(s.ratio) - 1e-9)));
    expect(strata.filter((s) => s.tier === 'A').every((s) => s.eligible === 0 && s.drawn === 0)).toBe(true);
    expect(view.summary.fullCoverage).toEqual([
      expect.objectContaining({ itemCode: 'H02', perYear: 2, enterprises: expect.any(Number) }),
    ]);
    // the pure function on the published inputs gives the stored digest
    const docs: Record<string, string> = {};
    for (const name of ['params', 'roster', 'inspectors', 'recusals']) {
      const [r] = await t.dataSource.query(
        `SELECT body_gz FROM plan_draw_input WHERE draw_id = $1 AND name = $2`,
        [drawId, name],
      );
      docs[name] = (await import('node:zlib')).gunzipSync(r.body_gz).toString('utf8');
    }
    const pure = runPlanDraw(parseInputs(docs as never), view.finalSeed);
    expect(view.resultDigest).toBe(pure.resultDigest);
    const [{ targets }] = await t.dataSource.query(
      `SELECT count(*)::int AS targets FROM plan_draw_target WHERE draw_id = $1`,
      [drawId],
    );
    expect(targets).toBe(pure.summary.targets);
    const tasks: { id: string; n: number; items: number; tier: string }[] = await t.dataSource.query(
      `SELECT k.id, k.tier, (SELECT count(*)::int FROM inspection_task_inspector p WHERE p.task_id = k.id AND p.role = 'assigned') AS n,
              (SELECT count(*)::int FROM inspection_task_item i WHERE i.task_id = k.id) AS items
       FROM inspection_task k WHERE k.draw_id = $1`,
      [drawId],
    );
    expect(tasks.length).toBe(pure.tasks.length);
    expect(tasks.every((k) => k.n === 2 && k.items >= 1 && k.tier !== 'A')).toBe(true);
    const [{ assigned, skipped }] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE role = 'assigned')::int AS assigned, count(*) FILTER (WHERE role = 'skipped_recusal')::int AS skipped
       FROM inspection_task_inspector WHERE user_id = $1`,
      [recusedInspector],
    );
    expect(assigned).toBe(0);
    expect(skipped).toBeGreaterThan(0);
    // every task has a visit (placed before the tasks were written)
    const [{ without }] = await t.dataSource.query(
      `SELECT count(*)::int AS without FROM inspection_task WHERE draw_id = $1 AND visit_id IS NULL`,
      [drawId],
    );
    expect(without).toBe(0);
    await lead.post(`/api/plan-draws/${drawId}/run`).expect(409);
  });

  it("the draw's visits are what regroup makes of its tasks written without visits", async () => {
    const enterprises: number[] = (
      await t.dataSource.query(`SELECT DISTINCT enterprise_id FROM inspection_task WHERE draw_id = $1`, [
        drawId,
      ])
    ).map((r: { enterprise_id: string }) => Number(r.enterprise_id));
    expect(enterprises.length).toBeGreaterThan(10);
    const label = (id: number) => String(id);
    const none = new Set<number>();
    const [{ joint }] = await t.dataSource.query(
      `SELECT count(*)::int AS joint FROM (SELECT visit_id FROM inspection_task WHERE draw_id = $1 GROUP BY visit_id HAVING count(*) > 1) x`,
      [drawId],
    );
    expect(joint).toBeGreaterThan(0);
    const drawn = await visitSnapshot(t.dataSource, enterprises, label, none, 0);
    let regrouped: string[] = [];
    await t.dataSource
      .transaction(async (m) => {
        await m.query(`UPDATE inspection_task SET visit_id = NULL WHERE draw_id = $1`, [drawId]);
        // the draw's visits are left without tasks (so ignored by regroup) and out of the snapshot
        const old = new Set<number>(
          (
            await m.query(`SELECT id FROM joint_visit WHERE enterprise_id = ANY($1::bigint[])`, [enterprises])
          ).map((r: { id: string }) => Number(r.id)),
        );
        await t.app.get(VisitsService).regroup(m, enterprises);
        regrouped = await visitSnapshot(m, enterprises, label, none, 0, old);
        throw new Error('rollback');
      })
      .catch((err: Error) => {
        if (err.message !== 'rollback') throw err;
      });
    expect(drawn).toEqual(regrouped);
    // merges only for tasks sharing a visit
    expect(drawn.filter((l) => l.startsWith('merge')).length).toBe(
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*)::int AS n FROM inspection_task WHERE draw_id = $1 AND visit_id IN (
               SELECT visit_id FROM inspection_task WHERE draw_id = $1 GROUP BY visit_id HAVING count(*) > 1)`,
            [drawId],
          )
        )[0].n,
      ),
    );
  });

  it('verifies: match through the public endpoint; a target changed by hand is found at its position', async () => {
    const ok = await request(t.http).get(`/api/plan-draws/${drawId}/verification`).expect(200);
    expect(ok.body.match).toBe(true);
    expect(ok.body.checks.map((c: { name: string }) => c.name)).toEqual([
      'inputs.params',
      'inputs.roster',
      'inputs.inspectors',
      'inputs.recusals',
      'inputs_digest',
      'commitment',
      'final_seed',
      'result_digest',
      'targets',
      'inspectors',
    ]);
    const [row] = await t.dataSource.query(
      `SELECT item_id, tier, position, enterprise_id FROM plan_draw_target WHERE draw_id = $1 ORDER BY item_id, tier, position LIMIT 1`,
      [drawId],
    );
    const other = enterpriseIds.find((e) => e !== Number(row.enterprise_id))!;
    await t.dataSource.query(
      `UPDATE plan_draw_target SET enterprise_id = $5 WHERE draw_id = $1 AND item_id = $2 AND tier = $3 AND position = $4`,
      [drawId, row.item_id, row.tier, row.position, other],
    );
    const bad = await request(t.http).get(`/api/plan-draws/${drawId}/verification`).expect(200);
    expect(bad.body.match).toBe(false);
    const targets = bad.body.checks.find((c: { name: string }) => c.name === 'targets');
    expect(targets.ok).toBe(false);
    expect(targets.detail).toContain(`position ${row.position}`);
    await t.dataSource.query(
      `UPDATE plan_draw_target SET enterprise_id = $5 WHERE draw_id = $1 AND item_id = $2 AND tier = $3 AND position = $4`,
      [drawId, row.item_id, row.tier, row.position, row.enterprise_id],
    );
    expect((await request(t.http).get(`/api/plan-draws/${drawId}/verification`).expect(200)).body.match).toBe(
      true,
    );
  });

  it('replaces a target by the next position of the same shuffle; the draw still verifies', async () => {
    const page = await lead
      .get(`/api/plan-draws/${drawId}/targets`)
      .query({ itemCode: 'M02', tier: 'D' })
      .expect(200);
    const first = page.body.items[0];
    expect(page.body.total).toBeGreaterThan(1);
    const res = await lead
      .post(`/api/plan-draws/${drawId}/replacements`)
      .send({
        itemCode: 'M02',
        tier: 'D',
        position: first.position,
        reason: 'not_found',
        note: '现场查无此企业',
      })
      .expect(201);
    expect(res.body.replaced).toMatchObject({
      position: first.position,
      status: 'replaced',
      replacedReason: 'not_found',
      replacedNote: '现场查无此企业',
    });
    expect(res.body.replacement).toMatchObject({
      position: page.body.total + 1,
      status: 'selected',
      replacesPosition: first.position,
    });
    expect(res.body.replacement.taskId).toEqual(expect.any(Number));
    await lead
      .post(`/api/plan-draws/${drawId}/replacements`)
      .send({ itemCode: 'M02', tier: 'D', position: first.position, reason: 'closed' })
      .expect(409);
    await lead
      .post(`/api/plan-draws/${drawId}/replacements`)
      .send({ itemCode: 'M02', tier: 'D', position: 9999, reason: 'closed' })
      .expect(404);
    await lead
      .post(`/api/plan-draws/${drawId}/replacements`)
      .send({ itemCode: 'M02', tier: 'D', position: 1, reason: 'bankrupt' })
      .expect(422);
    const v = await request(t.http).get(`/api/plan-draws/${drawId}/verification`).expect(200);
    expect(v.body.match).toBe(true);
    expect(v.body.checks.find((c: { name: string }) => c.name === 'targets').detail).toMatch(
      /1 replacements/,
    );
  });

  it('an approved recusal takes the inspector off its open tasks at the enterprise: staffed again, audited', async () => {
    const [task] = await t.dataSource.query(
      `SELECT t.id, e.uscc, ti.user_id FROM inspection_task t JOIN enterprise e ON e.id = t.enterprise_id
       JOIN inspection_task_inspector ti ON ti.task_id = t.id AND ti.role = 'assigned'
       WHERE t.department = 'market' AND t.status = 'assigned' ORDER BY t.id LIMIT 1`,
    );
    const inspector = Number(task.user_id);
    // filed as pending (the fixture's USCCs are not check-digit valid, so not through POST /api/recusals)
    const [{ id: recusalId }] = await t.dataSource.query(
      `INSERT INTO recusal (inspector_id, enterprise_id, source, reason)
       SELECT $1, enterprise_id, 'regulator', '亲属在该企业任职' FROM inspection_task WHERE id = $2 RETURNING id`,
      [inspector, task.id],
    );
    const filed = { body: { id: Number(recusalId) } };
    await lead.post(`/api/recusals/${filed.body.id}/review`).send({ decision: 'approved' }).expect(200);
    const rows: { user_id: string; role: string }[] = await t.dataSource.query(
      `SELECT user_id, role FROM inspection_task_inspector WHERE task_id = $1`,
      [task.id],
    );
    const assigned = rows.filter((r) => r.role === 'assigned').map((r) => Number(r.user_id));
    expect(assigned).toHaveLength(2);
    expect(assigned).not.toContain(inspector);
    expect(rows.find((r) => Number(r.user_id) === inspector)?.role).toMatch(/^(withdrawn|skipped_recusal)$/);
    const [audit] = await t.dataSource.query(
      `SELECT after FROM audit_log WHERE action = 'recusal.review' AND entity_id = $1`,
      [String(filed.body.id)],
    );
    expect(audit.after.restaffedTasks).toContain(Number(task.id));
  });

  it('references written in bulk are still held: a visit, draw or item in use cannot be deleted, an unused visit can (migration 1765584000300)', async () => {
    const [used] = await t.dataSource.query(
      `SELECT visit_id AS id FROM inspection_task WHERE visit_id IS NOT NULL LIMIT 1`,
    );
    expect(used).toBeDefined();
    const code = (e: unknown) => (e as { driverError?: { code?: string } }).driverError?.code;
    await expect(
      t.dataSource.query(`DELETE FROM joint_visit WHERE id = $1`, [used.id]).catch(code),
    ).resolves.toBe('23503');
    const [draw] = await t.dataSource.query(
      `SELECT draw_id AS id FROM inspection_task WHERE draw_id IS NOT NULL LIMIT 1`,
    );
    await expect(
      t.dataSource.query(`DELETE FROM plan_draw WHERE id = $1`, [draw.id]).catch(code),
    ).resolves.toBe('23503');
    const [item] = await t.dataSource.query(`SELECT item_id AS id FROM inspection_task_item LIMIT 1`);
    await expect(
      t.dataSource.query(`DELETE FROM inspection_item WHERE id = $1`, [item.id]).catch(code),
    ).resolves.toBe('23503');
    const [{ id: spare }] = await t.dataSource.query(
      `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end)
       SELECT enterprise_id, 'market', '2027-01-01', '2027-01-02' FROM inspection_task LIMIT 1 RETURNING id`,
    );
    await t.dataSource.query(`DELETE FROM joint_visit WHERE id = $1`, [spare]);
    await expect(
      t.dataSource
        .query(`UPDATE inspection_task SET visit_id = $1 WHERE id = (SELECT min(id) FROM inspection_task)`, [
          spare,
        ])
        .catch(code),
    ).resolves.toBe('23503');
  });

  it('merges are held by statement checks (migration 1765584000520); columns of few values are checked per distinct value (1765584000510), close-together ids by range (1765584000530)', async () => {
    const code = (e: unknown) => (e as { driverError?: { code?: string } }).driverError?.code;
    const [merged] = await t.dataSource.query(`SELECT visit_id, task_id FROM joint_visit_merge LIMIT 1`);
    expect(merged).toBeDefined();
    // a merge naming no task or no visit is refused, as the foreign keys refused it
    for (const [visit, task] of [
      [merged.visit_id, '999999999'],
      ['999999999', merged.task_id],
    ])
      await expect(
        t.dataSource
          .query(`INSERT INTO joint_visit_merge (visit_id, task_id, reason) VALUES ($1, $2, 'x')`, [
            visit,
            task,
          ])
          .catch(code),
      ).resolves.toBe('23503');
    // the task and the visit a merge names cannot be deleted
    await expect(
      t.dataSource.query(`DELETE FROM inspection_task WHERE id = $1`, [merged.task_id]).catch(code),
    ).resolves.toBe('23503');
    await expect(
      t.dataSource.query(`DELETE FROM joint_visit WHERE id = $1`, [merged.visit_id]).catch(code),
    ).resolves.toBe('23503');
    // one unknown inspector among many rows of known ones: found, with the message of 1765584000300
    const tasks: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM inspection_task ORDER BY id LIMIT 20`,
    );
    const err = await t.dataSource
      .query(
        `INSERT INTO inspection_task_inspector (task_id, user_id, position, role)
         SELECT id, CASE WHEN id = $2 THEN 999999999 ELSE (SELECT min(id) FROM app_user) END, 99, 'withdrawn'
         FROM inspection_task WHERE id = ANY($1::bigint[])`,
        [tasks.map((r) => r.id), tasks[7]!.id],
      )
      .catch((e: { driverError?: { code?: string; message?: string } }) => e.driverError);
    expect(err?.code).toBe('23503');
    expect(err?.message).toBe(
      'insert or update on table "inspection_task_inspector" violates a reference: user_id 999999999 is not in app_user',
    );
    // a statement of 12,000 rows whose task ids lie close together is checked by range (1765584000530):
    // all known, accepted (rolled back here); one id past the last task, refused; one far off, refused
    const merge12k = (lastTask: string) =>
      t.dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO joint_visit_merge (visit_id, task_id, reason)
           SELECT $1, CASE WHEN i = 6000 THEN $3::bigint ELSE $2::bigint END, 'x' FROM generate_series(1, 12000) AS i`,
          [merged.visit_id, merged.task_id, lastTask],
        );
        throw new Error('rollback');
      });
    const [{ max }] = await t.dataSource.query(`SELECT max(id)::text AS max FROM inspection_task`);
    await expect(merge12k(max)).rejects.toThrow('rollback');
    for (const bad of [String(Number(max) + 1), '999999999']) {
      const e = await merge12k(bad).catch(
        (x: { driverError?: { code?: string; message?: string } }) => x.driverError,
      );
      expect(e?.code).toBe('23503');
      expect(e?.message).toBe(
        `insert or update on table "joint_visit_merge" violates a reference: task_id ${bad} is not in inspection_task`,
      );
    }
  });

  it('a shortfall of inspectors is found at the commitment: a 422 naming the department, nothing saved, the batch still drawable', async () => {
    await t.dataSource.query(
      `UPDATE inspector_profile SET on_roster = false WHERE user_id IN (SELECT id FROM app_user WHERE department = 'health')`,
    );
    const s2 = randomBytes(32).toString('hex');
    const res = await lead
      .post('/api/plan-draws')
      .send({ batchId: batchIds[1], commitment: sha(s2), publicSource: '上证指数收盘' })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['inspectors.health']);
    expect(res.body.errors[0].reason).toMatch(
      /^only 0 inspector\(s\) of health on the roster are qualified for all of its items/,
    );
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM plan_draw WHERE batch_id = $1`, [
      batchIds[1],
    ]);
    expect(n).toBe(0);
    // a tier date before the current reclassification is refused too
    const old = await lead
      .post('/api/plan-draws')
      .send({
        batchId: batchIds[1],
        commitment: sha(s2),
        publicSource: '上证指数收盘',
        tierDate: '1990-01-01',
      })
      .expect(422);
    expect(old.body.errors[0]).toMatchObject({ field: 'tierDate' });
    await t.dataSource.query(
      `UPDATE inspector_profile SET on_roster = true WHERE user_id IN (SELECT id FROM app_user WHERE department = 'health')`,
    );
  });

  it('the public page shows the draw and its verification, without tiers per enterprise; lists and context', async () => {
    const page = await request(t.http)
      .get(`/public/draws/${drawId}`)
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.text).toContain('验证通过');
    expect(page.text).toContain(sha(secret));
    expect(page.text).toContain('测试企业');
    expect(page.text).not.toMatch(/<th>风险分类<\/th><th>状态<\/th>/);
    await request(t.http).get(`/public/draws/999999`).expect(404);
    await request(t.http).get(`/api/plan-draws/${drawId}`).expect(401);
    const list = await lead.get('/api/plan-draws').query({ batchId: batchIds[0] }).expect(200);
    expect(list.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: drawId })] });
    const ctx = await lead.get(`/api/plan-draw-batches/${batchIds[0]}`).expect(200);
    expect(ctx.body).toMatchObject({ mayDraw: true, draw: { id: drawId }, batch: { id: batchIds[0] } });
    expect((await fireRegulator.get(`/api/plan-draw-batches/${batchIds[0]}`).expect(200)).body.mayDraw).toBe(
      false,
    );
    const [{ actions }] = await t.dataSource.query(
      `SELECT array_agg(action ORDER BY seq) AS actions FROM audit_log WHERE entity_type = 'plan_draw' AND entity_id = $1`,
      [String(drawId)],
    );
    expect(actions).toEqual([
      'plan_draw.commit',
      'plan_draw.public_value',
      'plan_draw.reveal',
      'plan_draw.run',
      'plan_draw.replace',
    ]);
  });
});
