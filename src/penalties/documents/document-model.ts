/**
 * The shape every served document (行政处罚决定书, 信用修复告知书, 信用承诺书) is built into before it
 * is written as HTML (document-html.ts) or PDF (document-pdf.ts): one model, two writers, so both
 * formats say the same thing. Pure: no framework, no clock. Every text carries the name of the
 * field it comes from, so that a character the PDF font cannot draw is reported with its field.
 */

/** A piece of text and the field it comes from (e.g. `enterprise.name`, `rules[2].text`). */
export interface DocText {
  text: string;
  field: string;
}

/** One label and its value (当事人：…). */
export interface DocField {
  label: string;
  value: string;
  field: string;
}

/** A block of a document, in reading order. */
export type DocBlock =
  | { kind: 'heading'; text: string; field: string }
  /** a paragraph, first line indented 2 characters unless `plain` (a salutation: 上海市…：) */
  | { kind: 'paragraph'; text: string; field: string; plain?: boolean }
  | { kind: 'fields'; rows: DocField[] }
  /** a numbered list (1. 2. 3.) */
  | { kind: 'list'; items: DocText[] }
  /** the issuing authority and the date, right-aligned at the end */
  | { kind: 'signature'; lines: DocText[] }
  /** a blank line to write on (the commitment letter's signature lines) */
  | { kind: 'blank'; label: string; field: string };

/** Which document a model is. */
export type DocumentKind = 'decision' | 'repair_notice' | 'commitment_letter';

/** A document ready to be written. */
export interface DocumentModel {
  kind: DocumentKind;
  /** the issuer above the title (上海市杨浦区市场监督管理局), null for a template */
  issuer: string | null;
  /** 行政处罚决定书 / 信用修复告知书 / 信用承诺书 */
  title: string;
  /** the document's number under the title (沪市监杨处〔2026〕12号), null when none */
  number: string | null;
  blocks: DocBlock[];
  /**
   * the PDF's metadata: title, subject, author, and the day it is dated (YYYY-MM-DD: the
   * decision's or notice's date, never the clock, so the same rows give the same PDF)
   */
  info: { title: string; subject: string; author: string; date: string };
  /** the download's file name without extension (Chinese allowed: sent per RFC 5987) */
  fileName: string;
}

/**
 * Every text of a document, with its field, in reading order (the title, issuer and number
 * first). What the glyph check walks and what the tests compare.
 */
export function documentTexts(doc: DocumentModel): DocText[] {
  const out: DocText[] = [];
  if (doc.issuer) out.push({ text: doc.issuer, field: 'issuer' });
  out.push({ text: doc.title, field: 'title' });
  if (doc.number) out.push({ text: doc.number, field: 'number' });
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
        out.push({ text: b.text, field: b.field });
        break;
      case 'fields':
        for (const r of b.rows) {
          out.push({ text: r.label, field: `${r.field} (label)` });
          out.push({ text: r.value, field: r.field });
        }
        break;
      case 'list':
        out.push(...b.items);
        break;
      case 'signature':
        out.push(...b.lines);
        break;
      case 'blank':
        out.push({ text: b.label, field: b.field });
        break;
    }
  }
  return out;
}

/** 2026-03-05 -> 2026年3月5日 (the way a document is dated). @throws RangeError for anything but YYYY-MM-DD */
export function documentDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not a date YYYY-MM-DD: '${iso}'`);
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** An amount in fen (分, integer) as yuan the way a decision writes it: 12345600 -> 人民币123,456.00元. */
export function yuanText(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  const yuan = Math.floor(fen / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `人民币${yuan}.${String(fen % 100).padStart(2, '0')}元`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL = ['', '拾', '佰', '仟'];
const BIG = ['', '万', '亿', '万亿'];

/**
 * An amount in fen in capital Chinese numerals (大写金额, as on a payment notice):
 * 1234500 -> 壹万贰仟叁佰肆拾伍元整; 100001 -> 壹仟元零壹分; 0 -> 零元整.
 * @throws RangeError for a negative or non-integer amount
 */
export function yuanCapital(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  let integer = '';
  if (yuan === 0) integer = '零';
  else {
    const groups: number[] = [];
    for (let v = yuan; v > 0; v = Math.floor(v / 10000)) groups.push(v % 10000);
    let zeroPending = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g]!;
      if (group === 0) {
        zeroPending = integer !== '';
        continue;
      }
      if (integer !== '' && (zeroPending || group < 1000)) integer += '零';
      zeroPending = false;
      let inner = '';
      let innerZero = false;
      for (let p = 3; p >= 0; p--) {
        const d = Math.floor(group / 10 ** p) % 10;
        if (d === 0) {
          innerZero = inner !== '';
          continue;
        }
        if (innerZero) inner += '零';
        innerZero = false;
        inner += DIGITS[d]! + SMALL[p]!;
      }
      integer += inner + BIG[g]!;
    }
  }
  let out = `${integer}元`;
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  return out;
}
