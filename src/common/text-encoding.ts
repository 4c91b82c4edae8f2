import iconv from 'iconv-lite';

/**
 * Detects whether a CSV file is UTF-8 or GB18030 (the Jinan justice_* files were exported as
 * GB18030), or UTF-16 (Excel's "Unicode text" and some Windows tools save UTF-16LE with a BOM;
 * read as UTF-8 it was mojibake with NULs, refused row by row with a puzzling reason), and
 * decodes it chunk by chunk. Pure over byte buffers (npm `iconv-lite` for GB18030).
 */
export type SourceEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Bytes read from the start of a file to decide its encoding. */
export const ENCODING_SAMPLE_BYTES = 256 * 1024;

/** The 3,755 most common hanzi (GB 2312 level 1, bytes B0A1-D7F9): what Chinese text mostly consists of. */
let commonHanzi: Set<number> | undefined;
function level1(): Set<number> {
  if (commonHanzi) return commonHanzi;
  const set = new Set<number>();
  for (let lead = 0xb0; lead <= 0xd7; lead++)
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      const c = iconv.decode(Buffer.from([lead, trail]), 'gb18030').codePointAt(0)!;
      if (c >= 0x4e00 && c <= 0x9fff) set.add(c);
    }
  return (commonHanzi = set);
}

/**
 * The symbols of GB 2312 row 1 (bytes A1A1-A1FE) from General Punctuation on (U+2000-): dashes,
 * ellipsis, curly quotes, №, ℃, arrows, maths signs; what Chinese text uses beside hanzi and the
 * CJK and full-width blocks (a table of judgments with only "—" in it is Chinese text). The
 * Latin-1 signs of that row (·, °, ±, ×...) are left out: a GB18030 file read as UTF-8 yields them.
 */
let gbSymbols: Set<number> | undefined;
function symbols(): Set<number> {
  if (gbSymbols) return gbSymbols;
  const set = new Set<number>();
  for (let trail = 0xa1; trail <= 0xfe; trail++) {
    const c = iconv.decode(Buffer.from([0xa1, trail]), 'gb18030').codePointAt(0)!;
    if (c >= 0x2000) set.add(c);
  }
  return (gbSymbols = set);
}

/**
 * How plausible a decoded text is as the text of a Chinese register: the share of its non-ASCII
 * characters that are common hanzi (GB 2312 level 1), GB 2312 row-1 symbols (— … “ ” №) or CJK
 * punctuation and full-width forms (each 1), other CJK ideographs (0.25); anything else (Latin-1, Cyrillic, Hebrew... as a wrong
 * decoding yields) counts 0. 1 for text without non-ASCII characters.
 */
export function cjkPlausibility(text: string): number {
  const common = level1();
  const signs = symbols();
  let nonAscii = 0;
  let score = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    nonAscii++;
    if (common.has(c) || signs.has(c) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef))
      score += 1;
    else if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0x20000 && c <= 0x3134f)) score += 0.25;
  }
  return nonAscii === 0 ? 1 : score / nonAscii;
}

/**
 * Decides the encoding of a file from its first bytes by plausibility, not validity alone: the
 * decoding (UTF-8 or GB18030, each lenient) that yields the more plausible Chinese text wins
 * (cjkPlausibility; U+FFFD counts as implausible). So a GB18030 file whose bytes happen to be
 * valid UTF-8 (common hanzi with bytes C2-D7 A1-BF form valid two-byte UTF-8 sequences: Latin and
 * Cyrillic letters) is read as GB18030, and a UTF-8 file with one damaged byte stays UTF-8 (the
 * damaged row is then rejected, instead of the whole file turning to mojibake). GB18030 wins only
 * with a plausibility of at least MIN_GB18030_PLAUSIBILITY: stray bytes in ASCII text are
 * undecodable UTF-8 (rows rejected), not rare hanzi. On a tie: UTF-8 when the sample is valid
 * UTF-8 or the GB18030 reading implausible, otherwise GB18030. Stray bytes that happen to read as
 * common hanzi in GB18030 (C0 AF is 蜡) cannot be told from a GB18030 file holding them. ASCII only, or a BOM: UTF-8. Only the sample is judged: a file whose
 * first 256 KiB are ASCII is read as UTF-8 throughout.
 * @param sample the first bytes of the file (any length; a multi-byte sequence cut at the end of
 *   the sample is ignored)
 */
