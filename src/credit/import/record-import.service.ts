import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { PublicationRegimesService } from '../../penalties/regimes/publication-regimes.service.js';
import { lowerFineThresholds } from '../../penalties/rules/publication-regimes.js';
import { copyLine, textArray } from '../../common/copy-text.js';
import { csvInputs } from '../../common/csv-source.js';
import { ImportReport, RejectSink } from '../../common/import-report.js';
import { UsccError, checkCharNote, failsOnlyCheckChar, parseUscc } from '../../common/uscc.js';
import { Batches, ImportCounts, ImportOptions, bulkImport, tryDirectCopy } from '../../database/bulk-load.js';
import {
  CreditRecordInput,
  FieldError,
  NormalisedCreditRecord,
  PeriodInputs,
  RECORD_TEXT_LIMITS,
  beforeEstablishmentReason,
  checkCreditRecord,
} from '../rules/credit-record-input.js';
import { textProblem } from '../../common/text-check.js';

/** Credit-record CSV columns (docs/import-formats.md). */
export const RECORD_REQUIRED = ['uscc', 'kind', 'record_date', 'source_department'] as const;
export const RECORD_OPTIONAL = [
  'valid_until',
  'decision_no',
  'procedure',
  'penalty_types',
  'fine_fen',
  'list_type',
  'listing_reason',
  'listed_on',
  'removed_on',
  'channel',
  'subject',
  'outcome',
  'amount_fen',
  'case_type',
  'change_item',
  'source_system',
  'source_key',
  'date_estimated',
  'domain',
  'party_type',
  'published_on',
] as const;

export type RecordInput =
  | { line: number; uscc: string; record: NormalisedCreditRecord; sourceSystem: string; sourceKey: string }
  | { line: number; errors: FieldError[] };

/** A record that passed its checks. */
export type ValidRecord = Extract<RecordInput, { record: unknown }>;

/**
 * COPY line of a valid record whose first column is `lead` (the enterprise id for the direct path,
 * the line number for staging, where the USCC follows last and is resolved to an id in SQL).
 */
function recordLine(lead: number, input: ValidRecord, withUscc: boolean): string {
  const r = input.record;
  const line = copyLine([
    lead,
    r.kind,
    r.recordDate,
    r.dateEstimated,
    r.sourceDepartment,
    r.polarity,
    r.validUntil,
    r.decisionNo,
    r.procedure,
    textArray(r.penaltyTypes),
    r.penaltySeverity,
    r.fineFen,
    r.listType,
    r.listingReason,
    r.listedOn,
    r.removedOn,
    r.channel,
    r.subject,
    r.outcome,
    r.amountFen,
    r.changeItem,
    r.details,
    r.publicationStart,
    r.publicationLastDay,
    r.earliestRepairOn,
    r.neverEndedEarly,
    r.regimeCode,
    r.periodProvisional,
    input.sourceSystem,
    input.sourceKey,
  ]);
  return withUscc ? `${line.slice(0, -1)}\t${input.uscc}\n` : line;
}

const STAGE = `(line int, kind text, record_date date, date_estimated boolean, source_department text,
  polarity text, valid_until date, decision_no text, procedure text, penalty_types text[], penalty_severity text,
  fine_fen bigint, list_type text, listing_reason text, listed_on date, removed_on date, channel text, subject text,
  outcome text, amount_fen bigint, change_item text, details jsonb, publication_start date, publication_last_day date,
  earliest_repair_on date, never_ended_early boolean, regime_code text, period_provisional boolean,
  source_system text, source_key text, uscc char(18))`;
const COLS = `kind, record_date, date_estimated, source_department, polarity, valid_until, decision_no, procedure,
  penalty_types, penalty_severity, fine_fen, list_type, listing_reason, listed_on, removed_on, channel, subject, outcome,
  amount_fen, change_item, details, publication_start, publication_last_day, earliest_repair_on, never_ended_early,
  regime_code, period_provisional, source_system, source_key`;

function integerField(field: string, raw: string | undefined, errors: FieldError[]): number | null {
  const s = (raw ?? '').trim();
  if (!s) return null;
  if (!/^\d+$/.test(s)) {
    errors.push({ field, reason: `'${s}' is not a whole number of fen` });
    return null;
  }
  return Number(s);
}

const TRUE = new Set(['1', 'true', 'yes', 'y', '是']);
const FALSE = new Set(['', '0', 'false', 'no', 'n', '否']);

