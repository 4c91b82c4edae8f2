import { RISK_LEVEL_LABELS } from '../../../shared/labels-prepaid';

/**
 * Shapes of the prepaid risk API (issue 14, docs: the API contract; src/prepaid/evaluation and
 * src/prepaid/alerts) as the pages read them. Money in fen, dates 'YYYY-MM-DD', instants ISO.
 */

export type RiskLevel = 'none' | 'blue' | 'yellow' | 'orange' | 'red';
export type AlertLevel = 'yellow' | 'orange' | 'red';
export type AlertStatus = 'open' | 'assigned' | 'disposing' | 'feedback' | 'closed';
export type DisposalKind =
  'interview' | 'warning_letter' | 'onsite_check' | 'stop_prepayment_order' | 'referral';

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A rule's source: a document and its article. */
export interface RuleSource {
  document: string;
  article?: string;
}

/** What one rule found as of a day (risk-rules.ts RuleOutcome). */
export interface RuleOutcome {
  rule: string;
  fired: boolean;
  points: number;
  floor: RiskLevel | null;
  value: number | string | null;
  threshold: number | string | null;
  unit: string;
  reason: string;
  source: RuleSource;
}

/** GET /api/prepaid/issuers/:uscc/risk (risk-rules.ts RiskAssessment). */
export interface RiskAssessment {
  enterpriseId: number;
  asOf: string;
  modelVersion: string;
  level: RiskLevel;
  score: number;
  outcomes: RuleOutcome[];
}

/** GET /api/prepaid/issuers/:uscc/risk-trend */
export interface RiskTrend {
  points: { asOf: string; level: RiskLevel; score: number; fired: string[] }[];
}

/** One street of GET /api/prepaid/risk-map. */
export interface StreetRisk {
  street: string;
  issuers: number;
  /** not evaluated yet (未评估) */
  unevaluated: number;
  none: number;
  blue: number;
  yellow: number;
  orange: number;
  red: number;
  openAlerts: number;
  overdueAlerts: number;
}

export interface RiskMap {
  asOf: string;
  streets: StreetRisk[];
}

export interface UserRef {
  id: number;
  displayName: string;
}

/** One row of GET /api/prepaid/alerts. */
export interface AlertListItem {
  id: number;
  uscc: string;
  name: string;
  sector: string;
  street: string | null;
  level: AlertLevel;
  openedLevel: AlertLevel;
  openedOn: string;
  raisedOn: string | null;
  status: AlertStatus;
  dueOn: string | null;
  /** the due day crossed a year the holiday calendar does not cover yet */
  dueProvisional?: boolean;
  overdue: boolean;
  assignee: UserRef | null;
}

export interface AlertEvent {
  id: number;
  kind: string;
  level: AlertLevel | null;
  asOf: string | null;
  note: string | null;
  evidence: RiskAssessment | null;
  actor: UserRef | string | null;
  at: string;
}

export interface Disposal {
  id: number;
  kind: DisposalKind;
  decidedOn: string;
  note: string;
  referredTo: string | null;
  triggerId: number | null;
  taskId: number | null;
  taskStatus: string | null;
  creditRecordId: number | null;
  createdBy: UserRef | string | null;
  createdAt: string;
}

/** GET /api/prepaid/alerts/:id */
export interface AlertDetail extends AlertListItem {
  evidence: RiskAssessment;
  events: AlertEvent[];
  disposals: Disposal[];
  findings: string | null;
  issuerAction: string | null;
  outcome: string | null;
  creditRecordId: number | null;
  modelVersion: string;
}

/** POST /api/prepaid/evaluations */
export interface EvaluationRun {
  id: number;
  asOf: string;
  modelVersion: string;
  evaluated: number;
  levels: Record<RiskLevel, number>;
  alertsOpened: number;
  alertsRaised: number;
  startedAt: string;
  finishedAt: string | null;
  /** the day had been evaluated already: this is that run, nothing was done again */
  repeated?: boolean;
  /** this call completed a run an earlier call left unfinished */
  resumed?: boolean;
}

/** GET /api/prepaid/issuers/:uscc (the data slice's IssuerDetail; the fields these pages read). */
export interface IssuerDetail {
  uscc: string;
  enterpriseId: number;
  name: string;
  sector: string;
  guaranteeKind: string;
  street: string | null;
  address: string | null;
  tier: string | null;
  level: RiskLevel | null;
  levelSince: string | null;
  evaluatedOn: string | null;
  openAlertId: number | null;
}

/** A user shown by name whether the API gives a reference or a plain name. */
export function nameOf(u: UserRef | string | null | undefined): string {
  if (!u) return '系统';
  return typeof u === 'string' ? u : u.displayName;
}

/** A level in words: 黄色, 红色 ...; 无风险 for none (labels-prepaid.ts RISK_LEVEL_LABELS + 色). */
export function levelName(level: string | null | undefined): string {
  if (!level) return '未评估';
  if (level === 'none') return '无风险';
  return `${RISK_LEVEL_LABELS[level] ?? level}色`;
}
