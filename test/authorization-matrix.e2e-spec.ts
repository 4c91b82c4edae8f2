import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildUscc } from '../src/common/uscc.js';
import { Agent, TEST_PASSWORD, TestApp, createTestApp } from './helpers.js';
import { completeTestCode, issueTestCode } from './check-code-fixtures.js';
import { insertDecision } from './penalty-document-fixtures.js';

/**
 * The authorisation matrix (docs/security.md): for every route the application serves, the
 * answer each kind of caller gets. Generated from the one table below: a route that exists
 * without a row here fails the first test, so a new endpoint must state who may use it.
 */
type Caller = 'public' | 'admin' | 'regulator' | 'inspector' | 'enterprise' | 'otherEnterprise';
const CALLERS: Caller[] = ['public', 'admin', 'regulator', 'inspector', 'enterprise', 'otherEnterprise'];

interface Ctx {
  /** the enterprise the `enterprise` caller acts for (`otherEnterprise` acts for another one) */
  uscc: string;
  /** a fresh USCC for registrations */
  newUscc(): string;
  /** a fresh user to update or delete */
  victim(): Promise<number>;
  /** a stored draw (run once by a regulator) */
  draw(): Promise<number>;
  /** the code of a market inspection item (created once by an admin) */
  item(): Promise<string>;
  /** a fresh market inspector: user id, username, credential number */
  inspector(): Promise<{ id: number; username: string; credentialNo: string }>;
  /** a fresh pending recusal declaration about a fresh market inspector */
  recusal(): Promise<number>;
  /** the number of a completed inspection code of the `enterprise` caller's enterprise (made once) */
  completedCodeNo(): Promise<string>;
  /** a penalty decision (with its notice) of the `enterprise` caller's enterprise (made once) */
  decision(): Promise<number>;
  /** a fresh user's credentials (for the public login) */
  loginUser(): Promise<{ username: string; password: string }>;
  /**
   * The caller as a browser: for a role, a new user of it signed in by session cookie (an agent
   * keeping the cookie, and its CSRF token); for the public, an agent without a cookie.
   */
  browser(): Promise<{ agent: Agent; csrf: string }>;
  caller: Caller;
}

interface Row {
  /** METHOD path, as express has it */
  route: string;
  call: (a: Agent, ctx: Ctx) => Promise<request.Response>;
  /** expected status per caller */
  expect: Record<Caller, number>;
}

const all = (n: number): Record<Caller, number> => Object.fromEntries(CALLERS.map((c) => [c, n])) as never;
const signedIn = (
  admin: number,
  regulator: number,
  inspector: number,
  enterprise: number,
  otherEnterprise = enterprise,
): Record<Caller, number> => ({ public: 401, admin, regulator, inspector, enterprise, otherEnterprise });

