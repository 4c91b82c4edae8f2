/**
 * The penalty decision (行政处罚决定书) as a document: a rendering of the decision as recorded
 * (table penalty_decision), never a second source of its facts. Pure: no framework, no clock.
 *
 * What it states (行政处罚法 第五十九条): the party (name, USCC, address); the facts of the
 * violation and the evidence as recorded; the legal basis; the penalty (types, fine in yuan from
 * fen, confiscation) or, for 不予处罚 / 首违不罚 (第三十三条), the education given; how and by when to
 * pay (第六十七条: 15 days; 第七十二条: 3 % a day after that); the rights to administrative
 * reconsideration (行政复议法 第二十条: 60 days) and litigation (行政诉讼法 第四十六条: 6 months), which
 * do not suspend the penalty (行政处罚法 第七十三条); the publication of the information and the
 * credit-repair notice served with it (双书同达, domain.md 3.5), with the same periods; the
 * authority and the date.
 */
import type { PenaltyType } from '../../credit/rules/record-kinds.js';
import {
  type DecisionKind,
  type PartyType,
  type PenaltyDomain,
  type PublicationPeriods,
  penaltyTypeLabel,
} from '../rules/publication-regimes.js';
import {
  type DocBlock,
  type DocField,
  type DocumentModel,
  documentDate,
  yuanCapital,
  yuanText,
} from './document-model.js';

/** 处罚 / 不予处罚 / 首违不罚 / 减轻 / 从轻 (penalty_decision.outcome). */
export type DecisionOutcome = 'penalty' | 'no_penalty' | 'first_offence' | 'mitigated' | 'lighter';

/** A decision as stored, with its enterprise and its notice's number (what the renderer needs). */
export interface DecisionRecord {
  id: number;
  decisionNo: string;
  kind: DecisionKind;
  partyType: PartyType;
  /** YYYY-MM-DD */
  decisionDate: string;
  procedure: 'summary' | 'general';
  penaltyTypes: PenaltyType[];
  /** fen; null: no fine */
  fineFen: number | null;
  /** fen; null: nothing confiscated */
  confiscatedFen: number | null;
  domain: PenaltyDomain;
  outcome: DecisionOutcome;
  educationGiven: string | null;
  /** the facts of the violation (违法事实) */
  violation: string;
  legalBasis: string;
  /** the department that decided, as recorded (杨浦区市场监督管理局) */
  sourceDepartment: string;
  /** the periods computed when it was recorded (penalty_decision.periods), null when none */
  periods: PublicationPeriods | null;
  noticeRequired: boolean;
  noNoticeReason: string | null;
  enterprise: { name: string; uscc: string; address: string | null };
  /** the notice served with it, null when none */
  notice: { noticeNo: string; issuedOn: string } | null;
}

/** Where a district's bodies sit, for the authority's full name and the rights paragraph. */
export interface Jurisdiction {
  /** 上海市 */
  city: string;
  /** 杨浦区 */
  district: string;
}

/** The authority's full name: 杨浦区市场监督管理局 -> 上海市杨浦区市场监督管理局 (a name with its city is kept). */
export function authorityName(sourceDepartment: string, j: Jurisdiction): string {
  const name = sourceDepartment.trim();
  return name.startsWith(j.city) ? name : `${j.city}${name}`;
}

const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  penalty: '给予行政处罚',
  no_penalty: '不予行政处罚（《中华人民共和国行政处罚法》第三十三条第一款）',
  first_offence:
    '初次违法且危害后果轻微并及时改正，不予行政处罚（首违不罚，《中华人民共和国行政处罚法》第三十三条第一款）',
  mitigated: '依法减轻行政处罚（《中华人民共和国行政处罚法》第三十二条）',
  lighter: '依法从轻行政处罚（《中华人民共和国行政处罚法》第三十二条）',
};

/** The publication lines both documents share (the same dates, from the same periods). */
export function publicationLines(p: PublicationPeriods | null): string[] {
  if (!p) return ['本决定不涉及行政处罚信息公示期的计算。'];
  if (!p.published) return [`本决定信息不予公示：${p.notPublishedReason ?? '依规定不予公示'}。`];
  const lines = [
    `本决定信息将依法通过国家企业信用信息公示系统予以公示，公示期自${documentDate(p.publicationStart!)}起至${documentDate(p.publicationLastDay!)}止（${p.classLabel ?? ''}，适用“${p.regimeName}”）。`,
  ];
  if (p.neverEndedEarly) lines.push('本决定所含处罚种类在公示期内不得提前停止公示，不予信用修复。');
  else if (p.earliestRepairOn) lines.push(`自${documentDate(p.earliestRepairOn)}起可依法申请信用修复。`);
  else lines.push('公示期满自动停止公示，无需申请信用修复。');
  return lines;
}

/**
 * The decision as a document model (written by documentHtml / documentPdf).
 * @param d the decision as stored; `periods` and `notice` as recorded with it
 * @param j the city and district, for the authority's name and where to seek reconsideration
 * @throws RangeError for a stored date that is not YYYY-MM-DD or a negative amount
 */
