import { describe, expect, it } from '@jest/globals';
import { dayNumber } from '../../common/calendar-days.js';
import { DEFAULT_RISK_MODEL as M, RiskModelError, validateRiskModel } from './default-risk-model.js';
import { cardOverLimit, escrowShortfall, requiredCover, sectorCardLimit } from './guarantee.js';
import {
  latestDueQuarter,
  longTermOrDeepDiscount,
  quarterDue,
  quarterStatus,
  redemptionFall,
  reportLate,
  reportMissing,
  salesSurge,
} from './reports.js';
import type { IssuerFacts, ReportFact } from './risk-facts.js';
import { RISK_LEVEL_LABELS, RISK_RULE_LABELS } from './rule-labels.js';
import { RISK_RULE_KEYS, type RuleOutcome, assessIssuer, combine } from './risk-rules.js';
import { day, ruleContext, yuan } from './rule-kit.js';
import {
  anomalyListing,
  closureShortNotice,
  complaintSurge,
  creditTier,
  lawsuits,
  leaseEnding,
  payeeOrEntityChange,
  penalties1y,
  unpaidWages,
  unreachable,
} from './signals.js';
import { baseFacts, report, signal } from './test-facts.js';

const YUAN = 100;
const ctx = (f: Partial<IssuerFacts>, asOf = '2025-05-01') => ruleContext(baseFacts(f), asOf);

/** Monthly reports from `from` (a month start) for n months, submitted on the 10th of the next month. */
function months(
  from: string,
  n: number,
  each: (i: number) => Partial<ReportFact> = () => ({}),
): ReportFact[] {
  const out: ReportFact[] = [];
  let y = +from.slice(0, 4);
  let m = +from.slice(5, 7);
  for (let i = 0; i < n; i++) {
    const start = `${y}-${String(m).padStart(2, '0')}-01`;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const end = `${y}-${String(m).padStart(2, '0')}-${last}`;
    const ny = m === 12 ? y + 1 : y;
    const nm = m === 12 ? 1 : m + 1;
    out.push(
      report({
        periodKind: 'month',
        periodStart: start,
        periodEnd: end,
        submittedOn: `${ny}-${String(nm).padStart(2, '0')}-10`,
        cardsSoldFen: 1_000_000,
        redemptionsFen: 1_000_000,
        ...each(i),
      }),
    );
    y = ny;
    m = nm;
  }
  return out;
}

describe('day numbers', () => {
  it('agree with calendar-days dayNumber', () => {
    for (const d of ['1970-01-01', '2024-02-29', '2025-12-31', '2026-03-01'])
      expect(day(d)).toBe(dayNumber(d));
  });
});

