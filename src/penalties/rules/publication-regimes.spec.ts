import { describe, expect, it } from '@jest/globals';
import {
  ARTICLE_TO_CHECK,
  type DecisionFacts,
  PUBLICATION_REGIMES,
  type RuleSource,
  citationText,
  isLowerFine,
  lowerFineThresholds,
  publicationPeriods,
  regimeFor,
} from './publication-regimes.js';

// Configuration defaults: below 100,000 yuan (organisation) / 10,000 yuan (natural person) is lower.
const T = lowerFineThresholds({ LOWER_FINE_ORGANISATION_YUAN: 100_000, LOWER_FINE_PERSON_YUAN: 10_000 });
const ORG_THRESHOLD_FEN = 10_000_000;
const PERSON_THRESHOLD_FEN = 1_000_000;

const facts = (f: Partial<DecisionFacts>): DecisionFacts => ({
  kind: 'penalty',
  decisionDate: '2023-06-01',
  procedure: 'general',
  penaltyTypes: ['fine'],
  fineFen: ORG_THRESHOLD_FEN,
  domain: 'general',
  party: 'organisation',
  ...f,
});
/** periods under the regime in force on the decision date */
const periods = (f: Partial<DecisionFacts>) => {
  const x = facts(f);
  return publicationPeriods(x, regimeFor(x.decisionDate), T);
};
const ruleOf = (p: ReturnType<typeof periods>, field: string) => p.rules.filter((r) => r.field === field);

describe('lowerFineThresholds and isLowerFine', () => {
  it('converts the configured yuan to fen', () => {
    expect(T).toEqual({ organisationFen: ORG_THRESHOLD_FEN, naturalPersonFen: PERSON_THRESHOLD_FEN });
  });
  it('a fine below the threshold is lower; the threshold itself is not', () => {
    expect(isLowerFine(ORG_THRESHOLD_FEN - 1, 'organisation', T)).toBe(true);
    expect(isLowerFine(ORG_THRESHOLD_FEN, 'organisation', T)).toBe(false);
    expect(isLowerFine(PERSON_THRESHOLD_FEN - 1, 'natural_person', T)).toBe(true);
    expect(isLowerFine(PERSON_THRESHOLD_FEN, 'natural_person', T)).toBe(false);
  });
});

describe('regimeFor: dates of force', () => {
  it('before 2021-09-01 no regime applies', () => {
    expect(() => regimeFor('2021-08-31')).toThrow(/no publication regime is in force on 2021-08-31/);
  });
  it.each([
    ['2021-09-01', 'SAMR-2021'],
    ['2023-04-30', 'SAMR-2021'],
    ['2023-05-01', 'SH-2023'],
    ['2026-03-31', 'SH-2023'],
    ['2026-04-01', 'NDRC-2026'],
    ['2030-01-01', 'NDRC-2026'],
  ])('a decision of %s is under %s', (date, code) => {
    expect(regimeFor(date).code).toBe(code);
  });
  it('SAMR-2021 stays an alternative until the 2026 regime; a regime is never applied before it starts', () => {
    expect(regimeFor('2024-01-10', PUBLICATION_REGIMES, 'SAMR-2021').code).toBe('SAMR-2021');
    expect(() => regimeFor('2026-04-01', PUBLICATION_REGIMES, 'SAMR-2021')).toThrow(
      /not in force on 2026-04-01/,
    );
    expect(() => regimeFor('2026-03-31', PUBLICATION_REGIMES, 'NDRC-2026')).toThrow(/not in force/);
    expect(() => regimeFor('2024-01-10', PUBLICATION_REGIMES, 'SH-2099')).toThrow(/unknown/);
  });
});

describe('not published (Order 45 第七条)', () => {
  it.each([
    [['warning'], '仅受到警告、通报批评'],
    [['reprimand'], '仅受到警告、通报批评'],
    [['warning', 'reprimand'], '仅受到警告、通报批评'],
  ])('types %j alone', (types, reason) => {
    const p = periods({ penaltyTypes: types as DecisionFacts['penaltyTypes'], fineFen: null });
    expect(p.published).toBe(false);
    expect(p.notPublishedReason).toContain(reason);
    expect(p.publicationLastDay).toBeNull();
    expect(p.countsUntil).toBeNull();
    expect(ruleOf(p, 'published')[0]).toMatchObject({ article: '第七条' });
  });
  it('summary procedure, even with a fine at the threshold, under every regime', () => {
    for (const decisionDate of ['2022-03-01', '2023-06-01', '2026-04-07']) {
      const p = periods({ decisionDate, procedure: 'summary' });
      expect(p.published).toBe(false);
      expect(p.notPublishedReason).toContain('简易程序');
    }
  });
});

