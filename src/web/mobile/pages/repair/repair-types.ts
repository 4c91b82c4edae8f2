/** What the enterprise's page reads from /api/my (credit-repair/reminders/dto/reminder.dto.ts). */
export interface MyRecordPeriod {
  recordId: number;
  decisionId: number | null;
  publicationStart: string | null;
  publicationLastDay: string | null;
  earliestRepairOn: string | null;
  neverEndedEarly: boolean;
  repairedOn: string | null;
  regimeCode: string | null;
  provisional: boolean;
  state: 'not_computed' | 'pending' | 'published' | 'ended' | 'repaired';
  stateLabel: string;
  repairOpen: boolean;
}

export interface MyDecision {
  id: number;
  decisionNo: string;
  decisionDate: string;
  penaltyTypes: string[];
  fineFen: number | null;
  violation: string;
  noticeRequired: boolean;
  noNoticeReason: string | null;
  notice: { noticeNo: string; issuedOn: string } | null;
  deliveries: {
    documents: string[];
    channel: string;
    deliveredOn: string;
    recipient: string | null;
    exceptionReason: string | null;
  }[];
  record: MyRecordPeriod | null;
  documents: { decision: string; repairNotice: string | null };
}

export interface MyReminder {
  id: number;
  kind: 'repair_possible' | 'period_ending' | 'application_update' | 'compliance_notice';
  creditRecordId: number | null;
  decisionId: number | null;
  dueOn: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

/** The page that applies for repair of a record (slice E's page). */
export const repairApplyLink = (recordId: number) => ({
  path: '/repair/apply',
  query: { record: String(recordId) },
});
