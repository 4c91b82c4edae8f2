/**
 * Numbers, dates and money the Chinese way (issue 10): 2026年12月1日, ¥1,234.00, 1,234 家.
 * Money arrives from the API in fen (分, integers); dates as YYYY-MM-DD (legal dates) or ISO
 * instants, shown in Asia/Shanghai.
 */

const SHANGHAI = 'Asia/Shanghai';

/** 'YYYY-MM-DD' (a legal date, no time zone) -> '2026年12月1日'; null/empty -> '—'. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** 'YYYY-MM' -> '2026年12月'. */
export function formatMonth(month: string | null | undefined): string {
  if (!month) return '—';
  const m = /^(\d{4})-(\d{2})/.exec(month);
  return m ? `${Number(m[1])}年${Number(m[2])}月` : month;
}

/** An ISO instant -> '2026年12月1日 14:05' in Shanghai time. */
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return '—';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: SHANGHAI,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** Fen (integer) -> '¥1,234.00'; null -> '—'. */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const yuan = fen / 100;
  return (
    '¥' +
    yuan.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true })
  );
}

/** 1234567 -> '1,234,567'. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString('zh-CN');
}

/** 0.1234 -> '12.3%'. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(share * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`;
}

/**
 * The calendar day a date picker's Date stands for, as YYYY-MM-DD (the picker gives local
 * midnight of the day clicked), to compare with legal dates and todayInShanghai().
 */
export function pickedDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Today in Shanghai as YYYY-MM-DD. */
export function todayInShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI }).format(now);
}

/** A rule's source as the API gives it: one document and its article, more in `also`. */
export interface Citation {
  document: string;
  article: string;
  also?: Citation[];
}

/**
 * A source as one line, every document followed by its own article (the server's citationText,
 * penalties/rules/publication-regimes.ts): 上海市优化营商环境条例第六十七条；…第58号）第十一条. null -> '—'.
 */
export function formatCitation(s: Citation | null | undefined): string {
  if (!s) return '—';
  return [s, ...(s.also ?? [])].map((x) => `${x.document}${x.article}`).join('；');
}
