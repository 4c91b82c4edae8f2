/**
 * What the pages 检查评价 and 检查码统计 read (src/check-codes/ratings/dto/ratings.dto.ts), and the
 * bounds of the three inspection-code settings for 系统设置: copies of
 * src/check-codes/rules/check-code-rules.ts (settings-bounds.spec.ts keeps them equal).
 */

/** CHECK_CODE_MAX_DAYS, RATING_MIN_GROUP, RATING_DELAY_DAYS of check-code-rules.ts. */
export const CHECK_CODE_SETTING_BOUNDS = {
  checkCodeMaxDays: { min: 1, max: 90, default: 30 },
  ratingMinGroup: { min: 2, max: 50, default: 5 },
  ratingDelayDays: { min: 0, max: 180, default: 14 },
} as const;

export type CellStatus = 'shown' | 'below_minimum' | 'complementary' | 'pending';

export interface RatingCell {
  period: { key: string; kind: string; from: string; to: string; label: string };
  status: CellStatus;
  statusText: string;
  publishOn: string;
  aggregate: {
    count: number;
    meanScore: number | null;
    necessaryShare: number | null;
    mergeableShare: number | null;
  } | null;
}

export interface RatingSeries {
  year: RatingCell;
  periods: RatingCell[];
}

export interface RatingSummary {
  department: string;
  departmentName: string;
  year: number;
  period: 'quarter' | 'month';
  view: 'department' | 'whole';
  minGroup: number;
  delayDays: number;
  today: string;
  rule: string;
  total: RatingSeries;
  inspectors: {
    inspector: { userId: number; displayName: string; credentialNo: string | null };
    series: RatingSeries;
  }[];
}

export interface RatingItem {
  codeNo: string;
  codeNoDisplay: string;
  kind: string;
  enterprise: { uscc: string; name: string };
  departments: string[];
  inspectors: { name: string; credentialNo: string | null; department: string | null }[];
  completedAt: string | null;
  score: number;
  necessary: boolean;
  mergeable: boolean;
  comment: string | null;
  ratedOn: string;
  releasedOn: string;
  low: boolean;
}

export interface RatingPage {
  items: RatingItem[];
  total: number;
  page: number;
  pageSize: number;
  lowCount: number;
  commentCount: number;
}

export interface StaffVisit {
  codeNo: string;
  codeNoDisplay: string;
  kind: 'routine' | 'event' | 'joint';
  status: string;
  statusLabel: string;
  issuedAt: string;
  validFrom: string;
  validUntil: string;
  checkedInAt: string | null;
  completedAt: string | null;
  departments: { code: string; name: string; lead: boolean }[];
  planNos: string[];
  reasons: string[];
  inspectors: { name: string; credentialNo: string | null; department: string | null }[];
  rated: boolean | null;
}

export interface EnterpriseVisits {
  enterprise: { uscc: string; name: string };
  year: number;
  total: number;
  byKind: { routine: number; event: number; joint: number };
  completed: number;
  items: StaffVisit[];
  alerts: {
    limits: { day: number; week: number; month: number };
    repeatVisits: {
      rule: 'day' | 'week' | 'month';
      limit: number;
      from: string;
      to: string;
      visits: string[];
    }[];
    overCap: { tier: string | null; checks: number; cap: number; over: number } | null;
  };
}

export const KIND_LABELS: Record<string, string> = {
  routine: '计划检查',
  event: '事件触发检查',
  joint: '联合检查',
};

/** The supervising body's department (src/check-codes/ratings/rules/rating-rules.ts SUPERVISING_DEPARTMENT). */
export const SUPERVISING_DEPARTMENT = 'oversight';

/** A share 0..1 as a percentage. */
export const percent = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`;
