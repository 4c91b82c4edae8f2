/**
 * Detects whether a CSV file is UTF-8 or GB18030 (the Jinan justice_* files were exported as
 * GB18030). Strict UTF-8 decoding of a leading sample decides: Chinese text in GB18030 is
 * almost never valid UTF-8. Pure over a byte buffer.
 */
export type SourceEncoding = 'utf-8' | 'gb18030';

/** Bytes read from the start of a file to decide its encoding. */
export const ENCODING_SAMPLE_BYTES = 256 * 1024;

/**
 * @param sample the first bytes of the file (any length; a multi-byte sequence cut at the end of
 *   the sample is ignored)
 * @returns 'utf-8' when the sample is valid UTF-8 (a BOM counts as UTF-8), otherwise 'gb18030'
 */
export function detectEncoding(sample: Uint8Array): SourceEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  // drop an incomplete trailing UTF-8 sequence (at most 3 bytes) before strict decoding
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}
