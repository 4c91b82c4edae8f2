import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEPARTMENTS } from '../../../auth/roles.js';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IdParam } from '../../../http/id-param.js';

export const VISIT_STATUSES = ['open', 'completed', 'cancelled'] as const;

/** Path parameter `:id` of a joint visit. */
export class VisitIdParam {
  @IdParam()
  id!: number;
}

/** Query of GET /api/joint-visits. */
export class VisitListQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({ enum: VISIT_STATUSES, description: 'default: every status but cancelled' })
  @IsOptional()
  @IsIn(VISIT_STATUSES)
  status?: (typeof VISIT_STATUSES)[number];

  @ApiPropertyOptional({
    enum: Object.keys(DEPARTMENTS),
    description: 'visits with a task of this department',
  })
  @IsOptional()
  @IsIn(Object.keys(DEPARTMENTS))
  department?: string;

  @ApiPropertyOptional({ description: 'visits of this enterprise (USCC)' })
  @IsOptional()
  @IsString()
  @IsLimitedText(18)
  uscc?: string;

  @ApiPropertyOptional({
    description: 'true: only joint visits (more than one task); false: only single ones',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'joint must be true or false' })
  joint?: boolean;

  @ApiPropertyOptional({
    example: '2027-01-01',
    description: 'visits whose window ends on or after this day',
  })
  @IsOptional()
  @IsLegalDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-12-31',
    description: 'visits whose window starts on or before this day',
  })
  @IsOptional()
  @IsLegalDate()
  to?: string;
}

/** Query of GET /api/joint-visits/report. */
export class VisitReportQuery {
  @ApiPropertyOptional({ type: 'integer', example: 2027, description: 'default: this year (Asia/Shanghai)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class EnterpriseRef {
  @ApiProperty({ example: '91310110MA1G8N5YX5' }) uscc!: string;
  @ApiProperty() name!: string;
}

export class ItemRef {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'SC-01' }) code!: string;
  @ApiProperty() name!: string;
}

export class InspectorRef {
  @ApiProperty() userId!: number;
  @ApiProperty() displayName!: string;
  @ApiProperty({ description: 'enforcement credential number 执法证号' }) credentialNo!: string;
  @ApiProperty({ example: 'market' }) department!: string;
}

export class TriggerRef {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['complaint', 'report', 'referral', 'data_alert', 'legal_requirement'] })
  kind!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) sourceRef!: string | null;
  @ApiProperty({ example: '2027-03-20' }) receivedOn!: string;
}

/** A joint visit in a list. */
export class VisitSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: EnterpriseRef }) enterprise!: EnterpriseRef;
  @ApiProperty({ example: 'market', description: 'lead department 牵头部门 (code)' }) leadDepartment!: string;
  @ApiProperty({ example: '2027-03-20', description: 'first day every task of the visit shares' })
  windowStart!: string;
  @ApiProperty({ example: '2027-03-31' }) windowEnd!: string;
  @ApiProperty({ enum: VISIT_STATUSES }) status!: string;
  @ApiProperty({ description: 'tasks of the visit (cancelled and replaced ones left out)' })
  taskCount!: number;
  @ApiProperty({ type: [String], description: 'departments of its tasks, the lead first' })
  departments!: string[];
  @ApiProperty({ description: 'more than one task: a joint visit 联合检查' }) joint!: boolean;
  @ApiProperty({ description: 'instant, ISO 8601' }) createdAt!: string;
}

/** One task of a visit. */
export class VisitTaskView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['routine', 'event'] }) kind!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ enum: ['assigned', 'in_progress', 'completed', 'cancelled', 'replaced'] }) status!: string;
  @ApiProperty() windowStart!: string;
  @ApiProperty() windowEnd!: string;
  @ApiProperty({ type: Number, nullable: true }) planId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) batchId!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['no_problem', 'problems_found', 'refused', 'not_found'],
  })
  outcome!: string | null;
  @ApiProperty({ type: [ItemRef] }) items!: ItemRef[];
  @ApiProperty({ type: [InspectorRef], description: 'the assigned inspectors in draw order' })
  inspectors!: InspectorRef[];
  @ApiProperty({ type: [TriggerRef], description: 'an event task: every trigger it answers (its reasons)' })
  triggers!: TriggerRef[];
}

/** One item of the combined checklist. */
export class ChecklistEntryView {
  @ApiProperty() id!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() department!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty({ type: [String], description: 'the compliance requirements to check, in order' })
  requirements!: string[];
  @ApiProperty({ type: [Number], description: 'the tasks asking for this item' }) taskIds!: number[];
}

/** The combined checklist 一表通查. */
export class ChecklistView {
  @ApiProperty() leadDepartment!: string;
  @ApiProperty({ type: [String] }) departments!: string[];
  @ApiProperty({ type: [ChecklistEntryView], description: "every item once, the lead department's first" })
  entries!: ChecklistEntryView[];
  @ApiProperty({ description: 'some item is checked on site (else documents or data suffice)' })
  onSite!: boolean;
}

/** A task added to the visit, and why (joint_visit_merge). */
export class VisitMergeView {
  @ApiProperty() id!: number;
  @ApiProperty() taskId!: number;
  @ApiProperty({ description: 'instant, ISO 8601' }) mergedAt!: string;
  @ApiProperty() reason!: string;
}

/** One joint visit: its tasks, the combined checklist and the merges. */
export class VisitView extends VisitSummaryView {
  @ApiProperty({ type: [VisitTaskView], description: 'every task of the visit, by id' })
  tasks!: VisitTaskView[];
  @ApiProperty({ type: ChecklistView }) checklist!: ChecklistView;
  @ApiProperty({ type: [VisitMergeView], description: 'oldest first' }) merges!: VisitMergeView[];
}

export class VisitPageView extends PageOf(VisitSummaryView) {}

/** A department's figures in the savings report. */
export class DepartmentSavingsView {
  @ApiProperty() department!: string;
  @ApiProperty() tasks!: number;
  @ApiProperty({ description: 'its tasks done in a visit with other tasks' }) inJointVisits!: number;
  @ApiProperty({ description: 'visits it leads' }) led!: number;
  @ApiProperty({ description: 'visits saved because its tasks joined a visit led by another task' })
  saved!: number;
}

/** GET /api/joint-visits/report: how many visits merging saved in a year. */
export class VisitReportView {
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'tasks in the visits of the year (windows starting in the year)' })
  tasks!: number;
  @ApiProperty() visits!: number;
  @ApiProperty({ description: 'visits of more than one task' }) jointVisits!: number;
  @ApiProperty({ description: 'visits saved by merging: tasks - visits' }) saved!: number;
  @ApiProperty({ type: [DepartmentSavingsView] }) byDepartment!: DepartmentSavingsView[];
}
