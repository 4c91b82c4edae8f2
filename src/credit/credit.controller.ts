import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiOkResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '../audit/actor.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, OwnEnterprise, RequestActor, RiskTier, Roles } from '../auth/decorators.js';
import { ScopeService } from '../auth/scope.service.js';
import { UsccPipe } from '../http/api-errors.js';
import { CreditRecordsService } from './credit-records.service.js';
import type { CreditRecordKind } from './rules/record-kinds.js';
import { RECORD_AUTHORITIES } from './rules/record-authorities.js';
import {
  CreateCreditRecordDto,
  CreditStatusView,
  ExplainQuery,
  RecordPageQuery,
  ScoreExplanationView,
  TierChangeView,
} from './dto/credit-record.dto.js';
import { todayInShanghai } from '../common/clock.js';
import { CreditExplanationService, CreditStatus, ScoreExplanation } from './credit-explanation.service.js';
import { CreditHistoryService, TierChange } from './credit-history.service.js';

@ApiTags('credit 信用记录与风险分类')
@Controller('api/enterprises/:uscc')
export class CreditController {
  constructor(
    private readonly records: CreditRecordsService,
    private readonly explanations: CreditExplanationService,
    private readonly judgements: CreditHistoryService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * Adds a credit record and rescores the enterprise at once. 201 with `{ record, created, score }`;
   * 404 unknown enterprise; 422 with `errors: [{ field, reason }]`; 403 (audited `access.denied`) a
   * regulator adding a record of another department, or of a kind its department does not issue
   * (credit/rules/record-authorities.ts: e.g. judgment_defaulter only by the court, unpaid_tax only
   * by the tax bureau). Audited (`credit_record.create`, with the new score).
   */
  @Post('credit-records')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '新增信用记录并即时重新评分 / add a credit record (rescored at once)' })
  @ApiCreatedResponse({
    description:
      '{ record, created (false when the source key was already stored), score: { score, tier, reasons } }',
  })
  @ApiForbiddenResponse({
    description: `a regulator posting for another department, or a kind its department does not issue: ${Object.entries(
      RECORD_AUTHORITIES,
    )
      .map(([k, a]) => `${k}: ${a.anyDepartment ? 'any department' : a.issuers.join(', ')}`)
      .join('; ')}`,
  })
  @ApiNotFoundResponse({ description: 'enterprise not in the register' })
  @ApiUnprocessableEntityResponse({
    description:
      'invalid fields, each named (a text past its limit, an unstorable character such as NUL); a record dated in the future or before the enterprise was established',
  })
  async create(
    @Param('uscc', UsccPipe) uscc: string,
    @Body() dto: CreateCreditRecordDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    await this.scope.sourceDepartment(user, dto.sourceDepartment, actor);
    await this.scope.recordKind(user, dto.kind as CreditRecordKind, actor);
    return this.records.create(
      uscc,
      { ...dto, sourceSystem: this.scope.recordSourceSystem(user, dto.sourceSystem) },
      actor,
    );
  }

  /** The enterprise's credit records, newest first. 404 unknown enterprise (or another one's, for an enterprise user). */
  @Get('credit-records')
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @OwnEnterprise()
  @ApiOperation({ summary: '信用记录 / credit records of an enterprise' })
  @ApiOkResponse({
    description:
      'records, newest first, one page (default 100, at most 500; X-Total-Count header: all): [{ id, kind, recordDate, sourceDepartment, polarity, validUntil, decisionNo, … }] (fields by kind: docs/import-formats.md)',
  })
  @ApiNotFoundResponse({ description: 'not in the register (for an enterprise user: not its own)' })
  @ApiUnprocessableEntityResponse({ description: 'invalid USCC or page' })
  async list(
    @Param('uscc', UsccPipe) uscc: string,
    @Query() q: RecordPageQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.records.list(uscc, q.page, q.pageSize);
    res.setHeader('X-Total-Count', String(total));
    return items;
  }

  /**
   * The enterprise's monthly reclassification snapshots, newest first: month, score, tier, model
   * version, as-of date, the digest of the records that counted, and every indicator with its
   * points and labels. 404 unknown (or, for an enterprise user, not its own).
   */
  @Get('credit/snapshots')
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @OwnEnterprise()
  @RiskTier()
  @ApiOperation({ summary: '月度分类快照 / monthly reclassification snapshots' })
  @ApiOkResponse({ description: '[{ month, score, tier, modelVersion, asOf, inputsDigest, indicators }]' })
  @ApiNotFoundResponse({ description: 'not in the register (for an enterprise user: not its own)' })
  async snapshots(@Param('uscc', UsccPipe) uscc: string) {
    return this.judgements.snapshots(uscc);
  }

  /**
   * Current score, tier (with Chinese label), model version, as-of date, top reasons, and which
   * rule decided the tier (`tierDecision`: the score against the cut-offs, or a hard rule). 404
   * when unknown or not scored.
   */
  @Get('credit')
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @OwnEnterprise()
  @RiskTier()
  @ApiOperation({ summary: '当前信用评分与风险分类 / current credit score and tier with reasons' })
  @ApiOkResponse({ type: CreditStatusView })
  @ApiNotFoundResponse({
    description: 'not in the register or not scored (for an enterprise user: not its own)',
  })
  @ApiUnprocessableEntityResponse({ description: 'invalid USCC' })
  async credit(@Param('uscc', UsccPipe) uscc: string): Promise<CreditStatus> {
    return this.explanations.currentStatus(uscc);
  }

  /**
   * Why the enterprise has its tier: the score as of `asOf` (default today) with the scorecard
   * version in force then, every hard rule and indicator with its value, points and Chinese and
   * English labels, the records behind each (only records dated on or before asOf that still
   * counted then), and which rule decided the tier (`tierDecision`: the score against the version's
   * cut-offs, or the hard rule that overrode it). Computed on demand, not stored. 404 unknown (or,
   * for an enterprise user, not its own); 422 a date after today (Asia/Shanghai) or before the
   * enterprise was established.
   */
  @Get('credit/explain')
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @OwnEnterprise()
  @RiskTier()
  @ApiOperation({
    summary: '信用评分说明 / why this tier: indicators, points and the records behind them, as of a date',
  })
  @ApiOkResponse({ type: ScoreExplanationView })
  @ApiNotFoundResponse({ description: 'not in the register (for an enterprise user: not its own)' })
  @ApiUnprocessableEntityResponse({
    description: 'invalid USCC or date; a date after today (Asia/Shanghai) or before establishment',
  })
  async explain(@Param('uscc', UsccPipe) uscc: string, @Query() q: ExplainQuery): Promise<ScoreExplanation> {
    return this.explanations.scoreAsOf(uscc, q.asOf ?? todayInShanghai());
  }

  /**
   * Every change of the enterprise's tier, newest first, with the score, model version, as-of
   * date and the indicators behind the new tier. 404 unknown (or, for an enterprise user, not its own).
   */
  @Get('credit/history')
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @OwnEnterprise()
  @RiskTier()
  @ApiOperation({ summary: '信用风险分类变化记录 / tier changes with their reasons' })
  @ApiOkResponse({ type: [TierChangeView] })
  @ApiNotFoundResponse({ description: 'not in the register (for an enterprise user: not its own)' })
  async history(@Param('uscc', UsccPipe) uscc: string): Promise<TierChange[]> {
    return this.judgements.history(uscc);
  }
}
