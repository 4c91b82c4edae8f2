import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildUscc } from '../src/common/uscc.js';
import { indicatorQuery, pairIndicatorQuery, recordsBehindQuery } from '../src/credit/indicator-sql.js';
import { SCORECARD_V2 } from '../src/credit/rules/default-scorecard.js';
import { INDICATOR_KEYS, recencyOf, type IndicatorKey } from '../src/credit/rules/scorecard.js';
import { TestApp, createTestApp } from './helpers.js';

/**
 * Every indicator, computed in SQL from real records through the API, as of 2026-06-30: the batch
 * query, the per-date query and the records-behind query must agree (one set of definitions).
 */
const AS_OF = '2026-06-30';
const DEPT = '杨浦区市场监督管理局';
const recency = recencyOf(SCORECARD_V2);
let n = 0;
const decision = () => `沪市监杨处〔2026〕${++n}号`;
// a fine of 100,000 yuan: not a lower-amount fine (configured threshold), so published 3 years
// (SH-2023, issue 13) and counted by the scorecard's windows alone; `fineFen` overrides it
const penalty = (recordDate: string, types: string[], procedure = 'general', fineFen = 10_000_000) => ({
  kind: 'administrative_penalty',
  recordDate,
  sourceDepartment: DEPT,
  decisionNo: decision(),
  procedure,
  penaltyTypes: types,
  ...(types.includes('fine') ? { fineFen } : {}),
});
const rec = (kind: string, recordDate: string, extra: object = {}) => ({
  kind,
  recordDate,
  sourceDepartment: DEPT,
  ...extra,
});

interface Case {
  name: string;
  enterprise?: object;
  records: object[];
  /** other enterprises registered first (related parties) */
  others?: { enterprise: object; records: object[] }[];
  expect: Partial<Record<IndicatorKey, number>>;
}

const KEY = 'lr-7f3a9c2e51d04b8a'; // a legal representative's opaque key
const serious = rec('listing', '2026-02-01', { listType: 'serious', listedOn: '2026-02-01' });

