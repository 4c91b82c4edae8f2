import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { todayInShanghai } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '../audit/actor.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, OwnEnterprise, RequestActor, Roles } from '../auth/decorators.js';
import { ScopeService } from '../auth/scope.service.js';
import { UsccPipe } from '../http/api-errors.js';
import {
  CreateEnterpriseDto,
  EnterpriseFacets,
  EnterprisePage,
  EnterpriseView,
  ExportEnterprisesQuery,
  ListEnterprisesQuery,
} from './dto/enterprise.dto.js';
import { EnterprisesService } from './enterprises.service.js';

@ApiTags('enterprises 市场主体名录')
@Controller('api/enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers an enterprise (admin; regulators of the market-supervision department, the
   * registration authority). 201; 403 another department; 422 invalid USCC or field (body names
   * each); 409 duplicate USCC. Audited (`enterprise.create`).
   */
  @Post()
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '登记市场主体 / register an enterprise' })
  @ApiCreatedResponse({ type: EnterpriseView, description: 'registered, with its first credit score' })
  @ApiUnprocessableEntityResponse({ description: 'invalid field; for a USCC the rule that failed' })
  @ApiConflictResponse({ description: 'USCC already registered' })
  async create(
    @Body() dto: CreateEnterpriseDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<EnterpriseView> {
    await this.scope.registrationAuthority(user, actor);
    return this.enterprises.create(dto, actor);
  }

  /**
   * Lists enterprises, filtered, sorted (`sort` uscc|name|score|tier|establishedOn, `order`
   * asc|desc; missing values last, ties by USCC) and paginated (page from 1, pageSize up to 200).
   * 422 unknown tier, bad sort, order or prepaidIssuer (not true or false), naming the field.
   */
  @Get()
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({
    summary:
      '查询市场主体 / list enterprises by tier, division, industry, name, street, prepaid issuer; sorted',
  })
  @ApiOkResponse({ type: EnterprisePage })
  list(@Query() q: ListEnterprisesQuery): Promise<EnterprisePage> {
    return this.enterprises.list(q);
  }

  /**
   * The filtered list as CSV (统一社会信用代码,企业名称,街道,行政区划,行业代码,登记状态,预付卡发卡,风险分类,信用分):
   * the list's filters and order, no paging, streamed from the database; UTF-8 with a byte-order
   * mark, `Content-Disposition: attachment; filename="enterprises-YYYYMMDD.csv"` (today, Shanghai).
   * 422 unknown tier or bad filter (by field), or more than EXPORT_MAX_ROWS enterprises (field
   * `filter`, naming the count). Audited (`enterprise.export`, the filters and the number of rows).
   */
  @Get('export.csv')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '导出市场主体名录(CSV) / export the filtered list as CSV' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'text/csv; charset=utf-8 with BOM, one header row then one row per enterprise',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiUnprocessableEntityResponse({ description: 'bad filter, or more than EXPORT_MAX_ROWS enterprises' })
  async export(
    @Query() q: ExportEnterprisesQuery,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const { csv, close } = await this.enterprises.exportCsv(q, actor, this.config.EXPORT_MAX_ROWS);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="enterprises-${todayInShanghai().replaceAll('-', '')}.csv"`,
    );
    let complete = false;
    try {
      await pipeline(csv, res);
      complete = true;
    } catch (e) {
      // the download was aborted (or failed) after the first bytes: no error answer can follow
      if (!res.headersSent) throw e;
      res.destroy();
    } finally {
      await close(complete);
    }
  }

  /**
   * The values the list's filters take, with their numbers of enterprises (whole register):
   * streets, divisions (GB/T 2260 names), industry sections, the active scorecard's tiers.
   */
  @Get('facets')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '筛选项及企业数 / filter values with counts' })
  @ApiOkResponse({ type: EnterpriseFacets })
  facets(): Promise<EnterpriseFacets> {
    return this.enterprises.facets();
  }

  /**
   * One enterprise by USCC. 422 invalid USCC; 404 unknown (and, for an enterprise user, any other
   * enterprise). For an enterprise user `tier` and `score` are null unless the bureau shows tiers
   * to enterprises (setting enterpriseTierVisible; ScopeService.withTier).
   */
  @Get(':uscc')
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @OwnEnterprise()
  @ApiOperation({ summary: '市场主体详情 / one enterprise' })
  @ApiOkResponse({ type: EnterpriseView })
  @ApiNotFoundResponse({ description: 'not in the register' })
  @ApiUnprocessableEntityResponse({ description: 'invalid USCC' })
  async get(@Param('uscc', UsccPipe) uscc: string, @CurrentUser() user: AuthUser): Promise<EnterpriseView> {
    return this.scope.withTier(user, await this.enterprises.get(uscc));
  }
}
