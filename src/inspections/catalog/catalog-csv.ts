import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UnprocessableEntityException } from '@nestjs/common';
import { CsvRow, openCsv } from '../../common/csv-source.js';
import { RejectSink, type RejectedRow } from '../../common/import-report.js';
import type { CatalogImportView } from './dto/catalog.dto.js';

/**
 * What the item list's and the roster's CSV importers share (issue 11 "Import by CSV, API and
 * page"): the project's CSV machinery (common/csv-source.ts: UTF-8 or GB18030, BOM, the stream
 * guard refusing truncated files and oversized fields, line numbers of the file), a bound on the
 * rows of one file, every rejection with its line and column, and the rule that a file with any
 * rejected row stores nothing (these lists are small and read by people: half a list is worse
 * than none).
 */

/** A file read: its encoding, header and data rows (blank lines skipped, line numbers kept). */
export interface CatalogCsv {
  encoding: string;
  header: string[];
  rows: CsvRow[];
}

/**
 * Reads a whole catalog CSV (these files are small: at most `maxRows` data rows).
 * @throws CsvHeaderError (wrong columns, empty file), CsvFileError (truncated, a field past the
 *   bound), RangeError (more than maxRows rows): nothing is stored in any of these cases
 */
export async function readCatalogCsv(
  file: string,
  required: readonly string[],
  optional: readonly string[],
  maxRows: number,
): Promise<CatalogCsv> {
  const csv = await openCsv(file, required, optional);
  const rows: CsvRow[] = [];
  for await (const r of csv.rows) {
    rows.push(r);
    if (rows.length > maxRows)
      throw new RangeError(`${file}: more than ${maxRows} rows: split the file (nothing imported)`);
  }
  return { encoding: csv.encoding, header: csv.header, rows };
}

/** Collects rejections by line for the report (all of them) and the CLI's rejects file. */
export class Rejections {
  readonly all: RejectedRow[] = [];
  private readonly lines = new Set<number>();
  constructor(private readonly sink: RejectSink = new RejectSink(null)) {}

  add(line: number, problems: readonly { field: string; reason: string }[]): void {
    if (!problems.length) return;
    this.lines.add(line);
    this.sink.addRow(line, problems);
    for (const p of problems) this.all.push({ line, field: p.field, reason: p.reason });
  }

  get rows(): number {
    return this.lines.size;
  }

  close(): Promise<string | null> {
    return this.sink.close();
  }
}

/** The report of a catalog import (CatalogImportView) and the CLI's extras. */
export interface CatalogImportReport extends CatalogImportView {
  file: string;
  rejectsFile: string | null;
  elapsedMs: number;
}

/**
 * The 422 of a refused import: one error per rejected field, named `rows[<line>].<column>`
 * (the line of the file, the header being line 1), and the report with every rejection.
 */
export function importRefused(report: CatalogImportReport): UnprocessableEntityException {
  const errors = report.rejections.map((r) => ({ field: `rows[${r.line}].${r.field}`, reason: r.reason }));
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: `${report.rejected} of ${report.rows} rows rejected: nothing imported (${errors
      .slice(0, 3)
      .map((e) => `${e.field}: ${e.reason}`)
      .join('; ')}${errors.length > 3 ? '; …' : ''})`,
    errors,
    report: {
      encoding: report.encoding,
      rows: report.rows,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: report.rejected,
      rejections: report.rejections,
    },
  });
}

/** The 422 of a file that cannot be read at all (wrong columns, truncated, too many rows), field `(file)`. */
export function fileRefused(message: string): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message,
    errors: [{ field: '(file)', reason: message }],
  });
}

/**
 * Writes an uploaded CSV body to a private temporary file, runs `fn` on it (the CLI's importer,
 * so API and CLI import the same way, encoding detection included) and removes it.
 */
export async function withUploadedFile<T>(body: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'catalog-upload-'));
  const file = path.join(dir, 'upload.csv');
  try {
    await writeFile(file, body, { mode: 0o600 });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
