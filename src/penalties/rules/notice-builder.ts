/**
 * Builds the credit-repair notice (信用修复告知书) served with a decision (双书同达, domain.md 3.5):
 * one pure function from the decision, its periods, the enterprise and the bureau to the frozen
 * contents (RepairNoticeContents, stored in repair_notice.contents; the documents slice renders
 * HTML and PDF from them). No framework, no clock.
 */
import type { RepairNoticeContents } from './notice-contents.js';
import { type DishonestyMeasure, MEASURE_TARGET_LABELS, measuresInForce } from './dishonesty-measures.js';
import type { NormalisedPenaltyDecision } from './penalty-decision-input.js';
import { type PublicationPeriods, penaltyTypeLabel } from './publication-regimes.js';

/** The issuing bureau and where an enterprise applies (configuration: DISTRICT_NAME, BUREAU_PHONE). */
export interface Bureau {
  /** e.g. 上海市杨浦区市场监督管理局 */
  authority: string;
  /** e.g. 杨浦区 */
  district: string;
  /** telephone for questions */
  phone: string;
}

/** Where penalty and listing information is published (Order 45 第六条; Order 44 第十四条). */
export const PUBLISHED_WHERE = ['国家企业信用信息公示系统（上海）', '信用中国（上海）'];

/** The four conditions of repair of penalty information (domain.md 3.3). */
export const PENALTY_REPAIR_CONDITIONS = [
  '已经履行行政处罚决定规定的义务（缴清罚款、没收款项等）',
  '已经主动消除危害后果和不良社会影响',
  '公示期内未再受到同一类违法行为的行政处罚',
  '未被列入经营异常名录或者严重违法失信名单',
];

/** Conditions of early removal from the serious list (Order 44 第十九条, domain.md 3.3). */
export const LISTING_REPAIR_CONDITIONS = [
  '列入严重违法失信名单满一年',
  '已经履行行政处罚决定规定的义务，纠正违法行为',
  '已经主动消除危害后果和不良社会影响',
  '未再受到市场监督管理部门较重行政处罚',
];

/** The materials of an application (domain.md 3.3). */
export const REPAIR_MATERIALS = [
  '信用修复申请书',
  '信用承诺书（按本告知书所附模板填写，由法定代表人或负责人签字并加盖公章）',
  '履行行政处罚决定义务的证明材料（罚款缴纳凭证等）',
  '已消除危害后果和不良社会影响的证明材料',
  '营业执照复印件、经办人身份证明及授权委托书',
];

/** The commitment letter template (信用承诺书) attached to every notice. */
export const COMMITMENT_LETTER_TEMPLATE =
  '本单位（姓名）承诺：已履行行政处罚决定书（文号：＿＿＿＿）规定的全部义务，已主动消除危害后果和不良社会影响；所提交材料真实、准确、完整；今后严格遵守法律法规，诚信经营。如有虚假承诺，自愿承担相应法律责任，并同意将违背承诺的情况记入信用记录。承诺人（签章）：＿＿＿＿ 日期：＿＿＿＿';

export interface NoticeInput {
  noticeNo: string;
  issuedOn: string;
  decision: NormalisedPenaltyDecision;
  periods: PublicationPeriods;
  enterprise: { name: string; uscc: string };
  bureau: Bureau;
  measures?: readonly DishonestyMeasure[];
}

/**
 * The notice's contents: the enterprise, the decision (number, date, types, fine), whether and
 * where it is published, the period and its last day, the earliest repair day and the conditions
 * (none, and no materials, when no repair can be applied for: never ended early, or a light record
 * that ends by itself first),
 * never-early, the materials with the 信用承诺书 template, how and where to apply, the rights
 * (复议 60 days, 诉讼 6 months: 行政复议法 第二十条, 行政诉讼法 第四十六条), compliance advice, and the
 * measures that follow (失信惩戒措施基础清单, those in force on the decision date), with the rule
 * behind every date (periods.rules).
 */
