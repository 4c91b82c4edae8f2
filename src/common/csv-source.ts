import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import Papa from 'papaparse';
import { unstorableCharacter } from './text-check.js';
import { ENCODING_SAMPLE_BYTES, SourceEncoding, chunkDecoder, detectEncoding } from './text-encoding.js';

/** One data row of a CSV file with its 1-based line number in the file (the header is line 1). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
  /** set when the row cannot be read as the header says (field count, quoting, an unstorable character) */
  fieldCountError?: string;
  /** the column at fault, when one is (an unstorable character: NUL, an undecodable byte...) */
  fieldError?: { field: string; reason: string };
}

export interface CsvSource {
  encoding: SourceEncoding;
  header: string[];
  /** rows in batches (one per parsed chunk of the file), in file order */
  batches: AsyncIterable<CsvRow[]>;
  /** the same rows one by one */
  rows: AsyncIterable<CsvRow>;
}

export class CsvHeaderError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'CsvHeaderError';
  }
}

/**
 * Hard bounds of one CSV row while it is read, far above every field limit of the API (the
 * longest is 500 characters): a field or a row past them refuses the whole file as it streams,
 * before the parser buffers it, so a 200 MB field costs no more memory than any other.
 */
export const MAX_FIELD_CHARS = 64 * 1024;
export const MAX_ROW_CHARS = 1024 * 1024;

/** The file cannot be imported at all (truncated, a field past the hard bound): nothing is stored. */
export class CsvFileError extends CsvHeaderError {
  constructor(file: string, message: string) {
    super(file, message);
    this.name = 'CsvFileError';
  }
}

/**
 * Decodes the file chunk by chunk (chunkDecoder: characters cut by a read boundary wait for the
 * next chunk) and follows the CSV structure as it passes (RFC 4180 quoting, comma separated), so
 * that it can refuse, without buffering them, a field longer than MAX_FIELD_CHARS or a row
 * longer than MAX_ROW_CHARS (naming the line and the column), and a file that ends inside a row:
 * inside a quoted field, or in a last line without its line break that has fewer fields than the
 * header (a truncated upload or a cut copy).
 * @param columnName the header's name of a 0-based column, once the header is read
 */
function decodeAndGuard(
  file: string,
  encoding: SourceEncoding,
  columnName: (i: number) => string | undefined,
): Transform {
  const decoder = chunkDecoder(encoding);
  let line = 1; // physical line of the next character
  let rowLine = 1; // line where the current row began
  let inQuotes = false;
  let quoteSeen = false; // a quote inside a quoted field: closing, or the first of a doubled one
  let fieldStart = true;
  let fieldChars = 0;
  let rowChars = 0;
  let column = 0;
  let headerFields = -1;
  let rowHasText = false;
  let lastChar = '';
  const where = () => {
    const name = columnName(column);
    return `line ${rowLine}, column ${name ?? column + 1}`;
  };
  const grow = (n: number): string | null => {
    fieldChars += n;
    rowChars += n;
    if (fieldChars > MAX_FIELD_CHARS)
      return `${where()}: a field longer than ${MAX_FIELD_CHARS} characters (no field may exceed the API's limits): refused`;
    return rowCheck();
  };
  // separators and quotes count toward the row too: a row of commas is a row like another
  const rowCheck = (): string | null =>
    rowChars > MAX_ROW_CHARS
      ? `line ${rowLine}: a row longer than ${MAX_ROW_CHARS} characters: refused`
      : null;
  let afterCR = false; // the last structural character was a CR: an LF right after it ends no second line
  const quotedSpecial = /["\n]/g;
  const unquotedSpecial = /[",\n\r]/g;
  // jumps from one structural character to the next (native regex search), counting the text between
  const scan = (text: string): string | null => {
    if (text.length) lastChar = text[text.length - 1]!;
    let i = 0;
    while (i < text.length) {
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false;
          if (text[i] === '"') {
            const p = grow(1); // a doubled quote: one quote character
            if (p) return p;
            i++;
            continue;
          }
          inQuotes = false; // the quote closed the field: read text[i] unquoted
          continue;
        }
        quotedSpecial.lastIndex = i;
        const m = quotedSpecial.exec(text);
        const j = m ? m.index : text.length;
        const p = grow(j - i + (m && text[j] === '\n' ? 1 : 0));
        if (p) return p;
        if (!m) break;
        if (text[j] === '"') {
          quoteSeen = true;
          rowChars++;
        } else line++;
        i = j + 1;
        continue;
      }
      unquotedSpecial.lastIndex = i;
      const m = unquotedSpecial.exec(text);
      const j = m ? m.index : text.length;
      if (j > i) {
        afterCR = false;
        fieldStart = false;
        rowHasText = true;
        const p = grow(j - i);
        if (p) return p;
      }
      if (!m) break;
      const c = text[j];
      if (c === '\n' && afterCR) {
        afterCR = false; // the LF of a CRLF: the CR ended the line
        i = j + 1;
        continue;
      }
      afterCR = c === '\r';
      if (c !== '\n' && c !== '\r') {
        rowChars++;
        const p = rowCheck();
        if (p) return p;
      }
      if (c === '"') {
        rowHasText = true;
        if (fieldStart) {
          inQuotes = true;
          fieldStart = false;
        } else {
          const p = grow(1); // a quote inside an unquoted field is text
          if (p) return p;
        }
      } else if (c === ',') {
        column++;
        fieldChars = 0;
        fieldStart = true;
        rowHasText = true;
      } else {
        // '\n', '\r\n' or a lone '\r' (classic Mac line ends, which the parser reads as lines too)
        if (headerFields < 0 && rowHasText) headerFields = column + 1;
        line++;
        rowLine = line;
        column = 0;
        fieldChars = 0;
        rowChars = 0;
        fieldStart = true;
        rowHasText = false;
      }
      i = j + 1;
    }
    return null;
  };
  const truncated = (): string | null => {
    if (inQuotes && !quoteSeen)
      return `ends inside a quoted field (${where()}, opened there): the file is truncated (a cut upload or copy); nothing imported`;
    if (lastChar !== '\n' && lastChar !== '\r' && rowHasText && headerFields > 0 && column + 1 < headerFields)
      return `ends inside a row (line ${rowLine} has ${column + 1} of the header's ${headerFields} fields and no line break): the file is truncated (a cut upload or copy); nothing imported`;
    return null;
  };
  return new Transform({
    readableObjectMode: true, // strings go to the parser as they are
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      const text = decoder.write(chunk);
      const problem = scan(text);
      if (problem) done(new CsvFileError(file, problem));
      else done(null, text);
    },
    flush(done) {
      const text = decoder.end();
      const problem = scan(text) ?? truncated();
      if (problem) done(new CsvFileError(file, problem));
      else done(null, text);
    },
  });
}

