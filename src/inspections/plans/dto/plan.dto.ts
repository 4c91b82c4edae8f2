import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsLimitedText } from '../../../http/text-validators.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { PLAN_LIMITS } from '../rules/plan-policy.js';
import { IdParam } from '../../../http/id-param.js';

/** Plan states: 草稿 draft, 已发布 published, 已被替代 superseded (a later version was published). */
export const PLAN_STATUSES = ['draft', 'published', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** One tier's policy in a plan body. */
export class PlanTierBody {
  @ApiProperty({ example: 'B', description: 'a tier of the active scorecard' }) tier!: string;
  @ApiProperty({
    example: 0.05,
    minimum: 0,
    maximum: 1,
    description:
      'share of eligible enterprises drawn per batch, item and tier (0..1, 6 decimals); 0 for the best tier (无事不扰)',
  })
  ratio!: number;
  @ApiProperty({
    example: 2,
    minimum: 0,
    maximum: PLAN_LIMITS.yearlyCap,
    description: 'routine checks per enterprise per year at most',
  })
  yearlyCap!: number;
}

/** One batch in a plan body. */
export class PlanBatchBody {
  @ApiProperty({ example: '第一批', maxLength: PLAN_LIMITS.batchName }) name!: string;
  @ApiProperty({
    example: '2027-04-01',
    description: 'first day of the window (YYYY-MM-DD, in the plan year)',
  })
  windowStart!: string;
  @ApiProperty({
    example: '2027-06-30',
    description: 'last day of the window (YYYY-MM-DD, inclusive); windows of a plan do not overlap',
  })
  windowEnd!: string;
}

/**
 * Body of POST /api/plans (and `plan create <file.json>`). The fields are checked together by the
 * one rule `checkPlan` (plans/rules/plan-policy.ts: the same text check and limits as other input,
 * common/text-check.ts), so a 422 names every field at fault at once (`tiers.B.ratio`,
 * `batches[1].windowEnd`, `itemCodes[2]`), whatever their type; the decorators here only admit
 * the fields.
 */
export class CreatePlanDto {
  @ApiProperty({ example: 2027, minimum: PLAN_LIMITS.minYear, maximum: PLAN_LIMITS.maxYear })
  @Allow()
  year!: number;

  @ApiProperty({ example: '2027年度杨浦区市场监管领域部门联合双随机抽查计划', maxLength: PLAN_LIMITS.title })
  @Allow()
  title!: string;

  @ApiProperty({
    example: 'market',
    description: 'department code (src/auth/roles.ts DEPARTMENTS, not court); a regulator leads only its own',
  })
  @Allow()
  leadDepartment!: string;

  @ApiPropertyOptional({
    example: ['health', 'fire'],
    type: [String],
    description: 'joint departments (联合抽查), not the lead',
  })
  @Allow()
  jointDepartments?: string[];

  @ApiPropertyOptional({
    example: '杨浦区内登记在营的市场主体',
    maxLength: PLAN_LIMITS.scope,
    type: String,
    nullable: true,
  })
  @Allow()
  scope?: string | null;

  @ApiProperty({
    example: ['YP-SC-01', 'YP-SC-02'],
    type: [String],
    description:
      'codes of active items of the item list (随机抽查事项清单), of the lead or a joint department',
  })
  @Allow()
  itemCodes!: string[];

  @ApiPropertyOptional({
    type: [PlanTierBody],
    description:
      'every tier of the active scorecard once; absent: the defaults of domain.md 5.2 (A 0, B 5 %, C 20 %, D 60 %, at most 2 a year)',
  })
  @Allow()
  tiers?: PlanTierBody[];

  @ApiProperty({
    type: [PlanBatchBody],
    description: `1 to ${PLAN_LIMITS.batches} batches; numbered in window order`,
  })
  @Allow()
  batches!: PlanBatchBody[];
}

/** Body of PATCH /api/plans/:id: any fields of CreatePlanDto; a list given replaces the draft's whole list. */
export class UpdatePlanDto {
  @ApiPropertyOptional({ example: 2027 }) @Allow() year?: number;
  @ApiPropertyOptional() @Allow() title?: string;
  @ApiPropertyOptional({ example: 'market' }) @Allow() leadDepartment?: string;
  @ApiPropertyOptional({ type: [String] }) @Allow() jointDepartments?: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) @Allow() scope?: string | null;
  @ApiPropertyOptional({ type: [String] }) @Allow() itemCodes?: string[];
  @ApiPropertyOptional({ type: [PlanTierBody] }) @Allow() tiers?: PlanTierBody[];
  @ApiPropertyOptional({ type: [PlanBatchBody] }) @Allow() batches?: PlanBatchBody[];
}

/** Path parameter `:id` of a plan. */
export class PlanIdParam {
  @IdParam()
  id!: number;
}

/** Path parameters `:id/batches/:batchId` of a plan's batch. */
export class PlanBatchParam extends PlanIdParam {
  @IdParam()
  batchId!: number;
}

