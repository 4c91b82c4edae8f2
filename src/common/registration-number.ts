/**
 * Legacy registration number (注册号) of a market entity: the 15-digit number of the business
 * licence before the Unified Social Credit Code (GB 32100-2015) replaced it; old licences still
 * print it. Pure: no framework imports.
 *
 * Layout (SAIC 工商行政管理市场主体注册号编制规则, GS15-2006): positions 1-6 the registration
 * authority's administrative division (GB/T 2260), 7-14 a sequence, 15 a check digit by
 * ISO/IEC 7064 MOD 11,10 over positions 1-14.
 */
import { SPREADSHEET_ADVICE, normaliseIdentityCode, spreadsheetDamage } from './uscc.js';

export class RegistrationNumberError extends Error {
  constructor(
    readonly rule: 'spreadsheet' | 'length' | 'digits' | 'check-digit',
    message: string,
    /** 1-based position of the offending character, when one can be named */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'RegistrationNumberError';
  }
}

/**
 * ISO/IEC 7064 MOD 11,10 check digit of a digit string (hybrid system: P = 10; for each digit
 * S = (P + d) mod 10, 0 read as 10; P = 2S mod 11; the check digit c makes (P + c) mod 10 = 1).
 * Also the check of the Croatian OIB, whose published examples the unit tests use.
 * @throws Error when `digits` has a character that is not 0-9
 */
export function mod11_10CheckDigit(digits: string): string {
  let p = 10;
  for (const ch of digits) {
    if (ch < '0' || ch > '9') throw new Error(`'${ch}' is not a digit`);
    const s = (p + Number(ch)) % 10 || 10;
    p = (2 * s) % 11;
  }
  return String((11 - p) % 10);
}

/**
 * Validates a legacy 15-digit registration number and returns it normalised (the identity-code
 * normalisation of the USCC: NFKC, no whitespace or format characters).
 * @throws RegistrationNumberError naming the rule (and position) that failed: spreadsheet damage
 *   ("export the column as text"), length 15, digits only, the MOD 11,10 check digit (position 15)
 */
export function parseRegistrationNumber(input: string): string {
  const code = normaliseIdentityCode(input);
  const damage = spreadsheetDamage(code);
  if (damage && !/^[0-9]{15}$/.test(code))
    throw new RegistrationNumberError('spreadsheet', `registration number ${SPREADSHEET_ADVICE} (${damage})`);
  if (code.length === 18)
    throw new RegistrationNumberError(
      'length',
      'registration number has 18 characters: that looks like a USCC (统一社会信用代码); the legacy registration number (注册号) has 15 digits',
    );
  if (code.length !== 15)
    throw new RegistrationNumberError(
      'length',
      `registration number (注册号) must have 15 digits, got ${code.length} characters`,
    );
  for (let i = 0; i < 15; i++) {
    const c = code[i]!;
    if (c < '0' || c > '9') {
      const digit = ({ O: '0', I: '1', Z: '2', S: '5' } as Record<string, string>)[c];
      throw new RegistrationNumberError(
        'digits',
        `registration number position ${i + 1}: '${c}' is not a digit${digit ? `: did you mean ${digit}?` : ''}`,
        i + 1,
      );
    }
  }
  const expected = mod11_10CheckDigit(code.slice(0, 14));
  if (code[14] !== expected)
    throw new RegistrationNumberError(
      'check-digit',
      `registration number position 15: check digit (ISO 7064 MOD 11,10) should be '${expected}', got '${code[14]}'`,
      15,
    );
  return code;
}

/** The registration authority's division (GB/T 2260) of a valid registration number: its first 6 digits. */
export function registrationNumberDivision(registrationNo: string): string {
  return registrationNo.slice(0, 6);
}
