/**
 * The one normalisation of a penalty decision (行政处罚决定 / 列入严重违法失信名单决定) for every input
 * path: the API (POST /api/penalty-decisions and its preview), the workbench form and the CSV
 * import all call `checkPenaltyDecision`, so they accept exactly the same decisions. Pure: no
 * framework, no clock (`today` is a parameter). Reasons are in Chinese: the pages show them as
 * they are, naming the field (the CSV import adds the row and line).
 *
 * Rules (domain.md 3.2, 3.5, 5.5; 行政处罚法 第九条、第三十二条、第三十三条):
 * - decisionNo 4-80 characters; kind penalty | serious_listing; enterpriseUscc a valid USCC
 *   (GB 32100-2015); partyType organisation | natural_person; decisionDate a date, not after today
 *   (not before the enterprise was established: the service checks that against the register);
 * - procedure summary | general (a serious listing: general); penaltyTypes codes of PENALTY_TYPES
 *   or their Chinese names (unknown ones are named); fineFen a plain decimal whole number of fen,
 *   0 .. MAX_AMOUNT_FEN (10^12 fen = 100亿元; common/amount-fen.ts), required with 'fine' and
 *   refused without it; confiscatedFen likewise, optional with 'confiscation' and refused without
 *   it; a serious listing takes no penalty types, fine or confiscation (the penalty behind it is
 *   its own decision);
 * - domain one of PENALTY_DOMAINS (it decides the repair wait: food, drugs... 1 year);
 * - outcome penalty | no_penalty (不予处罚) | first_offence (首违不罚) | mitigated (减轻) | lighter
 *   (从轻); every outcome but penalty names its lenientMatterCode, an entry of that outcome's own
 *   list in force on the decision date (lenient-lists.ts); no_penalty and first_offence record the
 *   education given (educationGiven) and carry no penalty types nor fine; a serious listing is
 *   always outcome penalty;
 * - violation, legalBasis required texts; the free texts the documents print (PRINTED_FIELDS) only
 *   of characters the documents' font has (the `printable` predicate passed in); regimeCode optional (an alternative regime: the service
 *   checks it is in force on the date);
 * - delivery { channel in_person | post | electronic | announcement | entrusted, deliveredOn
 *   (default today; not before the decision, not after today), recipient, withNotice (default true:
 *   both documents together), exceptionReason (required when withNotice is false) }.
 */
import { DateParseError, readSourceDate } from '../../common/chinese-date.js';
import { readAmountFen } from '../../common/amount-fen.js';
import { textProblem } from '../../common/text-check.js';
import { buildUscc, parseUscc } from '../../common/uscc.js';
import {
  PENALTY_PROCEDURES,
  PENALTY_TYPES,
  type PenaltyProcedure,
  type PenaltyType,
} from '../../credit/rules/record-kinds.js';
import { LENIENT_MATTERS, type LenientMatter, lenientMatterProblem } from './lenient-lists.js';
import {
  DECISION_KINDS,
  type DecisionFacts,
  type DecisionKind,
  PARTY_TYPES,
  PENALTY_DOMAINS,
  type PartyType,
  type PenaltyDomain,
  penaltyTypeLabel,
} from './publication-regimes.js';

export const DECISION_OUTCOMES = ['penalty', 'no_penalty', 'first_offence', 'mitigated', 'lighter'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
/** The outcomes' names on pages and in CSV files; `penalty` as the decision document says it (给予行政处罚). */
export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  penalty: '给予行政处罚',
  no_penalty: '不予处罚',
  first_offence: '首违不罚',
  mitigated: '减轻处罚',
  lighter: '从轻处罚',
};
/** Outcomes that impose no penalty: no negative credit record (domain.md 5.5). */
export const NO_PENALTY_OUTCOMES: readonly DecisionOutcome[] = ['no_penalty', 'first_offence'];

