import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { detectEncoding } from './text-encoding.js';

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
  it('ignores a UTF-8 sequence cut at the end of the sample', () => {
    const buf = Buffer.from(text + '检查', 'utf8');
    for (let cut = 1; cut <= 2; cut++)
      expect(detectEncoding(buf.subarray(0, buf.length - cut))).toBe('utf-8');
  });
});
