/**
 * Server-rendered public pages (一公开: published plans, draws and their verification, results;
 * later the inspection-code page). Readable on a phone with no login and no script: plain HTML in
 * Chinese with one inline style sheet (the CSP allows inline styles, no inline scripts).
 *
 * Every interpolated value is escaped by `html`; only a value wrapped by `raw` (or another `html`
 * fragment) is inserted as markup.
 */

/** A piece of markup that `html` inserts as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Markup known to be safe (built by `html`, or a constant). */
export function raw(text: string): Html {
  return new Html(text);
}

/** Escapes text for an HTML element or a double-quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function piece(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; arrays of fragments are joined. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return new Html(out);
}

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0; font-family: system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
    color: #1f2329; background: #f5f7fa; line-height: 1.6; }
  header { background: #0b4f9c; color: #fff; padding: 12px 16px; }
  header a { color: #fff; text-decoration: none; }
  main { max-width: 960px; margin: 0 auto; padding: 16px; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0 1rem; }
  h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
  section, .card { background: #fff; border: 1px solid #dcdfe6; border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { border: 1px solid #dcdfe6; padding: 6px 8px; text-align: left; vertical-align: top; }
  th { background: #eef2f7; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
  dt { color: #4e5969; }
  dd { margin: 0; word-break: break-all; }
  code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; word-break: break-all; }
  .ok { color: #1a7f37; font-weight: 600; }
  .bad { color: #b42318; font-weight: 600; }
  .state-ok { border-left: 6px solid #1a7f37; }
  .state-bad { border-left: 6px solid #b42318; }
  .muted { color: #4e5969; }
  a { color: #0b4f9c; }
  footer { max-width: 960px; margin: 0 auto; padding: 16px; color: #4e5969; font-size: 0.9rem; }
  @media (max-width: 640px) { table, thead, tbody, tr, th, td { font-size: 0.92rem; } dl { grid-template-columns: 1fr; } }
`;

/** What a page may add to the common layout. */
export interface PublicPageOptions {
  /** more style rules after the common ones (inline: the CSP of public pages allows inline styles only) */
  style?: string;
  /** the header's link (default: 信息公开, /public/plans) */
  home?: { href: string; label: string };
  /** the footer's sentence (default: 本页面为公开信息…) */
  footer?: string;
}

/**
 * A whole public page.
 * @param title the page title (also the h1)
 * @param body the page's content below the h1
 * @param district the district's name shown in the header (e.g. 杨浦区)
 */
export function publicPage(
  title: string,
  body: Html,
  district: string,
  options: PublicPageOptions = {},
): string {
  const home = options.home ?? { href: '/public/plans', label: '信息公开' };
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${escapeHtml(district)}市场监督管理局</title>
<style>${STYLE}${options.style ?? ''}</style>
</head>
<body>
<header><a href="${escapeHtml(home.href)}">${escapeHtml(district)}市场监督管理局 · ${escapeHtml(home.label)}</a></header>
<main>
<h1>${escapeHtml(title)}</h1>
${body.text}
</main>
<footer>${escapeHtml(options.footer ?? '本页面为公开信息，无需登录。数据以本局发布为准。')}</footer>
</body>
</html>`;
}