export const DELIVERY_CHANNELS = ['in_person', 'post', 'electronic', 'announcement', 'entrusted'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const CHANNEL_LABELS: Record<DeliveryChannel, string> = {
  in_person: '直接送达',
  post: '邮寄送达',
  electronic: '电子送达',
  announcement: '公告送达',
  entrusted: '委托送达',
};

export const KIND_LABELS: Record<DecisionKind, string> = {
  penalty: '行政处罚决定',
  serious_listing: '列入严重违法失信名单决定',
};
export const DOMAIN_LABELS: Record<PenaltyDomain, string> = {
  food: '食品',
  drugs: '药品',
  special_equipment: '特种设备',
  work_safety: '安全生产',
  fire: '消防',
  general: '其他领域',
};

/** Longest text of each field, in characters. */
export const DECISION_TEXT_LIMITS = {
  decisionNo: 80,
  violation: 1000,
  legalBasis: 500,
  educationGiven: 500,
  recipient: 100,
  exceptionReason: 500,
} as const;

/** A decision as any input path gives it (JSON body, form, CSV row): loose types. */
export interface PenaltyDecisionInput {
  decisionNo?: unknown;
  kind?: unknown;
  enterpriseUscc?: unknown;
  partyType?: unknown;
  decisionDate?: unknown;
  procedure?: unknown;
  penaltyTypes?: unknown;
  fineFen?: unknown;
  confiscatedFen?: unknown;
  domain?: unknown;
  outcome?: unknown;
  lenientMatterCode?: unknown;
  educationGiven?: unknown;
  violation?: unknown;
  legalBasis?: unknown;
  regimeCode?: unknown;
  delivery?: {
    channel?: unknown;
    deliveredOn?: unknown;
    recipient?: unknown;
    withNotice?: unknown;
    exceptionReason?: unknown;
  } | null;
}

export interface NormalisedDelivery {
  channel: DeliveryChannel;
  deliveredOn: string;
  recipient: string | null;
  /** both documents in this delivery (双书同达); false: the decision alone, for exceptionReason */
  withNotice: boolean;
  exceptionReason: string | null;
}

export interface NormalisedPenaltyDecision {
  decisionNo: string;
  kind: DecisionKind;
  enterpriseUscc: string;
  partyType: PartyType;
  decisionDate: string;
  procedure: PenaltyProcedure;
  penaltyTypes: PenaltyType[];
  fineFen: number | null;
  confiscatedFen: number | null;
  domain: PenaltyDomain;
  outcome: DecisionOutcome;
  lenientMatterCode: string | null;
  educationGiven: string | null;
  violation: string;
  legalBasis: string;
  regimeCode: string | null;
  delivery: NormalisedDelivery;
}

export interface FieldError {
  field: string;
  reason: string;
}

export type DecisionCheck =
  { ok: true; decision: NormalisedPenaltyDecision } | { ok: false; errors: FieldError[] };

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const TYPE_BY_LABEL: Record<string, PenaltyType> = Object.fromEntries(
  PENALTY_TYPES.map((t) => [penaltyTypeLabel(t), t]),
);
TYPE_BY_LABEL['没收违法所得'] = 'confiscation';
TYPE_BY_LABEL['没收非法财物'] = 'confiscation';
TYPE_BY_LABEL['吊销营业执照'] = 'licence_revocation';

/**
 * Whether the documents can print a character (one code point): the PDF writer's glyph check
 * (documents/document-pdf.ts printableInDocuments), passed in so this rule stays pure.
 */
export type Printable = (ch: string) => boolean;

/** The free texts the documents print (decision, notice, delivery records), checked with `printable`. */
export const PRINTED_FIELDS: readonly string[] = [
  'decisionNo',
  'violation',
  'legalBasis',
  'educationGiven',
  'delivery.recipient',
  'delivery.exceptionReason',
];

const hexOf = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first character of `s` the documents cannot print, as a Chinese reason naming it and its
 * position, or null. @param printable the documents' glyph check
 */
export function unprintableReason(s: string, printable: Printable): string | null {
  let i = 0;
  for (const ch of s) {
    i++;
    if (!printable(ch)) {
      const shown = /\p{L}|\p{N}|\p{P}|\p{S}/u.test(ch) ? `“${ch}”` : '';
      return `第${i}个字符${shown}（${hexOf(ch)}）文书字体中没有，无法打印在决定书和告知书上：请改用规范汉字或删去该字符`;
    }
  }
  return null;
}

/**
 * Checks and normalises one decision.
 * @param today YYYY-MM-DD (Asia/Shanghai): no date after it; the delivery defaults to it
 * @param matters the lenient lists (default LENIENT_MATTERS)
 * @param printable the documents' glyph check: a printed free text (PRINTED_FIELDS) holding a
 *   character it refuses is an error naming the field and the character; null: not checked (the
 *   service and the import always pass it)
 * @returns the normalised decision, or every field error found (field path and Chinese reason)
 */
export function checkPenaltyDecision(
  input: PenaltyDecisionInput,
  today: string,
  matters: readonly LenientMatter[] = LENIENT_MATTERS,
  printable: Printable | null = null,
): DecisionCheck {
  const errors: FieldError[] = [];
  const err = (field: string, reason: string) => errors.push({ field, reason });
  const str = (field: string, v: unknown, limit: number, required: string | null): string | null => {
    if (blank(v)) {
      if (required) err(field, required);
      return null;
    }
    if (typeof v !== 'string') {
      err(field, '应为文本');
      return null;
    }
    const s = v.trim();
    const p = textProblem(s, limit);
    if (p) {
      err(field, p.startsWith('longer than') ? `超过${limit}个字符` : p);
      return null;
    }
    const unprintable = printable && PRINTED_FIELDS.includes(field) ? unprintableReason(s, printable) : null;
    if (unprintable) {
      err(field, unprintable);
      return null;
    }
    return s;
  };
  const oneOf = <T extends string>(
    field: string,
    v: unknown,
    allowed: readonly T[],
    labels: Record<T, string> | null,
    fallback?: T,
  ): T | null => {
    if (blank(v)) {
      if (fallback) return fallback;
      err(field, `必填：${allowed.join(' / ')}`);
      return null;
    }
    const s = String(v).trim();
    if ((allowed as readonly string[]).includes(s)) return s as T;
    const byLabel = labels && (Object.entries(labels) as [T, string][]).find(([, l]) => l === s);
    if (byLabel) return byLabel[0];
    err(field, `“${s}”不是 ${allowed.join(' / ')} 之一`);
    return null;
  };
  const date = (field: string, v: unknown, required: boolean): string | null => {
    if (blank(v)) {
      if (required) err(field, '必填（如 2026-03-15）');
      return null;
    }
    if (typeof v !== 'string') {
      err(field, `${JSON.stringify(v)} 不是日期（如 2026-03-15）`);
      return null;
    }
    try {
      const d = readSourceDate(v)!;
      if (d.estimated) {
        err(field, `“${v}”只有年月，需具体到日`);
        return null;
      }
      if (d.date > today) {
        err(field, `${d.date}晚于今天（${today}），不能是将来的日期`);
        return null;
      }
      return d.date;
    } catch (e) {
      err(field, e instanceof DateParseError ? `不是有效日期：${e.message}` : String(e));
      return null;
    }
  };
  const fen = (field: string, v: unknown): number | null => {
    if (blank(v)) return null;
    const r = readAmountFen(v);
    if (!r.ok) {
      err(field, r.reason);
      return null;
    }
    return r.fen;
  };

  const decisionNo = str('decisionNo', input.decisionNo, DECISION_TEXT_LIMITS.decisionNo, '必填：决定书文号');
  if (decisionNo && [...decisionNo].length < 4) err('decisionNo', '决定书文号至少4个字符');
  const kind = oneOf('kind', input.kind, DECISION_KINDS, KIND_LABELS, 'penalty');
  let enterpriseUscc: string | null = null;
  if (blank(input.enterpriseUscc)) err('enterpriseUscc', '必填：统一社会信用代码');
  else {
    try {
      enterpriseUscc = parseUscc(String(input.enterpriseUscc));
    } catch (e) {
      err('enterpriseUscc', `统一社会信用代码无效：${(e as Error).message}`);
    }
  }
  const partyType = oneOf('partyType', input.partyType, PARTY_TYPES, {
    organisation: '单位',
    natural_person: '自然人',
  });
  const decisionDate = date('decisionDate', input.decisionDate, true);
  const procedure = oneOf('procedure', input.procedure, PENALTY_PROCEDURES, {
    summary: '简易程序',
    general: '普通程序',
  });
  const domain = oneOf('domain', input.domain, PENALTY_DOMAINS, DOMAIN_LABELS);
  // 予以处罚: the earlier name of the outcome, still read from files written with it
  const outcome = oneOf(
    'outcome',
    typeof input.outcome === 'string' && input.outcome.trim() === '予以处罚' ? 'penalty' : input.outcome,
    DECISION_OUTCOMES,
    OUTCOME_LABELS,
    'penalty',
  );

  // penalty types: an array, or one text separated by ; 、 , | (CSV)
  let rawTypes: string[] = [];
  if (Array.isArray(input.penaltyTypes)) rawTypes = input.penaltyTypes.map((t) => String(t));
  else if (typeof input.penaltyTypes === 'string') rawTypes = input.penaltyTypes.split(/[;；、,，|]/);
  else if (!blank(input.penaltyTypes)) err('penaltyTypes', '应为处罚种类的列表');
  const types = rawTypes.map((t) => t.trim()).filter(Boolean);
  const unknown = types.filter((t) => !PENALTY_TYPES.includes(t as PenaltyType) && !TYPE_BY_LABEL[t]);
  const penaltyTypes = [
    ...new Set(
      types.map((t) => (PENALTY_TYPES.includes(t as PenaltyType) ? (t as PenaltyType) : TYPE_BY_LABEL[t]!)),
    ),
  ].filter(Boolean);
  if (unknown.length)
    err('penaltyTypes', `未知的处罚种类：${unknown.join('、')}；可用：${PENALTY_TYPES.join(', ')}`);
  const fineFen = fen('fineFen', input.fineFen);
  const confiscatedFen = fen('confiscatedFen', input.confiscatedFen);
  const lenientMatterCode = str('lenientMatterCode', input.lenientMatterCode, 40, null);
  const educationGiven = str(
    'educationGiven',
    input.educationGiven,
    DECISION_TEXT_LIMITS.educationGiven,
    null,
  );
  const violation = str('violation', input.violation, DECISION_TEXT_LIMITS.violation, '必填：违法事实');
  const legalBasis = str('legalBasis', input.legalBasis, DECISION_TEXT_LIMITS.legalBasis, '必填：处罚依据');
  const regimeCode = str('regimeCode', input.regimeCode, 32, null);

  const lenient = outcome && outcome !== 'penalty';
  const noPenalty = outcome !== null && NO_PENALTY_OUTCOMES.includes(outcome);
  if (kind === 'serious_listing') {
    if (outcome && outcome !== 'penalty')
      err('outcome', '列入严重违法失信名单决定不适用不予处罚、减轻或从轻');
    if (procedure === 'summary') err('procedure', '列入严重违法失信名单须适用普通程序');
    // the listing is its own measure (Order 44): the penalty behind it is a decision of its own
    if (types.length) err('penaltyTypes', '列入严重违法失信名单决定不填处罚种类（所依据的行政处罚另行录入）');
    if (fineFen !== null) err('fineFen', '列入严重违法失信名单决定不填罚款金额');
    if (confiscatedFen !== null) err('confiscatedFen', '列入严重违法失信名单决定不填没收金额');
  } else if (kind === 'penalty' && outcome) {
    if (noPenalty) {
      if (types.length) err('penaltyTypes', `${OUTCOME_LABELS[outcome]}的决定不应有处罚种类`);
      if (fineFen !== null) err('fineFen', `${OUTCOME_LABELS[outcome]}的决定没有罚款`);
      if (confiscatedFen !== null) err('confiscatedFen', `${OUTCOME_LABELS[outcome]}的决定没有没收`);
      if (!educationGiven && !errors.some((e) => e.field === 'educationGiven'))
        err('educationGiven', `${OUTCOME_LABELS[outcome]}须记录所作的批评教育（行政处罚法第三十三条第三款）`);
    } else {
      if (!types.length && !unknown.length) err('penaltyTypes', `至少一种：${PENALTY_TYPES.join(', ')}`);
      if (penaltyTypes.includes('fine') && fineFen === null && !errors.some((e) => e.field === 'fineFen'))
        err('fineFen', '处罚种类含罚款时必填（单位：分）');
      // an amount is printed on the decision: only with the type it belongs to
      const typed = penaltyTypes.length > 0 && !unknown.length;
      if (typed && fineFen !== null && !penaltyTypes.includes('fine'))
        err('fineFen', '处罚种类不含罚款（fine）时不能填罚款金额');
      if (typed && confiscatedFen !== null && !penaltyTypes.includes('confiscation'))
        err('confiscatedFen', '处罚种类不含没收违法所得、没收非法财物（confiscation）时不能填没收金额');
    }
  }
  if (lenient) {
    if (!lenientMatterCode) {
      if (!errors.some((e) => e.field === 'lenientMatterCode'))
        err('lenientMatterCode', `${OUTCOME_LABELS[outcome]}须注明所依据的清单事项编号`);
    } else if (decisionDate) {
      const p = lenientMatterProblem(lenientMatterCode, outcome, decisionDate, matters);
      if (p) err('lenientMatterCode', p);
    }
  } else if (lenientMatterCode) err('lenientMatterCode', '仅用于不予处罚、首违不罚、减轻或从轻处罚');

  // the delivery of the documents (双书同达)
  const d = input.delivery ?? {};
  if (typeof d !== 'object') err('delivery', '应为送达信息');
  const channel = oneOf('delivery.channel', d.channel, DELIVERY_CHANNELS, CHANNEL_LABELS);
  let deliveredOn = date('delivery.deliveredOn', d.deliveredOn, false) ?? today;
  if (decisionDate && deliveredOn < decisionDate) {
    err('delivery.deliveredOn', `送达日期${deliveredOn}早于决定日期${decisionDate}`);
    deliveredOn = decisionDate;
  }
  const recipient = str('delivery.recipient', d.recipient, DECISION_TEXT_LIMITS.recipient, null);
  let withNotice = true;
  if (!blank(d.withNotice)) {
    if (typeof d.withNotice === 'boolean') withNotice = d.withNotice;
    else if (['true', '是', '1'].includes(String(d.withNotice).trim())) withNotice = true;
    else if (['false', '否', '0'].includes(String(d.withNotice).trim())) withNotice = false;
    else err('delivery.withNotice', '应为 true 或 false');
  }
  const exceptionReason = str(
    'delivery.exceptionReason',
    d.exceptionReason,
    DECISION_TEXT_LIMITS.exceptionReason,
    withNotice ? null : '告知书未与决定书同时送达时须说明原因',
  );

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    decision: {
      decisionNo: decisionNo!,
      kind: kind!,
      enterpriseUscc: enterpriseUscc!,
      partyType: partyType!,
      decisionDate: decisionDate!,
      procedure: procedure!,
      penaltyTypes: kind === 'serious_listing' ? [] : penaltyTypes,
      fineFen,
      confiscatedFen,
      domain: domain!,
      outcome: outcome!,
      lenientMatterCode,
      educationGiven,
      violation: violation!,
      legalBasis: legalBasis!,
      regimeCode,
      delivery: { channel: channel!, deliveredOn, recipient, withNotice, exceptionReason },
    },
  };
}