/** Query of GET /api/plans. */
export class PlanListQuery extends PageQuery(20, 100) {
  @ApiPropertyOptional({ type: 'integer', example: 2027 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(PLAN_LIMITS.minYear)
  @Max(PLAN_LIMITS.maxYear)
  year?: number;

  @ApiPropertyOptional({ enum: PLAN_STATUSES })
  @IsOptional()
  @IsIn(PLAN_STATUSES)
  status?: PlanStatus;

  @ApiPropertyOptional({ example: 'market', description: 'plans this department leads or joins' })
  @IsOptional()
  @IsString()
  @IsLimitedText(20)
  department?: string;
}

/** Query of GET /api/public/plans. */
export class PublicPlanListQuery extends PageQuery(20, 100) {
  @ApiPropertyOptional({ type: 'integer', example: 2027 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(PLAN_LIMITS.minYear)
  @Max(PLAN_LIMITS.maxYear)
  year?: number;
}

/** Query of GET /api/public/plans/:id/batches/:batchId/results. */
export class PublicResultsQuery extends PageQuery(100, 500) {}

/** An item of a plan. */
export class PlanItemView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'YP-SC-01' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'market' }) department!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty({ description: 'full-coverage sector (Shanghai 条例 art. 61): listed apart, not drawn' })
  fullCoverage!: boolean;
}

/** A tier's policy in a plan. */
export class PlanTierView {
  @ApiProperty({ example: 'B' }) tier!: string;
  @ApiProperty({ example: 0.05 }) ratio!: number;
  @ApiProperty({ example: 2 }) yearlyCap!: number;
}

/** A batch's draw, when there is one. */
export class PlanBatchDrawView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['committed', 'revealed', 'drawn'] }) status!: string;
}

/** A batch of a plan. */
export class PlanBatchView {
  @ApiProperty() id!: number;
  @ApiProperty({ description: '1, 2, ... in window order' }) seq!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '2027-04-01' }) windowStart!: string;
  @ApiProperty({ example: '2027-06-30' }) windowEnd!: string;
  @ApiProperty({ type: PlanBatchDrawView, nullable: true }) draw!: PlanBatchDrawView | null;
}

/** Who created a plan. */
export class PlanActorView {
  @ApiProperty() userId!: number;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

/** An annual plan in a list. */
export class PlanSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '2027-market-01', description: '<year>-<lead>-<seq>, the same for every version' })
  planNo!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'the version this one replaces' }) replacesId!:
    number | null;
  @ApiProperty({ example: 2027 }) year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'market' }) leadDepartment!: string;
  @ApiProperty({ type: [String], example: ['health', 'fire'] }) jointDepartments!: string[];
  @ApiProperty({ enum: PLAN_STATUSES }) status!: PlanStatus;
  @ApiProperty({ type: String, nullable: true, description: 'instant, ISO 8601' }) publishedAt!:
    string | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'published after March 31 of its year (上海市优化营商环境条例 art. 62); null for a draft',
  })
  late!: boolean | null;
  @ApiProperty({ description: 'items in the plan' }) itemCount!: number;
  @ApiProperty({ description: 'batches in the plan' }) batchCount!: number;
  @ApiProperty({ description: 'instant, ISO 8601' }) createdAt!: string;
}

/** One annual plan with its items, tier policy and batches (PlanView of contract 11). */
export class PlanView extends PlanSummaryView {
  @ApiProperty({ type: String, nullable: true }) scope!: string | null;
  @ApiProperty({ type: [PlanItemView], description: 'by code' }) items!: PlanItemView[];
  @ApiProperty({ type: [PlanTierView], description: 'every tier of the scorecard, best first' })
  tiers!: PlanTierView[];
  @ApiProperty({ type: [PlanBatchView] }) batches!: PlanBatchView[];
  @ApiProperty({ type: PlanActorView, nullable: true, description: 'null for the CLI or start-up' })
  createdBy!: PlanActorView | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the later version that replaced this one' })
  supersededById!: number | null;
}

/** Answer of GET /api/plans. */
export class PlanPageView extends PageOf(PlanSummaryView) {}

/** A tier of the active scorecard with its default policy, for the plan editor. */
export class PlanTierOptionView extends PlanTierView {
  @ApiProperty({ example: '信用风险一般' }) label!: string;
}

/** A department that may lead or join a plan. */
export class PlanDepartmentOptionView {
  @ApiProperty({ example: 'market' }) code!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) name!: string;
}

/** Answer of GET /api/plans/form-options: what the plan editor offers. */
export class PlanFormOptionsView {
  @ApiProperty({
    type: [PlanTierOptionView],
    description: "the active scorecard's tiers, best first, with the default policy",
  })
  tiers!: PlanTierOptionView[];
  @ApiProperty({ type: [PlanDepartmentOptionView] }) departments!: PlanDepartmentOptionView[];
  @ApiProperty({ type: [PlanItemView], description: 'active items of the item list, by department and code' })
  items!: PlanItemView[];
}

