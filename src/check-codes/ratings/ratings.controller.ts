import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import { UsccPipe } from '../../http/api-errors.js';
import {
  CodeNoParam,
  EnterpriseVisitsView,
  MyVisitView,
  RateVisitDto,
  RatingListQuery,
  RatingPageView,
  RatingReceiptView,
  RatingSummaryQuery,
  RatingSummaryView,
  YearQuery,
} from './dto/ratings.dto.js';
import { RatingsService } from './ratings.service.js';
import { VisitsService } from './visits.service.js';

/** The enterprise's rating of a completed inspection (检查评价). */
@ApiTags('check-code ratings 检查评价')
@Controller('api/check-codes')
export class CodeRatingController {
  constructor(private readonly ratings: RatingsService) {}

  /**
   * Rates the completed inspection of the code, once per code, as a user of the inspected
   * enterprise: `{ score: 1-5, necessary, mergeable, comment? (at most 500 characters; blank is
   * none) }`. 201 `{ codeNo, ratedOn, message }`. Stored without the rater; the inspected
   * department sees it only inside aggregates (docs/security.md "Ratings"). 404 no such code; 403
   * (audited `access.denied`) a user of another enterprise; 409 (audited
   * `check_code.rating_refused`, nothing stored) not completed, or rated already; 422 each field at
   * fault (codeNo, score, necessary, mergeable, comment).
   */
  @Post(':codeNo/rating')
  @HttpCode(201)
  @Roles('enterprise')
  @ApiOperation({ summary: '评价检查 / rate the completed inspection (once per code, anonymous)' })
  @ApiCreatedResponse({ type: RatingReceiptView })
  @ApiNotFoundResponse({ description: 'no code of that number' })
  @ApiForbiddenResponse({ description: 'a code of another enterprise (audited)' })
  @ApiConflictResponse({
    description: 'not completed (issued, in use, expired, revoked), or rated already (audited)',
  })
  @ApiUnprocessableEntityResponse({
    description: 'codeNo, score (1-5), necessary, mergeable, comment: each named',
  })
  rate(
    @Param() p: CodeNoParam,
    @Body() dto: RateVisitDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<RatingReceiptView> {
    return this.ratings.rate(p.codeNo, dto, user, actor);
  }
}

/** What the bureau reads of the ratings: aggregates under the anonymity rule; whole for the supervising body. */
@ApiTags('check-code ratings 检查评价')
@Controller('api/check-code-ratings')
@Roles('admin', 'regulator')
export class RatingsController {
  constructor(private readonly ratings: RatingsService) {}

