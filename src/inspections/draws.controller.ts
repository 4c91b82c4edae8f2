import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import { RequestActor, Roles } from '../auth/decorators.js';
import { unprocessable } from '../http/api-errors.js';
import { writeDrawCsv } from './draw-export.js';
import { DrawService } from './draw.service.js';
import {
  CreateDrawDto,
  DrawIdParam,
  DrawPageQuery,
  DrawPageView,
  DrawTargetPageView,
  DrawTargetsQuery,
  DrawView,
} from './dto/draw.dto.js';
import { DrawInputError } from './rules/draw.js';

@ApiTags('draws 双随机抽取')
@Controller('api/draws')
export class DrawsController {
  constructor(
    private readonly draws: DrawService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Runs a tiered random draw (双随机抽取) over the enterprises in business with a tier, with the
   * published seed and a share per tier of the active scorecard, and stores it with its inputs,
   * who ran it and the note (audited `random_draw.create`). Regulators only: the admin manages
   * the service, not inspections. Same seed, ratios and candidates give the same list.
   * 422 by field: `seed` (empty, over 100 characters), `ratios.<tier>` (unknown tier, not a
   * number from 0 to 1, above 0 for the best tier: 无事不扰), `ratios` (none given), `note`.
   */
  @Post()
  @HttpCode(201)
  @Roles('regulator')
  @ApiOperation({ summary: '执行双随机抽取 / run a tiered random draw' })
  @ApiCreatedResponse({ type: DrawView })
  @ApiUnprocessableEntityResponse({
    description: 'seed, ratios.<tier> (unknown tier, not 0..1, tier A above 0) or note, each named',
  })
  async create(@Body() dto: CreateDrawDto, @RequestActor() actor: Actor): Promise<DrawView> {
    try {
      return (await this.draws.draw(dto.seed, dto.ratios, actor, dto.note ?? null)).view;
    } catch (e) {
      if (e instanceof DrawInputError) throw unprocessable([{ field: e.field, reason: e.message }]);
      throw e;
    }
  }

  /** Stored draws, newest first, with their inputs (`{ items, total, page, pageSize }`). */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '抽取记录 / past draws' })
  @ApiOkResponse({ type: DrawPageView })
  async list(@Query() q: DrawPageQuery): Promise<DrawPageView> {
    const { items, total } = await this.draws.list(q.page, q.pageSize);
    return {
      items: items.map(({ perTier: _perTier, ...summary }) => summary),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** One draw with its inputs per tier (candidates, ratio, selected). 404 unknown. */
  @Get(':id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '一次抽取及其输入 / one draw with its inputs' })
  @ApiOkResponse({ type: DrawView })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  one(@Param() p: DrawIdParam): Promise<DrawView> {
    return this.draws.one(p.id);
  }

  /**
   * One page of the draw's targets in draw order (`{ position, tier, tierPosition, uscc, name,
   * street }`), of one tier with `tier`. 404 unknown draw; 422 a tier the draw does not have.
   */
  @Get(':id/targets')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '抽取名单 (分页) / the drawn targets, one page' })
  @ApiOkResponse({ type: DrawTargetPageView })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'id, page, pageSize or tier' })
  async targets(@Param() p: DrawIdParam, @Query() q: DrawTargetsQuery): Promise<DrawTargetPageView> {
    const { items, total } = await this.draws.targets(p.id, q.page, q.pageSize, q.tier);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * The draw's whole list as CSV (UTF-8 with a byte-order mark, for Excel), streamed from the
   * database: header 序号,风险分类,分类内序号,统一社会信用代码,企业名称,街道, one row per target in
   * draw order, as a download `draw-<id>.csv`. Audited (`random_draw.export`) before it is sent.
   * 404 unknown draw.
   */
  @Get(':id/list.csv')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '下载抽取名单 CSV / download the list as CSV' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'text/csv; charset=utf-8 with BOM: 序号,风险分类,分类内序号,统一社会信用代码,企业名称,街道',
    schema: { type: 'string' },
  })
  @ApiNotFoundResponse({ description: 'no such draw' })
  async csv(@Param() p: DrawIdParam, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    await this.draws.recordExport(p.id, actor, 'csv', 'download');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="draw-${p.id}.csv"`);
    try {
      await writeDrawCsv(this.dataSource, p.id, res);
    } catch (e) {
      if (!res.headersSent) throw e;
      res.destroy(e as Error); // a list cut short must not look complete
    }
  }
}
