import { describe, expect, it } from '@jest/globals';
import { copyLine, textArray } from './copy-text.js';

describe('copyLine (PostgreSQL COPY text format)', () => {
  it('escapes tabs, newlines, backslashes; writes nulls, arrays and JSON', () => {
    expect(copyLine(['a\tb', 'c\nd', 'e\\f', null, 3, true])).toBe('a\\tb\tc\\nd\te\\\\f\t\\N\t3\ttrue\n');
    expect(copyLine([textArray(['fine', 'has "q"'])])).toBe('{"fine","has \\\\"q\\\\""}\n');
    expect(copyLine([{ k: '中\t' }])).toBe('{"k":"中\\\\t"}\n');
    expect(copyLine([[{ code: 'a' }]])).toBe('[{"code":"a"}]\n');
    expect(copyLine([[]])).toBe('[]\n'); // an empty JSON array is not an empty object
    expect(copyLine([textArray([])])).toBe('{}\n');
  });
});
