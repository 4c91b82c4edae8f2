/**
 * The rules of the item list (随机抽查事项清单), the inspector roster (执法检查人员名录库) and
 * recusal (回避) declarations (issue 11 "Lists and rosters"; domain.md 5.1). Pure: the API's
 * bodies and the CSV importers' rows go through the same checks with the same limits, so a value
 * refused by one is refused by the other with the same reason.
 */
import { DEPARTMENTS, INSPECTING_DEPARTMENTS, type Role } from '../../../auth/roles.js';
import { textProblem } from '../../../common/text-check.js';
import { INDUSTRY_PREFIX } from '../../rules/item-applicability.js';

/** One field at fault, named as the API or the CSV names it (`requirements[2]`, `legal_basis`). */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** How an item is checked: on site, on documents sent in, or on data the bureau holds (domain.md 5.3: no visit where documents or data suffice). */
export const CHECK_METHODS = ['on_site', 'documents', 'data'] as const;
export type CheckMethod = (typeof CHECK_METHODS)[number];

/** Chinese names of the check methods, also accepted in a CSV cell. */
export const CHECK_METHOD_LABELS: Record<CheckMethod, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/**
 * Limits of an item's fields (characters; counts of list entries). One definition for the DTOs
 * (@IsLimitedText) and the CSV rows.
 */
export const ITEM_LIMITS = {
  code: 40,
  name: 100,
  legalBasis: 500,
  requirement: 300,
  requirements: 50,
  industries: 50,
  /** statutory checks a year of a full-coverage item, at most (weekly) */
  perYear: 52,
} as const;

/** The code pattern the schema enforces (inspection_item.code): a letter or digit, then up to 39 of A-Z a-z 0-9 . _ - */
export const ITEM_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** An item as stored and answered (ItemView without the id). */
export interface ItemInput {
  code: string;
  name: string;
  department: string;
  legalBasis: string;
  checkMethod: CheckMethod;
  /** GB/T 4754 section letters or codes of 2-4 digits after the letter; empty: every industry */
  industries: string[];
  /** the checklist lines an inspector checks, in order (at least one) */
  requirements: string[];
  fullCoverage: boolean;
  /** statutory checks a year (Shanghai 优化营商环境条例 art. 61), only for a full-coverage item */
  fullCoveragePerYear: number | null;
  active: boolean;
}

/** Items and the roster belong to departments that inspect (roles.ts INSPECTING_DEPARTMENTS). */
const isDepartment = (d: unknown): d is string => typeof d === 'string' && INSPECTING_DEPARTMENTS.includes(d);

function textField(
  problems: FieldProblem[],
  field: string,
  value: unknown,
  max: number,
  required = true,
): void {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) problems.push({ field, reason: 'required' });
    return;
  }
  if (typeof value !== 'string') {
    problems.push({ field, reason: 'must be text' });
    return;
  }
  const p = textProblem(value, max);
  if (p) problems.push({ field, reason: p });
}

/**
 * Every problem of a complete item (a new one, or a stored one with a change applied): code
 * pattern, texts within ITEM_LIMITS, a known department (roles.ts DEPARTMENTS), a check method,
 * industries as GB/T 4754 prefixes (item-applicability.ts INDUSTRY_PREFIX) without repeats, at
 * least one requirement and no repeated one, and `fullCoveragePerYear` an integer 1..52 exactly
 * when `fullCoverage` (the schema's inspection_item_coverage).
 * @param names the field names to report under (the CSV's column names), by API name
 * @returns one problem per field (list entries by index: `requirements[1]`), empty when valid
 */
