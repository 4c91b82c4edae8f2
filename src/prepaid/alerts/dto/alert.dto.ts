import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { IdParam } from '../../../http/id-param.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { RiskAssessmentView } from '../../evaluation/dto/evaluation.dto.js';
import { ALERT_LEVELS, PREPAID_SECTORS } from '../../rules/risk-facts.js';
import { ALERT_OUTCOMES, ALERT_STATUSES, DISPOSAL_KINDS } from '../rules/alert-rules.js';

/** Longest texts of an alert's steps (characters). */
export const ALERT_TEXT_LIMITS = { note: 1000, referredTo: 100, findings: 2000, issuerAction: 2000 } as const;

/** Path parameter `:id` of an alert. */
export class AlertIdParam {
  @IdParam()
  id!: number;
}

/** Query of GET /api/prepaid/alerts. */
export class AlertListQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({ enum: ALERT_LEVELS }) @IsOptional() @IsIn(ALERT_LEVELS) level?: string;
  @ApiPropertyOptional({ enum: PREPAID_SECTORS }) @IsOptional() @IsIn(PREPAID_SECTORS) sector?: string;
  @ApiPropertyOptional({ enum: ALERT_STATUSES }) @IsOptional() @IsIn(ALERT_STATUSES) status?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only overdue; false: only not overdue',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: '街道 (未注明街道 for issuers without one)' })
  @IsOptional()
  @IsString()
  @IsLimitedText(100)
  street?: string;

  @ApiPropertyOptional({ description: 'part of the name or USCC' })
  @IsOptional()
  @IsString()
  @IsLimitedText(100)
  q?: string;
}

/** Body of POST /api/prepaid/alerts/:id/assign. */
export class AssignAlertDto {
  @ApiProperty({ description: 'a regulator of the department (GET /api/prepaid/assignees)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  assigneeId!: number;
}

/** Body of POST /api/prepaid/alerts/:id/disposals. */
export class DisposalDto {
  @ApiProperty({
    enum: DISPOSAL_KINDS,
    description:
      'interview 约谈 / warning_letter 警示函 / onsite_check 现场检查 (an event-triggered check accepted into a task) / stop_prepayment_order 责令停止收取预付款 (消保法实施条例 art. 22) / referral 移送',
  })
  @IsIn(DISPOSAL_KINDS, { message: `处置方式应为以下之一：${DISPOSAL_KINDS.join('、')}` })
  kind!: (typeof DISPOSAL_KINDS)[number];

  @ApiProperty({
    example: '2026-12-02',
    description: 'the day decided (not after today, not before the opening)',
  })
  @IsLegalDate({ message: '日期应为有效的日期（YYYY-MM-DD）' })
  decidedOn!: string;

  @ApiProperty({ description: 'what was decided (1 to 1000 characters)' })
  @IsString({ message: '请写明处置情况' })
  @MinLength(1, { message: '请写明处置情况' })
  @IsLimitedText(ALERT_TEXT_LIMITS.note)
  note!: string;

  @ApiPropertyOptional({ example: '区商务委员会', description: 'referral: the department referred to' })
  @IsOptional()
  @IsString()
  @IsLimitedText(ALERT_TEXT_LIMITS.referredTo)
  referredTo?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'onsite_check: items of the department to check (at least one)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsLimitedText(40, { each: true })
  itemCodes?: string[];
}

/** Body of POST /api/prepaid/alerts/:id/feedback. */
export class FeedbackDto {
  @ApiProperty({ description: 'what was found' })
  @IsString({ message: '请填写核查情况' })
  @MinLength(1, { message: '请填写核查情况' })
  @IsLimitedText(ALERT_TEXT_LIMITS.findings)
  findings!: string;

  @ApiProperty({ description: 'what the issuer did (整改, refunds, escrow topped up...)' })
  @IsString({ message: '请填写经营者整改情况' })
  @MinLength(1, { message: '请填写经营者整改情况' })
  @IsLimitedText(ALERT_TEXT_LIMITS.issuerAction)
  issuerAction!: string;

  @ApiProperty({ enum: ALERT_OUTCOMES })
  @IsIn(ALERT_OUTCOMES, { message: `请选择处置结果（${ALERT_OUTCOMES.join('、')}）` })
  outcome!: (typeof ALERT_OUTCOMES)[number];
}

/** Body of POST /api/prepaid/alerts/:id/close. */
export class CloseAlertDto {
  @ApiPropertyOptional({ description: 'a closing note' })
  @IsOptional()
  @IsString()
  @IsLimitedText(ALERT_TEXT_LIMITS.note)
  note?: string;
}

export class UserRefApiView {
  @ApiProperty() id!: number;
  @ApiProperty() displayName!: string;
}

export class AlertListItemApiView {
  @ApiProperty() id!: number;
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PREPAID_SECTORS }) sector!: string;
  @ApiProperty() street!: string;
  @ApiProperty({ enum: ALERT_LEVELS, description: 'now (raised levels included)' }) level!: string;
  @ApiProperty({ enum: ALERT_LEVELS }) openedLevel!: string;
  @ApiProperty() openedOn!: string;
  @ApiProperty({ type: String, nullable: true }) raisedOn!: string | null;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: string;
  @ApiProperty({ description: 'first disposal due by (working days per level)' }) dueOn!: string;
  @ApiProperty({ description: 'the due day crossed a year the holiday calendar does not cover yet' })
  dueProvisional!: boolean;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: UserRefApiView, nullable: true }) assignee!: UserRefApiView | null;
}

export class AlertPageView extends PageOf(AlertListItemApiView) {}

export class AlertEventApiView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['opened', 'raised', 'assigned', 'disposal', 'feedback', 'closed'] }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) level!: string | null;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: RiskAssessmentView, nullable: true }) evidence!: RiskAssessmentView | null;
  @ApiProperty({ type: UserRefApiView, nullable: true }) actor!: UserRefApiView | null;
  @ApiProperty() at!: string;
}

export class DisposalApiView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: DISPOSAL_KINDS }) kind!: string;
  @ApiProperty() decidedOn!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ type: String, nullable: true }) referredTo!: string | null;
  @ApiProperty({ type: Number, nullable: true }) triggerId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) taskId!: number | null;
  @ApiProperty({ type: String, nullable: true }) taskStatus!: string | null;
  @ApiProperty({ type: Number, nullable: true }) creditRecordId!: number | null;
  @ApiProperty({ type: UserRefApiView }) createdBy!: UserRefApiView;
  @ApiProperty() createdAt!: string;
}

export class AlertDetailApiView extends AlertListItemApiView {
  @ApiProperty({ type: RiskAssessmentView, description: 'as of the opening day' })
  evidence!: RiskAssessmentView;
  @ApiProperty({ type: [AlertEventApiView] }) events!: AlertEventApiView[];
  @ApiProperty({ type: [DisposalApiView] }) disposals!: DisposalApiView[];
  @ApiProperty({ type: String, nullable: true }) findings!: string | null;
  @ApiProperty({ type: String, nullable: true }) issuerAction!: string | null;
  @ApiProperty({ enum: ALERT_OUTCOMES, nullable: true }) outcome!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the regulatory_measure record written on close',
  })
  creditRecordId!: number | null;
  @ApiProperty() modelVersion!: string;
}
