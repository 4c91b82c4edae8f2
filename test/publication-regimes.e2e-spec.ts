import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PUBLICATION_REGIMES } from '../src/penalties/rules/publication-regimes.js';
import { Agent, TestApp, createTestApp } from './helpers.js';

/**
 * The publication regimes as stored and the period calculator (issue 13): GET
 * /api/publication-regimes and POST /api/publication-periods/preview on the real database with the
 * real migrations (the regimes seeded by migration 1765756800000), thresholds from configuration.
 */
describe('publication regimes and the period calculator', () => {
  let t: TestApp;
  let regulator: Agent;
  let inspector: Agent;

  beforeAll(async () => {
    // a province with other thresholds: configuration, not code
    t = await createTestApp({ LOWER_FINE_ORGANISATION_YUAN: '50000', LOWER_FINE_PERSON_YUAN: '5000' });
    ({ agent: regulator } = await t.signIn('regulator', { department: 'market' }));
    ({ agent: inspector } = await t.signIn('inspector', { department: 'market' }));
  });
  afterAll(() => t.close());

  const preview = (body: Record<string, unknown>, agent: Agent = regulator) =>
    agent.post('/api/publication-periods/preview').send(body);

  it('lists the three regimes with their dates of force, sources and the configured thresholds', async () => {
    const res = await regulator.get('/api/publication-regimes').expect(200);
    expect(res.body.regimes.map((r: { code: string }) => r.code)).toEqual([
      'SAMR-2021',
      'SH-2023',
      'NDRC-2026',
    ]);
    expect(res.body.regimes[1]).toMatchObject({
      inForceFrom: '2023-05-01',
      inForceUntil: '2026-03-31',
      params: {
        publishWithinWorkingDays: 20,
        sensitiveDomains: ['food', 'drugs', 'special_equipment', 'work_safety', 'fire'],
        standard: { publication: { years: 3 }, repairAfter: { months: 3 } },
        notPublishedSource: { article: '第七条' },
      },
    });
    expect(res.body.regimes[0].alternativeUntil).toBe('2026-03-31');
    expect(res.body).toMatchObject({
      lowerFineOrganisationFen: 5_000_000,
      lowerFineNaturalPersonFen: 500_000,
    });
    await t.admin.get('/api/publication-regimes').expect(200);
  });

  it('the stored regimes are the constant, sources included (the migration seeds from PUBLICATION_REGIMES)', async () => {
    const res = await regulator.get('/api/publication-regimes').expect(200);
    expect(res.body.regimes).toEqual(JSON.parse(JSON.stringify(PUBLICATION_REGIMES)));
    const sh = res.body.regimes.find((r: { code: string }) => r.code === 'SH-2023');
    expect(sh.params.standard.repairSource).toEqual({
      document: '上海市优化营商环境条例',
      article: '第六十七条',
      also: [{ document: expect.stringContaining('第58号'), article: '第十一条' }],
    });
  });

  it('computes the periods with the rule behind every date, under the configured thresholds', async () => {
    // 60,000 yuan: lower in the default configuration (100,000), not here (50,000): 3 years
    const res = await preview({
      decisionDate: '2023-06-01',
      procedure: 'general',
      penaltyTypes: ['fine'],
      fineFen: 6_000_000,
      domain: 'food',
    }).expect(200);
    expect(res.body).toMatchObject({
      regimeCode: 'SH-2023',
      published: true,
      publishBy: '2023-06-30',
      publicationStart: '2023-06-01',
      publicationLastDay: '2026-06-01',
      countsUntil: '2026-06-02',
      earliestRepairOn: '2024-06-02',
      neverEndedEarly: false,
      provisional: false,
    });
    expect(res.body.rules.map((r: { field: string }) => r.field)).toEqual([
      'regime',
      'published',
      'publishBy',
      'publicationLastDay',
      'earliestRepairOn',
    ]);
    const lower = await preview({
      decisionDate: '2023-06-01',
      procedure: 'general',
      penaltyTypes: ['fine'],
      fineFen: 4_999_999,
    }).expect(200);
    expect(lower.body).toMatchObject({ publicationLastDay: '2023-09-01', earliestRepairOn: null });
  });

  it('not published, an alternative regime, a serious listing', async () => {
    const warning = await preview({
      decisionDate: '2024-01-10',
      procedure: 'general',
      penaltyTypes: ['warning'],
    });
    expect(warning.body).toMatchObject({
      published: false,
      notPublishedReason: expect.stringContaining('警告'),
    });
    const samr = await preview({
      decisionDate: '2024-03-05',
      procedure: 'general',
      penaltyTypes: ['confiscation'],
      regimeCode: 'SAMR-2021',
    }).expect(200);
    expect(samr.body).toMatchObject({ regimeCode: 'SAMR-2021', earliestRepairOn: '2024-09-06' });
    const listing = await preview({ kind: 'serious_listing', decisionDate: '2024-03-05' }).expect(200);
    expect(listing.body).toMatchObject({ published: true, earliestRepairOn: '2025-03-06' });
  });

  it('refuses bad facts naming each field, in Chinese, and dates no regime covers', async () => {
    const bad = await preview({
      decisionDate: '2023-06-01',
      publishedOn: '2023-05-01',
      procedure: 'fast',
      penaltyTypes: ['fine', 'flogging'],
      fineFen: -5,
      domain: 'toys',
      partyType: 'company',
    }).expect(422);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['domain', 'fineFen', 'partyType', 'penaltyTypes', 'procedure', 'publishedOn']);
    expect(JSON.stringify(bad.body.errors)).toContain('未知处罚种类：flogging');
    const early = await preview({
      decisionDate: '2021-08-31',
      procedure: 'general',
      penaltyTypes: ['fine'],
      fineFen: 1,
    });
    expect(early.status).toBe(422);
    expect(early.body.errors).toEqual([
      { field: 'decisionDate', reason: '2021-08-31 无适用的公示期规则（最早的规则自 2021-09-01 起施行）' },
    ]);
    const future = await preview({
      decisionDate: '2999-01-01',
      procedure: 'general',
      penaltyTypes: ['confiscation'],
    });
    expect(future.status).toBe(422);
    const notInForce = await preview({
      decisionDate: '2026-04-07',
      procedure: 'general',
      penaltyTypes: ['confiscation'],
      regimeCode: 'SAMR-2021',
    });
    expect(notInForce.status).toBe(422);
    expect(notInForce.body.errors[0]).toMatchObject({ field: 'regimeCode' });
    // amounts: plain decimal fen up to 10^12, and only with a fine
    for (const fineFen of ['0x10', '5e5', 9007199254740991]) {
      const r = await preview({
        decisionDate: '2024-03-05',
        procedure: 'general',
        penaltyTypes: ['fine'],
        fineFen,
      });
      expect([fineFen, r.status, r.body.errors?.[0]?.field]).toEqual([fineFen, 422, 'fineFen']);
    }
    const warningFine = await preview({
      decisionDate: '2024-03-05',
      procedure: 'general',
      penaltyTypes: ['confiscation'],
      fineFen: 99_999_999,
    });
    expect([warningFine.status, warningFine.body.errors?.[0]?.field]).toEqual([422, 'fineFen']);
  });

  it('only regulators and admins', async () => {
    await inspector.get('/api/publication-regimes').expect(403);
    const res = await preview(
      { decisionDate: '2024-01-10', procedure: 'general', penaltyTypes: ['warning'] },
      inspector,
    );
    expect(res.status).toBe(403);
  });
});