/**
 * Maps one CSV row (values by column) to a checked record; the source key defaults to a content
 * hash. Dates are read as the API reads them, and Excel serial day numbers too (a spreadsheet's
 * date column); `date_estimated` (true/false, 1/0, 是/否) marks the record date as estimated (a
 * month-only date is marked so by itself). Text limits are the API's (RECORD_TEXT_LIMITS). With
 * `periods`, a penalty gets its publication window as through the API (checkCreditRecord); the
 * optional columns domain, party_type and published_on feed it.
 */
export function recordFromCsv(
  line: number,
  v: Record<string, string>,
  today?: string,
  periods?: PeriodInputs,
): RecordInput {
  const errors: FieldError[] = [];
  const rawEstimated = (v.date_estimated ?? '').trim().toLowerCase();
  if (!TRUE.has(rawEstimated) && !FALSE.has(rawEstimated))
    errors.push({ field: 'date_estimated', reason: `'${rawEstimated}' is not true/false/1/0/是/否` });
  let uscc = '';
  try {
    uscc = parseUscc(v.uscc ?? '');
  } catch (e) {
    // a code failing only its check character may be one the register kept for review: looked up as stored
    if (failsOnlyCheckChar(e)) uscc = e.code;
    else errors.push({ field: 'uscc', reason: e instanceof UsccError ? e.message : String(e) });
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
    changeItem: v.change_item,
    domain: v.domain,
    partyType: v.party_type,
    publishedOn: v.published_on,
    dateEstimated: TRUE.has(rawEstimated),
  };
  const check = checkCreditRecord(input, today, { excelSerial: true, periods });
  if (!check.ok) errors.push(...check.errors.map((e) => ({ field: snake(e.field), reason: e.reason })));
  const sourceSystem = (v.source_system ?? '').trim() || 'csv';
  const givenKey = (v.source_key ?? '').trim();
  for (const [field, value, limit] of [
    ['source_system', sourceSystem, RECORD_TEXT_LIMITS.sourceSystem],
    ['source_key', givenKey, RECORD_TEXT_LIMITS.sourceKey],
  ] as const) {
    const problem = textProblem(value, limit);
    if (problem) errors.push({ field, reason: problem });
  }
  if (errors.length || !check.ok) return { line, errors };
  const sourceKey =
    givenKey ||
    'sha256:' + createHash('sha256').update(uscc).update(JSON.stringify(check.record)).digest('hex');
  return { line, uscc, record: check.record, sourceSystem, sourceKey };
}

const STAGE_COLS = COLS.split(',')
  .map((x) => 's.' + x.trim())
  .join(', ');

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/**
 * Loads credit records (信用记录) in bulk, streamed and in one transaction (an advisory lock makes
 * concurrent record loads wait for each other). Records whose (source system, source key) is
 * already stored are skipped, so re-importing a file adds nothing. Rows refused: invalid fields
 * (checkCreditRecord, the API's check), a USCC not in the register, a record dated before its
 * enterprise was established (beforeEstablishmentReason).
 *
 * Two paths give the same result. A large file is first COPYed straight into `credit_record`,
 * with enterprise ids looked up in memory (no table is locked beyond the rows written: readers
 * and the API go on). If that meets a source key already stored or repeated in the file, it is
 * rolled back to a savepoint and the file is read again through the staging path (COPY into a
 * temporary table, then an insert that skips stored keys, repeats refused by line).
 */
