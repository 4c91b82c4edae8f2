/**
 * Off-generator shapes (issue 14: "because generated data can flatter its own rules"): issuers built by
 * hand, not by generator.ts, assessed weekly, to say honestly what the rules do with them, including where
 * they cannot warn. Pure.
 */
import { DEFAULT_RISK_MODEL } from '../rules/default-risk-model.js';
import type { ReportFact, RiskLevel, SignalFact } from '../rules/risk-facts.js';
import { type RiskModelConfig, type RiskRuleKey, assessIssuer, levelRank } from '../rules/risk-rules.js';
import { dateOfDay, day } from '../rules/rule-kit.js';
import { requiredCover } from '../rules/guarantee.js';
import { type ScenarioIssuer, factsAsOf } from './generator.js';

/** A run of weeks at one level. */
export interface LevelSegment {
  from: string;
  to: string;
  level: RiskLevel;
  maxScore: number;
  /** rules fired in any week of the run */
  fired: RiskRuleKey[];
}

export interface ShapeResult {
  name: string;
  description: string;
  segments: LevelSegment[];
  maxLevel: RiskLevel;
  /** the worst level before the closure (the whole horizon when it does not close) */
  maxLevelBeforeClosure: RiskLevel;
  firstOrangeOn: string | null;
  closesOn: string | null;
  /** days between the first orange/red and the closure (null: not warned before it, or no closure) */
  leadDays: number | null;
  verdict: string;
}

const FROM = '2024-02-01';
const TO = '2025-12-31';

/** Monthly reports from 2023-01 for `n` months, each from `f(i)`, submitted on the 10th of the next month. */
function monthly(n: number, f: (i: number) => Partial<ReportFact>): ReportFact[] {
  const out: ReportFact[] = [];
  for (let i = 0; i < n; i++) {
    const from = Date.UTC(2023, i, 1) / 86_400_000;
    const to = Date.UTC(2023, i + 1, 0) / 86_400_000;
    out.push({
      periodKind: 'month',
      periodStart: dateOfDay(from),
      periodEnd: dateOfDay(to),
      submittedOn: dateOfDay(to + 10),
      balanceFen: 100_000_000,
      cardsSoldCount: 50,
      cardsSoldFen: 10_000_000,
      maxCardFen: 400_000,
      anonymousOverLimit: 0,
      registeredOverLimit: 0,
      longestTermMonths: 12,
      deepestDiscountPct: 20,
      redemptionsFen: 10_000_000,
      refundsFen: 0,
      escrowBalanceFen: 100_000_000,
      insuranceCoverFen: null,
      revenueLastYearFen: 300_000_000,
      ...f(i),
    });
  }
  return out;
}

const complaint = (on: string, amountFen = 100_000): SignalFact => ({
  kind: 'complaint',
  occurredOn: on,
  receivedOn: on,
  amountFen,
  effectiveOn: null,
  discountPct: null,
  termMonths: null,
});

function issuer(over: Partial<ScenarioIssuer>): ScenarioIssuer {
  return {
    id: 9000,
    kind: 'healthy',
    sector: 'beauty_hair',
    sellingSince: '2019-05-01',
    guaranteeKind: 'escrow',
    closesOn: null,
    driftStartsOn: null,
    intensity: 0,
    reports: [],
    signals: [],
    stores: [
      { openedOn: '2019-05-01', closedOn: null, leases: [{ knownFrom: '2019-05-01', endsOn: '2028-04-30' }] },
    ],
    tier: 'B',
    penaltyDates: [],
    judicialCaseDates: [],
    ...over,
  };
}

interface Shape {
  name: string;
  description: string;
  issuer: ScenarioIssuer;
  sectorComplaintsPer90d: number;
}

