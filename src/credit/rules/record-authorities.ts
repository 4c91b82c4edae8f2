/**
 * Who may issue each kind of credit record (信用信息的归集主体): the bodies whose own decisions,
 * lists or findings the record reports, with the law or rule that gives each body that power.
 * One pure table; the API checks a regulator's department against it (ScopeService.recordKind),
 * and docs/security.md "Who may post what" prints it. No framework imports.
 *
 * A record moves an enterprise's tier (a judgment-defaulter record alone puts it in tier D), so a
 * department may post only what it decides itself: a health regulator cannot post a court's
 * defaulter listing or the tax bureau's unpaid tax.
 */
import { DEPARTMENTS, type Department } from '../../auth/roles.js';
import type { CreditRecordKind } from './record-kinds.js';

/** Every department of the district (DEPARTMENTS): for kinds each body issues within its own remit. */
export const EVERY_DEPARTMENT: readonly Department[] = Object.keys(DEPARTMENTS) as Department[];

/** The bodies that issue one kind of record and where their power comes from. */
export interface RecordAuthority {
  /** department codes (auth/roles.ts DEPARTMENTS) whose regulators may post the kind */
  issuers: readonly Department[];
  /** true when every department issues the kind for its own remit (penalties, inspections...) */
  anyDepartment: boolean;
  /** the law or rule giving the issuers the power, as cited in docs/security.md */
  source: string;
}

const only = (issuers: Department[], source: string): RecordAuthority => ({
  issuers,
  anyDepartment: false,
  source,
});
const anyDepartment = (source: string): RecordAuthority => ({
  issuers: EVERY_DEPARTMENT,
  anyDepartment: true,
  source,
});

/**
 * The table: credit-record kind -> issuing departments and their source.
 * - administrative_penalty: any department, its own penalties (行政处罚法 2021 art. 18, 20: a penalty
 *   is imposed by the body holding the power in its remit; publication: 行政处罚法 art. 48).
 * - listing: market supervision (经营异常名录: 企业经营异常名录管理暂行办法, SAIC Order 68 of 2014;
 *   严重违法失信名单: 市场监督管理严重违法失信名单管理办法, SAMR Order 44 of 2021).
 * - complaint: any department receiving it (12315: 市场监督管理投诉举报处理暂行办法, SAMR Order 20 of
 *   2019; other departments through the 12345 hotline, 国办发〔2020〕53号, each handling its own remit).
 * - referral: any department receiving a case transferred or assigned to it (行政处罚法 art. 27;
 *   国办发〔2020〕53号).
 * - inspection_result: any department, of its own checks (双随机、一公开, 国办发〔2015〕58号; joint
 *   checks record each department's findings, 国发〔2019〕5号).
 * - judgment_defaulter: the people's court (最高人民法院关于公布失信被执行人名单信息的若干规定,
 *   法释〔2017〕7号: the enforcing court lists defaulters).
 * - unpaid_tax: the tax bureau (税收征收管理法 art. 45; 欠税公告办法, SAT Order 9 of 2004, amended 2018).
 * - product_spot_check: market supervision (产品质量法 art. 15; 食品安全法 art. 87; 产品质量监督抽查管理
 *   暂行办法, SAMR Order 18 of 2019).
 * - judicial_case: the people's court (人民法院在互联网公布裁判文书的规定, 法释〔2016〕19号; 民事诉讼法
 *   on enforcement).
 * - commendation: any department, its own honours (守合同重信用: market supervision, 国市监信规〔2023〕
 *   2号 art. 3; other honours by the department conferring them, 社会信用体系建设规划纲要 国发〔2014〕21号).
 * - registration_change: market supervision, the registration authority (市场主体登记管理条例 art. 24).
 * - regulatory_measure: market supervision, the department that disposes of prepaid-risk alerts
 *   (src/prepaid/rules/prepaid-department.ts; 上海市单用途预付消费卡管理规定 2018; 消费者权益保护法实施条例
 *   art. 22 for the order to stop taking prepayments).
 */
export const RECORD_AUTHORITIES: Readonly<Record<CreditRecordKind, RecordAuthority>> = {
  administrative_penalty: anyDepartment('行政处罚法 (2021) art. 18, 20, 48'),
  listing: only(
    ['market'],
    '企业经营异常名录管理暂行办法 (SAIC Order 68, 2014); 市场监督管理严重违法失信名单管理办法 (SAMR Order 44, 2021)',
  ),
  complaint: anyDepartment(
    '市场监督管理投诉举报处理暂行办法 (SAMR Order 20, 2019); 12345 hotline, 国办发〔2020〕53号',
  ),
  referral: anyDepartment('行政处罚法 (2021) art. 27; 国办发〔2020〕53号'),
  inspection_result: anyDepartment(
    '国办发〔2015〕58号 (双随机、一公开); 国发〔2019〕5号 (joint random checks)',
  ),
  judgment_defaulter: only(['court'], '最高人民法院关于公布失信被执行人名单信息的若干规定 (法释〔2017〕7号)'),
  unpaid_tax: only(['tax'], '税收征收管理法 art. 45; 欠税公告办法 (SAT Order 9, 2004, amended 2018)'),
  product_spot_check: only(
    ['market'],
    '产品质量法 art. 15; 食品安全法 art. 87; 产品质量监督抽查管理暂行办法 (SAMR Order 18, 2019)',
  ),
  judicial_case: only(
    ['court'],
    '人民法院在互联网公布裁判文书的规定 (法释〔2016〕19号); 民事诉讼法 (enforcement)',
  ),
  commendation: anyDepartment('国市监信规〔2023〕2号 (守合同重信用); 国发〔2014〕21号'),
  registration_change: only(['market'], '市场主体登记管理条例 art. 24'),
  regulatory_measure: only(
    ['market'],
    '上海市单用途预付消费卡管理规定 (2018); 消费者权益保护法实施条例 (2024) art. 22',
  ),
};

/** Whether a regulator of `department` may post a record of `kind` (RECORD_AUTHORITIES). */
export function mayIssue(kind: CreditRecordKind, department: string): boolean {
  return (RECORD_AUTHORITIES[kind].issuers as readonly string[]).includes(department);
}

/**
 * Why a regulator of `department` may not post a record of `kind`, naming who may and the source;
 * null when it may.
 */
export function issueRefusal(kind: CreditRecordKind, department: string): string | null {
  if (mayIssue(kind, department)) return null;
  const a = RECORD_AUTHORITIES[kind];
  return `${kind} records are issued by ${a.issuers.join(', ')} only (${a.source}), not by ${department}`;
}
