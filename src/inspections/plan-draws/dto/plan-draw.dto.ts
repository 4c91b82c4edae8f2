import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { IdParam } from '../../../http/id-param.js';

/** Longest texts of a draw (characters). */
export const PLAN_DRAW_LIMITS = { publicSource: 200, publicValue: 200, secret: 200, note: 500 } as const;

/** Why a target is replaced (a target that cannot be inspected; never a fresh draw). */
export const REPLACEMENT_REASONS = ['closed', 'not_found', 'deregistered'] as const;

/** Path parameter `:id` of a plan draw (also `:batchId`). */
export class PlanDrawIdParam {
  @IdParam()
  id!: number;
}

export class BatchIdParam {
  @IdParam()
  batchId!: number;
}

/** Path of GET /api/plan-draws/:id/inputs/:name. */
export class DrawInputParam extends PlanDrawIdParam {
  @ApiProperty({ enum: ['params', 'roster', 'inspectors', 'recusals'] })
  @IsIn(['params', 'roster', 'inspectors', 'recusals'])
  name!: 'params' | 'roster' | 'inspectors' | 'recusals';
}

/** Body of POST /api/plan-draws: the commitment (the secret stays with the regulator). */
export class CommitDrawDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'the batch (inspection_batch.id) of a published plan',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  batchId!: number;

  @ApiProperty({
    example: '3f0c...e1',
    description: 'SHA-256 (64 lower-case hex digits) of the secret, computed where the secret is kept',
  })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex digits (the SHA-256 of the secret)' })
  commitment!: string;

  @ApiProperty({
    example: '中国福利彩票双色球 2027015 期开奖号码',
    description: 'which public value, fixed only after the commitment, will be combined with the secret',
  })
  @IsString()
  @MinLength(1)
  @IsLimitedText(PLAN_DRAW_LIMITS.publicSource)
  publicSource!: string;

  @ApiPropertyOptional({
    example: '2027-02-01',
    description:
      'the day whose tiers the frozen roster holds (default today, Asia/Shanghai; not after today)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  tierDate?: string;
}

/** Body of POST /api/plan-draws/:id/public-value. */
export class PublicValueDto {
  @ApiProperty({
    example: '03 07 12 19 25 31 + 09',
    description: 'the public value as published by its source',
  })
  @IsString()
  @MinLength(1)
  @IsLimitedText(PLAN_DRAW_LIMITS.publicValue)
  value!: string;
}

/** Body of POST /api/plan-draws/:id/reveal. */
export class RevealDto {
  @ApiProperty({ description: 'the secret whose SHA-256 is the commitment (32 to 200 characters)' })
  @IsString()
  @MinLength(1)
  @IsLimitedText(PLAN_DRAW_LIMITS.secret)
  secret!: string;
}

/** Body of POST /api/plan-draws/:id/replacements. */
export class ReplacementDto {
  @ApiProperty({ example: 'SC-001', description: 'the item of the target' })
  @IsString()
  @IsLimitedText(40)
  itemCode!: string;

  @ApiProperty({ example: 'C' })
  @IsString()
  @IsLimitedText(20)
  tier!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'the target position in its shuffle (1-based)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_000_000_000)
  position!: number;

  @ApiProperty({
    enum: REPLACEMENT_REASONS,
    description: 'closed 已关闭 / not_found 查无下落 / deregistered 已注销',
  })
  @IsIn(REPLACEMENT_REASONS)
  reason!: (typeof REPLACEMENT_REASONS)[number];

  @ApiPropertyOptional({ description: 'what was found (at most 500 characters)' })
  @IsOptional()
  @IsString()
  @IsLimitedText(PLAN_DRAW_LIMITS.note)
  note?: string;
}

/** Query of GET /api/plan-draws. */
export class PlanDrawListQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'only the draw of this batch' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  batchId?: number;
}

/** Query of GET /api/plan-draws/:id/targets. */
export class PlanDrawTargetsQuery extends PageQuery(50, 1000) {
  @ApiPropertyOptional({ example: 'SC-001', description: 'only this item' })
  @IsOptional()
  @IsString()
  @IsLimitedText(40)
  itemCode?: string;

