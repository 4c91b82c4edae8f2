/**
 * Publication and repair periods of penalty information (行政处罚信息公示期与信用修复期) under the
 * regime in force on the decision date, as versioned data (domain.md 3.2-3.4). Pure apart from the
 * holiday calendar: no clock, no framework. A rule change is a new regime (a new row of
 * PUBLICATION_REGIMES and of the table publication_regime, by migration), never an edit of one.
 *
 * Regimes (each with its dates of force and the rule behind every number):
 * - `SAMR-2021`: 市场监督管理行政处罚信息公示规定 (SAMR Order 45, 2021) and 市场监督管理信用修复管理办法
 *   (国市监信规〔2021〕3号): publication 3 months for a reprimand or lower-amount fine alone, else 3
 *   years; repair after 6 months of publication, 1 year for food, drugs and special equipment.
 *   In force from 2021-09-01; the district's default until 2023-04-30, an alternative after.
 * - `SH-2023`: the same publication periods (Order 45), repair after 3 months, 1 year for food,
 *   drugs, special equipment, work safety and fire (上海市优化营商环境条例 第六十七条, with NDRC Order 58
 *   失信行为纠正后的信用信息修复管理办法（试行）第十一条: two sources, RuleSource.also); decisions 2023-05-01 .. 2026-03-31,
 *   the district's default.
 * - `NDRC-2026`: 信用修复管理办法 (NDRC, in force 2026-04-01; 国办发〔2025〕22号): three classes,
 *   light (轻微: a reprimand or lower-amount fine alone, published 3 months, not repaired but
 *   ended), general (一般: published 1 year, repair after 3 months), serious (严重: a serious-list
 *   listing, published 3 years, repair after 1 year; a type never ended early: 3 years, no repair). The district's
 *   reading of the classes is this data, stated in docs/credit-repair.md; its articles are cited as
 *   ARTICLE_TO_CHECK（条款以正式文本为准）until checked against the official text.
 *
 * Common to all: not published at all when the summary procedure (简易程序) was used or the only
 * types are a warning (警告) and/or a public reprimand (通报批评) (Order 45 第七条); published within
 * 20 working days of the decision (Order 45 第八条; the window is the official calendar's); the
 * period runs from the day of publication (Order 45 第十四条) by the Civil Code's rules
 * (common/legal-periods.ts); several types in one decision: the longest period wins; the types
 * never ended early (NEVER_ENDED_EARLY: suspension, restriction, post bans, downgrade, revocation,
 * closure) are published their whole period (Order 45 第十五条).
 */
import { addDays } from '../../common/calendar-days.js';
import { type PeriodEnd, type PeriodLength, lengthText, periodLastDay } from '../../common/legal-periods.js';
import { type WorkingDayCalendar, addWorkingDays, officialCalendar } from '../../common/working-days.js';
import {
  NEVER_ENDED_EARLY,
  type PenaltyProcedure,
  type PenaltyType,
} from '../../credit/rules/record-kinds.js';

/** Fields of law where repair waits longer (食品、药品、特种设备、安全生产、消防); `general` is every other. */
export const PENALTY_DOMAINS = [
  'food',
  'drugs',
  'special_equipment',
  'work_safety',
  'fire',
  'general',
] as const;
export type PenaltyDomain = (typeof PENALTY_DOMAINS)[number];

/** The Chinese name of each domain (shown on pages and in the rule texts). */
export const DOMAIN_LABELS: Record<PenaltyDomain, string> = {
  food: '食品',
  drugs: '药品',
  special_equipment: '特种设备',
  work_safety: '安全生产',
  fire: '消防',
  general: '其他',
};

/** Who was penalised: an organisation (单位) or a natural person (自然人), for the lower-amount threshold. */
export const PARTY_TYPES = ['organisation', 'natural_person'] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