describe('SH-2023 (the district default, decisions 2023-05-01 .. 2026-03-31)', () => {
  it('a fine at the organisation threshold: 3 years, repair after 3 months, published within 20 working days', () => {
    const p = periods({});
    expect(p).toMatchObject({
      regimeCode: 'SH-2023',
      published: true,
      decidingType: 'fine',
      classLabel: '其他行政处罚',
      publishBy: '2023-06-30', // Dragon Boat 06-22..06-24 off, Sunday 06-25 worked
      publicationStart: '2023-06-01',
      publicationLastDay: '2026-06-01',
      countsUntil: '2026-06-02',
      earliestRepairOn: '2023-09-02',
      neverEndedEarly: false,
      provisional: false,
    });
    // each source one document with its own article; the rule's second source in `also`
    expect(ruleOf(p, 'earliestRepairOn')[0]).toMatchObject({
      document: '上海市优化营商环境条例',
      article: '第六十七条',
      also: [{ document: expect.stringContaining('第58号'), article: '第十一条' }],
    });
    expect(citationText(ruleOf(p, 'earliestRepairOn')[0])).toBe(
      '上海市优化营商环境条例第六十七条；失信行为纠正后的信用信息修复管理办法（试行）（国家发展和改革委员会令第58号）第十一条',
    );
    expect(ruleOf(p, 'publicationLastDay')[0]).toMatchObject({
      document: expect.stringContaining('第45号'),
      article: '第十四条第二款',
      also: [{ document: '中华人民共和国民法典', article: '第二百零一条至第二百零三条' }],
    });
  });
  it('a fine one fen below the organisation threshold: 3 months, no repair (ends on its own)', () => {
    const p = periods({ fineFen: ORG_THRESHOLD_FEN - 1 });
    expect(p).toMatchObject({
      published: true,
      classLabel: '通报批评或较低数额罚款',
      publicationLastDay: '2023-09-01',
      countsUntil: '2023-09-02',
      earliestRepairOn: null,
    });
    expect(ruleOf(p, 'earliestRepairOn')[0].text).toContain('自动停止公示');
  });
  it('natural person: the day before and the day of the threshold', () => {
    expect(periods({ party: 'natural_person', fineFen: PERSON_THRESHOLD_FEN - 1 }).publicationLastDay).toBe(
      '2023-09-01',
    );
    expect(periods({ party: 'natural_person', fineFen: PERSON_THRESHOLD_FEN }).publicationLastDay).toBe(
      '2026-06-01',
    );
    // the organisation threshold does not apply to a person: 50,000 yuan is not lower for a person
    expect(periods({ party: 'natural_person', fineFen: 5_000_000 }).publicationLastDay).toBe('2026-06-01');
    expect(periods({ party: 'organisation', fineFen: 5_000_000 }).publicationLastDay).toBe('2023-09-01');
  });
  it.each(['food', 'drugs', 'special_equipment', 'work_safety', 'fire'] as const)(
    '%s: repair only after 1 year (Order 58 第十一条)',
    (domain) => {
      const p = periods({ domain });
      expect(p.earliestRepairOn).toBe('2024-06-02');
      expect(ruleOf(p, 'earliestRepairOn')[0]).toMatchObject({ article: '第十一条' });
      expect(ruleOf(p, 'earliestRepairOn')[0].text).toContain('安全生产');
    },
  );
  it('licence revocation: 3 years, never ended early, no repair', () => {
    const p = periods({ penaltyTypes: ['licence_revocation'], fineFen: null });
    expect(p).toMatchObject({
      publicationLastDay: '2026-06-01',
      neverEndedEarly: true,
      earliestRepairOn: null,
      decidingType: 'licence_revocation',
    });
    expect(ruleOf(p, 'neverEndedEarly')[0]).toMatchObject({ article: '第十五条' });
    expect(ruleOf(p, 'neverEndedEarly')[0].text).toContain('吊销许可证件');
  });
  it('several types: the longest period and the type that decided it', () => {
    const lowerAndRevocation = periods({ penaltyTypes: ['fine', 'licence_revocation'], fineFen: 100_000 });
    expect(lowerAndRevocation).toMatchObject({ decidingType: 'licence_revocation', neverEndedEarly: true });
    expect(lowerAndRevocation.publicationLastDay).toBe('2026-06-01');
    const lowerAndConfiscation = periods({ penaltyTypes: ['fine', 'confiscation'], fineFen: 100_000 });
    expect(lowerAndConfiscation).toMatchObject({
      decidingType: 'confiscation',
      publicationLastDay: '2026-06-01',
      earliestRepairOn: '2023-09-02',
    });
    const warningAndLowerFine = periods({ penaltyTypes: ['warning', 'fine'], fineFen: 100_000 });
    expect(warningAndLowerFine).toMatchObject({ decidingType: 'fine', publicationLastDay: '2023-09-01' });
    const reprimandAndLowerFine = periods({ penaltyTypes: ['reprimand', 'fine'], fineFen: 100_000 });
    expect(reprimandAndLowerFine.publicationLastDay).toBe('2023-09-01');
  });
  it('serious listing: 3 years on the list, removal applied for after 1 year (Order 44)', () => {
    const p = periods({ kind: 'serious_listing', penaltyTypes: [], fineFen: null, procedure: 'summary' });
    expect(p).toMatchObject({
      published: true,
      decidingType: null,
      classLabel: '严重违法失信名单',
      publicationLastDay: '2026-06-01',
      earliestRepairOn: '2024-06-02',
      neverEndedEarly: false,
    });
  });
  it('published later than the decision: the period runs from publication', () => {
    const p = periods({ publishedOn: '2023-06-10' });
    expect(p).toMatchObject({
      publicationStart: '2023-06-10',
      publicationLastDay: '2026-06-10',
      earliestRepairOn: '2023-09-11',
      publishBy: '2023-06-30',
    });
  });
  it('published before the decision, no types, a fine without amount or a negative one: errors', () => {
    expect(() => periods({ publishedOn: '2023-05-31' })).toThrow(/before the decision date/);
    expect(() => periods({ penaltyTypes: [] })).toThrow(/at least one penalty type/);
    expect(() => periods({ fineFen: null })).toThrow(/fineFen/);
    expect(() => periods({ fineFen: -1 })).toThrow(/non-negative/);
    expect(() => periods({ publishedOn: '2023-06-31' })).toThrow(/not a date/);
  });
  it('a last day on a holiday moves (Civil Code art. 203) and says so', () => {
    // published 2023-07-01: + 3 months = 2023-10-01, National Day (2023-09-29..10-06 off) -> 2023-10-07 (a make-up Saturday)
    const p = periods({ decisionDate: '2023-06-30', publishedOn: '2023-07-01', fineFen: 100_000 });
    expect(p.publicationLastDay).toBe('2023-10-07');
    expect(ruleOf(p, 'publicationLastDay')[0].text).toContain('2023-10-01为法定休假日');
  });
});

