import { DateParseError, readSourceDate } from '../../common/chinese-date.js';
import { textProblem } from '../../common/text-check.js';
import {
  CHANGE_ITEMS,
  CREDIT_RECORD_KINDS,
  ChangeItem,
  changeItemOf,
  CreditRecordKind,
  INSPECTION_OUTCOMES,
  JUDICIAL_CASE_TYPES,
  LIST_TYPES,
  MAX_VIOLATIONS,
  PENALTY_PROCEDURES,
  PENALTY_TYPES,
  PenaltyProcedure,
  PenaltySeverity,
  PenaltyType,
  Polarity,
  SPOT_CHECK_OUTCOMES,
  VIOLATION_LEVELS,
  penaltySeverity,
  recordPolarity,
} from './record-kinds.js';
import {
  type LowerFineThresholds,
  PARTY_TYPES,
  PENALTY_DOMAINS,
  type PartyType,
  type PenaltyDomain,
  type PublicationRegime,
  publicationPeriods,
  regimeFor,
} from '../../penalties/rules/publication-regimes.js';

/**
 * Validation and normalisation of one credit record, shared by the API and the CSV importer so
 * both accept exactly the same records (domain.md 3.1). Pure.
 */
export interface CreditRecordInput {
  kind?: string;
  recordDate?: string;
  sourceDepartment?: string;
  validUntil?: string | null;
  decisionNo?: string | null;
  procedure?: string | null;
  penaltyTypes?: string[] | null;
  fineFen?: number | null;
  /** a penalty's field of law (PENALTY_DOMAINS: food, drugs, special_equipment, work_safety, fire, general); default general */
  domain?: string | null;
  /** who was penalised (organisation | natural_person); default organisation */
  partyType?: string | null;
  /** the day the penalty was published, YYYY-MM-DD; default the decision (record) date */
  publishedOn?: string | null;
  /** a penalty's regime when an alternative in force on its date is chosen (publication_regime.code); default the regime in force */
  regimeCode?: string | null;
  listType?: string | null;
  listingReason?: string | null;
  listedOn?: string | null;
  removedOn?: string | null;
  channel?: string | null;
  subject?: string | null;
  outcome?: string | null;
  amountFen?: number | null;
  caseType?: string | null;
  changeItem?: string | null;
  details?: Record<string, unknown> | null;
  dateEstimated?: boolean;
}

export interface NormalisedCreditRecord {
  kind: CreditRecordKind;
  recordDate: string;
  dateEstimated: boolean;
  sourceDepartment: string;
  polarity: Polarity;
  validUntil: string | null;
  decisionNo: string | null;
  procedure: PenaltyProcedure | null;
  penaltyTypes: PenaltyType[] | null;
  penaltySeverity: PenaltySeverity | null;
  fineFen: number | null;
  /** a penalty's publication window (publicationPeriods), null/false otherwise */
  publicationStart: string | null;
  publicationLastDay: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  regimeCode: string | null;
  periodProvisional: boolean;
  listType: string | null;
  listingReason: string | null;
  listedOn: string | null;
  removedOn: string | null;
  channel: string | null;
  subject: string | null;
  outcome: string | null;
  amountFen: number | null;
  changeItem: ChangeItem | null;
  details: Record<string, unknown> | null;
}

/**
 * Longest text of each credit-record field, in characters: the one definition the API (the DTO's
 * IsLimitedText) and the CSV importer (checkCreditRecord, recordFromCsv) both apply through
 * textProblem (common/text-check.ts).
 */
export const RECORD_TEXT_LIMITS = {
  sourceDepartment: 100,
  decisionNo: 100,
  listingReason: 500,
  channel: 100,
  subject: 500,
  sourceSystem: 50,
  sourceKey: 200,
} as const;

export interface FieldError {
  field: string;
  reason: string;
}

/**
 * What a penalty's publication window is computed with: the stored regimes (publication_regime)
 * and the province's lower-amount fine thresholds (configuration, lowerFineThresholds).
 */
export interface PeriodInputs {
  regimes: readonly PublicationRegime[];
  thresholds: LowerFineThresholds;
}

export type RecordCheck = { ok: true; record: NormalisedCreditRecord } | { ok: false; errors: FieldError[] };

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const text = (v: string | null | undefined) => (blank(v) ? null : v!.trim());

