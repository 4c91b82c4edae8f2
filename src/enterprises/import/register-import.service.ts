import { todayInShanghai } from '../../common/clock.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { CopyValue, copyLine } from '../../common/copy-text.js';
import { csvInputs } from '../../common/csv-source.js';
import { ImportReport, RejectSink, WarningSink } from '../../common/import-report.js';
import { Batches, ImportCounts, ImportOptions, bulkImport, tryDirectCopy } from '../../database/bulk-load.js';
import {
  REGISTER_OPTIONAL,
  REGISTER_REQUIRED,
  RegisterRow,
  RegisterRowOptions,
  checkRegisterRow,
} from '../register-row.js';

/** Options of a register import: the common ones and the row check's (`--accept-bad-check-char`). */
export type RegisterImportOptions = ImportOptions & RegisterRowOptions;

/** A row for the register loader: checked data, or the errors that refuse it. */
export type RegisterInput =
  | { line: number; row: RegisterRow; usccDerived?: boolean }
  | { line: number; errors: { field: string; reason: string }[] };

/** A register row that passed its checks. */
export type ValidRegisterRow = Extract<RegisterInput, { row: unknown }>;

const STAGE = `(line int, uscc text, uscc_derived boolean, registration_no text, uscc_check_char_failed boolean,
  division_mismatch boolean, name text, entity_type text, industry_code text, division_code text,
  street text, address text, established_on date, established_on_estimated boolean, status text, prepaid_issuer boolean, registered_capital_fen bigint, legal_rep_key text, source_system text, source_key text)`;
const COLS = `uscc, uscc_derived, registration_no, uscc_check_char_failed, division_mismatch, name, entity_type, industry_code, division_code, street, address, established_on,
  established_on_estimated, status,
  prepaid_issuer, registered_capital_fen, legal_rep_key, source_system, source_key`;
/** Columns an update may change (the name and every optional column but the source); the CSV column of each has the same name. */
const UPDATABLE: string[] = [
  'name',
  ...REGISTER_OPTIONAL.filter((c) => c !== 'source_system' && c !== 'source_key' && c !== 'uscc_derived'),
];

/** COPY values of a valid row, in COLS order. */
function values(input: ValidRegisterRow): CopyValue[] {
  const r = input.row;
  return [
    r.uscc,
    input.usccDerived ?? r.usccDerived ?? false,
    r.registrationNo,
    r.usccCheckCharFailed,
    r.divisionMismatch,
    r.name,
    r.entityType,
    r.industryCode,
    r.divisionCode,
    r.street,
    r.address,
    r.establishedOn,
    r.establishedOnEstimated ?? false,
    r.status,
    r.prepaidIssuer,
    r.registeredCapitalFen,
    r.legalRepKey,
    r.sourceSystem,
    r.sourceKey,
  ];
}

/**
 * Loads the enterprise register (市场主体名录) in bulk, streamed and in one transaction (an
 * advisory lock makes concurrent register loads wait for each other). Re-importing the same file
 * changes nothing; a changed row updates the enterprise. Rows refused: invalid fields, a USCC
 * given twice in the file (the later line), a source key that belongs to another enterprise.
 *
 * Two paths give the same result: a large file is first COPYed straight into `enterprise`
 * (fast: the normal case of new enterprises); if that meets a USCC or source key already stored
 * or repeated, it is rolled back to a savepoint and the file is read again through the staging
 * path (COPY into a temporary table, then set-based insert and update).
 */
