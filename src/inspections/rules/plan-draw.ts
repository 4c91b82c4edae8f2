import { ASSIGNMENT_ALGORITHM, assignInspectorsInSteps, type StaffedTask } from './inspector-assignment.js';
import { inspectableStatus, itemApplies } from './item-applicability.js';
import { createHash } from 'node:crypto';
import { continueShuffle, Sha256Stream, sha256Hex } from './sha256-stream.js';

/**
 * The draw of a plan's batch (双随机: targets per item and tier, then inspectors per task), as a
 * pure function of four frozen text documents and one seed, so that anybody holding the published
 * documents can recompute it (issue 11; domain.md 5.1-5.2; docs/draw-verification.md gives the
 * same rules for a reader and test vectors, checked by plan-draw.spec.ts).
 *
 * Commit and reveal:
 * - commitment = SHA-256 (hex, lower case) of the UTF-8 secret, stored and published before any
 *   public value is known;
 * - final seed = SHA-256 (hex) of the UTF-8 text `<secret>|<public value>`.
 *
 * The documents (UTF-8, every line ends with `\n`, no byte-order mark):
 * - `params`: canonical JSON (object keys in code-point order, no spaces) of DrawParams;
 * - `roster`: CSV `uscc,tier,industry,status,routine_checks_this_year`, one line per enterprise of
 *   the register, sorted by USCC in code-point order; tier and industry empty when unknown;
 * - `inspectors`: CSV `user_id,department,item_ids` (item ids ascending, joined by `;`), one line
 *   per inspector on the roster of a department of the plan, by user id;
 * - `recusals`: CSV `recusal_id,user_id,uscc`, the approved recusals of those inspectors, by id.
 * inputs digest = SHA-256 of `params=<d>\nroster=<d>\ninspectors=<d>\nrecusals=<d>\n` (d: each
 * document's SHA-256 hex).
 *
 * Targets (algorithm `plan-draw-fisher-yates-sha256/v1`), for each item in code order that is not
 * full-coverage, and each tier of the policy in code-point order whose ratio is above 0:
 * - eligible: roster lines, in file order, where the item applies to the industry (itemApplies),
 *   the status can be inspected (active, suspended), the tier is this tier and the routine checks
 *   of the year are below the tier's yearly cap;
 * - drawn = ceil(eligible x ratio), with the ratio in millionths (integer arithmetic);
 * - the first `drawn` positions of a Fisher-Yates shuffle of the eligible lines driven by
 *   Sha256Stream(final seed, `targets|<item code>|<tier>`); a replacement takes the next position
 *   of the same shuffle.
 * Full-coverage items are not drawn: their applicable, inspectable enterprises are counted apart
 * with the statutory checks a year (Shanghai 条例 art. 61).
 *
 * Tasks: one per (enterprise, department of the item) with the items drawn for it, key
 * `<uscc>|<department>`; inspectors by assignInspectors (inspector-assignment.ts) over every
 * inspector of the document and the approved recusals, seeded with the final seed, perTask from
 * the params, no starting load.
 *
 * Result: the text of lines `target,<item code>,<tier>,<position>,<uscc>` (strata in the order
 * above, positions ascending), then `task,<uscc>,<department>,<item codes>,<inspector ids>,<skipped>`
 * in key order (item codes and inspector ids joined by `;`, skipped as `<user id>:<recusal id>`
 * joined by `;`); result digest = its SHA-256.
 */
export const TARGETS_ALGORITHM = 'plan-draw-fisher-yates-sha256/v1';
/** The draw's algorithm as stored in plan_draw.algorithm: targets, then inspectors. */
export const PLAN_DRAW_ALGORITHM = `${TARGETS_ALGORITHM}+${ASSIGNMENT_ALGORITHM}`;
/** How the final seed is made, as the params document names it. */
export const FINAL_SEED_RULE = 'sha256(<secret>|<public value>)';

export const DOCUMENT_NAMES = ['params', 'roster', 'inspectors', 'recusals'] as const;
export type DocumentName = (typeof DOCUMENT_NAMES)[number];

export const ROSTER_HEADER = 'uscc,tier,industry,status,routine_checks_this_year';
export const INSPECTORS_HEADER = 'user_id,department,item_ids';
export const RECUSALS_HEADER = 'recusal_id,user_id,uscc';

/** One item of the plan as the draw sees it. */
export interface ParamsItem {
  id: number;
  code: string;
  department: string;
  /** GB/T 4754 codes or prefixes; empty: every industry */
  industries: string[];
  fullCoverage: boolean;
  /** statutory checks a year of a full-coverage item, else null */
  fullCoveragePerYear: number | null;
}

