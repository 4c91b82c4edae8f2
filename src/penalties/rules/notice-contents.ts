/**
 * What a credit-repair notice (信用修复告知书) says, frozen when it is issued (repair_notice.contents):
 * the contents domain.md 3.5 lists. The decisions slice builds it (one pure function, from the
 * decision, its periods and the bureau); the documents slice renders it as HTML and PDF; the
 * enterprise's page shows it. Dates YYYY-MM-DD, amounts in fen.
 */
import type { PeriodRule } from './publication-regimes.js';

export interface RepairNoticeContents {
  /** 信用修复告知书 number, e.g. 沪市监杨信修告〔2026〕12号 */
  noticeNo: string;
  issuedOn: string;
  /** the issuing bureau, e.g. 上海市杨浦区市场监督管理局 */
  authority: string;
  enterprise: { name: string; uscc: string };
  decision: {
    decisionNo: string;
    decisionDate: string;
    kind: 'penalty' | 'serious_listing';
    penaltyTypes: string[];
    fineFen: number | null;
  };
  published: boolean;
  /** where it is published, e.g. 国家企业信用信息公示系统（上海）、信用中国（上海） */
  publishedWhere: string[];
  /** why not published (no notice is then required; kept for decisions that still get one) */
  notPublishedReason: string | null;
  publicationStart: string | null;
  publicationLastDay: string | null;
  /** 3个月 / 1年 / 3年 */
  publicationLength: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  regime: { code: string; name: string };
  /** the conditions for repair (the four of domain.md 3.3, or the listing's own); none when earliestRepairOn is null */
  conditions: string[];
  /** the materials: application, 信用承诺书 (template), proof of fulfilment */
  materials: string[];
  /** how and where to apply: window, online platform, telephone */
  howToApply: string[];
  /** objection and appeal rights (复议、诉讼), compliance advice: extended practice */
  rights: string[];
  advice: string[];
  /** the measures that follow (失信惩戒措施基础清单) where the decision lists the enterprise */
  measures: string[];
  /** the rule behind every date */
  rules: PeriodRule[];
  /** true when a date rests on a year the holiday calendar does not cover yet */
  provisional: boolean;
}