  @ApiPropertyOptional({ example: 'C', description: 'only this tier' })
  @IsOptional()
  @IsString()
  @IsLimitedText(20)
  tier?: string;
}

/** Who did a step and when. */
export class DrawStepView {
  @ApiProperty({ type: Number, nullable: true, description: 'app_user.id (null: the CLI)' }) userId!:
    number | null;
  @ApiProperty({ example: 'regulator-zhang', description: 'username, or cli:<os user>' }) name!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '张明',
    description: "the user's display name (null: the CLI)",
  })
  displayName!: string | null;
  @ApiProperty({ description: 'instant, ISO 8601' }) at!: string;
}

export class DrawStepsView {
  @ApiProperty({ type: DrawStepView }) committed!: DrawStepView;
  @ApiProperty({ type: DrawStepView, nullable: true }) publicValue!: DrawStepView | null;
  @ApiProperty({ type: DrawStepView, nullable: true }) revealed!: DrawStepView | null;
  @ApiProperty({ type: DrawStepView, nullable: true }) drawn!: DrawStepView | null;
}

/** One frozen input document: its digest and size. */
export class DrawInputView {
  @ApiProperty({ enum: ['params', 'roster', 'inspectors', 'recusals'] }) name!: string;
  @ApiProperty({ description: 'SHA-256 of the document text' }) digest!: string;
  @ApiProperty({ description: 'data lines (the header not counted; params: 1)' }) lines!: number;
}

export class DrawPlanRef {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '2027-market-001' }) planNo!: string;
  @ApiProperty() version!: number;
  @ApiProperty() year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'market' }) leadDepartment!: string;
  @ApiProperty({ enum: ['draft', 'published', 'superseded'] }) status!: string;
}

export class DrawBatchRef {
  @ApiProperty() id!: number;
  @ApiProperty() seq!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '2027-04-01' }) windowStart!: string;
  @ApiProperty({ example: '2027-06-30' }) windowEnd!: string;
}

/** One item and tier of a drawn draw. */
export class DrawStratumView {
  @ApiProperty() itemId!: number;
  @ApiProperty() itemCode!: string;
  @ApiProperty() itemName!: string;
  @ApiProperty() department!: string;
  @ApiProperty() tier!: string;
  @ApiProperty({ example: '0.050000', description: 'sampling ratio, 6 decimals' }) ratio!: string;
  @ApiProperty() yearlyCap!: number;
  @ApiProperty({ description: 'enterprises of the tier the item applies to' }) applicable!: number;
  @ApiProperty({ description: 'excluded: deregistered, revoked or moved out' }) notInspectable!: number;
  @ApiProperty({ description: 'excluded: at the yearly cap of routine checks' }) atCap!: number;
  @ApiProperty({ description: 'excluded: the tier is not sampled (ratio 0, e.g. A: 无事不扰)' })
  ratioZero!: number;
  @ApiProperty() eligible!: number;
  @ApiProperty() drawn!: number;
}

export class DrawFullCoverageView {
  @ApiProperty() itemId!: number;
  @ApiProperty() itemCode!: string;
  @ApiProperty() itemName!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ description: 'applicable enterprises that can be inspected (every tier)' })
  enterprises!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'statutory checks a year (Shanghai 条例 art. 61)',
  })
  perYear!: number | null;
}

export class DrawSummaryView {
  @ApiProperty({ type: [DrawStratumView] }) strata!: DrawStratumView[];
  @ApiProperty({
    description: 'per item: enterprises without a tier of the policy on the tier date (not drawn)',
  })
  unclassified!: { itemCode: string; enterprises: number }[];
  @ApiProperty({ type: [DrawFullCoverageView] }) fullCoverage!: DrawFullCoverageView[];
  @ApiProperty() targets!: number;
  @ApiProperty() enterprises!: number;
  @ApiProperty() tasks!: number;
  @ApiProperty({ description: 'distinct inspectors assigned' }) inspectors!: number;
  @ApiProperty() skippedForRecusal!: number;
}

