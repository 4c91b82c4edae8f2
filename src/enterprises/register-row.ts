import { readSourceDate } from '../common/chinese-date.js';
import { textProblem } from '../common/text-check.js';
import { MAX_CAPITAL_FEN } from './rules/capital-band.js';
import { CSV_FIELDS, checkRegisterIdentity } from './rules/register-identity.js';
import type { FieldError } from '../credit/rules/credit-record-input.js';
import {
  ENTERPRISE_STATUSES,
  ENTITY_TYPES,
  ENTITY_TYPE_LABELS,
  EnterpriseStatus,
  EntityType,
  STATUS_LABELS,
} from './entities/enterprise.entity.js';

/** Register CSV columns (docs/import-formats.md). */
export const REGISTER_REQUIRED = ['uscc', 'name'] as const;
export const REGISTER_OPTIONAL = [
  'entity_type',
  'industry_code',
  'division_code',
  'street',
  'address',
  'established_on',
  'status',
  'prepaid_issuer',
  'registered_capital_fen',
  'legal_rep_key',
  'source_system',
  'source_key',
  'registration_no',
  'established_on_estimated',
  'uscc_derived',
] as const;

/**
 * Longest text of each register field, in characters: the one definition the API (the DTO's
 * IsLimitedText) and the register CSV (checkRegisterRow) both apply through textProblem.
 */
export const REGISTER_TEXT_LIMITS = {
  name: 200,
  street: 100,
  address: 300,
  source_system: 50,
  source_key: 200,
} as const;

export interface RegisterRow {
  uscc: string;
  /** legacy 15-digit registration number (注册号), validated; null when not given */
  registrationNo: string | null;
  /** the USCC fails only its check character(s), kept by `--accept-bad-check-char` for review */
  usccCheckCharFailed: boolean;
  /** `divisionCode` disagrees with the USCC's division (positions 3-8): kept, for review */
  divisionMismatch: boolean;
  name: string;
  entityType: EntityType;
  industryCode: string | null;
  divisionCode: string | null;
  street: string | null;
  address: string | null;
  establishedOn: string | null;
  /** the establishment date is only estimated (a month-only source date, or marked so) */
  establishedOnEstimated?: boolean;
  /** the USCC is a placeholder derived from a source key, not an issued code */
  usccDerived?: boolean;
  status: EnterpriseStatus;
  prepaidIssuer: boolean;
  /** 注册资本 in fen, null when not given */
  registeredCapitalFen: number | null;
  /** opaque key of the legal representative (a digest made by the source), relating enterprises */
  legalRepKey: string | null;
  sourceSystem: string | null;
  sourceKey: string | null;
}

const statusByLabel: Record<string, EnterpriseStatus> = {
  ...Object.fromEntries(Object.entries(STATUS_LABELS).map(([k, v]) => [v, k as EnterpriseStatus])),
  在业: 'active',
  开业: 'active',
  '存续（在营、开业、在册）': 'active',
};
const typeByLabel: Record<string, EntityType> = Object.fromEntries(
  Object.entries(ENTITY_TYPE_LABELS).map(([k, v]) => [v, k as EntityType]),
);
/**
 * A register row for a source that gives little more than an identity (Jinan's hashed names,
 * Boston's establishment ids): an active enterprise with every other attribute unknown.
 */
export function placeholderRegisterRow(
  given: Pick<RegisterRow, 'uscc' | 'name' | 'sourceSystem' | 'sourceKey'> & Partial<RegisterRow>,
): RegisterRow {
  return {
    registrationNo: null,
    usccCheckCharFailed: false,
    divisionMismatch: false,
    entityType: 'company',
    industryCode: null,
    divisionCode: null,
    street: null,
    address: null,
    establishedOn: null,
    status: 'active',
    prepaidIssuer: false,
    registeredCapitalFen: null,
    legalRepKey: null,
    ...given,
  };
}

/** A legal representative's key: an opaque digest (never the document number or the name). */
export const LEGAL_REP_KEY = /^[A-Za-z0-9_-]{16,128}$/;
const TRUE = new Set(['1', 'true', 'yes', 'y', '是']);
const FALSE = new Set(['', '0', 'false', 'no', 'n', '否']);

/** Options of a register import's row check. */
export interface RegisterRowOptions {
  /** keep rows whose USCC fails only its check character(s), flagged (`--accept-bad-check-char`) */
  acceptBadCheckChar?: boolean;
  /** today (YYYY-MM-DD, Asia/Shanghai): an establishment date after it is refused */
  today?: string;
}

/**
 * Checks one register row (CSV values by column). Status and entity type accept the English code
 * or the Chinese label (存续, 注销, 吊销...; 公司, 个体工商户...). The identity columns (`uscc`,
 * `registration_no`, and `division_code` against the USCC) follow `checkRegisterIdentity`.
 * `established_on` is read by the one source-date parser (Excel serials included; a month-only
 * date is its first day, estimated); `established_on_estimated` and `uscc_derived` (true/false)
 * mark the date as estimated and the code as a derived placeholder. Text fields:
 * REGISTER_TEXT_LIMITS, the API's limits.
 * @returns the row with the warnings about what it keeps for review, or every field error
 */
