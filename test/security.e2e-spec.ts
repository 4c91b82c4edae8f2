import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';
import { systemActor } from '../src/audit/actor.js';
import { buildUscc } from '../src/common/uscc.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { APP_CONFIG } from '../src/config/config.token.js';
import { AppConfig, loadConfig } from '../src/config/configuration.js';
import { TEST_PASSWORD, TestApp, createTestApp, freshDatabase } from './helpers.js';

const USCC = '91310115MA1FL8Q20P';
const OTHER = '91350200776049653A';

describe('sign-in, tokens, scopes and hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      LOGIN_THROTTLE_LIMIT: '3',
      CORS_ORIGINS: 'https://ok.example',
    });
    await t.admin.post('/api/enterprises').send({ uscc: USCC, name: '上海甲有限公司' }).expect(201);
    await t.admin.post('/api/enterprises').send({ uscc: OTHER, name: '上海乙有限公司' }).expect(201);
  });
  afterAll(() => t.close());

  const audit = async (action: string) =>
    t.dataSource.query(`SELECT * FROM audit_log WHERE action = $1 ORDER BY seq`, [action]);

  it('signs in with the right password, and refuses a wrong one or an unknown user alike (audited)', async () => {
    const { user } = await t.signIn('inspector');
    const ok = await request(t.http)
      .post('/api/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    expect(ok.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { username: user.username, role: 'inspector' },
    });
    const me = await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${ok.body.accessToken}`)
      .expect(200);
    expect(me.body.username).toBe(user.username);
    const wrong = await request(t.http)
      .post('/api/auth/login')
      .send({ username: user.username, password: 'Wrong-pass-2026' });
    const unknown = await request(t.http)
      .post('/api/auth/login')
      .send({ username: 'nobody-here', password: 'Wrong-pass-2026' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
    const failed = await audit('auth.login_failed');
    expect(failed.map((f: { actor: string }) => f.actor)).toEqual(
      expect.arrayContaining([user.username, 'nobody-here']),
    );
    expect((await audit('auth.login')).some((e: { actor: string }) => e.actor === user.username)).toBe(true);
  });

  it('throttles password guessing per address and username: 429 after the limit, even for the right password', async () => {
    const { user } = await t.signIn('regulator');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await request(t.http)
            .post('/api/auth/login')
            .send({ username: user.username, password: `Guess-${i}-2026x` })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await request(t.http)
      .post('/api/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, errors: [{ field: '(request)' }] });
    // another user from the same address is not blocked
    const other = await t.signIn('regulator');
    await request(t.http)
      .post('/api/auth/login')
      .send({ username: other.user.username, password: TEST_PASSWORD })
      .expect(200);
  });

  it('API answers are never cached (Cache-Control: no-store), errors and downloads included; pages are revalidated', async () => {
    for (const path of [
      '/api/enterprises',
      '/api/enterprises/export.csv',
      '/api/auth/me',
      '/api/no-such-thing',
    ])
      expect((await t.admin.get(path)).headers['cache-control']).toBe('no-store');
    expect((await request(t.http).get('/api/auth/me').expect(401)).headers['cache-control']).toBe('no-store');
  });

  it('an expired token answers 401 and says so', async () => {
    const { user } = await t.signIn('inspector');
    // a token as login issues it, with a lifetime of 1 s instead of JWT_TTL_SECONDS
    const token = await t.app
      .get(JwtService)
      .signAsync({ sub: String(user.id), ver: 0, role: 'inspector' }, { expiresIn: 1 });
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    await new Promise((r) => setTimeout(r, 2100));
    const res = await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it('refuses tokens signed with another secret, with another algorithm, or malformed', async () => {
    const { user } = await t.signIn('admin');
    const forged = await new JwtService({ secret: 'x'.repeat(40) }).signAsync(
      { sub: String(user.id), ver: 0, role: 'admin' },
      { issuer: 'credit-supervision', audience: 'credit-supervision-api', expiresIn: 60 },
    );
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: String(user.id),
        ver: 0,
        role: 'admin',
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString('base64url')}.`;
    for (const bad of [forged, none, 'garbage'])
      await request(t.http).get('/api/users').set('Authorization', `Bearer ${bad}`).expect(401);
    await request(t.http).get('/api/users').set('Authorization', 'Basic abc').expect(401);
  });

  it("a deleted user's token stops working at once; so does one issued before a password change", async () => {
    const victim = await t.signIn('inspector');
    await victim.agent.get('/api/auth/me').expect(200);
    await t.admin.delete(`/api/users/${victim.user.id}`).expect(204);
    const res = await victim.agent.get('/api/auth/me').expect(401);
    expect(res.body.message).toMatch(/no longer applies/);
    await t.admin.get(`/api/users/${victim.user.id}`).expect(404);

    const changer = await t.signIn('regulator');
    const changed = await changer.agent
      .post('/api/auth/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Brand-new-pass-7' })
      .expect(200);
    await changer.agent.get('/api/auth/me').expect(401);
    await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${changed.body.accessToken}`)
      .expect(200);
    await changer.agent
      .post('/api/auth/password')
      .send({ currentPassword: 'wrong-one-123', newPassword: 'Brand-new-pass-8' })
      .expect(401);
  });

  it('the last admin cannot be deleted; users are checked by role', async () => {
    const admins = (await t.admin.get('/api/users?role=admin').expect(200)).body.items;
    for (const a of admins.slice(1)) await t.admin.delete(`/api/users/${a.id}`).expect(204);
    const res = await t.admin.delete(`/api/users/${admins[0].id}`).expect(409);
    expect(res.body.message).toMatch(/last admin/);
    const bad = await t.admin
      .post('/api/users')
      .send({ username: 'insp-x', password: 'short', displayName: 'x', role: 'inspector' })
      .expect(422);
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['credentialNo', 'department', 'password']);
    await t.admin
      .post('/api/users')
      .send({
        username: 'ent-x',
        password: 'Good-pass-2026',
        displayName: 'x',
        role: 'enterprise',
        uscc: '91310000000000000X',
      })
      .expect(422);
  });

  it('an enterprise user sees only its own enterprise: another answers 404 like an unknown one, and is audited', async () => {
    const { agent, user } = await t.signIn('enterprise', { uscc: USCC });
    await agent.get(`/api/enterprises/${USCC}/credit-records`).expect(200);
    const other = await agent.get(`/api/enterprises/${OTHER}`).expect(404);
    const absent = buildUscc('91', '310110', 'ABCENT01');
    const unknown = await agent.get(`/api/enterprises/${absent}`).expect(404);
    expect(other.body.message).toBe(`enterprise ${OTHER} is not in the register`);
    expect(unknown.body.message).toBe(`enterprise ${absent} is not in the register`);
    await agent.get('/api/enterprises').expect(403);
    const denied = await t.dataSource.query(
      `SELECT * FROM audit_log WHERE action = 'access.denied' AND actor_id = $1 ORDER BY seq`,
      [user.id],
    );
    expect(
      denied.map((d: { entity_type: string; entity_id: string }) => [d.entity_type, d.entity_id]),
    ).toEqual([
      ['enterprise', OTHER],
      ['enterprise', absent],
      ['endpoint', 'GET /api/enterprises'],
    ]);
  });

  it('a regulator adds records of its own department only, and registers enterprises only in market supervision', async () => {
    const health = await t.signIn('regulator', { department: 'health' });
    const record = { kind: 'complaint', recordDate: '2026-03-01', channel: '12345', subject: '卫生投诉' };
    const refused = await health.agent
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({ ...record, sourceDepartment: '杨浦区市场监督管理局' })
      .expect(403);
    expect(refused.body.message).toMatch(/杨浦区卫生健康委员会/);
    await health.agent
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({ ...record, sourceDepartment: '杨浦区卫生健康委员会' })
      .expect(201);
    await health.agent
      .post('/api/enterprises')
      .send({ uscc: buildUscc('91', '310110', 'HEALTH01'), name: '上海丙有限公司' })
      .expect(403);
    // the lists and registration changes are the registration authority's records
    for (const own of [
      { kind: 'registration_change', recordDate: '2026-03-01', changeItem: 'address' },
      { kind: 'listing', recordDate: '2026-03-01', listType: 'serious', listedOn: '2026-03-01' },
    ]) {
      const kindRefused = await health.agent
        .post(`/api/enterprises/${USCC}/credit-records`)
        .send({ ...own, sourceDepartment: '杨浦区卫生健康委员会' })
        .expect(403);
      expect(kindRefused.body.message).toMatch(
        new RegExp(`^${own.kind} records are issued by market only \\(.+\\), not by health$`),
      );
    }
    const market = await t.signIn('regulator', { department: 'market' });
    await market.agent
      .post(`/api/enterprises/${USCC}/credit-records`)
      .send({
        kind: 'registration_change',
        recordDate: '2026-03-01',
        changeItem: 'address',
        sourceDepartment: '杨浦区市场监督管理局',
      })
      .expect(201);
  });

  it('an endpoint that declares no roles is closed to everyone, admins included', async () => {
    @Controller('api/undeclared')
    class UndeclaredController {
      @Get()
      get() {
        return { open: true };
      }
    }
    const db = await freshDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.forRoot({
          databaseUrl: db.url,
          config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', DEMO_DATA: 'off', BCRYPT_ROUNDS: '4' }),
        }),
      ],
      controllers: [UndeclaredController],
    }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      await request(app.getHttpServer()).get('/api/undeclared').expect(401);
      const { UsersService } = await import('../src/auth/users.service.js');
      const { AuthService } = await import('../src/auth/auth.service.js');
      const { systemActor } = await import('../src/audit/actor.js');
      const admin = await app
        .get(UsersService)
        .create(
          { username: 'root', password: TEST_PASSWORD, displayName: 'r', role: 'admin' },
          systemActor('test'),
        );
      const { accessToken } = await app.get(AuthService).issue(admin, 0);
      const res = await request(app.getHttpServer())
        .get('/api/undeclared')
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(403);
      expect(res.body.message).toMatch(/declares no roles/);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('sends security headers, a request id, CORS only to configured origins, and refuses oversized bodies', async () => {
    const res = await request(t.http).get('/health').set('X-Request-Id', 'req-test-1').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers['x-request-id']).toBe('req-test-1');
    expect((await request(t.http).get('/health')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const ok = await request(t.http).get('/health').set('Origin', 'https://ok.example');
    expect(ok.headers['access-control-allow-origin']).toBe('https://ok.example');
    const evil = await request(t.http).get('/health').set('Origin', 'https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const big = await t.admin
      .post('/api/enterprises')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ uscc: USCC, name: 'x'.repeat(1.1 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ statusCode: 413 });
  });

  it('audit entries of a request carry its request id and actor', async () => {
    const { agent, user } = await t.signIn('regulator');
    await agent
      .post(`/api/enterprises/${USCC}/credit-records`)
      .set('X-Request-Id', 'req-audit-42')
      .send({
        kind: 'complaint',
        recordDate: '2026-04-01',
        sourceDepartment: '杨浦区市场监督管理局',
        channel: '12315',
        subject: 'x',
      })
      .expect(201);
    const [e] = await t.dataSource.query(`SELECT * FROM audit_log WHERE request_id = 'req-audit-42'`);
    expect(e).toMatchObject({
      action: 'credit_record.create',
      entity_type: 'credit_record',
      actor: user.username,
      actor_role: 'regulator',
      actor_department: 'market',
    });
    expect(e.after.uscc).toBe(USCC);
  });
  it('a password typed as a username, or control characters, are neither looked up nor kept', async () => {
    for (const username of ['My-Secret-Pass-1', 'bad\u0000name', 'x\ud800'])
      await request(t.http).post('/api/auth/login').send({ username, password: 'whatever-123' }).expect(401);
    const rows = await t.dataSource.query(
      `SELECT actor, after FROM audit_log WHERE action = 'auth.login_failed' AND actor = '(not a username)'`,
    );
    expect(rows).toHaveLength(3);
    expect(JSON.stringify(rows)).not.toContain('My-Secret-Pass-1');
  });

  it('refuses tokens without an expiry or with malformed claims, even when signed with the secret', async () => {
    const { user } = await t.signIn('admin');
    const jwt = t.app.get(JwtService);
    const sign = (claims: object, opts: object = { expiresIn: 60 }) => jwt.signAsync(claims, opts);
    const bad = [
      // no exp: signed with the service's secret, issuer and audience, without a lifetime
      await new JwtService({ secret: t.app.get<AppConfig>(APP_CONFIG).JWT_SECRET }).signAsync(
        { sub: String(user.id), ver: 0, role: 'admin' },
        { issuer: 'credit-supervision', audience: 'credit-supervision-api' },
      ),
      await sign({ sub: 'abc', ver: 0, role: 'admin' }),
      await sign({ sub: '1e400', ver: 0, role: 'admin' }),
      await sign({ sub: String(user.id), role: 'admin' }),
      await sign({ sub: String(user.id), ver: null, role: 'admin' }),
      await sign({ sub: String(user.id), ver: '0', role: 'admin' }),
    ];
    for (const token of bad)
      await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    const good = await sign({ sub: String(user.id), ver: 0, role: 'admin' });
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${good}`).expect(200);
  });

  it('wrong current passwords are audited and throttled', async () => {
    const { agent, user } = await t.signIn('inspector');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await agent
            .post('/api/auth/password')
            .send({ currentPassword: `Wrong-${i}-pass`, newPassword: 'Brand-new-pass-9' })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
    const failed = await t.dataSource.query(
      `SELECT 1 FROM audit_log WHERE action = 'auth.password_change_failed' AND actor_id = $1`,
      [user.id],
    );
    expect(failed).toHaveLength(3);
  });

  it("a regulator's records live in its department's source namespace; a repeat writes nothing", async () => {
    const { agent } = await t.signIn('regulator');
    const body = {
      kind: 'commendation',
      recordDate: '2026-02-01',
      sourceDepartment: '杨浦区市场监督管理局',
      subject: '守合同重信用',
      sourceSystem: 'health-feed',
      sourceKey: 'HW-2026-0042',
    };
    const first = await agent.post(`/api/enterprises/${USCC}/credit-records`).send(body).expect(201);
    expect(first.body.record.sourceSystem).toBe('market/health-feed');
    const counts = async () =>
      (
        await t.dataSource.query(
          `SELECT (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM scoring_run)::int AS runs`,
        )
      )[0];
    const before = await counts();
    const again = await agent.post(`/api/enterprises/${USCC}/credit-records`).send(body).expect(201);
    expect(again.body).toMatchObject({ created: false, record: { id: first.body.record.id } });
    expect(await counts()).toEqual(before);
  });

  it('caps failed sign-ins per address whatever the username (each costs a bcrypt comparison)', async () => {
    // LOGIN_THROTTLE_LIMIT is 3 here: 18 failures per address; earlier tests used some already
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push(
        (
          await request(t.http)
            .post('/api/auth/login')
            .send({ username: `spray-${i}`, password: 'Spray-pass-2026' })
        ).status,
      );
    expect(statuses).toContain(429);
    expect(statuses.slice(statuses.indexOf(429)).every((s) => s === 429)).toBe(true);
  });
});