/** The hand-built shapes. */
export function shapes(): Shape[] {
  // 1. closes suddenly: nothing changes in its reports or signals until it shuts on 2025-06-15
  const sudden = issuer({
    id: 9001,
    closesOn: '2025-06-15',
    reports: monthly(29, () => ({})),
    signals: [{ ...complaint('2025-06-18'), kind: 'unreachable', amountFen: null }],
    stores: [
      {
        openedOn: '2019-05-01',
        closedOn: '2025-06-15',
        leases: [{ knownFrom: '2019-05-01', endsOn: '2028-04-30' }],
      },
    ],
  });

  // 2. grows fast and healthily: sales +8 % a month, redemptions keep pace with the balance (10 % a
  //    month), cover kept at 105 % of the requirement, complaints growing with the customers
  let balance = 30_000_000;
  const growth: ReportFact[] = monthly(36, (i) => {
    const sales = Math.round(5_000_000 * 1.08 ** i);
    const redemptions = Math.round(balance * 0.1);
    balance = balance + sales - redemptions;
    const revenue = Math.round(12 * 5_000_000 * 1.08 ** Math.max(0, i - 12) * 3);
    const need = requiredCover(balance, revenue, null, DEFAULT_RISK_MODEL).requiredFen;
    return {
      balanceFen: balance,
      cardsSoldFen: sales,
      cardsSoldCount: Math.round(sales / 200_000),
      redemptionsFen: redemptions,
      escrowBalanceFen: Math.round(need * 1.05),
      revenueLastYearFen: revenue,
    };
  });
  const growthComplaints: SignalFact[] = [];
  let expected = 0;
  for (let i = 0; i < 36; i++) {
    const before = Math.floor(expected);
    expected += 0.25 * 1.08 ** i;
    for (let k = before; k < Math.floor(expected); k++)
      growthComplaints.push(complaint(dateOfDay(Date.UTC(2023, i, 12 + (k % 10)) / 86_400_000)));
  }
  const fastGrowth = issuer({ id: 9002, sector: 'fitness', reports: growth, signals: growthComplaints });

  // 3. a big healthy chain: 30 stores, 6 complaints every month (its normal), a sector baseline of 1
  const chainComplaints: SignalFact[] = [];
  for (let i = 0; i < 36; i++)
    for (let k = 0; k < 6; k++)
      chainComplaints.push(complaint(dateOfDay(Date.UTC(2023, i, 3 + 4 * k) / 86_400_000), 300_000));
  const chain = issuer({
    id: 9003,
    reports: monthly(36, () => ({
      balanceFen: 3_000_000_000,
      cardsSoldFen: 300_000_000,
      redemptionsFen: 300_000_000,
      escrowBalanceFen: 3_000_000_000,
      revenueLastYearFen: 12_000_000_000,
    })),
    signals: chainComplaints,
    stores: Array.from({ length: 30 }, (_, s) => ({
      openedOn: '2018-01-01',
      closedOn: null,
      leases: [{ knownFrom: '2018-01-01', endsOn: `${2027 + (s % 3)}-0${1 + (s % 9)}-28` }],
    })),
  });

  // 4. goes silent: a quarterly reporter that stops reporting after 2024Q3 and gives no other sign
  const silentReports = [0, 1, 2, 3, 4, 5, 6].map((q) => ({
    ...monthly(3 * q + 3, () => ({}))[3 * q + 2]!,
    periodKind: 'quarter' as const,
    periodStart: dateOfDay(Date.UTC(2023, 3 * q, 1) / 86_400_000),
    submittedOn: dateOfDay(Date.UTC(2023, 3 * q + 3, 15) / 86_400_000),
    cardsSoldFen: 30_000_000,
    redemptionsFen: 30_000_000,
  }));
  const silent = issuer({ id: 9004, reports: silentReports });

  // 5. erodes its escrow honestly: reports on time, the escrow falls from 100 % to 0 over 2024-07..2025-06
  const erosion = issuer({
    id: 9005,
    reports: monthly(36, (i) => ({
      escrowBalanceFen: Math.round(100_000_000 * Math.max(0, Math.min(1, 1 - (i - 18) / 12))),
    })),
  });

  return [
    {
      name: 'sudden_closure',
      description: '无任何征兆突然闭店（2025-06-15），之后无法联系',
      issuer: sudden,
      sectorComplaintsPer90d: 1,
    },
    {
      name: 'fast_healthy_growth',
      description: '健康快速增长：售卡月增8%，兑付同步，存管足额',
      issuer: fastGrowth,
      sectorComplaintsPer90d: 1,
    },
    {
      name: 'big_chain_many_complaints',
      description: '大型连锁（30家门店）每月6件投诉，属常态',
      issuer: chain,
      sectorComplaintsPer90d: 1,
    },
    {
      name: 'silent_stop',
      description: '季报经营者2024年第三季度后停止报送，无其他信号',
      issuer: silent,
      sectorComplaintsPer90d: 1,
    },
    {
      name: 'escrow_erosion',
      description: '按时报送，存管资金一年内由足额降至零，无其他信号',
      issuer: erosion,
      sectorComplaintsPer90d: 1,
    },
  ];
}

/** Assesses each shape weekly from 2024-02-01 (a year of reports before) to 2025-12-31 (or to 45 days after its closure). */
export function runShapes(model: RiskModelConfig = DEFAULT_RISK_MODEL): ShapeResult[] {
  return shapes().map((s) => {
    const close = s.issuer.closesOn ? day(s.issuer.closesOn) : null;
    const end = close !== null ? Math.min(day(TO), close + 45) : day(TO);
    const segments: LevelSegment[] = [];
    let maxLevel: RiskLevel = 'none';
    let before: RiskLevel = 'none';
    let firstOrange: number | null = null;
    for (let d = day(FROM); d <= end; d += 7) {
      const asOf = dateOfDay(d);
      const a = assessIssuer(factsAsOf(s.issuer, asOf, s.sectorComplaintsPer90d), asOf, model);
      const fired = a.outcomes.filter((o) => o.fired).map((o) => o.rule);
      if (levelRank(a.level) > levelRank(maxLevel)) maxLevel = a.level;
      if ((close === null || d < close) && levelRank(a.level) > levelRank(before)) before = a.level;
      if (firstOrange === null && levelRank(a.level) >= levelRank('orange')) firstOrange = d;
      const last = segments[segments.length - 1];
      if (last && last.level === a.level) {
        last.to = asOf;
        last.maxScore = Math.max(last.maxScore, a.score);
        for (const r of fired) if (!last.fired.includes(r)) last.fired.push(r);
      } else segments.push({ from: asOf, to: asOf, level: a.level, maxScore: a.score, fired });
    }
    const lead = close !== null && firstOrange !== null && firstOrange < close ? close - firstOrange : null;
    const verdict =
      close !== null
        ? lead !== null
          ? `warned orange/red ${lead} days before closure`
          : `not warned before closure (worst before it: ${before}); ${maxLevel} after it`
        : `worst level over the horizon: ${maxLevel}${firstOrange !== null ? ` (orange or worse from ${dateOfDay(firstOrange)})` : ''}`;
    return {
      name: s.name,
      description: s.description,
      segments,
      maxLevel,
      maxLevelBeforeClosure: before,
      firstOrangeOn: firstOrange === null ? null : dateOfDay(firstOrange),
      closesOn: s.issuer.closesOn,
      leadDays: lead,
      verdict,
    };
  });
}
