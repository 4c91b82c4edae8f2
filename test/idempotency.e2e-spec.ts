import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { buildUscc } from '../src/common/uscc.js';
import { loadConfig } from '../src/config/configuration.js';
import { createHttpApp } from '../src/http/http-app.js';
import { TestApp, createTestApp } from './helpers.js';

/**
 * Idempotency-Key on API writes (IETF httpapi draft; docs/security.md "Idempotency-Key"): a
 * retry answers as the first time and stores nothing twice; another request with the key 422; a
 * retry while the first runs 409; keys per user; kept in PostgreSQL, so a second instance of the
 * service replays what the first answered.
 */
describe('Idempotency-Key', () => {
  let t: TestApp;
  let n = 0;
  const newUscc = () => buildUscc('91', '310110', `KD${String(++n).padStart(6, '0')}`);
  let uscc: string;
  const record = (subject: string) => ({
    kind: 'complaint',
    recordDate: '2026-03-01',
    sourceDepartment: '杨浦区市场监督管理局',
    channel: '12315',
    subject,
  });
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.dataSource.query(sql, params))[0].n);
  const records = () =>
    count(
      `SELECT count(*) AS n FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id WHERE e.uscc = $1`,
      [uscc],
    );

  beforeAll(async () => {
    t = await createTestApp({ SCORING_LOCK_WAIT_SECONDS: '2' });
    uscc = newUscc();
    await t.admin.post('/api/enterprises').send({ uscc, name: '上海幂等测试有限公司' }).expect(201);
  });
  afterAll(() => t.close());

  it('a retried POST stores nothing twice and answers the same status and body', async () => {
    const body = { uscc: newUscc(), name: '上海重试有限公司' };
    const first = await t.admin
      .post('/api/enterprises')
      .set('Idempotency-Key', '"reg-1"')
      .send(body)
      .expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await t.admin
      .post('/api/enterprises')
      .set('Idempotency-Key', '"reg-1"')
      .send(body)
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    // without the key the repeat is refused by the register's own check (409 duplicate)
    await t.admin.post('/api/enterprises').send(body).expect(409);
    expect(await count(`SELECT count(*) AS n FROM enterprise WHERE uscc = $1`, [body.uscc])).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'enterprise.create' AND entity_id = $1`,
        [body.uscc],
      ),
    ).toBe(1);
  });

  it('a credit record posted twice with one key is stored once; without a key (and no sourceKey) twice', async () => {
    const before = await records();
    const url = `/api/enterprises/${uscc}/credit-records`;
    const a = await t.admin.post(url).set('Idempotency-Key', 'rec-1').send(record('重试')).expect(201);
    const b = await t.admin.post(url).set('Idempotency-Key', 'rec-1').send(record('重试')).expect(201);
    expect(b.body).toEqual(a.body);
    expect(b.body.created).toBe(true);
    expect(await records()).toBe(before + 1);
    await t.admin.post(url).send(record('无键')).expect(201);
    await t.admin.post(url).send(record('无键')).expect(201);
    expect(await records()).toBe(before + 3);
  });

  it('the same key with another body or another path answers 422, storing nothing', async () => {
    const url = `/api/enterprises/${uscc}/credit-records`;
    await t.admin.post(url).set('Idempotency-Key', 'rec-2').send(record('甲')).expect(201);
    const before = await records();
    const other = await t.admin.post(url).set('Idempotency-Key', 'rec-2').send(record('乙')).expect(422);
    expect(other.body.message).toMatch(/Idempotency-Key 'rec-2' was used for another request/);
    expect(other.body.errors).toEqual([
      { field: 'Idempotency-Key (header)', reason: 'used for another request' },
    ]);
    await t.admin
      .post('/api/enterprises')
      .set('Idempotency-Key', 'rec-2')
      .send({ uscc: newUscc(), name: '上海别处有限公司' })
      .expect(422);
    expect(await records()).toBe(before);
  });

  it('keys belong to their user: another user with the same key makes its own request', async () => {
    const { agent } = await t.signIn('regulator');
    const url = `/api/enterprises/${uscc}/credit-records`;
    const before = await records();
    await t.admin.post(url).set('Idempotency-Key', 'shared').send(record('各自')).expect(201);
    const theirs = await agent.post(url).set('Idempotency-Key', 'shared').send(record('各自')).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await records()).toBe(before + 2);
    // while the key's owner gets its own answer again
    const mine = await t.admin.post(url).set('Idempotency-Key', 'shared').send(record('各自')).expect(201);
    expect(mine.headers['idempotent-replayed']).toBe('true');
    expect(await records()).toBe(before + 2);
  });

  it('a retry while the first request is in flight answers 409; an answer of 500 or more releases the key', async () => {
    const url = `/api/enterprises/${uscc}/credit-records`;
    const lock = new pg.Client({ connectionString: t.url });
    await lock.connect();
    try {
      // a full rescoring holds the scoring lock: the record waits (SCORING_LOCK_WAIT_SECONDS=2)
      await lock.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('credit_score'))`);
      const first = t.admin
        .post(url)
        .set('Idempotency-Key', 'slow')
        .send(record('慢'))
        .then((r) => r);
      for (let i = 0; i < 100; i++) {
        const rows = await t.dataSource.query(`SELECT state FROM idempotency_key WHERE key = 'slow'`);
        if (rows[0]?.state === 'in_flight') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const during = await t.admin.post(url).set('Idempotency-Key', 'slow').send(record('慢'));
      expect(during.status).toBe(409);
      expect(during.body.message).toMatch(/still being processed/);
      expect((await first).status).toBe(503); // gave up waiting: nothing stored, the key released
      expect(await t.dataSource.query(`SELECT 1 FROM idempotency_key WHERE key = 'slow'`)).toEqual([]);
      await lock.query('COMMIT');
    } finally {
      await lock.end();
    }
    const before = await records();
    const retried = await t.admin.post(url).set('Idempotency-Key', 'slow').send(record('慢')).expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await records()).toBe(before + 1);
  });

  it('replays a refusal too (same 422 body); an expired key runs again', async () => {
    const bad = { uscc: 'not-a-code', name: '上海无效有限公司' };
    const first = await t.admin
      .post('/api/enterprises')
      .set('Idempotency-Key', 'bad-1')
      .send(bad)
      .expect(422);
    const again = await t.admin
      .post('/api/enterprises')
      .set('Idempotency-Key', 'bad-1')
      .send(bad)
      .expect(422);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    await t.dataSource.query(
      `UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = 'bad-1'`,
    );
    const fresh = await t.admin
      .post('/api/enterprises')
      .set('Idempotency-Key', 'bad-1')
      .send(bad)
      .expect(422);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    const [row] = await t.dataSource.query(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS ttl FROM idempotency_key WHERE key = 'bad-1'`,
    );
    expect(row.ttl).toBe(86400); // IDEMPOTENCY_KEY_TTL_SECONDS, default 24 hours
  });

  it('a PATCH is replayed too', async () => {
    const { user } = await t.signIn('inspector');
    const a = await t.admin
      .patch(`/api/users/${user.id}`)
      .set('Idempotency-Key', 'p-1')
      .send({ displayName: '一次' })
      .expect(200);
    const b = await t.admin
      .patch(`/api/users/${user.id}`)
      .set('Idempotency-Key', 'p-1')
      .send({ displayName: '一次' })
      .expect(200);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    expect(
      await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'user.update' AND entity_id = $1`, [
        String(user.id),
      ]),
    ).toBe(1);
  });

  it('refuses a malformed key, naming the header', async () => {
    for (const bad of ['', '"unterminated', 'a b', '"a", "b"', 'x'.repeat(256)]) {
      const res = await t.admin
        .post('/api/enterprises')
        .set('Idempotency-Key', bad)
        .send({ uscc: newUscc(), name: '上海坏键有限公司' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('Idempotency-Key (header)');
    }
  });

  it('a second instance of the service on the same database replays what the first answered', async () => {
    let second: INestApplication | undefined;
    try {
      second = await createHttpApp(
        t.url,
        loadConfig({
          NODE_ENV: 'test',
          LOG_LEVEL: 'error',
          DEMO_DATA: 'off',
          THROTTLE_LIMIT: '100000',
          JWT_SECRET: undefined,
        }),
      );
      await second.init();
      const url = `/api/enterprises/${uscc}/credit-records`;
      const before = await records();
      const a = await t.admin.post(url).set('Idempotency-Key', 'two-instances').send(record('两实例'));
      expect(a.status).toBe(201);
      // the same signed-in user (tokens are per process secret here: sign in on the second one)
      const login = await request(second.getHttpServer())
        .post('/api/auth/login')
        .send({ username: 'admin-1', password: 'Test-password-2026' })
        .expect(200);
      const b = await request(second.getHttpServer())
        .post(url)
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .set('Idempotency-Key', 'two-instances')
        .send(record('两实例'))
        .expect(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body).toEqual(a.body);
      expect(await records()).toBe(before + 1);
    } finally {
      await second?.close();
    }
  });

  it('the OpenAPI description documents the header on writes, and says sign-in ignores it', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body;
    const header = (op: { parameters?: { name: string; in: string }[] }) =>
      (op.parameters ?? []).some((p) => p.name === 'Idempotency-Key' && p.in === 'header');
    for (const [p, m] of [
      ['/api/enterprises', 'post'],
      ['/api/enterprises/{uscc}/credit-records', 'post'],
      ['/api/users', 'post'],
      ['/api/users/{id}', 'patch'],
      ['/api/users/{id}', 'delete'],
    ])
      expect(header(doc.paths[p][m])).toBe(true);
    expect(header(doc.paths['/api/auth/login'].post)).toBe(false);
    expect(doc.paths['/api/auth/login'].post['x-idempotency-key']).toMatch(/^ignored: /);
    expect(doc.paths['/api/enterprises'].post.responses['422'].description).toMatch(
      /Idempotency-Key used for another request/,
    );
  });
});
