/**
 * A document model as one self-contained HTML page: every value escaped (http/public-html.ts
 * `html`), one inline style sheet laid out for A4 printing (@page A4, 25 mm / 20 mm margins), no
 * script (the CSP forbids inline scripts; the pages print it with the browser's own print). Pure.
 */
import { type Html, html, raw } from '../../http/public-html.js';
import type { DocBlock, DocumentModel } from './document-model.js';

const STYLE = `
  @page { size: A4; margin: 25mm 20mm 20mm 20mm; }
  :root { color-scheme: light; }
  html { background: #f0f2f5; }
  body { margin: 0; font-family: "Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", "SimSun", sans-serif; color: #1f2329; line-height: 1.75; font-size: 15px; }
  .sheet { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 16px auto; padding: 25mm 20mm 20mm;
    background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  .issuer { text-align: center; font-size: 22px; font-weight: 700; letter-spacing: 2px; margin: 0; }
  h1 { text-align: center; font-size: 26px; letter-spacing: 6px; margin: 4px 0 4px; }
  .number { text-align: center; margin: 0 0 18px; }
  h2 { font-size: 16px; margin: 16px 0 4px; }
  p { margin: 4px 0; text-indent: 2em; text-align: justify; }
  p.plain { text-indent: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
  dt { color: #4e5969; }
  dt::after { content: "："; }
  dd { margin: 0; word-break: break-all; }
  ol { margin: 4px 0; padding-left: 2.2em; }
  li { margin: 2px 0; }
  .signature { margin-top: 36px; text-align: right; }
  .signature div { margin: 2px 0; }
  .blank { margin: 18px 0 0; display: flex; gap: 8px; }
  .blank span.line { flex: 1; border-bottom: 1px solid #1f2329; min-height: 1.5em; }
  @media screen and (max-width: 820px) {
    .sheet { width: auto; min-height: 0; margin: 0; padding: 16px; box-shadow: none; }
    .issuer { font-size: 17px; letter-spacing: 0; }
    h1 { font-size: 22px; letter-spacing: 3px; }
    dl { grid-template-columns: 1fr; }
    dt::after { content: ""; }
    dt { margin-top: 4px; }
  }
  @media print {
    html { background: #fff; }
    .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
    h2 { break-after: avoid; }
    li, dl { break-inside: avoid; }
  }
`;

function block(b: DocBlock): Html {
  switch (b.kind) {
    case 'heading':
      return html`<h2>${b.text}</h2>`;
    case 'paragraph':
      return b.plain ? html`<p class="plain">${b.text}</p>` : html`<p>${b.text}</p>`;
    case 'fields':
      return html`<dl>
        ${b.rows.map(
          (r) =>
            html`<dt>${r.label}</dt>
              <dd data-field="${r.field}">${r.value}</dd>`,
        )}
      </dl>`;
    case 'list':
      return html`<ol>
        ${b.items.map((i) => html`<li>${i.text}</li>`)}
      </ol>`;
    case 'signature':
      return html`<div class="signature">${b.lines.map((l) => html`<div>${l.text}</div>`)}</div>`;
    case 'blank':
      return html`<div class="blank"><span>${b.label}：</span><span class="line"></span></div>`;
  }
}

/** The document as a complete HTML page (UTF-8, lang zh-CN), ready to show in a frame or print. */
export function documentHtml(doc: DocumentModel): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${doc.title}${doc.number ? ` ${doc.number}` : ''}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main class="sheet" data-document="${doc.kind}">
          ${doc.issuer ? html`<p class="issuer">${doc.issuer}</p>` : ''}
          <h1>${doc.title}</h1>
          ${doc.number ? html`<p class="number plain">${doc.number}</p>` : ''} ${doc.blocks.map(block)}
        </main>
      </body>
    </html> `.text;
}