describe('escrow_shortfall: the Shanghai thresholds (domain.md 6)', () => {
  it('requires nothing at or under 200,000 yuan, 40 % above it', () => {
    expect(requiredCover(200_000 * YUAN, null, null, M)).toEqual({ requiredFen: 0, basis: 'none' });
    expect(requiredCover(200_000 * YUAN + 1, null, null, M)).toEqual({
      requiredFen: Math.ceil(((200_000 * YUAN + 1) * 40) / 100),
      basis: 'base',
    });
  });
  it('requires 100 % above 20 % of last year revenue, capped at 50 million yuan', () => {
    // 300,000 yuan is exactly 20 % of 1.5 million: not above, 40 %
    expect(requiredCover(300_000 * YUAN, 1_500_000 * YUAN, null, M).basis).toBe('base');
    expect(requiredCover(300_000 * YUAN, 1_499_999 * YUAN, null, M)).toEqual({
      requiredFen: 300_000 * YUAN,
      basis: 'revenue',
    });
    expect(requiredCover(60_000_000 * YUAN, 100_000_000 * YUAN, null, M)).toEqual({
      requiredFen: 50_000_000 * YUAN,
      basis: 'revenue',
    });
    // under the revenue tier's threshold of 200,000 yuan nothing applies, whatever the revenue
    expect(requiredCover(150_000 * YUAN, 100 * YUAN, null, M).basis).toBe('none');
  });
  it('requires 100 % of a firm under one year old above 200,000 yuan', () => {
    expect(requiredCover(300_000 * YUAN, null, 364, M)).toEqual({
      requiredFen: 300_000 * YUAN,
      basis: 'young',
    });
    expect(requiredCover(300_000 * YUAN, null, 365, M).basis).toBe('base');
  });
  const esc = (
    balance: number,
    escrow: number,
    insurance: number | null = null,
    f: Partial<IssuerFacts> = {},
  ) =>
    escrowShortfall(
      ctx({
        reports: [report({ balanceFen: balance, escrowBalanceFen: escrow, insuranceCoverFen: insurance })],
        ...f,
      }),
      M,
    );
  it('fires above a 5 % shortfall of the required cover, growing with it', () => {
    const balance = 1_000_000 * YUAN; // requires 400,000 yuan (revenue 2 million: 20 % = 400,000 -> above: 100 %)
    const need = requiredCover(balance, 200_000_000, null, M).requiredFen;
    expect(need).toBe(balance); // 1 million yuan above 20 % of 2 million: 100 %
    expect(esc(balance, need * 0.95).fired).toBe(false); // exactly 5 %: not above
    expect(esc(balance, need * 0.95 - 100).fired).toBe(true);
    const half = esc(balance, need * 0.5);
    const none = esc(balance, 0);
    expect(half.points).toBeGreaterThan(esc(balance, need * 0.9).points);
    expect(none.points).toBe(M.rules.escrow_shortfall.weight);
    expect(none.value).toBe(100);
    expect(none.reason).toContain('缺口占应存管额100%');
  });
  it('counts insurance cover beside the escrow balance', () => {
    expect(esc(1_000_000 * YUAN, 500_000 * YUAN, 500_000 * YUAN).fired).toBe(false);
  });
  it('does not fire without a report, nor under the threshold', () => {
    expect(escrowShortfall(ctx({}), M).fired).toBe(false);
    expect(esc(150_000 * YUAN, 0).fired).toBe(false);
  });
});

describe('card_over_limit: 1,000 / 5,000 yuan and the dated fitness limits', () => {
  const lim = (
    over: Partial<ReportFact>,
    sector: IssuerFacts['sector'] = 'beauty_hair',
    period = '2025-03-31',
  ) => cardOverLimit(ctx({ sector, reports: [report({ periodEnd: period, ...over })] }), M);
  it('fires on a card over 5,000 yuan, not at 5,000', () => {
    expect(lim({ maxCardFen: 5000 * YUAN }).fired).toBe(false);
    expect(lim({ maxCardFen: 5000 * YUAN + 1 }).fired).toBe(true);
  });
  it('counts the over-limit cards the reports declare (anonymous over 1,000, registered over 5,000)', () => {
    const o = lim({ anonymousOverLimit: 3, registeredOverLimit: 2 });
    expect(o.value).toBe(5);
    expect(lim({ anonymousOverLimit: 30 }).points).toBe(M.rules.card_over_limit.weight);
  });
  it('says in its reason the value and unit it shows, and what they are made of', () => {
    // one report with a card over the limit, no declared over-limit cards: 1 finding, not 1 card
    const o = lim({ maxCardFen: 6000 * YUAN });
    expect(o.value).toBe(1);
    expect(o.unit).toBe('项');
    expect(o.reason).toContain(`超限情形${o.value}${o.unit}`);
    expect(o.reason).toContain('申报超限卡0张、单卡超限额的报告期1个');
    expect(o.reason).not.toContain('张/期');
  });
  it('judges fitness from 2025-03-01 to 2026-12-31 by 沪体规文〔2025〕1号: 20,000 yuan, 24 months', () => {
    expect(sectorCardLimit('fitness', '2025-02-28')).toBeNull();
    expect(sectorCardLimit('fitness', '2025-03-01')?.maxPaymentFen).toBe(20_000 * YUAN);
    expect(sectorCardLimit('fitness', '2026-12-31')).not.toBeNull();
    expect(sectorCardLimit('fitness', '2027-01-01')).toBeNull();
    expect(lim({ maxCardFen: 10_000 * YUAN }, 'fitness').fired).toBe(false);
    expect(lim({ maxCardFen: 20_000 * YUAN + 1 }, 'fitness').fired).toBe(true);
    expect(lim({ longestTermMonths: 24 }, 'fitness').fired).toBe(false);
    expect(lim({ longestTermMonths: 25 }, 'fitness').fired).toBe(true);
    expect(lim({ longestTermMonths: 25 }, 'fitness').source.document).toContain('沪体规文〔2025〕1号');
    // before the window the national 5,000 yuan applies to fitness too
    const before = cardOverLimit(
      ctx({
        sector: 'fitness',
        reports: [
          report({
            periodStart: '2024-10-01',
            periodEnd: '2024-12-31',
            submittedOn: '2025-01-20',
            maxCardFen: 6000 * YUAN,
          }),
        ],
      }),
      M,
    );
    expect(before.fired).toBe(true);
  });
  it('forgets reports older than a year', () => {
    const old = report({
      periodStart: '2024-01-01',
      periodEnd: '2024-03-31',
      submittedOn: '2024-04-20',
      anonymousOverLimit: 9,
    });
    expect(cardOverLimit(ctx({ reports: [old] }, '2025-05-01'), M).fired).toBe(false);
  });
});