describe('configuration in production', () => {
  const sealing = 'Rk3Wq9Zx2Lm7Vb5Nc8Hd4Tj6Gf1Ys0Pa';
  const prod = (env: Record<string, string>) => () =>
    loadConfig({ NODE_ENV: 'production', CHECK_CODE_KEY_SECRET: sealing, ...env });
  it('refuses to start without a JWT secret, with a short or weak one, or with weak bcrypt or CORS *', () => {
    expect(prod({})).toThrow(/JWT_SECRET: required in production/);
    expect(prod({ JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(prod({ JWT_SECRET: 'changeme'.repeat(5) })).toThrow(/too weak/);
    expect(prod({ JWT_SECRET: 'ab'.repeat(20) })).toThrow(/too weak/);
    expect(prod({ JWT_SECRET: 'abcdefghijklmnopqrstuvwxyz012345' })).toThrow(/too weak/);
    expect(prod({ JWT_SECRET: '0123456789abcdef0123456789abcdef' })).toThrow(/too weak/);
    expect(prod({ JWT_SECRET: ' '.repeat(32) + 'q8Vw1Zr4Tn0Yx6Lp' })).toThrow(/too weak/);
    const strong = 'q8Vw1Zr4Tn0Yx6Lp2Ks9Hd3Mb7Gc5JfA';
    expect(prod({ JWT_SECRET: strong, BCRYPT_ROUNDS: '8' })).toThrow(/BCRYPT_ROUNDS/);
    expect(prod({ JWT_SECRET: strong, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(prod({ JWT_SECRET: strong })().JWT_SECRET).toBe(strong);
  });
  it('refuses to start without an inspection-code sealing secret, a weak one, or the JWT secret again', () => {
    const strong = 'q8Vw1Zr4Tn0Yx6Lp2Ks9Hd3Mb7Gc5JfA';
    expect(prod({ JWT_SECRET: strong, CHECK_CODE_KEY_SECRET: '' })).toThrow(
      /CHECK_CODE_KEY_SECRET: required in production/,
    );
    expect(prod({ JWT_SECRET: strong, CHECK_CODE_KEY_SECRET: 'short' })).toThrow(
      /CHECK_CODE_KEY_SECRET: at least 32/,
    );
    expect(prod({ JWT_SECRET: strong, CHECK_CODE_KEY_SECRET: 'changeme'.repeat(5) })).toThrow(
      /CHECK_CODE_KEY_SECRET: too weak/,
    );
    expect(prod({ JWT_SECRET: strong, CHECK_CODE_KEY_SECRET: strong })).toThrow(
      /must differ from JWT_SECRET/,
    );
    expect(prod({ JWT_SECRET: strong })().CHECK_CODE_KEY_SECRET).toBe(sealing);
  });
  it('outside production a missing secret becomes a random one', () => {
    const a = loadConfig({ NODE_ENV: 'development' }).JWT_SECRET!;
    const b = loadConfig({ NODE_ENV: 'development' }).JWT_SECRET!;
    expect(a.length).toBeGreaterThanOrEqual(48);
    expect(a).not.toBe(b);
  });
});

describe('demo data in production', () => {
  it('is refused: demo users have published passwords', async () => {
    const t = await createTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'q8Vw1Zr4Tn0Yx6Lp2Ks9Hd3Mb7Gc5JfA',
      CHECK_CODE_KEY_SECRET: 'Rk3Wq9Zx2Lm7Vb5Nc8Hd4Tj6Gf1Ys0Pa',
      BCRYPT_ROUNDS: '10',
    });
    try {
      await expect(loadDemoData(t.app, 20, true, systemActor('test'))).rejects.toThrow(
        /never loaded in production/,
      );
      expect(
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE username LIKE 'demo-%'`))[0]
          .n,
      ).toBe(0);
    } finally {
      await t.close();
    }
  });
});
