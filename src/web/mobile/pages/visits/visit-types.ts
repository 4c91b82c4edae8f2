/**
 * What the enterprise's inspection pages read (GET /api/me/visits, GET /api/me/visits/:codeNo,
 * src/check-codes/ratings/dto/ratings.dto.ts CodedVisitView, EnterpriseVisitsView, MyVisitView).
 */

export interface VisitDepartment {
  code: string;
  name: string;
  lead: boolean;
}

export interface CodedVisit {
  codeNo: string;
  codeNoDisplay: string;
  kind: 'routine' | 'event' | 'joint';
  status: 'issued' | 'in_use' | 'completed' | 'expired' | 'revoked';
  statusLabel: string;
  issuedAt: string;
  validFrom: string;
  validUntil: string;
  checkedInAt: string | null;
  completedAt: string | null;
  departments: VisitDepartment[];
  planNos: string[];
  reasons: string[];
  inspectors: { name: string; credentialNo: string | null; department: string | null }[];
  rated: boolean | null;
  canRate: boolean;
}

export interface RepeatVisitAlert {
  rule: 'day' | 'week' | 'month';
  limit: number;
  from: string;
  to: string;
  visits: string[];
}

export interface EnterpriseVisits {
  enterprise: { uscc: string; name: string };
  year: number;
  total: number;
  byKind: { routine: number; event: number; joint: number };
  completed: number;
  items: CodedVisit[];
  alerts: {
    limits: { day: number; week: number; month: number };
    repeatVisits: RepeatVisitAlert[];
    overCap: { checks: number; cap: number; over: number } | null;
  };
}

export interface MyVisit extends CodedVisit {
  enterprise: { uscc: string; name: string };
  ratedOn: string | null;
}

/** Longest comment of a rating: src/check-codes/ratings/rules/rating-rules.ts RATING_COMMENT_MAX (visit-types.spec.ts). */
export const RATING_COMMENT_MAX = 500;

/** 计划检查 / 事件触发检查 / 联合检查 (particulars.kind). */
export const VISIT_KIND_LABELS: Record<string, string> = {
  routine: '计划检查',
  event: '事件触发检查',
  joint: '联合检查',
};

/** Vant tag colours of the code states. */
export const VISIT_STATUS_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'default' | 'danger'> = {
  issued: 'primary',
  in_use: 'warning',
  completed: 'success',
  expired: 'default',
  revoked: 'danger',
};

/** A repeat-visit alert in words: 同一天检查 2 次（上限 1 次）… */
export function repeatAlertText(a: RepeatVisitAlert, formatDate: (d: string) => string): string {
  const n = a.visits.length;
  if (a.rule === 'day') return `${formatDate(a.from)}同一天检查 ${n} 次（每天不超过 ${a.limit} 次）`;
  if (a.rule === 'week')
    return `${formatDate(a.from)}至${formatDate(a.to)}的7天内检查 ${n} 次（不超过 ${a.limit} 次）`;
  return `${a.from.slice(0, 4)}年${Number(a.from.slice(5, 7))}月检查 ${n} 次（每月不超过 ${a.limit} 次）`;
}
