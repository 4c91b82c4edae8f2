import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DEPARTMENTS } from '../../../auth/roles.js';
import { PageOf, PageQuery } from '../../../http/paging.js';
import { IsLimitedText } from '../../../http/text-validators.js';
import { CHECK_CODE_STATES, type CheckCodeState } from '../../rules/check-code-rules.js';
import { RATING_COMMENT_MAX, RATING_SCORE } from '../rules/rating-rules.js';
import {
  OverCapAlertView,
  RepeatLimitsView,
  RepeatVisitAlertView,
} from '../../../inspections/alerts/dto/alerts.dto.js';

const DEPARTMENT_CODES = Object.keys(DEPARTMENTS);
const trueFalse = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
/** A code number as people type it (JC-K7Q9-M2XD, k7q9m2xd) to its stored form (K7Q9M2XD); anything else as given. */
const toCodeNo = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase().replace(/^JC-?/, '').replace(/[-\s]/g, '') : value;

/** `:codeNo` of a code's routes: 8 characters A-Z 2-7 (JC-K7Q9-M2XD is read as K7Q9M2XD). */
export class CodeNoParam {
  @ApiProperty({ example: 'K7Q9M2XD', description: 'the code number (检查码编号), also as JC-K7Q9-M2XD' })
  @Transform(toCodeNo)
  @IsString()
  @Matches(/^[A-Z2-7]{8}$/, {
    message: 'codeNo must be a code number: 8 characters A-Z and 2-7 (JC-K7Q9-M2XD)',
  })
  codeNo!: string;
}

/** A year of the Shanghai calendar (default this year). */
export class YearQuery {
  @ApiPropertyOptional({ type: 'integer', example: 2026, description: 'default: this year (Asia/Shanghai)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

// ---- the rating ----

/** Body of POST /api/check-codes/:codeNo/rating: the enterprise's rating of the completed visit. */
export class RateVisitDto {
  @ApiProperty({
    minimum: RATING_SCORE.min,
    maximum: RATING_SCORE.max,
    example: 4,
    description: '1 (very poor) to 5 (very good)',
  })
  @IsInt()
  @Min(RATING_SCORE.min)
  @Max(RATING_SCORE.max)
  score!: number;

  @ApiProperty({ description: 'was the visit necessary (本次检查是否必要)' })
  @IsBoolean()
  necessary!: boolean;

  @ApiProperty({ description: 'could it have been merged with another visit (能否与其他检查合并)' })
  @IsBoolean()
  mergeable!: boolean;

  @ApiPropertyOptional({
    maxLength: RATING_COMMENT_MAX,
    example: '检查人员出示了检查码，检查事项清楚，用时较短。',
    description:
      'a comment; blank is none. Read only by the supervising body, never by the inspected department',
  })
  @IsOptional()
  @IsString()
  @IsLimitedText(RATING_COMMENT_MAX)
  comment?: string;
}

/** Answer of POST /api/check-codes/:codeNo/rating. */
export class RatingReceiptView {
  @ApiProperty({ example: 'K7Q9M2XD' }) codeNo!: string;
  @ApiProperty({ example: '2026-12-01', description: 'the day the rating was made (Asia/Shanghai)' })
  ratedOn!: string;
  @ApiProperty({
    example: '感谢您的评价。评价不记录评价人，检查部门只能看到多家企业评价的汇总。',
    description: 'what the enterprise is told (Chinese)',
  })
  message!: string;
}

// ---- aggregates ----

export class RatingSummaryQuery extends YearQuery {
  @ApiPropertyOptional({
    enum: ['quarter', 'month'],
    default: 'quarter',
    description: 'the periods shown besides the year',
  })
  @IsOptional()
  @IsIn(['quarter', 'month'])
  period: 'quarter' | 'month' = 'quarter';

  @ApiPropertyOptional({
    enum: DEPARTMENT_CODES,
    description:
      'admins and the supervising body: the department (default market); a regulator: its own only',
  })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;
}

export class RatingPeriodView {
  @ApiProperty({ example: '2026-Q3', description: '2026, 2026-Q3 or 2026-07' }) key!: string;
  @ApiProperty({ enum: ['year', 'quarter', 'month'] }) kind!: string;
  @ApiProperty({ example: '2026-07-01' }) from!: string;
  @ApiProperty({ example: '2026-09-30' }) to!: string;
  @ApiProperty({ example: '2026年第三季度' }) label!: string;
}

export class RatingAggregateView {
  @ApiProperty() count!: number;
  @ApiProperty({ type: Number, nullable: true, example: 4.2, description: 'mean score, 2 decimals' })
  meanScore!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.8,
    description: 'share answering "necessary", 0..1',
  })
  necessaryShare!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.2,
    description: 'share answering "could have been merged", 0..1',
  })
  mergeableShare!: number | null;
}

