import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import Papa from 'papaparse';
import { ENCODING_SAMPLE_BYTES, SourceEncoding, detectEncoding } from './text-encoding.js';

/** One data row of a CSV file with its 1-based line number in the file (the header is line 1). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
  /** set when the row cannot be read as the header says (field count, quoting) */
  fieldCountError?: string;
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
 * Decodes UTF-8 strictly: a byte sequence that is not UTF-8 (a GB18030 file whose first 256 KiB
 * happened to be ASCII) stops the import with the byte offset, instead of storing garbled text.
 */
function strictUtf8(file: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  return new Transform({
    readableObjectMode: true, // strings go to the parser as they are
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        done(null, text);
      } catch {
        done(
          new CsvHeaderError(
            file,
            `not valid UTF-8 between bytes ${offset} and ${offset + chunk.length} (the start of the file read as UTF-8): save the whole file as UTF-8 or GB18030`,
          ),
        );
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new CsvHeaderError(file, 'ends inside a UTF-8 character'));
      }
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
  const text: Readable =
    encoding === 'gb18030'
      ? (bytes.pipe(iconv.decodeStream('gb18030')) as unknown as Readable)
      : bytes.pipe(strictUtf8(file));
  const chunks = parsedChunks(text)[Symbol.asyncIterator]();

  let line = 0;
  let header: string[] | undefined;
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
      let nul = -1;
      for (let i = 0; i < header.length; i++) {
        const v = fields[i] ?? '';
        values[header[i]!] = v;
        if (nul < 0 && v.indexOf('\u0000') >= 0) nul = i;
      }
      const row: CsvRow = { line: first, values };
      const parseError = errorsByRow.size ? errorsByRow.get(r) : undefined;
      if (parseError) row.fieldCountError = parseError;
      else if (nul >= 0) row.fieldCountError = `column ${header[nul]} contains a NUL character`;
      else if (fields.length !== header.length)
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
 * `{ line, errors: [{ field: '(row)', reason }] }`.
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
            ? { line: r.line, errors: [{ field: '(row)', reason: r.fieldCountError }] }
            : map(r),
        );
      }
    }
    return { encoding: csv.encoding, header: csv.header, inputs: inputs() };
  };
  const first = await open();
  return { ...first, again: async () => (await open()).inputs };
}