export function buildRepairNotice(n: NoticeInput): RepairNoticeContents {
  const { decision: d, periods: p, bureau: b } = n;
  const listing = d.kind === 'serious_listing';
  const target = listing ? 'serious_list' : 'administrative_penalty';
  const measures = measuresInForce(d.decisionDate, target, n.measures);
  // no repair can be applied for (never ended early, or it ends by itself first): no conditions to
  // meet; the notice says why in its repair section (repair-notice-document.ts)
  const conditions =
    p.earliestRepairOn === null ? [] : listing ? LISTING_REPAIR_CONDITIONS : PENALTY_REPAIR_CONDITIONS;
  const howToApply = [
    `自${p.earliestRepairOn ?? '—'}起，可通过“信用中国”网站（www.creditchina.gov.cn）信用修复栏目在线申请`,
    `或登录本系统企业专属网页“我的信用记录”提交申请并上传材料`,
    `或至${b.district}行政服务中心市场监管窗口（${b.authority}）现场提交`,
    `咨询电话：${b.phone}`,
    `受理后由作出认定的${b.authority}在规定的工作日内作出决定（谁认定谁修复）`,
  ];
  return {
    noticeNo: n.noticeNo,
    issuedOn: n.issuedOn,
    authority: b.authority,
    enterprise: { name: n.enterprise.name, uscc: n.enterprise.uscc },
    decision: {
      decisionNo: d.decisionNo,
      decisionDate: d.decisionDate,
      kind: d.kind,
      penaltyTypes: d.penaltyTypes.map(penaltyTypeLabel),
      fineFen: d.fineFen,
    },
    published: p.published,
    publishedWhere: p.published ? PUBLISHED_WHERE : [],
    notPublishedReason: p.notPublishedReason,
    publicationStart: p.publicationStart,
    publicationLastDay: p.publicationLastDay,
    publicationLength: publicationLengthOf(p),
    earliestRepairOn: p.earliestRepairOn,
    neverEndedEarly: p.neverEndedEarly,
    regime: { code: p.regimeCode, name: p.regimeName },
    conditions,
    materials:
      p.earliestRepairOn === null
        ? []
        : [...REPAIR_MATERIALS, `附：信用承诺书模板——${COMMITMENT_LETTER_TEMPLATE}`],
    howToApply: p.earliestRepairOn === null ? [`咨询电话：${b.phone}`] : howToApply,
    rights: [
      `如对${listing ? '列入严重违法失信名单决定' : '行政处罚决定'}不服，可以自收到决定书之日起六十日内申请行政复议，或者六个月内依法提起行政诉讼（行政复议法第二十条、行政诉讼法第四十六条）`,
      '如认为公示的信息不准确，可以向作出决定的机关提出异议并提供证据',
    ],
    advice: [
      '按期履行决定书规定的义务，保留缴款凭证',
      '对照违法事实开展整改，建立健全内部合规制度',
      '可登录企业专属网页查看公示状态与修复提醒',
    ],
    measures: measures.map((m) => `${MEASURE_TARGET_LABELS[m.target]}：${m.measure}（${m.source}）`),
    rules: p.rules,
    provisional: p.provisional,
  };
}

/** 3个月 / 1年 / 3年 from the periods' own rule text, null when not published. */
function publicationLengthOf(p: PublicationPeriods): string | null {
  if (!p.published) return null;
  const r = p.rules.find((x) => x.field === 'publicationLastDay');
  const m = r?.text.match(/^公示期([0-9一二三四五六七八九十]+(?:个月|年))/);
  return m ? m[1]! : null;
}

/**
 * The notice number: 沪市监<district's first character>信修告〔<year>〕<n>号, n the decision's id
 * (unique, increasing), e.g. 沪市监杨信修告〔2026〕12号.
 */
export function noticeNumber(district: string, issuedOn: string, n: number): string {
  return `沪市监${[...district][0] ?? ''}信修告〔${issuedOn.slice(0, 4)}〕${n}号`;
}
