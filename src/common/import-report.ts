import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import path from 'node:path';

/** A row an import refused, with where and why. */
export interface RejectedRow {
  line: number;
  field: string;
  reason: string;
}

/** What an import did. Counts are rows; every rejected row is in `rejectsFile` (CSV: line, field, reason). */
export interface ImportReport {
  file: string;
  encoding: string;
  rows: number;
  inserted: number;
  updated: number;
  /** rows already stored exactly so (re-imports) */
  unchanged: number;
  rejected: number;
  /** every row read was rejected (nothing of the file imported): the CLI exits non-zero */
  allRejected: boolean;
  /** reason -> number of rows, reasons with their values elided */
  rejectedByReason: Record<string, number>;
  /** the first rejected rows, for a quick look */
  firstRejected: RejectedRow[];
  rejectsFile: string | null;
  elapsedMs: number;
  /** rows stored but kept for review (flagged), when the importer reports them */
  warnings?: ImportWarnings;
}

/** Rows an import stored with a warning (flagged for review): counts by reason and the first 20. */
export interface ImportWarnings {
  /** rows with at least one warning */
  rows: number;
  byReason: Record<string, number>;
  first: RejectedRow[];
}

/** The key a reason is counted under: its quoted values, codes and line numbers elided. */
function reasonKey(field: string, reason: string): string {
  return `${field}: ${reason
    .replace(/'[^']*'/g, '…')
    .replace(/\b[0-9A-Z]{18}\b/g, '…')
    .replace(/\b[0-9]{6}\b/g, '…')
    .replace(/\bline \d+/g, 'line N')}`;
}

/**
 * Collects the warnings of rows an import keeps, by line: reading a file twice (the bulk loader's
 * second path) replaces a line's warnings instead of counting them again.
 */
export class WarningSink {
  private readonly byLine = new Map<number, readonly { field: string; reason: string }[]>();

  /** Sets the warnings of one line (none: forgets the line). */
  set(line: number, warnings: readonly { field: string; reason: string }[]): void {
    if (warnings.length) this.byLine.set(line, warnings);
    else this.byLine.delete(line);
  }

  summary(): ImportWarnings {
    const byReason: Record<string, number> = {};
    const first: RejectedRow[] = [];
    for (const [line, ws] of [...this.byLine.entries()].sort((a, b) => a[0] - b[0]))
      for (const w of ws) {
        const key = reasonKey(w.field, w.reason);
        byReason[key] = (byReason[key] ?? 0) + 1;
        if (first.length < 20) first.push({ line, ...w });
      }
    return { rows: this.byLine.size, byReason, first };
  }
}

/**
 * Collects rejected rows: counts them by reason, keeps the first 20, and streams every one to a
 * CSV file (created on the first rejection) when a path is given.
 */
export class RejectSink {
  readonly byReason: Record<string, number> = {};
  readonly first: RejectedRow[] = [];
  count = 0;
  private out?: WriteStream;

  constructor(private readonly file: string | null) {}

  /** Records one rejected row with all its field errors (counted once). */
  addRow(line: number, errors: readonly { field: string; reason: string }[]): void {
    this.count++;
    for (const e of errors) this.write(line, e.field, e.reason);
  }

  /** Records one rejected row with one reason. */
  add(line: number, field: string, reason: string): void {
    this.addRow(line, [{ field, reason }]);
  }

  private write(line: number, field: string, reason: string): void {
    const key = `${field}: ${reason
      .replace(/'[^']*'/g, '…')
      .replace(/\b[0-9A-Z]{18}\b/g, '…')
      .replace(/\bline \d+/g, 'line N')}`;
    this.byReason[key] = (this.byReason[key] ?? 0) + 1;
    if (this.first.length < 20) this.first.push({ line, field, reason });
    if (this.file) {
      if (!this.out) {
        mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
        this.out = createWriteStream(this.file);
        this.out.write('line,field,reason\n');
      }
      this.out.write(`${line},${field},"${reason.replace(/"/g, '""')}"\n`);
    }
  }

  /** Flushes the file. @returns its path, or null when nothing was rejected or no file was asked for */
  async close(): Promise<string | null> {
    if (!this.out) return null;
    await new Promise<void>((resolve, reject) =>
      this.out!.end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
    return this.file;
  }
}

/** Builds the report of a finished import and closes its rejects file. */
export async function finishReport(
  file: string,
  encoding: string,
  rows: number,
  counts: { inserted: number; updated: number; unchanged: number },
  sink: RejectSink,
  started: number,
): Promise<ImportReport> {
  const rejectsFile = await sink.close();
  return {
    file,
    encoding,
    rows,
    ...counts,
    rejected: sink.count,
    allRejected: rows > 0 && sink.count >= rows,
    rejectedByReason: sink.byReason,
    firstRejected: sink.first,
    rejectsFile,
    elapsedMs: Date.now() - started,
  };
}
