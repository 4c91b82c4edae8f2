/**
 * A document model as an A4 PDF in Chinese (pdfkit, the Noto Sans SC font embedded as a subset:
 * cjk-font.ts). Before anything is written every character of every text is checked against the
 * font: one it cannot draw (a rare character of a name outside the font, an emoji) is an error
 * naming the character and the field, never an empty box on a legal document. The signature block
 * (issuing authority, date) keeps with the paragraph before it, never alone on a page. The PDF's dates are
 * the document's own day (DocumentModel.info.date), so the same rows give the same bytes.
 */
import PDFDocument from 'pdfkit';
import { type CjkFonts, type GlyphFont, cjkFonts } from './cjk-font.js';
import { type DocBlock, type DocumentModel, documentTexts } from './document-model.js';

/** A character the PDF font has no glyph for, and the field it is in. */
export class MissingGlyphError extends Error {
  constructor(
    readonly character: string,
    readonly codePoint: string,
    readonly field: string,
    readonly fontFamily: string,
  ) {
    super(
      `${field}: the character '${character}' (${codePoint}) has no glyph in the PDF font ${fontFamily}` +
        `（字段“${field}”中的字符“${character}”在字体 ${fontFamily} 中没有字形，无法生成PDF）`,
    );
    this.name = 'MissingGlyphError';
  }
}

