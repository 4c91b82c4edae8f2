import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AlsoSourceView } from '../../regimes/dto/regimes.dto.js';
import { PageOf } from '../../../http/paging.js';

/** One date or answer of the periods and the rule behind it. */
export class PeriodRuleView {
  @ApiProperty({
    enum: ['regime', 'published', 'publishBy', 'publicationLastDay', 'earliestRepairOn', 'neverEndedEarly'],
  })
  field!: string;
  @ApiProperty({ description: 'in Chinese' }) text!: string;
  @ApiProperty({ description: 'one document' }) document!: string;
  @ApiProperty({
    description: 'its article (empty for the regime line; （条款以正式文本为准） when to be checked)',
  })
  article!: string;
  @ApiPropertyOptional({
    type: [AlsoSourceView],
    description: 'further documents of the same rule, each with its article',
  })
  also?: AlsoSourceView[];
}

/** A decision's publication and repair periods (penalties/rules/publication-regimes.ts PublicationPeriods). */
export class PeriodsView {
  @ApiProperty({ example: 'NDRC-2026' }) regimeCode!: string;
  @ApiProperty() regimeName!: string;
  @ApiProperty() published!: boolean;
  @ApiProperty({ type: String, nullable: true }) notPublishedReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) classLabel!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidingType!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'last day to publish, YYYY-MM-DD' }) publishBy!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) publicationStart!: string | null;
  @ApiProperty({ type: String, nullable: true }) publicationLastDay!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'first day it no longer counts' })
  countsUntil!: string | null;
  @ApiProperty({ type: String, nullable: true }) earliestRepairOn!: string | null;
  @ApiProperty() neverEndedEarly!: boolean;
  @ApiProperty({ description: 'a date rests on a year the holiday calendar does not cover yet' })
  provisional!: boolean;
  @ApiProperty({ type: [PeriodRuleView] }) rules!: PeriodRuleView[];
}

export class DeliveryView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['decision', 'repair_notice'], isArray: true }) documents!: string[];
  @ApiProperty({ enum: ['in_person', 'post', 'electronic', 'announcement', 'entrusted'] }) channel!: string;
  @ApiProperty() deliveredOn!: string;
  @ApiProperty({ type: String, nullable: true }) recipient!: string | null;
  @ApiProperty({ type: String, nullable: true }) exceptionReason!: string | null;
  @ApiProperty({ type: Number, nullable: true }) recordedBy!: number | null;
  @ApiProperty() createdAt!: string;
}

export class NoticeView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '沪市监杨信修告〔2026〕12号' }) noticeNo!: string;
  @ApiProperty() issuedOn!: string;
  @ApiProperty({
    type: Object,
    description:
      'RepairNoticeContents (penalties/rules/notice-contents.ts): enterprise, decision, published, publishedWhere, periods, conditions, materials, howToApply, rights, advice, measures, rules',
  })
  contents!: Record<string, unknown>;
}

export class DocumentLinksView {
  @ApiProperty() decisionHtml!: string;
  @ApiProperty() decisionPdf!: string;
  @ApiProperty({ type: String, nullable: true }) noticeHtml!: string | null;
  @ApiProperty({ type: String, nullable: true }) noticePdf!: string | null;
}

class PartyView {
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
}

/** One decision (GET /api/penalty-decisions/:id). */
export class DecisionView {
  @ApiProperty() id!: number;
  @ApiProperty() decisionNo!: string;
  @ApiProperty({ enum: ['penalty', 'serious_listing'] }) kind!: string;
  @ApiProperty({ type: PartyView }) enterprise!: PartyView;
  @ApiProperty() partyType!: string;
  @ApiProperty() decisionDate!: string;
  @ApiProperty() procedure!: string;
  @ApiProperty({ type: [String] }) penaltyTypes!: string[];
  @ApiProperty({ type: Number, nullable: true, description: 'fen (分)' }) fineFen!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'fen (分)' }) confiscatedFen!: number | null;
  @ApiProperty() domain!: string;
  @ApiProperty({ enum: ['penalty', 'no_penalty', 'first_offence', 'mitigated', 'lighter'] }) outcome!: string;
  @ApiProperty({ type: String, nullable: true }) lenientMatterCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) educationGiven!: string | null;
  @ApiProperty() violation!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) sourceDepartment!: string;
  @ApiProperty({ type: String, nullable: true }) regimeCode!: string | null;
  @ApiProperty({ type: PeriodsView, nullable: true, description: 'null for 不予处罚 / 首违不罚' })
  periods!: PeriodsView | null;
  @ApiProperty({ type: String, nullable: true }) publishedOn!: string | null;
  @ApiProperty() noticeRequired!: boolean;
  @ApiProperty({ type: String, nullable: true }) noNoticeReason!: string | null;
  @ApiProperty({ type: Number, nullable: true }) creditRecordId!: number | null;
  @ApiProperty({ type: NoticeView, nullable: true }) notice!: NoticeView | null;
  @ApiProperty({ type: [DeliveryView] }) deliveries!: DeliveryView[];
  @ApiProperty({ description: 'the first delivery of the decision carried the notice too (or none needed)' })
  servedTogether!: boolean;
  @ApiProperty({ type: DocumentLinksView }) documents!: DocumentLinksView;
  @ApiProperty() createdAt!: string;
}

