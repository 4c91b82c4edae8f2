import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { PageQuery } from '../../../http/paging.js';
import { EnterpriseRef, InspectorRef, TriggerRef } from '../../visits/dto/visit.dto.js';

/** Query of GET /api/inspection-alerts. */
export class AlertsQuery {
  @ApiPropertyOptional({ type: 'integer', example: 2027, description: 'default: this year (Asia/Shanghai)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

/** An enterprise with more routine checks in the year than the cap of its tier. */
export class OverCapAlertView {
  @ApiProperty({ type: EnterpriseRef }) enterprise!: EnterpriseRef;
  @ApiProperty({ type: String, nullable: true, description: 'its tier on the latest of those tasks' }) tier!:
    string | null;
  @ApiProperty({ description: 'routine tasks in the year (not cancelled or replaced)' }) checks!: number;
  @ApiProperty({ description: 'the yearly cap of its tier (the strictest of the plans)' }) cap!: number;
  @ApiProperty() over!: number;
  @ApiProperty({ type: [Number] }) taskIds!: number[];
}

/** Too many visits to one enterprise in a day, 7 days or a calendar month. */
export class RepeatVisitAlertView {
  @ApiProperty({ type: EnterpriseRef }) enterprise!: EnterpriseRef;
  @ApiProperty({
    enum: ['day', 'week', 'month'],
    description:
      'day: more than 1 a day; week: more than 2 in 7 days; month: more than 3 in a calendar month',
  })
  rule!: string;
  @ApiProperty({ description: 'the most visits the rule allows' }) limit!: number;
  @ApiProperty({ example: '2027-03-01', description: 'day of the first visit counted' }) from!: string;
  @ApiProperty({ example: '2027-03-05', description: 'day of the last visit counted' }) to!: string;
  @ApiProperty({
    type: [String],
    description:
      'the visits: `code:<code number>` (a check-in under an inspection code, on the day of its first check-in), or, recorded without a code, `visit:<joint visit id>` or `task:<id>` (a task outside a visit)',
  })
  visits!: string[];
}

/** An inspector whose latest checks of one enterprise found nothing N times in a row. */
export class InspectorReviewView {
  @ApiProperty({ type: InspectorRef }) inspector!: InspectorRef;
  @ApiProperty({ type: EnterpriseRef }) enterprise!: EnterpriseRef;
  @ApiProperty({ description: 'no-problem results in a row at the end of their checks' }) streak!: number;
  @ApiProperty({ type: [Number], description: 'the tasks of the streak, oldest first' }) taskIds!: number[];
  @ApiProperty({ description: 'instant of the first result of the streak, ISO 8601' }) from!: string;
  @ApiProperty({ description: 'instant of the last, ISO 8601' }) to!: string;
}

export class RepeatLimitsView {
  @ApiProperty({ example: 1 }) day!: number;
  @ApiProperty({ example: 2 }) week!: number;
  @ApiProperty({ example: 3 }) month!: number;
}

/** GET /api/inspection-alerts: frequency alerts of a year (频次预警). */
export class AlertsView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: RepeatLimitsView }) limits!: RepeatLimitsView;
  @ApiProperty({ description: 'the setting inspectorNoFindingStreak in force' }) noFindingStreak!: number;
  @ApiProperty({ type: [OverCapAlertView] }) overCap!: OverCapAlertView[];
  @ApiProperty({ type: [RepeatVisitAlertView] }) repeatVisits!: RepeatVisitAlertView[];
  @ApiProperty({ type: [InspectorReviewView] }) inspectorsToReview!: InspectorReviewView[];
}

/** Query of GET /api/reports/no-disturbance. */
export class NoDisturbanceQuery extends PageQuery(100, 1000) {
  @ApiPropertyOptional({
    example: '2027-01-01',
    description: 'first day (tasks made on or after); default 1 January of this year',
  })
  @IsOptional()
  @IsLegalDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-12-31',
    description: 'last day (tasks made on or before); default today',
  })
  @IsOptional()
  @IsLegalDate()
  to?: string;
}

/** A task on an enterprise of the best tier when the task was made. */
export class NoDisturbanceTaskView {
  @ApiProperty() taskId!: number;
  @ApiProperty({ enum: ['routine', 'event'] }) kind!: string;
  @ApiProperty({ type: EnterpriseRef }) enterprise!: EnterpriseRef;
  @ApiProperty() department!: string;
  @ApiProperty({ description: 'the tier when the task was made' }) tier!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'instant the task was made, ISO 8601' }) createdAt!: string;
  @ApiProperty({ type: [TriggerRef], description: 'the triggers it answers (its reasons)' })
  triggers!: TriggerRef[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why this task breaks 无事不扰; null when it does not',
  })
  violation!: string | null;
}

export class KindCountsView {
  @ApiProperty() routine!: number;
  @ApiProperty() event!: number;
}

/** GET /api/reports/no-disturbance: proof that no tier-A enterprise was checked without a reason (无事不扰). */
export class NoDisturbanceView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ example: 'A', description: 'the best tier of the active scorecard' }) bestTier!: string;
  @ApiProperty({ description: 'tasks on enterprises of the best tier when made, in the period' })
  tasks!: number;
  @ApiProperty({ type: KindCountsView }) byKind!: KindCountsView;
  @ApiProperty({ description: 'routine tasks, and event tasks without a trigger' }) violations!: number;
  @ApiProperty({ type: [Number], description: 'every violating task id' }) violationTaskIds!: number[];
  @ApiProperty({ example: '0 violations: ...', description: 'the finding in words' }) summary!: string;
  @ApiProperty({ example: '0 项违规：…', description: 'the finding in Chinese' }) summaryZh!: string;
  @ApiProperty({
    type: [NoDisturbanceTaskView],
    description: 'one page of the tasks, violations first, then newest',
  })
  items!: NoDisturbanceTaskView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
