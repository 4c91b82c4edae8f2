import { describe, expect, it } from '@jest/globals';
import { buildUscc } from '../../common/uscc.js';
import {
  yuanFen,
  checkIssuer,
  checkIssuerChange,
  checkPayeeAccount,
  checkReport,
  checkSignal,
  checkStore,
  checkStoreClosing,
  monthEnd,
  periodOf,
  reportDueOn,
} from './prepaid-input.js';

const TODAY = '2026-12-02';
const USCC = buildUscc('91', '310110', 'MA1YP000');
const fields = (c: { ok: boolean; errors?: { field: string }[] }) =>
  c.ok ? [] : c.errors!.map((e) => e.field).sort();
const good = {
  periodKind: 'quarter',
  periodStart: '2026-07-01',
  submittedOn: '2026-10-10',
  balanceFen: 50_000_000,
  cardsSoldCount: 10,
  cardsSoldFen: 3_000_000,
  redemptionsFen: 2_000_000,
  escrowBalanceFen: 20_000_000,
};

describe('prepaid input: money in messages', () => {
  it("writes yuan first with the rules' formatter, then the fen", () => {
    expect(yuanFen(150_000_000)).toBe('1,500,000.00元（150000000分）');
    expect(yuanFen(5)).toBe('0.05元（5分）');
    expect(yuanFen(-12_345)).toBe('-123.45元（-12345分）');
  });
});

describe('prepaid input: periods', () => {
  it('calendar quarters and months, their ends and due days', () => {
    expect(monthEnd('2028-02-10')).toBe('2028-02-29');
    expect(periodOf('quarter', '2026-10-01')).toEqual({ end: '2026-12-31' });
    expect(periodOf('month', '2026-02-01')).toEqual({ end: '2026-02-28' });
    expect(periodOf('quarter', '2026-02-01')).toHaveProperty('reason');
    expect(periodOf('month', '2026-02-02')).toHaveProperty('reason');
    // the 25th of the next quarter's first month (上海市单用途预付消费卡管理规定 第十二条)
    expect(reportDueOn('2026-12-31')).toBe('2027-01-25');
    expect(reportDueOn('2026-09-30')).toBe('2026-10-25');
  });
});

describe('prepaid input: issuers and stores', () => {
  it('an issuer: codes or Chinese names, escrow needs its bank, no future days', () => {
    const ok = checkIssuer(
      { uscc: USCC.toLowerCase(), sector: '运动健身', guaranteeKind: '资金存管', escrowBank: '上海银行' },
      TODAY,
    );
    expect(ok).toEqual({
      ok: true,
      value: expect.objectContaining({
        uscc: USCC,
        sector: 'fitness',
        guaranteeKind: 'escrow',
        escrowBank: '上海银行',
      }),
    });
    expect(checkIssuer({ uscc: USCC, sector: 'fitness' }, TODAY)).toMatchObject({
      ok: true,
      value: { guaranteeKind: 'none' },
    });
    expect(
      fields(
        checkIssuer({ uscc: 'X', sector: 'spa', guaranteeKind: 'escrow', sellingSince: '2026-12-03' }, TODAY),
      ),
    ).toEqual(['escrowBank', 'sector', 'sellingSince', 'uscc']);
    expect(fields(checkIssuer({ uscc: USCC, sector: 'fitness', platformCode: 'P1' }, TODAY))).toEqual([
      'platformRegisteredOn',
    ]);
  });

  it('a change is checked whole over what is stored', () => {
    const stored = {
      ...(
        checkIssuer({ uscc: USCC, sector: 'fitness', guaranteeKind: 'escrow', escrowBank: 'B' }, TODAY) as {
          value: never;
        }
      ).value,
    };
    expect(fields(checkIssuerChange(stored, { escrowBank: null }, TODAY))).toEqual(['escrowBank']);
    expect(checkIssuerChange(stored, { sector: 'laundry' }, TODAY)).toMatchObject({
      ok: true,
      value: { sector: 'laundry', escrowBank: 'B' },
    });
  });

  it('a store: name and address, lease may be ahead, closing not before opening', () => {
    expect(checkStore({ name: 'A店', address: '路1号', leaseEndsOn: '2030-01-01' }, TODAY).ok).toBe(true);
    expect(fields(checkStore({ name: ' ', address: '', closedOn: '2027-01-01' }, TODAY))).toEqual([
      'address',
      'closedOn',
      'name',
    ]);
    expect(
      fields(checkStore({ name: 'A', address: 'B', openedOn: '2026-05-01', closedOn: '2026-04-01' }, TODAY)),
    ).toEqual(['closedOn']);
    expect(checkStoreClosing({}, null, TODAY)).toEqual({ ok: true, value: { closedOn: TODAY } });
    expect(fields(checkStoreClosing({ closedOn: '2020-01-01' }, '2021-01-01', TODAY))).toEqual(['closedOn']);
  });

  it('a payee account keeps the last four digits only', () => {
    expect(checkPayeeAccount({ bank: '招商银行', accountNo: '6214-8301 2345 6789' }, TODAY)).toEqual({
      ok: true,
      value: { bank: '招商银行', accountTail: '6789', escrow: false, fromOn: TODAY },
    });
    expect(fields(checkPayeeAccount({ bank: '', accountNo: '12a4', escrow: 'maybe' }, TODAY))).toEqual([
      'accountNo',
      'bank',
      'escrow',
    ]);
  });
});