const MATRIX: Row[] = [
  { route: 'GET /health', call: (a) => a.get('/health'), expect: all(200) },
  {
    route: 'POST /api/auth/login',
    call: async (a, ctx) => a.post('/api/auth/login').send(await ctx.loginUser()),
    expect: all(200),
  },
  {
    route: 'POST /api/auth/session',
    call: async (a, ctx) => a.post('/api/auth/session').send(await ctx.loginUser()),
    expect: all(200),
  },
  {
    route: 'GET /api/auth/session',
    call: async (_a, ctx) => (await ctx.browser()).agent.get('/api/auth/session'),
    expect: signedIn(200, 200, 200, 200),
  },
  {
    route: 'DELETE /api/auth/session',
    call: async (_a, ctx) => {
      const { agent, csrf } = await ctx.browser();
      return agent.delete('/api/auth/session').set('X-CSRF-Token', csrf);
    },
    expect: signedIn(204, 204, 204, 204),
  },
  {
    route: 'POST /api/auth/sign-out-everywhere',
    call: (a) => a.post('/api/auth/sign-out-everywhere'),
    expect: signedIn(204, 204, 204, 204),
  },
  { route: 'GET /api/auth/menu', call: (a) => a.get('/api/auth/menu'), expect: signedIn(200, 200, 200, 200) },
  { route: 'GET /api/settings', call: (a) => a.get('/api/settings'), expect: signedIn(200, 403, 403, 403) },
  {
    route: 'PATCH /api/settings',
    call: (a) => a.patch('/api/settings').send({ sessionIdleMinutes: 30 }),
    expect: signedIn(200, 403, 403, 403),
  },
  { route: 'GET /api/auth/me', call: (a) => a.get('/api/auth/me'), expect: signedIn(200, 200, 200, 200) },
  {
    route: 'POST /api/auth/password',
    call: (a) =>
      a.post('/api/auth/password').send({ currentPassword: TEST_PASSWORD, newPassword: 'Another-pass-2027' }),
    expect: signedIn(200, 200, 200, 200),
  },
  { route: 'GET /api/users', call: (a) => a.get('/api/users'), expect: signedIn(200, 403, 403, 403) },
  {
    route: 'POST /api/users',
    call: (a, ctx) =>
      a.post('/api/users').send({
        username: `made-by-${ctx.caller.toLowerCase()}`,
        password: 'Made-user-2026',
        displayName: '新用户',
        role: 'regulator',
        department: 'health',
      }),
    expect: signedIn(201, 403, 403, 403),
  },
  {
    route: 'GET /api/users/:id',
    call: async (a, ctx) => a.get(`/api/users/${await ctx.victim()}`),
    expect: signedIn(200, 403, 403, 403),
  },
  {
    route: 'PATCH /api/users/:id',
    call: async (a, ctx) => a.patch(`/api/users/${await ctx.victim()}`).send({ displayName: '改名' }),
    expect: signedIn(200, 403, 403, 403),
  },
  {
    route: 'DELETE /api/users/:id',
    call: async (a, ctx) => a.delete(`/api/users/${await ctx.victim()}`),
    expect: signedIn(204, 403, 403, 403),
  },
  {
    route: 'GET /api/scoring-runs',
    call: (a) => a.get('/api/scoring-runs'),
    expect: signedIn(200, 200, 403, 403),
  },
  { route: 'GET /api/audit', call: (a) => a.get('/api/audit'), expect: signedIn(200, 200, 403, 403) },
  {
    route: 'GET /api/audit/verify',
    call: (a) => a.get('/api/audit/verify'),
    expect: signedIn(200, 403, 403, 403),
  },
  {
    route: 'GET /api/audit/checkpoint-key',
    call: (a) => a.get('/api/audit/checkpoint-key'),
    expect: all(200),
  },
  {
    route: 'POST /api/enterprises',
    call: (a, ctx) => a.post('/api/enterprises').send({ uscc: ctx.newUscc(), name: '上海矩阵测试有限公司' }),
    expect: signedIn(201, 201, 403, 403),
  },
  {
    route: 'GET /api/enterprises',
    call: (a) => a.get('/api/enterprises'),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'GET /api/enterprises/export.csv',
    call: (a) => a.get('/api/enterprises/export.csv'),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'GET /api/enterprises/facets',
    call: (a) => a.get('/api/enterprises/facets'),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'GET /api/enterprises/:uscc',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}`),
    expect: signedIn(200, 200, 200, 200, 404),
  },
  {
    route: 'POST /api/enterprises/:uscc/credit-records',
    call: (a, ctx) =>
      a.post(`/api/enterprises/${ctx.uscc}/credit-records`).send({
        kind: 'complaint',
        recordDate: '2026-03-01',
        sourceDepartment: '杨浦区市场监督管理局',
        channel: '12315',
        subject: '矩阵测试投诉',
      }),
    expect: signedIn(201, 201, 403, 403),
  },
  {
    route: 'GET /api/enterprises/:uscc/credit-records',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}/credit-records`),
    expect: signedIn(200, 200, 200, 200, 404),
  },
  {
    route: 'GET /api/enterprises/:uscc/credit/explain',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}/credit/explain?asOf=2026-06-30`),
    // enterprise: 403 while the bureau does not show tiers to enterprises (the default)
    expect: signedIn(200, 200, 200, 403, 404),
  },
  {
    route: 'GET /api/enterprises/:uscc/credit/snapshots',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}/credit/snapshots`),
    expect: signedIn(200, 200, 200, 403, 404),
  },
  {
    route: 'GET /api/enterprises/:uscc/credit/history',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}/credit/history`),
    expect: signedIn(200, 200, 200, 403, 404),
  },
  {
    route: 'GET /api/enterprises/:uscc/credit',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}/credit`),
    expect: signedIn(200, 200, 200, 403, 404),
  },
  {
    route: 'POST /api/draws',
    call: (a) => a.post('/api/draws').send({ seed: '矩阵', ratios: { B: 0.5, C: 1, D: 1 } }),
    expect: signedIn(403, 201, 403, 403),
  },
  { route: 'GET /api/draws', call: (a) => a.get('/api/draws'), expect: signedIn(200, 200, 403, 403) },
  {
    route: 'GET /api/draws/:id',
    call: async (a, ctx) => a.get(`/api/draws/${await ctx.draw()}`),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/draws/:id/targets',
    call: async (a, ctx) => a.get(`/api/draws/${await ctx.draw()}/targets`),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/draws/:id/list.csv',
    call: async (a, ctx) => a.get(`/api/draws/${await ctx.draw()}/list.csv`),
    expect: signedIn(200, 200, 403, 403),
  },
  { route: 'GET /api/dashboard', call: (a) => a.get('/api/dashboard'), expect: signedIn(200, 200, 403, 403) },
  {
    route: 'GET /api/inspection-items',
    call: (a) => a.get('/api/inspection-items'),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'POST /api/inspection-items',
    call: (a, ctx) =>
      a.post('/api/inspection-items').send({
        code: `MX-NEW-${ctx.caller}`,
        name: '矩阵事项',
        department: 'market',
        legalBasis: '依据',
        checkMethod: 'documents',
        requirements: ['要求'],
      }),
    expect: signedIn(201, 201, 403, 403),
  },
  {
    route: 'POST /api/inspection-items/import',
    call: (a, ctx) =>
      a
        .post('/api/inspection-items/import')
        .set('Content-Type', 'text/csv')
        .send(
          `code,name,department,legal_basis,check_method,requirements\nMX-IMP-${ctx.caller},矩阵,market,依据,data,要求\n`,
        ),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/inspection-items/:code',
    call: async (a, ctx) => a.get(`/api/inspection-items/${await ctx.item()}`),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'PATCH /api/inspection-items/:code',
    call: async (a, ctx) => a.patch(`/api/inspection-items/${await ctx.item()}`).send({ active: true }),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/inspectors',
    call: (a) => a.get('/api/inspectors'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'POST /api/inspectors/import',
    call: async (a, ctx) =>
      a
        .post('/api/inspectors/import')
        .set('Content-Type', 'text/csv')
        .send(`username,department,on_roster\n${(await ctx.inspector()).username},market,是\n`),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/inspectors/:userId',
    call: async (a, ctx) => a.get(`/api/inspectors/${(await ctx.inspector()).id}`),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'PATCH /api/inspectors/:userId',
    call: async (a, ctx) => a.patch(`/api/inspectors/${(await ctx.inspector()).id}`).send({ onRoster: true }),
    expect: signedIn(200, 200, 403, 403),
  },
  { route: 'GET /api/recusals', call: (a) => a.get('/api/recusals'), expect: signedIn(200, 200, 200, 200) },
  {
    route: 'POST /api/recusals',
    call: async (a, ctx) => {
      const i = await ctx.inspector();
      const body =
        ctx.caller === 'regulator'
          ? { inspectorUserId: i.id, enterpriseUscc: ctx.uscc, reason: '矩阵', source: 'regulator' }
          : ctx.caller === 'inspector'
            ? { enterpriseUscc: ctx.uscc, reason: '矩阵' }
            : { inspectorCredentialNo: i.credentialNo, reason: '矩阵' };
      return a.post('/api/recusals').send(body);
    },
    expect: signedIn(403, 201, 201, 201),
  },
  {
    route: 'POST /api/recusals/:id/review',
    call: async (a, ctx) =>
      a.post(`/api/recusals/${await ctx.recusal()}/review`).send({ decision: 'approved' }),
    expect: signedIn(403, 200, 403, 403),
  },
  // the draw of a plan's batch (issue 11): staff API on an unknown draw or batch; verification public
  {
    route: 'POST /api/plan-draws',
    call: (a) => a.post('/api/plan-draws').send({}),
    expect: signedIn(422, 422, 403, 403),
  },
  {
    route: 'GET /api/plan-draws',
    call: (a) => a.get('/api/plan-draws'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/plan-draws/:id',
    call: (a) => a.get('/api/plan-draws/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/plan-draws/:id/public-value',
    call: (a) => a.post('/api/plan-draws/999999/public-value').send({ value: '01 02 03 04 05 06 07' }),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/plan-draws/:id/reveal',
    call: (a) => a.post('/api/plan-draws/999999/reveal').send({ secret: 'a'.repeat(64) }),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/plan-draws/:id/run',
    call: (a) => a.post('/api/plan-draws/999999/run'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/plan-draws/:id/targets',
    call: (a) => a.get('/api/plan-draws/999999/targets'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/plan-draws/:id/inputs/:name',
    call: (a) => a.get('/api/plan-draws/999999/inputs/roster'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/plan-draws/:id/replacements',
    call: (a) =>
      a
        .post('/api/plan-draws/999999/replacements')
        .send({ itemCode: 'YP-SC-01', tier: 'B', position: 1, reason: 'closed' }),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/plan-draws/:id/verification',
    call: (a) => a.get('/api/plan-draws/999999/verification'),
    expect: all(404),
  },
  {
    route: 'GET /api/plan-draw-batches/:batchId',
    call: (a) => a.get('/api/plan-draw-batches/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  { route: 'GET /public/draws/:id', call: (a) => a.get('/public/draws/999999'), expect: all(404) },
  // annual plans (issue 11): staff API (an empty body or an unknown id: the guard let the role through)
  { route: 'GET /api/plans', call: (a) => a.get('/api/plans'), expect: signedIn(200, 200, 403, 403) },
  {
    route: 'GET /api/plans/form-options',
    call: (a) => a.get('/api/plans/form-options'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'POST /api/plans',
    call: (a) => a.post('/api/plans').send({}),
    expect: signedIn(422, 422, 403, 403),
  },
  {
    route: 'GET /api/plans/:id',
    call: (a) => a.get('/api/plans/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'PATCH /api/plans/:id',
    call: (a) => a.patch('/api/plans/999999').send({ title: '矩阵' }),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'DELETE /api/plans/:id',
    call: (a) => a.delete('/api/plans/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/plans/:id/publish',
    call: (a) => a.post('/api/plans/999999/publish'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/plans/:id/versions',
    call: (a) => a.post('/api/plans/999999/versions'),
    expect: signedIn(404, 404, 403, 403),
  },
  // published plans and results, open to anyone (一公开); a draft or unknown id is a 404
  { route: 'GET /api/public/plans', call: (a) => a.get('/api/public/plans'), expect: all(200) },
  { route: 'GET /api/public/plans/:id', call: (a) => a.get('/api/public/plans/999999'), expect: all(404) },
  {
    route: 'GET /api/public/plans/:id/batches/:batchId/results',
    call: (a) => a.get('/api/public/plans/999999/batches/1/results'),
    expect: all(404),
  },
  // the public verification of inspection codes: anyone, signed in or not (a made-up code: not_valid, 200)
  {
    route: 'GET /api/check-codes/:code/verification',
    call: (a) => a.get('/api/check-codes/JC1.AAAA/verification'),
    expect: all(200),
  },
  { route: 'GET /v', call: (a) => a.get('/v'), expect: all(200) },
  { route: 'GET /v/:code', call: (a) => a.get('/v/JC1.AAAA'), expect: all(200) },
  { route: 'GET /public/plans', call: (a) => a.get('/public/plans'), expect: all(200) },
  { route: 'GET /public/plans/:id', call: (a) => a.get('/public/plans/999999'), expect: all(404) },
  {
    route: 'GET /public/plans/:id/batches/:batchId/results',
    call: (a) => a.get('/public/plans/999999/batches/1/results'),
    expect: all(404),
  },
  // inspection tasks (issue 11): an unknown task answers 404 to whoever may read or record one
  { route: 'GET /api/tasks', call: (a) => a.get('/api/tasks'), expect: signedIn(200, 200, 403, 403) },
  { route: 'GET /api/my/tasks', call: (a) => a.get('/api/my/tasks'), expect: signedIn(403, 403, 200, 403) },
  // issue 13: the enterprise's own page (its own enterprise only: no enterprise in the path)
  {
    route: 'GET /api/my/penalty-decisions',
    call: (a) => a.get('/api/my/penalty-decisions'),
    expect: signedIn(403, 403, 403, 200),
  },
  {
    route: 'GET /api/my/record-periods',
    call: (a) => a.get('/api/my/record-periods'),
    expect: signedIn(403, 403, 403, 200),
  },
  {
    route: 'GET /api/my/reminders',
    call: (a) => a.get('/api/my/reminders'),
    expect: signedIn(403, 403, 403, 200),
  },
  {
    // no reminder of the caller's enterprise has this id: 404 (another enterprise's answers the same)
    route: 'POST /api/my/reminders/:id/read',
    call: (a) => a.post('/api/my/reminders/999999999/read'),
    expect: signedIn(403, 403, 403, 404),
  },
  {
    route: 'GET /api/my/compliance-notice',
    call: (a) => a.get('/api/my/compliance-notice'),
    expect: signedIn(403, 403, 403, 200),
  },
  {
    route: 'GET /api/tasks/:id',
    call: (a) => a.get('/api/tasks/999999'),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'POST /api/tasks/:id/result',
    call: (a) => a.post('/api/tasks/999999/result').send({ outcome: 'no_problem' }),
    expect: signedIn(403, 403, 404, 403),
  },
  // credit-repair applications (issue 13): the enterprise applies, the deciding department decides, admins read
  {
    route: 'GET /api/credit-repair/records/:recordId/eligibility',
    call: (a) => a.get('/api/credit-repair/records/999999/eligibility'),
    expect: signedIn(404, 404, 403, 404),
  },
  {
    route: 'POST /api/credit-repair/applications',
    call: (a) => a.post('/api/credit-repair/applications').send({ recordId: 999999 }),
    expect: signedIn(403, 403, 403, 422),
  },
  {
    route: 'GET /api/credit-repair/my-applications',
    call: (a) => a.get('/api/credit-repair/my-applications'),
    expect: signedIn(403, 403, 403, 200),
  },
  {
    route: 'GET /api/credit-repair/applications',
    call: (a) => a.get('/api/credit-repair/applications'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/credit-repair/applications/:id',
    call: (a) => a.get('/api/credit-repair/applications/999999'),
    expect: signedIn(404, 404, 403, 404),
  },
  {
    route: 'GET /api/credit-repair/applications/:id/files/:fileId',
    call: (a) => a.get('/api/credit-repair/applications/999999/files/1'),
    expect: signedIn(404, 404, 403, 404),
  },
  {
    route: 'POST /api/credit-repair/applications/:id/withdraw',
    call: (a) => a.post('/api/credit-repair/applications/999999/withdraw').send({}),
    expect: signedIn(403, 403, 403, 404),
  },
  ...(['accept', 'resume'] as const).map((step) => ({
    route: `POST /api/credit-repair/applications/:id/${step}`,
    call: (a: Agent) => a.post(`/api/credit-repair/applications/999999/${step}`).send({}),
    expect: signedIn(403, 404, 403, 403),
  })),
  {
    route: 'POST /api/credit-repair/applications/:id/suspend',
    call: (a) =>
      a
        .post('/api/credit-repair/applications/999999/suspend')
        .send({ reason: '矩阵', latestEnd: '2026-12-31' }),
    expect: signedIn(403, 404, 403, 403),
  },
  ...(['approve', 'reject'] as const).map((step) => ({
    route: `POST /api/credit-repair/applications/:id/${step}`,
    call: (a: Agent) => a.post(`/api/credit-repair/applications/999999/${step}`).send({ reasons: '矩阵' }),
    expect: signedIn(403, 404, 403, 403),
  })),
  {
    route: 'GET /api/credit-repair/shares',
    call: (a) => a.get('/api/credit-repair/shares'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/credit-repair/shares.csv',
    call: (a) => a.get('/api/credit-repair/shares.csv'),
    expect: signedIn(200, 200, 403, 403),
  },
  // publication regimes and the period calculator (issue 13): regulators and admins
  {
    route: 'GET /api/publication-regimes',
    call: (a) => a.get('/api/publication-regimes'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'POST /api/publication-periods/preview',
    call: (a) =>
      a
        .post('/api/publication-periods/preview')
        .send({ decisionDate: '2024-01-10', procedure: 'general', penaltyTypes: ['warning'] }),
    expect: signedIn(200, 200, 403, 403),
  },
  // event triggers, joint visits, alerts (issue 11): regulators propose and decide, admins read
  {
    route: 'POST /api/triggers',
    call: (a, ctx) =>
      a.post('/api/triggers').send({
        enterpriseUscc: ctx.uscc,
        kind: 'complaint',
        reason: '矩阵',
        department: 'market',
        receivedOn: '2026-01-05',
      }),
    expect: signedIn(403, 201, 403, 403),
  },
  { route: 'GET /api/triggers', call: (a) => a.get('/api/triggers'), expect: signedIn(200, 200, 403, 403) },
  {
    route: 'GET /api/triggers/:id',
    call: (a) => a.get('/api/triggers/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/triggers/:id/accept',
    call: (a) => a.post('/api/triggers/999999/accept').send({}),
    expect: signedIn(403, 404, 403, 403),
  },
  {
    route: 'POST /api/triggers/:id/dismiss',
    call: (a) => a.post('/api/triggers/999999/dismiss').send({ reason: '矩阵' }),
    expect: signedIn(403, 404, 403, 403),
  },
  {
    route: 'GET /api/joint-visits',
    call: (a) => a.get('/api/joint-visits'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/joint-visits/report',
    call: (a) => a.get('/api/joint-visits/report'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/joint-visits/:id',
    call: (a) => a.get('/api/joint-visits/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/inspection-alerts',
    call: (a) => a.get('/api/inspection-alerts'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/reports/no-disturbance',
    call: (a) => a.get('/api/reports/no-disturbance'),
    expect: signedIn(200, 200, 403, 403),
  },
  // inspection codes: the signing keys (admin) and their public trust list
  {
    route: 'GET /.well-known/check-code-trust-list.json',
    call: (a) => a.get('/.well-known/check-code-trust-list.json'),
    expect: all(200),
  },
  {
    route: 'GET /api/check-codes/trust-list',
    call: (a) => a.get('/api/check-codes/trust-list'),
    expect: all(200),
  },
  {
    route: 'GET /api/check-code-keys',
    call: (a) => a.get('/api/check-code-keys'),
    expect: signedIn(200, 403, 403, 403),
  },
  {
    route: 'POST /api/check-code-keys/rotate',
    call: (a) => a.post('/api/check-code-keys/rotate').send({ reason: '矩阵' }),
    expect: signedIn(201, 403, 403, 403),
  },
  {
    route: 'POST /api/check-code-keys/:kid/revoke',
    call: (a) => a.post('/api/check-code-keys/AAAAAAAAAAA/revoke').send({ reason: '矩阵' }),
    expect: signedIn(404, 403, 403, 403),
  },
  // inspection codes (issue 12): an assigned inspector applies, checks in and out; readers of a code
  // are its inspectors, regulators of its departments and admins (an unknown one is a 404 to them)
  {
    route: 'POST /api/tasks/:id/check-code',
    call: (a) => a.post('/api/tasks/999999/check-code').send({}),
    expect: signedIn(403, 403, 404, 403),
  },
  {
    route: 'GET /api/tasks/:id/check-code',
    call: (a) => a.get('/api/tasks/999999/check-code'),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'GET /api/check-codes',
    call: (a) => a.get('/api/check-codes'),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'GET /api/check-codes/:id',
    call: (a) => a.get('/api/check-codes/999999'),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'GET /api/check-codes/:id/qr.png',
    call: (a) => a.get('/api/check-codes/999999/qr.png'),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'GET /api/check-codes/:id/qr.svg',
    call: (a) => a.get('/api/check-codes/999999/qr.svg'),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'POST /api/check-codes/:id/check-in',
    call: (a) => a.post('/api/check-codes/999999/check-in').send({}),
    expect: signedIn(403, 403, 404, 403),
  },
  {
    route: 'POST /api/check-codes/:id/check-out',
    call: (a) => a.post('/api/check-codes/999999/check-out').send({}),
    expect: signedIn(403, 403, 404, 403),
  },
  {
    route: 'POST /api/check-codes/:id/revoke',
    call: (a) => a.post('/api/check-codes/999999/revoke').send({ reason: '矩阵' }),
    expect: signedIn(403, 404, 404, 403),
  },
  // issue 12: ratings of inspections (the supervising body, a regulator of oversight, is not a
  // caller here: test/check-code-ratings.e2e-spec.ts covers its answers). Last: the completed code
  // they rate comes with a fixture plan whose stand-in draw GET /api/plan-draws cannot list
  {
    route: 'POST /api/check-codes/:codeNo/rating',
    call: async (a, ctx) =>
      a
        .post(`/api/check-codes/${await ctx.completedCodeNo()}/rating`)
        .send({ score: 4, necessary: true, mergeable: false }),
    expect: signedIn(403, 403, 403, 201, 403),
  },
  {
    route: 'GET /api/check-code-ratings/summary',
    call: (a) => a.get('/api/check-code-ratings/summary'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/check-code-ratings',
    call: (a) => a.get('/api/check-code-ratings'),
    expect: signedIn(403, 403, 403, 403),
  },
  {
    route: 'GET /api/enterprises/:uscc/check-codes',
    call: (a, ctx) => a.get(`/api/enterprises/${ctx.uscc}/check-codes`),
    expect: signedIn(200, 200, 403, 403),
  },
  { route: 'GET /api/me/visits', call: (a) => a.get('/api/me/visits'), expect: signedIn(403, 403, 403, 200) },
  {
    route: 'GET /api/me/visits/:codeNo',
    call: async (a, ctx) => a.get(`/api/me/visits/${await ctx.completedCodeNo()}`),
    expect: signedIn(403, 403, 403, 200, 403),
  },
  // issue 13: the dual documents (read as credit records are; another enterprise's: 404)
  ...['decision.html', 'decision.pdf', 'repair-notice.html', 'repair-notice.pdf'].map((file): Row => ({
    route: `GET /api/penalty-decisions/:id/documents/${file}`,
    call: async (a, ctx) => a.get(`/api/penalty-decisions/${await ctx.decision()}/documents/${file}`),
    expect: signedIn(200, 200, 200, 200, 404),
  })),
  ...['commitment-letter.html', 'commitment-letter.pdf'].map((file): Row => ({
    route: `GET /api/credit-repair/${file}`,
    call: (a) => a.get(`/api/credit-repair/${file}`),
    expect: signedIn(200, 200, 200, 200),
  })),
  // penalty decisions (issue 13): regulators of the recording department and admins
  {
    route: 'POST /api/penalty-decisions',
    call: (a) => a.post('/api/penalty-decisions').send({}),
    expect: signedIn(422, 422, 403, 403),
  },
  {
    route: 'POST /api/penalty-decisions/preview',
    call: (a) => a.post('/api/penalty-decisions/preview').send({}),
    expect: signedIn(422, 422, 403, 403),
  },
  {
    route: 'POST /api/penalty-decisions/import',
    call: (a) => a.post('/api/penalty-decisions/import').set('Content-Type', 'text/csv').send('x,y\n1,2\n'),
    expect: signedIn(422, 422, 403, 403),
  },
  {
    route: 'GET /api/penalty-decisions/report',
    call: (a) => a.get('/api/penalty-decisions/report?from=2026-01-01&to=2026-01-31'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/penalty-decisions',
    call: (a) => a.get('/api/penalty-decisions'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/penalty-decisions/:id',
    call: (a) => a.get('/api/penalty-decisions/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/penalty-decisions/:id/deliveries',
    call: (a) =>
      a.post('/api/penalty-decisions/999999/deliveries').send({ documents: ['decision'], channel: 'post' }),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/lenient-enforcement',
    call: (a) => a.get('/api/lenient-enforcement'),
    expect: signedIn(200, 200, 200, 403),
  },
  // prepaid-risk evaluation and alerts (issue 14): staff read (inspectors an issuer's risk), regulators of
  // the market department dispose, admins manage model versions; the caller's enterprise is no issuer (404)
  {
    route: 'GET /api/prepaid/issuers/:uscc/risk',
    call: (a, ctx) => a.get(`/api/prepaid/issuers/${ctx.uscc}/risk`),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'GET /api/prepaid/issuers/:uscc/risk-trend',
    call: (a, ctx) => a.get(`/api/prepaid/issuers/${ctx.uscc}/risk-trend`),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'GET /api/prepaid/risk-map',
    call: (a) => a.get('/api/prepaid/risk-map'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'POST /api/prepaid/evaluations',
    call: (a) => a.post('/api/prepaid/evaluations').send({}),
    expect: signedIn(201, 201, 403, 403),
  },
  {
    route: 'GET /api/prepaid/evaluations',
    call: (a) => a.get('/api/prepaid/evaluations'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/prepaid/models',
    call: (a) => a.get('/api/prepaid/models'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'POST /api/prepaid/models',
    call: (a) => a.post('/api/prepaid/models').send({}),
    expect: signedIn(422, 403, 403, 403),
  },
  {
    route: 'POST /api/prepaid/models/:version/activate',
    call: (a) => a.post('/api/prepaid/models/nope/activate').send({ effectiveFrom: '2099-01-01' }),
    expect: signedIn(404, 403, 403, 403),
  },
  {
    route: 'GET /api/prepaid/alerts',
    call: (a) => a.get('/api/prepaid/alerts'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'GET /api/prepaid/alerts/:id',
    call: (a) => a.get('/api/prepaid/alerts/999999'),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/prepaid/assignees',
    call: (a) => a.get('/api/prepaid/assignees'),
    expect: signedIn(200, 200, 403, 403),
  },
  {
    route: 'POST /api/prepaid/alerts/:id/assign',
    call: (a) => a.post('/api/prepaid/alerts/999999/assign').send({ assigneeId: 1 }),
    expect: signedIn(403, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/alerts/:id/disposals',
    call: (a) =>
      a
        .post('/api/prepaid/alerts/999999/disposals')
        .send({ kind: 'interview', decidedOn: '2026-01-05', note: '矩阵' }),
    expect: signedIn(403, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/alerts/:id/feedback',
    call: (a) =>
      a
        .post('/api/prepaid/alerts/999999/feedback')
        .send({ findings: '矩阵', issuerAction: '矩阵', outcome: 'risk_resolved' }),
    expect: signedIn(403, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/alerts/:id/close',
    call: (a) => a.post('/api/prepaid/alerts/999999/close').send({}),
    expect: signedIn(403, 404, 403, 403),
  },
  // prepaid issuers (issue 14): staff read (inspectors too: they carry out the on-site checks);
  // regulators of the market department and admins write; enterprises nothing. ctx.uscc is in the
  // register but not an issuer: 404 to those who may read or write
  {
    route: 'GET /api/prepaid/issuers',
    call: (a) => a.get('/api/prepaid/issuers'),
    expect: signedIn(200, 200, 200, 403),
  },
  {
    route: 'POST /api/prepaid/issuers',
    call: (a) => a.post('/api/prepaid/issuers').send({}),
    expect: signedIn(422, 422, 403, 403),
  },
  {
    route: 'GET /api/prepaid/issuers/:uscc',
    call: (a, ctx) => a.get(`/api/prepaid/issuers/${ctx.uscc}`),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'PATCH /api/prepaid/issuers/:uscc',
    call: (a, ctx) => a.patch(`/api/prepaid/issuers/${ctx.uscc}`).send({}),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/issuers/:uscc/stores',
    call: (a, ctx) => a.post(`/api/prepaid/issuers/${ctx.uscc}/stores`).send({}),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/issuers/:uscc/stores/:id/close',
    call: (a, ctx) => a.post(`/api/prepaid/issuers/${ctx.uscc}/stores/1/close`).send({}),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/issuers/:uscc/payee-accounts',
    call: (a, ctx) => a.post(`/api/prepaid/issuers/${ctx.uscc}/payee-accounts`).send({}),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/prepaid/issuers/:uscc/reports',
    call: (a, ctx) => a.get(`/api/prepaid/issuers/${ctx.uscc}/reports`),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'POST /api/prepaid/issuers/:uscc/reports',
    call: (a, ctx) => a.post(`/api/prepaid/issuers/${ctx.uscc}/reports`).send({}),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'GET /api/prepaid/issuers/:uscc/signals',
    call: (a, ctx) => a.get(`/api/prepaid/issuers/${ctx.uscc}/signals`),
    expect: signedIn(404, 404, 404, 403),
  },
  {
    route: 'POST /api/prepaid/issuers/:uscc/signals',
    call: (a, ctx) => a.post(`/api/prepaid/issuers/${ctx.uscc}/signals`).send({}),
    expect: signedIn(404, 404, 403, 403),
  },
  {
    route: 'POST /api/prepaid/import/:kind',
    call: (a) => a.post('/api/prepaid/import/reports').set('Content-Type', 'text/csv').send('x,y\n1,2\n'),
    expect: signedIn(422, 422, 403, 403),
  },
];

/** Every route the express application serves (the OpenAPI UI's own files under /docs aside). */
function servedRoutes(t: TestApp): string[] {
  const instance = t.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const routes = new Set<string>();
  for (const layer of instance.router.stack) {
    if (!layer.route) continue;
    const path = layer.route.path;
    if (path === '/docs' || path.startsWith('/docs/') || path === '/docs-json' || path === '/docs-yaml')
      continue;
    for (const [m, on] of Object.entries(layer.route.methods))
      if (on && m !== '_all') routes.add(`${m.toUpperCase()} ${path}`);
  }
  return [...routes].sort();
}

describe('authorisation matrix', () => {
  let t: TestApp;
  let uscc: string;
  let otherUscc: string;
  let n = 0;
  let drawId: number | undefined;
  let itemCode: string | undefined;
  let completedCode: Promise<string> | undefined;
  let decisionId: Promise<number> | undefined;
  const nextUscc = () => buildUscc('91', '310110', `MX${String(++n).padStart(6, '0')}`);

  beforeAll(async () => {
    t = await createTestApp();
    uscc = nextUscc();
    otherUscc = nextUscc();
    for (const u of [uscc, otherUscc])
      await t.admin
        .post('/api/enterprises')
        .send({ uscc: u, name: `上海矩阵企业${u.slice(-4)}有限公司` })
        .expect(201);
  });
  afterAll(() => t.close());

  it('has a row for every route served, and no row for a route that is not', () => {
    expect(servedRoutes(t)).toEqual(MATRIX.map((r) => r.route).sort());
  });

  it('the OpenAPI description lists the same operations, each with its roles (x-roles)', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body;
    const ops: string[] = [];
    for (const [p, item] of Object.entries(
      doc.paths as Record<string, Record<string, { 'x-roles'?: string[] }>>,
    ))
      for (const [m, op] of Object.entries(item)) {
        ops.push(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
        expect(op['x-roles']?.length).toBeGreaterThan(0);
      }
    expect(ops.sort()).toEqual(MATRIX.map((r) => r.route).sort());
  });

  for (const row of MATRIX)
    it(`${row.route}: ${CALLERS.map((c) => `${c} ${row.expect[c]}`).join(', ')}`, async () => {
      const got: Record<string, number> = {};
      for (const caller of CALLERS) {
        let agent: Agent = request.agent(t.http);
        const role = caller === 'otherEnterprise' ? 'enterprise' : caller;
        const opts = role === 'enterprise' ? { uscc: caller === 'enterprise' ? uscc : otherUscc } : {};
        if (role !== 'public') ({ agent } = await t.signIn(role, opts));
        const ctx: Ctx = {
          uscc,
          caller,
          newUscc: nextUscc,
          victim: async () => (await t.signIn('inspector')).user.id,
          draw: async () => {
            if (drawId === undefined) {
              const { agent: regulator } = await t.signIn('regulator');
              const res = await regulator.post('/api/draws').send({ seed: '矩阵-读', ratios: { D: 1 } });
              expect(res.status).toBe(201);
              drawId = res.body.id as number;
            }
            return drawId!;
          },
          item: async () => {
            if (itemCode === undefined) {
              await t.admin
                .post('/api/inspection-items')
                .send({
                  code: 'MX-ITEM',
                  name: '矩阵事项',
                  department: 'market',
                  legalBasis: '依据',
                  checkMethod: 'documents',
                  requirements: ['要求'],
                })
                .expect(201);
              itemCode = 'MX-ITEM';
            }
            return itemCode;
          },
          inspector: async () => {
            const { user } = await t.signIn('inspector');
            return { id: user.id, username: user.username, credentialNo: user.credentialNo! };
          },
          recusal: async () => {
            const { agent: declarer } = await t.signIn('inspector');
            const res = await declarer.post('/api/recusals').send({ enterpriseUscc: uscc, reason: '矩阵' });
            expect(res.status).toBe(201);
            return res.body.id as number;
          },
          completedCodeNo: () =>
            (completedCode ??= (async () => {
              const [e] = await t.dataSource.query(`SELECT id, uscc FROM enterprise WHERE uscc = $1`, [uscc]);
              const code = await issueTestCode(t, { enterprise: { id: Number(e.id), uscc } });
              await completeTestCode(t, code);
              return code.codeNo;
            })()),
          decision: () =>
            (decisionId ??= (async () => {
              const [e] = await t.dataSource.query(`SELECT id FROM enterprise WHERE uscc = $1`, [uscc]);
              return (await insertDecision(t.dataSource, { enterpriseId: Number(e.id) })).id;
            })()),
          loginUser: async () => ({
            username: (await t.signIn('inspector')).user.username,
            password: TEST_PASSWORD,
          }),
          browser: async () =>
            role === 'public' ? { agent: request.agent(t.http), csrf: '' } : t.signInSession(role, opts),
        };
        const res = await row.call(agent, ctx);
        got[caller] = res.status;
      }
      expect(got).toEqual(row.expect);
    });
});