/**
 * Parsed chunks of a text stream (npm `papaparse`, which parses each chunk as it arrives), with
 * backpressure: the stream is paused while more than a few chunks wait for the consumer.
 */
function parsedChunks(text: Readable): AsyncIterable<Papa.ParseResult<string[]>> {
  const queue: Papa.ParseResult<string[]>[] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream as never, {
    skipEmptyLines: false,
    chunk(results) {
      queue.push(results);
      if (queue.length >= 4) text.pause();
      signal();
    },
    complete() {
      done = true;
      signal();
    },
    error(e: Error) {
      failure = e;
      signal();
    },
  });
  text.on('error', (e) => {
    failure = e;
    signal();
  });
  return (async function* () {
    for (;;) {
      if (queue.length) {
        const next = queue.shift()!;
        if (queue.length < 2 && !done) text.resume();
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((r) => (wake = r));
    }
  })();
}

/**
 * Opens a CSV file as a stream of rows (never read whole into memory): detects UTF-8 vs GB18030,
 * strips a BOM, reads the header, and checks it before any row is read. Blank lines are skipped
 * (but counted, so line numbers stay those of the file, also across quoted line breaks).
 * @param required columns that must be present
 * @param optional columns that may be present; any other column refuses the file
 * @throws CsvHeaderError naming the missing or unknown columns (nothing has been written then)
 */
