import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { UsccPipe } from '../http/api-errors.js';
import { CreditRecordsService } from './credit-records.service.js';
import { CreateCreditRecordDto } from './dto/credit-record.dto.js';
import { CreditStatus, ScoringService } from './scoring.service.js';

@ApiTags('credit 信用记录与风险分类')
@Controller('api/enterprises/:uscc')
export class CreditController {
  constructor(
    private readonly records: CreditRecordsService,
    private readonly scoring: ScoringService,
  ) {}

  /**
   * Adds a credit record and rescores the enterprise at once. 201 with `{ record, created, score }`;
   * 404 unknown enterprise; 422 with `errors: [{ field, reason }]`.
   */
  @Post('credit-records')
  @HttpCode(201)
  @ApiOperation({ summary: '新增信用记录并即时重新评分 / add a credit record (rescored at once)' })
  @ApiCreatedResponse({
    description:
      '{ record, created (false when the source key was already stored), score: { score, tier, reasons } }',
  })
  @ApiNotFoundResponse({ description: 'enterprise not in the register' })
  @ApiUnprocessableEntityResponse({ description: 'invalid fields, each named; a record dated in the future' })
  create(@Param('uscc', UsccPipe) uscc: string, @Body() dto: CreateCreditRecordDto) {
    return this.records.create(uscc, dto);
  }

  /** The enterprise's credit records, newest first. 404 unknown enterprise. */
  @Get('credit-records')
  @ApiOperation({ summary: '信用记录 / credit records of an enterprise' })
  list(@Param('uscc', UsccPipe) uscc: string) {
    return this.records.list(uscc);
  }

  /** Current score, tier (with Chinese label), model version, as-of date and top reasons. 404 when unknown or not scored. */
  @Get('credit')
  @ApiOperation({ summary: '当前信用评分与风险分类 / current credit score and tier with reasons' })
  credit(@Param('uscc', UsccPipe) uscc: string): Promise<CreditStatus> {
    return this.scoring.currentStatus(uscc);
  }
}
