/**
 * Hand-built facts for the rules' unit tests and the off-generator scenario shapes: an issuer with
 * nothing against it, and builders of reports and signals with plain defaults.
 */
import type { IssuerFacts, ReportFact, SignalFact, SignalKind } from './risk-facts.js';

/** A healthy issuer's facts with no reports or signals (override what a case needs). */
export function baseFacts(over: Partial<IssuerFacts> = {}): IssuerFacts {
  return {
    enterpriseId: 1,
    sector: 'beauty_hair',
    sellingSince: '2020-01-01',
    guaranteeKind: 'escrow',
    platformRegisteredOn: '2020-01-01',
    stores: [{ openedOn: '2020-01-01', leaseEndsOn: null, closedOn: null }],
    reports: [],
    signals: [],
    credit: {
      tier: 'A',
      penaltyDates: [],
      anomalyListed: false,
      seriousListed: false,
      judicialCaseDates: [],
    },
    sectorComplaintsPer90d: null,
    ...over,
  };
}

/** A report with plain defaults: a quarter, submitted on its due day, nothing remarkable. */
export function report(over: Partial<ReportFact> = {}): ReportFact {
  return {
    periodKind: 'quarter',
    periodStart: '2025-01-01',
    periodEnd: '2025-03-31',
    submittedOn: '2025-04-20',
    balanceFen: 10_000_000,
    cardsSoldCount: 100,
    cardsSoldFen: 3_000_000,
    maxCardFen: 300_000,
    anonymousOverLimit: 0,
    registeredOverLimit: 0,
    longestTermMonths: 12,
    deepestDiscountPct: 10,
    redemptionsFen: 3_000_000,
    refundsFen: 0,
    escrowBalanceFen: 10_000_000,
    insuranceCoverFen: null,
    revenueLastYearFen: 200_000_000,
    ...over,
  };
}

/** A signal received the day it occurred. */
export function signal(kind: SignalKind, occurredOn: string, over: Partial<SignalFact> = {}): SignalFact {
  return {
    kind,
    occurredOn,
    receivedOn: occurredOn,
    amountFen: null,
    effectiveOn: null,
    discountPct: null,
    termMonths: null,
    ...over,
  };
}