const CASES: Case[] = [
  {
    name: 'penalties by severity and recency',
    records: [
      penalty('2026-01-10', ['fine', 'production_suspension']), // severe, within 1 year
      penalty('2024-01-10', ['fine', 'production_suspension']), // severe, 1-3 years
      penalty('2026-02-10', ['fine']), // general, within 1 year
      penalty('2025-03-10', ['fine']), // general, 1-3 years
      penalty('2022-03-10', ['fine']), // general, over 3 years: nothing
      penalty('2026-04-10', ['warning'], 'summary'), // light
      // a lower-amount fine (1,000 yuan): published 3 months, to 2026-01-20: no longer counts on 06-30
      penalty('2025-10-20', ['fine'], 'general', 100_000),
    ],
    expect: {
      penalty_severe_1y: 1,
      penalty_severe_1to3y: 1,
      penalty_general_1y: 1,
      penalty_general_1to3y: 1,
      penalty_light_1y: 1,
    },
  },
  {
    name: 'listings: current, removed, serious',
    records: [
      rec('listing', '2026-03-01', {
        listType: 'anomaly',
        listedOn: '2026-03-01',
        listingReason: '未按规定报送年度报告',
      }),
      rec('listing', '2025-01-01', { listType: 'anomaly', listedOn: '2025-01-01', removedOn: '2025-06-01' }),
      rec('listing', '2026-05-01', { listType: 'serious', listedOn: '2026-05-01' }),
    ],
    expect: { anomaly_listed: 1, anomaly_listings_3y: 2, serious_listed: 1 },
  },
  {
    name: 'complaints per period and trend, referrals; a record past its own end date does not count',
    records: [
      rec('complaint', '2026-05-01', { channel: '12315', subject: '价格欺诈' }),
      rec('complaint', '2026-06-01', { channel: '12315', subject: '虚假宣传' }),
      rec('complaint', '2025-10-01', { channel: '12345', subject: '服务质量' }),
      rec('complaint', '2026-06-10', { channel: '12315', subject: '已办结', validUntil: '2026-06-20' }),
      rec('referral', '2026-02-01', { subject: '无证经营线索' }),
    ],
    expect: { complaints_1y: 3, complaints_rising: 1, referrals_1y: 1 },
  },
  {
    name: 'inspections: counts and recency-weighted findings; spot checks',
    records: [
      rec('inspection_result', '2026-01-01', {
        outcome: 'problems_found',
        details: { severe: 1, major: 1, minor: 2 },
      }),
      rec('inspection_result', '2025-09-01', { outcome: 'no_problem' }),
      rec('inspection_result', '2023-01-01', { outcome: 'refused' }), // outside 3 years: no weight
      rec('product_spot_check', '2025-12-01', { outcome: 'failed' }),
    ],
    expect: {
      inspections_failed_2y: 1,
      inspections_passed_2y: 1,
      spot_checks_failed_2y: 1,
      // 180 days before as-of: 0.5^(180/365.25/0.5) * (1 + 0.3*1 + 0.1*2), square root
      inspection_violations: Math.sqrt(0.5 ** (180 / 365.25 / 0.5) * 1.5),
      // lifetime, no window: problems found and refused (3 years ago) of 3 inspections
      inspections_failed_share: 2 / 3,
    },
  },
  {
    name: 'court and tax facts, commendations',
    records: [
      rec('judgment_defaulter', '2025-05-01', { sourceDepartment: '杨浦区人民法院' }),
      rec('unpaid_tax', '2026-01-01', { sourceDepartment: '杨浦区税务局', amountFen: 500000 }),
      rec('judicial_case', '2025-02-01', { sourceDepartment: '杨浦区人民法院', caseType: 'enforcement' }),
      rec('judicial_case', '2025-02-01', { sourceDepartment: '杨浦区人民法院', caseType: 'judgment' }),
      rec('commendation', '2024-01-01', { subject: '守合同重信用' }),
    ],
    expect: { judgment_defaulter: 1, unpaid_tax: 1, judicial_enforcements_3y: 1, commendations: 1 },
  },
  {
    name: 'basic attributes: established less than a year ago',
    enterprise: { establishedOn: '2025-12-01' },
    records: [],
    expect: { new_enterprise_1y: 1 },
  },
  {
    name: 'related parties: other enterprises of the same legal representative on the serious list',
    enterprise: { legalRepKey: KEY },
    others: [
      { enterprise: { legalRepKey: KEY }, records: [serious] },
      { enterprise: { legalRepKey: KEY }, records: [serious] },
      { enterprise: { legalRepKey: KEY }, records: [] }, // same representative, not listed
      { enterprise: { legalRepKey: 'lr-someone-else-000001' }, records: [serious] },
    ],
    records: [],
    expect: { related_serious_listed: 2 },
  },
  {
    name: 'prepaid-card issuer with two penalties in a year',
    enterprise: { prepaidIssuer: true, industryCode: 'R8930' },
    records: [penalty('2026-01-05', ['warning'], 'summary'), penalty('2026-03-05', ['fine'])],
    expect: { prepaid_penalties_1y: 2, penalty_light_1y: 1, penalty_general_1y: 1 },
  },
  {
    name: 'dynamic information: changes of key particulars in the last year, beyond the first',
    records: [
      rec('registration_change', '2026-01-10', { changeItem: 'legal_representative' }),
      rec('registration_change', '2026-03-10', { changeItem: 'address' }),
      rec('registration_change', '2026-05-10', { changeItem: 'registered_capital' }),
      rec('registration_change', '2026-04-01', { changeItem: 'business_scope' }), // not a key particular
      rec('registration_change', '2025-05-01', { changeItem: 'shareholders' }), // over a year ago
    ],
    expect: { frequent_changes_1y: 2 },
  },
  {
    name: 'basic attributes: a company registering less than 100,000 yuan',
    enterprise: { registeredCapitalFen: 9_999_999 },
    records: [],
    expect: { micro_registered_capital: 1 },
  },
  {
    name: 'basic attributes: no band for a sole trader, none from 100,000 yuan, one key change is ordinary',
    enterprise: { entityType: 'sole_trader', registeredCapitalFen: 500_000 },
    others: [{ enterprise: { registeredCapitalFen: 10_000_000 }, records: [] }],
    records: [rec('registration_change', '2026-01-10', { changeItem: 'legal_representative' })],
    expect: {},
  },
];

