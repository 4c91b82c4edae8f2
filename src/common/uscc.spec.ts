import { describe, expect, it } from '@jest/globals';
import {
  USCC_ALPHABET,
  USCC_WEIGHTS,
  UsccError,
  buildUscc,
  deriveUsccFromDigest,
  failsOnlyCheckChar,
  isValidUscc,
  normaliseIdentityCode,
  orgCodeCheckDigit,
  spreadsheetDamage,
  parseUscc,
  usccCheckChar,
} from './uscc.js';

/** domain.md section 2, worked examples (valid). */
const EXAMPLES = ['91310115MA1FL8Q20P', '91350200776049653A'];

function ruleOf(code: string): string | undefined {
  try {
    parseUscc(code);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(UsccError);
    return (e as UsccError).rule;
  }
}

describe('GB 32100-2015 weights', () => {
  it('are 3^(i-1) mod 31 as listed in domain.md', () => {
    expect(USCC_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });
});

describe('published examples', () => {
  it.each(EXAMPLES)('%s is valid', (code) => {
    expect(parseUscc(code)).toBe(code);
    expect(orgCodeCheckDigit(code.slice(8, 16))).toBe(code[16]);
    expect(usccCheckChar(code.slice(0, 17))).toBe(code[17]);
  });

  it.each(EXAMPLES)('%s is normalised from lower case with spaces', (code) => {
    expect(parseUscc(`  ${code.toLowerCase()} `)).toBe(code);
  });
});

describe('every single-character corruption of the examples is rejected', () => {
  for (const code of EXAMPLES) {
    it(`${code}: all ${18 * 30} substitutions within the alphabet fail a check rule`, () => {
      let count = 0;
      for (let pos = 0; pos < 18; pos++) {
        for (const ch of USCC_ALPHABET) {
          if (ch === code[pos]) continue;
          const bad = code.slice(0, pos) + ch + code.slice(pos + 1);
          const rule = ruleOf(bad);
          // positions 9..17 can break the GB 11714 digit first; any other change breaks position 18
          if (pos === 16) expect(rule).toBe('position17');
          else if (pos === 17) expect(rule).toBe('position18');
          else if (pos >= 8) expect(['position17', 'position18']).toContain(rule);
          else expect(rule).toBe('position18');
          count++;
        }
      }
      expect(count).toBe(18 * 30);
    });

    it(`${code}: the forbidden letters I, O, S, V, Z fail the alphabet rule at their position`, () => {
      for (let pos = 0; pos < 18; pos++) {
        for (const ch of 'IOSVZ') {
          const bad = code.slice(0, pos) + ch + code.slice(pos + 1);
          try {
            parseUscc(bad);
            throw new Error('accepted ' + bad);
          } catch (e) {
            expect((e as UsccError).rule).toBe('alphabet');
            expect((e as UsccError).position).toBe(pos + 1);
            expect((e as UsccError).message).toContain(`position ${pos + 1}`);
          }
        }
      }
    });
  }
});

describe('length and alphabet', () => {
  it.each(['', '9', '91310115MA1FL8Q20', '91310115MA1FL8Q20PX', '91310115MA1FL8Q20P0000'])(
    '%j is rejected for its length',
    (code) => {
      expect(ruleOf(code)).toBe('length');
    },
  );

  it.each(['91310115MA1FL8Q2-P', '91310115MA1FL8Q2?P', '91310115MA1FL8Q2VP'])(
    '%j is rejected for a character outside the alphabet',
    (code) => {
      expect(ruleOf(code)).toBe('alphabet');
    },
  );

  it('names the expected check character in the message', () => {
    expect(() => parseUscc('91310115MA1FL8Q20Q')).toThrow(/position 18.*'P'/);
    expect(() => parseUscc('91310115MA1FL8Q21P')).toThrow(/position 17.*should be '0', got '1'/);
  });

  it('isValidUscc answers without throwing', () => {
    expect(isValidUscc(EXAMPLES[0]!)).toBe(true);
    expect(isValidUscc('91310115MA1FL8Q20Q')).toBe(false);
  });
});

describe('building and deriving codes', () => {
  it('buildUscc reproduces the examples from their parts', () => {
    for (const code of EXAMPLES) {
      expect(buildUscc(code.slice(0, 2), code.slice(2, 8), code.slice(8, 16))).toBe(code);
    }
  });

  it('deriveUsccFromDigest is stable, valid and distinct for distinct digests', () => {
    const a = deriveUsccFromDigest('d7a53be04656e8aca9751afa7c43e7cf', '370100');
    expect(a).toBe(deriveUsccFromDigest('d7a53be04656e8aca9751afa7c43e7cf', '370100'));
    expect(isValidUscc(a)).toBe(true);
    expect(a.slice(0, 8)).toBe('91370100');
    const b = deriveUsccFromDigest('24eca9f1bcfd5d472cf9ce46aebab51b', '370100');
    expect(b).not.toBe(a);
  });
});

function errorOf(code: string): UsccError {
  try {
    parseUscc(code);
  } catch (e) {
    expect(e).toBeInstanceOf(UsccError);
    return e as UsccError;
  }
  throw new Error(`accepted ${code}`);
}

describe('one normalisation: NFKC, no whitespace or format characters, upper case (issue 9)', () => {
  const [a, b] = EXAMPLES as [string, string];
  const fullWidth = (s: string) =>
    [...s].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');

  it.each([
    ['full-width digits and letters', fullWidth(a)],
    ['full-width lower case', fullWidth(a.toLowerCase())],
    ['a zero-width space inside', a.slice(0, 9) + '\u200b' + a.slice(9)],
    ['a BOM in front (first cell of a file)', '\ufeff' + a],
    ['an ideographic space after', a + '\u3000'],
    ['no-break spaces around', '\u00a0' + a + '\u00a0'],
    ['zero-width joiner and word joiner', a.slice(0, 4) + '\u200d' + a.slice(4, 12) + '\u2060' + a.slice(12)],
    ['soft hyphen and a bidi mark', '\u200e' + a.slice(0, 6) + '\u00ad' + a.slice(6)],
    [
      'spaces and a tab inside (grouped as printed)',
      a.slice(0, 8) + ' ' + a.slice(8, 12) + '\t' + a.slice(12),
    ],
    ['a line break after (a pasted cell)', a + '\r\n'],
  ])('accepts %s', (_what, input) => {
    expect(parseUscc(input)).toBe(a);
  });

  it('the same for the second example, full width with an ideographic space inside', () => {
    expect(parseUscc(fullWidth(b.slice(0, 8)) + '\u3000' + b.slice(8))).toBe(b);
  });

  it('is the identity on a normalised code and never corrects a letter', () => {
    expect(normaliseIdentityCode(a)).toBe(a);
    expect(normaliseIdentityCode('91310115ma1fl8q2op')).toBe('91310115MA1FL8Q2OP');
  });

  it('says how many invisible characters it removed when the length is still wrong', () => {
    expect(errorOf(a.slice(0, 17) + '\u200b').message).toMatch(
      /got 17 .*removing 1 space or invisible character\)/,
    );
  });
});