describe('SAMR-2021 (decisions 2021-09-01 .. 2023-04-30; an alternative later)', () => {
  it('a fine at the threshold: 3 years (last day on a Saturday -> Monday), repair after 6 months', () => {
    const p = periods({ decisionDate: '2022-03-01' });
    expect(p).toMatchObject({
      regimeCode: 'SAMR-2021',
      publicationLastDay: '2025-03-03',
      countsUntil: '2025-03-04',
      earliestRepairOn: '2022-09-02',
    });
  });
  it("food, drugs, special equipment: 1 year; work safety and fire: 6 months (SAMR's list is shorter)", () => {
    for (const domain of ['food', 'drugs', 'special_equipment'] as const) {
      const p = periods({ decisionDate: '2022-03-01', domain });
      expect(p.earliestRepairOn).toBe('2023-03-02');
      expect(ruleOf(p, 'earliestRepairOn')[0].text).not.toContain('安全生产');
    }
    for (const domain of ['work_safety', 'fire'] as const)
      expect(periods({ decisionDate: '2022-03-01', domain }).earliestRepairOn).toBe('2022-09-02');
  });
  it("chosen as the alternative for a 2024 decision: 6 months instead of SH-2023's 3", () => {
    const x = facts({ decisionDate: '2024-03-05' });
    expect(
      publicationPeriods(x, regimeFor(x.decisionDate, PUBLICATION_REGIMES, 'SAMR-2021'), T).earliestRepairOn,
    ).toBe('2024-09-06');
    expect(periods({ decisionDate: '2024-03-05' }).earliestRepairOn).toBe('2024-06-06');
  });
  it('licence revocation: never ended early', () => {
    expect(
      periods({ decisionDate: '2022-03-01', penaltyTypes: ['licence_revocation'], fineFen: null }),
    ).toMatchObject({
      neverEndedEarly: true,
      earliestRepairOn: null,
    });
  });
});

