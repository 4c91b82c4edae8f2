import { createHmac, hkdfSync } from 'node:crypto';

/**
 * The check word (核验词) against fake-inspector phishing (issue 12 "Verifying"): three Chinese
 * characters derived from the code and the current time window with a secret only the service
 * holds, shown both on the public verify page and on the inspector's own task page; the
 * enterprise asks the inspector to read it out. A copied QR code or a look-alike page cannot show
 * the right word, because the word needs the service's secret and changes every window.
 *
 *   word(code, w) = three characters of CHECK_WORD_CHARS picked by the first 18 bits of
 *                   HMAC-SHA256(K, "<codeNo>|<w>"),  w = floor(unix seconds / CHECK_WORD_WINDOW_SECONDS)
 *   K = HKDF-SHA256(CHECK_CODE_KEY_SECRET, info "check-word/v1")
 */

/**
 * Length of a check-word window, seconds (10 minutes): long enough for the inspector to read the
 * word out and the enterprise to compare it on its own phone, short enough that a word seen or
 * photographed at one visit is stale at the next.
 */
export const CHECK_WORD_WINDOW_SECONDS = 600;

/**
 * 64 common characters that are easy to say and hear apart (no homophones within the list in
 * Mandarin tones, none easily confused in writing).
 */
export const CHECK_WORD_CHARS = [
  '山',
  '水',
  '花',
  '草',
  '云',
  '雨',
  '风',
  '雪',
  '春',
  '夏',
  '秋',
  '冬',
  '东',
  '西',
  '南',
  '北',
  '金',
  '木',
  '火',
  '土',
  '星',
  '月',
  '日',
  '天',
  '海',
  '河',
  '湖',
  '江',
  '松',
  '竹',
  '梅',
  '兰',
  '红',
  '黄',
  '绿',
  '蓝',
  '白',
  '黑',
  '马',
  '牛',
  '羊',
  '鸟',
  '鱼',
  '龙',
  '虎',
  '鹤',
  '桥',
  '门',
  '书',
  '画',
  '琴',
  '灯',
  '船',
  '车',
  '田',
  '米',
  '茶',
  '果',
  '桃',
  '李',
  '杏',
  '石',
  '玉',
  '光',
] as const;

/** The check-word key derived from the sealing secret (so no second secret to manage). */
export function checkWordKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'check-word/v1', 32));
}

/** The window a moment falls in. */
export function checkWordWindow(nowMs: number): number {
  return Math.floor(nowMs / 1000 / CHECK_WORD_WINDOW_SECONDS);
}

/** The word of a code in a window (three characters). */
export function checkWord(key: Buffer, codeNo: string, window: number): string {
  const h = createHmac('sha256', key).update(`${codeNo}|${window}`).digest();
  const bits = (h[0]! << 16) | (h[1]! << 8) | h[2]!;
  return [18, 12, 6].map((shift) => CHECK_WORD_CHARS[(bits >> (shift - 6)) & 63]).join('');
}

/** Seconds until the current window ends (the pages say when the word changes). */
export function secondsLeftInWindow(nowMs: number): number {
  return CHECK_WORD_WINDOW_SECONDS - (Math.floor(nowMs / 1000) % CHECK_WORD_WINDOW_SECONDS);
}