/** A plan draw: its commitment, inputs, steps and (once drawn) its figures. */
export class PlanDrawView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: DrawPlanRef }) plan!: DrawPlanRef;
  @ApiProperty({ type: DrawBatchRef }) batch!: DrawBatchRef;
  @ApiProperty({ enum: ['committed', 'revealed', 'drawn'] }) status!: string;
  @ApiProperty({ example: 'plan-draw-fisher-yates-sha256/v1+inspectors-round-robin-sha256/v1' })
  algorithm!: string;
  @ApiProperty({ example: '2027-02-01', description: 'the day whose tiers the roster holds' })
  tierDate!: string;
  @ApiProperty({ description: 'SHA-256 of the secret' }) commitment!: string;
  @ApiProperty() publicSource!: string;
  @ApiProperty({ type: String, nullable: true }) publicValue!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'shown once revealed' }) secret!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of <secret>|<public value>' })
  finalSeed!: string | null;
  @ApiProperty({ description: 'SHA-256 over the four input digests' }) inputsDigest!: string;
  @ApiProperty({ type: [DrawInputView] }) inputs!: DrawInputView[];
  @ApiProperty({ type: String, nullable: true }) resultDigest!: string | null;
  @ApiProperty({ type: DrawSummaryView, nullable: true }) summary!: DrawSummaryView | null;
  @ApiProperty({ description: 'targets replaced so far' }) replacements!: number;
  @ApiProperty({ type: DrawStepsView }) steps!: DrawStepsView;
}

export class PlanDrawPage extends PageOf(PlanDrawView) {}

/** The draw page's context: the batch, its plan and its draw when there is one. */
export class BatchDrawContextView {
  @ApiProperty({ type: DrawPlanRef }) plan!: DrawPlanRef;
  @ApiProperty({ type: DrawBatchRef }) batch!: DrawBatchRef;
  @ApiProperty({ type: PlanDrawView, nullable: true }) draw!: PlanDrawView | null;
  @ApiProperty({ description: 'whether the signed-in user may commit, reveal, draw and replace' })
  mayDraw!: boolean;
}

/** One drawn target. */
export class PlanDrawTargetView {
  @ApiProperty() itemCode!: string;
  @ApiProperty() itemName!: string;
  @ApiProperty() department!: string;
  @ApiProperty() tier!: string;
  @ApiProperty({ description: '1-based position in the shuffle of the item and tier' }) position!: number;
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) street!: string | null;
  @ApiProperty({ enum: ['selected', 'replaced'] }) status!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'a replacement: the position it replaces' })
  replacesPosition!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: [...REPLACEMENT_REASONS, null] })
  replacedReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) replacedNote!: string | null;
  @ApiProperty({ type: String, nullable: true }) replacedAt!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the routine task of the target (its enterprise and department)',
  })
  taskId!: number | null;
}

export class PlanDrawTargetPage extends PageOf(PlanDrawTargetView) {}

/** One check of a verification. */
export class VerificationCheckView {
  @ApiProperty({ example: 'commitment' }) name!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, nullable: true }) expected!: string | null;
  @ApiProperty({ type: String, nullable: true }) actual!: string | null;
  @ApiProperty({ description: 'what was compared, or where it differs' }) detail!: string;
}

/** The answer of a verification: every check, and whether all match. */
export class VerificationView {
  @ApiProperty() drawId!: number;
  @ApiProperty() match!: boolean;
  @ApiProperty({ type: [VerificationCheckView] }) checks!: VerificationCheckView[];
  @ApiProperty({ description: 'instant of the computation, ISO 8601' }) computedAt!: string;
  @ApiProperty({ description: 'milliseconds' }) elapsedMs!: number;
}

/** The answer of a replacement: the replaced target and the one taken. */
export class ReplacementResultView {
  @ApiProperty({ type: PlanDrawTargetView }) replaced!: PlanDrawTargetView;
  @ApiProperty({ type: PlanDrawTargetView }) replacement!: PlanDrawTargetView;
}
