import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TIER_HIDDEN_MESSAGE } from '../src/auth/scope.service.js';
import { SETTING_DEFAULTS } from '../src/settings/settings.service.js';
import { Agent, TestApp, createTestApp } from './helpers.js';

/**
 * Bureau settings (GET and PATCH /api/settings): defaults, validation by field, the audit entry,
 * and the enterprise tier visibility enforced on every endpoint that shows a tier or score.
 */
const USCC = '91310115MA1FL8Q20P';

describe('bureau settings', () => {
  let t: TestApp;
  let enterprise: Agent;
  let regulator: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    await t.admin.post('/api/enterprises').send({ uscc: USCC, name: '上海设置测试有限公司' }).expect(201);
    ({ agent: enterprise } = await t.signIn('enterprise', { uscc: USCC }));
    ({ agent: regulator } = await t.signIn('regulator'));
  });
  afterAll(() => t.close());

  it('answers the defaults before anything is set', async () => {
    const res = await t.admin.get('/api/settings').expect(200);
    expect(res.body).toEqual(SETTING_DEFAULTS);
  });

  it.each([
    [{ sessionIdleMinutes: 4 }, 'sessionIdleMinutes'],
    [{ sessionIdleMinutes: 481 }, 'sessionIdleMinutes'],
    [{ sessionIdleMinutes: 30.5 }, 'sessionIdleMinutes'],
    [{ sessionIdleMinutes: '30' }, 'sessionIdleMinutes'],
    [{ enterpriseTierVisible: 'yes' }, 'enterpriseTierVisible'],
    [{ enterpriseTierVisible: null }, 'enterpriseTierVisible'],
    [{ theme: 'dark' }, 'theme'],
  ])('refuses %j with 422 naming %s, and changes nothing', async (body, field) => {
    const res = await t.admin.patch('/api/settings').send(body).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await t.admin.get('/api/settings')).body).toEqual(SETTING_DEFAULTS);
  });

  it('refuses an empty change with 422', async () => {
    const res = await t.admin.patch('/api/settings').send({}).expect(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'sessionIdleMinutes' });
  });

  it('changes the settings given, keeps the others, and audits before and after', async () => {
    const res = await t.admin.patch('/api/settings').send({ sessionIdleMinutes: 480 }).expect(200);
    expect(res.body).toEqual({ ...SETTING_DEFAULTS, sessionIdleMinutes: 480 });
    const [entry] = await t.dataSource.query(
      `SELECT * FROM audit_log WHERE action = 'setting.update' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry).toMatchObject({
      entity_type: 'bureau_setting',
      entity_id: 'sessionIdleMinutes',
      actor_role: 'admin',
      before: SETTING_DEFAULTS,
      after: { ...SETTING_DEFAULTS, sessionIdleMinutes: 480 },
    });
    await t.admin.patch('/api/settings').send({ sessionIdleMinutes: 30 }).expect(200);
    await regulator.patch('/api/settings').send({ sessionIdleMinutes: 10 }).expect(403);
  });

  const creditPaths = [
    `/api/enterprises/${USCC}/credit`,
    `/api/enterprises/${USCC}/credit/explain`,
    `/api/enterprises/${USCC}/credit/history`,
    `/api/enterprises/${USCC}/credit/snapshots`,
  ];

  it('hides the tier from enterprise users by default: the enterprise without tier and score, credit answers 403, audited', async () => {
    const own = await enterprise.get(`/api/enterprises/${USCC}`).expect(200);
    expect(own.body).toMatchObject({ uscc: USCC, tier: null, score: null });
    for (const path of creditPaths) {
      const res = await enterprise.get(path).expect(403);
      expect(res.body.message).toBe(TIER_HIDDEN_MESSAGE);
      expect(res.body.message).toMatch(
        /^the bureau does not show risk tiers to enterprises \(domain\.md 4\): /,
      );
    }
    await enterprise.get(`/api/enterprises/${USCC}/credit-records`).expect(200);
    const denied = await t.dataSource.query(
      `SELECT entity_id FROM audit_log WHERE action = 'access.denied' AND actor_role = 'enterprise'`,
    );
    expect(denied.map((d: { entity_id: string }) => d.entity_id)).toEqual(creditPaths.map(() => USCC));
    // other roles unaffected
    const staff = await regulator.get(`/api/enterprises/${USCC}`).expect(200);
    expect(staff.body).toMatchObject({ tier: 'A', score: 100 });
    for (const path of creditPaths) await regulator.get(path).expect(200);
  });

  it('shows it once the admin enables it, and in the SessionView', async () => {
    await t.admin.patch('/api/settings').send({ enterpriseTierVisible: true }).expect(200);
    const own = await enterprise.get(`/api/enterprises/${USCC}`).expect(200);
    expect(own.body).toMatchObject({ tier: 'A', score: 100 });
    for (const path of creditPaths) await enterprise.get(path).expect(200);
    const { session } = await t.signInSession('enterprise', { uscc: USCC });
    expect(session.settings).toEqual({ enterpriseTierVisible: true, district: '杨浦区' });
    await t.admin.patch('/api/settings').send({ enterpriseTierVisible: false }).expect(200);
    await enterprise.get(creditPaths[0]!).expect(403);
  });
});
