import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEPARTMENTS } from '../../../auth/roles.js';
import { IsLegalDate } from '../../../enterprises/dto/enterprise.dto.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import {
  MAX_FINDINGS,
  MY_TASK_VIEWS,
  type MyTaskView,
  RESULT_TEXT_LIMITS,
  TASK_KINDS,
  TASK_OUTCOMES,
  TASK_STATUSES,
} from '../rules/task-result.js';
import { IdParam } from '../../../http/id-param.js';

/** An optional positive id in a query. */
const optionalId = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(Number.MAX_SAFE_INTEGER),
  );
const trueFalse = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Path parameter `:id` of a task. */
export class TaskIdParam {
  @IdParam()
  id!: number;
}

/** Query of GET /api/tasks (the task board); every filter optional, combined with AND. */
export class TaskListQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: TASK_KINDS, description: 'routine 日常抽查 / event 事件触发' })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: Object.keys(DEPARTMENTS), description: 'the task department' })
  @IsOptional()
  @IsIn(Object.keys(DEPARTMENTS))
  department?: string;

  @optionalId('the plan (inspection_plan id)') planId?: number;
  @optionalId('the batch (inspection_batch id)') batchId?: number;
  @optionalId('an inspector assigned to the task (app_user id)') inspector?: number;

  @ApiPropertyOptional({ example: '91310110MA1G8N5YX5', description: 'the enterprise (USCC, 18 characters)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[0-9A-Z]{18}$/, { message: 'uscc must be 18 digits or capital letters' })
  uscc?: string;

  @ApiPropertyOptional({
    example: '2026-12-01',
    description: 'the window ends on or after this day (YYYY-MM-DD)',
  })
  @IsOptional()
  @IsLegalDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description: 'the window starts on or before this day (YYYY-MM-DD)',
  })
  @IsOptional()
  @IsLegalDate()
  to?: string;

  @ApiPropertyOptional({
    type: String,
    enum: ['true', 'false'],
    description: 'true: only open tasks whose window ended before today (逾期); false: only the others',
  })
  @IsOptional()
  @Transform(trueFalse)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
}

/** Query of GET /api/my/tasks. */
export class MyTasksQuery extends PageQuery(50, 200) {
  @ApiPropertyOptional({
    enum: MY_TASK_VIEWS,
    default: 'open',
    description:
      'today 今日 (window includes today), week 本周 (window overlaps today to Sunday), overdue 逾期, open 未完成, done 已完成',
  })
  @IsOptional()
  @IsIn(MY_TASK_VIEWS)
  when: MyTaskView = 'open';
}

/** One finding of a result: the item and what was found. */
export class FindingDto {
  @ApiProperty({ example: 'SC-FOOD-01', description: 'the code of one of the task items' })
  @IsString()
  @IsLimitedText(RESULT_TEXT_LIMITS.itemCode)
  itemCode!: string;

  @ApiProperty({ example: '未在经营场所显著位置公示食品经营许可证', description: 'at most 1000 characters' })
  @IsString()
  @IsLimitedText(RESULT_TEXT_LIMITS.finding)
  finding!: string;
}

/**
 * Body of POST /api/tasks/:id/result. The rules between the fields (findings only and always
 * for problems_found, their items those of the task, the deadline after today) are
 * checkTaskResult's (tasks/rules/task-result.ts), answered 422 naming every field at fault.
 */
export class RecordResultDto {
  @ApiProperty({
    enum: TASK_OUTCOMES,
    description: 'no_problem 未发现问题, problems_found 发现问题, refused 拒绝检查, not_found 查无下落',
  })
  @IsString()
  outcome!: string;