describe('prepaid input: reports', () => {
  it('takes a good report, derives the end, defaults', () => {
    expect(checkReport(good, TODAY)).toMatchObject({
      ok: true,
      value: { periodEnd: '2026-09-30', refundsFen: 0, anonymousOverLimit: 0, correctionReason: null },
    });
    expect(
      checkReport({ ...good, periodKind: '月度', periodStart: '2026-11-01', submittedOn: undefined }, TODAY),
    ).toMatchObject({
      ok: true,
      value: { periodKind: 'month', periodEnd: '2026-11-30', submittedOn: TODAY },
    });
  });

  it('refuses negative amounts, whatever their form', () => {
    const c = checkReport(
      { ...good, balanceFen: -1, cardsSoldFen: '-5', redemptionsFen: '1.5', refundsFen: '1e3' },
      TODAY,
    );
    expect(fields(c)).toEqual(['balanceFen', 'cardsSoldFen', 'redemptionsFen', 'refundsFen']);
    expect(c.ok ? '' : c.errors[0]!.reason).toContain('负数');
    expect(fields(checkReport({ ...good, cardsSoldCount: -2 }, TODAY))).toEqual(['cardsSoldCount']);
  });

  it('names money in yuan first with fen in brackets', () => {
    const c = checkReport({ ...good, cardsSoldCount: 0, cardsSoldFen: 150_000_000 }, TODAY);
    expect(c.ok ? [] : c.errors.map((e) => e.reason)).toContain(
      '本期售卡张数为0，售卡金额却为1,500,000.00元（150000000分）',
    );
  });

  it('refuses escrow above the balance, naming both', () => {
    const c = checkReport({ ...good, escrowBalanceFen: 50_000_001 }, TODAY);
    expect(fields(c)).toEqual(['escrowBalanceFen']);
    expect(c.ok ? '' : c.errors[0]!.reason).toContain(
      '存管资金余额500,000.01元（50000001分）大于预收资金余额500,000.00元（50000000分）',
    );
    expect(checkReport({ ...good, escrowBalanceFen: 50_000_000 }, TODAY).ok).toBe(true);
  });

  it('refuses periods not calendar, not over, submissions ahead or before the end', () => {
    expect(fields(checkReport({ ...good, periodStart: '2026-08-01' }, TODAY))).toEqual(['periodStart']);
    expect(fields(checkReport({ ...good, periodEnd: '2026-09-29' }, TODAY))).toEqual(['periodEnd']);
    expect(fields(checkReport({ ...good, periodStart: '2026-10-01' }, TODAY))).toEqual(['periodEnd']);
    expect(fields(checkReport({ ...good, submittedOn: '2026-12-03' }, TODAY))).toEqual(['submittedOn']);
    expect(fields(checkReport({ ...good, submittedOn: '2026-09-01' }, TODAY))).toEqual(['submittedOn']);
    expect(fields(checkReport({ ...good, periodKind: 'year' }, TODAY))).toEqual(['periodKind']);
  });

  it('other limits: largest card, sales without cards, discount and term ranges, correction needs a reason', () => {
    expect(fields(checkReport({ ...good, maxCardFen: 3_000_001 }, TODAY))).toEqual(['maxCardFen']);
    expect(fields(checkReport({ ...good, cardsSoldCount: 0 }, TODAY))).toEqual(['cardsSoldFen']);
    expect(fields(checkReport({ ...good, deepestDiscountPct: 101, longestTermMonths: 601 }, TODAY))).toEqual([
      'deepestDiscountPct',
      'longestTermMonths',
    ]);
    expect(fields(checkReport({ ...good, correction: { reason: ' ' } }, TODAY))).toEqual([
      'correction.reason',
    ]);
    expect(checkReport({ ...good, submittedOn: TODAY, correction: { reason: '漏报' } }, TODAY)).toMatchObject(
      {
        ok: true,
        value: { correctionReason: '漏报' },
      },
    );
  });

  it('a correction is dated the day it is entered, never back-dated', () => {
    expect(
      fields(checkReport({ ...good, submittedOn: '2026-11-10', correction: { reason: '漏报' } }, TODAY)),
    ).toEqual(['submittedOn']);
    expect(checkReport({ ...good, submittedOn: TODAY, correction: { reason: '漏报' } }, TODAY)).toMatchObject(
      { ok: true, value: { submittedOn: TODAY } },
    );
    expect(checkReport({ ...good, submittedOn: '2026-11-10' }, TODAY)).toMatchObject({ ok: true });
  });
});