  /**
   * A department's ratings of a year (default this year) by quarter (default) or month, with the
   * year, for the department and each of its inspectors: per cell its status (`shown`,
   * `below_minimum` "不足 k 条，暂不显示", `complementary` hidden so no single rating can be worked
   * out, `pending` the period is not published yet), the reason in Chinese, the day it is
   * published, and when shown `{ count, meanScore, necessaryShare, mergeableShare }`. A regulator
   * reads its own department (another: 403, audited); an admin any, under the same rule; the
   * supervising body (regulators of `oversight`) any, whole. Rule:
   * check-codes/ratings/rules/rating-aggregation.ts. 422 year, period, department.
   */
  @Get('summary')
  @ApiOperation({ summary: "检查评价汇总 / a department's ratings, aggregated within the anonymity rule" })
  @ApiOkResponse({ type: RatingSummaryView })
  @ApiForbiddenResponse({ description: "a regulator asking for another department's ratings (audited)" })
  @ApiUnprocessableEntityResponse({ description: 'year (2000-2100), period (quarter, month), department' })
  summary(
    @Query() q: RatingSummaryQuery,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<RatingSummaryView> {
    return this.ratings.summary(q, user, actor);
  }

  /**
   * Every rating with its code, enterprise, departments, the inspectors who checked in, the score,
   * the answers and the comment, newest first: for the supervising body only (regulators of
   * `oversight`; anyone else 403, audited `access.denied`). Filters: year (of the rating day),
   * department, maxScore (2: the low ratings), withComment. `{ items, total, page, pageSize,
   * lowCount, commentCount }` and X-Total-Count.
   */
  @Get()
  @ApiOperation({ summary: '全部评价 / every rating, whole (the supervising body only)' })
  @ApiOkResponse({ type: RatingPageView })
  @ApiForbiddenResponse({ description: 'not the supervising body (audited)' })
  @ApiUnprocessableEntityResponse({ description: 'year, department, maxScore, withComment, page, pageSize' })
  async list(
    @Query() q: RatingListQuery,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RatingPageView> {
    const page = await this.ratings.list(q, user, actor);
    res.setHeader('X-Total-Count', String(page.total));
    return page;
  }
}

/** An enterprise's inspections of a year under codes (检查码统计), for the bureau's staff. */
@ApiTags('check-code ratings 检查评价')
@Controller('api/enterprises')
export class EnterpriseVisitsController {
  constructor(private readonly visits: VisitsService) {}

  /**
   * The enterprise's coded inspections issued in `year` (default this year): `{ enterprise, year,
   * total, byKind: { routine, event, joint }, completed, items, alerts: { limits, repeatVisits,
   * overCap } }`, each item with its code number, kind, state, dates, departments, plan numbers or
   * reasons, inspectors; `rated` only for the supervising body (null for others: which visits were
   * rated would narrow down who gave which rating). Alerts: more than 1 visit a day, 2 in 7 days,
   * 3 in a month (check-ins under codes), routine checks above the tier's yearly cap. 404 an
   * unregistered USCC; 422 uscc, year.
   */
  @Get(':uscc/check-codes')
  @Roles('admin', 'regulator')
  @ApiOperation({
    summary: "企业检查码统计 / an enterprise's coded inspections of a year, by kind, with alerts",
  })
  @ApiOkResponse({ type: EnterpriseVisitsView })
  @ApiNotFoundResponse({ description: 'no such enterprise' })
  @ApiUnprocessableEntityResponse({ description: 'uscc, year' })
  forStaff(
    @Param('uscc', UsccPipe) uscc: string,
    @Query() q: YearQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<EnterpriseVisitsView> {
    return this.visits.forStaff(uscc, q.year, user);
  }
}

/** The signed-in enterprise's own inspections (本年检查) and one of them (评价). */
@ApiTags('check-code ratings 检查评价')
@Controller('api/me/visits')
@Roles('enterprise')
export class MyVisitsController {
  constructor(private readonly visits: VisitsService) {}

  /**
   * The signed-in enterprise's coded inspections of `year` (default this year), as
   * GET /api/enterprises/:uscc/check-codes answers them, each with `rated` and `canRate` (completed,
   * not rated yet); no over-cap alert while the bureau does not show the enterprise its tier.
   * 422 year.
   */
  @Get()
  @ApiOperation({ summary: '本年检查 / my inspections of a year' })
  @ApiOkResponse({ type: EnterpriseVisitsView })
  @ApiUnprocessableEntityResponse({ description: 'year' })
  mine(@Query() q: YearQuery, @CurrentUser() user: AuthUser): Promise<EnterpriseVisitsView> {
    return this.visits.mine(q.year, user);
  }

  /**
   * One inspection of the signed-in enterprise by its code number (the rating page): the visit,
   * the enterprise, `rated`, `ratedOn`, `canRate`. 404 no such code; 403 (audited) a code of
   * another enterprise; 422 codeNo.
   */
  @Get(':codeNo')
  @ApiOperation({ summary: '一次检查 / one of my inspections, by code number' })
  @ApiOkResponse({ type: MyVisitView })
  @ApiNotFoundResponse({ description: 'no code of that number' })
  @ApiForbiddenResponse({ description: 'a code of another enterprise (audited)' })
  @ApiUnprocessableEntityResponse({ description: 'codeNo' })
  one(
    @Param() p: CodeNoParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<MyVisitView> {
    return this.visits.myVisit(p.codeNo, user, actor);
  }
}
