/**
 * Chinese labels of the penalty-decision pages (issue 13), the same words as the rules'
 * (penalties/rules/penalty-decision-input.ts, publication-regimes.ts penaltyTypeLabel).
 */
export const KIND_LABELS: Record<string, string> = {
  penalty: '行政处罚决定',
  serious_listing: '列入严重违法失信名单决定',
};
export const OUTCOME_LABELS: Record<string, string> = {
  penalty: '给予行政处罚',
  no_penalty: '不予处罚',
  first_offence: '首违不罚',
  mitigated: '减轻处罚',
  lighter: '从轻处罚',
};
export const PROCEDURE_LABELS: Record<string, string> = { summary: '简易程序', general: '普通程序' };
export const PARTY_LABELS: Record<string, string> = { organisation: '单位', natural_person: '自然人' };
export const DOMAIN_LABELS: Record<string, string> = {
  general: '其他领域',
  food: '食品',
  drugs: '药品',
  special_equipment: '特种设备',
  work_safety: '安全生产',
  fire: '消防',
};
export const CHANNEL_LABELS: Record<string, string> = {
  in_person: '直接送达',
  post: '邮寄送达',
  electronic: '电子送达',
  announcement: '公告送达',
  entrusted: '委托送达',
};
export const DOCUMENT_LABELS: Record<string, string> = {
  decision: '决定书',
  repair_notice: '信用修复告知书',
};
/** 处罚种类: one table for every page (src/web/shared/labels-credit.ts). */
export { PENALTY_TYPE_LABELS } from '../../../shared/labels-credit';
/** The outcome's lenient list (lenient-lists.ts LenientList). */
export const OUTCOME_LIST: Record<string, string> = {
  no_penalty: 'no_penalty',
  first_offence: 'first_offence',
  mitigated: 'mitigated',
  lighter: 'lighter',
};

export interface PeriodRule {
  field: string;
  text: string;
  document: string;
  article: string;
  also?: { document: string; article: string }[];
}
export interface Periods {
  regimeCode: string;
  regimeName: string;
  published: boolean;
  notPublishedReason: string | null;
  classLabel: string | null;
  publishBy: string | null;
  publicationStart: string | null;
  publicationLastDay: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  provisional: boolean;
  rules: PeriodRule[];
}
export interface Delivery {
  id: number;
  documents: string[];
  channel: string;
  deliveredOn: string;
  recipient: string | null;
  exceptionReason: string | null;
}
export interface Decision {
  id: number;
  decisionNo: string;
  kind: string;
  enterprise: { uscc: string; name: string };
  partyType: string;
  decisionDate: string;
  procedure: string;
  penaltyTypes: string[];
  fineFen: number | null;
  domain: string;
  outcome: string;
  lenientMatterCode: string | null;
  educationGiven: string | null;
  violation: string;
  legalBasis: string;
  sourceDepartment: string;
  periods: Periods | null;
  noticeRequired: boolean;
  noNoticeReason: string | null;
  creditRecordId: number | null;
  notice: {
    noticeNo: string;
    issuedOn: string;
    contents: {
      conditions: string[];
      materials: string[];
      howToApply: string[];
      rights: string[];
      advice: string[];
      measures: string[];
      publishedWhere: string[];
      publicationLength: string | null;
      earliestRepairOn: string | null;
      neverEndedEarly: boolean;
    };
  } | null;
  deliveries: Delivery[];
  servedTogether: boolean;
  documents: {
    decisionHtml: string;
    decisionPdf: string;
    noticeHtml: string | null;
    noticePdf: string | null;
  };
}
export interface DecisionItem {
  id: number;
  decisionNo: string;
  kind: string;
  outcome: string;
  decisionDate: string;
  penaltyTypes: string[];
  fineFen: number | null;
  noticeRequired: boolean;
  noNoticeReason: string | null;
  publicationLastDay: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  enterprise: { uscc: string; name: string };
  servedTogether: boolean;
}
