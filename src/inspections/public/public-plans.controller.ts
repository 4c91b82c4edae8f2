import { Controller, Get, Header, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/decorators.js';
import { parseId } from '../../http/id-param.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import {
  PlanBatchParam,
  PlanIdParam,
  PublicPlanListQuery,
  PublicPlanPageView,
  PublicPlanView,
  PublicResultPageView,
  PublicResultsQuery,
} from '../plans/dto/plan.dto.js';
import { notFoundPage, planListPage, planPage, resultsPage } from './public-plan-pages.js';
import { PublicPlansService } from './public-plans.service.js';

/**
 * Published plans and their results as JSON, without login (一公开, domain.md 5.1; issue 11
 * "Published plans and, later, their results are public"). Drafts answer 404. No enterprise's
 * tier appears (domain.md 4).
 */
@ApiTags('public 信息公开')
@Controller('api/public/plans')
@Public()
export class PublicPlansController {
  constructor(private readonly plans: PublicPlansService) {}

  /**
   * Published and superseded plans, newest year first, each with every published version of its
   * plan number (`versions`, oldest first): `{ items, total, page, pageSize }` and X-Total-Count.
   */
  @Get()
  @ApiOperation({ summary: '已发布的年度抽查计划 / published plans (public)' })
  @ApiOkResponse({ type: PublicPlanPageView })
  @ApiUnprocessableEntityResponse({ description: 'year, page or pageSize' })
  async list(
    @Query() q: PublicPlanListQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicPlanPageView> {
    const { items, total } = await this.plans.list(q.year, q.page, q.pageSize);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * One published or superseded plan: items with legal basis, the sampling policy (ratio and
   * yearly cap per tier), batches with their draw (commitment, public source and value, targets,
   * its verification page) and results by outcome. 404 unknown or a draft.
   */
  @Get(':id')
  @ApiOperation({ summary: '年度抽查计划及检查结果 / one published plan with its results (public)' })
  @ApiOkResponse({ type: PublicPlanView })
  @ApiNotFoundResponse({ description: 'no published plan with this id' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  one(@Param() p: PlanIdParam): Promise<PublicPlanView> {
    return this.plans.one(p.id);
  }

  /**
   * A batch's recorded results, in the order recorded, one page (default 100, at most 500):
   * enterprise name, USCC, department, items, outcome (no_problem 未发现问题, problems_found
   * 发现问题, refused 拒绝检查, not_found 查无下落), correction deadline, day recorded. 404 a plan
   * that is not public or a batch not of it.
   */
  @Get(':id/batches/:batchId/results')
  @ApiOperation({ summary: "批次检查结果 / a batch's recorded results (public)" })
  @ApiOkResponse({ type: PublicResultPageView })
  @ApiNotFoundResponse({ description: 'no such batch of a published plan' })
  @ApiUnprocessableEntityResponse({ description: 'id, batchId, page or pageSize' })
  async results(
    @Param() p: PlanBatchParam,
    @Query() q: PublicResultsQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicResultPageView> {
    const { items, total } = await this.plans.results(p.id, p.batchId, q.page, q.pageSize);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }
}

const HTML_OK = {
  description: 'text/html; charset=utf-8: a page without script',
  content: { 'text/html': { schema: { type: 'string' } } },
};

/**
 * The same as server-rendered pages in Chinese (no login, no script; http/public-html.ts), for a
 * phone or a desk: /public/plans, /public/plans/:id, /public/plans/:id/batches/:batchId/results.
 */
@ApiTags('public 信息公开')
@Controller('public/plans')
@Public()
export class PublicPlanPagesController {
  constructor(
    private readonly plans: PublicPlansService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 年度抽查计划公示: published plans by year, late ones marked 逾期发布, superseded ones 已被替代. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '年度抽查计划公示页 / published plans (public HTML)' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_OK)
  @ApiUnprocessableEntityResponse({ description: 'year or page' })
  async list(@Query() q: PublicPlanListQuery): Promise<string> {
    const page = await this.plans.list(q.year, q.page, q.pageSize);
    return planListPage(
      { ...page, page: q.page, pageSize: q.pageSize, year: q.year },
      this.config.DISTRICT_NAME,
    );
  }

  /** One published plan: what is checked and how, the policy by tier, batches, draws, results so far. 404 a draft. */
  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '年度抽查计划公示页 / one published plan with its results (public HTML)' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_OK)
  @ApiNotFoundResponse({
    description: 'no published plan with this id (or an id that is not one: the same page)',
  })
  async one(@Param('id') idText: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.orNotFound(res, async () => {
      const plan = await this.plans.one(pageId(idText));
      const first = [];
      for (const b of plan.batches) first.push(await this.plans.results(plan.id, b.id, 1, FIRST_RESULTS));
      return planPage(plan, first, this.config.DISTRICT_NAME);
    });
  }

  /** Every recorded result of one batch, page by page. 404 a plan that is not public or a batch not of it. */
  @Get(':id/batches/:batchId/results')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: "批次检查结果公示页 / a batch's results (public HTML)" })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_OK)
  @ApiNotFoundResponse({ description: 'no such batch of a published plan' })
  @ApiUnprocessableEntityResponse({ description: 'page or pageSize (an id that is not one: the 404 page)' })
  async results(
    @Param('id') idText: string,
    @Param('batchId') batchIdText: string,
    @Query() q: PublicResultsQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return this.orNotFound(res, async () => {
      const p = { id: pageId(idText), batchId: pageId(batchIdText) };
      const page = await this.plans.results(p.id, p.batchId, q.page, q.pageSize);
      const plan = await this.plans.one(p.id);
      const batch = plan.batches.find((b) => b.id === p.batchId)!;
      return resultsPage(
        plan,
        batch,
        { ...page, page: q.page, pageSize: q.pageSize },
        this.config.DISTRICT_NAME,
      );
    });
  }

  /** The page `render` makes, or the not-found page with status 404 when the plan is not public. */
  private async orNotFound(res: Response, render: () => Promise<string>): Promise<string> {
    try {
      return await render();
    } catch (e) {
      if (!(e instanceof NotFoundException)) throw e;
      res.status(404);
      return notFoundPage(this.config.DISTRICT_NAME);
    }
  }
}

/** Results shown per batch on a plan's page (the rest: the batch's results page). */
export const FIRST_RESULTS = 50;

/** A page's id parameter: a text that names no id is a page that does not exist (404 page, not a JSON 422). */
function pageId(text: string): number {
  const id = parseId(text);
  if (id === null) throw new NotFoundException(`'${text}' is not an id`);
  return id;
}
