/**
 * SQL fixtures for the enterprise's own page (issue 13, slice D): a penalty decision with its
 * credit record (publication window), repair notice and one delivery of both documents, written
 * straight into the scaffold's tables so these tests do not depend on the decision-recording
 * service of another slice. Real tables, real constraints; no mocks.
 */
import type { DataSource } from 'typeorm';

let seq = 0;

/** What a fixture decision needs; dates YYYY-MM-DD. */
export interface FixtureDecision {
  enterpriseId: number;
  decisionDate: string;
  publicationStart: string;
  publicationLastDay: string;
  earliestRepairOn: string | null;
  neverEndedEarly?: boolean;
  repairedOn?: string | null;
  /** false: a decision that needs no notice (stored with the reason) */
  withNotice?: boolean;
  fineFen?: number;
}

/**
 * A penalty decision (general procedure, fine) with its credit record, repair notice and one
 * in-person delivery of both documents on the decision day.
 * @returns the decision's id and number and the record's id
 */
export async function insertDecision(
  ds: DataSource,
  f: FixtureDecision,
): Promise<{ decisionId: number; decisionNo: string; recordId: number }> {
  seq++;
  const decisionNo = `沪市监杨处〔${f.decisionDate.slice(0, 4)}〕${1000 + seq}号`;
  const withNotice = f.withNotice ?? true;
  return ds.transaction(async (m) => {
    const [r] = await m.query(
      `INSERT INTO credit_record (enterprise_id, kind, record_date, source_department, polarity, valid_until,
         decision_no, procedure, penalty_types, penalty_severity, fine_fen, source_system, source_key,
         publication_start, publication_last_day, earliest_repair_on, never_ended_early, regime_code, repaired_on)
       VALUES ($1, 'administrative_penalty', $2, '杨浦区市场监督管理局', 'negative', $3, $4, 'general', '{fine}',
         'general', $5, 'test', $6, $7, $3, $8, $9, 'SH-2023', $10) RETURNING id`,
      [
        f.enterpriseId,
        f.decisionDate,
        f.publicationLastDay,
        decisionNo,
        f.fineFen ?? 5_000_000,
        `fixture-${Date.now()}-${seq}`,
        f.publicationStart,
        f.earliestRepairOn,
        f.neverEndedEarly ?? false,
        f.repairedOn ?? null,
      ],
    );
    const periods = {
      published: true,
      publicationStart: f.publicationStart,
      publicationLastDay: f.publicationLastDay,
      earliestRepairOn: f.earliestRepairOn,
    };
    const [d] = await m.query(
      `INSERT INTO penalty_decision (decision_no, kind, enterprise_id, party_type, decision_date, procedure,
         penalty_types, fine_fen, domain, outcome, violation, legal_basis, source_department, regime_code,
         periods, published_on, notice_required, no_notice_reason, credit_record_id)
       VALUES ($1, 'penalty', $2, 'organisation', $3, 'general', '{fine}', $4, 'general', 'penalty',
         '销售不符合标准的商品', '《中华人民共和国产品质量法》第四十九条', '杨浦区市场监督管理局', 'SH-2023',
         $5::jsonb, $6, $7, $8, $9) RETURNING id`,
      [
        decisionNo,
        f.enterpriseId,
        f.decisionDate,
        f.fineFen ?? 5_000_000,
        JSON.stringify(periods),
        f.publicationStart,
        withNotice,
        withNotice ? null : '简易程序作出的处罚不公示，无需告知',
        r.id,
      ],
    );
    if (withNotice)
      await m.query(
        `INSERT INTO repair_notice (decision_id, notice_no, issued_on, contents) VALUES ($1, $2, $3, $4::jsonb)`,
        [d.id, `XF-${decisionNo}`, f.decisionDate, JSON.stringify(periods)],
      );
    await m.query(
      `INSERT INTO document_delivery (decision_id, documents, channel, delivered_on, recipient)
       VALUES ($1, $2, 'in_person', $3, '张三（法定代表人）')`,
      [d.id, withNotice ? ['decision', 'repair_notice'] : ['decision'], f.decisionDate],
    );
    return { decisionId: Number(d.id), decisionNo, recordId: Number(r.id) };
  });
}

/** Sets an enterprise's establishment date (成立日期) and industry. */
export async function setEstablished(
  ds: DataSource,
  enterpriseId: number,
  establishedOn: string | null,
  industryCode?: string,
): Promise<void> {
  await ds.query(
    `UPDATE enterprise SET established_on = $2, industry_code = coalesce($3, industry_code) WHERE id = $1`,
    [enterpriseId, establishedOn, industryCode ?? null],
  );
}
