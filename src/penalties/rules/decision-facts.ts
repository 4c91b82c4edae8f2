/**
 * Validation and normalisation of the facts a decision's publication periods depend on, for the
 * period calculator (POST /api/publication-periods/preview). Pure: no framework, no clock. The
 * credit-record paths check the same facts inside credit/rules/credit-record-input.ts.
 */
import { readAmountFen } from '../../common/amount-fen.js';
import { readSourceDate, DateParseError } from '../../common/chinese-date.js';
import {
  PENALTY_PROCEDURES,
  PENALTY_TYPES,
  type PenaltyProcedure,
  type PenaltyType,
} from '../../credit/rules/record-kinds.js';
import {
  DECISION_KINDS,
  type DecisionFacts,
  type DecisionKind,
  PARTY_TYPES,
  PENALTY_DOMAINS,
  type PartyType,
  type PenaltyDomain,
} from './publication-regimes.js';

/** The facts as given (JSON body). */
export interface DecisionFactsInput {
  kind?: string | null;
  decisionDate?: string | null;
  publishedOn?: string | null;
  procedure?: string | null;
  penaltyTypes?: string[] | null;
  fineFen?: unknown;
  domain?: string | null;
  partyType?: string | null;
}

export type FactsCheck =
  { ok: true; facts: DecisionFacts } | { ok: false; errors: { field: string; reason: string }[] };

/**
 * Checks decision facts. kind penalty (default) | serious_listing; decisionDate required (a date,
 * not after `today` when given); publishedOn not before it; penalty: procedure summary | general,
 * penaltyTypes at least one of PENALTY_TYPES, fineFen (a plain decimal whole number of fen, 0 ..
 * 10^12: common/amount-fen.ts) required with a fine and refused without one;
 * domain (default general), partyType (default organisation).
 * @returns the facts, or every field error (field name, reason in Chinese)
 */
export function checkDecisionFacts(input: DecisionFactsInput, today?: string): FactsCheck {
  const errors: { field: string; reason: string }[] = [];
  const err = (field: string, reason: string) => errors.push({ field, reason });
  const date = (field: string, v: unknown): string | null => {
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') {
      err(field, `${JSON.stringify(v)} 不是日期（如 2026-04-01）`);
      return null;
    }
    try {
      return readSourceDate(v)!.date;
    } catch (e) {
      err(field, e instanceof DateParseError ? `不是有效日期：${e.message}` : String(e));
      return null;
    }
  };
  const kind = (input.kind ?? 'penalty') as DecisionKind;
  if (!DECISION_KINDS.includes(kind))
    err('kind', `'${kind}' 不是 penalty（行政处罚）或 serious_listing（列入严重违法失信名单）`);
  const decisionDate = date('decisionDate', input.decisionDate);
  if (!decisionDate && !errors.some((e) => e.field === 'decisionDate')) err('decisionDate', '必填：决定日期');
  if (decisionDate && today && decisionDate > today)
    err('decisionDate', `${decisionDate} 晚于今天（${today}）`);
  const publishedOn = date('publishedOn', input.publishedOn);
  if (publishedOn && decisionDate && publishedOn < decisionDate)
    err('publishedOn', `公示日期 ${publishedOn} 早于决定日期 ${decisionDate}`);
  const procedure = (input.procedure ?? (kind === 'serious_listing' ? 'general' : '')) as PenaltyProcedure;
  if (!PENALTY_PROCEDURES.includes(procedure))
    err('procedure', '必填：summary（简易程序）或 general（普通程序）');
  const types = (input.penaltyTypes ?? []).map((t) => String(t).trim()).filter(Boolean);
  const unknown = types.filter((t) => !PENALTY_TYPES.includes(t as PenaltyType));
  if (unknown.length) err('penaltyTypes', `未知处罚种类：${unknown.join('、')}`);
  else if (kind === 'penalty' && !types.length) err('penaltyTypes', '至少选择一种处罚种类');
  let fine: number | null = null;
  if (input.fineFen !== undefined && input.fineFen !== null) {
    const r = readAmountFen(input.fineFen);
    if (r.ok) fine = r.fen;
    else err('fineFen', r.reason);
  }
  if (types.includes('fine') && fine === null && !errors.some((e) => e.field === 'fineFen'))
    err('fineFen', '含罚款时必填罚款金额');
  if (fine !== null && kind === 'penalty' && types.length && !unknown.length && !types.includes('fine'))
    err('fineFen', '处罚种类不含罚款（fine）时不能填罚款金额');
  const domain = (input.domain ?? 'general') as PenaltyDomain;
  if (!PENALTY_DOMAINS.includes(domain)) err('domain', `'${domain}' 不是 ${PENALTY_DOMAINS.join('、')} 之一`);
  const party = (input.partyType ?? 'organisation') as PartyType;
  if (!PARTY_TYPES.includes(party))
    err('partyType', `'${party}' 不是 organisation（单位）或 natural_person（自然人）`);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    facts: {
      kind,
      decisionDate: decisionDate!,
      publishedOn,
      procedure,
      penaltyTypes: [...new Set(types)] as PenaltyType[],
      fineFen: fine,
      domain,
      party,
    },
  };
}