export function detectEncoding(sample: Uint8Array): SourceEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  const utf16 = utf16Of(sample);
  if (utf16) return utf16;
  // drop an incomplete trailing UTF-8 sequence (at most 3 bytes) before decoding
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  const bytes = sample.subarray(0, end);
  if (!bytes.some((b) => b >= 0x80)) return 'utf-8'; // ASCII only
  let valid = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    valid = false;
  }
  const utf8 = cjkPlausibility(new TextDecoder('utf-8').decode(bytes));
  const gb = cjkPlausibility(
    iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'),
  );
  if (utf8 === gb) return valid || gb < MIN_GB18030_PLAUSIBILITY ? 'utf-8' : 'gb18030';
  // GB18030 only when it reads as Chinese: a few stray bytes in ASCII text (an encoded surrogate,
  // an overlong sequence, a lone 0x80) decode as GB18030 into rare characters that would be
  // stored silently, where UTF-8 shows them as U+FFFD and rejects their rows
  if (gb > utf8 && gb >= MIN_GB18030_PLAUSIBILITY) return 'gb18030';
  return 'utf-8';
}

/**
 * UTF-16 by its byte-order mark (FF FE little-endian, FE FF big-endian), or without one by its
 * zero bytes: text in UTF-16 has a NUL byte beside every ASCII character, so at least a third of
 * the code units of one parity hold 00 and almost none of the other (UTF-8 and GB18030 text
 * holds no NUL at all). null when neither.
 */
function utf16Of(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const units = Math.floor(Math.min(sample.length, 4096) / 2);
  if (units < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < units; i++) {
    if (sample[2 * i] === 0) evenZero++;
    if (sample[2 * i + 1] === 0) oddZero++;
  }
  if (oddZero >= units / 3 && evenZero <= units / 50) return 'utf-16le';
  if (evenZero >= units / 3 && oddZero <= units / 50) return 'utf-16be';
  return null;
}

/** Least cjkPlausibility of a GB18030 reading to be taken over UTF-8 (Chinese text scores 0.8-1). */
export const MIN_GB18030_PLAUSIBILITY = 0.5;

/** A decoder fed a file chunk by chunk. */
export interface ChunkDecoder {
  /** the text of `chunk`; a multi-byte character cut at its end is kept for the next chunk */
  write(chunk: Uint8Array): string;
  /** what is left: U+FFFD for a character cut at the end of the file */
  end(): string;
}

/**
 * Length of the complete GB18030 sequences at the start of `b` (1 byte 00-7F; 2 bytes 81-FE then
 * 40-FE; 4 bytes 81-FE 30-39 81-FE 30-39): what follows is the start of a sequence cut by the
 * chunk boundary.
 */
function completeGb18030(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const lead = b[i]!;
    if (lead < 0x81 || lead === 0xff) i += 1;
    else if (i + 1 >= b.length) break;
    else if (b[i + 1]! >= 0x30 && b[i + 1]! <= 0x39) {
      if (i + 3 >= b.length) break;
      i += 4;
    } else i += 2;
  }
  return i;
}

/**
 * GB18030 chunk by chunk. iconv-lite's own streaming decoder loses characters when a 4-byte
 * sequence spans more than two chunks, or a chunk ends just after a 2-byte sequence's lead byte
 * (checked with iconv-lite 0.7.3: a one-byte-at-a-time feed drops the low surrogate of U+20000);
 * so only complete sequences are given to the stateless `iconv.decode`, and a cut one waits for
 * the next chunk.
 */
function gb18030Decoder(): ChunkDecoder {
  let rest: Uint8Array = new Uint8Array(0);
  return {
    write(chunk) {
      const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const n = completeGb18030(all);
      rest = all.slice(n);
      return n
        ? iconv.decode(Buffer.from(all.buffer, all.byteOffset, n), 'gb18030', { stripBOM: false })
        : '';
    },
    end() {
      const cut = rest.length > 0;
      rest = new Uint8Array(0);
      return cut ? '\ufffd' : '';
    },
  };
}

/**
 * A streaming decoder: a multi-byte character decodes the same wherever a read boundary falls
 * (GB18030 sequences of 2 and 4 bytes, UTF-8 of 2-4); a byte that cannot be decoded, or a
 * sequence cut at the end of the file, becomes U+FFFD, which the text check (text-check.ts)
 * refuses with the row's line and field: nothing undecodable is stored.
 */
export function chunkDecoder(encoding: SourceEncoding): ChunkDecoder {
  if (encoding === 'gb18030') return gb18030Decoder();
  // UTF-8 and UTF-16 stream natively; the BOM is kept (as U+FEFF) for the CSV reader, as in UTF-8
  const d = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
}
