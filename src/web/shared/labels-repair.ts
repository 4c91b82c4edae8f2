/** Chinese labels of credit repair (信用修复; issue 13), shared by the workbench and the phone pages. */
export const REPAIR_STATUS_LABELS: Record<string, string> = {
  submitted: '已提交，待受理',
  accepted: '已受理，审核中',
  approved: '已修复',
  rejected: '不予修复',
  withdrawn: '已撤回',
};
export const REPAIR_KIND_LABELS: Record<string, string> = {
  penalty: '行政处罚信息信用修复',
  anomaly_removal: '移出经营异常名录',
  serious_removal: '移出严重违法失信名单',
};
export const REPAIR_EVENT_LABELS: Record<string, string> = {
  submitted: '提交申请',
  accepted: '受理',
  suspended: '中止计时（要求补正材料）',
  resumed: '恢复计时',
  approved: '准予修复',
  rejected: '不予修复',
  withdrawn: '撤回申请',
  shared: '报送信用中国',
};
export const OVERDUE_LABELS: Record<string, string> = {
  accept: '受理逾期',
  decide: '决定逾期',
  suspension: '补正期限已过',
};
export const FILE_ROLE_LABELS: Record<string, string> = {
  commitment_letter: '信用承诺书',
  proof: '证明材料',
  application_form: '信用修复申请表',
  other: '其他',
};

/** An application as the API answers it (ApplicationView). */
export interface RepairApplication {
  id: number;
  applicationNo: string;
  kind: string;
  status: string;
  enterprise: { uscc: string; name: string };
  record: {
    id: number;
    kind: string;
    recordDate: string;
    sourceDepartment: string;
    decisionNo: string | null;
    listType?: string | null;
    /** a listing: why and when it was listed */
    listingReason?: string | null;
    listedOn?: string | null;
    publicationLastDay: string | null;
    earliestRepairOn: string | null;
    repairedOn: string | null;
    removedOn: string | null;
  };
  statement: string;
  decidingDepartment: string;
  timeLimits: string;
  submittedAt: string;
  acceptBy: string;
  acceptByProvisional: boolean;
  acceptedAt: string | null;
  decideBy: string | null;
  decideByProvisional: boolean;
  suspension: { since: string; reason: string; latestEnd: string | null } | null;
  suspendedWorkingDays: number;
  overdue: string | null;
  decidedAt: string | null;
  decisionReasons: string | null;
  share: {
    dueBy: string;
    dueByProvisional: boolean;
    sharedAt: string | null;
    batch: string | null;
    overdue: boolean;
  } | null;
}

export interface RepairCondition {
  code: string;
  label: string;
  state: 'met' | 'failed' | 'to_declare';
  /** checked by the service, or declared by the enterprise (absent in applications stored before) */
  basis?: 'checked' | 'declared';
  message: string | null;
  /** a failure about another record (the listing to apply to leave first...) */
  relatedRecordId?: number;
}

export interface RepairEligibility {
  recordId: number;
  kind: string | null;
  eligible: boolean;
  mayApply: boolean;
  decidingDepartment: string;
  earliestOn: string | null;
  conditions: RepairCondition[];
  refusals: { code: string; message: string }[];
  record: RepairApplication['record'];
  openApplicationId: number | null;
}

export interface RepairApplicationDetail extends RepairApplication {
  eligibility: RepairEligibility;
  files: {
    id: number;
    role: string;
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
  }[];
  events: {
    at: string;
    action: string;
    actor: string | null;
    reason: string | null;
    details: Record<string, unknown> | null;
  }[];
}
