/**
 * The one normalisation of every input about prepaid issuers (issue 14 "Data", "Bad input"): the API
 * (POST/PATCH bodies), the CSV imports and the demo loader all call these functions, so they accept
 * exactly the same issuers, stores, payee accounts, reports and signals. Pure: no framework, no clock
 * (`today` is a parameter). Reasons are in Chinese and name the value at fault; the CSV import adds
 * the line and maps the field to its column.
 *
 * Sources: 上海市单用途预付消费卡管理规定 (2018) 第十二条 (the issuer reports its prepaid balance, cards
 * sold and redeemed to the city's platform every quarter), 第十三条 (资金存管 / 履约保证保险 / 银行保函);
 * 单用途商业预付卡管理办法 (商务部令2012年第9号) 第十九条 (anonymous cards at most 1,000 yuan, registered
 * ones at most 5,000 yuan).
 *
 * Money is fen (分), a plain decimal whole number 0 .. MAX_AMOUNT_FEN (common/amount-fen.ts), in the
 * API and in the CSV files alike (the columns end in `_fen`, as every other import of the project).
 */
import { readAmountFen } from '../../common/amount-fen.js';
import { addDays } from '../../common/calendar-days.js';
import { DateParseError, readSourceDate } from '../../common/chinese-date.js';
import { textProblem } from '../../common/text-check.js';
import { parseUscc } from '../../common/uscc.js';
import { yuan } from '../rules/rule-kit.js';
import {
  GUARANTEE_KINDS,
  type GuaranteeKind,
  PREPAID_SECTORS,
  type PrepaidSector,
  SIGNAL_KINDS,
  type SignalKind,
} from '../rules/risk-facts.js';

