import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/auth/auth.module.js';
import { loadConfig } from '../src/config/configuration.js';
import { createHttpApp } from '../src/http/http-app.js';
import { PostgresRateLimitStore } from '../src/http/rate-limit-store.js';
import { TEST_PASSWORD, TestApp, createTestApp } from './helpers.js';

// Small figures so that a few requests reach them; both instances share one secret, as a
// deployment of several instances must
const ENV = {
  THROTTLE_LIMIT: '5',
  THROTTLE_ANONYMOUS_LIMIT: '4',
  LOGIN_THROTTLE_LIMIT: '3',
  JWT_SECRET: 'rate-limit-test-secret-7f3a9c2e1b5d8046',
};

describe('rate limits: per user, per address, /health outside, shared across instances', () => {
  let t: TestApp;
  /** a second instance of the service on the same database */
  let other: INestApplication;
  beforeAll(async () => {
    t = await createTestApp(ENV);
    other = await createHttpApp(
      t.url,
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', BCRYPT_ROUNDS: '4', ...ENV }),
    );
    await other.init();
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });
  // every test starts with fresh windows (all requests come from 127.0.0.1)
  beforeEach(() => t.dataSource.query(`DELETE FROM rate_limit_counter`));

  const me = (http: unknown, token?: string) => {
    const r = request(http as never).get('/api/auth/me');
    return token === undefined ? r : r.set('Authorization', `Bearer ${token}`);
  };
  const statuses = async (n: number, send: () => PromiseLike<{ status: number }>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).status);
    return out;
  };

  it('two users behind one address do not lock each other out: each has its own count', async () => {
    const a = await t.signIn('inspector');
    const b = await t.signIn('regulator');
    expect(await statuses(6, () => me(t.http, a.token))).toEqual([200, 200, 200, 200, 200, 429]);
    const blocked = await me(t.http, a.token);
    expect(blocked.body).toMatchObject({
      statusCode: 429,
      message: expect.stringMatching(/this user: at most 5 a minute/),
    });
    expect(blocked.headers['ratelimit-policy']).toMatch(/q=5; w=60/);
    expect(await statuses(5, () => me(t.http, b.token))).toEqual([200, 200, 200, 200, 200]);
    // nor the address's anonymous requests (sign-in)
    await request(t.http)
      .post('/api/auth/login')
      .send({ username: b.user.username, password: TEST_PASSWORD })
      .expect(200);
  });

  it('a forged token naming a user counts against its address, never against that user', async () => {
    const victim = await t.signIn('inspector');
    const forged = await new JwtService({ secret: 'not-the-service-secret-0000000000' }).signAsync(
      { sub: String(victim.user.id), ver: 0, role: 'admin' },
      { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: 600 },
    );
    expect(await statuses(5, () => me(t.http, forged))).toEqual([401, 401, 401, 401, 429]);
    const anonymous = await me(t.http);
    expect(anonymous.status).toBe(429);
    expect(anonymous.body.message).toMatch(/without sign-in from this address: at most 4 a minute/);
    expect(await statuses(5, () => me(t.http, victim.token))).toEqual([200, 200, 200, 200, 200]);
    // garbage in the header is anonymous too
    expect((await me(t.http, 'not.a.token')).status).toBe(429);
  });

  it('/health answers during a burst from its address', async () => {
    expect(await statuses(5, () => me(t.http))).toEqual([401, 401, 401, 401, 429]);
    for (const path of ['/health', '/health/', '/HEALTH'])
      expect((await request(t.http).get(path)).status).toBe(200);
    const health = await request(t.http).get('/health').expect(200);
    expect(health.headers['ratelimit']).toBeUndefined();
    // and a signed-in user's burst leaves it alone as well
    const a = await t.signIn('inspector');
    expect((await statuses(6, () => me(t.http, a.token))).at(-1)).toBe(429);
    await request(t.http).get('/health').expect(200);
  });

  it('two instances on one database share the count, per user and per address', async () => {
    const a = await t.signIn('inspector');
    const one = await statuses(3, () => me(t.http, a.token));
    const two = await statuses(3, () => me(other.getHttpServer(), a.token));
    expect([...one, ...two]).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await me(t.http, a.token)).status).toBe(429);
    const anon = [
      ...(await statuses(2, () => me(t.http))),
      ...(await statuses(3, () => me(other.getHttpServer()))),
    ];
    expect(anon).toEqual([401, 401, 401, 401, 429]);
  });

  it('failed sign-ins are still limited per address and username, across instances, even for the right password', async () => {
    const { user } = await t.signIn('regulator');
    const login = (http: unknown, password: string) =>
      request(http as never)
        .post('/api/auth/login')
        .send({ username: user.username, password });
    await t.dataSource.query(`DELETE FROM rate_limit_counter`);
    expect((await login(t.http, 'Wrong-guess-1-2026')).status).toBe(401);
    expect((await login(other.getHttpServer(), 'Wrong-guess-2-2026')).status).toBe(401);
    // the anonymous limit (4) is not what refuses here: start its window afresh
    await t.dataSource.query(`DELETE FROM rate_limit_counter WHERE key LIKE 'address:%'`);
    expect((await login(t.http, 'Wrong-guess-3-2026')).status).toBe(401);
    const blocked = await login(other.getHttpServer(), TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.message).toMatch(/too many failed sign-ins for this user from this address/);
  });

  it('counts failed sign-ins whatever the username holds (a NUL, 100,000 characters): keys are digests', async () => {
    for (const username of ['bad\u0000name', 'x'.repeat(100_000)]) {
      await t.dataSource.query(`DELETE FROM rate_limit_counter`);
      const login = () =>
        request(t.http).post('/api/auth/login').send({ username, password: 'Wrong-guess-2026' });
      // refused (401, or 422 for a username past its length), each failure counted
      expect([401, 422]).toContain((await login()).status);
      expect([401, 422]).toContain((await login()).status);
      await t.dataSource.query(`DELETE FROM rate_limit_counter WHERE key LIKE 'address:%'`);
      expect([401, 422]).toContain((await login()).status);
      const blocked = await login();
      expect(blocked.status).toBe(429);
      expect(blocked.body.message).toMatch(/too many failed sign-ins for this user from this address/);
    }
    const keys = (await t.dataSource.query(`SELECT key FROM rate_limit_counter`)) as { key: string }[];
    for (const { key } of keys) expect(key).toMatch(/^[a-z0-9-]+:[A-Za-z0-9_-]{43}$/);
  });

  it('lets requests through when the counters cannot be written (the request meets the database anyway)', async () => {
    const a = await t.signIn('inspector');
    await t.dataSource.query(`ALTER TABLE rate_limit_counter RENAME TO rate_limit_counter_away`);
    try {
      expect(await statuses(7, () => me(t.http, a.token))).toEqual([200, 200, 200, 200, 200, 200, 200]);
    } finally {
      await t.dataSource.query(`ALTER TABLE rate_limit_counter_away RENAME TO rate_limit_counter`);
    }
    expect((await me(t.http, a.token)).status).toBe(200);
  });

  describe('the store', () => {
    const store = (windowMs: number) => {
      const s = new PostgresRateLimitStore('store-test', (sql, params) => t.dataSource.query(sql, params));
      s.init({ windowMs } as never);
      return s;
    };

    it('counts concurrent hits exactly once each (one atomic upsert)', async () => {
      const s = store(60_000);
      const hits = await Promise.all(Array.from({ length: 60 }, () => s.increment('k')));
      expect(hits.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      expect(new Set(hits.map((h) => h.resetTime!.getTime())).size).toBe(1);
      expect((await s.get('k'))?.totalHits).toBe(60);
    });

    it('opens a new window after the last one ended; decrements and resets', async () => {
      const s = store(300);
      await s.increment('w');
      await s.increment('w');
      await s.decrement('w');
      expect((await s.get('w'))?.totalHits).toBe(1);
      await new Promise((r) => setTimeout(r, 400));
      expect(await s.get('w')).toBeUndefined();
      expect((await s.increment('w')).totalHits).toBe(1);
      await s.resetKey('w');
      expect(await s.get('w')).toBeUndefined();
      expect(() => new PostgresRateLimitStore('bad prefix', async () => [])).toThrow(
        /letters, digits and - only/,
      );
    });
  });
});
