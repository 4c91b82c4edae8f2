import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../src/audit/audit.service.js';
import { buildUscc } from '../src/common/uscc.js';
import { TestApp, createTestApp } from './helpers.js';

/**
 * The audit trail: written with each change in its transaction, append-only in the database,
 * hash-chained, and every kind of tampering found by the chain walk (docs/security.md).
 */
describe('audit trail', () => {
  let t: TestApp;
  let audit: AuditService;
  let n = 0;
  const uscc = () => buildUscc('91', '310110', `AU${String(++n).padStart(6, '0')}`);
  const count = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n as number;
  /** runs SQL as the database owner with the append-only triggers off (what an attacker with DBA rights does) */
  const tamper = async (sql: string) => {
    await t.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await m.query(sql);
      await m.query(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    });
  };

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.app.get(AuditService);
    for (let i = 0; i < 5; i++)
      await t.admin
        .post('/api/enterprises')
        .send({ uscc: uscc(), name: `上海审计测试${i}有限公司` })
        .expect(201);
  });
  afterAll(() => t.close());

  it('records every change with actor, entity, before/after and a gapless chain that verifies', async () => {
    const rows = await t.dataSource.query(
      `SELECT seq::int, action, entity_type, entity_id, actor, actor_role, after, prev_hash, hash FROM audit_log ORDER BY seq`,
    );
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual(rows.map((_: unknown, i: number) => i + 1));
    expect(rows[0]).toMatchObject({ action: 'scorecard.install', actor: 'startup', actor_role: 'system' });
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    const creates = rows.filter((r: { action: string }) => r.action === 'enterprise.create');
    expect(creates).toHaveLength(5);
    expect(creates[0]).toMatchObject({ entity_type: 'enterprise', actor: 'admin-1', actor_role: 'admin' });
    expect(creates[0].after.name).toBe('上海审计测试0有限公司');
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: true, entries: rows.length, head: { seq: rows.length } });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE of audit rows, whoever asks', async () => {
    for (const sql of [
      `UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1`,
      `DELETE FROM audit_log WHERE seq = 1`,
      `TRUNCATE audit_log`,
    ])
      await expect(t.dataSource.query(sql)).rejects.toThrow(/append-only/);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('finds an edited row, then a deleted one, then two rows swapped', async () => {
    const [row] = await t.dataSource.query(
      `SELECT seq::int, after FROM audit_log WHERE action = 'enterprise.create' ORDER BY seq LIMIT 1`,
    );
    const original = JSON.stringify(row.after);
    await tamper(
      `UPDATE audit_log SET after = jsonb_set(after, '{name}', '"改过的名字"') WHERE seq = ${row.seq}`,
    );
    expect(await audit.verify()).toMatchObject({
      ok: false,
      broken: { seq: row.seq, reason: expect.stringMatching(/edited/) },
    });
    await tamper(`UPDATE audit_log SET after = '${original}'::jsonb WHERE seq = ${row.seq}`);
    expect((await audit.verify()).ok).toBe(true);

    // deleted: keep the row aside, delete it, verify, put it back
    await tamper(`CREATE TABLE audit_aside AS SELECT * FROM audit_log WHERE seq = ${row.seq + 1}`);
    await tamper(`DELETE FROM audit_log WHERE seq = ${row.seq + 1}`);
    expect(await audit.verify()).toMatchObject({
      ok: false,
      broken: { seq: row.seq + 2, reason: expect.stringMatching(/missing/) },
    });
    await tamper(`INSERT INTO audit_log SELECT * FROM audit_aside; DROP TABLE audit_aside`);
    expect((await audit.verify()).ok).toBe(true);

    // reordered: swap the sequence numbers of two neighbours
    const a = row.seq + 1;
    const b = row.seq + 2;
    await tamper(`UPDATE audit_log SET seq = 1000000 WHERE seq = ${a}; UPDATE audit_log SET seq = ${a} WHERE seq = ${b};
                  UPDATE audit_log SET seq = ${b} WHERE seq = 1000000`);
    const swapped = await audit.verify();
    expect(swapped.ok).toBe(false);
    expect(swapped.broken!.seq).toBe(a);
    await tamper(`UPDATE audit_log SET seq = 1000000 WHERE seq = ${a}; UPDATE audit_log SET seq = ${a} WHERE seq = ${b};
                  UPDATE audit_log SET seq = ${b} WHERE seq = 1000000`);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('finds the newest entries removed only against a head recorded earlier', async () => {
    const before = await audit.verify();
    await t.admin.post('/api/enterprises').send({ uscc: uscc(), name: '上海审计尾部有限公司' }).expect(201);
    const head = (await audit.verify()).head;
    await tamper(`CREATE TABLE audit_tail AS SELECT * FROM audit_log WHERE seq = ${head.seq}`);
    await tamper(`DELETE FROM audit_log WHERE seq = ${head.seq}`);
    expect((await audit.verify()).ok).toBe(true); // a shorter chain is still a chain
    expect(await audit.verify(head)).toMatchObject({
      ok: false,
      broken: { reason: expect.stringMatching(/before the recorded head/) },
    });
    expect((await audit.verify(before.head)).ok).toBe(true);
    await tamper(`INSERT INTO audit_log SELECT * FROM audit_tail; DROP TABLE audit_tail`);
    expect((await audit.verify(head)).ok).toBe(true);
  });

  it('a change and its entry commit together: a failed change writes no entry, a failed entry undoes the change', async () => {
    const n0 = await count();
    await t.admin
      .post(`/api/enterprises/${buildUscc('91', '310110', 'NAHERE01')}/credit-records`)
      .send({
        kind: 'complaint',
        recordDate: '2026-01-02',
        sourceDepartment: '12315',
        channel: '12315',
        subject: 'x',
      })
      .expect(404);
    const taken = (await t.dataSource.query(`SELECT uscc FROM enterprise LIMIT 1`))[0].uscc;
    await t.admin.post('/api/enterprises').send({ uscc: taken, name: '重复' }).expect(409);
    expect(await count()).toBe(n0);

    // make the audit insert fail for registrations: the registration must not be stored either
    await t.dataSource.query(
      `ALTER TABLE audit_log ADD CONSTRAINT test_refuse CHECK (action <> 'enterprise.create') NOT VALID`,
    );
    try {
      const code = uscc();
      const res = await t.admin.post('/api/enterprises').send({ uscc: code, name: '上海审计失败有限公司' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await t.dataSource.query(`SELECT 1 FROM enterprise WHERE uscc = $1`, [code])).toHaveLength(0);
      expect(await count()).toBe(n0);
    } finally {
      await t.dataSource.query(`ALTER TABLE audit_log DROP CONSTRAINT test_refuse`);
    }
  });

  it('concurrent changes get one gapless chain', async () => {
    const n0 = await count();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.admin.post('/api/enterprises').send({ uscc: uscc(), name: `上海并发${i}有限公司` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await count()).toBe(n0 + 20);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('GET /api/audit filters by entity, actor, action and time; a regulator sees its department only', async () => {
    const code = uscc();
    await t.admin.post('/api/enterprises').send({ uscc: code, name: '上海过滤测试有限公司' }).expect(201);
    const byEntity = await t.admin.get(`/api/audit?entityType=enterprise&entityId=${code}`).expect(200);
    expect(byEntity.body.total).toBe(1);
    expect(byEntity.body.items[0]).toMatchObject({
      action: 'enterprise.create',
      actor: 'admin-1',
      entityId: code,
    });
    const page = await t.admin.get('/api/audit?action=enterprise.create&pageSize=2&page=2').expect(200);
    expect(page.body).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].seq).toBeGreaterThan(page.body.items[1].seq);
    const future = await t.admin.get('/api/audit?from=2999-01-01T00:00:00Z').expect(200);
    expect(future.body.total).toBe(0);
    await t.admin.get('/api/audit?from=yesterday').expect(422);

    const market = await t.signIn('regulator', { department: 'market' });
    const health = await t.signIn('regulator', { department: 'health' });
    await market.agent
      .post(`/api/enterprises/${code}/credit-records`)
      .send({
        kind: 'complaint',
        recordDate: '2026-05-01',
        sourceDepartment: '杨浦区市场监督管理局',
        channel: '12315',
        subject: 'x',
      })
      .expect(201);
    const seenByHealth = await health.agent.get('/api/audit').expect(200);
    expect(
      seenByHealth.body.items.every((e: { actorDepartment: string }) => e.actorDepartment === 'health'),
    ).toBe(true);
    const seenByMarket = await market.agent.get('/api/audit?action=credit_record.create').expect(200);
    expect(seenByMarket.body.total).toBe(1);
    const all = await t.admin.get('/api/audit/verify').expect(200);
    expect(all.body).toMatchObject({ ok: true });
  });
});
