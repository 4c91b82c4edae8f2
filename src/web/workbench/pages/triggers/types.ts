/**
 * Shapes of the event-trigger, joint-visit and alert APIs (src/inspections/triggers/dto,
 * src/inspections/visits/dto, src/inspections/alerts/dto).
 */

export interface EnterpriseRef {
  uscc: string;
  name: string;
}
export interface ItemRef {
  id: number;
  code: string;
  name: string;
}
export interface InspectorRef {
  userId: number;
  displayName: string;
  credentialNo: string;
  department: string;
}
export interface TriggerRef {
  id: number;
  kind: string;
  reason: string;
  sourceRef: string | null;
  receivedOn: string;
}

/** TriggerView. */
export interface Trigger {
  id: number;
  enterprise: EnterpriseRef;
  kind: string;
  reason: string;
  sourceRef: string | null;
  department: string;
  items: ItemRef[];
  receivedOn: string;
  status: 'proposed' | 'accepted' | 'dismissed';
  proposedBy: { userId: number; displayName: string } | null;
  proposedAt: string;
  decidedBy: { userId: number; displayName: string } | null;
  decidedAt: string | null;
  dismissalReason: string | null;
  task: {
    id: number;
    status: string;
    department: string;
    windowStart: string;
    windowEnd: string;
    visitId: number | null;
    items: ItemRef[];
    inspectors: InspectorRef[];
    triggers: number;
  } | null;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** VisitSummaryView. */
export interface VisitSummary {
  id: number;
  enterprise: EnterpriseRef;
  leadDepartment: string;
  windowStart: string;
  windowEnd: string;
  status: string;
  taskCount: number;
  departments: string[];
  joint: boolean;
  createdAt: string;
}

/** VisitView. */
export interface Visit extends VisitSummary {
  tasks: {
    id: number;
    kind: string;
    department: string;
    status: string;
    windowStart: string;
    windowEnd: string;
    planId: number | null;
    batchId: number | null;
    outcome: string | null;
    items: ItemRef[];
    inspectors: InspectorRef[];
    triggers: TriggerRef[];
  }[];
  checklist: {
    leadDepartment: string;
    departments: string[];
    entries: {
      id: number;
      code: string;
      name: string;
      department: string;
      legalBasis: string;
      checkMethod: string;
      requirements: string[];
      taskIds: number[];
    }[];
    onSite: boolean;
  };
  merges: { id: number; taskId: number; mergedAt: string; reason: string }[];
}

/** VisitReportView. */
export interface VisitReport {
  year: number;
  tasks: number;
  visits: number;
  jointVisits: number;
  saved: number;
  byDepartment: { department: string; tasks: number; inJointVisits: number; led: number; saved: number }[];
}

/** AlertsView. */
export interface Alerts {
  year: number;
  limits: { day: number; week: number; month: number };
  noFindingStreak: number;
  overCap: {
    enterprise: EnterpriseRef;
    tier: string | null;
    checks: number;
    cap: number;
    over: number;
    taskIds: number[];
  }[];
  repeatVisits: {
    enterprise: EnterpriseRef;
    rule: string;
    limit: number;
    from: string;
    to: string;
    visits: string[];
  }[];
  inspectorsToReview: {
    inspector: InspectorRef;
    enterprise: EnterpriseRef;
    streak: number;
    taskIds: number[];
    from: string;
    to: string;
  }[];
}

/** NoDisturbanceView. */
export interface NoDisturbance {
  from: string;
  to: string;
  bestTier: string;
  tasks: number;
  byKind: { routine: number; event: number };
  violations: number;
  violationTaskIds: number[];
  summary: string;
  summaryZh: string;
  items: {
    taskId: number;
    kind: string;
    enterprise: EnterpriseRef;
    department: string;
    tier: string;
    status: string;
    createdAt: string;
    triggers: TriggerRef[];
    violation: string | null;
  }[];
  page: number;
  pageSize: number;
}