/** The facts publicationPeriods needs (publication-regimes.ts), from a normalised decision. */
export function decisionFacts(d: NormalisedPenaltyDecision): DecisionFacts {
  return {
    kind: d.kind,
    decisionDate: d.decisionDate,
    procedure: d.procedure,
    penaltyTypes: d.penaltyTypes,
    fineFen: d.fineFen,
    domain: d.domain,
    party: d.partyType,
  };
}

/**
 * Whether a credit-repair notice (信用修复告知书) must be served with the decision (domain.md 3.5):
 * every published decision, the serious listing included; none when nothing is published (summary
 * procedure, a warning or reprimand alone: Order 45 第七条) or nothing is imposed (不予处罚, 首违不罚:
 * no negative record). @returns required, and the reason (Chinese) when not
 */
export function noticeRequirement(
  d: Pick<NormalisedPenaltyDecision, 'outcome'>,
  periods: { published: boolean; notPublishedReason: string | null },
): { required: boolean; reason: string | null } {
  if (NO_PENALTY_OUTCOMES.includes(d.outcome))
    return {
      required: false,
      reason: `${OUTCOME_LABELS[d.outcome]}（行政处罚法第三十三条），不形成失信记录，无需信用修复`,
    };
  if (!periods.published)
    return { required: false, reason: `${periods.notPublishedReason ?? '不予公示'}，无需信用修复` };
  return { required: true, reason: null };
}

