import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { departmentName, type Department } from '../src/auth/roles.js';
import { buildUscc } from '../src/common/uscc.js';
import type { CreditRecordKind } from '../src/credit/rules/record-kinds.js';
import { Agent, TestApp, createTestApp } from './helpers.js';

/**
 * Who may post what (docs/security.md; credit/rules/record-authorities.ts): every record kind
 * posted by regulators of several departments, each as its own department. The expected answers
 * are written out here, not derived from the table under test.
 */
const BODIES: Record<CreditRecordKind, Record<string, unknown>> = {
  administrative_penalty: {
    decisionNo: '沪杨罚〔2026〕1号',
    procedure: 'general',
    penaltyTypes: ['fine'],
    fineFen: 500000,
  },
  listing: { listType: 'anomaly', listedOn: '2026-03-01' },
  complaint: { channel: '12345', subject: '投诉' },
  referral: { subject: '转办' },
  inspection_result: { outcome: 'no_problem' },
  judgment_defaulter: {},
  unpaid_tax: { amountFen: 1200000 },
  product_spot_check: { outcome: 'failed' },
  judicial_case: { caseType: 'enforcement' },
  commendation: {},
  registration_change: { changeItem: 'address' },
};

const DEPTS: Department[] = ['market', 'health', 'tax', 'court', 'fire'];
const ANY = [201, 201, 201, 201, 201];
/** kind -> status for market, health, tax, court, fire */
const EXPECTED: Record<CreditRecordKind, number[]> = {
  administrative_penalty: ANY,
  listing: [201, 403, 403, 403, 403],
  complaint: ANY,
  referral: ANY,
  inspection_result: ANY,
  judgment_defaulter: [403, 403, 403, 201, 403],
  unpaid_tax: [403, 403, 201, 403, 403],
  product_spot_check: [201, 403, 403, 403, 403],
  judicial_case: [403, 403, 403, 201, 403],
  commendation: ANY,
  registration_change: [201, 403, 403, 403, 403],
};

describe('who may post which kind of credit record', () => {
  let t: TestApp;
  const uscc = buildUscc('91', '310110', 'AUTH0001');
  const agents = {} as Record<Department, { agent: Agent; id: number }>;

  beforeAll(async () => {
    t = await createTestApp();
    await t.admin.post('/api/enterprises').send({ uscc, name: '上海权限测试有限公司' }).expect(201);
    for (const d of DEPTS) {
      const { agent, user } = await t.signIn('regulator', { department: d });
      agents[d] = { agent, id: user.id };
    }
  });
  afterAll(() => t.close());

  const post = (agent: Agent, kind: CreditRecordKind, dept: string, n: number) =>
    agent.post(`/api/enterprises/${uscc}/credit-records`).send({
      kind,
      recordDate: '2026-03-01',
      sourceDepartment: departmentName('杨浦区', dept),
      sourceSystem: 'matrix',
      sourceKey: `${kind}-${dept}-${n}`,
      ...BODIES[kind],
    });

  it('answers every kind x department as the table says (403s audited with the reason)', async () => {
    const got: Record<string, number[]> = {};
    let n = 0;
    for (const kind of Object.keys(EXPECTED) as CreditRecordKind[]) {
      got[kind] = [];
      for (const d of DEPTS) {
        const res = await post(agents[d].agent, kind, d, ++n);
        got[kind].push(res.status);
        if (res.status === 403) {
          expect(res.body.message).toContain(`${kind} records are issued by`);
          expect(res.body.message).toContain(`not by ${d}`);
        }
      }
    }
    expect(got).toEqual(EXPECTED);

    const denied = await t.dataSource.query(
      `SELECT actor_department AS dep, after->>'reason' AS reason FROM audit_log
        WHERE action = 'access.denied' AND entity_type = 'credit_record' ORDER BY seq`,
    );
    const refusals = Object.values(EXPECTED)
      .flat()
      .filter((s) => s === 403).length;
    expect(denied).toHaveLength(refusals);
    expect(denied.every((d: { reason: string }) => / records are issued by .* not by /.test(d.reason))).toBe(
      true,
    );
    // an admin acts for the bureau and is not limited by kind
    await t.admin
      .post(`/api/enterprises/${uscc}/credit-records`)
      .send({ kind: 'judgment_defaulter', recordDate: '2026-03-02', sourceDepartment: '杨浦区人民法院' })
      .expect(201);
  });

  it('a health regulator cannot move an enterprise to D with a defaulter record; nothing is stored', async () => {
    const before = await t.admin.get(`/api/enterprises/${uscc}/credit-records`).expect(200);
    const res = await post(agents.health.agent, 'judgment_defaulter', 'health', 999).expect(403);
    expect(res.body.message).toMatch(
      /^judgment_defaulter records are issued by court only \(.*法释〔2017〕7号.*\), not by health$/,
    );
    const after = await t.admin.get(`/api/enterprises/${uscc}/credit-records`).expect(200);
    expect(after.body).toHaveLength(before.body.length);
  });
});
