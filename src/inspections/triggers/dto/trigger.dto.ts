import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { INSPECTING_DEPARTMENTS } from '../../../auth/roles.js';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { EVENT_TASK_WINDOW_DAYS } from '../../rules/trigger-merge.js';
import { EnterpriseRef, InspectorRef, ItemRef } from '../../visits/dto/visit.dto.js';
import { IdParam } from '../../../http/id-param.js';

/** What proposes an event-triggered check (issue 11; domain.md 5.2). */
export const TRIGGER_KINDS = ['complaint', 'report', 'referral', 'data_alert', 'legal_requirement'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
export const TRIGGER_STATUSES = ['proposed', 'accepted', 'dismissed'] as const;

/** Longest texts of a trigger (characters). */
export const TRIGGER_TEXT_LIMITS = {
  reason: 1000,
  sourceRef: 100,
  dismissal: 500,
  itemCode: 40,
  items: 50,
} as const;

/** A trigger asks a department that inspects (not the court). */
const DEPARTMENT_CODES = [...INSPECTING_DEPARTMENTS];

/** Body of POST /api/triggers: a complaint, report, referral, data alert or legal requirement proposing a check. */
export class CreateTriggerDto {
  @ApiProperty({ example: '91310110MA1G8N5YX5', description: 'the enterprise concerned (in the register)' })
  @IsString()
  @IsLimitedText(40)
  enterpriseUscc!: string;

  @ApiProperty({
    enum: TRIGGER_KINDS,
    description:
      'complaint 投诉 / report 举报 / referral 转办交办 / data_alert 数据预警 / legal_requirement 法定要求',
  })
  @IsIn(TRIGGER_KINDS)
  kind!: TriggerKind;

  @ApiProperty({
    example: '消费者投诉：售卖过期食品',
    description: 'the stated reason (1 to 1000 characters)',
  })
  @IsString()
  @MinLength(1)
  @IsLimitedText(TRIGGER_TEXT_LIMITS.reason)
  reason!: string;

  @ApiPropertyOptional({
    example: '12315-2027-000123',
    description: 'complaint number, referral document number or alert id',
  })
  @IsOptional()
  @IsString()
  @IsLimitedText(TRIGGER_TEXT_LIMITS.sourceRef)
  sourceRef?: string;

  @ApiProperty({
    enum: DEPARTMENT_CODES,
    description: 'the department to check (its regulators accept or dismiss)',
  })
  @IsIn(DEPARTMENT_CODES)
  department!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['SC-01'],
    description:
      'items to check: active items of the department (at most 50); may be left for the acceptance',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TRIGGER_TEXT_LIMITS.items)
  @IsString({ each: true })
  @IsLimitedText(TRIGGER_TEXT_LIMITS.itemCode, { each: true })
  itemCodes?: string[];

  @ApiProperty({
    example: '2027-03-20',
    description: 'the day the complaint, referral or alert was received (not in the future)',
  })
  @IsLegalDate()
  receivedOn!: string;
}

/** Body of POST /api/triggers/:id/accept. */
export class AcceptTriggerDto {
  @ApiPropertyOptional({ type: [String], description: "the items to check (default: the trigger's)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TRIGGER_TEXT_LIMITS.items)
  @IsString({ each: true })
  @IsLimitedText(TRIGGER_TEXT_LIMITS.itemCode, { each: true })
  itemCodes?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: EVENT_TASK_WINDOW_DAYS.min,
    maximum: EVENT_TASK_WINDOW_DAYS.max,
    description:
      'calendar days a new task has, from today (included); default the setting eventTaskWindowDays (15). A trigger joining an open task leaves its window as it is',
  })
  @IsOptional()
  @IsInt()
  @Min(EVENT_TASK_WINDOW_DAYS.min)
  @Max(EVENT_TASK_WINDOW_DAYS.max)
  windowDays?: number;
}

/** Body of POST /api/triggers/:id/dismiss. */
export class DismissTriggerDto {
  @ApiProperty({
    example: '经核实，投诉对象已于上月停业',
    description: 'why no check follows (1 to 500 characters)',
  })
  @IsString()
  @MinLength(1)
  @IsLimitedText(TRIGGER_TEXT_LIMITS.dismissal)
  reason!: string;
}

/** Path parameter `:id` of a trigger. */
export class TriggerIdParam {
  @IdParam()
  id!: number;
}

/** Query of GET /api/triggers. */
export class TriggerListQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({ enum: TRIGGER_STATUSES })
  @IsOptional()
  @IsIn(TRIGGER_STATUSES)
  status?: (typeof TRIGGER_STATUSES)[number];

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({ description: 'triggers of this enterprise (USCC)' })
  @IsOptional()
  @IsString()
  @IsLimitedText(40)
  uscc?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'triggers answered by this task' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  taskId?: number;
}

export class UserRef {
  @ApiProperty() userId!: number;
  @ApiProperty() displayName!: string;
}

/** The task an accepted trigger made or joined. */
export class TriggerTaskView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['assigned', 'in_progress', 'completed', 'cancelled', 'replaced'] }) status!: string;
  @ApiProperty() department!: string;
  @ApiProperty() windowStart!: string;
  @ApiProperty() windowEnd!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'the joint visit the task is in' }) visitId!:
    number | null;
  @ApiProperty({ type: [ItemRef] }) items!: ItemRef[];
  @ApiProperty({ type: [InspectorRef] }) inspectors!: InspectorRef[];
  @ApiProperty({ description: 'triggers the task answers (more than one: merged, every reason listed)' })
  triggers!: number;
}

/** A trigger (事件触发). */
export class TriggerView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: EnterpriseRef }) enterprise!: EnterpriseRef;
  @ApiProperty({ enum: TRIGGER_KINDS }) kind!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) sourceRef!: string | null;
  @ApiProperty() department!: string;
  @ApiProperty({ type: [ItemRef], description: 'proposed items; once accepted, the items accepted' })
  items!: ItemRef[];
  @ApiProperty({ example: '2027-03-20' }) receivedOn!: string;
  @ApiProperty({ enum: TRIGGER_STATUSES }) status!: string;
  @ApiProperty({ type: UserRef, nullable: true }) proposedBy!: UserRef | null;
  @ApiProperty({ description: 'instant, ISO 8601' }) proposedAt!: string;
  @ApiProperty({ type: UserRef, nullable: true }) decidedBy!: UserRef | null;
  @ApiProperty({ type: String, nullable: true, description: 'instant, ISO 8601' }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) dismissalReason!: string | null;
  @ApiProperty({ type: TriggerTaskView, nullable: true }) task!: TriggerTaskView | null;
}

/** Answer of POST /api/triggers/:id/accept. */
export class AcceptedTriggerView extends TriggerView {
  @ApiProperty({
    description: 'true: the trigger joined an open event task (merge window); false: a new task',
  })
  joinedExisting!: boolean;
}

export class TriggerPageView extends PageOf(TriggerView) {}
