/** Shapes of the plans API (src/inspections/plans/dto/plan.dto.ts). */

export type PlanStatus = 'draft' | 'published' | 'superseded';

/** PlanItemView. */
export interface PlanItem {
  id: number;
  code: string;
  name: string;
  department: string;
  checkMethod: string;
  fullCoverage: boolean;
}

/** PlanTierView. */
export interface PlanTier {
  tier: string;
  ratio: number;
  yearlyCap: number;
}

/** PlanBatchView. */
export interface PlanBatch {
  id: number;
  seq: number;
  name: string;
  windowStart: string;
  windowEnd: string;
  draw: { id: number; status: string } | null;
}

/** PlanSummaryView. */
export interface PlanSummary {
  id: number;
  planNo: string;
  version: number;
  replacesId: number | null;
  year: number;
  title: string;
  leadDepartment: string;
  jointDepartments: string[];
  status: PlanStatus;
  publishedAt: string | null;
  late: boolean | null;
  itemCount: number;
  batchCount: number;
  createdAt: string;
}

/** PlanView. */
export interface PlanView extends PlanSummary {
  scope: string | null;
  items: PlanItem[];
  tiers: PlanTier[];
  batches: PlanBatch[];
  createdBy: { userId: number; username: string; displayName: string | null } | null;
  supersededById: number | null;
}

/** PlanFormOptionsView. */
export interface PlanFormOptions {
  tiers: (PlanTier & { label: string })[];
  departments: { code: string; name: string }[];
  items: PlanItem[];
}

/** The body of POST /api/plans (CreatePlanDto). */
export interface PlanBody {
  year: number;
  title: string;
  leadDepartment: string;
  jointDepartments: string[];
  scope: string | null;
  itemCodes: string[];
  tiers: PlanTier[];
  batches: { name: string; windowStart: string; windowEnd: string }[];
}