/** One tier of the policy: ratio as a decimal text with 6 decimals ("0.050000"), cap per year. */
export interface ParamsTier {
  tier: string;
  ratio: string;
  yearlyCap: number;
}

/** The `params` document. */
export interface DrawParams {
  algorithm: { targets: string; inspectors: string; finalSeed: string };
  plan: { id: number; planNo: string; version: number; year: number };
  batch: { id: number; seq: number; name: string; windowStart: string; windowEnd: string };
  /** sorted by code */
  items: ParamsItem[];
  /** sorted by tier (code point) */
  tiers: ParamsTier[];
  inspectorsPerTask: number;
  /** the day whose tiers the roster holds (YYYY-MM-DD) */
  tierDate: string;
  /** where the roster's tiers come from (see plan-draws.service.ts) */
  tierSource: string;
}

/** One roster line. */
export interface RosterEntry {
  uscc: string;
  tier: string | null;
  industry: string | null;
  status: string;
  routineChecks: number;
}

export interface InspectorEntry {
  userId: number;
  department: string;
  itemIds: number[];
}

export interface RecusalEntry {
  recusalId: number;
  userId: number;
  uscc: string;
}

/** A document that does not follow its format (line 1 is the header). */
export class DrawDocumentError extends Error {
  constructor(
    readonly document: DocumentName,
    readonly line: number,
    message: string,
  ) {
    super(`${document}, line ${line}: ${message}`);
    this.name = 'DrawDocumentError';
  }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with object keys in code-point order and no spaces (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('not a finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => byCodePoint(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The commitment of a secret: SHA-256 hex of its UTF-8 text. */
export const commitmentOf = (secret: string): string => sha256Hex(secret);

/** The final seed: SHA-256 hex of `<secret>|<public value>`. */
export const finalSeedOf = (secret: string, publicValue: string): string =>
  sha256Hex(`${secret}|${publicValue}`);

/** What is wrong with a secret (32 to 200 printable characters, none a control character), or null. */
export function secretProblem(secret: string): string | null {
  if (secret.length < 32)
    return 'at least 32 characters (a short secret could be guessed from its commitment)';
  if (secret.length > 200) return 'at most 200 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(secret)) return 'no control characters (line breaks, tabs)';
  return null;
}

/** The inputs digest over the four documents' digests (see the module comment). */
export function inputsDigest(digests: Readonly<Record<DocumentName, string>>): string {
  return sha256Hex(DOCUMENT_NAMES.map((n) => `${n}=${digests[n]}\n`).join(''));
}

/**
 * A ratio text ("0.05", "0.050000", "1") in millionths.
 * @throws RangeError when it is not a decimal from 0 to 1 with at most 6 decimals
 */
export function ratioPpm(ratio: string): number {
  const m = /^(0|1)(?:\.(\d{1,6}))?$/.exec(ratio);
  if (!m) throw new RangeError(`ratio '${ratio}' is not a decimal from 0 to 1 with at most 6 decimals`);
  const ppm = Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
  if (ppm > 1_000_000) throw new RangeError(`ratio '${ratio}' is above 1`);
  return ppm;
}

/** A ratio (number) as the params document writes it: 6 decimals. */
export const ratioText = (ratio: number): string => (Math.round(ratio * 1e6) / 1e6).toFixed(6);

/** ceil(eligible x ppm / 1,000,000) in integers. */
export const drawnCount = (eligible: number, ppm: number): number =>
  Math.floor((eligible * ppm + 999_999) / 1_000_000);

// ---------------------------------------------------------------- documents: writing

/** The `params` document of `p` (canonical JSON, items by code, tiers by tier). */
export function paramsDocument(p: DrawParams): string {
  return canonicalJson({
    ...p,
    items: [...p.items]
      .sort((a, b) => byCodePoint(a.code, b.code))
      .map((i) => ({ ...i, industries: [...i.industries].sort(byCodePoint) })),
    tiers: [...p.tiers].sort((a, b) => byCodePoint(a.tier, b.tier)),
  });
}

/** One roster line (without its `\n`). */
export const rosterLine = (r: RosterEntry): string =>
  `${r.uscc},${r.tier ?? ''},${r.industry ?? ''},${r.status},${r.routineChecks}`;

/** The `roster` document of `rows` (sorted here by USCC). */
export function rosterDocument(rows: readonly RosterEntry[]): string {
  const sorted = [...rows].sort((a, b) => byCodePoint(a.uscc, b.uscc));
  return [ROSTER_HEADER, ...sorted.map(rosterLine)].join('\n') + '\n';
}

/** The `inspectors` document (sorted here by user id, item ids ascending). */
export function inspectorsDocument(rows: readonly InspectorEntry[]): string {
  const sorted = [...rows].sort((a, b) => a.userId - b.userId);
  const lines = sorted.map(
    (i) => `${i.userId},${i.department},${[...new Set(i.itemIds)].sort((a, b) => a - b).join(';')}`,
  );
  return [INSPECTORS_HEADER, ...lines].join('\n') + '\n';
}

/** The `recusals` document (sorted here by recusal id). */
export function recusalsDocument(rows: readonly RecusalEntry[]): string {
  const sorted = [...rows].sort((a, b) => a.recusalId - b.recusalId);
  return [RECUSALS_HEADER, ...sorted.map((r) => `${r.recusalId},${r.userId},${r.uscc}`)].join('\n') + '\n';
}

// ---------------------------------------------------------------- documents: reading

/** The data lines of a CSV document after checking its header and final line break. */
function dataLines(name: DocumentName, text: string, header: string): string[] {
  if (!text.endsWith('\n')) throw new DrawDocumentError(name, 0, 'the last line must end with a line break');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== header) throw new DrawDocumentError(name, 1, `the header must be '${header}'`);
  lines.shift();
  return lines;
}

const POSITIVE_ID = /^[1-9][0-9]{0,15}$/;
const USCC = /^[0-9A-Z]{18}$/;
const TIER = /^[A-Za-z0-9_-]{1,20}$/;
const DEPARTMENT = /^[a-z][a-z0-9_]{0,39}$/;
const STATUS = /^[a-z_]{1,40}$/;

/**
 * Reads the `params` document.
 * @throws DrawDocumentError when it is not canonical JSON of DrawParams
 */
export function parseParams(text: string): DrawParams {
  let p: DrawParams;
  try {
    p = JSON.parse(text) as DrawParams;
  } catch {
    throw new DrawDocumentError('params', 1, 'not JSON');
  }
  const bad = (why: string) => new DrawDocumentError('params', 1, why);
  if (!p || typeof p !== 'object' || !Array.isArray(p.items) || !Array.isArray(p.tiers))
    throw bad('items and tiers must be arrays');
  if (!Number.isInteger(p.inspectorsPerTask) || p.inspectorsPerTask < 1)
    throw bad('inspectorsPerTask must be a positive integer');
  for (const t of p.tiers) {
    if (typeof t.tier !== 'string' || !TIER.test(t.tier))
      throw bad(`tier '${String(t.tier)}' is not a tier code`);
    ratioPpm(String(t.ratio));
    if (!Number.isInteger(t.yearlyCap) || t.yearlyCap < 0)
      throw bad(`tier ${t.tier}: yearlyCap must be an integer >= 0`);
  }
  for (const i of p.items)
    if (!Number.isSafeInteger(i.id) || typeof i.code !== 'string' || !Array.isArray(i.industries))
      throw bad(`item ${String(i.code)}: id, code and industries are required`);
  if (paramsDocument(p) !== text)
    throw bad('not in canonical form (keys sorted, no spaces, items by code, tiers by tier)');
  return p;
}

/** The roster, column by column (typed arrays: a million lines). */
export interface Roster {
  length: number;
  usccs: string[];
  /** index into the tiers given to parseRoster; 255: none or a tier the policy does not have */
  tier: Uint8Array;
  /** index into `industries` */
  industry: Int32Array;
  /** distinct industry codes, '' for none */
  industries: string[];
  /** 1 when the status can be inspected */
  inspectable: Uint8Array;
  routineChecks: Int32Array;
}

export const NO_TIER = 255;

/** The characters of a USCC (GB 32100: digits and capital letters without I, O, S, V, Z; checked loosely here: 0-9 A-Z). */
const isUsccChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/**
 * Reads the `roster` document: strict format, USCCs strictly ascending (code point). Reads the
 * text character by character (a million lines in a fraction of a second, no per-line strings
 * but the USCC).
 * @param tiers the policy's tiers (params.tiers order): the roster's tiers are indexed into it
 * @throws DrawDocumentError naming the line at fault
 */
export function parseRoster(text: string, tiers: readonly string[]): Roster {
  if (!text.endsWith('\n'))
    throw new DrawDocumentError('roster', 0, 'the last line must end with a line break');
  if (!text.startsWith(ROSTER_HEADER + '\n'))
    throw new DrawDocumentError('roster', 1, `the header must be '${ROSTER_HEADER}'`);
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  n--; // the header
  const r: Roster = {
    length: n,
    usccs: new Array<string>(n),
    tier: new Uint8Array(n),
    industry: new Int32Array(n),
    industries: [],
    inspectable: new Uint8Array(n),
    routineChecks: new Int32Array(n),
  };
  const industryIndex = new Map<number, number>();
  const statuses: { text: string; ok: boolean }[] = [];
  let pos = ROSTER_HEADER.length + 1;
  let previous = '';
  for (let i = 0; i < n; i++) {
    const bad = (why: string) => new DrawDocumentError('roster', i + 2, why);
    // uscc: 18 characters, then a comma
    for (let k = 0; k < 18; k++)
      if (!isUsccChar(text.charCodeAt(pos + k))) throw bad('the USCC must be 18 characters 0-9 A-Z');
    if (text.charCodeAt(pos + 18) !== 44) throw bad('the USCC must be 18 characters 0-9 A-Z');
    const uscc = text.slice(pos, pos + 18);
    if (uscc <= previous) throw bad(`USCCs must be strictly ascending ('${uscc}' after '${previous}')`);
    previous = uscc;
    r.usccs[i] = uscc;
    pos += 19;
    // tier: empty, a tier of the policy, or another tier code (not drawn)
    const tierEnd = text.indexOf(',', pos);
    if (tierEnd === -1) throw bad('5 fields expected');
    let t = NO_TIER;
    for (let k = 0; k < tiers.length; k++)
      if (tierEnd - pos === tiers[k]!.length && text.startsWith(tiers[k]!, pos)) {
        t = k;
        break;
      }
    if (t === NO_TIER && tierEnd > pos && !TIER.test(text.slice(pos, tierEnd))) throw bad('not a tier code');
    r.tier[i] = t;
    pos = tierEnd + 1;
    // industry: empty, or a letter A-T and 2 to 4 digits (encoded as a number: no string made)
    let len = 0;
    let key = 0;
    while (text.charCodeAt(pos + len) !== 44) {
      const c = text.charCodeAt(pos + len);
      if (len === 0 ? !(c >= 65 && c <= 84) : !(c >= 48 && c <= 57) || len > 4)
        throw bad('not a GB/T 4754 industry code');
      key = len === 0 ? c - 64 : key * 10 + (c - 48);
      len++;
    }
    if (len === 2) throw bad('not a GB/T 4754 industry code');
    key = key * 8 + len;
    let ind = industryIndex.get(key);
    if (ind === undefined) {
      ind = r.industries.length;
      r.industries.push(text.slice(pos, pos + len));
      industryIndex.set(key, ind);
    }
    r.industry[i] = ind;
    pos += len + 1;
    // status
    const statusEnd = text.indexOf(',', pos);
    if (statusEnd === -1) throw bad('5 fields expected');
    let status = statuses.find((x) => x.text.length === statusEnd - pos && text.startsWith(x.text, pos));
    if (!status) {
      const st = text.slice(pos, statusEnd);
      if (!STATUS.test(st)) throw bad(`'${st}' is not a status`);
      status = { text: st, ok: inspectableStatus(st) };
      statuses.push(status);
    }
    r.inspectable[i] = status.ok ? 1 : 0;
    pos = statusEnd + 1;
    // routine checks: 0, or 1 to 6 digits without a leading zero, then the line break
    let count = 0;
    let digits = 0;
    for (;;) {
      const c = text.charCodeAt(pos + digits);
      if (c === 10) break;
      if (!(c >= 48 && c <= 57) || digits > 5 || (digits === 1 && count === 0))
        throw bad('not a count of checks');
      count = count * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) throw bad('not a count of checks');
    r.routineChecks[i] = count;
    pos += digits + 1;
  }
  return r;
}

/** Reads the `inspectors` document. @throws DrawDocumentError naming the line at fault */
export function parseInspectors(text: string): InspectorEntry[] {
  const lines = dataLines('inspectors', text, INSPECTORS_HEADER);
  if (lines.length === 1 && lines[0] === '') return [];
  let previous = 0;
  return lines.map((line, i) => {
    const bad = (why: string) => new DrawDocumentError('inspectors', i + 2, why);
    const f = line.split(',');
    if (f.length !== 3) throw bad('3 fields expected');
    if (!POSITIVE_ID.test(f[0]!)) throw bad(`'${f[0]}' is not a user id`);
    const userId = Number(f[0]);
    if (userId <= previous) throw bad('user ids must be strictly ascending');
    previous = userId;
    if (!DEPARTMENT.test(f[1]!)) throw bad(`'${f[1]}' is not a department code`);
    const itemIds = f[2] === '' ? [] : f[2]!.split(';').map(Number);
    for (let k = 0; k < itemIds.length; k++)
      if (!Number.isSafeInteger(itemIds[k]) || itemIds[k]! < 1 || (k > 0 && itemIds[k]! <= itemIds[k - 1]!))
        throw bad('item ids must be positive integers, ascending, joined by ;');
    return { userId, department: f[1]!, itemIds };
  });
}

/** Reads the `recusals` document. @throws DrawDocumentError naming the line at fault */
export function parseRecusals(text: string): RecusalEntry[] {
  const lines = dataLines('recusals', text, RECUSALS_HEADER);
  if (lines.length === 1 && lines[0] === '') return [];
  let previous = 0;
  return lines.map((line, i) => {
    const bad = (why: string) => new DrawDocumentError('recusals', i + 2, why);
    const f = line.split(',');
    if (f.length !== 3 || !POSITIVE_ID.test(f[0]!) || !POSITIVE_ID.test(f[1]!) || !USCC.test(f[2]!))
      throw bad('recusal_id,user_id,uscc expected');
    const recusalId = Number(f[0]);
    if (recusalId <= previous) throw bad('recusal ids must be strictly ascending');
    previous = recusalId;
    return { recusalId, userId: Number(f[1]), uscc: f[2]! };
  });
}

/** The data lines of a document (its header not counted). */
export function documentLines(name: DocumentName, text: string): number {
  if (name === 'params') return 1;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return Math.max(0, n - 1);
}

// ---------------------------------------------------------------- the draw

/** The parsed inputs of a draw. */
export interface DrawInputs {
  params: DrawParams;
  roster: Roster;
  inspectors: InspectorEntry[];
  recusals: RecusalEntry[];
}

/**
 * Reads the four documents.
 * @throws DrawDocumentError naming the document and line at fault
 */
export function parseInputs(docs: Readonly<Record<DocumentName, string>>): DrawInputs {
  const params = parseParams(docs.params);
  return {
    params,
    roster: parseRoster(
      docs.roster,
      params.tiers.map((t) => t.tier),
    ),
    inspectors: parseInspectors(docs.inspectors),
    recusals: parseRecusals(docs.recusals),
  };
}

/** One item and tier of the draw: its figures and its shuffle (the first `drawn` positions are the targets). */
export interface Stratum {
  itemId: number;
  itemCode: string;
  department: string;
  tier: string;
  ratio: string;
  yearlyCap: number;
  /** enterprises of the tier the item applies to */
  applicable: number;
  /** of those: deregistered, revoked or moved out */
  notInspectable: number;
  /** of those: at the tier's yearly cap of routine checks */
  atCap: number;
  /** of those: in a tier the policy does not sample (ratio 0, e.g. A: 无事不扰) */
  ratioZero: number;
  eligible: number;
  drawn: number;
  /** roster indices of the eligible enterprises; positions 0..shuffled-1 are in shuffle order */
  order: Int32Array;
  /** how many positions have been shuffled */
  shuffled: number;
  stream: Sha256Stream;
}

/** A full-coverage item: not drawn, its enterprises counted apart with their statutory frequency. */
export interface FullCoverageCount {
  itemId: number;
  itemCode: string;
  department: string;
  /** applicable enterprises that can be inspected, every tier */
  enterprises: number;
  perYear: number | null;
}

/** The strata key `<item code>|<tier>`. */
export const stratumKey = (itemCode: string, tier: string): string => `${itemCode}|${tier}`;

/**
 * Every stratum of the draw (items by code, tiers by tier; full-coverage items apart) with its
 * first `drawn` positions shuffled, or more where `positions` asks (a stratum key -> how many
 * positions; replacements).
 */
export function drawStrata(
  inputs: DrawInputs,
  seed: string,
  positions: ReadonlyMap<string, number> = new Map(),
): {
  strata: Stratum[];
  fullCoverage: FullCoverageCount[];
  unclassified: { itemCode: string; enterprises: number }[];
} {
  const { params, roster } = inputs;
  const nTiers = params.tiers.length;
  const caps = Int32Array.from(params.tiers.map((t) => t.yearlyCap));
  const ppm = params.tiers.map((t) => ratioPpm(t.ratio));
  const strata: Stratum[] = [];
  const fullCoverage: FullCoverageCount[] = [];
  const unclassified: { itemCode: string; enterprises: number }[] = [];
  for (const item of params.items) {
    const applies = Uint8Array.from(
      roster.industries.map((ind) => (itemApplies(item.industries, ind || null) ? 1 : 0)),
    );
    if (item.fullCoverage) {
      let count = 0;
      for (let i = 0; i < roster.length; i++)
        if (applies[roster.industry[i]!] && roster.inspectable[i]) count++;
      fullCoverage.push({
        itemId: item.id,
        itemCode: item.code,
        department: item.department,
        enterprises: count,
        perYear: item.fullCoveragePerYear,
      });
      continue;
    }
    const applicable = new Int32Array(nTiers);
    const notInspectable = new Int32Array(nTiers);
    const atCap = new Int32Array(nTiers);
    const open = new Int32Array(nTiers);
    let none = 0;
    for (let i = 0; i < roster.length; i++) {
      if (!applies[roster.industry[i]!]) continue;
      const t = roster.tier[i]!;
      if (t === NO_TIER) {
        none++;
        continue;
      }
      applicable[t]!++;
      if (!roster.inspectable[i]) notInspectable[t]!++;
      else if (roster.routineChecks[i]! >= caps[t]!) atCap[t]!++;
      else open[t]!++;
    }
    unclassified.push({ itemCode: item.code, enterprises: none });
    const orders = params.tiers.map((_, t) => (ppm[t]! > 0 ? new Int32Array(open[t]!) : new Int32Array(0)));
    const fill = new Int32Array(nTiers);
    for (let i = 0; i < roster.length; i++) {
      if (!applies[roster.industry[i]!]) continue;
      const t = roster.tier[i]!;
      if (t === NO_TIER || ppm[t] === 0 || !roster.inspectable[i] || roster.routineChecks[i]! >= caps[t]!)
        continue;
      orders[t]![fill[t]!++] = i;
    }
    params.tiers.forEach((tier, t) => {
      const eligible = ppm[t]! > 0 ? open[t]! : 0;
      const drawn = drawnCount(eligible, ppm[t]!);
      const stream = new Sha256Stream(seed, `targets|${item.code}|${tier.tier}`);
      const order = orders[t]!;
      const shuffled = Math.min(
        eligible,
        Math.max(drawn, positions.get(stratumKey(item.code, tier.tier)) ?? 0),
      );
      continueShuffle(order, 0, shuffled, stream);
      strata.push({
        itemId: item.id,
        itemCode: item.code,
        department: item.department,
        tier: tier.tier,
        ratio: tier.ratio,
        yearlyCap: tier.yearlyCap,
        applicable: applicable[t]!,
        notInspectable: notInspectable[t]!,
        atCap: atCap[t]!,
        ratioZero: ppm[t]! > 0 ? 0 : open[t]!,
        eligible,
        drawn,
        order,
        shuffled,
        stream,
      });
    });
  }
  return { strata, fullCoverage, unclassified };
}

/** A routine task the draw makes: one enterprise, one department, the items drawn for it. */
export interface PlannedTask {
  key: string;
  rosterIndex: number;
  uscc: string;
  department: string;
  /** ascending */
  itemIds: number[];
}

/** Figures of a draw per item and tier, and in all (stored as plan_draw.summary). */
export interface DrawSummary {
  strata: Omit<Stratum, 'order' | 'shuffled' | 'stream'>[];
  unclassified: { itemCode: string; enterprises: number }[];
  fullCoverage: FullCoverageCount[];
  targets: number;
  enterprises: number;
  tasks: number;
  inspectors: number;
  skippedForRecusal: number;
}

/** Everything a draw gives. */
export interface DrawOutcome {
  strata: Stratum[];
  tasks: PlannedTask[];
  /** by task, in key order (the tasks' order too) */
  staffed: StaffedTask[];
  summary: DrawSummary;
  /** the canonical result (only with keepText) */
  resultText: string;
  resultDigest: string;
}

/** Binary search of a USCC in the roster: its index or -1. */
export function rosterIndexOf(roster: Roster, uscc: string): number {
  let lo = 0;
  let hi = roster.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = roster.usccs[mid]!;
    if (u === uscc) return mid;
    if (u < uscc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The approved recusals with the enterprise as its roster index (those of enterprises not on it dropped). */
export function recusalPairs(
  inputs: DrawInputs,
): { id: number; inspectorId: number; enterpriseId: number }[] {
  return inputs.recusals
    .map((r) => ({
      id: r.recusalId,
      inspectorId: r.userId,
      enterpriseId: rosterIndexOf(inputs.roster, r.uscc),
    }))
    .filter((r) => r.enterpriseId >= 0);
}

/**
 * The whole draw: targets, tasks, inspectors, the canonical result and its digest, the summary.
 * Tasks are made in roster order and department order, which is the code-point order of their
 * keys (USCCs have one length), so no sort is needed; the result is hashed as it is written.
 * @param keepText also return the result text (test vectors); else resultText is ''
 * @throws InspectorShortfallError (inspector-assignment.ts) naming each department short of inspectors
 */
export function runPlanDraw(inputs: DrawInputs, seed: string, keepText = false): DrawOutcome {
  const steps = drawInSteps(inputs, seed, keepText);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * What `drawInSteps` gives on its way: the strata (the targets are their first `drawn`
 * positions) with the number of tasks they make, then the tasks with their items (in key order,
 * inspectors not drawn yet); null is a pause (the caller may let other work go on before it
 * asks for more).
 */
export type DrawStep = { strata: Stratum[]; taskCount: number } | { tasks: PlannedTask[] } | null;

/** Targets or tasks written into the result between two pauses of `drawInSteps`. */
const DRAW_SLICE = 16384;

/**
 * `runPlanDraw` in steps, for a caller that writes the targets while the tasks are made and the
 * tasks while their inspectors are drawn (PlanDrawsService.run): yields the strata, then the
 * tasks, with pauses (null) every DRAW_SLICE targets or tasks; returns what runPlanDraw returns
 * (runPlanDraw is this generator run to its end).
 * @throws InspectorShortfallError (inspector-assignment.ts) naming each department short of inspectors
 */
export function* drawInSteps(
  inputs: DrawInputs,
  seed: string,
  keepText = false,
): Generator<DrawStep, DrawOutcome, void> {
  const { params, roster } = inputs;
  const { strata, fullCoverage, unclassified } = drawStrata(inputs, seed);
  const departments = [...new Set(params.items.map((i) => i.department))].sort(byCodePoint);
  const D = departments.length;
  const departmentIndex = new Map(departments.map((d, i) => [d, i]));
  // task slot = roster index x D + department index; taskOf: slot -> task number + 1
  const taskOf = new Int32Array(roster.length * D);
  let taskCount = 0;
  for (const s of strata) {
    const d = departmentIndex.get(s.department)!;
    for (let p = 0; p < s.drawn; p++) {
      const slot = s.order[p]! * D + d;
      if (!taskOf[slot]) taskCount++;
      taskOf[slot] = 1;
    }
  }
  yield { strata, taskCount };
  const tasks: PlannedTask[] = [];
  for (let slot = 0; slot < taskOf.length; slot++)
    if (taskOf[slot]) {
      if (tasks.length % DRAW_SLICE === DRAW_SLICE - 1) yield null;
      const idx = (slot / D) | 0;
      const department = departments[slot - idx * D]!;
      const uscc = roster.usccs[idx]!;
      tasks.push({ key: `${uscc}|${department}`, rosterIndex: idx, uscc, department, itemIds: [] });
      taskOf[slot] = tasks.length;
    }
  const hash = createHash('sha256');
  const kept: string[] = [];
  let buffer = '';
  const write = (line: string) => {
    buffer += line;
    if (buffer.length > 65536) {
      hash.update(buffer);
      if (keepText) kept.push(buffer);
      buffer = '';
    }
  };
  let targets = 0;
  for (const s of strata) {
    const d = departmentIndex.get(s.department)!;
    for (let p = 0; p < s.drawn; p++) {
      const ids = tasks[taskOf[s.order[p]! * D + d]! - 1]!.itemIds;
      if (!ids.includes(s.itemId)) ids.push(s.itemId);
    }
    targets += s.drawn;
  }
  for (const t of tasks) if (t.itemIds.length > 1) t.itemIds.sort((a, b) => a - b);
  yield { tasks };
  // the result: the targets, then the tasks with their inspectors
  let written = 0;
  for (const s of strata) {
    const prefix = `target,${s.itemCode},${s.tier},`;
    for (let p = 0; p < s.drawn; p++) {
      if (++written % DRAW_SLICE === 0) yield null;
      write(`${prefix}${p + 1},${roster.usccs[s.order[p]!]}\n`);
    }
  }
  const staffed = yield* assignInspectorsInSteps(
    tasks.map((t) => ({
      key: t.key,
      enterpriseId: t.rosterIndex,
      department: t.department,
      itemIds: t.itemIds,
    })),
    inputs.inspectors,
    recusalPairs(inputs),
    seed,
    params.inspectorsPerTask,
  );
  const codeOf = new Map(params.items.map((i) => [i.id, i.code]));
  const assigned = new Set<number>();
  let skipped = 0;
  for (let i = 0; i < tasks.length; i++) {
    if (i % DRAW_SLICE === DRAW_SLICE - 1) yield null;
    const t = tasks[i]!;
    const s = staffed[i]!;
    for (const u of s.inspectors) assigned.add(u);
    skipped += s.skipped.length;
    const codes =
      t.itemIds.length === 1 ? codeOf.get(t.itemIds[0]!) : t.itemIds.map((id) => codeOf.get(id)).join(';');
    write(
      `task,${t.key.replace('|', ',')},${codes},${s.inspectors.join(';')},${s.skipped.map((k) => `${k.userId}:${k.recusalId}`).join(';')}\n`,
    );
  }
  hash.update(buffer);
  if (keepText) kept.push(buffer);
  return {
    strata,
    tasks,
    staffed,
    summary: {
      strata: strata.map(({ order: _o, shuffled: _s, stream: _st, ...figures }) => figures),
      unclassified,
      fullCoverage,
      targets,
      enterprises: new Set(tasks.map((t) => t.rosterIndex)).size,
      tasks: tasks.length,
      inspectors: assigned.size,
      skippedForRecusal: skipped,
    },
    resultText: kept.join(''),
    resultDigest: hash.digest('hex'),
  };
}

/**
 * The enterprise at 1-based `position` of the shuffle of one item and tier (a replacement takes
 * max position + 1): the same shuffle continued, never a fresh one.
 * @returns its roster index, or null when the stratum has fewer eligible enterprises (or none such)
 */
export function positionInShuffle(
  inputs: DrawInputs,
  seed: string,
  itemCode: string,
  tier: string,
  position: number,
): number | null {
  const item = inputs.params.items.find((i) => i.code === itemCode && !i.fullCoverage);
  if (!item || !inputs.params.tiers.some((t) => t.tier === tier)) return null;
  const only: DrawInputs = { ...inputs, params: { ...inputs.params, items: [item] } };
  const s = drawStrata(only, seed, new Map([[stratumKey(itemCode, tier), position]])).strata.find(
    (x) => x.tier === tier,
  )!;
  return position >= 1 && position <= s.shuffled ? s.order[position - 1]! : null;
}

/**
 * What would make a committed draw impossible to run, found at the commitment so that a batch
 * never ends up with a draw that cannot be drawn (one draw per batch): a roster in which no
 * enterprise has a tier of the policy (a tier date before any scoring), and a department of the
 * plan with fewer than `inspectorsPerTask` inspectors qualified for every one of its items (a task
 * may hold all of them: issue 11 "Not enough inspectors"). Recusals can still leave one task short
 * at the run (a 422 naming the department then).
 * @returns the problems as 422 fields (`tierDate`, `inspectors.<department>`), none when it can run
 */
export function commitProblems(inputs: DrawInputs): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  const { params, roster, inspectors } = inputs;
  let tiered = false;
  for (let i = 0; i < roster.length && !tiered; i++) if (roster.tier[i] !== NO_TIER) tiered = true;
  if (!tiered)
    problems.push({
      field: 'tierDate',
      reason: `no enterprise has a tier as of ${params.tierDate}: nothing could be drawn`,
    });
  const itemsOf = new Map<string, ParamsItem[]>();
  for (const item of params.items)
    if (!item.fullCoverage) itemsOf.set(item.department, [...(itemsOf.get(item.department) ?? []), item]);
  for (const [department, items] of [...itemsOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const qualified = inspectors.filter(
      (i) => i.department === department && items.every((item) => i.itemIds.includes(item.id)),
    ).length;
    if (qualified < params.inspectorsPerTask)
      problems.push({
        field: `inspectors.${department}`,
        reason: `only ${qualified} inspector(s) of ${department} on the roster are qualified for all of its items in the plan (${items
          .map((i) => i.code)
          .join(
            ', ',
          )}); a task holding them all needs ${params.inspectorsPerTask}: qualify more inspectors before committing`,
      });
  }
  return problems;
}
