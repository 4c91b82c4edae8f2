import { menuFor } from '../src/auth/menu.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { TEST_PASSWORD, TestApp, createTestApp } from './helpers.js';

/**
 * Browser sessions (docs/security.md "Browser sessions"): the cookie, the CSRF token, the idle
 * timeout and absolute lifetime, signing out (here and everywhere), the password change from a
 * session, deactivated users, the menu per role, and the rate limits of cookie requests.
 */
const USCC = '91310115MA1FL8Q20P';
const CSRF_REFUSED = 'CSRF token missing or wrong: reload the page';
const secretOf = (cookie: string) => /^sv_session=([^;]+)/.exec(cookie)![1]!;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

describe('browser sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.admin.post('/api/enterprises').send({ uscc: USCC, name: '上海会话测试有限公司' }).expect(201);
  });
  afterAll(() => t.close());

  const audit = (action: string, userId: number) =>
    t.dataSource.query(`SELECT * FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY seq`, [
      action,
      String(userId),
    ]);

  it('signs in by cookie: HttpOnly, SameSite=Strict, Path=/, only digests stored, audited with the digest prefix', async () => {
    const { user, cookie, session } = await t.signInSession('regulator');
    expect(cookie).toMatch(/^sv_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Expires=/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP, SESSION_COOKIE_SECURE=false
    expect(session).toMatchObject({
      user: { id: user.id, role: 'regulator', active: true },
      idleTimeoutSeconds: 30 * 60,
      // the regulator's items (src/auth/menu.ts; menu.spec.ts checks each one's roles)
      menu: menuFor('regulator').map(({ key, title, path }) => ({ key, title, path })),
      settings: { enterpriseTierVisible: false, district: '杨浦区' },
    });
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hours = (Date.parse(session.expiresAt as string) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const secret = secretOf(cookie);
    const [row] = await t.dataSource.query(
      `SELECT secret_digest, csrf_digest, client_address, user_agent FROM user_session WHERE user_id = $1`,
      [user.id],
    );
    expect(row.secret_digest).toEqual(sha256(secret));
    expect(row.csrf_digest).toEqual(sha256(session.csrfToken as string));
    expect(JSON.stringify(await t.dataSource.query(`SELECT * FROM user_session`))).not.toContain(secret);
    const [login] = await audit('auth.login', user.id);
    expect(login.after).toEqual({ session: sha256(secret).toString('hex').slice(0, 12) });
  });

  it('GET /api/auth/session answers the same SessionView for the cookie, 401 without one or with a Bearer token', async () => {
    const { agent, csrf, user } = await t.signInSession('inspector');
    const res = await agent.get('/api/auth/session').expect(200);
    expect(res.body).toMatchObject({ csrfToken: csrf, user: { id: user.id } });
    expect(res.body.menu.map((m: { key: string }) => m.key)).toEqual([
      'my-tasks',
      'enterprises',
      'lenient-enforcement',
      'inspection-items',
      'recusals',
      'account',
    ]);
    await request(t.http).get('/api/auth/session').expect(401);
    const bearer = await t.admin.get('/api/auth/session').expect(401);
    expect(bearer.body.message).toMatch(/no browser session/);
    const forged = await request(t.http)
      .get('/api/auth/session')
      .set('Cookie', `sv_session=${'A'.repeat(43)}`)
      .expect(401);
    expect(forged.body.message).toMatch(/sign in again/);
  });

  it('refuses a write without the CSRF token or with a wrong one, and takes it with the right one', async () => {
    const { agent, csrf } = await t.signInSession('admin');
    const none = await agent.patch('/api/settings').send({ sessionIdleMinutes: 30 }).expect(403);
    expect(none.body.message).toBe(CSRF_REFUSED);
    const wrong = await agent
      .patch('/api/settings')
      .set('X-CSRF-Token', csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A'))
      .send({ sessionIdleMinutes: 30 })
      .expect(403);
    expect(wrong.body.message).toBe(CSRF_REFUSED);
    await agent.patch('/api/settings').set('X-CSRF-Token', csrf).send({ sessionIdleMinutes: 30 }).expect(200);
    // reads need no token; a Bearer write needs none either
    await agent.get('/api/settings').expect(200);
    await t.admin.patch('/api/settings').send({ sessionIdleMinutes: 30 }).expect(200);
  });

  it('refuses a cookie request from another origin, and a sign-in from one', async () => {
    const { agent, csrf } = await t.signInSession('regulator');
    const res = await agent.get('/api/auth/session').set('Origin', 'https://evil.example').expect(403);
    expect(res.body.message).toMatch(/evil\.example/);
    await agent
      .get('/api/auth/session')
      .set('Host', 'workbench.example:8080')
      .set('Origin', 'http://workbench.example:8080')
      .expect(200);
    await agent.delete('/api/auth/session').set('X-CSRF-Token', csrf).set('Origin', 'null').expect(403);
    const { user } = await t.signIn('inspector');
    await request(t.http)
      .post('/api/auth/session')
      .set('Origin', 'https://evil.example')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(403);
  });

  it('writes last-seen at most once a minute and ends a session after the idle timeout set by the admin', async () => {
    const { agent, user } = await t.signInSession('inspector');
    const lastSeen = async () =>
      (await t.dataSource.query(`SELECT last_seen_at FROM user_session WHERE user_id = $1`, [user.id]))[0]
        .last_seen_at as Date;
    const first = await lastSeen();
    await agent.get('/api/auth/me').expect(200);
    expect(await lastSeen()).toEqual(first);
    await t.dataSource.query(
      `UPDATE user_session SET last_seen_at = last_seen_at - interval '2 minutes' WHERE user_id = $1`,
      [user.id],
    );
    await agent.get('/api/auth/me').expect(200);
    expect((await lastSeen()).getTime()).toBeGreaterThan(first.getTime() - 1000);

    await t.admin.patch('/api/settings').send({ sessionIdleMinutes: 5 }).expect(200);
    await t.dataSource.query(
      `UPDATE user_session SET last_seen_at = now() - interval '4 minutes' WHERE user_id = $1`,
      [user.id],
    );
    await agent.get('/api/auth/session').expect(200);
    await t.dataSource.query(
      `UPDATE user_session SET last_seen_at = now() - interval '6 minutes' WHERE user_id = $1`,
      [user.id],
    );
    const idle = await agent.get('/api/auth/session').expect(401);
    expect(idle.body.message).toBe('the session has ended after the idle timeout: sign in again');
    expect(String(idle.headers['set-cookie'])).toMatch(/sv_session=;.*Expires=Thu, 01 Jan 1970/);
    const [row] = await t.dataSource.query(`SELECT ended_reason FROM user_session WHERE user_id = $1`, [
      user.id,
    ]);
    expect(row.ended_reason).toBe('idle');
    await t.admin.patch('/api/settings').send({ sessionIdleMinutes: 30 }).expect(200);
  });

  it('ends a session at its absolute end however active it is', async () => {
    const { agent, user } = await t.signInSession('regulator');
    await t.dataSource.query(
      `UPDATE user_session SET expires_at = now() - interval '1 second', last_seen_at = now() WHERE user_id = $1`,
      [user.id],
    );
    const res = await agent.get('/api/auth/me').expect(401);
    expect(res.body.message).toMatch(/longest lifetime/);
  });

  it('signs out: 204, the cookie cleared, the session ended for good, audited', async () => {
    const { agent, csrf, user, cookie } = await t.signInSession('regulator');
    await agent.delete('/api/auth/session').expect(403);
    const res = await agent.delete('/api/auth/session').set('X-CSRF-Token', csrf).expect(204);
    expect(String(res.headers['set-cookie'])).toMatch(/sv_session=;/);
    const again = await request(t.http).get('/api/auth/me').set('Cookie', cookie.split(';')[0]!).expect(401);
    expect(again.body.message).toBe('the session has ended (signed out): sign in again');
    expect(await audit('auth.logout', user.id)).toHaveLength(1);
  });

  it('signing out everywhere ends the Bearer tokens and every other session too', async () => {
    const a = await t.signInSession('inspector');
    const username = a.user.username;
    const b = request.agent(t.http);
    await b.post('/api/auth/session').send({ username, password: TEST_PASSWORD }).expect(200);
    const { body: token } = await request(t.http)
      .post('/api/auth/login')
      .send({ username, password: TEST_PASSWORD })
      .expect(200);
    const bearer = () =>
      request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token.accessToken}`);
    await bearer().expect(200);
    await a.agent.post('/api/auth/sign-out-everywhere').expect(403);
    await a.agent.post('/api/auth/sign-out-everywhere').set('X-CSRF-Token', a.csrf).expect(204);
    await bearer().expect(401);
    expect((await b.get('/api/auth/me').expect(401)).body.message).toMatch(/signed out everywhere/);
    await a.agent.get('/api/auth/me').expect(401);
    expect(await audit('auth.sign_out_everywhere', a.user.id)).toHaveLength(1);
    // and by Bearer: its own token ends
    const { body: t2 } = await request(t.http)
      .post('/api/auth/login')
      .send({ username, password: TEST_PASSWORD });
    const c = request.agent(t.http);
    await c.post('/api/auth/session').send({ username, password: TEST_PASSWORD }).expect(200);
    await request(t.http)
      .post('/api/auth/sign-out-everywhere')
      .set('Authorization', `Bearer ${t2.accessToken}`)
      .expect(204);
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${t2.accessToken}`).expect(401);
    await c.get('/api/auth/me').expect(401);
  });

  it('a password changed from a session keeps the browser signed in on a new session, and ends the old one, the others and the tokens', async () => {
    const a = await t.signInSession('regulator');
    const username = a.user.username;
    const b = request.agent(t.http);
    await b.post('/api/auth/session').send({ username, password: TEST_PASSWORD }).expect(200);
    const { body: token } = await request(t.http)
      .post('/api/auth/login')
      .send({ username, password: TEST_PASSWORD });
    const change = { currentPassword: TEST_PASSWORD, newPassword: 'Changed-pass-2027' };
    await a.agent.post('/api/auth/password').send(change).expect(403);
    const res = await a.agent.post('/api/auth/password').set('X-CSRF-Token', a.csrf).send(change).expect(200);
    expect(res.body).toEqual({
      user: expect.objectContaining({ id: a.user.id }),
      csrfToken: expect.any(String),
    });
    expect(res.body.csrfToken).not.toBe(a.csrf);
    expect(res.body).not.toHaveProperty('accessToken');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/sv_session=[A-Za-z0-9_-]{43};.*HttpOnly/);
    // the agent took the new cookie: still signed in, with the new CSRF token only
    expect((await a.agent.get('/api/auth/session').expect(200)).body.csrfToken).toBe(res.body.csrfToken);
    await a.agent.patch('/api/users/1').set('X-CSRF-Token', a.csrf).send({}).expect(403);
    await a.agent.patch('/api/users/1').set('X-CSRF-Token', res.body.csrfToken).send({}).expect(403); // still a regulator
    // a copy of the old cookie no longer works
    const old = /sv_session=[^;]+/.exec(a.cookie)![0];
    expect((await request(t.http).get('/api/auth/me').set('Cookie', old).expect(401)).body.message).toMatch(
      /password was changed/,
    );
    expect((await b.get('/api/auth/me').expect(401)).body.message).toMatch(/password was changed/);
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token.accessToken}`).expect(401);
    // a Bearer caller still gets a new token
    const viaToken = await request(t.http)
      .post('/api/auth/password')
      .set('Authorization', `Bearer ${(await t.signIn('inspector')).token}`)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Changed-pass-2027' })
      .expect(200);
    expect(viaToken.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });
  });

  it('a deactivated user cannot sign in and its sessions and tokens end; reactivated, it signs in again', async () => {
    const { agent, user } = await t.signInSession('inspector');
    const { body: token } = await request(t.http)
      .post('/api/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    const off = await t.admin.patch(`/api/users/${user.id}`).send({ active: false }).expect(200);
    expect(off.body.active).toBe(false);
    expect((await agent.get('/api/auth/me').expect(401)).body.message).toMatch(/deactivated/);
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token.accessToken}`).expect(401);
    for (const path of ['/api/auth/login', '/api/auth/session']) {
      const res = await request(t.http)
        .post(path)
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(401);
      expect(res.body.message).toBe('wrong username or password');
    }
    const failed = await audit('auth.login_failed', user.id);
    expect(failed.map((f: { after: unknown }) => f.after)).toEqual([
      { username: user.username, reason: 'inactive' },
      { username: user.username, reason: 'inactive' },
    ]);
    expect((await audit('user.deactivate', user.id)).length).toBe(1);
    const listed = await t.admin.get('/api/users?active=false').expect(200);
    expect(listed.body.items.map((u: { id: number }) => u.id)).toEqual([user.id]);
    const bad = await t.admin.get('/api/users?active=maybe').expect(422);
    expect(bad.body.errors[0].field).toBe('active');
    await t.admin.patch(`/api/users/${user.id}`).send({ active: true }).expect(200);
    expect((await audit('user.activate', user.id)).length).toBe(1);
    await request(t.http)
      .post('/api/auth/session')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
  });

  it('nobody deactivates themselves or the last active admin (409)', async () => {
    const me = await t.admin.get('/api/auth/me').expect(200);
    const self = await t.admin.patch(`/api/users/${me.body.id}`).send({ active: false }).expect(409);
    expect(self.body.message).toBe('you cannot deactivate yourself');
    const other = await t.signIn('admin');
    // with two active admins, one deactivates the other; then the last one stands
    await other.agent.patch(`/api/users/${me.body.id}`).send({ active: false }).expect(200);
    const last = await other.agent.patch(`/api/users/${other.user.id}`).send({ active: false }).expect(409);
    expect(last.body.message).toMatch(/yourself|last admin/);
    await other.agent.patch(`/api/users/${me.body.id}`).send({ active: true }).expect(200);
    // the admin's old token ended with its deactivation
    await t.admin.get('/api/auth/me').expect(401);
    const third = await t.signIn('admin');
    await third.agent.delete(`/api/users/${other.user.id}`).expect(204);
  });

  it('answers the menu of each role, the same as in SessionView', async () => {
    const keys: Record<string, string[]> = {};
    for (const role of ['admin', 'regulator', 'inspector', 'enterprise'] as const) {
      const { agent } = await t.signIn(role, role === 'enterprise' ? { uscc: USCC } : {});
      keys[role] = (await agent.get('/api/auth/menu').expect(200)).body.map((m: { key: string }) => m.key);
    }
    expect(keys).toEqual(
      Object.fromEntries(
        (['admin', 'regulator', 'inspector', 'enterprise'] as const).map((r) => [
          r,
          menuFor(r).map((m) => m.key),
        ]),
      ),
    );
    expect(keys.regulator!.slice(0, 4)).toEqual(['dashboard', 'enterprises', 'publication-regimes', 'plans']);
    expect(keys.inspector).toEqual([
      'my-tasks',
      'enterprises',
      'lenient-enforcement',
      'inspection-items',
      'recusals',
      'account',
    ]);
    const { session } = await t.signInSession('enterprise', { uscc: USCC });
    expect(session.menu).toEqual([{ key: 'mine', title: '本企业', path: '/m', icon: 'House' }]);
  });
});

describe('rate limits of browser sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_ANONYMOUS_LIMIT: '4', LOGIN_THROTTLE_LIMIT: '2' });
  });
  afterAll(() => t.close());

  it('counts a session user per user, not per address, and sign-ins by session like logins', async () => {
    const { agent } = await t.signInSession('inspector'); // one anonymous request (the sign-in)
    for (let i = 0; i < 6; i++) await agent.get('/api/auth/me').expect(200);
    const { user } = await t.signIn('regulator');
    const wrong = { username: user.username, password: 'Wrong-password-1' };
    await request(t.http).post('/api/auth/session').send(wrong).expect(401);
    await request(t.http).post('/api/auth/login').send(wrong).expect(401);
    const limited = await request(t.http).post('/api/auth/session').send(wrong).expect(429);
    expect(limited.body.message).toMatch(/too many failed sign-ins/);
  });
});