describe('reports due by the 25th of the quarter first month', () => {
  it('names quarters and due days', () => {
    expect(quarterDue(2024 * 4 + 3)).toEqual({ start: '2024-10-01', end: '2024-12-31', dueOn: '2025-01-25' });
    expect(quarterDue(2025 * 4)).toEqual({ start: '2025-01-01', end: '2025-03-31', dueOn: '2025-04-25' });
    expect(quarterDue(2025 * 4 + 1).end).toBe('2025-06-30');
    expect(latestDueQuarter('2025-04-25')).toBe(2024 * 4 + 3);
    expect(latestDueQuarter('2025-04-26')).toBe(2025 * 4);
    expect(latestDueQuarter('2025-06-30')).toBe(2025 * 4);
    expect(latestDueQuarter('2025-01-26')).toBe(2024 * 4 + 3);
    expect(latestDueQuarter('2025-01-25')).toBe(2024 * 4 + 2);
  });
  const q1 = quarterDue(2025 * 4);
  it('is on time on the 25th, late on the 26th, missing when absent', () => {
    expect(quarterStatus([report({ submittedOn: '2025-04-25' })], q1)).toBe('on_time');
    expect(quarterStatus([report({ submittedOn: '2025-04-26' })], q1)).toBe('late');
    expect(quarterStatus([], q1)).toBe('missing');
  });
  it('takes a monthly reporter whose months cover the quarter as on time', () => {
    expect(quarterStatus(months('2025-01-01', 3), q1)).toBe('on_time');
    expect(quarterStatus(months('2025-01-01', 2), q1)).toBe('missing');
    expect(
      quarterStatus(
        months('2025-01-01', 3, (i) => (i === 2 ? { submittedOn: '2025-04-28' } : {})),
        q1,
      ),
    ).toBe('late');
  });
  it('asks nothing for the months before the issuer began selling (opened in the quarter)', () => {
    // began selling on 2025-02-20: February and March are owed, January is not
    expect(quarterStatus(months('2025-02-01', 2), q1, '2025-02-20')).toBe('on_time');
    expect(quarterStatus(months('2025-03-01', 1), q1, '2025-02-20')).toBe('missing');
    expect(quarterStatus(months('2025-02-01', 2), q1, '2024-12-01')).toBe('missing');
    expect(quarterStatus(months('2025-02-01', 2), q1)).toBe('missing');
  });
  it('report_missing fires the day after the due day, report_late once it arrives late', () => {
    const facts = { sellingSince: '2025-01-01' };
    expect(reportMissing(ctx(facts, '2025-04-25'), M).fired).toBe(false); // due today, not yet missing
    expect(reportMissing(ctx(facts, '2025-04-26'), M).fired).toBe(true);
    const late = { ...facts, reports: [report({ submittedOn: '2025-05-02' })] };
    expect(reportMissing(ctx(late, '2025-05-01'), M).fired).toBe(true); // not submitted yet on 05-01
    expect(reportLate(ctx(late, '2025-05-02'), M).fired).toBe(true);
    expect(reportMissing(ctx(late, '2025-05-02'), M).fired).toBe(false);
  });
  it('does not count quarters before the issuer began selling', () => {
    expect(reportMissing(ctx({ sellingSince: '2025-04-01' }, '2025-05-01'), M).value).toBe(0);
    const o = reportMissing(ctx({ sellingSince: '2024-01-01' }, '2025-05-01'), M);
    expect(o.value).toBe(4);
    expect(o.points).toBe(M.rules.report_missing.weight);
    expect(o.floor).toBe('orange');
    // two missing: full points, no floor; three: orange
    const two = reportMissing(ctx({ sellingSince: '2024-10-01' }, '2025-05-01'), M);
    expect([two.value, two.points, two.floor]).toEqual([2, M.rules.report_missing.weight, null]);
    expect(reportMissing(ctx({ sellingSince: '2024-07-01' }, '2025-05-01'), M).floor).toBe('orange');
  });
});