export function decisionDocument(d: DecisionRecord, j: Jurisdiction): DocumentModel {
  const authority = authorityName(d.sourceDepartment, j);
  const listing = d.kind === 'serious_listing';
  const title = listing ? '列入严重违法失信名单决定书' : '行政处罚决定书';
  const noPenalty = d.outcome === 'no_penalty' || d.outcome === 'first_offence';
  const party: DocField[] = [
    {
      label: d.partyType === 'organisation' ? '当事人' : '当事人（自然人）',
      value: d.enterprise.name,
      field: 'enterprise.name',
    },
    { label: '统一社会信用代码', value: d.enterprise.uscc, field: 'enterprise.uscc' },
  ];
  if (d.enterprise.address)
    party.push({ label: '住所', value: d.enterprise.address, field: 'enterprise.address' });
  const blocks: DocBlock[] = [
    { kind: 'fields', rows: party },
    { kind: 'heading', text: '一、违法事实', field: 'heading.violation' },
    { kind: 'paragraph', text: d.violation, field: 'violation' },
    { kind: 'heading', text: '二、处罚依据', field: 'heading.legalBasis' },
    { kind: 'paragraph', text: d.legalBasis, field: 'legalBasis' },
    { kind: 'heading', text: listing ? '三、决定内容' : '三、处罚决定', field: 'heading.penalty' },
  ];
  const decided: DocField[] = [
    {
      label: '处理结果',
      value: listing ? '列入严重违法失信名单' : OUTCOME_LABELS[d.outcome],
      field: 'outcome',
    },
    { label: '适用程序', value: d.procedure === 'summary' ? '简易程序' : '普通程序', field: 'procedure' },
  ];
  if (!listing && !noPenalty) {
    decided.push({
      label: '处罚种类',
      value: d.penaltyTypes.map(penaltyTypeLabel).join('、') || '—',
      field: 'penaltyTypes',
    });
    if (d.fineFen !== null)
      decided.push({
        label: '罚款',
        value: `${yuanText(d.fineFen)}（大写：${yuanCapital(d.fineFen)}）`,
        field: 'fineFen',
      });
    if (d.confiscatedFen !== null)
      decided.push({
        label: '没收违法所得',
        value: `${yuanText(d.confiscatedFen)}（大写：${yuanCapital(d.confiscatedFen)}）`,
        field: 'confiscatedFen',
      });
  }
  blocks.push({ kind: 'fields', rows: decided });
  if (noPenalty && d.educationGiven) {
    blocks.push({
      kind: 'paragraph',
      text: `已对当事人进行教育：${d.educationGiven}`,
      field: 'educationGiven',
    });
  }
  let n = 4;
  const numeral = () => '一二三四五六七八九十'[n++ - 1];
  if (!noPenalty && (d.fineFen !== null || d.confiscatedFen !== null)) {
    blocks.push({ kind: 'heading', text: `${numeral()}、履行方式和期限`, field: 'heading.payment' });
    blocks.push({
      kind: 'paragraph',
      text:
        '当事人应当自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚没款（《中华人民共和国行政处罚法》第六十七条）。' +
        '到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（第七十二条）。',
      field: 'payment',
    });
  }
  blocks.push({ kind: 'heading', text: `${numeral()}、救济途径`, field: 'heading.rights' });
  blocks.push({
    kind: 'paragraph',
    text:
      `当事人如不服本决定，可以自收到本决定书之日起六十日内向${j.city}${j.district}人民政府申请行政复议（《中华人民共和国行政复议法》第二十条），` +
      `也可以自收到本决定书之日起六个月内依法向有管辖权的人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。` +
      '申请行政复议或者提起行政诉讼期间，本决定不停止执行，法律另有规定的除外（《中华人民共和国行政处罚法》第七十三条）。',
    field: 'rights',
  });
  blocks.push({
    kind: 'heading',
    text: `${numeral()}、信用信息公示与信用修复`,
    field: 'heading.publication',
  });
  for (const [i, line] of publicationLines(d.periods).entries())
    blocks.push({ kind: 'paragraph', text: line, field: `periods[${i}]` });
  if (d.notice)
    blocks.push({
      kind: 'paragraph',
      text: `本决定书与《信用修复告知书》（${d.notice.noticeNo}）同日送达。`,
      field: 'notice.noticeNo',
    });
  else if (!d.noticeRequired && d.noNoticeReason)
    blocks.push({
      kind: 'paragraph',
      text: `本决定无需送达信用修复告知书：${d.noNoticeReason}`,
      field: 'noNoticeReason',
    });
  blocks.push({
    kind: 'signature',
    lines: [
      { text: authority, field: 'sourceDepartment' },
      { text: documentDate(d.decisionDate), field: 'decisionDate' },
    ],
  });
  return {
    kind: 'decision',
    issuer: authority,
    title,
    number: d.decisionNo,
    blocks,
    info: {
      title: `${title} ${d.decisionNo}`,
      subject: d.enterprise.name,
      author: authority,
      date: d.decisionDate,
    },
    fileName: `${title}-${d.decisionNo}`,
  };
}