/** A penalty decision (行政处罚决定) or a decision listing on the serious list (列入严重违法失信名单决定). */
export const DECISION_KINDS = ['penalty', 'serious_listing'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/**
 * A source of a rule: ONE document and its own article. A rule resting on two documents carries
 * the second in `also` (each again one document with its article), never two documents joined in
 * one text with their articles joined in another.
 */
export interface RuleSource {
  document: string;
  /** the article (第十一条, 第十四条第二款), or ARTICLE_TO_CHECK when the numbering is not confirmed */
  article: string;
  /** further documents the same rule rests on, each with its own article */
  also?: RuleSource[];
}

/**
 * The article of a document whose official numbering the rules do not yet cite with confidence
 * (docs/credit-repair.md "Citations to check"): said honestly instead of a made-up article.
 */
export const ARTICLE_TO_CHECK = '（条款以正式文本为准）';

/**
 * A source as one line: every document followed by its own article, joined by ；, e.g.
 * 上海市优化营商环境条例第六十七条；失信行为纠正后的信用信息修复管理办法（试行）（国家发展和改革委员会令第58号）第十一条.
 */
export function citationText(s: RuleSource): string {
  return [s, ...(s.also ?? [])].map((x) => `${x.document}${x.article}`).join('；');
}

/** One class of penalty information under a regime: how long it is published and when repair opens. */
export interface RegimeClass {
  /** 3个月 / 1年 / 3年 */
  publication: PeriodLength;
  /** repair may be applied for once this much of the publication has run; null: never repaired, only ended */
  repairAfter: PeriodLength | null;
  /** repair after, in the sensitive domains (null: as repairAfter) */
  repairAfterSensitive: PeriodLength | null;
  /** Chinese name of the class (shown on the notice) */
  label: string;
  source: RuleSource;
  repairSource: RuleSource | null;
}

/** A regime's rules as data (the jsonb `params` of publication_regime). */
export interface RegimeParams {
  /** working days after the decision by which the information is published (20) */
  publishWithinWorkingDays: number;
  /** the class of a reprimand or lower-amount fine (较低数额罚款) standing alone */
  minor: RegimeClass;
  /** the class of every other published penalty */
  standard: RegimeClass;
  /** the class of a type never ended early */
  serious: RegimeClass;
  /** the class of a serious-list listing (列入严重违法失信名单) */
  seriousListing: RegimeClass;
  /** domains whose repair waits `repairAfterSensitive` */
  sensitiveDomains: PenaltyDomain[];
  notPublishedSource: RuleSource;
  publishWithinSource: RuleSource;
  neverEarlySource: RuleSource;
  sensitiveSource: RuleSource | null;
}

/** A regime: its code, name, dates of force and rules. */
export interface PublicationRegime {
  code: string;
  name: string;
  /** first decision date it applies to, YYYY-MM-DD */
  inForceFrom: string;
  /** last decision date it applies to by default (inclusive), null: open */
  inForceUntil: string | null;
  /** an alternative a regulator may choose on a date where another regime is the default */
  alternativeUntil: string | null;
  params: RegimeParams;
}

const ORDER45 = '市场监督管理行政处罚信息公示规定（国家市场监督管理总局令第45号）';
const SAMR_REPAIR = '市场监督管理信用修复管理办法（国市监信规〔2021〕3号）';
const SH_REGULATION = '上海市优化营商环境条例';
const ORDER58 = '失信行为纠正后的信用信息修复管理办法（试行）（国家发展和改革委员会令第58号）';
const NDRC2026 = '信用修复管理办法（国家发展和改革委员会，2026年4月1日起施行）';
/** The 2026 measures: the classes are the district's reading; the articles are to be checked (docs/credit-repair.md). */
const ndrc2026: RuleSource = { document: NDRC2026, article: ARTICLE_TO_CHECK };
const CIVIL_CODE_PERIODS: RuleSource = {
  document: '中华人民共和国民法典',
  article: '第二百零一条至第二百零三条',
};

const common = {
  publishWithinWorkingDays: 20,
  notPublishedSource: { document: ORDER45, article: '第七条' },
  publishWithinSource: { document: ORDER45, article: '第八条' },
  neverEarlySource: { document: ORDER45, article: '第十五条' },
};

const ORDER44 = '市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）';
/** A serious-list listing under the SAMR rules: on the list 3 years, early removal applied for after 1 year. */
const order44Listing: RegimeClass = {
  publication: { years: 3 },
  repairAfter: { years: 1 },
  repairAfterSensitive: null,
  label: '严重违法失信名单',
  source: { document: ORDER44, article: '第二十条' },
  repairSource: { document: ORDER44, article: '第十九条' },
};

const order45Minor = { document: ORDER45, article: '第十四条第一款' };
const order45Standard = { document: ORDER45, article: '第十四条第二款' };

/** The regimes, oldest first (seeded into publication_regime by migration 1765756800000). */
export const PUBLICATION_REGIMES: readonly PublicationRegime[] = [
  {
    code: 'SAMR-2021',
    name: '市场监管总局2021年信用修复规定',
    inForceFrom: '2021-09-01',
    inForceUntil: '2023-04-30',
    // domain.md 3.3: SAMR's own repair periods stay selectable as an alternative until the 2026 regime
    alternativeUntil: '2026-03-31',
    params: {
      ...common,
      minor: {
        publication: { months: 3 },
        repairAfter: null,
        repairAfterSensitive: null,
        label: '通报批评或较低数额罚款',
        source: order45Minor,
        repairSource: null,
      },
      standard: {
        publication: { years: 3 },
        repairAfter: { months: 6 },
        repairAfterSensitive: { years: 1 },
        label: '其他行政处罚',
        source: order45Standard,
        repairSource: { document: SAMR_REPAIR, article: '第九条' },
      },
      serious: {
        publication: { years: 3 },
        repairAfter: null,
        repairAfterSensitive: null,
        label: '不得提前停止公示的行政处罚',
        source: order45Standard,
        repairSource: null,
      },
      seriousListing: order44Listing,
      sensitiveDomains: ['food', 'drugs', 'special_equipment'],
      sensitiveSource: { document: SAMR_REPAIR, article: '第九条' },
    },
  },
  {
    code: 'SH-2023',
    name: '上海市优化营商环境条例与发改委第58号令',
    inForceFrom: '2023-05-01',
    inForceUntil: '2026-03-31',
    alternativeUntil: null,
    params: {
      ...common,
      minor: {
        publication: { months: 3 },
        repairAfter: null,
        repairAfterSensitive: null,
        label: '通报批评或较低数额罚款',
        source: order45Minor,
        repairSource: null,
      },
      standard: {
        publication: { years: 3 },
        repairAfter: { months: 3 },
        repairAfterSensitive: { years: 1 },
        label: '其他行政处罚',
        source: order45Standard,
        repairSource: {
          document: SH_REGULATION,
          article: '第六十七条',
          also: [{ document: ORDER58, article: '第十一条' }],
        },
      },
      serious: {
        publication: { years: 3 },
        repairAfter: null,
        repairAfterSensitive: null,
        label: '不得提前停止公示的行政处罚',
        source: order45Standard,
        repairSource: null,
      },
      seriousListing: order44Listing,
      sensitiveDomains: ['food', 'drugs', 'special_equipment', 'work_safety', 'fire'],
      sensitiveSource: { document: ORDER58, article: '第十一条' },
    },
  },
  {
    code: 'NDRC-2026',
    name: '国家发展改革委2026年信用修复管理办法',
    inForceFrom: '2026-04-01',
    inForceUntil: null,
    alternativeUntil: null,
    params: {
      ...common,
      minor: {
        publication: { months: 3 },
        repairAfter: null,
        repairAfterSensitive: null,
        label: '轻微失信信息',
        source: ndrc2026,
        repairSource: null,
      },
      standard: {
        publication: { years: 1 },
        repairAfter: { months: 3 },
        repairAfterSensitive: null,
        label: '一般失信信息',
        source: ndrc2026,
        repairSource: ndrc2026,
      },
      serious: {
        publication: { years: 3 },
        repairAfter: { years: 1 },
        repairAfterSensitive: null,
        label: '严重失信信息',
        source: ndrc2026,
        repairSource: ndrc2026,
      },
      seriousListing: {
        publication: { years: 3 },
        repairAfter: { years: 1 },
        repairAfterSensitive: null,
        label: '严重失信信息（严重违法失信名单）',
        source: ndrc2026,
        repairSource: ndrc2026,
      },
      sensitiveDomains: [],
      sensitiveSource: null,
    },
  },
];

/** The lower-amount fine thresholds (较低数额罚款, set by the province: configuration), in fen: a fine below it is lower. */
export interface LowerFineThresholds {
  organisationFen: number;
  naturalPersonFen: number;
}

/** The facts of a decision the periods depend on. */
export interface DecisionFacts {
  kind: DecisionKind;
  /** date of the decision, YYYY-MM-DD */
  decisionDate: string;
  /** the day the information was (or will be) published; null: the decision date (the service publishes the same day) */
  publishedOn?: string | null;
  procedure: PenaltyProcedure;
  /** at least one for a penalty; ignored for a serious listing */
  penaltyTypes: readonly PenaltyType[];
  /** the fine in fen (分), null when no fine */
  fineFen: number | null;
  domain: PenaltyDomain;
  party: PartyType;
}

/** Which date an explanation line is about. */
export type PeriodField =
  'regime' | 'published' | 'publishBy' | 'publicationLastDay' | 'earliestRepairOn' | 'neverEndedEarly';

/** One date or answer and the rule behind it (one document and its article, more in `also`), in Chinese. */
export interface PeriodRule extends RuleSource {
  field: PeriodField;
  text: string;
}

/** The periods of one decision under one regime. */
export interface PublicationPeriods {
  regimeCode: string;
  regimeName: string;
  published: boolean;
  /** why not published (Chinese), null when published */
  notPublishedReason: string | null;
  /** the class that decided the period (its label), null when not published */
  classLabel: string | null;
  /** the type that decided the longest period (a serious listing: null) */
  decidingType: PenaltyType | null;
  /** last day to publish: the decision date + 20 working days */
  publishBy: string | null;
  publicationStart: string | null;
  publicationLastDay: string | null;
  /** the first day the record no longer counts (publicationLastDay + 1): credit_record.valid_until */
  countsUntil: string | null;
  /** first day an application for repair may be made; null when none can be (never early, or it ends on its own first) */
  earliestRepairOn: string | null;
  /** publication is never ended early (Order 45 第十五条) */
  neverEndedEarly: boolean;
  /** true when a date ran through a year the holiday calendar does not cover */
  provisional: boolean;
  rules: PeriodRule[];
}

/**
 * The regime applying to a decision of `decisionDate`: the requested code when given (it must be
 * in force then: its default span, or as an alternative until `alternativeUntil`), else the
 * regime whose default span holds the date.
 * @throws RangeError naming the date when none applies, or the code when unknown or not in force
 */
export function regimeFor(
  decisionDate: string,
  regimes: readonly PublicationRegime[] = PUBLICATION_REGIMES,
  requested?: string | null,
): PublicationRegime {
  const inDefault = (r: PublicationRegime) =>
    r.inForceFrom <= decisionDate && (r.inForceUntil === null || decisionDate <= r.inForceUntil);
  if (requested) {
    const r = regimes.find((x) => x.code === requested);
    if (!r)
      throw new RangeError(
        `regime '${requested}' is unknown; known: ${regimes.map((x) => x.code).join(', ')}`,
      );
    const alternative =
      r.inForceFrom <= decisionDate &&
      (r.alternativeUntil === null
        ? r.inForceUntil === null || decisionDate <= r.inForceUntil
        : decisionDate <= r.alternativeUntil);
    if (!inDefault(r) && !alternative)
      throw new RangeError(`regime '${requested}' is not in force on ${decisionDate}`);
    return r;
  }
  const r = regimes.find(inDefault);
  if (!r)
    throw new RangeError(
      `no publication regime is in force on ${decisionDate} (the first starts ${regimes[0]?.inForceFrom})`,
    );
  return r;
}

/** Whether a fine is lower-amount (below the province's threshold for the party). */
export function isLowerFine(fineFen: number | null, party: PartyType, t: LowerFineThresholds): boolean {
  if (fineFen === null) return true;
  return fineFen < (party === 'organisation' ? t.organisationFen : t.naturalPersonFen);
}

const TYPE_LABELS: Record<PenaltyType, string> = {
  warning: '警告',
  reprimand: '通报批评',
  fine: '罚款',
  confiscation: '没收违法所得、没收非法财物',
  licence_suspension: '暂扣许可证件',
  qualification_downgrade: '降低资质等级',
  licence_revocation: '吊销许可证件',
  business_restriction: '限制开展生产经营活动',
  production_suspension: '责令停产停业',
  closure: '责令关闭',
  post_ban: '限制从业',
  detention: '行政拘留',
  other: '其他行政处罚',
};

/** The Chinese name of a penalty type (行政处罚法 第九条). */
export function penaltyTypeLabel(t: PenaltyType): string {
  return TYPE_LABELS[t];
}

type ClassKey = 'minor' | 'standard' | 'serious' | 'seriousListing';
const RANK: Record<ClassKey, number> = { minor: 0, standard: 1, serious: 2, seriousListing: 3 };

function classOfType(t: PenaltyType, facts: DecisionFacts, t2: LowerFineThresholds): ClassKey | null {
  if (t === 'warning') return null; // a warning alone is not published; beside others it adds nothing
  if (NEVER_ENDED_EARLY.has(t)) return 'serious';
  if (t === 'reprimand') return 'minor';
  if (t === 'fine') return isLowerFine(facts.fineFen, facts.party, t2) ? 'minor' : 'standard';
  return 'standard';
}

/**
 * The publication and repair periods of a decision under `regime`.
 * - not published: summary procedure, or only a warning and/or a reprimand (Order 45 第七条);
 * - published from `publishedOn` (default the decision date, at most 20 working days after it);
 *   the period is the longest of its types' classes (minor: a reprimand or lower-amount fine;
 *   serious: NEVER_ENDED_EARLY; standard: the rest); a serious listing is of the serious class;
 * - the last day by the Civil Code (art. 201-203), counts until the day after;
 * - earliest repair: publication start + the class's repairAfter (repairAfterSensitive in the
 *   regime's sensitive domains), the day after that period's last day; none when the class is
 *   never repaired early, or when that day is not before the publication's own end.
 * @param thresholds the lower-amount fine thresholds in fen (configuration)
 * @throws RangeError when a penalty has no type, a fine has no amount or a negative one, publishedOn is
 *   before the decision date, or a date is bad
 */
export function publicationPeriods(
  facts: DecisionFacts,
  regime: PublicationRegime,
  thresholds: LowerFineThresholds,
  cal: WorkingDayCalendar = officialCalendar,
): PublicationPeriods {
  const p = regime.params;
  const rules: PeriodRule[] = [
    {
      // the regime is a set of rules, not one document: its sources are the lines below
      field: 'regime',
      text: `决定日期${facts.decisionDate}适用“${regime.name}”（${regime.code}，${regime.inForceFrom}起）`,
      document: regime.name,
      article: '',
    },
  ];
  const base = {
    regimeCode: regime.code,
    regimeName: regime.name,
    rules,
  };
  const notPublished = (reason: string): PublicationPeriods => {
    rules.push({ field: 'published', text: reason, ...p.notPublishedSource });
    return {
      ...base,
      published: false,
      notPublishedReason: reason,
      classLabel: null,
      decidingType: null,
      publishBy: null,
      publicationStart: null,
      publicationLastDay: null,
      countsUntil: null,
      earliestRepairOn: null,
      neverEndedEarly: false,
      provisional: false,
    };
  };
  let key: ClassKey;
  let decidingType: PenaltyType | null = null;
  if (facts.kind === 'serious_listing') {
    key = 'seriousListing';
  } else {
    if (!facts.penaltyTypes.length)
      throw new RangeError('a penalty decision needs at least one penalty type');
    if (facts.fineFen !== null && (!Number.isSafeInteger(facts.fineFen) || facts.fineFen < 0))
      throw new RangeError(`fineFen ${facts.fineFen}: a whole non-negative amount in fen`);
    if (facts.penaltyTypes.includes('fine') && facts.fineFen === null)
      throw new RangeError('a decision with a fine needs its amount (fineFen)');
    if (facts.procedure === 'summary') return notPublished('适用简易程序作出的行政处罚信息不予公示');
    if (facts.penaltyTypes.every((t) => t === 'warning' || t === 'reprimand'))
      return notPublished('仅受到警告、通报批评的行政处罚信息不予公示');
    let best: ClassKey = 'minor';
    for (const t of facts.penaltyTypes) {
      const c = classOfType(t, facts, thresholds);
      if (c === null) continue;
      if (decidingType === null || RANK[c] > RANK[best]) {
        best = c;
        decidingType = t;
      }
    }
    key = best;
  }
  const cls = p[key];
  const start = facts.publishedOn ?? facts.decisionDate;
  if (start < facts.decisionDate)
    throw new RangeError(`publishedOn ${start} is before the decision date ${facts.decisionDate}`);
  const by = addWorkingDays(facts.decisionDate, p.publishWithinWorkingDays, cal);
  rules.push({
    field: 'published',
    text:
      facts.kind === 'serious_listing'
        ? '列入严重违法失信名单的信息予以公示'
        : `${decidingType ? penaltyTypeLabel(decidingType) : ''}的行政处罚信息予以公示（${cls.label}）`,
    ...cls.source,
  });
  rules.push({
    field: 'publishBy',
    text: `自作出决定之日起${p.publishWithinWorkingDays}个工作日内公示，即最迟于${by.date}公示`,
    ...p.publishWithinSource,
  });
  const end: PeriodEnd = periodLastDay(start, cls.publication, cal);
  rules.push({
    field: 'publicationLastDay',
    text:
      `公示期${lengthText(cls.publication)}，自公示之日${start}起算（开始当日不计入），至${end.lastDay}止` +
      (end.movedFrom ? `（${end.movedFrom}为法定休假日，顺延至休假日结束的次日）` : ''),
    ...cls.source,
    also: [...(cls.source.also ?? []), CIVIL_CODE_PERIODS],
  });
  const neverEndedEarly =
    facts.kind === 'penalty' && facts.penaltyTypes.some((t) => NEVER_ENDED_EARLY.has(t));
  let earliest: string | null = null;
  const provisional = by.provisional || end.provisional;
  const sensitive = p.sensitiveDomains.includes(facts.domain);
  const wait = sensitive && cls.repairAfterSensitive ? cls.repairAfterSensitive : cls.repairAfter;
  if (neverEndedEarly) {
    rules.push({
      field: 'neverEndedEarly',
      text: `含${facts.penaltyTypes
        .filter((t) => NEVER_ENDED_EARLY.has(t))
        .map(penaltyTypeLabel)
        .join('、')}，公示期内不得提前停止公示，不予信用修复`,
      ...p.neverEarlySource,
    });
  } else if (wait && cls.repairSource) {
    const waitEnd = periodLastDay(start, wait, cal, false);
    const day = addDays(waitEnd.lastDay, 1);
    if (day <= end.lastDay) {
      earliest = day;
      const src =
        sensitive && cls.repairAfterSensitive && p.sensitiveSource ? p.sensitiveSource : cls.repairSource;
      rules.push({
        field: 'earliestRepairOn',
        text: `公示满${lengthText(wait)}${sensitive && cls.repairAfterSensitive ? `（${p.sensitiveDomains.map((d) => DOMAIN_LABELS[d]).join('、')}领域）` : ''}后可申请信用修复，即${day}起`,
        ...src,
      });
    }
  }
  if (earliest === null && !neverEndedEarly) {
    rules.push({
      field: 'earliestRepairOn',
      text: '公示期满自动停止公示，无需申请信用修复',
      ...cls.source,
    });
  }
  return {
    ...base,
    published: true,
    notPublishedReason: null,
    classLabel: cls.label,
    decidingType,
    publishBy: by.date,
    publicationStart: start,
    publicationLastDay: end.lastDay,
    countsUntil: addDays(end.lastDay, 1),
    earliestRepairOn: earliest,
    neverEndedEarly,
    provisional,
    rules,
  };
}

/** The thresholds from configuration (yuan) in fen. */
export function lowerFineThresholds(config: {
  LOWER_FINE_ORGANISATION_YUAN: number;
  LOWER_FINE_PERSON_YUAN: number;
}): LowerFineThresholds {
  return {
    organisationFen: config.LOWER_FINE_ORGANISATION_YUAN * 100,
    naturalPersonFen: config.LOWER_FINE_PERSON_YUAN * 100,
  };
}