export class RatingCellView {
  @ApiProperty({ type: RatingPeriodView }) period!: RatingPeriodView;
  @ApiProperty({
    enum: ['shown', 'below_minimum', 'complementary', 'pending'],
    description:
      'shown: the aggregate; below_minimum: fewer than ratingMinGroup ratings; complementary: hidden so that no single rating can be worked out from the groups shown; pending: the period is not published yet (rating-aggregation.ts)',
  })
  status!: string;
  @ApiProperty({
    example: '不足 5 条，暂不显示',
    description: 'why nothing is shown, in Chinese; empty when shown',
  })
  statusText!: string;
  @ApiProperty({
    example: '2026-10-14',
    description: 'the day the period is published: its last day + max(1, ratingDelayDays)',
  })
  publishOn!: string;
  @ApiProperty({
    type: RatingAggregateView,
    nullable: true,
    description: 'only when shown: no count otherwise',
  })
  aggregate!: RatingAggregateView | null;
}

export class RatingSeriesView {
  @ApiProperty({ type: RatingCellView }) year!: RatingCellView;
  @ApiProperty({ type: [RatingCellView], description: 'the quarters or the months of the year, in order' })
  periods!: RatingCellView[];
}

export class RatedInspectorView {
  @ApiProperty() userId!: number;
  @ApiProperty({ example: '王强' }) displayName!: string;
  @ApiProperty({ type: String, nullable: true, example: '31011026007' }) credentialNo!: string | null;
}

export class InspectorRatingsView {
  @ApiProperty({ type: RatedInspectorView }) inspector!: RatedInspectorView;
  @ApiProperty({ type: RatingSeriesView }) series!: RatingSeriesView;
}

/** GET /api/check-code-ratings/summary: a department's ratings of a year, as the reader may see them. */
export class RatingSummaryView {
  @ApiProperty({ example: 'market' }) department!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) departmentName!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ enum: ['quarter', 'month'] }) period!: string;
  @ApiProperty({
    enum: ['department', 'whole'],
    description: 'department: the anonymity rule applied; whole: the supervising body, every group shown',
  })
  view!: string;
  @ApiProperty({ description: 'setting ratingMinGroup in force' }) minGroup!: number;
  @ApiProperty({ description: 'setting ratingDelayDays in force' }) delayDays!: number;
  @ApiProperty({ example: '2026-12-01' }) today!: string;
  @ApiProperty({ description: 'the rule in words (Chinese)' }) rule!: string;
  @ApiProperty({ type: RatingSeriesView }) total!: RatingSeriesView;
  @ApiProperty({
    type: [InspectorRatingsView],
    description: "the department's own inspectors who checked in under a rated code of it",
  })
  inspectors!: InspectorRatingsView[];
}

// ---- the supervising body's list ----

export class RatingListQuery extends PageQuery(50, 500) {
  @ApiPropertyOptional({
    type: 'integer',
    example: 2026,
    description: 'year of the rating day; default this year',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES, description: 'codes of this department only' })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 5,
    example: 2,
    description: 'scores up to this (2: the low ratings)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(RATING_SCORE.min)
  @Max(RATING_SCORE.max)
  maxScore?: number;

  @ApiPropertyOptional({ description: 'true: only ratings with a comment' })
  @IsOptional()
  @Transform(trueFalse)
  @IsBoolean({ message: 'withComment must be true or false' })
  withComment?: boolean;
}

export class RatedCodeInspectorView {
  @ApiProperty({ example: '王强' }) name!: string;
  @ApiProperty({ type: String, nullable: true }) credentialNo!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'market' }) department!: string | null;
}

export class RatingEnterpriseView {
  @ApiProperty() uscc!: string;
  @ApiProperty() name!: string;
}

/** One rating with its code, for the supervising body. */
export class RatingListItemView {
  @ApiProperty({ example: 'K7Q9M2XD' }) codeNo!: string;
  @ApiProperty({ example: 'JC-K7Q9-M2XD' }) codeNoDisplay!: string;
  @ApiProperty({ enum: ['routine', 'event', 'joint'] }) kind!: string;
  @ApiProperty({ type: RatingEnterpriseView }) enterprise!: RatingEnterpriseView;
  @ApiProperty({
    type: [String],
    example: ['market'],
    description: 'departments of the code, the lead first',
  })
  departments!: string[];
  @ApiProperty({ type: [RatedCodeInspectorView], description: 'inspectors who checked in under the code' })
  inspectors!: RatedCodeInspectorView[];
  @ApiProperty({ type: String, nullable: true, description: 'ISO 8601' }) completedAt!: string | null;
  @ApiProperty() score!: number;
  @ApiProperty() necessary!: boolean;
  @ApiProperty() mergeable!: boolean;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ example: '2026-12-01' }) ratedOn!: string;
  @ApiProperty({ example: '2026-12-15', description: "the day it enters the department's aggregates" })
  releasedOn!: string;
  @ApiProperty({ description: 'score <= 2' }) low!: boolean;
}

