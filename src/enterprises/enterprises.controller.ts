import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
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
  EnterprisePage,
  EnterpriseView,
  ListEnterprisesQuery,
} from './dto/enterprise.dto.js';
import { EnterprisesService } from './enterprises.service.js';

@ApiTags('enterprises 市场主体名录')
@Controller('api/enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly scope: ScopeService,
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

  /** Lists enterprises, filtered and paginated (page from 1, pageSize up to 200). 422 unknown tier. */
  @Get()
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '查询市场主体 / list enterprises by tier, division, industry, name' })
  @ApiOkResponse({ type: EnterprisePage })
  list(@Query() q: ListEnterprisesQuery): Promise<EnterprisePage> {
    return this.enterprises.list(q);
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