@Injectable()
export class RegisterImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Imports a register CSV (columns in docs/import-formats.md; UTF-8 or GB18030). With
   * `acceptBadCheckChar`, rows whose USCC fails only its check character(s) are kept, flagged
   * `uscc_check_char_failed`. Rows kept for review (that flag, a division column disagreeing with
   * the USCC) are listed in the report's `warnings`.
   * @throws CsvHeaderError before anything is written when the columns are wrong
   */
  async importFile(file: string, opts: RegisterImportOptions = {}): Promise<ImportReport> {
    const warnings = new WarningSink();
    const today = todayInShanghai();
    const csv = await csvInputs(file, REGISTER_REQUIRED, REGISTER_OPTIONAL, (r): RegisterInput => {
      const c = checkRegisterRow(r.values, { acceptBadCheckChar: opts.acceptBadCheckChar, today });
      if (!c.ok) return { line: r.line, errors: c.errors };
      warnings.set(r.line, c.warnings);
      return { line: r.line, row: c.row };
    });
    // a file with establishment dates sets whether each is estimated, with or without the flag column
    const columns = UPDATABLE.filter(
      (c) =>
        csv.header.includes(c) || (c === 'established_on_estimated' && csv.header.includes('established_on')),
    );
    const report = await this.run(
      file,
      csv.encoding,
      csv.inputs,
      opts,
      tryDirectCopy(file, opts) ? csv.again : undefined,
      columns,
    );
    return { ...report, warnings: warnings.summary() };
  }

  /** Loads checked rows, in batches (another importer's rows). @returns the import report */
  load(
    file: string,
    encoding: string,
    inputs: Batches<ValidRegisterRow>,
    opts: ImportOptions = {},
  ): Promise<ImportReport> {
    return this.run(file, encoding, inputs, opts, undefined, UPDATABLE);
  }

  private run(
    file: string,
    encoding: string,
    inputs: Batches<ValidRegisterRow>,
    options: ImportOptions,
    reopen: (() => Promise<Batches<ValidRegisterRow>>) | undefined,
    updatable: string[],
  ): Promise<ImportReport> {
    return bulkImport<ValidRegisterRow>({
      dataSource: this.dataSource,
      auditAction: 'enterprise.import',
      lockKey: 'import:enterprise',
      table: 'enterprise',
      scope: 'register import',
      file,
      encoding,
      inputs,
      reopen,
      options,
      direct: async () => ({
        copySql: `COPY enterprise (${COLS}) FROM STDIN`,
        toLine: (input) => copyLine(values(input)),
      }),
      staged: {
        table: 'enterprise_stage',
        ddl: STAGE,
        toLine: (input) => copyLine([input.line, ...values(input)]),
        move: (c, sink, staged) => this.moveStaged(c, sink, staged, updatable),
      },
    });
  }

  /**
   * Staging path: refuse repeated keys, insert new enterprises, update changed ones. An update
   * changes only `updatable` columns (those the file carries): a file without a status column
   * does not reset a revoked enterprise to active.
   */
  private async moveStaged(
    c: pg.PoolClient,
    sink: RejectSink,
    staged: number,
    updatable: string[],
  ): Promise<ImportCounts> {
    const refusals = await c.query(
      `SELECT line, 'uscc' AS field, 'USCC ' || uscc || ' already given at line ' || first_line AS reason FROM (
         SELECT line, uscc, min(line) OVER (PARTITION BY uscc) AS first_line FROM enterprise_stage) d
       WHERE line <> first_line
       UNION ALL
       SELECT line, 'source_key', 'source key already given at line ' || first_line FROM (
         SELECT line, min(line) OVER (PARTITION BY source_system, source_key) AS first_line
         FROM enterprise_stage WHERE source_key IS NOT NULL) d
       WHERE line <> first_line
       UNION ALL
       SELECT s.line, 'source_key', s.source_system || '/' || s.source_key || ' belongs to enterprise ' || e.uscc
       FROM enterprise_stage s JOIN enterprise e ON e.source_system = s.source_system AND e.source_key = s.source_key AND e.uscc <> s.uscc
       ORDER BY 1`,
    );
    const refused = new Set<number>();
    for (const r of refusals.rows) {
      if (refused.has(r.line)) continue;
      refused.add(r.line);
      sink.add(r.line, r.field, r.reason);
    }
    await c.query(`DELETE FROM enterprise_stage WHERE line = ANY($1::int[])`, [[...refused]]);
    const inserted = (
      await c.query(
        `INSERT INTO enterprise (${COLS}) SELECT ${COLS} FROM enterprise_stage s
         WHERE NOT EXISTS (SELECT 1 FROM enterprise e WHERE e.uscc = s.uscc)`,
      )
    ).rowCount!;
    // review flags follow the row: the check-character flag always, the division flag with the division column
    const set = [
      'uscc_derived',
      'uscc_check_char_failed',
      ...(updatable.includes('division_code') ? ['division_mismatch'] : []),
      ...updatable,
    ];
    const updated = (
      await c.query(
        `UPDATE enterprise e SET (${set.join(', ')}) = (${set.map((x) => 's.' + x).join(', ')}),
           source_system = coalesce(s.source_system, e.source_system), source_key = coalesce(s.source_key, e.source_key),
           updated_at = now()
         FROM enterprise_stage s
         WHERE e.uscc = s.uscc
           AND (${set.map((x) => 'e.' + x).join(', ')}, NULL) IS DISTINCT FROM (${set.map((x) => 's.' + x).join(', ')}, NULL)`,
      )
    ).rowCount!;
    return { inserted, updated, unchanged: staged - refused.size - inserted - updated };
  }
}
