import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { copyLine, textArray } from '../../common/copy-text.js';
import { openCsv } from '../../common/csv-source.js';
import { ImportReport, RejectSink } from '../../common/import-report.js';
import { UsccError, parseUscc } from '../../common/uscc.js';
import { bulkLoad } from '../../database/bulk-load.js';
import { CreditRecordInput, FieldError, NormalisedCreditRecord, checkCreditRecord } from '../rules/credit-record-input.js';

/** Credit-record CSV columns (docs/import-formats.md). */
export const RECORD_REQUIRED = ['uscc', 'kind', 'record_date', 'source_department'] as const;
export const RECORD_OPTIONAL = [
  'valid_until', 'decision_no', 'procedure', 'penalty_types', 'fine_fen', 'list_type', 'listing_reason', 'listed_on',
  'removed_on', 'channel', 'subject', 'outcome', 'amount_fen', 'case_type', 'source_system', 'source_key',
] as const;

export type RecordInput =
  | { line: number; uscc: string; record: NormalisedCreditRecord; sourceSystem: string; sourceKey: string }
  | { line: number; errors: FieldError[] };

export interface RecordLoadOptions {
  rejectsFile?: string | null;
  onProgress?: (rows: number) => void;
}

const STAGE = `(line int, uscc char(18), kind text, record_date date, date_estimated boolean, source_department text,
  polarity text, valid_until date, decision_no text, procedure text, penalty_types text[], penalty_severity text,
  fine_fen bigint, list_type text, listing_reason text, listed_on date, removed_on date, channel text, subject text,
  outcome text, amount_fen bigint, details jsonb, source_system text, source_key text)`;
const COLS = `kind, record_date, date_estimated, source_department, polarity, valid_until, decision_no, procedure,
  penalty_types, penalty_severity, fine_fen, list_type, listing_reason, listed_on, removed_on, channel, subject, outcome,
  amount_fen, details, source_system, source_key`;

function integerField(field: string, raw: string | undefined, errors: FieldError[]): number | null {
  const s = (raw ?? '').trim();
  if (!s) return null;
  if (!/^\d+$/.test(s)) {
    errors.push({ field, reason: `'${s}' is not a whole number of fen` });
    return null;
  }
  return Number(s);
}

/** Maps one CSV row (values by column) to a checked record; the source key defaults to a content hash. */
export function recordFromCsv(line: number, v: Record<string, string>): RecordInput {
  const errors: FieldError[] = [];
  let uscc = '';
  try {
    uscc = parseUscc(v.uscc ?? '');
  } catch (e) {
    errors.push({ field: 'uscc', reason: e instanceof UsccError ? e.message : String(e) });
  }
  const input: CreditRecordInput = {
    kind: v.kind,
    recordDate: v.record_date,
    sourceDepartment: v.source_department,
    validUntil: v.valid_until,
    decisionNo: v.decision_no,
    procedure: v.procedure,
    penaltyTypes: v.penalty_types ? v.penalty_types.split(/[;|、]/) : null,
    fineFen: integerField('fine_fen', v.fine_fen, errors),
    listType: v.list_type,
    listingReason: v.listing_reason,
    listedOn: v.listed_on,
    removedOn: v.removed_on,
    channel: v.channel,
    subject: v.subject,
    outcome: v.outcome,
    amountFen: integerField('amount_fen', v.amount_fen, errors),
    caseType: v.case_type,
  };
  const check = checkCreditRecord(input);
  if (!check.ok) errors.push(...check.errors.map((e) => ({ field: snake(e.field), reason: e.reason })));
  if (errors.length || !check.ok) return { line, errors };
  const sourceSystem = (v.source_system ?? '').trim() || 'csv';
  const sourceKey =
    (v.source_key ?? '').trim() || 'sha256:' + createHash('sha256').update(uscc).update(JSON.stringify(check.record)).digest('hex');
  return { line, uscc, record: check.record, sourceSystem, sourceKey };
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/**
 * Loads credit records (信用记录) in bulk: streamed, COPY into a staging table, then one
 * insert joined to the register, in one transaction. Records whose (source system, source key)
 * is already stored are skipped, so re-importing a file adds nothing. Rows refused: invalid fields
 * (checkCreditRecord), a USCC not in the register.
 */
@Injectable()
export class RecordImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Imports a credit-record CSV (UTF-8 or GB18030).
   * @throws CsvHeaderError before anything is written when the columns are wrong
   */
  async importFile(file: string, opts: RecordLoadOptions = {}): Promise<ImportReport> {
    const csv = await openCsv(file, RECORD_REQUIRED, RECORD_OPTIONAL);
    async function* inputs(): AsyncIterable<RecordInput> {
      for await (const r of csv.rows) {
        if (r.fieldCountError) yield { line: r.line, errors: [{ field: '(row)', reason: r.fieldCountError }] };
        else yield recordFromCsv(r.line, r.values);
      }
    }
    return this.load(file, csv.encoding, inputs(), opts);
  }

  /** Loads checked records. @returns the import report (updated is always 0: records are never edited) */
  async load(file: string, encoding: string, inputs: AsyncIterable<RecordInput>, opts: RecordLoadOptions = {}): Promise<ImportReport> {
    const started = Date.now();
    const sink = new RejectSink(opts.rejectsFile ?? null);
    let rows = 0;
    async function* lines(): AsyncIterable<string> {
      for await (const input of inputs) {
        rows++;
        if (opts.onProgress && rows % 100000 === 0) opts.onProgress(rows);
        if ('errors' in input) {
          sink.addRow(input.line, input.errors);
          continue;
        }
        const r = input.record;
        yield copyLine([
          input.line, input.uscc, r.kind, r.recordDate, r.dateEstimated, r.sourceDepartment, r.polarity, r.validUntil,
          r.decisionNo, r.procedure, textArray(r.penaltyTypes), r.penaltySeverity, r.fineFen, r.listType, r.listingReason, r.listedOn,
          r.removedOn, r.channel, r.subject, r.outcome, r.amountFen, r.details, input.sourceSystem, input.sourceKey,
        ]);
      }
    }
    const counts = await bulkLoad(this.dataSource, 'record_stage', STAGE, lines(), async (c) => {
      const unknown = await c.query(
        `SELECT s.line, s.uscc FROM record_stage s WHERE NOT EXISTS (SELECT 1 FROM enterprise e WHERE e.uscc = s.uscc) ORDER BY s.line`,
      );
      for (const u of unknown.rows) sink.add(u.line, 'uscc', `enterprise ${u.uscc} is not in the register`);
      const { rows: [res] } = await c.query(
        `WITH ins AS (
           INSERT INTO credit_record (enterprise_id, ${COLS})
           SELECT e.id, ${COLS.split(',').map((x) => 's.' + x.trim()).join(', ')}
           FROM record_stage s JOIN enterprise e ON e.uscc = s.uscc
           ON CONFLICT (source_system, source_key) DO NOTHING
           RETURNING 1)
         SELECT (SELECT count(*)::int FROM ins) AS inserted, (SELECT count(*)::int FROM record_stage) AS staged`,
      );
      return { inserted: res.inserted, staged: res.staged, unknown: unknown.rowCount ?? 0 };
    });
    const rejectsFile = await sink.close();
    return {
      file,
      encoding,
      rows,
      inserted: counts.inserted,
      updated: 0,
      unchanged: counts.staged - counts.unknown - counts.inserted,
      rejected: sink.count,
      rejectedByReason: sink.byReason,
      firstRejected: sink.first,
      rejectsFile,
      elapsedMs: Date.now() - started,
    };
  }
}