describe('prepaid input: signals per kind', () => {
  const base = { occurredOn: '2026-11-20', summary: '摘要' };
  it('notices need their day, which may be ahead but not before the notice', () => {
    expect(fields(checkSignal({ ...base, kind: 'closure_notice' }, TODAY))).toEqual(['effectiveOn']);
    expect(fields(checkSignal({ ...base, kind: 'moving_notice', effectiveOn: '2026-11-01' }, TODAY))).toEqual(
      ['effectiveOn'],
    );
    expect(checkSignal({ ...base, kind: '迁址公告', effectiveOn: '2027-01-01' }, TODAY)).toMatchObject({
      ok: true,
      value: { kind: 'moving_notice', receivedOn: TODAY },
    });
    expect(fields(checkSignal({ ...base, kind: 'complaint', effectiveOn: '2027-01-01' }, TODAY))).toEqual([
      'effectiveOn',
    ]);
  });
  it('promotions need discount and term; others take neither', () => {
    expect(fields(checkSignal({ ...base, kind: 'promotion' }, TODAY))).toEqual(['discountPct', 'termMonths']);
    expect(checkSignal({ ...base, kind: 'promotion', discountPct: 70, termMonths: 36 }, TODAY).ok).toBe(true);
    expect(fields(checkSignal({ ...base, kind: 'complaint', discountPct: 5, termMonths: 2 }, TODAY))).toEqual(
      ['discountPct', 'termMonths'],
    );
  });
  it('dates: not ahead, received not before it happened; amounts not negative; a kind and a summary', () => {
    expect(fields(checkSignal({ ...base, kind: 'complaint', receivedOn: '2026-11-19' }, TODAY))).toEqual([
      'receivedOn',
    ]);
    expect(
      fields(
        checkSignal({ kind: 'complaint', occurredOn: '2026-12-03', summary: 'x', amountFen: -1 }, TODAY),
      ),
    ).toEqual(['amountFen', 'occurredOn']);
    expect(fields(checkSignal({ kind: 'rumour', occurredOn: '2026-11', storeId: '0' }, TODAY))).toEqual([
      'kind',
      'occurredOn',
      'storeId',
      'summary',
    ]);
  });
});