const STAND_IN_USCC = buildUscc('91', '310000', 'MA1FL0LX');

/** A later delivery of a decision's documents (POST /api/penalty-decisions/:id/deliveries). */
export interface LaterDeliveryInput {
  documents?: unknown;
  channel?: unknown;
  deliveredOn?: unknown;
  recipient?: unknown;
  exceptionReason?: unknown;
}

export interface NormalisedLaterDelivery {
  documents: ('decision' | 'repair_notice')[];
  channel: DeliveryChannel;
  deliveredOn: string;
  recipient: string | null;
  exceptionReason: string | null;
}

/**
 * Checks a later delivery: documents a non-empty subset of decision, repair_notice (the notice only
 * when the decision has one); channel; deliveredOn (default today, not before the decision, not
 * after today); recipient; exceptionReason, required when it serves the repair notice that was not
 * served with the decision (the same-day report lists it).
 */
export function checkLaterDelivery(
  input: LaterDeliveryInput,
  ctx: {
    today: string;
    decisionDate: string;
    hasNotice: boolean;
    noticeServed: boolean;
    printable?: Printable | null;
  },
): { ok: true; delivery: NormalisedLaterDelivery } | { ok: false; errors: FieldError[] } {
  // the decision's own check, on a decision standing in for it, reads channel, date and texts the same way
  const docs = Array.isArray(input.documents) ? input.documents.map(String) : [];
  const errors: FieldError[] = [];
  const allowed = ['decision', 'repair_notice'];
  if (!docs.length) errors.push({ field: 'documents', reason: '至少一种：decision / repair_notice' });
  const bad = docs.filter((x) => !allowed.includes(x));
  if (bad.length) errors.push({ field: 'documents', reason: `未知的文书：${bad.join('、')}` });
  if (docs.includes('repair_notice') && !ctx.hasNotice)
    errors.push({ field: 'documents', reason: '该决定无需信用修复告知书' });
  const late = docs.includes('repair_notice') && !ctx.noticeServed;
  // the stand-in is decided no later than today, so its own date check never hides the delivery's
  const stand = checkPenaltyDecision(
    {
      decisionNo: 'XXXX',
      enterpriseUscc: STAND_IN_USCC,
      partyType: 'organisation',
      decisionDate: ctx.decisionDate <= ctx.today ? ctx.decisionDate : ctx.today,
      procedure: 'general',
      penaltyTypes: ['warning'],
      domain: 'general',
      violation: '-',
      legalBasis: '-',
      delivery: {
        channel: input.channel,
        deliveredOn: input.deliveredOn,
        recipient: input.recipient,
        withNotice: !late,
        exceptionReason: input.exceptionReason,
      },
    },
    ctx.today,
    LENIENT_MATTERS,
    ctx.printable ?? null,
  );
  if (!stand.ok)
    errors.push(
      ...stand.errors
        .filter((e) => e.field.startsWith('delivery.'))
        .map((e) => ({ field: e.field.slice('delivery.'.length), reason: e.reason })),
    );
  // served on or after the decision's own day (also when today, the default, is before it)
  if (stand.ok && stand.decision.delivery.deliveredOn < ctx.decisionDate)
    errors.push({
      field: 'deliveredOn',
      reason: `送达日期${stand.decision.delivery.deliveredOn}早于决定日期${ctx.decisionDate}`,
    });
  if (!stand.ok && !errors.length)
    errors.push(...stand.errors.map((e) => ({ field: 'deliveredOn', reason: e.reason })));
  if (errors.length || !stand.ok) return { ok: false, errors };
  const v = stand.decision.delivery;
  return {
    ok: true,
    delivery: {
      documents: [...new Set(docs)] as ('decision' | 'repair_notice')[],
      channel: v.channel,
      deliveredOn: v.deliveredOn,
      recipient: v.recipient,
      exceptionReason: v.exceptionReason,
    },
  };
}
