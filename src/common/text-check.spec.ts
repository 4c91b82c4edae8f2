import { describe, expect, it } from '@jest/globals';
import { characterLength, textProblem, unstorableCharacter, unstorableInValue } from './text-check.js';

describe('unstorableCharacter', () => {
  it.each([
    ['a\u0000b', /NUL character \(U\+0000\) at character 2/],
    ['名\uFFFD称', /undecodable byte \(U\+FFFD at character 2\)/],
    ['x\uFFFE', /noncharacter U\+FFFE/],
    ['x\uFFFF', /noncharacter U\+FFFF/],
    ['\uFDD0', /noncharacter U\+FDD0/],
    ['\uD83F\uDFFE', /noncharacter U\+1FFFE/],
    ['ab\uD800', /lone surrogate \(U\+D800\) at character 3/],
    ['\uDC00ab', /lone surrogate \(U\+DC00\) at character 1/],
    ['\uD800x', /lone surrogate \(U\+D800\)/],
    ['ok\u001b[31m', /control character U\+001B at character 3, not text/],
    ['a\u0085b', /control character U\+0085 at character 2/],
    ['\u007f', /control character U\+007F/],
    ['\u0001', /control character U\+0001/],
  ])('%j is refused: %s', (s, reason) => {
    expect(unstorableCharacter(s)?.reason).toMatch(reason);
  });

  it.each([
    '',
    '上海杨浦示例有限公司',
    'tab\tand\nnewline',
    'crlf\r\n',
    '\u00a0no-break space',
    '𠀀 (U+20000, a pair)',
    '😀',
    '\uFDCF\uFDF0',
  ])('%j is storable', (s) => {
    expect(unstorableCharacter(s)).toBeNull();
  });
});

describe('textProblem', () => {
  it.each([
    ['理由\u202E因原', /invisible formatting character U\+202E \(right-to-left override\) at character 3/],
    ['\u2066x\u2069', /U\+2066 \(left-to-right isolate\) at character 1/],
    ['杨\u200B浦', /U\+200B \(zero-width space\) at character 2/],
    ['a\u2060b', /U\+2060 \(word joiner\)/],
    ['a\uFEFFb', /U\+FEFF \(zero-width no-break space\)/],
  ])('refuses the invisible formatting in %j: %s', (s, reason) => {
    expect(textProblem(s, 100)).toMatch(reason);
    expect(unstorableCharacter(s)).toBeNull(); // storable: identifiers drop them in their normalisation
  });

  it.each(['👨\u200D👩\u200D👧', 'a\u200Cb', '\u00a0no-break space'])('keeps the joiners of %j', (s) => {
    expect(textProblem(s, 100)).toBeNull();
  });

  it('counts characters, a surrogate pair once', () => {
    expect(characterLength('𠀀𠀀a')).toBe(3);
    expect(textProblem('𠀀𠀀', 2)).toBeNull();
    expect(textProblem('𠀀𠀀a', 2)).toBe('longer than 2 characters (3)');
  });
  it('refuses unstorable text within the limit', () => {
    expect(textProblem('a\u0000', 10)).toMatch(/NUL/);
    expect(textProblem('ok', 10)).toBeNull();
  });
});

describe('unstorableInValue', () => {
  it('names every offending string by its path, keys included', () => {
    expect(
      unstorableInValue({ name: 'ok', details: { note: 'a\u0000', list: ['x', '\uD800'] }, ['k\u0000']: 1 }),
    ).toEqual([
      { field: 'details.note', reason: expect.stringMatching(/NUL/) },
      { field: 'details.list[1]', reason: expect.stringMatching(/lone surrogate/) },
      { field: 'k\u0000', reason: expect.stringMatching(/^the field name contains a NUL/) },
    ]);
  });
  it('finds nothing in clean values', () => {
    expect(unstorableInValue({ a: [1, 'b', { c: null }] })).toEqual([]);
  });
});