describe('complaint_surge', () => {
  const complaints = (dates: string[], amount = 0) =>
    dates.map((d) => signal('complaint', d, { amountFen: amount }));
  const recent = (n: number) =>
    Array.from({ length: n }, (_, i) => `2025-04-${String(1 + i).padStart(2, '0')}`);
  it('needs 3 complaints and 2.5 times the expected count (at least 1)', () => {
    expect(complaintSurge(ctx({ signals: complaints(recent(2)) }), M).fired).toBe(false);
    expect(complaintSurge(ctx({ signals: complaints(recent(3)) }), M).fired).toBe(true);
  });
  it('measures against the issuer own trailing year', () => {
    // 8 complaints a year before: 2 per 90 days expected; 4 now is 2 times: not fired; 5 is 2.5
    const before = complaints([
      '2024-05-10',
      '2024-06-10',
      '2024-07-10',
      '2024-08-10',
      '2024-09-10',
      '2024-10-10',
      '2024-11-10',
      '2024-12-10',
    ]);
    expect(complaintSurge(ctx({ signals: [...before, ...complaints(recent(4))] }), M).fired).toBe(false);
    const o = complaintSurge(ctx({ signals: [...before, ...complaints(recent(5))] }), M);
    expect(o.value).toBe(2.5);
    expect(o.fired).toBe(true);
  });
  it('measures against the sector baseline too', () => {
    expect(complaintSurge(ctx({ signals: complaints(recent(5)), sectorComplaintsPer90d: 2 }), M).fired).toBe(
      true,
    );
    expect(
      complaintSurge(ctx({ signals: complaints(recent(5)), sectorComplaintsPer90d: 2.1 }), M).fired,
    ).toBe(false);
  });
  it('grows with the amounts complained of', () => {
    const small = complaintSurge(ctx({ signals: complaints(recent(3), 100 * YUAN) }), M);
    const big = complaintSurge(ctx({ signals: complaints(recent(3), 20_000 * YUAN) }), M);
    expect(big.points).toBeGreaterThan(small.points);
    expect(big.points).toBe(M.rules.complaint_surge.weight);
  });
  it('ignores complaints received after the day', () => {
    const late = [signal('complaint', '2025-04-01', { receivedOn: '2025-05-02' })];
    expect(complaintSurge(ctx({ signals: [...complaints(recent(2)), ...late] }), M).value).toBe(2);
  });
});