export function itemProblems(
  item: ItemInput,
  names: Partial<Record<keyof ItemInput, string>> = {},
): FieldProblem[] {
  const n = (k: keyof ItemInput) => names[k] ?? k;
  const problems: FieldProblem[] = [];
  if (typeof item.code !== 'string' || !ITEM_CODE.test(item.code))
    problems.push({
      field: n('code'),
      reason: `must be 1-${ITEM_LIMITS.code} of A-Z a-z 0-9 . _ - starting with a letter or digit (e.g. YP-SC-01)`,
    });
  textField(problems, n('name'), item.name, ITEM_LIMITS.name);
  if (item.department === undefined || item.department === '')
    problems.push({ field: n('department'), reason: 'required' });
  else if (!isDepartment(item.department))
    problems.push({
      field: n('department'),
      reason: `unknown department '${String(item.department)}' (one of ${INSPECTING_DEPARTMENTS.join(', ')})`,
    });
  textField(problems, n('legalBasis'), item.legalBasis, ITEM_LIMITS.legalBasis);
  if (!(CHECK_METHODS as readonly string[]).includes(item.checkMethod))
    problems.push({
      field: n('checkMethod'),
      reason: item.checkMethod ? `must be one of ${CHECK_METHODS.join(', ')}` : 'required',
    });
  if (!Array.isArray(item.industries)) problems.push({ field: n('industries'), reason: 'must be a list' });
  else {
    if (item.industries.length > ITEM_LIMITS.industries)
      problems.push({ field: n('industries'), reason: `at most ${ITEM_LIMITS.industries} industries` });
    item.industries.forEach((code, i) => {
      if (typeof code !== 'string' || !INDUSTRY_PREFIX.test(code))
        problems.push({
          field: `${n('industries')}[${i}]`,
          reason: `'${String(code)}' is not a GB/T 4754 industry: a section letter A-T, or the letter and 2-4 digits (H62, F5229)`,
        });
      else if (item.industries.indexOf(code) !== i)
        problems.push({ field: `${n('industries')}[${i}]`, reason: `'${code}' given twice` });
    });
  }
  if (!Array.isArray(item.requirements))
    problems.push({ field: n('requirements'), reason: 'must be a list' });
  else {
    if (item.requirements.length === 0)
      problems.push({
        field: n('requirements'),
        reason: 'at least one compliance requirement (a checklist line)',
      });
    if (item.requirements.length > ITEM_LIMITS.requirements)
      problems.push({ field: n('requirements'), reason: `at most ${ITEM_LIMITS.requirements} requirements` });
    item.requirements.forEach((line, i) => {
      const before = problems.length;
      textField(problems, `${n('requirements')}[${i}]`, line, ITEM_LIMITS.requirement);
      if (problems.length === before && item.requirements.indexOf(line) !== i)
        problems.push({ field: `${n('requirements')}[${i}]`, reason: 'the same requirement given twice' });
    });
  }
  if (typeof item.fullCoverage !== 'boolean')
    problems.push({ field: n('fullCoverage'), reason: 'must be true or false' });
  else if (item.fullCoverage) {
    const y = item.fullCoveragePerYear;
    if (y === null || y === undefined)
      problems.push({
        field: n('fullCoveragePerYear'),
        reason: 'required for a full-coverage item: its statutory checks a year (Shanghai 条例 art. 61)',
      });
    else if (!Number.isInteger(y) || y < 1 || y > ITEM_LIMITS.perYear)
      problems.push({
        field: n('fullCoveragePerYear'),
        reason: `must be an integer from 1 to ${ITEM_LIMITS.perYear}`,
      });
  } else if (item.fullCoveragePerYear !== null && item.fullCoveragePerYear !== undefined)
    problems.push({
      field: n('fullCoveragePerYear'),
      reason: 'only for a full-coverage item (fullCoverage true); leave it empty',
    });
  if (typeof item.active !== 'boolean')
    problems.push({ field: n('active'), reason: 'must be true or false' });
  return problems;
}

/** The fields of an item that may change; the code never does (plans, tasks and draws name items by it). */
export const ITEM_EDITABLE = [
  'name',
  'department',
  'legalBasis',
  'checkMethod',
  'industries',
  'requirements',
  'fullCoverage',
  'fullCoveragePerYear',
  'active',
] as const satisfies readonly (keyof ItemInput)[];