  @ApiPropertyOptional({
    type: [FindingDto],
    description: `problems_found: 1 to ${MAX_FINDINGS} findings (several may name one item); other outcomes: none`,
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings?: FindingDto[];

  @ApiPropertyOptional({
    example: '2027-01-15',
    description: '整改期限 YYYY-MM-DD, after today; only with problems_found (optional there)',
  })
  @IsOptional()
  @IsString()
  correctionDeadline?: string;

  @ApiPropertyOptional({ description: 'at most 1000 characters' })
  @IsOptional()
  @IsString()
  @IsLimitedText(RESULT_TEXT_LIMITS.note)
  note?: string;
}

// ---- views ----

export class TaskEnterpriseRef {
  @ApiProperty({ example: '91310110MA1G8N5YX5' }) uscc!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) street!: string | null;
}

export class TaskPlanRef {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '2027-market-1' }) planNo!: string;
  @ApiProperty() version!: number;
  @ApiProperty() title!: string;
}

export class TaskBatchRef {
  @ApiProperty() id!: number;
  @ApiProperty() seq!: number;
  @ApiProperty() name!: string;
}

export class TaskItemRef {
  @ApiProperty({ example: 'SC-FOOD-01' }) code!: string;
  @ApiProperty() name!: string;
}

export class TaskInspectorRef {
  @ApiProperty() userId!: number;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true, description: '执法证号' }) credentialNo!: string | null;
}

/** A task in a list (the board, my tasks). */
export class TaskSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ example: 'market', description: 'department code (auth/roles.ts DEPARTMENTS)' })
  department!: string;
  @ApiProperty({ type: String, nullable: true, description: "the enterprise's tier when the task was made" })
  tier!: string | null;
  @ApiProperty({ example: '2027-03-01', description: 'first day of the window, YYYY-MM-DD' })
  windowStart!: string;
  @ApiProperty({ example: '2027-04-30', description: 'last day of the window, YYYY-MM-DD' })
  windowEnd!: string;
  @ApiProperty({ description: 'open and its window ended before today (Asia/Shanghai)' }) overdue!: boolean;
  @ApiProperty({ type: TaskEnterpriseRef }) enterprise!: TaskEnterpriseRef;
  @ApiProperty({ type: TaskPlanRef, nullable: true }) plan!: TaskPlanRef | null;
  @ApiProperty({ type: TaskBatchRef, nullable: true }) batch!: TaskBatchRef | null;
  @ApiProperty({ type: Number, nullable: true }) drawId!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'its visit (every drawn or accepted task has one; joint when jointVisit)',
  })
  visitId!: number | null;
  @ApiProperty({
    description:
      'its visit holds other tasks (not cancelled or replaced): a joint visit 综合查一次 with a combined checklist',
  })
  jointVisit!: boolean;
  @ApiProperty({ type: [TaskItemRef] }) items!: TaskItemRef[];
  @ApiProperty({ type: [TaskInspectorRef], description: 'assigned inspectors in draw order' })
  inspectors!: TaskInspectorRef[];
  @ApiProperty({ type: String, nullable: true, enum: TASK_OUTCOMES }) outcome!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'instant, ISO 8601' }) recordedAt!: string | null;
}

export class TaskPageView extends PageOf(TaskSummaryView) {}

export class TaskEnterpriseView extends TaskEnterpriseRef {
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'H62' }) industryCode!: string | null;
  @ApiProperty({ example: 'active' }) status!: string;
  @ApiProperty({ example: '存续（在营、开业、在册）' }) statusLabel!: string;
  @ApiProperty({ example: 'company' }) entityType!: string;
}

export class TaskItemView extends TaskItemRef {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'market' }) department!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty({ type: [String], description: 'the checklist lines (compliance requirements), in order' })
  requirements!: string[];
}

export class TaskInspectorView extends TaskInspectorRef {
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ description: 'draw order, from 1' }) position!: number;
  @ApiProperty({
    enum: ['assigned', 'skipped_recusal', 'withdrawn'],
    description: 'skipped_recusal: drawn, then skipped for an approved recusal (回避)',
  })
  role!: string;
}

