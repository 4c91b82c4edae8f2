/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015; its organisation-code part follows
 * GB 11714. Pure: no framework imports. See domain.md section 2.
 *
 * Layout (1-based positions): 1 registration authority, 2 entity type, 3-8 administrative division
 * (GB/T 2260), 9-17 organisation code (pos 17 its own check digit, GB 11714), 18 check character.
 */

/** The 31 symbols of GB 32100-2015, in value order 0..30 (no I, O, S, V, Z). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015 weights for positions 1..17: 3^(i-1) mod 31. */
export const USCC_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/** GB 11714 weights over the 8-character organisation-code body (USCC positions 9..16). */
export const ORG_CODE_WEIGHTS: readonly number[] = [3, 7, 9, 10, 5, 8, 4, 2];

/** Which rule a code broke. */
export type UsccRule =
  'spreadsheet' | 'registration-number' | 'length' | 'alphabet' | 'position17' | 'position18';

export class UsccError extends Error {
  constructor(
    readonly rule: UsccRule,
    message: string,
    /** 1-based position of the offending character, when one can be named. */
    readonly position?: number,
    /** the normalised code, given when it is well-formed and fails only a check character */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UsccError';
  }
}

/** GB 11714 value of a character: digits 0-9, letters A=10 .. Z=35. Returns -1 for others. */
function orgCodeValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/**
 * GB 11714 check digit over positions 9..16 (weights 3,7,9,10,5,8,4,2; c = 11 - S mod 11; 10 -> 'X',
 * 11 -> '0'). Input: the 8-character body, upper case.
 */
export function orgCodeCheckDigit(body8: string): string {
  let s = 0;
  for (let i = 0; i < 8; i++) s += orgCodeValue(body8[i]!) * ORG_CODE_WEIGHTS[i]!;
  const c = 11 - (s % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * GB 32100-2015 check character (position 18) over the first 17 characters:
 * S = sum(value_i * w_i), check value = (31 - S mod 31) mod 31, as a symbol of USCC_ALPHABET.
 */
export function usccCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (s % 31)) % 31]!;
}

/**
 * Every character an identity code never contains but copied text often does: Unicode White_Space
 * (space, tab, no-break space U+00A0, ideographic space U+3000, line breaks...) and format
 * characters (general category Cf: zero-width space U+200B, zero-width joiner, BOM U+FEFF, soft
 * hyphen, bidi marks...). `String.prototype.trim()` removes neither inside a code nor U+200B.
 */
const INVISIBLE = /[\p{White_Space}\p{Cf}]/gu;

/**
 * The one normalisation of an identity code (USCC, legacy registration number), used by every
 * entry point (URL path, JSON body, CSV cell, QR scan): Unicode NFKC (full-width ９１Ａ -> 91A),
 * every whitespace and format character removed, upper case. Nothing else is changed: a letter
 * O where a digit belongs stays an O (see `parseUscc` for the hint), never corrected silently.
 */
export function normaliseIdentityCode(input: string): string {
  // fast path (bulk imports): plain ASCII letters and digits need neither NFKC nor stripping
  if (PLAIN.test(input)) return input.toUpperCase();
  return input.normalize('NFKC').replace(INVISIBLE, '').toUpperCase();
}

const PLAIN = /^[0-9A-Za-z]*$/;

/** The USCC's normalisation: `normaliseIdentityCode` (domain.md section 2, issue 9). */
export function normaliseUscc(input: string): string {
  return normaliseIdentityCode(input);
}

/** Letters typed for the digit they look like (none of them is a USCC symbol). */
const LOOKALIKE_DIGITS: Readonly<Record<string, string>> = { O: '0', I: '1', Z: '2', S: '5' };

/**
 * Recognises a cell a spreadsheet has damaged: a leading apostrophe (the "text" marker that an
 * export kept), scientific notation (9.13101E+17), a long digit string whose tail became zeros
 * because a spreadsheet keeps only 15 significant digits, or a decimal point added (…0.0).
 * Input: normalised text. @returns the symptom, or undefined when the text shows none.
 */
