/**
 * PostgreSQL COPY text format: one line per row, columns separated by tabs, `\N` for null,
 * backslash, tab, newline and carriage return escaped. Text arrays (PgTextArray) are written as array literals; other objects and arrays as JSON.
 */
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A text value escaped for COPY text format (backslash, tab, newline, carriage return). */
export function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

function arrayLiteral(values: readonly string[]): string {
  return '{' + values.map((v) => '"' + v.replace(/(["\\])/g, '\\$1') + '"').join(',') + '}';
}

/** Marks a value to be written as a PostgreSQL text[] literal (other arrays and objects are JSON). */
export class PgTextArray {
  constructor(readonly values: readonly string[]) {}
}

/** Wraps a string array for a text[] column; null stays null. */
export const textArray = (values: readonly string[] | null | undefined): PgTextArray | null =>
  values ? new PgTextArray(values) : null;

export type CopyValue = string | number | boolean | null | undefined | PgTextArray | object;

/** One COPY text line (with its newline) for the given column values. */
export function copyLine(values: readonly CopyValue[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i) out += '\t';
    const v = values[i];
    if (v === null || v === undefined) out += '\\N';
    else if (typeof v === 'string') out += escapeText(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out += String(v);
    else if (v instanceof PgTextArray) out += escapeText(arrayLiteral(v.values));
    else out += escapeText(JSON.stringify(v));
  }
  return out + '\n';
}
