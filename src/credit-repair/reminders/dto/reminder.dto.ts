import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IdParam } from '../../../http/id-param.js';
import type { PublicationState, ReminderKind } from '../rules/reminder-rules.js';

/** Path of POST /api/my/reminders/:id/read. */
export class ReminderIdParam {
  @IdParam('the reminder (enterprise_reminder.id)') id!: number;
}

/** One reminder on the enterprise's page. */
export class ReminderView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['repair_possible', 'period_ending', 'application_update', 'compliance_notice'] })
  kind!: ReminderKind | 'application_update';
  @ApiProperty({ type: Number, nullable: true, description: 'the credit record it is about' })
  creditRecordId!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the penalty decision it is about' })
  decisionId!: number | null;
  @ApiProperty({
    description: 'YYYY-MM-DD: the day it is about (repair opens, the period ends, establishment)',
  })
  dueOn!: string;
  @ApiProperty({ description: 'what the enterprise reads (Chinese)' }) message!: string;
  @ApiProperty({ description: 'ISO instant' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'ISO instant, null while unread' })
  readAt!: string | null;
}

/** GET /api/my/reminders: the 200 newest and the unread count. */
export class ReminderListView {
  @ApiProperty({ type: [ReminderView] }) items!: ReminderView[];
  @ApiProperty({ description: 'unread reminders (all of them, not only the 200 listed)' }) unread!: number;
}

/** What one run of the reminders job did. */
export class ReminderRunView {
  @ApiProperty({ description: 'YYYY-MM-DD the run took as today' }) today!: string;
  @ApiProperty({
    description:
      'what was looked at: penalty records with a publication window that may be due a reminder (one record may be due two: repair possible and period ending) and enterprises established recently',
  })
  examined!: { records: number; enterprises: number };
  @ApiProperty({ description: 'reminders due as of the day (created now or before)' }) due!: number;
  @ApiProperty({ description: 'reminders created by this run (due and not there yet): due - existing' })
  created!: number;
  @ApiProperty({ description: 'reminders due that existed already (an earlier run created them)' })
  existing!: number;
  @ApiProperty({ description: 'created by kind' }) byKind!: Record<ReminderKind, number>;
}

/** A penalty record's publication window as its enterprise sees it. */
export class MyRecordPeriodView {
  @ApiProperty() recordId!: number;
  @ApiProperty({ type: Number, nullable: true }) decisionId!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD, first day of publication' })
  publicationStart!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'YYYY-MM-DD, last day of publication (maximum period)',
  })
  publicationLastDay!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'YYYY-MM-DD, earliest day repair may be applied for',
  })
  earliestRepairOn!: string | null;
  @ApiProperty({ description: 'can never be ended early (suspension, licence revocation...)' })
  neverEndedEarly!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD repair was granted' })
  repairedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) regimeCode!: string | null;
  @ApiProperty({ description: 'dates run into a year the official calendar does not cover yet' })
  provisional!: boolean;
  @ApiProperty({ enum: ['not_computed', 'pending', 'published', 'ended', 'repaired'] })
  state!: PublicationState;
  @ApiProperty({ description: 'the state in Chinese' }) stateLabel!: string;
  @ApiProperty({
    description: 'repair may be applied for today (the earliest day reached, not repaired, not never-early)',
  })
  repairOpen!: boolean;
}

/** One delivery of documents (document_delivery). */
export class MyDeliveryView {
  @ApiProperty({ type: [String], description: "'decision' and/or 'repair_notice'" }) documents!: string[];
  @ApiProperty({ enum: ['in_person', 'post', 'electronic', 'announcement', 'entrusted'] }) channel!: string;
  @ApiProperty({ description: 'YYYY-MM-DD' }) deliveredOn!: string;
  @ApiProperty({ type: String, nullable: true }) recipient!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the notice was not served with the decision',
  })
  exceptionReason!: string | null;
}

/** The URLs of a decision's two documents (PDF; served by the penalty-decision documents endpoints). */
export class MyDocumentLinks {
  @ApiProperty({ example: '/api/penalty-decisions/1/documents/decision.pdf' }) decision!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '/api/penalty-decisions/1/documents/repair-notice.pdf',
    description: 'null when no notice was needed',
  })
  repairNotice!: string | null;
}

/** One of the enterprise's penalty decisions with its notice, deliveries and documents. */
export class MyDecisionView {
  @ApiProperty() id!: number;
  @ApiProperty() decisionNo!: string;
  @ApiProperty({ enum: ['penalty', 'serious_listing'] }) kind!: 'penalty' | 'serious_listing';
  @ApiProperty({ description: 'YYYY-MM-DD' }) decisionDate!: string;
  @ApiProperty({ enum: ['summary', 'general'] }) procedure!: string;
  @ApiProperty({ type: [String] }) penaltyTypes!: string[];
  @ApiProperty({ type: Number, nullable: true, description: 'fen' }) fineFen!: number | null;
  @ApiProperty({ enum: ['penalty', 'no_penalty', 'first_offence', 'mitigated', 'lighter'] }) outcome!: string;
  @ApiProperty() violation!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty() sourceDepartment!: string;
  @ApiProperty({ type: String, nullable: true }) regimeCode!: string | null;
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description: 'the computed periods with the rule behind each date',
  })
  periods!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' }) publishedOn!: string | null;
  @ApiProperty() noticeRequired!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why no notice was needed' })
  noNoticeReason!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: '{ noticeNo, issuedOn } of the 信用修复告知书' })
  notice!: { noticeNo: string; issuedOn: string } | null;
  @ApiProperty({ type: [MyDeliveryView] }) deliveries!: MyDeliveryView[];
  @ApiProperty({ type: MyRecordPeriodView, nullable: true, description: 'its credit record, when one' })
  record!: MyRecordPeriodView | null;
  @ApiProperty({ type: MyDocumentLinks }) documents!: MyDocumentLinks;
}
