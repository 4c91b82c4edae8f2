import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { IdParam } from '../../../http/id-param.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { CONDITION_CODES, REPAIR_KINDS } from '../rules/eligibility.js';

/** Longest texts of an application (characters). */
export const REPAIR_TEXT_LIMITS = { statement: 2000, reasons: 1000 } as const;

export const REPAIR_STATUSES = ['submitted', 'accepted', 'approved', 'rejected', 'withdrawn'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

export class RecordIdParam {
  @IdParam('credit_record.id')
  recordId!: number;
}

export class ApplicationIdParam {
  @IdParam('repair_application.id')
  id!: number;
}

export class ApplicationFileParam {
  @IdParam('repair_application.id')
  id!: number;
  @IdParam('repair_application_file.id')
  fileId!: number;
}

/**
 * Multipart body of POST /api/credit-repair/applications (besides the files commitmentLetter,
 * proof, applicationForm). Text fields arrive as strings: normalised by `applicationInput`
 * (one function for every path), not by class-validator.
 */
export class SubmitApplicationBody {
  @ApiProperty({ description: 'the credit record applied for (credit_record.id)', example: '12' })
  recordId!: string;
  @ApiProperty({
    description: '情况说明 (1 to 2000 characters): what was corrected, fine paid, harm removed',
  })
  statement!: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '已履行行政处罚义务 (penalty, serious list)' })
  obligationsFulfilled?: string;
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '已消除危害后果和不良影响 (penalty, serious list)',
  })
  harmRemoved?: string;
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '列入经营异常名录的情形已消除 (anomaly list)',
  })
  causeFixed?: string;
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: '信用承诺书: one PDF, JPEG or PNG, at most 10 MiB',
  })
  commitmentLetter!: unknown;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description: '证明材料: 1 to 5 PDF, JPEG or PNG, each at most 10 MiB',
  })
  proof!: unknown;
  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    description: '信用修复申请表: one PDF (optional)',
  })
  applicationForm?: unknown;
}

/** Body of accept / resume / withdraw (an optional note). */
export class NoteDto {
  @ApiPropertyOptional({ description: 'a note for the timeline (at most 1000 characters)' })
  @IsOptional()
  @IsString()
  @IsLimitedText(REPAIR_TEXT_LIMITS.reasons)
  note?: string;
}

/** Body of POST .../suspend: materials requested, with the reason and the latest end of the suspension. */
export class SuspendDto {
  @ApiProperty({ example: '请补充罚款缴纳凭证', description: 'what is asked for (1 to 1000 characters)' })
  @IsString()
  @MinLength(1)
  @IsLimitedText(REPAIR_TEXT_LIMITS.reasons)
  reason!: string;

  @ApiProperty({
    example: '2026-12-20',
    description: 'latest end of the suspension, YYYY-MM-DD: after today, within 60 days',
  })
  @IsLegalDate()
  latestEnd!: string;
}

/** Body of approve / reject: the reasons (审核意见 / 不予修复理由). */
export class DecideDto {
  @ApiProperty({
    example: '已履行罚款义务，危害后果已消除，符合信用修复条件',
    description: '1 to 1000 characters',
  })
  @IsString()
  @MinLength(1)
  @IsLimitedText(REPAIR_TEXT_LIMITS.reasons)
  reasons!: string;
}

/** Query of the regulators' queue. */
export class QueueQuery {
  @ApiPropertyOptional({ enum: REPAIR_STATUSES })
  @IsOptional()
  @IsIn(REPAIR_STATUSES)
  status?: RepairStatus;

  @ApiPropertyOptional({ enum: REPAIR_KINDS })
  @IsOptional()
  @IsIn(REPAIR_KINDS)
  kind?: string;

