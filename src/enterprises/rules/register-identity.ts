/**
 * The identity part of a register entry, checked alike for a CSV row (register-row.ts) and for
 * POST /api/enterprises: the USCC (GB 32100-2015) with its positions 1-2 (registration-authority
 * table) and 3-8 (GB/T 2260 division list), the optional legacy registration number (注册号), and
 * the entry's own division column. Pure. Rules in docs/import-formats.md; issue 9.
 */
import { describeDivision, divisionsAgree, findDivision } from '../../common/division.js';
import {
  RegistrationNumberError,
  parseRegistrationNumber,
  registrationNumberDivision,
} from '../../common/registration-number.js';
import { UsccError, failsOnlyCheckChar, parseUscc } from '../../common/uscc.js';
import { registerRefusesClass } from './registration-authority.js';

/** A field at fault (the CSV column or API field name of the caller). */
export interface IdentityProblem {
  field: string;
  reason: string;
}

/** Field names of the caller: CSV columns or API properties. */
export interface IdentityFields {
  uscc: string;
  registrationNo: string;
  divisionCode: string;
}

export const CSV_FIELDS: IdentityFields = {
  uscc: 'uscc',
  registrationNo: 'registration_no',
  divisionCode: 'division_code',
};
export const API_FIELDS: IdentityFields = {
  uscc: 'uscc',
  registrationNo: 'registrationNo',
  divisionCode: 'divisionCode',
};

export interface IdentityInput {
  uscc: string;
  /** the legacy registration number, empty or undefined when not given */
  registrationNo?: string | null;
  /** the entry's division column (6 digits, already checked for its shape), null when not given */
  divisionCode?: string | null;
  /**
   * Keep a code that is well-formed but fails only its check character(s) (position 17 and/or
   * 18), flagged `checkCharFailed` (import option `--accept-bad-check-char`). Default false:
   * rejected.
   */
  acceptBadCheckChar?: boolean;
}

export interface CheckedIdentity {
  uscc: string;
  registrationNo: string | null;
  /** the code failed only its check character(s) and was kept for review */
  checkCharFailed: boolean;
  /** the division column disagrees with the USCC's division (positions 3-8): kept, for review */
  divisionMismatch: boolean;
  /** what was kept but should be looked at (the import report lists them) */
  warnings: IdentityProblem[];
}

/**
 * Checks the identity of a register entry.
 * - USCC: `parseUscc` (normalisation, hints, check characters); with `acceptBadCheckChar` a code
 *   failing only its check character(s) is kept and flagged;
 * - positions 1-2: `registerRefusesClass` (authority 1 organs of state and the other non-market
 *   bodies refused; 91/92/93 and 52 kept);
 * - positions 3-8: a division of the GB/T 2260 list (historical codes accepted, division.ts);
 * - registration number (注册号): 15 digits with its ISO 7064 MOD 11,10 check digit; its first 6
 *   digits (the registration authority's division) must agree with the USCC's positions 3-8 (equal,
 *   or one containing the other). When the registration number's division is abolished or unknown
 *   to the list (districts merged since it was issued) a disagreement is a warning, not an error;
 * - division column: disagreeing with the USCC's division (not equal, not within it) flags the
 *   entry `divisionMismatch` with a warning; it is never a reason to refuse (an enterprise may
 *   have moved within the city, or been registered by the city's bureau).
 * @returns the checked identity, or every problem (each naming its field)
 */
export function checkRegisterIdentity(
  input: IdentityInput,
  fields: IdentityFields,
): { ok: true; identity: CheckedIdentity } | { ok: false; errors: IdentityProblem[] } {
  const errors: IdentityProblem[] = [];
  const warnings: IdentityProblem[] = [];
  let uscc = '';
  let checkCharFailed = false;
  try {
    uscc = parseUscc(input.uscc);
  } catch (e) {
    if (input.acceptBadCheckChar && failsOnlyCheckChar(e)) {
      uscc = e.code;
      checkCharFailed = true;
      warnings.push({ field: fields.uscc, reason: `kept for review: ${e.message}` });
    } else errors.push({ field: fields.uscc, reason: e instanceof UsccError ? e.message : String(e) });
  }
  const usccDivision = uscc ? uscc.slice(2, 8) : null;
  if (uscc) {
    const refused = registerRefusesClass(uscc);
    if (refused) errors.push({ field: fields.uscc, reason: refused });
    if (!findDivision(usccDivision!))
      errors.push({
        field: fields.uscc,
        reason: `USCC positions 3-8: '${usccDivision}' is not an administrative division of the GB/T 2260 list`,
      });
  }
  let registrationNo: string | null = null;
  const rawNo = input.registrationNo ?? '';
  if (rawNo.trim() !== '') {
    try {
      registrationNo = parseRegistrationNumber(rawNo);
    } catch (e) {
      errors.push({
        field: fields.registrationNo,
        reason: e instanceof RegistrationNumberError ? e.message : String(e),
      });
    }
  }
  if (registrationNo && usccDivision && findDivision(usccDivision)) {
    const noDivision = registrationNumberDivision(registrationNo);
    if (!divisionsAgree(noDivision, usccDivision)) {
      const reason = `registration number's authority division ${describeDivision(noDivision)} disagrees with the USCC's division (positions 3-8) ${describeDivision(usccDivision)}`;
      if (findDivision(noDivision)?.current) errors.push({ field: fields.registrationNo, reason });
      else
        warnings.push({
          field: fields.registrationNo,
          reason: `${reason}: kept, the registration number's division is abolished or not listed (a district merged since)`,
        });
    }
  }
  let divisionMismatch = false;
  if (input.divisionCode && usccDivision && !divisionsAgree(usccDivision, input.divisionCode)) {
    divisionMismatch = true;
    warnings.push({
      field: fields.divisionCode,
      reason: `kept for review: division ${describeDivision(input.divisionCode)} disagrees with the USCC's division (positions 3-8) ${describeDivision(usccDivision)}`,
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, identity: { uscc, registrationNo, checkCharFailed, divisionMismatch, warnings } };
}