@Injectable()
export class RecordImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regimes: PublicationRegimesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Imports a credit-record CSV (UTF-8 or GB18030). Penalties get their publication window under
   * the stored regimes and the configured lower-amount thresholds (checkCreditRecord).
   * @throws CsvHeaderError before anything is written when the columns are wrong
   */
  async importFile(file: string, opts: ImportOptions = {}): Promise<ImportReport> {
    const today = todayInShanghai(); // records dated later are refused
    const periods = await this.periodInputs();
    const csv = await csvInputs(file, RECORD_REQUIRED, RECORD_OPTIONAL, (r) =>
      recordFromCsv(r.line, r.values, today, periods),
    );
    return this.run(file, csv.encoding, csv.inputs, opts, tryDirectCopy(file, opts) ? csv.again : undefined);
  }

  /** The regimes as stored and the configured thresholds: what a penalty's window is computed with. */
  async periodInputs(): Promise<PeriodInputs> {
    return { regimes: await this.regimes.all(), thresholds: lowerFineThresholds(this.config) };
  }

  /** Loads checked records, in batches (another importer's rows). @returns the import report */
  load(
    file: string,
    encoding: string,
    inputs: Batches<ValidRecord>,
    opts: ImportOptions = {},
  ): Promise<ImportReport> {
    return this.run(file, encoding, inputs, opts, undefined);
  }

  private run(
    file: string,
    encoding: string,
    inputs: Batches<ValidRecord>,
    options: ImportOptions,
    reopen: (() => Promise<Batches<ValidRecord>>) | undefined,
  ): Promise<ImportReport> {
    return bulkImport<ValidRecord>({
      dataSource: this.dataSource,
      auditAction: 'credit_record.import',
      lockKey: 'import:credit_record',
      table: 'credit_record',
      scope: 'record import',
      file,
      encoding,
      inputs,
      reopen,
      options,
      direct: async (c, sink, lap) => {
        const ids = await enterpriseIds(c);
        lap(`loaded ${ids.size} enterprise ids`);
        return {
          copySql: `COPY credit_record (enterprise_id, ${COLS}) FROM STDIN`,
          toLine: (input) => {
            const e = ids.get(input.uscc);
            if (e === undefined) {
              sink.add(
                input.line,
                'uscc',
                `enterprise ${input.uscc} is not in the register${checkCharNote(input.uscc)}`,
              );
              return undefined;
            }
            const early = beforeEstablishmentReason(input.record.recordDate, e.establishedOn);
            if (early) {
              sink.add(input.line, 'record_date', early);
              return undefined;
            }
            return recordLine(e.id, input, false);
          },
        };
      },
      staged: {
        table: 'record_stage',
        ddl: STAGE,
        toLine: (input) => recordLine(input.line, input, true),
        move: (c, sink, staged) => this.moveStaged(c, sink, staged),
      },
    });
  }

  /**
   * Staging path: refuse unknown enterprises, records dated before their enterprise was
   * established and keys repeated in the file; insert records whose key is new.
   */
  private async moveStaged(c: pg.PoolClient, sink: RejectSink, staged: number): Promise<ImportCounts> {
    const unknown = await c.query(
      `SELECT s.line, s.uscc FROM record_stage s WHERE NOT EXISTS (SELECT 1 FROM enterprise e WHERE e.uscc = s.uscc) ORDER BY s.line`,
    );
    for (const u of unknown.rows)
      sink.add(u.line, 'uscc', `enterprise ${u.uscc} is not in the register${checkCharNote(u.uscc)}`);
    const early = await c.query(
      `DELETE FROM record_stage s USING enterprise e
       WHERE e.uscc = s.uscc AND s.record_date < e.established_on
       RETURNING s.line, s.record_date, e.established_on`,
    );
    for (const r of [...early.rows].sort((a, b) => a.line - b.line))
      sink.add(r.line, 'record_date', beforeEstablishmentReason(r.record_date, r.established_on)!);
    // a key repeated in the input: the later rows are refused (rows are told apart by ctid, since
    // another importer's rows may share a line number)
    const repeats = await c.query(
      `WITH ranked AS (
         SELECT ctid AS row_id, line, row_number() OVER w AS n, first_value(line) OVER w AS first_line
         FROM record_stage WINDOW w AS (PARTITION BY source_system, source_key ORDER BY line))
       DELETE FROM record_stage s USING ranked r WHERE s.ctid = r.row_id AND r.n > 1
       RETURNING r.line, r.first_line`,
    );
    for (const r of [...repeats.rows].sort((a, b) => a.line - b.line))
      sink.add(r.line, 'source_key', `source key already given at line ${r.first_line}`);
    const inserted = (
      await c.query(
        `INSERT INTO credit_record (enterprise_id, ${COLS})
         SELECT e.id, ${STAGE_COLS} FROM record_stage s JOIN enterprise e ON e.uscc = s.uscc
         ON CONFLICT (source_system, source_key) DO NOTHING`,
      )
    ).rowCount!;
    return {
      inserted,
      updated: 0,
      unchanged:
        staged - (unknown.rowCount ?? 0) - (early.rowCount ?? 0) - (repeats.rowCount ?? 0) - inserted,
    };
  }
}

/** Every registered USCC with its enterprise id and establishment date (about 150 MB of memory per million). */
async function enterpriseIds(
  c: pg.PoolClient,
): Promise<Map<string, { id: number; establishedOn: string | null }>> {
  const res = await c.query({ text: 'SELECT uscc, id, established_on FROM enterprise', rowMode: 'array' });
  const ids = new Map<string, { id: number; establishedOn: string | null }>();
  for (const [uscc, id, establishedOn] of res.rows as [string, number, string | null][])
    ids.set(uscc, { id, establishedOn });
  return ids;
}