/**
 * Checks and normalises a credit record.
 * Required for every kind: kind, recordDate (YYYY-MM-DD; for listings it defaults to listedOn),
 * sourceDepartment. Per kind: penalty -> decisionNo, procedure (summary|general), penaltyTypes
 * (at least one of PENALTY_TYPES), fineFen required when 'fine' is a type (integer fen >= 0);
 * listing -> listType (anomaly|serious), listedOn, removedOn not before listedOn; inspection
 * result -> outcome (no_problem|problems_found|refused); product spot check -> outcome
 * (passed|failed); judicial case -> caseType (enforcement|judgment|announcement); unpaid tax ->
 * amountFen; registration change -> changeItem (one of CHANGE_ITEMS in any case, or its Chinese
 * label: 法定代表人, 住所...). Polarity and penalty severity are derived (record-kinds.ts), never taken from input.
 * With `today` (YYYY-MM-DD), a record dated after it is refused: a fact cannot lie in the future.
 * Dates are read by the one source-date parser (common/chinese-date.ts readSourceDate: ISO,
 * YYYYMMDD, Chinese dates, date-times with an offset as the Shanghai day, month-only dates as the
 * first day; Excel serials only with `options.excelSerial`); a month-only record date marks the
 * record `dateEstimated`.
 * A penalty may name its `domain` (PENALTY_DOMAINS, default general), `partyType` (organisation |
 * natural_person, default organisation) and `publishedOn` (default its record date, the decision
 * date). With `options.periods` (every path that stores records: the API, the CSV import, the
 * Jinan import), a penalty decided on or after the first regime's start gets its publication
 * window (penalties/rules/publication-regimes.ts publicationPeriods under the regime in force on
 * its date, regimeFor): publicationStart, publicationLastDay, earliestRepairOn, neverEndedEarly,
 * regimeCode, periodProvisional, and validUntil = countsUntil (the day after the last day; NULL
 * when not published: the scorecard's own windows apply). A validUntil given for such a penalty
 * is refused (its end is the publication period's); an older penalty keeps the validUntil given.
 * @returns the normalised record, or every field error found (field name and reason)
 */