describe('NDRC-2026 (decisions from 2026-04-01): light / general / serious', () => {
  it('light: a lower fine, 3 months, not repaired', () => {
    const p = periods({ decisionDate: '2026-04-07', fineFen: ORG_THRESHOLD_FEN - 1 });
    expect(p).toMatchObject({
      regimeCode: 'NDRC-2026',
      classLabel: '轻微失信信息',
      publicationLastDay: '2026-07-07',
      earliestRepairOn: null,
      provisional: false,
    });
  });
  it('general: 1 year, repair after 3 months in every domain (no longer wait for food, work safety, fire)', () => {
    for (const domain of ['general', 'food', 'work_safety', 'fire'] as const) {
      const p = periods({ decisionDate: '2026-04-07', domain });
      expect(p).toMatchObject({ classLabel: '一般失信信息', earliestRepairOn: '2026-07-08' });
      // the last day 2027-04-07 lies in a year the calendar does not cover yet
      expect(p.publicationLastDay).toBe('2027-04-07');
      expect(p.provisional).toBe(true);
    }
  });
  it('serious: a licence revocation is published 3 years, never ended early', () => {
    const p = periods({ decisionDate: '2026-04-07', penaltyTypes: ['licence_revocation'], fineFen: null });
    expect(p).toMatchObject({
      classLabel: '严重失信信息',
      neverEndedEarly: true,
      earliestRepairOn: null,
      provisional: true,
    });
    expect(p.publicationLastDay! >= '2029-04-07').toBe(true);
  });
  it('serious listing: 3 years, repair after 1 year', () => {
    const p = periods({
      decisionDate: '2026-04-07',
      kind: 'serious_listing',
      penaltyTypes: [],
      fineFen: null,
    });
    expect(p).toMatchObject({ earliestRepairOn: '2027-04-08', provisional: true });
  });
  it("the day before the regime: SH-2023's 3 years", () => {
    expect(periods({ decisionDate: '2026-03-31' })).toMatchObject({
      regimeCode: 'SH-2023',
      earliestRepairOn: '2026-07-01',
    });
  });
});

describe('publish-by across the Spring Festival 2026', () => {
  it('20 working days from 2026-02-06: 2026-03-12 (make-up Saturdays 02-14 and 02-28 count, 02-16 does not)', () => {
    const p = periods({ decisionDate: '2026-02-06' });
    expect(p.publishBy).toBe('2026-03-12');
    expect(ruleOf(p, 'publishBy')[0]).toMatchObject({ article: '第八条' });
    expect(ruleOf(p, 'publishBy')[0].text).toContain('2026-03-12');
  });
});

describe('the regimes as data', () => {
  it('every regime names its source for every rule, and the spans do not overlap', () => {
    for (const r of PUBLICATION_REGIMES) {
      for (const c of [r.params.minor, r.params.standard, r.params.serious, r.params.seriousListing]) {
        expect(c.source.document.length).toBeGreaterThan(4);
        expect(c.source.article.length).toBeGreaterThan(1);
        if (c.repairAfter) expect(c.repairSource).not.toBeNull();
      }
    }
    // every source, of every regime: ONE document (no ；-joined pair) with its own article
    const sources: RuleSource[] = [];
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      if ('document' in v && 'article' in v) sources.push(v as RuleSource);
      Object.values(v).forEach(walk);
    };
    PUBLICATION_REGIMES.forEach((r) => walk(r.params));
    expect(sources.length).toBeGreaterThan(20);
    for (const x of sources) {
      expect([x.document, x.document.includes('；')]).toEqual([x.document, false]);
      expect([x.document, x.article.includes('；')]).toEqual([x.document, false]);
      // an article (第…条) or the honest note, never a label standing in for one
      expect([
        x.document,
        /^第[一二三四五六七八九十百零]+条/.test(x.article) || x.article === ARTICLE_TO_CHECK,
      ]).toEqual([x.document, true]);
    }
    // the 2026 measures: no article is made up
    const ndrc = PUBLICATION_REGIMES.find((r) => r.code === 'NDRC-2026')!.params;
    expect([ndrc.minor.source.article, ndrc.standard.repairSource!.article]).toEqual([
      ARTICLE_TO_CHECK,
      ARTICLE_TO_CHECK,
    ]);
    for (let i = 1; i < PUBLICATION_REGIMES.length; i++)
      expect(PUBLICATION_REGIMES[i].inForceFrom > PUBLICATION_REGIMES[i - 1].inForceUntil!).toBe(true);
  });
});