describe('trends in the reports', () => {
  const year = (last: Partial<ReportFact>, each: (i: number) => Partial<ReportFact> = () => ({})) =>
    ctx(
      {
        reports: months('2024-04-01', 13, (i) => ({
          cardsSoldFen: 10_000_000,
          redemptionsFen: 10_000_000,
          balanceFen: 100_000_000,
          escrowBalanceFen: 100_000_000,
          ...(i === 12 ? last : each(i)),
        })),
      },
      '2025-05-15',
    );
  it('sales_surge fires at twice the trend', () => {
    expect(salesSurge(year({ cardsSoldFen: 19_000_000 }), M).fired).toBe(false);
    expect(salesSurge(year({ cardsSoldFen: 21_000_000 }), M).fired).toBe(true);
    expect(salesSurge(year({ cardsSoldFen: 41_000_000 }), M).points).toBe(M.rules.sales_surge.weight);
    // a small business doubling its sales is not a surge worth points (50,000 yuan a month at least)
    const small = ctx(
      { reports: months('2024-04-01', 13, (i) => (i === 12 ? { cardsSoldFen: 3_000_000 } : {})) },
      '2025-05-15',
    );
    expect(salesSurge(small, M).fired).toBe(false);
  });
  it('sales_surge needs half a year of history', () => {
    const c = ctx(
      { reports: months('2025-01-01', 4, (i) => (i === 3 ? { cardsSoldFen: 9_000_000 } : {})) },
      '2025-05-15',
    );
    expect(salesSurge(c, M).fired).toBe(false);
  });
  it('redemption_fall fires at a 25 % fall while sales continue', () => {
    expect(M.rules.redemption_fall.minDropPct).toBe(25);
    const under = redemptionFall(year({ redemptionsFen: 7_500_000 }), M);
    expect([under.fired, under.value]).toEqual([false, expect.any(Number)]);
    expect(under.value as number).toBeLessThan(25);
    const o = redemptionFall(year({ redemptionsFen: 7_300_000 }), M);
    expect(o.fired).toBe(true);
    expect(o.value).toBeGreaterThanOrEqual(25);
    expect(o.value).toBeLessThan(27);
    // the same fall against a growing balance: the share of the balance consumed falls
    expect(redemptionFall(year({ balanceFen: 150_000_000 }), M).fired).toBe(true);
    // sales stopped too: a business winding down in order, not this rule
    expect(redemptionFall(year({ redemptionsFen: 5_000_000, cardsSoldFen: 4_000_000 }), M).fired).toBe(false);
  });
  it('long_term_or_deep_discount fires at 50 % off or beyond 24 months', () => {
    expect(longTermOrDeepDiscount(year({ deepestDiscountPct: 49 }), M).fired).toBe(false);
    expect(longTermOrDeepDiscount(year({ deepestDiscountPct: 50 }), M).fired).toBe(true);
    expect(longTermOrDeepDiscount(year({ longestTermMonths: 24 }), M).fired).toBe(false);
    expect(longTermOrDeepDiscount(year({ longestTermMonths: 25 }), M).fired).toBe(true);
    const promo = ctx({ signals: [signal('promotion', '2025-04-01', { discountPct: 70, termMonths: 36 })] });
    expect(longTermOrDeepDiscount(promo, M).fired).toBe(true);
  });
});