describe('indicators in SQL, one case per group', () => {
  let t: TestApp;
  const ids = new Map<string, number>();
  beforeAll(async () => {
    t = await createTestApp();
    let o = 0;
    for (const c of CASES)
      for (const other of c.others ?? []) {
        const uscc = buildUscc('91', '310110', `RP${String(++o).padStart(6, '0')}`);
        await t.admin
          .post('/api/enterprises')
          .send({ uscc, name: `上海关联企业${o}有限公司`, ...other.enterprise })
          .expect(201);
        for (const r of other.records)
          await t.admin.post(`/api/enterprises/${uscc}/credit-records`).send(r).expect(201);
      }
    for (const [i, c] of CASES.entries()) {
      const uscc = buildUscc('91', '310110', `EN${String(i).padStart(6, '0')}`);
      await t.admin
        .post('/api/enterprises')
        .send({ uscc, name: `上海指标测试${i}有限公司`, ...c.enterprise })
        .expect(201);
      for (const r of c.records) {
        const res = await t.admin.post(`/api/enterprises/${uscc}/credit-records`).send(r);
        if (res.status !== 201) throw new Error(`${c.name}: ${JSON.stringify(res.body)}`);
      }
      ids.set(c.name, (await t.dataSource.query(`SELECT id FROM enterprise WHERE uscc = $1`, [uscc]))[0].id);
    }
  });
  afterAll(() => t.close());

  it('every indicator is covered by a case', () => {
    const covered = new Set(CASES.flatMap((c) => Object.keys(c.expect)));
    expect(INDICATOR_KEYS.filter((k) => !covered.has(k))).toEqual([]);
  });

  for (const c of CASES)
    it(`${c.name}: the batch, per-date and records-behind queries agree`, async () => {
      const id = ids.get(c.name)!;
      const [row] = await t.dataSource.query(indicatorQuery(true, recency), [AS_OF, id]);
      const expected = Object.fromEntries(INDICATOR_KEYS.map((k) => [k, c.expect[k] ?? 0]));
      for (const k of INDICATOR_KEYS)
        expect([k, Number(row[k])]).toEqual([k, expect.closeTo(expected[k]!, 9)]);
      const [pair] = await t.dataSource.transaction(async (m) => {
        await m.query(`CREATE TEMP TABLE p (pair_id int, enterprise_id bigint, as_of date) ON COMMIT DROP`);
        await m.query(`INSERT INTO p VALUES (1, $1, $2)`, [id, AS_OF]);
        return m.query(pairIndicatorQuery('p', recency));
      });
      for (const k of INDICATOR_KEYS) expect([k, Number(pair[k])]).toEqual([k, Number(row[k])]);
      // the batch over every enterprise gives the same values
      const batch = await t.dataSource.query(
        `SELECT * FROM (${indicatorQuery(false, recency)}) x WHERE enterprise_id = $2`,
        [AS_OF, id],
      );
      for (const k of INDICATOR_KEYS) expect([k, Number(batch[0][k])]).toEqual([k, Number(row[k])]);
      // every indicator with a value has records behind it (but the register's own attributes)
      const behind: { indicators: string[] }[] = await t.dataSource.query(recordsBehindQuery(recency), [
        AS_OF,
        id,
      ]);
      const fed = new Set(behind.flatMap((b) => b.indicators));
      for (const k of INDICATOR_KEYS)
        if (
          Number(row[k]) > 0 &&
          !['new_enterprise_1y', 'related_serious_listed', 'micro_registered_capital'].includes(k)
        )
          expect([k, fed.has(k)]).toEqual([k, true]);
    });

  it('scores them with v2: the prepaid-card hard rule puts the issuer in D', async () => {
    const related = await t.admin
      .get(`/api/enterprises/${buildUscc('91', '310110', 'EN000006')}/credit/explain?asOf=${AS_OF}`)
      .expect(200);
    expect(related.body.indicators[0]).toMatchObject({
      code: 'related_serious_listed',
      value: 2,
      points: -30,
    });
    expect(related.body.relatedParties.map((p: { uscc: string }) => p.uscc)).toEqual([
      buildUscc('91', '310110', 'RP000001'),
      buildUscc('91', '310110', 'RP000002'),
    ]);
    const res = await t.admin
      .get(`/api/enterprises/${buildUscc('91', '310110', 'EN000007')}/credit`)
      .expect(200);
    expect(res.body.tier).toBe('D');
    expect(res.body.reasons[0]).toMatchObject({ code: 'override:prepaid_penalties' });
  });

  it('scores the new groups with v3 (active on a new database) and shows them in the register and the explanation', async () => {
    const changes = buildUscc('91', '310110', 'EN000008');
    const explained = await t.admin
      .get(`/api/enterprises/${changes}/credit/explain?asOf=${AS_OF}`)
      .expect(200);
    expect(explained.body).toMatchObject({ modelVersion: 'v3', score: 92, tier: 'A' });
    expect(explained.body.indicators[0]).toMatchObject({ code: 'frequent_changes_1y', value: 2, points: -8 });
    const behind = explained.body.records.filter((r: { indicators: string[] }) =>
      r.indicators.includes('frequent_changes_1y'),
    );
    expect(behind.map((r: { changeItem: string }) => r.changeItem).sort()).toEqual([
      'address',
      'legal_representative',
      'registered_capital',
    ]);
    const micro = buildUscc('91', '310110', 'EN000009');
    const view = await t.admin.get(`/api/enterprises/${micro}`).expect(200);
    expect(view.body).toMatchObject({
      registeredCapitalFen: 9_999_999,
      registeredCapitalBand: 'micro',
      score: 98,
    });
    const trader = await t.admin.get(`/api/enterprises/${buildUscc('91', '310110', 'EN000010')}`).expect(200);
    expect(trader.body).toMatchObject({
      registeredCapitalFen: 500_000,
      registeredCapitalBand: null,
      score: 100,
    });
    const atLimit = await t.admin
      .get(`/api/enterprises/${buildUscc('91', '310110', 'RP000005')}`)
      .expect(200);
    expect(atLimit.body).toMatchObject({
      registeredCapitalFen: 10_000_000,
      registeredCapitalBand: 'small',
      score: 100,
    });
    const refused = await t.admin
      .post('/api/enterprises')
      .send({
        uscc: buildUscc('91', '310110', 'EN000099'),
        name: '上海资本测试有限公司',
        registeredCapitalFen: 1.5,
      })
      .expect(422);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['registeredCapitalFen']);
    for (const bad of ['10000000', -1, 9_000_000_000_000_001, true]) {
      const res = await t.admin
        .post('/api/enterprises')
        .send({
          uscc: buildUscc('91', '310110', 'EN000099'),
          name: '上海资本测试有限公司',
          registeredCapitalFen: bad,
        })
        .expect(422);
      // one reason, saying what is wanted and what was given
      expect(res.body.errors).toEqual([
        {
          field: 'registeredCapitalFen',
          reason: `registeredCapitalFen must be a whole number of fen from 0 to 9000000000000000 (a JSON number; 1 yuan = 100 fen), not ${JSON.stringify(bad)}`,
        },
      ]);
    }
  });
});
