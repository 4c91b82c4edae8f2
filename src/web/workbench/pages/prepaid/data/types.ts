/** The shapes the prepaid data pages read (src/prepaid/issuers/prepaid-issuers.service.ts). */
export interface IssuerListItem {
  uscc: string;
  name: string;
  sector: string;
  street: string | null;
  stores: number;
  guaranteeKind: string;
  platformRegistered: boolean;
  level: string | null;
  levelSince: string | null;
  lastReportPeriodEnd: string | null;
  openAlertId: number | null;
}
export interface Store {
  id: number;
  name: string;
  address: string;
  street: string | null;
  openedOn: string | null;
  leaseEndsOn: string | null;
  closedOn: string | null;
}
export interface PayeeAccount {
  id: number;
  bank: string;
  accountTail: string;
  escrow: boolean;
  fromOn: string;
  untilOn: string | null;
}
export interface IssuerDetail {
  uscc: string;
  enterpriseId: number;
  name: string;
  sector: string;
  guaranteeKind: string;
  escrowBank: string | null;
  platformRegisteredOn: string | null;
  platformCode: string | null;
  sellingSince: string | null;
  establishedOn: string | null;
  address: string | null;
  street: string | null;
  tier: string | null;
  level: string | null;
  levelSince: string | null;
  evaluatedOn: string | null;
  stores: Store[];
  payeeAccounts: PayeeAccount[];
  openAlertId: number | null;
}
export interface Report {
  id: number;
  periodKind: string;
  periodStart: string;
  periodEnd: string;
  submittedOn: string;
  dueOn: string;
  late: boolean;
  balanceFen: number;
  cardsSoldCount: number;
  cardsSoldFen: number;
  redemptionsFen: number;
  refundsFen: number;
  maxCardFen: number | null;
  anonymousOverLimit: number;
  registeredOverLimit: number;
  revenueLastYearFen: number | null;
  escrowBalanceFen: number | null;
  insuranceCoverFen: number | null;
  deepestDiscountPct: number | null;
  longestTermMonths: number | null;
  superseded: boolean;
  supersededBy: number | null;
  correctionReason: string | null;
}
export interface Signal {
  id: number;
  kind: string;
  occurredOn: string;
  receivedOn: string;
  amountFen: number | null;
  effectiveOn: string | null;
  discountPct: number | null;
  termMonths: number | null;
  summary: string;
  sourceRef: string | null;
}
export interface Page<T> {
  items: T[];
  total: number;
}

/** Yangpu's streets (街道), for the filters and the store form. */
export const STREETS = [
  '五角场街道',
  '殷行街道',
  '控江路街道',
  '长白新村街道',
  '延吉新村街道',
  '四平路街道',
  '平凉路街道',
  '江浦路街道',
  '大桥街道',
  '定海路街道',
  '新江湾城街道',
  '长海路街道',
];

/**
 * An amount typed in yuan (元, up to two decimals) as fen for the API; anything else is sent as
 * typed so that the server's one normalisation names what is wrong with it. '' -> undefined.
 */
export function yuanToFen(text: string): number | string | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^-?[0-9]+(\.[0-9]{1,2})?$/.test(s)) return Math.round(Number(s) * 100);
  return s;
}