export function checkCreditRecord(
  input: CreditRecordInput,
  today?: string,
  options: { excelSerial?: boolean; periods?: PeriodInputs } = {},
): RecordCheck {
  const errors: FieldError[] = [];
  const err = (field: string, reason: string) => errors.push({ field, reason });
  const estimated = new Set<string>();
  const date = (field: string, v: string | null | undefined): string | null => {
    if (blank(v)) return null;
    if (typeof v !== 'string') {
      err(field, `${JSON.stringify(v)} is not a date (text such as 2023-05-01)`);
      return null;
    }
    try {
      const d = readSourceDate(v, options)!;
      if (d.estimated) estimated.add(field);
      return d.date;
    } catch (e) {
      err(field, e instanceof DateParseError ? e.message : String(e));
      return null;
    }
  };
  const fen = (field: string, v: number | null | undefined): number | null => {
    if (v === null || v === undefined) return null;
    if (!Number.isSafeInteger(v) || v < 0) {
      err(field, `'${v}' is not a whole non-negative amount in fen`);
      return null;
    }
    return v;
  };

  const kind = text(input.kind) as CreditRecordKind | null;
  if (!kind) err('kind', 'required');
  else if (!CREDIT_RECORD_KINDS.includes(kind))
    err('kind', `'${kind}' is not one of ${CREDIT_RECORD_KINDS.join(', ')}`);

  const listedOn = date('listedOn', input.listedOn);
  const removedOn = date('removedOn', input.removedOn);
  let recordDate = date('recordDate', input.recordDate);
  if (!recordDate && kind === 'listing' && listedOn && !errors.some((e) => e.field === 'recordDate')) {
    recordDate = listedOn;
    if (estimated.has('listedOn')) estimated.add('recordDate');
  }
  if (!recordDate && !errors.some((e) => e.field === 'recordDate')) err('recordDate', 'required');
  if (recordDate && today && recordDate > today)
    err('recordDate', `${recordDate} is in the future (today is ${today})`);
  const validUntil = date('validUntil', input.validUntil);
  if (recordDate && validUntil && validUntil < recordDate)
    err('validUntil', `${validUntil} is before the record date ${recordDate}`);
  const sourceDepartment = text(input.sourceDepartment);
  if (!sourceDepartment) err('sourceDepartment', 'required');

  const out: NormalisedCreditRecord = {
    kind: kind!,
    recordDate: recordDate!,
    dateEstimated: (input.dateEstimated ?? false) || estimated.has('recordDate'),
    sourceDepartment: sourceDepartment!,
    polarity: 'negative',
    validUntil,
    decisionNo: null,
    procedure: null,
    penaltyTypes: null,
    penaltySeverity: null,
    fineFen: null,
    publicationStart: null,
    publicationLastDay: null,
    earliestRepairOn: null,
    neverEndedEarly: false,
    regimeCode: null,
    periodProvisional: false,
    listType: null,
    listingReason: null,
    listedOn: null,
    removedOn: null,
    channel: text(input.channel),
    subject: text(input.subject),
    outcome: null,
    amountFen: fen('amountFen', input.amountFen),
    changeItem: null,
    details: input.details ?? null,
  };

  switch (kind) {
    case 'administrative_penalty': {
      out.decisionNo = text(input.decisionNo);
      if (!out.decisionNo) err('decisionNo', 'required for an administrative penalty (行政处罚决定书文号)');
      const procedure = text(input.procedure);
      if (!procedure) err('procedure', 'required: summary or general');
      else if (!PENALTY_PROCEDURES.includes(procedure as PenaltyProcedure))
        err('procedure', `'${procedure}' is not summary or general`);
      else out.procedure = procedure as PenaltyProcedure;
      const types = (input.penaltyTypes ?? []).map((t) => t.trim()).filter(Boolean);
      if (!types.length) err('penaltyTypes', `at least one of ${PENALTY_TYPES.join(', ')}`);
      const unknown = types.filter((t) => !PENALTY_TYPES.includes(t as PenaltyType));
      if (unknown.length)
        err('penaltyTypes', `unknown type(s) ${unknown.join(', ')}; allowed: ${PENALTY_TYPES.join(', ')}`);
      else if (types.length) out.penaltyTypes = [...new Set(types)] as PenaltyType[];
      out.fineFen = fen('fineFen', input.fineFen);
      if (types.includes('fine') && out.fineFen === null && !errors.some((e) => e.field === 'fineFen')) {
        err('fineFen', 'required when the penalty includes a fine');
      }
      if (out.procedure && out.penaltyTypes)
        out.penaltySeverity = penaltySeverity(out.procedure, out.penaltyTypes);
      const domain = text(input.domain) ?? 'general';
      if (!PENALTY_DOMAINS.includes(domain as PenaltyDomain))
        err('domain', `'${domain}' is not one of ${PENALTY_DOMAINS.join(', ')}`);
      const party = text(input.partyType) ?? 'organisation';
      if (!PARTY_TYPES.includes(party as PartyType))
        err('partyType', `'${party}' is not one of ${PARTY_TYPES.join(', ')}`);
      const publishedOn = date('publishedOn', input.publishedOn);
      if (publishedOn && recordDate && publishedOn < recordDate)
        err('publishedOn', `${publishedOn} is before the decision (record) date ${recordDate}`);
      const first = options.periods?.regimes[0]?.inForceFrom;
      if (options.periods && first && recordDate && recordDate >= first && !errors.length) {
        if (validUntil)
          err(
            'validUntil',
            `a penalty decided on or after ${first} ends with its publication period (computed); leave validUntil empty`,
          );
        else {
          try {
            const p = publicationPeriods(
              {
                kind: 'penalty',
                decisionDate: recordDate,
                publishedOn,
                procedure: out.procedure!,
                penaltyTypes: out.penaltyTypes!,
                fineFen: out.fineFen,
                domain: domain as PenaltyDomain,
                party: party as PartyType,
              },
              regimeFor(recordDate, options.periods.regimes, text(input.regimeCode)),
              options.periods.thresholds,
            );
            out.regimeCode = p.regimeCode;
            out.publicationStart = p.publicationStart;
            out.publicationLastDay = p.publicationLastDay;
            out.earliestRepairOn = p.earliestRepairOn;
            out.neverEndedEarly = p.neverEndedEarly;
            out.periodProvisional = p.provisional;
            out.validUntil = p.countsUntil;
          } catch (e) {
            err('recordDate', e instanceof Error ? e.message : String(e));
          }
        }
      }
      break;
    }
    case 'listing': {
      const listType = text(input.listType);
      if (!listType) err('listType', 'required: anomaly or serious');
      else if (!LIST_TYPES.includes(listType as never))
        err('listType', `'${listType}' is not anomaly or serious`);
      out.listType = listType;
      out.listingReason = text(input.listingReason);
      out.listedOn = listedOn ?? recordDate;
      out.removedOn = removedOn;
      if (out.listedOn && removedOn && removedOn < out.listedOn)
        err('removedOn', `${removedOn} is before listedOn ${out.listedOn}`);
      break;
    }
    case 'inspection_result':
    case 'product_spot_check': {
      const allowed: readonly string[] =
        kind === 'inspection_result' ? INSPECTION_OUTCOMES : SPOT_CHECK_OUTCOMES;
      const outcome = text(input.outcome);
      if (!outcome) err('outcome', `required: ${allowed.join(', ')}`);
      else if (!allowed.includes(outcome)) err('outcome', `'${outcome}' is not one of ${allowed.join(', ')}`);
      out.outcome = outcome;
      if (kind === 'inspection_result' && out.details) {
        // violation counts weigh in the score (scorecard v2): whole numbers, and none severe
        // for an inspection without problems
        for (const k of VIOLATION_LEVELS) {
          const n = (out.details as Record<string, unknown>)[k];
          if (
            n !== undefined &&
            !(Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_VIOLATIONS)
          )
            err(
              `details.${k}`,
              `a whole number of violations from 0 to ${MAX_VIOLATIONS}, not ${JSON.stringify(n)}`,
            );
        }
        const severe = (out.details as Record<string, unknown>).severe;
        if (outcome === 'no_problem' && typeof severe === 'number' && severe > 0)
          err('details.severe', 'an inspection without problems (no_problem) has no severe violations');
      }
      break;
    }
    case 'judicial_case': {
      const caseType = text(input.caseType);
      if (!caseType) err('caseType', `required: ${JUDICIAL_CASE_TYPES.join(', ')}`);
      else if (!JUDICIAL_CASE_TYPES.includes(caseType as never))
        err('caseType', `'${caseType}' is not one of ${JUDICIAL_CASE_TYPES.join(', ')}`);
      out.outcome = caseType;
      break;
    }
    case 'registration_change': {
      const given = text(input.changeItem);
      const item = given && changeItemOf(given);
      if (!given) err('changeItem', `required: ${CHANGE_ITEMS.join(', ')}`);
      else if (!item)
        err('changeItem', `'${given}' is not one of ${CHANGE_ITEMS.join(', ')} (or their Chinese labels)`);
      else out.changeItem = item;
      break;
    }
    case 'unpaid_tax':
      if (out.amountFen === null && !errors.some((e) => e.field === 'amountFen'))
        err('amountFen', 'required: unpaid amount in fen');
      break;
    default:
      break;
  }
  for (const field of ['sourceDepartment', 'decisionNo', 'listingReason', 'channel', 'subject'] as const) {
    const v = out[field];
    const problem = v === null || v === undefined ? null : textProblem(v, RECORD_TEXT_LIMITS[field]);
    if (problem) err(field, problem);
  }
  if (errors.length) return { ok: false, errors };
  out.polarity = recordPolarity(out.kind, out.outcome, out.kind === 'judicial_case' ? out.outcome : null);
  return { ok: true, record: out };
}

/**
 * A record dated before its enterprise was established is refused on every path (API and
 * imports; issue 9): a fact about an enterprise cannot precede it, and such a date is a typing
 * or source error. An establishment date that is only estimated is the first day of its month,
 * never later than the real one, so it refuses nothing a real date would allow.
 * @param recordDate YYYY-MM-DD
 * @param establishedOn YYYY-MM-DD, or null when the register does not know it (nothing refused)
 * @returns the reason, or null when the date is possible
 */
export function beforeEstablishmentReason(recordDate: string, establishedOn: string | null): string | null {
  return establishedOn !== null && recordDate < establishedOn
    ? `${recordDate} is before the enterprise was established (${establishedOn})`
    : null;
}
