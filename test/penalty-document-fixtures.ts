/**
 * Fixtures for the dual documents (行政处罚决定书 + 信用修复告知书): a decision, its periods under the
 * real rules (publicationPeriods, regime SH-2023) and its notice's contents built from those same
 * periods, as plain objects for the renderers' unit tests and as rows inserted with plain SQL into
 * the scaffold's tables (penalty_decision, repair_notice, credit_record) for the end-to-end and
 * browser tests, so these tests do not depend on the decisions slice's service.
 */
import type { DataSource } from 'typeorm';
import type { DecisionRecord } from '../src/penalties/documents/decision-document.js';
import type { RepairNoticeContents } from '../src/penalties/rules/notice-contents.js';
import {
  PUBLICATION_REGIMES,
  type DecisionFacts,
  type PublicationPeriods,
  publicationPeriods,
} from '../src/penalties/rules/publication-regimes.js';
import { freshUscc } from './triggers-fixtures.js';

const THRESHOLDS = { organisationFen: 100_000 * 100, naturalPersonFen: 10_000 * 100 };

/** What a sample decision may vary. */
export interface SampleOptions {
  decisionNo?: string;
  decisionDate?: string;
  enterpriseName?: string;
  uscc?: string;
  /** default: a fine of 50,000 yuan, general procedure (published 3 months) */
  penaltyTypes?: DecisionFacts['penaltyTypes'];
  fineFen?: number | null;
  procedure?: 'summary' | 'general';
  violation?: string;
}

/** The periods of a sample decision under SH-2023 (the real rules). */
export function samplePeriods(o: SampleOptions = {}): PublicationPeriods {
  const regime = PUBLICATION_REGIMES.find((r) => r.code === 'SH-2023')!;
  return publicationPeriods(
    {
      kind: 'penalty',
      decisionDate: o.decisionDate ?? '2025-06-30',
      procedure: o.procedure ?? 'general',
      penaltyTypes: o.penaltyTypes ?? ['fine', 'confiscation'],
      fineFen: o.fineFen === undefined ? 5_000_000 : o.fineFen,
      domain: 'food',
      party: 'organisation',
    },
    regime,
    THRESHOLDS,
  );
}

/** A decision as the renderer reads it (its notice when it needs one). */
export function sampleDecision(o: SampleOptions = {}): DecisionRecord {
  const periods = samplePeriods(o);
  const decisionNo = o.decisionNo ?? '沪市监杨处〔2025〕2001号';
  return {
    id: 1,
    decisionNo,
    kind: 'penalty',
    partyType: 'organisation',
    decisionDate: o.decisionDate ?? '2025-06-30',
    procedure: o.procedure ?? 'general',
    penaltyTypes: [...(o.penaltyTypes ?? ['fine', 'confiscation'])],
    fineFen: o.fineFen === undefined ? 5_000_000 : o.fineFen,
    confiscatedFen: (o.penaltyTypes ?? ['fine', 'confiscation']).includes('confiscation') ? 123_456 : null,
    domain: 'food',
    outcome: 'penalty',
    educationGiven: null,
    violation:
      o.violation ?? '当事人于2025年3月至5月间销售超过保质期的预包装食品共计120件，违法所得1,234.56元。',
    legalBasis: '《中华人民共和国食品安全法》第三十四条第十项、第一百二十四条第一款',
    sourceDepartment: '杨浦区市场监督管理局',
    periods,
    noticeRequired: periods.published,
    noNoticeReason: periods.published ? null : periods.notPublishedReason,
    enterprise: {
      name: o.enterpriseName ?? '上海示范食品有限公司',
      uscc: o.uscc ?? '91310110MA1G8XYZ3K',
      address: '上海市杨浦区示范路1号',
    },
    notice: periods.published
      ? { noticeNo: noticeNoOf(decisionNo), issuedOn: o.decisionDate ?? '2025-06-30' }
      : null,
  };
}

function noticeNoOf(decisionNo: string): string {
  return decisionNo.replace('处〔', '信修告〔');
}

/** The notice's contents for a sample decision, from the decision's own periods. */
export function sampleNoticeContents(d: DecisionRecord): RepairNoticeContents {
  const p = d.periods!;
  return {
    noticeNo: d.notice?.noticeNo ?? noticeNoOf(d.decisionNo),
    issuedOn: d.decisionDate,
    authority: '上海市杨浦区市场监督管理局',
    enterprise: { name: d.enterprise.name, uscc: d.enterprise.uscc },
    decision: {
      decisionNo: d.decisionNo,
      decisionDate: d.decisionDate,
      kind: d.kind,
      penaltyTypes: d.penaltyTypes,
      fineFen: d.fineFen,
    },
    published: p.published,
    publishedWhere: p.published ? ['国家企业信用信息公示系统（上海）', '信用中国（上海）'] : [],
    notPublishedReason: p.notPublishedReason,
    publicationStart: p.publicationStart,
    publicationLastDay: p.publicationLastDay,
    // the length as the rule states it (公示期3年，…)
    publicationLength:
      /公示期(\S+?)，/.exec(p.rules.find((r) => r.field === 'publicationLastDay')?.text ?? '')?.[1] ?? null,
    earliestRepairOn: p.earliestRepairOn,
    neverEndedEarly: p.neverEndedEarly,
    regime: { code: p.regimeCode, name: p.regimeName },
    conditions: [
      '已履行行政处罚决定规定的义务',
      '已主动消除有关不良社会影响',
      '未因同一类违法行为再次受到行政处罚',
      '未被列入经营异常名录或者严重违法失信名单',
    ],
    materials: ['信用修复申请书', '信用承诺书（附模板）', '履行行政处罚义务的证明材料'],
    howToApply: [
      '通过“信用中国”网站或本服务“企业专属网页”在线申请',
      '到上海市杨浦区市场监督管理局窗口（示范路1号）提交，电话 021-00000000',
    ],
    rights: ['对本告知书所列信息有异议的，可以向本机关提出异议申请'],
    advice: ['建立食品进货查验和临期食品管理制度，定期自查'],
    measures: [],
    rules: p.rules,
    provisional: p.provisional,
  };
}