  @ApiPropertyOptional({ description: 'only overdue (true) or not overdue (false) open applications' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

/** Query of the share feed: rows after the cursor (a share id), oldest first. */
export class ShareFeedQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'the last share id already read',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after: number = 0;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

export class ConditionView {
  @ApiProperty({ enum: CONDITION_CODES }) code!: string;
  @ApiProperty({ description: 'the condition in Chinese' }) label!: string;
  @ApiProperty({ enum: ['met', 'failed', 'to_declare'] }) state!: string;
  @ApiProperty({
    enum: ['checked', 'declared'],
    description:
      'checked: the service checked it against the records; declared: the enterprise declares it (the regulator verifies it from the proof)',
  })
  basis!: string;
  @ApiProperty({ nullable: true, type: String, description: 'why it failed (Chinese)' }) message!:
    string | null;
  @ApiPropertyOptional({
    description:
      'a failure about another record: its id (the repeat or heavier penalty, the listing still in force to apply to leave first)',
  })
  relatedRecordId?: number;
}

export class RefusalView {
  @ApiProperty({ enum: CONDITION_CODES }) code!: string;
  @ApiProperty() message!: string;
}

export class RepairRecordView {
  @ApiProperty() id!: number;
  @ApiProperty() kind!: string;
  @ApiProperty({ description: 'YYYY-MM-DD' }) recordDate!: string;
  @ApiProperty() sourceDepartment!: string;
  @ApiProperty({ nullable: true, type: String }) decisionNo!: string | null;
  @ApiProperty({ nullable: true, type: String }) listType!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a listing: why it was listed' })
  listingReason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a listing: YYYY-MM-DD listed' })
  listedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) publicationLastDay!: string | null;
  @ApiProperty({ nullable: true, type: String }) earliestRepairOn!: string | null;
  @ApiProperty() neverEndedEarly!: boolean;
  @ApiProperty({ nullable: true, type: String }) repairedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) removedOn!: string | null;
}

export class EligibilityView {
  @ApiProperty() recordId!: number;
  @ApiProperty({ enum: REPAIR_KINDS, nullable: true }) kind!: string | null;
  @ApiProperty({ description: 'every condition met (declarations included)' }) eligible!: boolean;
  @ApiProperty({ description: 'no condition failed: may apply by declaring what is left' })
  mayApply!: boolean;
  @ApiProperty({ description: '谁认定谁修复: the deciding department' }) decidingDepartment!: string;
  @ApiProperty({ nullable: true, type: String }) earliestOn!: string | null;
  @ApiProperty({ type: [ConditionView] }) conditions!: ConditionView[];
  @ApiProperty({ type: [RefusalView] }) refusals!: RefusalView[];
  @ApiProperty({ type: RepairRecordView }) record!: RepairRecordView;
  @ApiProperty({ nullable: true, type: Number, description: 'an open application of this record' })
  openApplicationId!: number | null;
}

export class ApplicationFileView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['application_form', 'commitment_letter', 'proof', 'other'] }) role!: string;
  @ApiProperty({ description: 'stored name (extension of the sniffed type)' }) fileName!: string;
  @ApiProperty({
    enum: ['application/pdf', 'image/jpeg', 'image/png'],
    description: 'sniffed from the bytes',
  })
  mediaType!: string;
  @ApiProperty({ description: 'bytes' }) sizeBytes!: number;
  @ApiProperty({ description: 'hex' }) sha256!: string;
}

export class ApplicationEventView {
  @ApiProperty() at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: String }) actor!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: Object }) details!: Record<string, unknown> | null;
}

export class ApplicationView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'XF-2026-000001' }) applicationNo!: string;
  @ApiProperty({ enum: REPAIR_KINDS }) kind!: string;
  @ApiProperty({ enum: REPAIR_STATUSES }) status!: string;
  @ApiProperty() enterprise!: { uscc: string; name: string };
  @ApiProperty({ type: RepairRecordView }) record!: RepairRecordView;
  @ApiProperty() statement!: string;
  @ApiProperty() decidingDepartment!: string;
  @ApiProperty({ description: 'SAMR-2021 | NDRC-2026: the time limits applied' }) timeLimits!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ description: 'acceptance deadline, YYYY-MM-DD (working days)' }) acceptBy!: string;
  @ApiProperty() acceptByProvisional!: boolean;
  @ApiProperty({ nullable: true, type: String }) acceptedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'decision deadline, YYYY-MM-DD' }) decideBy!:
    string | null;
  @ApiProperty() decideByProvisional!: boolean;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'the running suspension: { since, reason, latestEnd }',
  })
  suspension!: { since: string; reason: string; latestEnd: string | null } | null;
  @ApiProperty({ description: 'working days suspended so far (they extended the deadlines)' })
  suspendedWorkingDays!: number;
  @ApiProperty({
    nullable: true,
    enum: ['accept', 'decide', 'suspension'],
    description: 'overdue today, and which clock',
  })
  overdue!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReasons!: string | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'the share to Credit China: { dueBy, sharedAt, overdue }',
  })
  share!: {
    dueBy: string;
    dueByProvisional: boolean;
    sharedAt: string | null;
    batch: string | null;
    overdue: boolean;
  } | null;
}

export class ApplicationDetailView extends ApplicationView {
  @ApiProperty({ type: EligibilityView, description: 'eligibility at submission (stored)' })
  eligibility!: EligibilityView;
  @ApiProperty({ type: [ApplicationFileView] }) files!: ApplicationFileView[];
  @ApiProperty({ type: [ApplicationEventView] }) events!: ApplicationEventView[];
}

export class DecisionView extends ApplicationDetailView {
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'score and tier before and after the rescoring (approval)',
  })
  rescored!: { scoreBefore: number | null; tierBefore: string | null; score: number; tier: string } | null;
}

export class ShareView {
  @ApiProperty() id!: number;
  @ApiProperty() applicationNo!: string;
  @ApiProperty() uscc!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty({ enum: REPAIR_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) decisionNo!: string | null;
  @ApiProperty() decidingDepartment!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) result!: string;
  @ApiProperty({ description: 'YYYY-MM-DD' }) decidedOn!: string;
  @ApiProperty() reasons!: string;
  @ApiProperty({ description: 'to share by, YYYY-MM-DD (3 working days)' }) dueBy!: string;
  @ApiProperty() dueByProvisional!: boolean;
  @ApiProperty({ nullable: true, type: String }) sharedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) batch!: string | null;
  @ApiProperty({ description: 'not shared and past dueBy' }) overdue!: boolean;
}

export class ShareFeedView {
  @ApiProperty({ type: [ShareView] }) items!: ShareView[];
  @ApiProperty({ description: 'pass as `after` for the next rows' }) cursor!: number;
}
