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
  constructor(private readonly enterprises: EnterprisesService) {}

  /** Registers an enterprise. 201; 422 invalid USCC or field (body names each); 409 duplicate USCC. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '登记市场主体 / register an enterprise' })
  @ApiCreatedResponse({ type: EnterpriseView, description: 'registered, with its first credit score' })
  @ApiUnprocessableEntityResponse({ description: 'invalid field; for a USCC the rule that failed' })
  @ApiConflictResponse({ description: 'USCC already registered' })
  create(@Body() dto: CreateEnterpriseDto): Promise<EnterpriseView> {
    return this.enterprises.create(dto);
  }

  /** Lists enterprises, filtered and paginated (page from 1, pageSize up to 200). 422 unknown tier. */
  @Get()
  @ApiOperation({ summary: '查询市场主体 / list enterprises by tier, division, industry, name' })
  @ApiOkResponse({ type: EnterprisePage })
  list(@Query() q: ListEnterprisesQuery): Promise<EnterprisePage> {
    return this.enterprises.list(q);
  }

  /** One enterprise by USCC. 422 invalid USCC; 404 unknown. */
  @Get(':uscc')
  @ApiOperation({ summary: '市场主体详情 / one enterprise' })
  @ApiOkResponse({ type: EnterpriseView })
  @ApiNotFoundResponse({ description: 'not in the register' })
  @ApiUnprocessableEntityResponse({ description: 'invalid USCC' })
  get(@Param('uscc', UsccPipe) uscc: string): Promise<EnterpriseView> {
    return this.enterprises.get(uscc);
  }
}