export class TaskTriggerView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['complaint', 'report', 'referral', 'data_alert', 'legal_requirement'] })
  kind!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) sourceRef!: string | null;
  @ApiProperty({ example: '2027-03-02' }) receivedOn!: string;
}

export class ChecklistItemView extends TaskItemView {
  @ApiProperty({ type: [Number], description: 'the tasks of the visit checking this item' })
  taskIds!: number[];
}

export class VisitTaskView {
  @ApiProperty() id!: number;
  @ApiProperty() department!: string;
  @ApiProperty({ enum: TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ type: [TaskInspectorRef] }) inspectors!: TaskInspectorRef[];
}

/** The joint visit of a task (综合查一次) with its combined checklist (一表通查). */
export class TaskVisitView {
  @ApiProperty() id!: number;
  @ApiProperty({ description: '牵头部门 (department code)' }) leadDepartment!: string;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) status!: string;
  @ApiProperty() windowStart!: string;
  @ApiProperty() windowEnd!: string;
  @ApiProperty({ description: 'more than one task: a joint visit' }) joint!: boolean;
  @ApiProperty({ type: [VisitTaskView] }) tasks!: VisitTaskView[];
  @ApiProperty({
    type: [ChecklistItemView],
    description:
      'every item of the visit once, the lead department first (rules/joint-visits.ts combinedChecklist)',
  })
  checklist!: ChecklistItemView[];
}

export class FindingView {
  @ApiProperty() itemCode!: string;
  @ApiProperty() finding!: string;
}

export class TaskResultView {
  @ApiProperty({ enum: TASK_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: [FindingView] }) findings!: FindingView[];
  @ApiProperty({ type: String, nullable: true }) correctionDeadline!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: 'instant, ISO 8601' }) recordedAt!: string;
  @ApiProperty({ type: TaskInspectorRef, nullable: true }) recordedBy!: TaskInspectorRef | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the inspection_result credit record' })
  creditRecordId!: number | null;
}

/** One task with everything an inspector needs on the spot. */
export class TaskView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ type: String, nullable: true }) tier!: string | null;
  @ApiProperty() windowStart!: string;
  @ApiProperty() windowEnd!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: TaskEnterpriseView }) enterprise!: TaskEnterpriseView;
  @ApiProperty({ type: TaskPlanRef, nullable: true }) plan!: TaskPlanRef | null;
  @ApiProperty({ type: TaskBatchRef, nullable: true }) batch!: TaskBatchRef | null;
  @ApiProperty({ type: Number, nullable: true }) drawId!: number | null;
  @ApiProperty({ type: [TaskItemView] }) items!: TaskItemView[];
  @ApiProperty({ type: [TaskInspectorView], description: 'every inspector drawn, in draw order, with role' })
  inspectors!: TaskInspectorView[];
  @ApiProperty({ type: [TaskTriggerView], description: "an event task's reasons (every merged trigger)" })
  triggers!: TaskTriggerView[];
  @ApiProperty({ type: TaskVisitView, nullable: true }) visit!: TaskVisitView | null;
  @ApiProperty({ type: TaskResultView, nullable: true }) result!: TaskResultView | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty({ description: 'instant, ISO 8601' }) createdAt!: string;
  @ApiProperty({ description: 'the signed-in user may record its result now (resultRefusal)' })
  canRecord!: boolean;
}

export class ScoreChangeView {
  @ApiProperty({ type: Number, nullable: true }) previousScore!: number | null;
  @ApiProperty({ type: String, nullable: true }) previousTier!: string | null;
  @ApiProperty() score!: number;
  @ApiProperty() tier!: string;
}

/** Answer of POST /api/tasks/:id/result. */
export class RecordedResultView {
  @ApiProperty({ type: TaskView }) task!: TaskView;
  @ApiProperty({ description: 'the inspection_result credit record stored (source key task:<id>)' })
  creditRecordId!: number;
  @ApiProperty({ type: ScoreChangeView, description: "the enterprise's score and tier before and after" })
  score!: ScoreChangeView;
}