export interface FieldError {
  field: string;
  reason: string;
}
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Chinese names the inputs accept beside the codes (the pages' labels, web/shared/labels-prepaid.ts). */
export const SECTOR_NAMES: Record<PrepaidSector, string> = {
  beauty_hair: '美容美发',
  fitness: '运动健身',
  education_training: '教育培训',
  catering: '餐饮',
  laundry: '洗染',
  other: '其他',
};
export const GUARANTEE_NAMES: Record<GuaranteeKind, string> = {
  escrow: '资金存管',
  insurance: '履约保证保险',
  bank_guarantee: '银行保函',
  none: '无',
};
export const SIGNAL_NAMES: Record<SignalKind, string> = {
  complaint: '预付卡投诉',
  closure_notice: '停业（关店）公告',
  moving_notice: '迁址公告',
  unreachable: '无法联系',
  promotion: '大额折扣或长期预售促销',
  payee_change: '收款账户变更',
  entity_change: '经营主体变更',
  unpaid_wages: '欠薪投诉',
  lawsuit: '诉讼',
  public_opinion: '舆情',
};
export const PERIOD_KINDS = ['quarter', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_NAMES: Record<PeriodKind, string> = { quarter: '季度', month: '月度' };

/** Longest text of each field, in characters. */
export const PREPAID_TEXT_LIMITS = {
  escrowBank: 100,
  platformCode: 40,
  storeName: 200,
  address: 300,
  street: 40,
  bank: 100,
  summary: 1000,
  sourceRef: 200,
  sourceKey: 100,
  correctionReason: 500,
} as const;

/** The largest count of cards in one period (far above any store's sales; a typo guard). */
export const MAX_CARD_COUNT = 10_000_000;
/** The longest card term accepted, months (longer is a typo, not a card). */
export const MAX_TERM_MONTHS = 600;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
/** Money in a message: yuan first (two decimals, grouped), fen in brackets: '1,500,000.00元（150000000分）'. */
export const yuanFen = (fen: number): string => `${yuan(fen)}（${fen}分）`;

/** Field readers sharing one error list (one instance per input checked). */
class Reader {
  readonly errors: FieldError[] = [];
  constructor(private readonly today: string) {}

  err(field: string, reason: string): void {
    this.errors.push({ field, reason });
  }
  has(field: string): boolean {
    return this.errors.some((e) => e.field === field);
  }

  text(field: string, v: unknown, limit: number, required: string | null): string | null {
    if (blank(v)) {
      if (required) this.err(field, required);
      return null;
    }
    if (typeof v !== 'string') {
      this.err(field, '应为文本');
      return null;
    }
    const s = v.trim();
    const p = textProblem(s, limit);
    if (p) {
      this.err(field, p.startsWith('longer than') ? `超过${limit}个字符` : p);
      return null;
    }
    return s;
  }

  oneOf<T extends string>(
    field: string,
    v: unknown,
    allowed: readonly T[],
    names: Record<T, string>,
    fallback?: T,
  ): T | null {
    if (blank(v)) {
      if (fallback) return fallback;
      this.err(field, `必填：${allowed.map((a) => `${a}（${names[a]}）`).join(' / ')}`);
      return null;
    }
    const s = String(v).trim();
    if ((allowed as readonly string[]).includes(s)) return s as T;
    const byName = (Object.entries(names) as [T, string][]).find(([, n]) => n === s);
    if (byName) return byName[0];
    this.err(field, `“${s}”不是 ${allowed.map((a) => `${a}（${names[a]}）`).join(' / ')} 之一`);
    return null;
  }

  /** A date; `future` false: not after today. */
  date(field: string, v: unknown, required: boolean, future = false): string | null {
    if (blank(v)) {
      if (required) this.err(field, '必填（如 2026-03-15）');
      return null;
    }
    if (typeof v !== 'string') {
      this.err(field, `${JSON.stringify(v)} 不是日期（如 2026-03-15）`);
      return null;
    }
    try {
      const d = readSourceDate(v)!;
      if (d.estimated) {
        this.err(field, `“${v}”只有年月，需具体到日`);
        return null;
      }
      if (!future && d.date > this.today) {
        this.err(field, `${d.date}晚于今天（${this.today}），不能是将来的日期`);
        return null;
      }
      return d.date;
    } catch (e) {
      this.err(field, e instanceof DateParseError ? `不是有效日期：${e.message}` : String(e));
      return null;
    }
  }

  fen(field: string, v: unknown, required: boolean): number | null {
    if (blank(v)) {
      if (required) this.err(field, '必填：金额（分）');
      return null;
    }
    if ((typeof v === 'number' && v < 0) || (typeof v === 'string' && /^\s*-\s*[0-9]/.test(v))) {
      this.err(field, `金额不能为负数（${String(v).trim()}）`);
      return null;
    }
    const r = readAmountFen(v);
    if (!r.ok) {
      this.err(field, r.reason);
      return null;
    }
    return r.fen;
  }

  int(field: string, v: unknown, min: number, max: number, required: boolean): number | null {
    if (blank(v)) {
      if (required) this.err(field, `必填：${min}-${max}的整数`);
      return null;
    }
    const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (!/^-?[0-9]+$/.test(s)) {
      this.err(field, `“${String(v)}”不是整数`);
      return null;
    }
    const n = Number(s);
    if (n < 0 && min >= 0) {
      this.err(field, `不能为负数（${n}）`);
      return null;
    }
    if (n < min || n > max) {
      this.err(field, `${n}超出范围${min}-${max}`);
      return null;
    }
    return n;
  }

  bool(field: string, v: unknown, fallback: boolean): boolean {
    if (blank(v)) return fallback;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (['true', '是', '1', 'yes'].includes(s)) return true;
    if (['false', '否', '0', 'no'].includes(s)) return false;
    this.err(field, `“${String(v)}”应为 true 或 false（是/否）`);
    return fallback;
  }

  uscc(field: string, v: unknown): string | null {
    if (blank(v)) {
      this.err(field, '必填：统一社会信用代码');
      return null;
    }
    try {
      return parseUscc(String(v));
    } catch (e) {
      this.err(field, `统一社会信用代码无效：${(e as Error).message}`);
      return null;
    }
  }

  result<T>(value: () => T): Checked<T> {
    return this.errors.length ? { ok: false, errors: this.errors } : { ok: true, value: value() };
  }
}

// ---------------------------------------------------------------- issuers

export interface IssuerInput {
  uscc?: unknown;
  sector?: unknown;
  guaranteeKind?: unknown;
  escrowBank?: unknown;
  platformRegisteredOn?: unknown;
  platformCode?: unknown;
  sellingSince?: unknown;
}
export interface NormalisedIssuer {
  uscc: string;
  sector: PrepaidSector;
  guaranteeKind: GuaranteeKind;
  escrowBank: string | null;
  platformRegisteredOn: string | null;
  platformCode: string | null;
  sellingSince: string | null;
}

/**
 * Checks an issuer's registration (登记预付卡经营者): uscc a valid USCC (the service checks it is in the
 * register); sector one of PREPAID_SECTORS (code or Chinese name); guaranteeKind one of
 * GUARANTEE_KINDS (default none); escrowBank required with escrow (资金存管 is held at a named bank);
 * platformRegisteredOn and sellingSince dates not after today; platformCode at most 40 characters.
 */
export function checkIssuer(input: IssuerInput, today: string): Checked<NormalisedIssuer> {
  const r = new Reader(today);
  const uscc = r.uscc('uscc', input.uscc);
  return withIssuerFields(r, input, uscc);
}

function withIssuerFields(r: Reader, input: IssuerInput, uscc: string | null): Checked<NormalisedIssuer> {
  const sector = r.oneOf('sector', input.sector, PREPAID_SECTORS, SECTOR_NAMES);
  const guaranteeKind = r.oneOf(
    'guaranteeKind',
    input.guaranteeKind,
    GUARANTEE_KINDS,
    GUARANTEE_NAMES,
    'none',
  );
  const escrowBank = r.text('escrowBank', input.escrowBank, PREPAID_TEXT_LIMITS.escrowBank, null);
  if (guaranteeKind === 'escrow' && !escrowBank && !r.has('escrowBank'))
    r.err('escrowBank', '资金存管须注明存管银行');
  const platformRegisteredOn = r.date('platformRegisteredOn', input.platformRegisteredOn, false);
  const platformCode = r.text('platformCode', input.platformCode, PREPAID_TEXT_LIMITS.platformCode, null);
  if (platformCode && !platformRegisteredOn && !r.has('platformRegisteredOn'))
    r.err('platformRegisteredOn', '填写平台编码时须注明接入平台日期');
  const sellingSince = r.date('sellingSince', input.sellingSince, false);
  return r.result(() => ({
    uscc: uscc!,
    sector: sector!,
    guaranteeKind: guaranteeKind!,
    escrowBank,
    platformRegisteredOn,
    platformCode,
    sellingSince,
  }));
}

/**
 * Checks a change of an issuer (PATCH): the fields given are merged over the stored ones, then the
 * whole is checked as a registration. @param stored the issuer as stored
 */
export function checkIssuerChange(
  stored: NormalisedIssuer,
  change: Omit<IssuerInput, 'uscc'>,
  today: string,
): Checked<NormalisedIssuer> {
  const merged: IssuerInput = { ...stored };
  for (const k of [
    'sector',
    'guaranteeKind',
    'escrowBank',
    'platformRegisteredOn',
    'platformCode',
    'sellingSince',
  ] as const)
    if (k in change && change[k] !== undefined) merged[k] = change[k];
  return withIssuerFields(new Reader(today), merged, stored.uscc);
}

// ---------------------------------------------------------------- stores

export interface StoreInput {
  name?: unknown;
  address?: unknown;
  street?: unknown;
  openedOn?: unknown;
  leaseEndsOn?: unknown;
  closedOn?: unknown;
}
export interface NormalisedStore {
  name: string;
  address: string;
  street: string | null;
  openedOn: string | null;
  leaseEndsOn: string | null;
  closedOn: string | null;
}

/**
 * Checks a store (门店): name and address required; street (街道) optional, the risk map groups by
 * it; openedOn and closedOn not after today, closedOn not before openedOn; leaseEndsOn may be in the
 * future (that is what the lease-ending rule reads) but not before openedOn.
 */
export function checkStore(input: StoreInput, today: string): Checked<NormalisedStore> {
  const r = new Reader(today);
  const name = r.text('name', input.name, PREPAID_TEXT_LIMITS.storeName, '必填：门店名称');
  const address = r.text('address', input.address, PREPAID_TEXT_LIMITS.address, '必填：门店地址');
  const street = r.text('street', input.street, PREPAID_TEXT_LIMITS.street, null);
  const openedOn = r.date('openedOn', input.openedOn, false);
  const leaseEndsOn = r.date('leaseEndsOn', input.leaseEndsOn, false, true);
  const closedOn = r.date('closedOn', input.closedOn, false);
  if (openedOn && closedOn && closedOn < openedOn)
    r.err('closedOn', `关店日期${closedOn}早于开业日期${openedOn}`);
  if (openedOn && leaseEndsOn && leaseEndsOn < openedOn)
    r.err('leaseEndsOn', `租约到期日${leaseEndsOn}早于开业日期${openedOn}`);
  return r.result(() => ({ name: name!, address: address!, street, openedOn, leaseEndsOn, closedOn }));
}

/** Checks the closing of a store: closedOn (default today) not after today, not before it opened. */
export function checkStoreClosing(
  input: { closedOn?: unknown },
  openedOn: string | null,
  today: string,
): Checked<{ closedOn: string }> {
  const r = new Reader(today);
  const closedOn = r.date('closedOn', input.closedOn, false) ?? (r.has('closedOn') ? null : today);
  if (closedOn && openedOn && closedOn < openedOn)
    r.err('closedOn', `关店日期${closedOn}早于开业日期${openedOn}`);
  return r.result(() => ({ closedOn: closedOn! }));
}

// ---------------------------------------------------------------- payee accounts

export interface PayeeAccountInput {
  bank?: unknown;
  accountNo?: unknown;
  escrow?: unknown;
  fromOn?: unknown;
}
export interface NormalisedPayeeAccount {
  bank: string;
  /** the last four digits (only they are kept) */
  accountTail: string;
  escrow: boolean;
  fromOn: string;
}

/**
 * Checks a payee account (收款账户): bank required; accountNo the account number or its last four
 * digits (digits, spaces and hyphens; only the last four are kept: the service keeps no full account
 * number); escrow (the 存管 account itself) default false; fromOn (default today) not after today.
 */
export function checkPayeeAccount(input: PayeeAccountInput, today: string): Checked<NormalisedPayeeAccount> {
  const r = new Reader(today);
  const bank = r.text('bank', input.bank, PREPAID_TEXT_LIMITS.bank, '必填：开户银行');
  let accountTail: string | null = null;
  if (blank(input.accountNo)) r.err('accountNo', '必填：收款账号（或其后四位）');
  else {
    const digits = String(input.accountNo).replace(/[\s-]/g, '');
    if (!/^[0-9]{4,32}$/.test(digits)) r.err('accountNo', `“${String(input.accountNo)}”不是4-32位数字的账号`);
    else accountTail = digits.slice(-4);
  }
  const escrow = r.bool('escrow', input.escrow, false);
  const fromOn = r.date('fromOn', input.fromOn, false) ?? (r.has('fromOn') ? null : today);
  return r.result(() => ({ bank: bank!, accountTail: accountTail!, escrow, fromOn: fromOn! }));
}

// ---------------------------------------------------------------- reports

export interface ReportInput {
  uscc?: unknown;
  periodKind?: unknown;
  periodStart?: unknown;
  periodEnd?: unknown;
  submittedOn?: unknown;
  balanceFen?: unknown;
  cardsSoldCount?: unknown;
  cardsSoldFen?: unknown;
  maxCardFen?: unknown;
  anonymousOverLimit?: unknown;
  registeredOverLimit?: unknown;
  longestTermMonths?: unknown;
  deepestDiscountPct?: unknown;
  redemptionsFen?: unknown;
  refundsFen?: unknown;
  escrowBalanceFen?: unknown;
  insuranceCoverFen?: unknown;
  revenueLastYearFen?: unknown;
  sourceKey?: unknown;
  correction?: { reason?: unknown } | null;
}
export interface NormalisedReport {
  periodKind: PeriodKind;
  periodStart: string;
  periodEnd: string;
  submittedOn: string;
  balanceFen: number;
  cardsSoldCount: number;
  cardsSoldFen: number;
  maxCardFen: number | null;
  anonymousOverLimit: number;
  registeredOverLimit: number;
  longestTermMonths: number | null;
  deepestDiscountPct: number | null;
  redemptionsFen: number;
  refundsFen: number;
  escrowBalanceFen: number | null;
  insuranceCoverFen: number | null;
  revenueLastYearFen: number | null;
  sourceKey: string | null;
  /** a correction of the report in force for the period: why */
  correctionReason: string | null;
}

/** The last day of the month of `date` (YYYY-MM-DD). */
export function monthEnd(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The calendar period of `kind` starting on `start`, or why `start` cannot start one (Chinese). */
export function periodOf(kind: PeriodKind, start: string): { end: string } | { reason: string } {
  if (start.slice(8) !== '01')
    return { reason: `${start}不是月初：报送期间从${PERIOD_NAMES[kind]}的第一天开始` };
  const m = Number(start.slice(5, 7));
  if (kind === 'month') return { end: monthEnd(start) };
  if ((m - 1) % 3 !== 0) return { reason: `${start}不是季度初（1月、4月、7月、10月的1日）` };
  return { end: monthEnd(`${start.slice(0, 5)}${String(m + 2).padStart(2, '0')}-01`) };
}

/**
 * The day a report is due (报送期限): the 25th of the month after the period (for a quarter: of the
 * next quarter's first month, 上海市单用途预付消费卡管理规定 第十二条 as the city's platform applies it;
 * a monthly report, sent voluntarily, is held to the same rhythm).
 */
export function reportDueOn(periodEnd: string): string {
  return `${addDays(periodEnd, 1).slice(0, 8)}25`;
}

/**
 * Checks a periodic report (报送数据):
 * - periodKind quarter | month (季度/月度); periodStart the first day of a calendar quarter or month;
 *   periodEnd its last day (derived when omitted; refused when it is another day); periodEnd not
 *   after today (a period not yet over cannot be reported);
 * - submittedOn (default today) not after today and not before periodEnd;
 * - amounts in fen, never negative: balanceFen, cardsSoldFen, redemptionsFen required; refundsFen
 *   default 0; maxCardFen, escrowBalanceFen, insuranceCoverFen, revenueLastYearFen optional;
 *   counts cardsSoldCount (required), anonymousOverLimit, registeredOverLimit (default 0) 0..10^7,
 *   longestTermMonths 0..600, deepestDiscountPct 0..100;
 * - escrowBalanceFen larger than balanceFen is REFUSED, both values named: an escrow account holding
 *   more than the prepaid balance means the balance (or the escrow) is misreported, and the
 *   escrow-shortfall rule would read a false cover; maxCardFen larger than cardsSoldFen likewise;
 * - correction { reason } (更正原因) optional: the service refuses a second report for a period
 *   without it (409) and keeps the replaced one with it; a correction's submittedOn is today (the day
 *   it is entered: refused when another day, so that no correction rewrites a past day's explanation).
 */
export function checkReport(input: ReportInput, today: string): Checked<NormalisedReport> {
  const r = new Reader(today);
  const periodKind = r.oneOf('periodKind', input.periodKind, PERIOD_KINDS, PERIOD_NAMES);
  const periodStart = r.date('periodStart', input.periodStart, true, true);
  const givenEnd = r.date('periodEnd', input.periodEnd, false, true);
  let periodEnd: string | null = null;
  if (periodKind && periodStart) {
    const p = periodOf(periodKind, periodStart);
    if ('reason' in p) r.err('periodStart', p.reason);
    else if (givenEnd && givenEnd !== p.end)
      r.err(
        'periodEnd',
        `${givenEnd}不是${PERIOD_NAMES[periodKind]}${periodStart}的最后一天（应为${p.end}）：期间须为完整的自然${periodKind === 'quarter' ? '季度' : '月'}`,
      );
    else periodEnd = p.end;
  }
  if (periodEnd && periodEnd > today) {
    r.err('periodEnd', `报送期间至${periodEnd}尚未结束（今天${today}），不能报送将来的期间`);
    periodEnd = null;
  }
  const submittedOn =
    r.date('submittedOn', input.submittedOn, false) ?? (r.has('submittedOn') ? null : today);
  if (submittedOn && periodEnd && submittedOn < periodEnd)
    r.err('submittedOn', `报送日期${submittedOn}早于期间结束日${periodEnd}`);
  const balanceFen = r.fen('balanceFen', input.balanceFen, true);
  const cardsSoldCount = r.int('cardsSoldCount', input.cardsSoldCount, 0, MAX_CARD_COUNT, true);
  const cardsSoldFen = r.fen('cardsSoldFen', input.cardsSoldFen, true);
  const maxCardFen = r.fen('maxCardFen', input.maxCardFen, false);
  const anonymousOverLimit =
    r.int('anonymousOverLimit', input.anonymousOverLimit, 0, MAX_CARD_COUNT, false) ?? 0;
  const registeredOverLimit =
    r.int('registeredOverLimit', input.registeredOverLimit, 0, MAX_CARD_COUNT, false) ?? 0;
  const longestTermMonths = r.int('longestTermMonths', input.longestTermMonths, 0, MAX_TERM_MONTHS, false);
  const deepestDiscountPct = r.int('deepestDiscountPct', input.deepestDiscountPct, 0, 100, false);
  const redemptionsFen = r.fen('redemptionsFen', input.redemptionsFen, true);
  const refundsFen = r.fen('refundsFen', input.refundsFen, false) ?? 0;
  const escrowBalanceFen = r.fen('escrowBalanceFen', input.escrowBalanceFen, false);
  const insuranceCoverFen = r.fen('insuranceCoverFen', input.insuranceCoverFen, false);
  const revenueLastYearFen = r.fen('revenueLastYearFen', input.revenueLastYearFen, false);
  if (escrowBalanceFen !== null && balanceFen !== null && escrowBalanceFen > balanceFen)
    r.err(
      'escrowBalanceFen',
      `存管资金余额${yuanFen(escrowBalanceFen)}大于预收资金余额${yuanFen(balanceFen)}：存管账户不会多于预收余额，请核对预收资金余额或存管余额`,
    );
  if (maxCardFen !== null && cardsSoldFen !== null && maxCardFen > cardsSoldFen)
    r.err('maxCardFen', `单张最大面值${yuanFen(maxCardFen)}大于本期售卡总额${yuanFen(cardsSoldFen)}`);
  if (cardsSoldCount === 0 && cardsSoldFen !== null && cardsSoldFen > 0)
    r.err('cardsSoldFen', `本期售卡张数为0，售卡金额却为${yuanFen(cardsSoldFen)}`);
  const sourceKey = r.text('sourceKey', input.sourceKey, PREPAID_TEXT_LIMITS.sourceKey, null);
  let correctionReason: string | null = null;
  if (input.correction !== undefined && input.correction !== null) {
    if (typeof input.correction !== 'object') r.err('correction', '应为 { reason }');
    else
      correctionReason = r.text(
        'correction.reason',
        input.correction.reason,
        PREPAID_TEXT_LIMITS.correctionReason,
        '更正须说明原因',
      );
  }
  // a correction is known from the day it is entered: back-dated, it would rewrite the explanations
  // (and the stored levels) of days already evaluated (docs/prepaid.md "Data")
  if (correctionReason !== null && submittedOn && submittedOn !== today)
    r.err(
      'submittedOn',
      `更正的报送日期须为录入当日${today}（填写的是${submittedOn}）：更正自录入之日起生效，不改写以往日期的风险解释`,
    );
  return r.result(() => ({
    periodKind: periodKind!,
    periodStart: periodStart!,
    periodEnd: periodEnd!,
    submittedOn: submittedOn!,
    balanceFen: balanceFen!,
    cardsSoldCount: cardsSoldCount!,
    cardsSoldFen: cardsSoldFen!,
    maxCardFen,
    anonymousOverLimit,
    registeredOverLimit,
    longestTermMonths,
    deepestDiscountPct,
    redemptionsFen: redemptionsFen!,
    refundsFen,
    escrowBalanceFen,
    insuranceCoverFen,
    revenueLastYearFen,
    sourceKey,
    correctionReason,
  }));
}

// ---------------------------------------------------------------- signals

export interface SignalInput {
  kind?: unknown;
  occurredOn?: unknown;
  receivedOn?: unknown;
  amountFen?: unknown;
  effectiveOn?: unknown;
  discountPct?: unknown;
  termMonths?: unknown;
  storeId?: unknown;
  summary?: unknown;
  sourceRef?: unknown;
  sourceKey?: unknown;
}
export interface NormalisedSignal {
  kind: SignalKind;
  occurredOn: string;
  receivedOn: string;
  amountFen: number | null;
  effectiveOn: string | null;
  discountPct: number | null;
  termMonths: number | null;
  storeId: number | null;
  summary: string;
  sourceRef: string | null;
  sourceKey: string | null;
}

/** Signal kinds that announce a day (closing, moving): effectiveOn required. */
export const NOTICE_KINDS: readonly SignalKind[] = ['closure_notice', 'moving_notice'];

/**
 * Checks a signal (预警信号):
 * - kind one of SIGNAL_KINDS (code or Chinese name); summary required (at most 1,000 characters);
 * - occurredOn (the day it happened: complaint filed, notice posted, promotion started) required,
 *   not after today; receivedOn (default today) not after today and not before occurredOn;
 * - closure_notice / moving_notice: effectiveOn (the announced day) required, not before occurredOn
 *   (it may be in the future: that is the point of a notice);
 * - promotion: discountPct (0-100, percent off face value) and termMonths (0-600) both required;
 * - amountFen optional, never negative (a complaint's prepaid amount); effectiveOn, discountPct,
 *   termMonths refused on kinds that have none;
 * - storeId optional (the service checks it is a store of the issuer).
 */
export function checkSignal(input: SignalInput, today: string): Checked<NormalisedSignal> {
  const r = new Reader(today);
  const kind = r.oneOf('kind', input.kind, SIGNAL_KINDS, SIGNAL_NAMES);
  const occurredOn = r.date('occurredOn', input.occurredOn, true);
  const receivedOn = r.date('receivedOn', input.receivedOn, false) ?? (r.has('receivedOn') ? null : today);
  if (occurredOn && receivedOn && receivedOn < occurredOn)
    r.err('receivedOn', `收到日期${receivedOn}早于发生日期${occurredOn}`);
  const amountFen = r.fen('amountFen', input.amountFen, false);
  const effectiveOn = r.date('effectiveOn', input.effectiveOn, false, true);
  const discountPct = r.int('discountPct', input.discountPct, 0, 100, false);
  const termMonths = r.int('termMonths', input.termMonths, 0, MAX_TERM_MONTHS, false);
  if (kind && NOTICE_KINDS.includes(kind)) {
    if (!effectiveOn && !r.has('effectiveOn'))
      r.err(
        'effectiveOn',
        `${SIGNAL_NAMES[kind]}须注明公告的${kind === 'closure_notice' ? '停业' : '迁址'}日期`,
      );
    if (effectiveOn && occurredOn && effectiveOn < occurredOn)
      r.err('effectiveOn', `公告的日期${effectiveOn}早于公告发布日${occurredOn}`);
  } else if (kind && effectiveOn) r.err('effectiveOn', '仅停业（关店）公告、迁址公告填写生效日期');
  if (kind === 'promotion') {
    if (discountPct === null && !r.has('discountPct'))
      r.err('discountPct', '促销须注明折扣（比面值低的百分比，0-100）');
    if (termMonths === null && !r.has('termMonths')) r.err('termMonths', '促销须注明卡的期限（月）');
  } else if (kind) {
    if (discountPct !== null) r.err('discountPct', '仅促销填写折扣');
    if (termMonths !== null) r.err('termMonths', '仅促销填写卡的期限');
  }
  let storeId: number | null = null;
  if (!blank(input.storeId)) {
    const s = String(input.storeId).trim();
    if (!/^[1-9][0-9]{0,15}$/.test(s)) r.err('storeId', `“${s}”不是门店编号`);
    else storeId = Number(s);
  }
  const summary = r.text('summary', input.summary, PREPAID_TEXT_LIMITS.summary, '必填：信号摘要');
  const sourceRef = r.text('sourceRef', input.sourceRef, PREPAID_TEXT_LIMITS.sourceRef, null);
  const sourceKey = r.text('sourceKey', input.sourceKey, PREPAID_TEXT_LIMITS.sourceKey, null);
  return r.result(() => ({
    kind: kind!,
    occurredOn: occurredOn!,
    receivedOn: receivedOn!,
    amountFen,
    effectiveOn,
    discountPct,
    termMonths,
    storeId,
    summary: summary!,
    sourceRef,
    sourceKey,
  }));
}
