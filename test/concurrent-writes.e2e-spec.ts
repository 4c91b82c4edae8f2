import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, createTestApp } from './helpers.js';

/**
 * Writes for one enterprise at the same time: each waits for the one before (one writer per
 * enterprise, ScoringService.rescoreEnterprise) and none fails. Two decisions recorded together
 * deadlocked (HTTP 500) while the enterprise row was locked FOR UPDATE behind the KEY SHARE locks
 * of the rows each had just written (adversarial run of issue 13).
 */
const USCC = '91310115MA1FL8Q20P';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('concurrent writes for one enterprise', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.admin
      .post('/api/enterprises')
      .send({ uscc: USCC, name: '上海示例美容美发有限公司', establishedOn: '2015-03-01' })
      .expect(201);
  });
  afterAll(() => t.close());

  it('six credit records posted at once are all stored, and the score counts all six', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.admin.post(`/api/enterprises/${USCC}/credit-records`).send({
          kind: 'complaint',
          recordDate: today,
          sourceDepartment: '12315',
          subject: `并发投诉${i}`,
        }),
      ),
    );
    expect(answers.map((a) => [a.status, a.status === 201 ? null : a.body])).toEqual(
      [0, 1, 2, 3, 4, 5].map(() => [201, null]),
    );
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id
        WHERE e.uscc = $1 AND r.kind = 'complaint'`,
      [USCC],
    );
    expect(n).toBe(6);
  });

  it('four penalty decisions recorded at once are all stored with their records', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        t.admin.post('/api/penalty-decisions').send({
          decisionNo: `沪市监杨处〔${today.slice(0, 4)}〕并发${i + 1}号`,
          kind: 'penalty',
          enterpriseUscc: USCC,
          partyType: 'organisation',
          decisionDate: today,
          procedure: 'general',
          penaltyTypes: ['fine'],
          fineFen: 20_000_000 + i,
          domain: 'general',
          outcome: 'penalty',
          violation: `销售不合格产品（第${i + 1}批）`,
          legalBasis: `《中华人民共和国产品质量法》第${49 + i}条`,
          department: 'market',
          delivery: { channel: 'in_person', deliveredOn: today, recipient: '法定代表人' },
        }),
      ),
    );
    expect(answers.map((a) => [a.status, a.status === 201 ? null : a.body])).toEqual(
      [0, 1, 2, 3].map(() => [201, null]),
    );
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM penalty_decision d JOIN enterprise e ON e.id = d.enterprise_id
        WHERE e.uscc = $1 AND d.credit_record_id IS NOT NULL`,
      [USCC],
    );
    expect(n).toBe(4);
  });
});
