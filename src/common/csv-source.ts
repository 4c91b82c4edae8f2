import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ENCODING_SAMPLE_BYTES, SourceEncoding, detectEncoding } from './text-encoding.js';

/** One data row of a CSV file with its 1-based line number in the file (the header is line 1). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
  /** set when the row has a different number of fields than the header */
  fieldCountError?: string;
}

export interface CsvSource {
  encoding: SourceEncoding;
  header: string[];
  rows: AsyncIterable<CsvRow>;
}

export class CsvHeaderError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'CsvHeaderError';
  }
}

/**
 * Opens a CSV file as a stream of rows (never read whole into memory): detects UTF-8 vs GB18030,
 * strips a BOM, reads the header, and checks it before any row is read.
 * @param required columns that must be present
 * @param optional columns that may be present; any other column refuses the file
 * @throws CsvHeaderError naming the missing or unknown columns (nothing has been written then)
 */
export async function openCsv(file: string, required: readonly string[], optional: readonly string[]): Promise<CsvSource> {
  const fh = await open(file, 'r');
  const sample = Buffer.alloc(ENCODING_SAMPLE_BYTES);
  const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
  await fh.close();
  const encoding = detectEncoding(sample.subarray(0, bytesRead));

  let input: Readable = createReadStream(file, { highWaterMark: 1 << 20 });
  if (encoding === 'gb18030') input = input.pipe(iconv.decodeStream('gb18030')) as unknown as Readable;
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const first = await iterator.next();
  if (first.done) throw new CsvHeaderError(file, 'the file is empty (no header line)');
  const header = first.value.record.map((h) => h.trim().toLowerCase());
  const known = new Set([...required, ...optional]);
  const missing = required.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !known.has(c));
  const dup = header.filter((c, i) => header.indexOf(c) !== i);
  const problems: string[] = [];
  if (missing.length) problems.push(`missing column(s) ${missing.join(', ')}`);
  if (unknown.length) problems.push(`unknown column(s) ${unknown.join(', ')}`);
  if (dup.length) problems.push(`column(s) given twice: ${dup.join(', ')}`);
  if (problems.length) {
    parser.destroy();
    throw new CsvHeaderError(file, `${problems.join('; ')} (expected ${required.join(', ')}${optional.length ? ` and optionally ${optional.join(', ')}` : ''})`);
  }

  async function* rows(): AsyncIterable<CsvRow> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const { record, info } = next.value;
      const values: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) values[header[i]!] = record[i] ?? '';
      const row: CsvRow = { line: info.lines, values };
      if (record.length !== header.length) row.fieldCountError = `${record.length} fields, the header has ${header.length}`;
      yield row;
    }
  }
  return { encoding, header, rows: rows() };
}