describe('notices, leases, signals and credit', () => {
  const notice = (kind: 'closure_notice' | 'moving_notice', given: string, effective: string | null) =>
    ctx({ signals: [signal(kind, given, { effectiveOn: effective })] }, '2025-05-01');
  it('closing with 29 days notice is red, with 30 days orange', () => {
    const short = closureShortNotice(notice('closure_notice', '2025-04-20', '2025-05-19'), M);
    expect([short.fired, short.floor, short.value]).toEqual([true, 'red', 29]);
    const long = closureShortNotice(notice('closure_notice', '2025-04-20', '2025-05-20'), M);
    expect([long.fired, long.floor, long.value]).toEqual([true, 'orange', 30]);
    expect(closureShortNotice(notice('closure_notice', '2025-04-20', null), M).floor).toBe('red');
  });
  it('moving with 30 days notice still counts, without a floor', () => {
    const m = closureShortNotice(notice('moving_notice', '2025-04-20', '2025-05-20'), M);
    expect([m.fired, m.floor]).toEqual([true, null]);
    expect(m.points).toBe(M.rules.closure_short_notice.weight * 0.4);
    expect(closureShortNotice(notice('moving_notice', '2025-04-20', '2025-05-10'), M).floor).toBe('red');
  });
  it('the last store closing without notice is a closure with 0 days notice', () => {
    const c = ctx({ stores: [{ openedOn: '2020-01-01', leaseEndsOn: null, closedOn: '2025-04-28' }] });
    expect(closureShortNotice(c, M).floor).toBe('red');
    const future = ctx({ stores: [{ openedOn: '2020-01-01', leaseEndsOn: null, closedOn: '2025-05-02' }] });
    expect(closureShortNotice(future, M).fired).toBe(false);
  });
  it('lease_ending: within 90 days', () => {
    const s = (leaseEndsOn: string) =>
      leaseEnding(ctx({ stores: [{ openedOn: '2020-01-01', leaseEndsOn, closedOn: null }] }), M);
    expect(s('2025-07-30').fired).toBe(true); // 90 days after 05-01
    expect(s('2025-07-31').fired).toBe(false);
    expect(s('2025-04-01').fired).toBe(true); // ended 30 days ago, store still open
    expect(s('2025-03-31').fired).toBe(false);
  });
  it('unreachable is red for 90 days', () => {
    expect(unreachable(ctx({ signals: [signal('unreachable', '2025-02-01')] }), M).floor).toBe('red');
    expect(unreachable(ctx({ signals: [signal('unreachable', '2025-01-31')] }), M).fired).toBe(false);
  });
  it('two penalties within a year are at least orange (serious-list case)', () => {
    const p = (dates: string[]) =>
      penalties1y(ctx({ credit: { ...baseFacts().credit, penaltyDates: dates } }), M);
    expect(p(['2025-01-01']).floor).toBeNull();
    expect(p(['2025-01-01']).fired).toBe(true);
    expect(p(['2024-05-02', '2025-01-01']).floor).toBe('orange');
    expect(p(['2024-05-01', '2025-01-01']).floor).toBeNull(); // 365 days before: outside the year
    expect(p(['2025-01-01', '2025-06-01']).value).toBe(1); // after the day: never read
  });
  it('payee changes, unpaid wages, lawsuits, anomaly list and the credit tier', () => {
    expect(payeeOrEntityChange(ctx({ signals: [signal('payee_change', '2025-03-01')] }), M).fired).toBe(true);
    expect(unpaidWages(ctx({ signals: [signal('unpaid_wages', '2025-03-01')] }), M).points).toBeCloseTo(15);
    expect(
      lawsuits(
        ctx({
          credit: { ...baseFacts().credit, judicialCaseDates: ['2025-01-01'] },
          signals: [signal('lawsuit', '2025-02-01')],
        }),
        M,
      ).value,
    ).toBe(2);
    expect(anomalyListing(ctx({ credit: { ...baseFacts().credit, anomalyListed: true } }), M).fired).toBe(
      true,
    );
    expect(anomalyListing(ctx({ credit: { ...baseFacts().credit, seriousListed: true } }), M).floor).toBe(
      'orange',
    );
    const tier = (t: string | null) =>
      creditTier(ctx({ credit: { ...baseFacts().credit, tier: t } }), M).points;
    expect([tier('A'), tier('B'), tier('C'), tier('D'), tier(null)]).toEqual([0, 0, 7.5, 15, 0]);
  });
});