/** The fields of a change that differ from the stored item (lists compared entry by entry). */
export function changedItemFields(stored: ItemInput, next: ItemInput): (keyof ItemInput)[] {
  return ITEM_EDITABLE.filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(next[k]));
}

/**
 * What may not change on an item that a published (or superseded) plan lists: everything but
 * `active`. A published plan is immutable (issue 11): its items' department, legal basis, method,
 * industries, checklist and coverage are part of what was published; a changed item is a new item
 * with a new code, and the old one is deactivated. Its department never changes either once
 * inspectors are qualified for it (qualifications are per department).
 * @returns the refusal (for a 409), or null when the change may be stored
 */
export function lockedItemChange(
  changed: readonly (keyof ItemInput)[],
  publishedPlanNo: string | null,
  qualifiedInspectors: number,
): string | null {
  const content = changed.filter((k) => k !== 'active');
  if (publishedPlanNo && content.length)
    return `item is listed by published plan ${publishedPlanNo}: only 'active' may change (not ${content.join(', ')}); publish a new item with a new code and deactivate this one`;
  if (changed.includes('department') && qualifiedInspectors > 0)
    return `${qualifiedInspectors} inspector(s) are qualified for this item in its department: remove their qualifications before moving it to another department`;
  return null;
}

/** Separators of a list of codes in a CSV cell: `;` `；` `|` `,` `，` `、` or white space. */
const CODE_SEPARATORS = /[;；|,，、\s]+/;
/** Separators of a list of texts (requirements, areas) in a CSV cell: `|` or a line break. */
const TEXT_SEPARATORS = /\s*(?:\||\r?\n)\s*/;

/** The codes of a CSV cell (`H62; F5229`), trimmed, empty ones dropped. */
export function splitCodes(cell: string | undefined): string[] {
  return (cell ?? '').split(CODE_SEPARATORS).filter((s) => s !== '');
}

/** The texts of a CSV cell (`一|二`, or one per line in a quoted cell), trimmed, empty ones dropped. */
export function splitTexts(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(TEXT_SEPARATORS)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const TRUE = new Set(['true', '1', 'yes', 'y', '是', '全覆盖', 'on']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '']);

/**
 * A yes/no CSV cell: true/1/yes/是 or false/0/no/否 (case-insensitive); empty gives `empty`.
 * @returns the value, or undefined when the cell is neither
 */
