import { textProblem } from '../../common/text-check.js';
import type { FieldProblem } from '../../http/api-errors.js';
import type { Declarations } from './rules/eligibility.js';
import { REPAIR_TEXT_LIMITS } from './dto/repair.dto.js';

/** A repair application's text fields, normalised. */
export interface ApplicationInput {
  recordId: number;
  statement: string;
  declarations: Declarations;
}

const DECLARATIONS = ['obligationsFulfilled', 'harmRemoved', 'causeFixed'] as const;

/**
 * The one normalisation of an application's text fields (multipart from the API and the phone
 * page): recordId a positive whole number; statement trimmed, 1 to 2000 storable characters;
 * each declaration absent, 'true' or 'false' (also booleans).
 * @returns the input, or the problems naming each field
 */
export function applicationInput(raw: Record<string, unknown>): ApplicationInput | FieldProblem[] {
  const problems: FieldProblem[] = [];
  const idText =
    typeof raw.recordId === 'string' || typeof raw.recordId === 'number' ? String(raw.recordId).trim() : '';
  const recordId = /^[1-9][0-9]{0,15}$/.test(idText) ? Number(idText) : NaN;
  if (!Number.isSafeInteger(recordId))
    problems.push({ field: 'recordId', reason: '请指定要修复的信用记录（正整数编号）' });
  const statement = typeof raw.statement === 'string' ? raw.statement.trim() : '';
  if (!statement) problems.push({ field: 'statement', reason: '请填写情况说明' });
  else {
    const p = textProblem(statement, REPAIR_TEXT_LIMITS.statement);
    if (p) problems.push({ field: 'statement', reason: `情况说明${p}` });
  }
  const declarations: Declarations = {};
  for (const d of DECLARATIONS) {
    const v = raw[d];
    if (v === undefined || v === '') continue;
    if (v === true || v === 'true') declarations[d] = true;
    else if (v === false || v === 'false') declarations[d] = false;
    else problems.push({ field: d, reason: `must be 'true' or 'false', not '${String(v)}'` });
  }
  return problems.length ? problems : { recordId, statement, declarations };
}