describe('windows and edges', () => {
  it('trend rules ignore a latest report older than 120 days', () => {
    const reports = months('2024-01-01', 13, (i) => ({
      cardsSoldFen: i === 12 ? 60_000_000 : 10_000_000,
      redemptionsFen: 10_000_000,
      balanceFen: 100_000_000,
    }));
    // January 2025 ends 2025-01-31: 120 days later is 2025-05-31
    expect(salesSurge(ctx({ reports }, '2025-05-31'), M).fired).toBe(true);
    expect(salesSurge(ctx({ reports }, '2025-06-01'), M).fired).toBe(false);
  });
  it('a young issuer is measured against its sector and the floor of 1, not a baseline it does not have', () => {
    const young = { sellingSince: '2025-02-01' };
    const c = complaintSurge(
      ctx({
        ...young,
        signals: [
          signal('complaint', '2025-02-10'),
          signal('complaint', '2025-03-10'),
          signal('complaint', '2025-04-10'),
        ],
      }),
      M,
    );
    expect([c.fired, c.value]).toEqual([true, 3]);
  });
  it('closed stores have no lease to end; old notices are forgotten', () => {
    const closed = leaseEnding(
      ctx({
        stores: [
          { openedOn: '2020-01-01', leaseEndsOn: '2025-06-01', closedOn: '2025-04-01' },
          { openedOn: '2020-01-01', leaseEndsOn: null, closedOn: null },
        ],
      }),
      M,
    );
    expect(closed.fired).toBe(false);
    // announced day more than 90 days past: no longer a live notice
    const old = ctx(
      { signals: [signal('moving_notice', '2025-01-01', { effectiveOn: '2025-01-30' })] },
      '2025-05-01',
    );
    expect(closureShortNotice(old, M).fired).toBe(false);
    const live = ctx(
      { signals: [signal('moving_notice', '2025-01-01', { effectiveOn: '2025-01-31' })] },
      '2025-05-01',
    );
    expect(closureShortNotice(live, M).fired).toBe(true);
  });
  it('escrow uses the latest report only, and a young issuer needs 100 %', () => {
    const older = report({
      periodStart: '2024-10-01',
      periodEnd: '2024-12-31',
      submittedOn: '2025-01-20',
      escrowBalanceFen: 0,
    });
    expect(escrowShortfall(ctx({ reports: [older, report()] }), M).fired).toBe(false);
    const young = report({ balanceFen: 30_000_000, escrowBalanceFen: 12_000_000, revenueLastYearFen: null });
    expect(escrowShortfall(ctx({ sellingSince: '2024-06-01', reports: [young] }), M).fired).toBe(true); // 40 % is not enough
    expect(escrowShortfall(ctx({ sellingSince: '2024-03-31', reports: [young] }), M).fired).toBe(false); // a year old on 2025-03-31
  });
});

describe('assessIssuer', () => {
  it('gives every rule an outcome with a source and a reason, none for a clean issuer', () => {
    const a = assessIssuer(baseFacts(), '2025-05-01', M);
    expect(a.outcomes.map((o) => o.rule).sort()).toEqual([...RISK_RULE_KEYS].sort());
    for (const o of a.outcomes) {
      expect(o.source.document.length).toBeGreaterThan(0);
      expect(o.reason.length).toBeGreaterThan(0);
    }
    // no reports at all while selling since 2020: four quarters missing, at least orange
    expect(a.level).toBe('orange');
    expect(a.outcomes[0]!.rule).toBe('report_missing');
  });
  it('adds points into levels and applies floors', () => {
    const o = (points: number, floor: RuleOutcome['floor'] = null): RuleOutcome => ({
      rule: 'lawsuits',
      fired: true,
      points,
      floor,
      value: 1,
      threshold: 1,
      unit: '',
      reason: '',
      source: { document: 'x' },
    });
    const c = M.levelCuts;
    expect(combine(1, '2025-05-01', M, [o(c.yellow - 10), o(9.99)]).level).toBe('blue');
    expect(combine(1, '2025-05-01', M, [o(c.yellow - 10), o(10)]).level).toBe('yellow');
    expect(combine(1, '2025-05-01', M, [o(c.orange - 0.01)]).level).toBe('yellow');
    expect(combine(1, '2025-05-01', M, [o(c.orange)]).level).toBe('orange');
    expect(combine(1, '2025-05-01', M, [o(c.red)]).level).toBe('red');
    expect(combine(1, '2025-05-01', M, [o(c.blue - 0.01)]).level).toBe('none');
    expect(combine(1, '2025-05-01', M, [o(5, 'orange'), o(5)]).level).toBe('orange');
    expect(combine(1, '2025-05-01', M, [o(0, 'red')]).level).toBe('red');
    expect(combine(1, '2025-05-01', M, [{ ...o(90), fired: false }]).level).toBe('none');
  });
  it('never reads facts dated after the day (an explanation as of a past date)', () => {
    const past = baseFacts({
      reports: months('2024-04-01', 12),
      signals: [signal('complaint', '2025-03-01')],
    });
    const withFuture = baseFacts({
      ...past,
      reports: [
        ...past.reports,
        ...months('2025-04-01', 3, () => ({ escrowBalanceFen: 0, redemptionsFen: 0 })),
      ],
      signals: [
        ...past.signals,
        signal('unreachable', '2025-04-20', { receivedOn: '2025-05-16' }),
        signal('closure_notice', '2025-05-20'),
      ],
      credit: { ...past.credit, penaltyDates: ['2025-05-20', '2025-05-21'] },
    });
    const a = assessIssuer(past, '2025-05-09', M);
    const b = assessIssuer(withFuture, '2025-05-09', M);
    expect(b).toEqual(a);
    expect(assessIssuer(withFuture, '2025-05-31', M).level).toBe('red');
  });
});