/** The rows inserted for one decision. */
export interface InsertedDecision {
  id: number;
  decisionNo: string;
  noticeNo: string | null;
  enterprise: { id: number; uscc: string; name: string };
  record: DecisionRecord;
  contents: RepairNoticeContents | null;
}

/**
 * Inserts an enterprise (unless `enterpriseId` is given), a decision, its credit record (when
 * published) and its notice (when the decision needs one) with plain SQL.
 */
export async function insertDecision(
  ds: DataSource,
  o: SampleOptions & { enterpriseId?: number; sourceDepartment?: string } = {},
): Promise<InsertedDecision> {
  let enterprise: { id: number; uscc: string; name: string };
  if (o.enterpriseId) {
    const [e] = await ds.query(`SELECT id, uscc, name FROM enterprise WHERE id = $1`, [o.enterpriseId]);
    enterprise = { id: Number(e.id), uscc: e.uscc, name: e.name };
  } else {
    const uscc = o.uscc ?? freshUscc();
    const name = o.enterpriseName ?? `上海文书测试${uscc.slice(-4)}有限公司`;
    const [e] = await ds.query(
      `INSERT INTO enterprise (uscc, name, address, status) VALUES ($1, $2, '上海市杨浦区示范路1号', 'active') RETURNING id`,
      [uscc, name],
    );
    enterprise = { id: Number(e.id), uscc, name };
  }
  const seq = Math.floor(Math.random() * 1e6);
  const decisionNo = o.decisionNo ?? `沪市监杨处〔2025〕${seq}号`;
  const record = sampleDecision({ ...o, decisionNo, uscc: enterprise.uscc, enterpriseName: enterprise.name });
  record.sourceDepartment = o.sourceDepartment ?? record.sourceDepartment;
  const p = record.periods!;
  let creditRecordId: number | null = null;
  if (p.published) {
    const [r] = await ds.query(
      `INSERT INTO credit_record (enterprise_id, kind, record_date, source_department, polarity, valid_until,
         decision_no, procedure, penalty_types, penalty_severity, fine_fen, source_system, source_key,
         publication_start, publication_last_day, earliest_repair_on, never_ended_early, regime_code)
       VALUES ($1, 'administrative_penalty', $2, $3, 'negative', $4, $5, $6, $7, 'general', $8, 'test-documents', $5,
         $9, $10, $11, $12, $13) RETURNING id`,
      [
        enterprise.id,
        record.decisionDate,
        record.sourceDepartment,
        p.countsUntil,
        decisionNo,
        record.procedure,
        record.penaltyTypes,
        record.fineFen,
        p.publicationStart,
        p.publicationLastDay,
        p.earliestRepairOn,
        p.neverEndedEarly,
        p.regimeCode,
      ],
    );
    creditRecordId = Number(r.id);
  }
  const [d] = await ds.query(
    `INSERT INTO penalty_decision (decision_no, kind, enterprise_id, party_type, decision_date, procedure, penalty_types,
       fine_fen, confiscated_fen, domain, outcome, violation, legal_basis, source_department, regime_code, periods,
       published_on, notice_required, no_notice_reason, credit_record_id)
     VALUES ($1, 'penalty', $2, 'organisation', $3, $4, $5, $6, $7, $8, 'penalty', $9, $10, $11, $12, $13, $14, $15, $16, $17)
     RETURNING id`,
    [
      decisionNo,
      enterprise.id,
      record.decisionDate,
      record.procedure,
      record.penaltyTypes,
      record.fineFen,
      record.confiscatedFen,
      record.domain,
      record.violation,
      record.legalBasis,
      record.sourceDepartment,
      p.regimeCode,
      JSON.stringify(p),
      p.publicationStart,
      record.noticeRequired,
      record.noNoticeReason,
      creditRecordId,
    ],
  );
  let contents: RepairNoticeContents | null = null;
  if (record.noticeRequired) {
    contents = sampleNoticeContents(record);
    await ds.query(
      `INSERT INTO repair_notice (decision_id, notice_no, issued_on, contents) VALUES ($1, $2, $3, $4)`,
      [d.id, contents.noticeNo, contents.issuedOn, JSON.stringify(contents)],
    );
  }
  record.id = Number(d.id);
  return {
    id: Number(d.id),
    decisionNo,
    noticeNo: contents?.noticeNo ?? null,
    enterprise,
    record,
    contents,
  };
}