// ---- public (一公开): no login, never a tier of an enterprise ----

/** A version of a public plan. */
export class PublicPlanVersionView {
  @ApiProperty() id!: number;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['published', 'superseded'] }) status!: string;
  @ApiProperty({ description: 'instant, ISO 8601' }) publishedAt!: string;
  @ApiProperty() late!: boolean;
}

/** A published (or superseded) plan in the public list, with every published version of it. */
export class PublicPlanSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '2027-market-01' }) planNo!: string;
  @ApiProperty() version!: number;
  @ApiProperty() year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'market' }) leadDepartment!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) leadDepartmentName!: string;
  @ApiProperty({ type: [String] }) jointDepartments!: string[];
  @ApiProperty({ enum: ['published', 'superseded'] }) status!: string;
  @ApiProperty({ description: 'instant, ISO 8601' }) publishedAt!: string;
  @ApiProperty({ description: 'published after March 31 of its year (条例 art. 62)' }) late!: boolean;
  @ApiProperty({
    type: [PublicPlanVersionView],
    description: 'every published version of this plan number, oldest first',
  })
  versions!: PublicPlanVersionView[];
}

/** Answer of GET /api/public/plans. */
export class PublicPlanPageView extends PageOf(PublicPlanSummaryView) {}

/** A public item: what is checked and on what legal basis. */
export class PublicPlanItemView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() department!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ enum: ['on_site', 'documents', 'data'] }) checkMethod!: string;
  @ApiProperty() fullCoverage!: boolean;
}

/** The draw of a public batch: its commitment and progress (the full record: /public/draws/:id). */
export class PublicDrawView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['committed', 'revealed', 'drawn'] }) status!: string;
  @ApiProperty({ description: 'SHA-256 of the secret seed, published before the public value' })
  commitment!: string;
  @ApiProperty() publicSource!: string;
  @ApiProperty({ type: String, nullable: true }) publicValue!: string | null;
  @ApiProperty({ description: 'instant, ISO 8601' }) committedAt!: string;
  @ApiProperty({ type: String, nullable: true }) drawnAt!: string | null;
  @ApiProperty({ description: 'targets drawn (replacements included)' }) targets!: number;
  @ApiProperty({ example: '/public/draws/3', description: 'the draw with its verification' }) page!: string;
}

/** Tasks of a batch by outcome: the results so far. */
export class PublicOutcomeCountsView {
  @ApiProperty({ description: 'tasks of the batch (cancelled and replaced ones left out)' }) tasks!: number;
  @ApiProperty({ description: 'not yet recorded' }) pending!: number;
  @ApiProperty({ description: '未发现问题' }) no_problem!: number;
  @ApiProperty({ description: '发现问题' }) problems_found!: number;
  @ApiProperty({ description: '拒绝检查' }) refused!: number;
  @ApiProperty({ description: '查无下落' }) not_found!: number;
}

/** A batch of a public plan. */
export class PublicBatchView {
  @ApiProperty() id!: number;
  @ApiProperty() seq!: number;
  @ApiProperty() name!: string;
  @ApiProperty() windowStart!: string;
  @ApiProperty() windowEnd!: string;
  @ApiProperty({ type: PublicDrawView, nullable: true }) draw!: PublicDrawView | null;
  @ApiProperty({ type: PublicOutcomeCountsView }) results!: PublicOutcomeCountsView;
}

/** A public plan (一公开): what, who, how, the sampling policy by tier, batches and results so far. */
export class PublicPlanView extends PublicPlanSummaryView {
  @ApiProperty({ type: String, nullable: true }) scope!: string | null;
  @ApiProperty({ type: [PublicPlanItemView] }) items!: PublicPlanItemView[];
  @ApiProperty({
    type: [PlanTierView],
    description:
      "the sampling policy: ratio and yearly cap per tier (no enterprise's tier is ever published, domain.md 4)",
  })
  tiers!: PlanTierView[];
  @ApiProperty({ type: [PublicBatchView] }) batches!: PublicBatchView[];
  @ApiProperty({ type: Number, nullable: true, description: 'the published version that replaced this one' })
  supersededById!: number | null;
}

/** One recorded result (一公开: name, USCC, items, outcome; never the enterprise's tier). */
export class PublicResultView {
  @ApiProperty() taskId!: number;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() uscc!: string;
  @ApiProperty({ example: 'market' }) department!: string;
  @ApiProperty({ type: [String], description: 'item names' }) items!: string[];
  @ApiProperty({ enum: ['no_problem', 'problems_found', 'refused', 'not_found'] }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, description: 'problems_found: 整改期限 YYYY-MM-DD' })
  correctionDeadline!: string | null;
  @ApiProperty({ description: 'day recorded, YYYY-MM-DD (Asia/Shanghai)' }) recordedOn!: string;
}

/** Answer of GET /api/public/plans/:id/batches/:batchId/results. */
export class PublicResultPageView extends PageOf(PublicResultView) {}