export class DecisionItemView {
  @ApiProperty() id!: number;
  @ApiProperty() decisionNo!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() outcome!: string;
  @ApiProperty() decisionDate!: string;
  @ApiProperty() procedure!: string;
  @ApiProperty({ type: [String] }) penaltyTypes!: string[];
  @ApiProperty({ type: Number, nullable: true }) fineFen!: number | null;
  @ApiProperty() noticeRequired!: boolean;
  @ApiProperty({ type: String, nullable: true }) noNoticeReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) regimeCode!: string | null;
  @ApiProperty() sourceDepartment!: string;
  @ApiProperty({ type: String, nullable: true }) publicationLastDay!: string | null;
  @ApiProperty({ type: String, nullable: true }) earliestRepairOn!: string | null;
  @ApiProperty() neverEndedEarly!: boolean;
  @ApiProperty({ type: PartyView }) enterprise!: PartyView;
  @ApiProperty() servedTogether!: boolean;
}

export class DecisionPageView extends PageOf(DecisionItemView) {}

export class DecisionPreviewView {
  @ApiProperty({ type: Object, description: 'the normalised decision (checkPenaltyDecision)' })
  decision!: Record<string, unknown>;
  @ApiProperty({ type: PeriodsView, nullable: true }) periods!: PeriodsView | null;
  @ApiProperty() noticeRequired!: boolean;
  @ApiProperty({ type: String, nullable: true }) noNoticeReason!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['administrative_penalty', 'listing'] })
  creditRecordKind!: string | null;
}

class ReportExceptionView {
  @ApiProperty() id!: number;
  @ApiProperty() decisionNo!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() decisionDate!: string;
  @ApiProperty({ type: String, nullable: true }) decisionDeliveredOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) noticeDeliveredOn!: string | null;
  @ApiProperty({ type: [String], description: "the deliveries' exception reasons, or 未记录原因" })
  reasons!: string[];
}

class ReportNotRequiredView {
  @ApiProperty() id!: number;
  @ApiProperty() decisionNo!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() reason!: string;
}

export class SameDayReportView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() decisions!: number;
  @ApiProperty() noticeRequired!: number;
  @ApiProperty() servedSameDay!: number;
  @ApiProperty({ type: Number, nullable: true, description: '0..1; null when none needed a notice' })
  share!: number | null;
  @ApiProperty({ example: 1 }) target!: number;
  @ApiProperty({ type: [ReportExceptionView] }) exceptions!: ReportExceptionView[];
  @ApiProperty({ type: [ReportNotRequiredView] }) notRequired!: ReportNotRequiredView[];
}

class LenientMatterView {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['no_penalty', 'first_offence', 'mitigated', 'lighter', 'no_compulsory_measure'] })
  list!: string;
  @ApiProperty() listLabel!: string;
  @ApiProperty() matter!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ type: [String] }) conditions!: string[];
  @ApiProperty() inForceFrom!: string;
  @ApiProperty({ type: String, nullable: true }) inForceUntil!: string | null;
  @ApiProperty() inForce!: boolean;
  @ApiProperty() source!: string;
}

class MeasureView {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['serious_list', 'judgment_defaulter', 'anomaly_list', 'administrative_penalty'] })
  target!: string;
  @ApiProperty() targetLabel!: string;
  @ApiProperty() measure!: string;
  @ApiProperty() source!: string;
  @ApiProperty() inForceFrom!: string;
  @ApiProperty({ type: String, nullable: true }) inForceUntil!: string | null;
  @ApiProperty() inForce!: boolean;
}

export class LenientListsView {
  @ApiProperty() date!: string;
  @ApiProperty({ type: [LenientMatterView] }) matters!: LenientMatterView[];
  @ApiProperty({ type: [MeasureView] }) measures!: MeasureView[];
}

export class DecisionImportView {
  @ApiProperty() encoding!: string;
  @ApiProperty() rows!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty({ example: 0 }) rejected!: number;
  @ApiProperty({ type: [Object] }) rejections!: Record<string, unknown>[];
  @ApiProperty({ type: [Number], description: 'the decisions stored, in file order' }) ids!: number[];
}