export async function openCsv(
  file: string,
  required: readonly string[],
  optional: readonly string[],
): Promise<CsvSource> {
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'ENOENT' ? new CsvHeaderError(file, 'file not found') : e;
  });
  const sample = Buffer.alloc(ENCODING_SAMPLE_BYTES);
  const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
  await fh.close();
  const encoding = detectEncoding(sample.subarray(0, bytesRead));

  const bytes = createReadStream(file, { highWaterMark: 1 << 16 });
  let header: string[] | undefined;
  const text: Readable = bytes.pipe(decodeAndGuard(file, encoding, (i) => header?.[i]));
  const chunks = parsedChunks(text)[Symbol.asyncIterator]();

  let line = 0;
  let pending: CsvRow[] = [];
  const toRows = (result: Papa.ParseResult<string[]>): CsvRow[] => {
    const errorsByRow = new Map<number, string>();
    for (const e of result.errors) if (e.row !== undefined) errorsByRow.set(e.row, e.message);
    const rows: CsvRow[] = [];
    for (let r = 0; r < result.data.length; r++) {
      const fields = result.data[r]!;
      line++;
      const first = line;
      for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) line++;
      if (fields.length === 1 && fields[0] === '') continue; // blank line
      if (!header) {
        header = fields.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h).trim().toLowerCase());
        continue;
      }
      const values: Record<string, string> = {};
      let unstorable: string | undefined;
      let fieldError: CsvRow['fieldError'];
      for (let i = 0; i < header.length; i++) {
        const v = fields[i] ?? '';
        values[header[i]!] = v;
        if (unstorable === undefined) {
          const p = unstorableCharacter(v);
          if (p) {
            unstorable = `column ${header[i]} ${p.reason}`;
            fieldError = { field: header[i]!, reason: p.reason };
          }
        }
      }
      const row: CsvRow = { line: first, values };
      const parseError = errorsByRow.size ? errorsByRow.get(r) : undefined;
      if (parseError) row.fieldCountError = parseError;
      else if (unstorable) {
        row.fieldCountError = unstorable;
        row.fieldError = fieldError;
      } else if (fields.length !== header.length)
        row.fieldCountError = `${fields.length} fields, the header has ${header.length}`;
      rows.push(row);
    }
    return rows;
  };
  while (!header) {
    const next = await chunks.next();
    if (next.done) throw new CsvHeaderError(file, 'the file is empty (no header line)');
    pending = toRows(next.value);
  }
  const known = new Set([...required, ...optional]);
  const missing = required.filter((c) => !header!.includes(c));
  const unknown = header.filter((c) => !known.has(c));
  const dup = header.filter((c, i) => header!.indexOf(c) !== i);
  const problems: string[] = [];
  if (missing.length) problems.push(`missing column(s) ${missing.join(', ')}`);
  if (unknown.length) problems.push(`unknown column(s) ${unknown.join(', ')}`);
  if (dup.length) problems.push(`column(s) given twice: ${dup.join(', ')}`);
  if (problems.length) {
    bytes.destroy();
    throw new CsvHeaderError(
      file,
      `${problems.join('; ')} (expected ${required.join(', ')}${optional.length ? ` and optionally ${optional.join(', ')}` : ''})`,
    );
  }

  async function* batches(): AsyncIterable<CsvRow[]> {
    try {
      if (pending.length) yield pending;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        const rows = toRows(next.value);
        if (rows.length) yield rows;
      }
    } finally {
      bytes.destroy(); // a consumer that stops early (an error downstream) closes the file
    }
  }
  const batchIterable = batches();
  async function* rows(): AsyncIterable<CsvRow> {
    for await (const b of batchIterable) yield* b;
  }
  return { encoding, header, batches: batchIterable, rows: rows() };
}

/** A CSV file's rows mapped to loader inputs, in batches, and a way to read it again. */
export interface CsvInputs<T> {
  encoding: SourceEncoding;
  /** the file's columns, lower case */
  header: string[];
  inputs: AsyncIterable<T[]>;
  /** reads the file again from the start (for a second attempt) */
  again: () => Promise<AsyncIterable<T[]>>;
}

/**
 * Opens a CSV file (header checked at once, before the caller writes anything) and maps its rows
 * to loader inputs batch by batch. A row that cannot be read as the header says becomes
 * `{ line, errors: [{ field: '(row)', reason }] }`; one with an unstorable character (NUL, an
 * undecodable byte as U+FFFD, a lone surrogate, a noncharacter) `{ line, errors: [{ field: <column>, reason }] }`.
 * The stream refuses the whole file (CsvFileError, nothing stored) when it is truncated or a field
 * passes MAX_FIELD_CHARS.
 */
export async function csvInputs<T>(
  file: string,
  required: readonly string[],
  optional: readonly string[],
  map: (row: CsvRow) => T,
): Promise<CsvInputs<T | { line: number; errors: { field: string; reason: string }[] }>> {
  type Out = T | { line: number; errors: { field: string; reason: string }[] };
  const open = async () => {
    const csv = await openCsv(file, required, optional);
    async function* inputs(): AsyncIterable<Out[]> {
      for await (const batch of csv.batches) {
        yield batch.map((r): Out =>
          r.fieldCountError
            ? { line: r.line, errors: [r.fieldError ?? { field: '(row)', reason: r.fieldCountError }] }
            : map(r),
        );
      }
    }
    return { encoding: csv.encoding, header: csv.header, inputs: inputs() };
  };
  const first = await open();
  return { ...first, again: async () => (await open()).inputs };
}
