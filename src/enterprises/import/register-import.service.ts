import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { copyLine } from '../../common/copy-text.js';
import { openCsv } from '../../common/csv-source.js';
import { ImportReport, RejectSink } from '../../common/import-report.js';
import { bulkLoad } from '../../database/bulk-load.js';
import { REGISTER_OPTIONAL, REGISTER_REQUIRED, RegisterRow, checkRegisterRow } from '../register-row.js';

/** A row for the register loader: checked data, or the errors that refuse it. */
export type RegisterInput = { line: number; row: RegisterRow; usccDerived?: boolean } | { line: number; errors: { field: string; reason: string }[] };

export interface LoadOptions {
  /** where to write every rejected row (CSV); null keeps only counts and the first 20 */
  rejectsFile?: string | null;
  onProgress?: (rows: number) => void;
}

const STAGE = `(line int, uscc text, uscc_derived boolean, name text, entity_type text, industry_code text, division_code text,
  street text, address text, established_on date, status text, prepaid_issuer boolean, source_system text, source_key text)`;
const COLS = `uscc, uscc_derived, name, entity_type, industry_code, division_code, street, address, established_on, status,
  prepaid_issuer, source_system, source_key`;

/**
 * Loads the enterprise register (市场主体名录) in bulk: streamed, COPY into a staging table, then
 * one upsert, all in one transaction. Re-importing the same file changes nothing; a changed row
 * updates the enterprise. Rows refused: invalid fields, a USCC given twice in the file (the later
 * line), a source key that belongs to another enterprise.
 */
@Injectable()
export class RegisterImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Imports a register CSV (columns in docs/import-formats.md; UTF-8 or GB18030).
   * @throws CsvHeaderError before anything is written when the columns are wrong
   */
  async importFile(file: string, opts: LoadOptions = {}): Promise<ImportReport> {
    const csv = await openCsv(file, REGISTER_REQUIRED, REGISTER_OPTIONAL);
    async function* inputs(): AsyncIterable<RegisterInput> {
      for await (const r of csv.rows) {
        if (r.fieldCountError) {
          yield { line: r.line, errors: [{ field: '(row)', reason: r.fieldCountError }] };
          continue;
        }
        const c = checkRegisterRow(r.values);
        yield c.ok ? { line: r.line, row: c.row } : { line: r.line, errors: c.errors };
      }
    }
    return this.load(file, csv.encoding, inputs(), opts);
  }

  /** Loads checked rows (from a CSV or another importer). @returns the import report */
  async load(file: string, encoding: string, inputs: AsyncIterable<RegisterInput>, opts: LoadOptions = {}): Promise<ImportReport> {
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
        const r = input.row;
        yield copyLine([
          input.line, r.uscc, input.usccDerived ?? false, r.name, r.entityType, r.industryCode, r.divisionCode, r.street,
          r.address, r.establishedOn, r.status, r.prepaidIssuer, r.sourceSystem, r.sourceKey,
        ]);
      }
    }
    const counts = await bulkLoad(this.dataSource, 'enterprise_stage', STAGE, lines(), async (c) => {
      const dupes = await c.query(
        `SELECT line, uscc, first_line FROM (
           SELECT line, uscc, min(line) OVER (PARTITION BY uscc) AS first_line FROM enterprise_stage) d
         WHERE line <> first_line ORDER BY line`,
      );
      for (const d of dupes.rows) sink.add(d.line, 'uscc', `USCC ${d.uscc} already given at line ${d.first_line}`);
      const foreign = await c.query(
        `SELECT s.line, s.source_system, s.source_key, e.uscc FROM enterprise_stage s
         JOIN enterprise e ON e.source_system = s.source_system AND e.source_key = s.source_key AND e.uscc <> s.uscc ORDER BY s.line`,
      );
      for (const f of foreign.rows) sink.add(f.line, 'source_key', `${f.source_system}/${f.source_key} belongs to enterprise ${f.uscc}`);
      const sameKey = await c.query(
        `SELECT line, first_line FROM (SELECT line, min(line) OVER (PARTITION BY source_system, source_key) AS first_line
           FROM enterprise_stage WHERE source_key IS NOT NULL) d WHERE line <> first_line ORDER BY line`,
      );
      for (const d of sameKey.rows) sink.add(d.line, 'source_key', `source key already given at line ${d.first_line}`);
      const refused = [...dupes.rows, ...foreign.rows, ...sameKey.rows].map((r) => r.line);
      const { rows: [res] } = await c.query(
        `WITH ins AS (
           INSERT INTO enterprise (${COLS})
           SELECT ${COLS} FROM enterprise_stage WHERE NOT (line = ANY($1::int[]))
           ON CONFLICT (uscc) DO UPDATE SET uscc_derived = excluded.uscc_derived, name = excluded.name,
             entity_type = excluded.entity_type, industry_code = excluded.industry_code, division_code = excluded.division_code,
             street = excluded.street, address = excluded.address, established_on = excluded.established_on,
             status = excluded.status, prepaid_issuer = excluded.prepaid_issuer,
             source_system = coalesce(excluded.source_system, enterprise.source_system),
             source_key = coalesce(excluded.source_key, enterprise.source_key), updated_at = now()
           WHERE (enterprise.uscc_derived, enterprise.name, enterprise.entity_type, enterprise.industry_code, enterprise.division_code,
                  enterprise.street, enterprise.address, enterprise.established_on, enterprise.status, enterprise.prepaid_issuer)
             IS DISTINCT FROM (excluded.uscc_derived, excluded.name, excluded.entity_type, excluded.industry_code, excluded.division_code,
                  excluded.street, excluded.address, excluded.established_on, excluded.status, excluded.prepaid_issuer)
           RETURNING (xmax = 0) AS inserted)
         SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
                (SELECT count(*)::int FROM enterprise_stage) AS staged FROM ins`,
        [refused],
      );
      return { inserted: res.inserted, updated: res.updated, staged: res.staged, refused: refused.length };
    });
    const rejectsFile = await sink.close();
    return {
      file,
      encoding,
      rows,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.staged - counts.refused - counts.inserted - counts.updated,
      rejected: sink.count,
      rejectedByReason: sink.byReason,
      firstRejected: sink.first,
      rejectsFile,
      elapsedMs: Date.now() - started,
    };
  }
}
