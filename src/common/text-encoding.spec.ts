import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { chunkDecoder, cjkPlausibility, detectEncoding } from './text-encoding.js';

const text = 'entname,declaredate,declarestyle\nabc,2015-08-05,裁判文书\n';

describe('detectEncoding', () => {
  it('recognises UTF-8 Chinese text', () => {
    expect(detectEncoding(Buffer.from(text, 'utf8'))).toBe('utf-8');
  });
  it('recognises GB18030 Chinese text', () => {
    expect(detectEncoding(iconv.encode(text, 'gb18030'))).toBe('gb18030');
  });
  it('treats pure ASCII and a BOM as UTF-8', () => {
    expect(detectEncoding(Buffer.from('a,b\n1,2\n'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('\ufeffa,b\n', 'utf8'))).toBe('utf-8');
  });
  it('recognises UTF-16 by its BOM, or without one by the NUL beside each ASCII character', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    expect(detectEncoding(le)).toBe('utf-16le');
    expect(detectEncoding(be)).toBe('utf-16be');
    expect(detectEncoding(Buffer.from(text, 'utf16le'))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from(text, 'utf16le').swap16())).toBe('utf-16be');
    // and decodes it whole, chunk boundaries inside a code unit included
    for (const [bytes, enc] of [
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      const d = chunkDecoder(enc);
      let out = '';
      for (let i = 0; i < bytes.length; i += 3) out += d.write(bytes.subarray(i, i + 3));
      out += d.end();
      expect(out).toBe('\ufeff' + text);
    }
  });
  it('ignores a UTF-8 sequence cut at the end of the sample', () => {
    const buf = Buffer.from(text + '检查', 'utf8');
    for (let cut = 1; cut <= 2; cut++)
      expect(detectEncoding(buf.subarray(0, buf.length - cut))).toBe('utf-8');
  });
});

/** Common hanzi whose GB18030 bytes (C2-D7 then A1-BF) are also valid two-byte UTF-8. */
const utf8Lookalike = () => {
  let s = '';
  for (let lead = 0xc2; lead <= 0xd7; lead++)
    for (let trail = 0xa1; trail <= 0xbf; trail += 5)
      s += iconv.decode(Buffer.from([lead, trail]), 'gb18030');
  return s;
};

describe('detectEncoding: plausibility, not validity', () => {
  it('reads a GB18030 file whose bytes happen to be valid UTF-8 as GB18030', () => {
    const names = utf8Lookalike();
    const bytes = iconv.encode(`uscc,name\n91310115MA1FL8Q20P,${names}\n`, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow(); // valid UTF-8
    expect(detectEncoding(bytes)).toBe('gb18030');
  });
  it('keeps a UTF-8 file of Chinese text (its GB18030 reading is implausible) as UTF-8', () => {
    const real = 'uscc,name\n91310115MA1FL8Q20P,上海杨浦示例健身有限公司\n91350200776049653A,𠀀记餐饮店\n';
    expect(detectEncoding(Buffer.from(real, 'utf8'))).toBe('utf-8');
  });
  it.each([
    ['an encoded surrogate (CESU)', [0xed, 0xa0, 0x80]],
    ['two encoded surrogates', [0xed, 0xa0, 0x80, 0x20, 0xed, 0xb0, 0x80]],
    ['a lone 0x80', [0x80]],
  ])('reads ASCII text with %s as UTF-8 (rows rejected), not as GB18030 rare characters', (_, bad) => {
    const bytes = Buffer.concat([
      Buffer.from('uscc,name\n91310115MA1FL8Q20P,a'),
      Buffer.from(bad),
      Buffer.from('b\n91350200776049653A,plain\n'),
    ]);
    expect(detectEncoding(bytes)).toBe('utf-8');
  });
  it('reads GB18030 text whose only non-ASCII character is a GB 2312 symbol (—, as in the Jinan justice_enforced table)', () => {
    const bytes = iconv.encode('case,amount\n2014—2015,100\n', 'gb18030');
    expect(detectEncoding(bytes)).toBe('gb18030');
  });
  it('scores common hanzi over mojibake', () => {
    expect(cjkPlausibility('上海市杨浦区市场监督管理局')).toBe(1);
    expect(cjkPlausibility('ÄãºÃ×ÖÌå')).toBe(0);
    expect(cjkPlausibility('abc')).toBe(1);
  });
});

describe('chunkDecoder: read boundaries', () => {
  const text = 'a,中文𠀀,€\n杨浦区,😀,é\n';
  it.each(['gb18030', 'utf-8'] as const)('%s decodes the same with a boundary at every offset', (enc) => {
    const bytes = enc === 'gb18030' ? iconv.encode(text, enc) : Buffer.from(text, 'utf8');
    if (enc === 'gb18030') expect(bytes.includes(Buffer.from([0x95, 0x32, 0x82, 0x36]))).toBe(true); // 𠀀: 4 bytes
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = chunkDecoder(enc);
      expect(d.write(bytes.subarray(0, cut)) + d.write(bytes.subarray(cut)) + d.end()).toBe(text);
    }
    // every byte its own chunk
    const d = chunkDecoder(enc);
    let out = '';
    for (const b of bytes) out += d.write(Uint8Array.of(b));
    expect(out + d.end()).toBe(text);
  });
  it.each(['gb18030', 'utf-8'] as const)(
    '%s: a character cut at the end of the file becomes U+FFFD, never silently dropped',
    (enc) => {
      const bytes = enc === 'gb18030' ? iconv.encode('ab中𠀀', enc) : Buffer.from('ab中𠀀', 'utf8');
      for (let cut = 1; cut <= 3; cut++) {
        const d = chunkDecoder(enc);
        const s = d.write(bytes.subarray(0, bytes.length - cut)) + d.end();
        expect(s.startsWith('ab中')).toBe(true);
        expect(s.endsWith('\ufffd')).toBe(true);
      }
    },
  );
  it('turns an undecodable byte into U+FFFD', () => {
    const d = chunkDecoder('utf-8');
    expect(d.write(Buffer.from([0x61, 0xff, 0x62])) + d.end()).toBe('a\ufffdb');
  });
});

describe('detectEncoding: a damaged UTF-8 file', () => {
  it('stays UTF-8 when one byte is not UTF-8 (its row is rejected later, the rest reads right)', () => {
    const bytes = Buffer.concat([
      Buffer.from('uscc,name\n91310115MA1FL8Q20P,上海杨浦示例健身有限公司\n'),
      Buffer.from([0xff]),
      Buffer.from('91350200776049653A,杨浦区市场监督管理局\n'),
    ]);
    expect(detectEncoding(bytes)).toBe('utf-8');
  });
});