export function spreadsheetDamage(code: string): string | undefined {
  if (/^['\u2018\u2019`]/.test(code)) return 'a leading apostrophe';
  if (/^[0-9](\.[0-9]+)?E\+?[0-9]+$/.test(code)) return `scientific notation ${code}`;
  const whole = code.replace(/\.0+$/, '');
  if (/^[0-9]{16,}$/.test(whole) && whole.replace(/0+$/, '').length <= 15)
    return 'only 15 significant digits kept, the rest turned to zeros';
  if (whole !== code && /^[0-9]+$/.test(whole)) return 'a decimal point added';
  return undefined;
}

/** The advice every spreadsheet-damaged code gets. */
export const SPREADSHEET_ADVICE = 'mangled by a spreadsheet: export the column as text';

/**
 * Validates a USCC and returns it normalised (`normaliseIdentityCode`).
 * Rules checked in order: spreadsheet damage (rule 'spreadsheet'); a 15-digit legacy registration
 * number given as a USCC (rule 'registration-number'); length 18; every character in
 * USCC_ALPHABET (a letter O, I, Z or S gets "did you mean 0/1/2/5?", and whether the code would
 * then pass its check characters; never corrected); position 17 is the GB 11714 check digit of
 * positions 9..16; position 18 is the GB 32100-2015 check character.
 * @throws UsccError naming the rule (and position) that failed; for a check-character failure
 *   (`position17`, `position18`) its `code` is the normalised code, which is otherwise well-formed.
 */
export function parseUscc(input: string): string {
  const code = normaliseUscc(input);
  const damage = spreadsheetDamage(code);
  // an issued code may be all digits and end in zeros: only a code that fails its checks is damaged
  if (damage && !passesChecks(code))
    throw new UsccError('spreadsheet', `USCC ${SPREADSHEET_ADVICE} (${damage})`);
  if (/^[0-9]{15}$/.test(code))
    throw new UsccError(
      'registration-number',
      "USCC has 15 digits: that is a legacy registration number (注册号), not a USCC; give it as the registration number (registration_no, registrationNo) beside the enterprise's 18-character USCC",
    );
  if (code.length !== 18) {
    const removed = input.length - code.length;
    throw new UsccError(
      'length',
      `USCC must have 18 characters, got ${code.length}${removed > 0 ? ` (after removing ${removed} space or invisible character${removed > 1 ? 's' : ''})` : ''}`,
    );
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(code[i]!)) {
      const digit = LOOKALIKE_DIGITS[code[i]!];
      let hint = '';
      if (digit !== undefined) {
        const fixed = code.slice(0, i) + digit + code.slice(i + 1);
        hint = `: did you mean ${digit}? (the letter ${code[i]} is never in a USCC${isValidUscc(fixed) ? `; with ${digit} the check characters pass` : ''})`;
      }
      throw new UsccError(
        'alphabet',
        `USCC position ${i + 1}: '${code[i]}' is not allowed (alphabet ${USCC_ALPHABET}; no I, O, S, V, Z)${hint}`,
        i + 1,
      );
    }
  }
  const expected17 = orgCodeCheckDigit(code.slice(8, 16));
  if (code[16] !== expected17) {
    throw new UsccError(
      'position17',
      `USCC position 17: organisation-code check digit (GB 11714) should be '${expected17}', got '${code[16]}'`,
      17,
      code,
    );
  }
  const expected18 = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected18) {
    throw new UsccError(
      'position18',
      `USCC position 18: check character (GB 32100-2015) should be '${expected18}', got '${code[17]}'`,
      18,
      code,
    );
  }
  return code;
}

/** Symbol value by character code (-1: not a USCC symbol), for the fast check of valid codes. */
const SYMBOL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_ALPHABET.length; i++) SYMBOL_VALUE[USCC_ALPHABET.charCodeAt(i)] = i;

/**
 * True when `code` (normalised) has 18 symbols of the alphabet and both check characters hold:
 * the same rules as the step-by-step checks of `parseUscc`, in one pass without messages (most
 * codes of a bulk import are valid).
 */
function passesChecks(code: string): boolean {
  if (code.length !== 18) return false;
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const c = code.charCodeAt(i);
    const v = c < 128 ? SYMBOL_VALUE[c]! : -1;
    if (v < 0) return false;
    s += v * USCC_WEIGHTS[i]!;
  }
  const last = code.charCodeAt(17);
  if (last >= 128 || SYMBOL_VALUE[last]! !== (31 - (s % 31)) % 31) return false;
  return code[16] === orgCodeCheckDigit(code.slice(8, 16));
}

/** True when the error says the code is well-formed and fails only a check character (17 or 18). */
export function failsOnlyCheckChar(e: unknown): e is UsccError & { code: string } {
  return e instanceof UsccError && (e.rule === 'position17' || e.rule === 'position18') && !!e.code;
}

/**
 * For a code looked up and not found: what is wrong with it, when it fails its check characters
 * (a code kept by `--accept-bad-check-char` is looked up as stored, any other such code is a typo).
 * @returns '' for a valid code, else ` (USCC position 18: ...)`
 */
export function checkCharNote(code: string): string {
  try {
    parseUscc(code);
    return '';
  } catch (e) {
    return ` (${(e as Error).message})`;
  }
}

/** True when `input` is a valid USCC after normalisation. */
export function isValidUscc(input: string): boolean {
  try {
    parseUscc(input);
    return true;
  } catch {
    return false;
  }
}

/** Symbols usable in the organisation-code body that are also in the USCC alphabet. */
const BODY_ALPHABET = USCC_ALPHABET;

/**
 * Builds a valid USCC from its parts by computing both check characters.
 * @param prefix2 registration authority and entity type, e.g. '91' (market regulation, enterprise)
 * @param division6 administrative division code (GB/T 2260), e.g. '310110' (Yangpu)
 * @param body8 organisation-code body (positions 9..16), characters of USCC_ALPHABET
 * @throws UsccError when a part has the wrong length or alphabet, or when the GB 11714 check
 *   digit falls outside the USCC alphabet (it never does: 'X' and digits are all allowed).
 */
export function buildUscc(prefix2: string, division6: string, body8: string): string {
  const first16 = `${prefix2}${division6}${body8}`.toUpperCase();
  if (first16.length !== 16)
    throw new UsccError('length', `USCC parts must give 16 characters, got ${first16.length}`);
  const first17 = first16 + orgCodeCheckDigit(first16.slice(8, 16));
  return parseUscc(first17 + usccCheckChar(first17));
}

/**
 * Derives a stable, valid placeholder USCC from a hex digest (for sources without a USCC, such as
 * the Jinan credit data whose names are MD5 hashes). The same digest always gives the same code.
 * Positions 9..16 come from the digest read as a number in base 31; positions 1-2 are '91', 3-8
 * the given division. Callers must mark such codes as derived (not issued by a registration body).
 */
export function deriveUsccFromDigest(hexDigest: string, division6: string): string {
  let n = BigInt('0x' + hexDigest.replace(/[^0-9a-f]/gi, '').slice(0, 24));
  let body = '';
  for (let i = 0; i < 8; i++) {
    body += BODY_ALPHABET[Number(n % 31n)];
    n /= 31n;
  }
  return buildUscc('91', division6, body);
}