describe('validateRiskModel', () => {
  const copy = () => JSON.parse(JSON.stringify(M)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const fails = (c: unknown, field: string) => {
    try {
      validateRiskModel(c);
    } catch (e) {
      expect(e).toBeInstanceOf(RiskModelError);
      expect((e as RiskModelError).field).toBe(field);
      return;
    }
    throw new Error(`no error for ${field}`);
  };
  it('accepts the default model', () => {
    expect(validateRiskModel(copy()).version).toBe('prepaid-risk-v1');
  });
  it('names the wrong field', () => {
    fails(null, 'model');
    fails({ ...copy(), version: 'v 1' }, 'version');
    fails({ ...copy(), description: ' ' }, 'description');
    let c = copy();
    c.levelCuts.orange = 20;
    fails(c, 'levelCuts.orange');
    c = copy();
    delete c.rules.sales_surge;
    fails(c, 'rules.sales_surge');
    c = copy();
    c.rules.bogus = { weight: 1 };
    fails(c, 'rules.bogus');
    c = copy();
    c.rules.sales_surge.surgeRatio = 'two';
    fails(c, 'rules.sales_surge.surgeRatio');
    c = copy();
    c.rules.escrow_shortfall.baseSharePct = 140;
    fails(c, 'rules.escrow_shortfall.baseSharePct');
    c = copy();
    c.rules.closure_short_notice.longClosureFloor = 'purple';
    fails(c, 'rules.closure_short_notice.longClosureFloor');
    c = copy();
    c.rules.report_late.lookbackQuarters = 1.5;
    fails(c, 'rules.report_late.lookbackQuarters');
    c = copy();
    c.rules.lawsuits.weight = -1;
    fails(c, 'rules.lawsuits.weight');
    c = copy();
    c.rules.complaint_surge.minBaseline = 0;
    fails(c, 'rules.complaint_surge.minBaseline');
    c = copy();
    c.rules.lawsuits.extra = 1;
    fails(c, 'rules.lawsuits.extra');
  });
});

describe('reason helpers', () => {
  it('write yuan of fen, always with two decimals', () => {
    expect(yuan(12_345_678)).toBe('123,456.78元');
    expect(yuan(100)).toBe('1.00元');
    expect(yuan(105)).toBe('1.05元');
    expect(yuan(150)).toBe('1.50元');
    expect(yuan(100_000_000)).toBe('1,000,000.00元');
    expect(yuan(0)).toBe('0.00元');
  });
});

describe('labels', () => {
  it('name every rule and level in Chinese', () => {
    for (const k of RISK_RULE_KEYS) expect(RISK_RULE_LABELS[k]).toMatch(/[\u4e00-\u9fff]/);
    expect(Object.keys(RISK_RULE_LABELS).sort()).toEqual([...RISK_RULE_KEYS].sort());
    expect(RISK_LEVEL_LABELS.red).toBe('红色');
  });
});
