/** Shapes of the enterprise and credit API the pages read (src/enterprises/dto, src/credit/dto). */

export interface Label {
  zh: string;
  en: string;
}

/** EnterpriseView (GET /api/enterprises, /api/enterprises/:uscc). */
export interface Enterprise {
  uscc: string;
  registrationNo: string | null;
  reviewFlags: string[];
  usccDerived: boolean;
  name: string;
  entityType: string;
  industryCode: string | null;
  divisionCode: string | null;
  street: string | null;
  address: string | null;
  establishedOn: string | null;
  establishedOnEstimated: boolean;
  status: string;
  statusLabel: string;
  prepaidIssuer: boolean;
  registeredCapitalFen: number | null;
  registeredCapitalBand: string | null;
  tier: string | null;
  score: number | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/enterprises/facets. */
export interface Facets {
  streets: { street: string; count: number }[];
  divisions: { code: string; name: string; count: number }[];
  industries: { code: string; count: number }[];
  tiers: { tier: string; label: Label; count: number }[];
}

/** ReasonView: an indicator or hard rule with its points. */
export interface Reason {
  code: string;
  zh: string;
  en: string;
  value: number;
  points: number;
}

export interface HardRule {
  code: string;
  zh: string;
  en: string;
  indicator: string;
  value: number;
  minTier: string;
  source: string;
  decisive: boolean;
}

/** TierDecisionView: which rule decided the tier. */
export interface TierDecision {
  decidedBy: 'score' | 'hard_rule';
  tier: string;
  score: number;
  scoreTier: string;
  scoreTierMinScore: number;
  nextBetter: { tier: string; minScore: number } | null;
  hardRule: HardRule | null;
  hardRules: HardRule[];
  cutOffs: { tier: string; minScore: number; label: Label }[];
  summary: Label;
}

/** GET /api/enterprises/:uscc/credit. */
export interface CreditStatus {
  uscc: string;
  score: number;
  tier: string;
  tierLabel: Label;
  modelVersion: string;
  asOf: string;
  computedAt: string;
  reasons: Reason[];
  indicators: Reason[];
  tierDecision: TierDecision;
}

export interface ExplainedRecord {
  id: number;
  kind: string;
  recordDate: string;
  sourceDepartment: string;
  decisionNo: string | null;
  penaltySeverity: string | null;
  listType: string | null;
  details: Record<string, unknown> | null;
  outcome: string | null;
  subject: string | null;
  changeItem: string | null;
  indicators: string[];
  /** until when it counts as of the explanation's date, and why (publication period, window, repair) */
  counting: { until: string | null; reason: string };
}

/** GET /api/enterprises/:uscc/credit/explain?asOf=. */
export interface Explanation {
  uscc: string;
  asOf: string;
  modelVersion: string;
  score: number;
  tier: string;
  tierLabel: Label;
  tierDecision: TierDecision;
  indicators: (Reason & { records: number[] })[];
  records: ExplainedRecord[];
  recordsTotal: number;
  relatedParties: { uscc: string; name: string }[];
}

/** GET /api/enterprises/:uscc/credit/history (newest first). */
export interface TierChange {
  changedAt: string;
  asOf: string;
  runId: number;
  modelVersion: string;
  fromTier: string | null;
  fromTierLabel: Label | null;
  toTier: string;
  toTierLabel: Label;
  fromScore: number | null;
  toScore: number;
  reasons: Reason[];
}

/** GET /api/enterprises/:uscc/credit/snapshots (newest first). */
export interface Snapshot {
  month: string;
  score: number;
  tier: string;
  modelVersion: string;
  asOf: string;
  inputsDigest: string;
  indicators: Reason[];
}

/** CreditRecordItemView (GET /api/enterprises/:uscc/credit-records). */
export interface CreditRecord {
  id: number;
  kind: string;
  recordDate: string;
  dateEstimated: boolean;
  sourceDepartment: string;
  polarity: string;
  validUntil: string | null;
  decisionNo: string | null;
  procedure: string | null;
  penaltyTypes: string[] | null;
  penaltySeverity: string | null;
  fineFen: number | null;
  listType: string | null;
  listingReason: string | null;
  listedOn: string | null;
  removedOn: string | null;
  channel: string | null;
  subject: string | null;
  outcome: string | null;
  amountFen: number | null;
  changeItem: string | null;
  details: Record<string, unknown> | null;
  /** a penalty's publication window (issue 13; absent on an older backend) */
  publicationStart?: string | null;
  publicationLastDay?: string | null;
  earliestRepairOn?: string | null;
  neverEndedEarly?: boolean;
  regimeCode?: string | null;
  periodProvisional?: boolean;
  repairedOn?: string | null;
  sourceSystem: string;
  sourceKey: string;
  createdAt: string;
  /** contract E: absent on a backend without it */
  counting?: {
    state: 'counting' | 'not_weighed' | 'not_yet' | 'ended';
    counts: boolean;
    until: string | null;
    reason: string;
  };
}
