import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Roles } from '../auth/decorators.js';
import { CreditHistoryService } from './credit-history.service.js';
import { PageQuery } from '../http/paging.js';

/** Query of GET /api/scoring-runs. */
export class ScoringRunsQuery extends PageQuery(20, 200) {
  @ApiPropertyOptional({
    enum: ['all', 'enterprise'],
    default: 'all',
    description: 'full runs, or single rescorings',
  })
  @IsOptional()
  @IsIn(['all', 'enterprise'])
  scope: 'all' | 'enterprise' = 'all';
}

/** One scoring run with its tier report. */
export class ScoringRunView {
  @ApiProperty() id!: number;
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ description: 'records dated up to this day counted' }) asOf!: string;
  @ApiProperty() scope!: string;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) enterprises!: number | null;
  @ApiProperty({ example: { A: 650, B: 130, C: 100, D: 120 } }) tierCounts!: Record<string, number>;
  @ApiProperty({
    example: { A: 0.65, B: 0.13, C: 0.1, D: 0.12 },
    description: 'share of the enterprises per tier',
  })
  tierShares!: Record<string, number>;
}

@ApiTags('credit 信用记录与风险分类')
@Controller('api/scoring-runs')
export class ScoringRunsController {
  constructor(private readonly judgements: CreditHistoryService) {}

  /**
   * Scoring runs, newest first, each with its tier counts and shares (the report of tier shares
   * after every run): full runs by default. Regulators review the tiers here.
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '评分批次与分类占比 / scoring runs with tier shares' })
  @ApiOkResponse({ type: [ScoringRunView] })
  list(@Query() q: ScoringRunsQuery): Promise<ScoringRunView[]> {
    return this.judgements.runs(q.scope, q.page, q.pageSize);
  }
}