describe('the likely cause is named (issue 9)', () => {
  const a = EXAMPLES[0]!;
  const b = EXAMPLES[1]!;

  it.each([
    ['O', '0', 17], // 91310115MA1FL8Q2OP
    ['O', '0', 5], // 9131O115MA1FL8Q20P
  ])('the letter %s where a digit belongs: did you mean %s?, at its position', (letter, digit, pos) => {
    const typed = a.slice(0, pos - 1) + letter + a.slice(pos);
    expect(a[pos - 1]).toBe(digit);
    const e = errorOf(typed);
    expect(e.rule).toBe('alphabet');
    expect(e.position).toBe(pos);
    expect(e.message).toContain(`position ${pos}: '${letter}'`);
    expect(e.message).toContain(`did you mean ${digit}?`);
    expect(e.message).toContain(`with ${digit} the check characters pass`);
  });

  it.each([
    ['I', '1', 2, a],
    ['Z', '2', 6, b],
    ['S', '5', 4, b],
  ])('the letter %s for %s at position %d', (letter, digit, pos, code) => {
    expect(code[pos - 1]).toBe(digit);
    const e = errorOf(code.slice(0, pos - 1) + letter + code.slice(pos));
    expect(e.message).toContain(`did you mean ${digit}?`);
    expect(e.position).toBe(pos);
  });

  it('a look-alike letter is hinted without claiming the checks would pass when they would not', () => {
    const e = errorOf('91310115MA1FL8Q2OQ');
    expect(e.message).toContain('did you mean 0?');
    expect(e.message).not.toContain('check characters pass');
  });

  it.each([
    ['scientific notation', '9.13101E+17'],
    ['scientific notation, lower case e', '9.1310115e+17'],
    ['15 significant digits, then zeros', '913101150000001000'],
    ['zeros with a decimal point', '913101157760496000.0'],
    ['a leading apostrophe', "'" + a],
    ['a leading typographic apostrophe', '\u2019' + b],
  ])('spreadsheet damage (%s): "export the column as text"', (_what, cell) => {
    const e = errorOf(cell);
    expect(e.rule).toBe('spreadsheet');
    expect(e.message).toContain('mangled by a spreadsheet: export the column as text');
  });

  it('an all-digit code ending in zeros that passes its checks is not taken for damage', () => {
    const code = buildUscc('91', '310110', '00000000');
    expect(code).toMatch(/^[0-9]{16}/);
    expect(spreadsheetDamage('913101100000000000')).toBeDefined();
    expect(parseUscc(code)).toBe(code);
  });

  it('a 15-digit number is named a legacy registration number, not an invalid USCC', () => {
    const e = errorOf('310110000000015');
    expect(e.rule).toBe('registration-number');
    expect(e.message).toContain('registration number (注册号)');
  });

  it('a check-character failure carries the normalised code; other failures do not', () => {
    const e = errorOf(' ' + a.slice(0, 17).toLowerCase() + 'Q');
    expect(failsOnlyCheckChar(e)).toBe(true);
    expect(e.code).toBe(a.slice(0, 17) + 'Q');
    expect(failsOnlyCheckChar(errorOf('91310115MA1FL8Q21P'))).toBe(true);
    expect(failsOnlyCheckChar(errorOf('91310115MA1FL8Q2OP'))).toBe(false);
    expect(failsOnlyCheckChar(errorOf(a.slice(0, 17)))).toBe(false);
  });
});