export function parseFlag(cell: string | undefined, empty: boolean): boolean | undefined {
  const v = (cell ?? '').trim().toLowerCase();
  if (v === '') return empty;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

/** A department cell: its code (`market`) or its name (`市场监督管理局`, with or without the district before it). */
export function parseDepartment(cell: string | undefined): string {
  const v = (cell ?? '').trim();
  if (Object.hasOwn(DEPARTMENTS, v)) return v;
  const byName = Object.entries(DEPARTMENTS).find(([, name]) => v.endsWith(name));
  return byName ? byName[0] : v;
}

/** A check-method cell: its code or its Chinese name (现场检查, 书面检查, 数据核查). */
export function parseCheckMethod(cell: string | undefined): string {
  const v = (cell ?? '').trim();
  const byName = Object.entries(CHECK_METHOD_LABELS).find(([, name]) => name === v);
  return byName ? byName[0] : v;
}

/** Columns of an item CSV (docs/import-formats.md "Inspection items"). */
export const ITEM_CSV_REQUIRED = [
  'code',
  'name',
  'department',
  'legal_basis',
  'check_method',
  'requirements',
] as const;
export const ITEM_CSV_OPTIONAL = ['industries', 'full_coverage', 'full_coverage_per_year', 'active'] as const;

/** The CSV column of each item field. */
export const ITEM_CSV_COLUMNS: Record<keyof ItemInput, string> = {
  code: 'code',
  name: 'name',
  department: 'department',
  legalBasis: 'legal_basis',
  checkMethod: 'check_method',
  industries: 'industries',
  requirements: 'requirements',
  fullCoverage: 'full_coverage',
  fullCoveragePerYear: 'full_coverage_per_year',
  active: 'active',
};

/**
 * One row of an item CSV as an item, checked by `itemProblems` (problems named by column).
 * Cells: industries as codes separated by `;` (or `|`, `,`, spaces), requirements separated by `|`
 * or line breaks, full_coverage and active yes/no (是/否; empty: not full-coverage, active),
 * full_coverage_per_year an integer or empty, department and check_method by code or Chinese name.
 */
export function itemFromRow(values: Record<string, string>): { item: ItemInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fullCoverage = parseFlag(values.full_coverage, false);
  if (fullCoverage === undefined)
    problems.push({ field: 'full_coverage', reason: 'must be true or false (是/否)' });
  const active = parseFlag(values.active, true);
  if (active === undefined) problems.push({ field: 'active', reason: 'must be true or false (是/否)' });
  const perYearCell = (values.full_coverage_per_year ?? '').trim();
  let perYear: number | null = null;
  if (perYearCell !== '') {
    perYear = /^[0-9]{1,6}$/.test(perYearCell) ? Number(perYearCell) : NaN;
    if (Number.isNaN(perYear)) {
      problems.push({ field: 'full_coverage_per_year', reason: `'${perYearCell}' is not a whole number` });
      perYear = null;
    }
  }
  const item: ItemInput = {
    code: (values.code ?? '').trim(),
    name: (values.name ?? '').trim(),
    department: parseDepartment(values.department),
    legalBasis: (values.legal_basis ?? '').trim(),
    checkMethod: parseCheckMethod(values.check_method) as CheckMethod,
    industries: splitCodes(values.industries).map((c) => c.toUpperCase()),
    requirements: splitTexts(values.requirements),
    fullCoverage: fullCoverage ?? false,
    fullCoveragePerYear: perYear,
    active: active ?? true,
  };
  const own = itemProblems(item, ITEM_CSV_COLUMNS).filter(
    (p) =>
      !problems.some((q) => q.field === p.field) &&
      !(fullCoverage === undefined && p.field === 'full_coverage_per_year'),
  );
  return { item, problems: [...problems, ...own] };
}

// ---- the inspector roster ----

/** Limits of a roster entry: streets (街道) covered, and their length. */
export const ROSTER_LIMITS = { areas: 30, area: 50 } as const;

/** An item as a qualification check sees it. */
export interface QualifiableItem {
  id: number;
  code: string;
  department: string;
  active: boolean;
}

/**
 * Checks the items an inspector of `department` is to be qualified for (the draw takes a task's
 * inspectors from the task's department among those qualified for all its items, so a
 * qualification outside the inspector's own department would never be used): each code known,
 * of the inspector's department, active unless already held, and not repeated.
 * @param known the items by code
 * @param held item ids the inspector holds now (an item deactivated since stays allowed)
 * @param field the field name for the problems (`itemCodes`, or the CSV column `items`)
 * @returns the item ids, in the order given, and one problem per code at fault
 */
export function qualificationProblems(
  department: string,
  codes: readonly string[],
  known: ReadonlyMap<string, QualifiableItem>,
  held: ReadonlySet<number>,
  field = 'itemCodes',
): { itemIds: number[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const itemIds: number[] = [];
  codes.forEach((code, i) => {
    const at = `${field}[${i}]`;
    const item = known.get(code);
    if (!item) problems.push({ field: at, reason: `unknown item '${code}' (not in the item list)` });
    else if (codes.indexOf(code) !== i) problems.push({ field: at, reason: `'${code}' given twice` });
    else if (item.department !== department)
      problems.push({
        field: at,
        reason: `item ${code} belongs to department ${item.department}, the inspector to ${department}: inspectors are qualified for their own department's items`,
      });
    else if (!item.active && !held.has(item.id))
      problems.push({ field: at, reason: `item ${code} is deactivated: no new qualification for it` });
    else itemIds.push(item.id);
  });
  return { itemIds, problems };
}

/** Every problem of a list of streets (街道) an inspector covers: storable texts of at most 50 characters, at most 30, no repeats. */
export function areaProblems(areas: readonly unknown[], field = 'areas'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (areas.length > ROSTER_LIMITS.areas)
    problems.push({ field, reason: `at most ${ROSTER_LIMITS.areas} areas` });
  areas.forEach((a, i) => {
    const before = problems.length;
    textField(problems, `${field}[${i}]`, a, ROSTER_LIMITS.area);
    if (problems.length === before && areas.indexOf(a) !== i)
      problems.push({ field: `${field}[${i}]`, reason: `'${String(a)}' given twice` });
  });
  return problems;
}

/** Columns of an inspector roster CSV (docs/import-formats.md "Inspector roster"): username or credential_no names the user. */
export const ROSTER_CSV_REQUIRED = ['department'] as const;
export const ROSTER_CSV_OPTIONAL = ['username', 'credential_no', 'items', 'areas', 'on_roster'] as const;

/** A roster CSV row as read, before the user and items are looked up. */
export interface RosterRow {
  username: string | null;
  credentialNo: string | null;
  department: string;
  /** null: the column is absent (qualifications unchanged) */
  itemCodes: string[] | null;
  areas: string[] | null;
  onRoster: boolean | null;
}

/**
 * One row of a roster CSV: the user by `username` or `credential_no` (at least one; both must
 * name the same user, checked on look-up), `department` (code or name), `items` (codes separated
 * by `;`), `areas` (streets separated by `|` or `;`), `on_roster` yes/no (empty: yes). A column the
 * file does not have leaves that part of the profile as it is.
 */
export function rosterFromRow(
  values: Record<string, string>,
  header: readonly string[],
): { row: RosterRow; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const username = (values.username ?? '').trim() || null;
  const credentialNo = (values.credential_no ?? '').trim() || null;
  if (!username && !credentialNo)
    problems.push({
      field: header.includes('username') ? 'username' : 'credential_no',
      reason: 'the inspector is named by username or credential_no (执法证号): both are empty',
    });
  const department = parseDepartment(values.department);
  if (!isDepartment(department))
    problems.push({ field: 'department', reason: `unknown department '${values.department ?? ''}'` });
  const onRoster = header.includes('on_roster') ? parseFlag(values.on_roster, true) : null;
  if (onRoster === undefined) problems.push({ field: 'on_roster', reason: 'must be true or false (是/否)' });
  const areas = header.includes('areas')
    ? (values.areas ?? '')
        .split(/\s*[|;；、\r\n]\s*/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : null;
  if (areas) problems.push(...areaProblems(areas, 'areas'));
  return {
    row: {
      username,
      credentialNo,
      department,
      itemCodes: header.includes('items') ? splitCodes(values.items) : null,
      areas,
      onRoster: onRoster ?? null,
    },
    problems,
  };
}

// ---- recusal (回避) ----

/** Limits of a recusal's texts (characters). */
export const RECUSAL_LIMITS = { reason: 500, note: 500 } as const;

export const RECUSAL_SOURCES = ['inspector', 'enterprise', 'regulator'] as const;
export type RecusalSource = (typeof RECUSAL_SOURCES)[number];
export const RECUSAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RecusalStatus = (typeof RECUSAL_STATUSES)[number];
export const RECUSAL_DECISIONS = ['approved', 'rejected'] as const;

/** The body of a new declaration, all roles' fields together (POST /api/recusals). */
export interface RecusalBody {
  inspectorUserId?: number;
  inspectorCredentialNo?: string;
  enterpriseUscc?: string;
  reason?: string;
  source?: string;
}

/**
 * Which fields each role gives when it declares a conflict (回避, domain.md 5.1: an inspector
 * withdraws on their own or on the enterprise's request; a regulator may record one it knows of):
 * - inspector: `enterpriseUscc`, `reason` (the inspector is the signed-in user);
 * - regulator: `inspectorUserId`, `enterpriseUscc`, `reason`, `source: 'regulator'`;
 * - enterprise: `inspectorCredentialNo` (the number on the inspection code), `reason` (the
 *   enterprise is the user's own).
 */
export const RECUSAL_FIELDS: Record<
  'inspector' | 'regulator' | 'enterprise',
  readonly (keyof RecusalBody)[]
> = {
  inspector: ['enterpriseUscc', 'reason'],
  regulator: ['inspectorUserId', 'enterpriseUscc', 'reason', 'source'],
  enterprise: ['inspectorCredentialNo', 'reason'],
};

/**
 * Every problem of a declaration's body for `role`: a field the role does not give, a missing
 * one, a reason that is empty or too long, a regulator's `source` other than 'regulator'.
 * @returns the source the declaration is stored with, and the problems by field
 */
export function recusalBodyProblems(
  role: Role,
  body: RecusalBody,
): { source: RecusalSource | null; problems: FieldProblem[] } {
  if (role !== 'inspector' && role !== 'regulator' && role !== 'enterprise')
    return { source: null, problems: [{ field: '(role)', reason: `a ${role} does not declare conflicts` }] };
  const own = RECUSAL_FIELDS[role];
  const problems: FieldProblem[] = [];
  for (const k of Object.keys(body) as (keyof RecusalBody)[])
    if (body[k] !== undefined && !own.includes(k))
      problems.push({ field: k, reason: `not given by a user of role ${role} (fields: ${own.join(', ')})` });
  for (const k of own)
    if (body[k] === undefined || body[k] === '') problems.push({ field: k, reason: 'required' });
  if (typeof body.reason === 'string' && body.reason !== '') {
    const p = body.reason.trim() === '' ? 'required' : textProblem(body.reason, RECUSAL_LIMITS.reason);
    if (p) problems.push({ field: 'reason', reason: p });
  }
  if (role === 'regulator' && body.source !== undefined && body.source !== 'regulator')
    problems.push({ field: 'source', reason: "a regulator records a declaration with source 'regulator'" });
  return { source: role, problems };
}

/**
 * Whether `reviewer` may decide a declaration about an inspector of `inspectorDepartment`: a
 * regulator of that department only (the department answers for its inspectors' impartiality),
 * and not the regulator who recorded it (four eyes).
 * @returns the refusal (for a 403, audited), or null
 */
export function reviewRefusal(
  reviewer: { id: number; role: Role; department: string | null },
  inspectorDepartment: string | null,
  requestedBy: number | null,
): string | null {
  if (reviewer.role !== 'regulator')
    return `only a regulator reviews recusal declarations, not a ${reviewer.role}`;
  if (reviewer.department !== inspectorDepartment)
    return `a regulator of ${reviewer.department} reviews declarations about inspectors of ${reviewer.department} only, not of ${inspectorDepartment}`;
  // four eyes: one regulator alone could otherwise take a chosen inspector off an enterprise's tasks
  if (requestedBy !== null && requestedBy === reviewer.id)
    return 'a declaration is decided by a regulator other than the one who recorded it';
  return null;
}

/**
 * Every problem of a review: a decision approved or rejected, a note within its limit and required
 * for a rejection (the requester is told why).
 */
export function reviewProblems(decision: unknown, note: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(RECUSAL_DECISIONS as readonly unknown[]).includes(decision))
    problems.push({ field: 'decision', reason: `must be one of ${RECUSAL_DECISIONS.join(', ')}` });
  const text = typeof note === 'string' ? note : '';
  if (note !== undefined && note !== null && typeof note !== 'string')
    problems.push({ field: 'note', reason: 'must be text' });
  else if (decision === 'rejected' && text.trim() === '')
    problems.push({ field: 'note', reason: 'required when rejecting: the reason the requester is told' });
  else {
    const p = text ? textProblem(text, RECUSAL_LIMITS.note) : null;
    if (p) problems.push({ field: 'note', reason: p });
  }
  return problems;
}