export function checkRegisterRow(
  v: Record<string, string>,
  opts: RegisterRowOptions = {},
): { ok: true; row: RegisterRow; warnings: FieldError[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const t = (k: string) => (v[k] ?? '').trim() || null;
  const name = t('name');
  if (!name) errors.push({ field: 'name', reason: 'required' });
  for (const field of Object.keys(REGISTER_TEXT_LIMITS) as (keyof typeof REGISTER_TEXT_LIMITS)[]) {
    const value = t(field);
    const problem = value === null ? null : textProblem(value, REGISTER_TEXT_LIMITS[field]);
    if (problem) errors.push({ field, reason: problem });
  }
  const rawType = t('entity_type') ?? 'company';
  const entityType = (ENTITY_TYPES.includes(rawType as EntityType) ? rawType : typeByLabel[rawType]) as
    EntityType | undefined;
  if (!entityType)
    errors.push({
      field: 'entity_type',
      reason: `'${rawType}' is not one of ${ENTITY_TYPES.join(', ')} (or their Chinese labels)`,
    });
  const industryCode = t('industry_code');
  if (industryCode && !/^[A-T]([0-9]{2,4})?$/.test(industryCode))
    errors.push({ field: 'industry_code', reason: `'${industryCode}' is not a GB/T 4754 code` });
  const divisionCode = t('division_code');
  if (divisionCode && !/^[0-9]{6}$/.test(divisionCode))
    errors.push({ field: 'division_code', reason: `'${divisionCode}' is not 6 digits (GB/T 2260)` });
  const identity = checkRegisterIdentity(
    {
      uscc: v.uscc ?? '',
      registrationNo: v.registration_no,
      divisionCode: divisionCode && /^[0-9]{6}$/.test(divisionCode) ? divisionCode : null,
      acceptBadCheckChar: opts.acceptBadCheckChar,
    },
    CSV_FIELDS,
  );
  if (!identity.ok) errors.unshift(...identity.errors);
  let establishedOn: string | null = null;
  let establishedOnEstimated = false;
  try {
    const d = readSourceDate(v.established_on, { excelSerial: true });
    establishedOn = d?.date ?? null;
    establishedOnEstimated = d?.estimated ?? false;
    if (establishedOn && opts.today && establishedOn > opts.today)
      throw new Error(`${establishedOn} is in the future (today is ${opts.today})`);
  } catch (e) {
    errors.push({ field: 'established_on', reason: (e as Error).message });
  }
  const flag = (field: string): boolean => {
    const raw = (v[field] ?? '').trim().toLowerCase();
    if (!TRUE.has(raw) && !FALSE.has(raw))
      errors.push({ field, reason: `'${raw}' is not true/false/1/0/是/否` });
    return TRUE.has(raw);
  };
  if (flag('established_on_estimated')) establishedOnEstimated = true;
  const usccDerived = flag('uscc_derived');
  const rawStatus = t('status') ?? 'active';
  const status = (
    ENTERPRISE_STATUSES.includes(rawStatus as EnterpriseStatus) ? rawStatus : statusByLabel[rawStatus]
  ) as EnterpriseStatus | undefined;
  if (!status)
    errors.push({
      field: 'status',
      reason: `'${rawStatus}' is not one of ${ENTERPRISE_STATUSES.join(', ')} (or 存续, 注销, 吊销, 迁出, 停业)`,
    });
  const rawPrepaid = (v.prepaid_issuer ?? '').trim().toLowerCase();
  if (!TRUE.has(rawPrepaid) && !FALSE.has(rawPrepaid))
    errors.push({ field: 'prepaid_issuer', reason: `'${rawPrepaid}' is not true/false/1/0/是/否` });
  const rawCapital = t('registered_capital_fen');
  let registeredCapitalFen: number | null = null;
  if (rawCapital !== null) {
    if (/^\d{1,16}$/.test(rawCapital) && Number(rawCapital) <= MAX_CAPITAL_FEN)
      registeredCapitalFen = Number(rawCapital);
    else
      errors.push({
        field: 'registered_capital_fen',
        reason: `'${rawCapital}' is not a whole number of fen from 0 to ${MAX_CAPITAL_FEN} (1 yuan = 100 fen)`,
      });
  }
  const legalRepKey = t('legal_rep_key');
  if (legalRepKey && !LEGAL_REP_KEY.test(legalRepKey))
    errors.push({
      field: 'legal_rep_key',
      reason: 'an opaque key of 16-128 letters, digits, _ or - (a digest, never an ID number)',
    });
  if (errors.length || !identity.ok) return { ok: false, errors };
  const id = identity.identity;
  return {
    ok: true,
    warnings: id.warnings,
    row: {
      uscc: id.uscc,
      registrationNo: id.registrationNo,
      usccCheckCharFailed: id.checkCharFailed,
      divisionMismatch: id.divisionMismatch,
      name: name!,
      entityType: entityType!,
      industryCode,
      divisionCode,
      street: t('street'),
      address: t('address'),
      establishedOn,
      establishedOnEstimated,
      usccDerived,
      status: status!,
      prepaidIssuer: TRUE.has(rawPrepaid),
      registeredCapitalFen,
      legalRepKey,
      sourceSystem: t('source_system'),
      sourceKey: t('source_key'),
    },
  };
}
