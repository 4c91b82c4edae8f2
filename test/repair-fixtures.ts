/**
 * SQL fixtures for the credit-repair tests (issue 13): an enterprise with a penalty record whose
 * publication window is set (earliest_repair_on...), as the penalty-decision slice would write it,
 * inserted as rows so these tests do not depend on that slice. Real tables, real constraints.
 */
import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { addDays } from '../src/common/calendar-days.js';
import { todayInShanghai } from '../src/common/clock.js';
import { insertEnterprise } from './triggers-fixtures.js';

let n = 0;

/** A penalty record of `enterpriseId`. @returns its id */
export async function insertPenalty(
  ds: DataSource,
  enterpriseId: number,
  opts: {
    recordDate?: string;
    earliestRepairOn?: string | null;
    publicationLastDay?: string | null;
    neverEndedEarly?: boolean;
    types?: string[];
    subject?: string;
    sourceDepartment?: string;
    fineFen?: number;
  } = {},
): Promise<number> {
  n++;
  const today = todayInShanghai();
  const recordDate = opts.recordDate ?? addDays(today, -200);
  const never = opts.neverEndedEarly ?? false;
  const [r] = await ds.query(
    `INSERT INTO credit_record (enterprise_id, kind, record_date, source_department, polarity, decision_no, procedure,
       penalty_types, penalty_severity, fine_fen, subject, source_system, source_key,
       publication_start, publication_last_day, earliest_repair_on, never_ended_early, regime_code)
     VALUES ($1, 'administrative_penalty', $2, $3, 'negative', $4, 'general', $5, $6, $7, $8, 'test-repair', $9,
       $2, $10, $11, $12, 'SH-2023') RETURNING id`,
    [
      enterpriseId,
      recordDate,
      opts.sourceDepartment ?? '杨浦区市场监督管理局',
      `沪市监杨处〔2026〕${1000 + n}号`,
      opts.types ?? ['fine'],
      never ? 'severe' : 'general',
      opts.fineFen ?? 5_000_000,
      opts.subject ?? '食品安全法第一百二十四条',
      `penalty-${n}-${Date.now()}`,
      opts.publicationLastDay === undefined ? addDays(recordDate, 3 * 365) : opts.publicationLastDay,
      never ? null : opts.earliestRepairOn === undefined ? addDays(recordDate, 100) : opts.earliestRepairOn,
      never,
    ],
  );
  return Number(r.id);
}

/** A listing of `enterpriseId` on the anomaly or serious list, in force. @returns its id */
export async function insertListing(
  ds: DataSource,
  enterpriseId: number,
  type: 'anomaly' | 'serious',
  listedOn: string,
): Promise<number> {
  n++;
  const [r] = await ds.query(
    `INSERT INTO credit_record (enterprise_id, kind, record_date, source_department, polarity, list_type, listing_reason,
       listed_on, source_system, source_key)
     VALUES ($1, 'listing', $2, '杨浦区市场监督管理局', 'negative', $3, '未按规定报送年度报告', $2, 'test-repair', $4) RETURNING id`,
    [enterpriseId, listedOn, type, `listing-${n}-${Date.now()}`],
  );
  return Number(r.id);
}

/** An enterprise of the register (tier B placeholder until rescored). */
export function repairEnterprise(ds: DataSource, name: string) {
  return insertEnterprise(ds, { name, tier: 'B' });
}

/** A minimal PDF (the bytes `file-type` recognises as application/pdf). */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/** A real PNG image (a QR code of `text`). */
export function pngBytes(text = 'repair'): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', width: 64 });
}
