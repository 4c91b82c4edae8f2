import { describe, expect, it } from '@jest/globals';
import {
  USCC_ALPHABET,
  USCC_WEIGHTS,
  UsccError,
  buildUscc,
  deriveUsccFromDigest,
  isValidUscc,
  orgCodeCheckDigit,
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

  it.each(['91310115MA1FL8Q2-P', '91310115MA1FL8Q2 P', '９1310115MA1FL8Q20P', '91310115MA1FL8Q2?P'])(
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