export class RatingPageView extends PageOf(RatingListItemView) {
  @ApiProperty({ description: 'ratings of the year (and department) with score <= 2' }) lowCount!: number;
  @ApiProperty({ description: 'ratings of the year (and department) with a comment' }) commentCount!: number;
}

// ---- an enterprise's inspections of a year ----

export class VisitDepartmentView {
  @ApiProperty({ example: 'market' }) code!: string;
  @ApiProperty({ example: '杨浦区市场监督管理局' }) name!: string;
  @ApiProperty() lead!: boolean;
}

/** A coded inspection of the enterprise. Times ISO 8601. */
export class CodedVisitView {
  @ApiProperty({ example: 'K7Q9M2XD' }) codeNo!: string;
  @ApiProperty({ example: 'JC-K7Q9-M2XD' }) codeNoDisplay!: string;
  @ApiProperty({
    enum: ['routine', 'event', 'joint'],
    description: 'routine 计划检查, event 事件触发检查, joint 联合检查',
  })
  kind!: string;
  @ApiProperty({ enum: CHECK_CODE_STATES }) status!: CheckCodeState;
  @ApiProperty({ example: '已完成' }) statusLabel!: string;
  @ApiProperty() issuedAt!: string;
  @ApiProperty() validFrom!: string;
  @ApiProperty() validUntil!: string;
  @ApiProperty({ type: String, nullable: true, description: 'first check-in' }) checkedInAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: [VisitDepartmentView], description: 'the lead first' })
  departments!: VisitDepartmentView[];
  @ApiProperty({ type: [String], description: 'plan numbers of a planned check' }) planNos!: string[];
  @ApiProperty({ type: [String], description: "an event-triggered check's reasons" }) reasons!: string[];
  @ApiProperty({ type: [RatedCodeInspectorView] }) inspectors!: RatedCodeInspectorView[];
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'whether the enterprise rated it: for the enterprise itself and the supervising body; null for everyone else (which visits were rated would narrow down who gave which rating)',
  })
  rated!: boolean | null;
  @ApiProperty({
    description: 'the enterprise itself: completed and not rated yet (评价 button); false for others',
  })
  canRate!: boolean;
}

export class VisitAlertsView {
  @ApiProperty({ type: RepeatLimitsView }) limits!: RepeatLimitsView;
  @ApiProperty({
    type: [RepeatVisitAlertView],
    description: 'repeat visits (frequency-alerts.ts repeatVisits over check-ins)',
  })
  repeatVisits!: RepeatVisitAlertView[];
  @ApiProperty({
    type: OverCapAlertView,
    nullable: true,
    description:
      "routine checks above the tier's yearly cap; always null for an enterprise user unless the bureau shows it its tier",
  })
  overCap!: OverCapAlertView | null;
}

export class VisitCountsView {
  @ApiProperty() routine!: number;
  @ApiProperty() event!: number;
  @ApiProperty() joint!: number;
}

/** GET /api/enterprises/:uscc/check-codes and GET /api/me/visits: an enterprise's coded inspections of a year. */
export class EnterpriseVisitsView {
  @ApiProperty({ type: RatingEnterpriseView }) enterprise!: RatingEnterpriseView;
  @ApiProperty() year!: number;
  @ApiProperty({
    description:
      'inspections that took place in the year: codes checked in under, one per joint visit and day (a code revoked and issued again on the spot counts once); `items` lists every code issued, in any state',
  })
  total!: number;
  @ApiProperty({ type: VisitCountsView, description: 'the inspections of `total` by kind' })
  byKind!: VisitCountsView;
  @ApiProperty({ description: 'completed ones' }) completed!: number;
  @ApiProperty({ type: [CodedVisitView], description: 'newest first' }) items!: CodedVisitView[];
  @ApiProperty({ type: VisitAlertsView }) alerts!: VisitAlertsView;
}

/** GET /api/me/visits/:codeNo: one visit of the signed-in enterprise (the rating page). */
export class MyVisitView extends CodedVisitView {
  @ApiProperty({ type: RatingEnterpriseView }) enterprise!: RatingEnterpriseView;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-12-01',
    description: 'the day it was rated, when rated',
  })
  ratedOn!: string | null;
}