/** U+XXXX of a character. */
export const codePointOf = (ch: string): string =>
  `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The font of `fonts` that cannot draw the character `ch` (one code point), or null when all can.
 * Line breaks and tabs are layout, not drawn: never missing. The one glyph check of the writer
 * (missingGlyph) and of the inputs whose texts the documents print (printableInDocuments).
 */
export function fontLacking(ch: string, fonts: readonly GlyphFont[]): GlyphFont | null {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x0a || cp === 0x0d || cp === 0x09) return null;
  return fonts.find((f) => !f.hasGlyphForCodePoint(cp)) ?? null;
}

/**
 * The first character of the document that one of `fonts` cannot draw, with its field, or null.
 * Line breaks and tabs are layout, not drawn, and are not checked.
 */
export function missingGlyph(
  doc: DocumentModel,
  fonts: readonly GlyphFont[],
): { character: string; codePoint: string; field: string; fontFamily: string } | null {
  for (const t of [...documentTexts(doc), ...FIXED_TEXTS]) {
    for (const ch of t.text) {
      const f = fontLacking(ch, fonts);
      if (f) return { character: ch, codePoint: codePointOf(ch), field: t.field, fontFamily: f.familyName };
    }
  }
  return null;
}

/**
 * Whether the documents' PDF can draw a character (one code point) in both weights of its font:
 * the predicate the inputs pass to their one normalisation (penalty-decision-input.ts), so a text
 * the documents will print is refused when it is recorded, never when the PDF is asked for.
 * @param fonts default: cjkFonts() (read once per process)
 */
export function printableInDocuments(fonts: CjkFonts = cjkFonts()): (ch: string) => boolean {
  const both = [fonts.regularGlyphs, fonts.boldGlyphs];
  return (ch) => fontLacking(ch, both) === null;
}

/** Texts the writer adds itself (page numbers, list numbers, the label separator). */
const FIXED_TEXTS = [{ text: '第 0123456789 页 共 页 . ：', field: 'page footer' }];

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 70, bottom: 64, left: 62, right: 62 };
const BODY = 11;

/** Starts a new page when `height` points no longer fit on this one (a heading keeps with what follows). */
function keepTogether(pdf: PDFKit.PDFDocument, height: number): void {
  if (pdf.y + height > PAGE.height - MARGIN.bottom) pdf.addPage();
}

/** The height in points a paragraph takes as writeBlock writes it. */
function paragraphHeight(pdf: PDFKit.PDFDocument, b: Extract<DocBlock, { kind: 'paragraph' }>): number {
  const width = PAGE.width - MARGIN.left - MARGIN.right;
  pdf.font('regular').fontSize(BODY);
  return (
    pdf.heightOfString(b.text, { width, lineGap: 3, indent: b.plain ? 0 : BODY * 2, align: 'justify' }) +
    pdf.currentLineHeight(true) * 0.2 +
    3
  );
}

/** The height in points the signature block (issuing authority, date) takes, its space above included. */
function signatureHeight(pdf: PDFKit.PDFDocument, b: Extract<DocBlock, { kind: 'signature' }>): number {
  pdf.font('regular').fontSize(BODY);
  const above = pdf.currentLineHeight(true) * 1.5 + 3;
  pdf.fontSize(12);
  return above + b.lines.length * (pdf.currentLineHeight(true) + 1);
}

const BODY_HEIGHT = PAGE.height - MARGIN.top - MARGIN.bottom;

/**
 * Writes one block. @param tail points the block after this one needs and keeps with this one's
 * end (the signature after a list: its last item moves with it)
 */
function writeBlock(pdf: PDFKit.PDFDocument, b: DocBlock, tail = 0): void {
  const width = PAGE.width - MARGIN.left - MARGIN.right;
  switch (b.kind) {
    case 'heading':
      keepTogether(pdf, 60);
      pdf.moveDown(0.4).font('bold').fontSize(12.5).text(b.text, MARGIN.left, undefined, { width });
      pdf.moveDown(0.15);
      break;
    case 'paragraph': {
      pdf
        .font('regular')
        .fontSize(BODY)
        .text(b.text, MARGIN.left, undefined, {
          width,
          lineGap: 3,
          indent: b.plain ? 0 : BODY * 2,
          align: 'justify',
        });
      pdf.moveDown(0.2);
      break;
    }
    case 'fields':
      for (const r of b.rows) {
        pdf
          .font('bold')
          .fontSize(BODY)
          .text(`${r.label}：`, MARGIN.left, undefined, { width, continued: true, lineGap: 3 })
          .font('regular')
          .text(r.value, { lineGap: 3 });
      }
      pdf.moveDown(0.3);
      break;
    case 'list':
      b.items.forEach((item, i) => {
        const label = `${i + 1}. `;
        pdf.font('regular').fontSize(BODY);
        const h = pdf.heightOfString(item.text, { width: width - BODY * 2.6, lineGap: 3 });
        keepTogether(pdf, i === b.items.length - 1 && h + tail <= BODY_HEIGHT ? h + tail : h);
        const y = pdf.y;
        pdf
          .font('regular')
          .fontSize(BODY)
          .text(label, MARGIN.left + BODY, y, { lineBreak: false });
        pdf.text(item.text, MARGIN.left + BODY * 2.6, y, { width: width - BODY * 2.6, lineGap: 3 });
        pdf.moveDown(0.15);
      });
      pdf.moveDown(0.2);
      break;
    case 'signature':
      keepTogether(pdf, signatureHeight(pdf, b));
      pdf.moveDown(1.5);
      for (const l of b.lines)
        pdf.font('regular').fontSize(12).text(l.text, MARGIN.left, undefined, { width, align: 'right' });
      break;
    case 'blank': {
      pdf.moveDown(1.2);
      const label = `${b.label}：`;
      pdf.font('regular').fontSize(BODY).text(label, MARGIN.left, undefined, { width });
      const y = pdf.y - 3;
      const x = MARGIN.left + pdf.widthOfString(label) + 6;
      pdf
        .moveTo(x, y)
        .lineTo(MARGIN.left + width, y)
        .lineWidth(0.6)
        .stroke('#1f2329');
      break;
    }
  }
}

/**
 * The document as a PDF (A4, Noto Sans SC embedded, page numbers 第 n 页 共 m 页).
 * @param fonts the font bytes and parsed fonts (default: cjkFonts(), loaded once)
 * @throws MissingGlyphError before writing anything when a character has no glyph in the font
 */
export function documentPdf(doc: DocumentModel, fonts: CjkFonts = cjkFonts()): Promise<Buffer> {
  const missing = missingGlyph(doc, [fonts.regularGlyphs, fonts.boldGlyphs]);
  if (missing)
    throw new MissingGlyphError(missing.character, missing.codePoint, missing.field, missing.fontFamily);
  const dated = new Date(`${doc.info.date}T00:00:00+08:00`);
  if (Number.isNaN(dated.getTime()))
    throw new RangeError(`the document's date is not YYYY-MM-DD: '${doc.info.date}'`);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: doc.info.title,
      Subject: doc.info.subject,
      Author: doc.info.author,
      Creator: '信用风险分类监管服务',
      Producer: 'pdfkit',
      CreationDate: dated,
      ModDate: dated,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', fonts.regular);
  pdf.registerFont('bold', fonts.bold);
  const width = PAGE.width - MARGIN.left - MARGIN.right;
  if (doc.issuer) pdf.font('bold').fontSize(17).text(doc.issuer, { width, align: 'center' });
  pdf
    .moveDown(0.2)
    .font('bold')
    .fontSize(21)
    .text(doc.title, { width, align: 'center', characterSpacing: 4 });
  if (doc.number) pdf.moveDown(0.2).font('regular').fontSize(12).text(doc.number, { width, align: 'center' });
  pdf.moveDown(1);
  doc.blocks.forEach((b, i) => {
    // the signature block (issuing authority and date) never stands alone on a page: it keeps
    // with the paragraph before it, both moving to a new page when they do not fit together
    const next = doc.blocks[i + 1];
    const tail = next?.kind === 'signature' ? signatureHeight(pdf, next) : 0;
    if (b.kind === 'paragraph' && tail) {
      const together = paragraphHeight(pdf, b) + tail;
      if (together <= BODY_HEIGHT) keepTogether(pdf, together);
    }
    writeBlock(pdf, b, b.kind === 'list' ? tail : 0);
  });
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font('regular')
      .fontSize(9)
      .fillColor('#4e5969')
      .text(`第 ${i + 1} 页 共 ${range.count} 页`, MARGIN.left, PAGE.height - 40, {
        width,
        align: 'center',
        lineBreak: false,
      });
    pdf.page.margins.bottom = bottom;
    pdf.fillColor('#000000');
  }
  pdf.end();
  return done;
}
