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
import { ConflictException, ForbiddenException } from '@nestjs/common';
import type { Actor } from '../../audit/actor.js';
import { RequestActor, Roles } from '../../auth/decorators.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { UsccPipe } from '../../http/api-errors.js';
import { PREPAID_DEPARTMENT } from '../rules/prepaid-department.js';
import type { RiskAssessment } from '../rules/risk-rules.js';
import {
  ActivateRiskModelDto,
  CreateRiskModelDto,
  EvaluateDto,
  EvaluationRunApiView,
  ModelVersionParam,
  RiskAssessmentView,
  RiskMapView,
  RiskModelsView,
  RiskModelVersionApiView,
  RiskQuery,
  TrendQuery,
  TrendView,
} from './dto/evaluation.dto.js';
import { EvaluationRunView, EvaluationService } from './evaluation.service.js';
import { RiskModelsService, RiskModelVersionView } from './risk-models.service.js';

/**
 * Prepaid-risk evaluation (预付式消费风险评估, issue 14): an issuer's assessment as of any past day and
 * its trend, the risk map by street, the daily runs, the model versions. Staff regulators and admins
 * read; inspectors read an issuer's risk (they carry out on-site checks); a run is started by an admin
 * or a regulator of PREPAID_DEPARTMENT; model versions are an admin's.
 */
@ApiTags('prepaid 预付卡风险')
@Controller('api/prepaid')
export class PrepaidEvaluationController {
  constructor(
    private readonly evaluation: EvaluationService,
    private readonly models: RiskModelsService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * The issuer's assessment as of `asOf` (default today): its facts as known that day (reports
   * submitted by then, the latest submission per period; signals received by then; credit records
   * counting then; the tier in force then) under the model version in force that day: level, score,
   * every rule's outcome with value, threshold, reason and source. Computed, not stored. 404 not an
   * issuer; 422 asOf not a date or after today.
   */
  @Get('issuers/:uscc/risk')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '经营者风险评估（任一日） / an issuer’s risk as of a day' })
  @ApiOkResponse({ type: RiskAssessmentView })
  @ApiNotFoundResponse({ description: 'not a prepaid-card issuer' })
  @ApiUnprocessableEntityResponse({ description: 'asOf, or the USCC' })
  risk(@Param('uscc', UsccPipe) uscc: string, @Query() q: RiskQuery): Promise<RiskAssessment> {
    return this.evaluation.riskAsOf(uscc, q.asOf ?? todayInShanghai());
  }

  /**
   * The issuer's level, score and fired rules at each month end from `from` to `to` (default: the last
   * 24 months to today), and at `to`. 422 from after to, to after today, more than 60 month ends.
   */
  @Get('issuers/:uscc/risk-trend')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '经营者风险趋势（月末） / an issuer’s risk at month ends' })
  @ApiOkResponse({ type: TrendView })
  @ApiNotFoundResponse({ description: 'not a prepaid-card issuer' })
  @ApiUnprocessableEntityResponse({ description: 'from, to, or the USCC' })
  trend(@Param('uscc', UsccPipe) uscc: string, @Query() q: TrendQuery) {
    return this.evaluation.trend(uscc, q.from, q.to);
  }

  /** Issuers by street (街道) and current level, with alerts in progress and overdue. */
  @Get('risk-map')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '风险地图（按街道） / the risk map by street' })
  @ApiOkResponse({ type: RiskMapView })
  riskMap() {
    return this.evaluation.riskMap();
  }

  /**
   * Evaluates every issuer as of `asOf` (default today): see EvaluationService.evaluate. The day
   * evaluated already answers that run (`repeated: true`, nothing done again); a run left unfinished is
   * completed (`resumed: true`). 409 another evaluation is running; 403 a regulator of another
   * department; 422 asOf after today.
   */
  @Post('evaluations')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '运行风险评估 / run the evaluation of every issuer' })
  @ApiCreatedResponse({ type: EvaluationRunApiView })
  @ApiConflictResponse({ description: 'another evaluation is running' })
  @ApiUnprocessableEntityResponse({ description: 'asOf' })
  async evaluate(@Body() dto: EvaluateDto, @RequestActor() actor: Actor): Promise<EvaluationRunView> {
    if (actor.role === 'regulator' && actor.department !== PREPAID_DEPARTMENT) {
      const reason = `only admins and regulators of ${PREPAID_DEPARTMENT} run the prepaid evaluation, not a regulator of ${actor.department}`;
      await this.scope.deny(actor, 'prepaid_evaluation_run', null, reason);
      throw new ForbiddenException(reason);
    }
    const run = await this.evaluation.evaluate(dto.asOf ?? todayInShanghai(), actor, 'api');
    if (!run)
      throw new ConflictException('another prepaid evaluation is running: try again when it has finished');
    return run;
  }

  /** The 30 most recent runs, newest day first. */
  @Get('evaluations')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '评估运行记录 / recent evaluation runs' })
  @ApiOkResponse({ type: [EvaluationRunApiView] })
  runs(): Promise<EvaluationRunView[]> {
    return this.evaluation.runs();
  }

  /** Every model version with its activations, and the one in force today. */
  @Get('models')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '风险模型版本 / risk model versions' })
  @ApiOkResponse({ type: RiskModelsView })
  listModels() {
    return this.models.list();
  }

  /**
   * Stores a new model version (not in force until activated). 409 the version exists (versions are
   * never changed); 422 each field at fault (levelCuts rising, known rule keys, weights >= 0).
   */
  @Post('models')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: '新增风险模型版本 / a new model version' })
  @ApiCreatedResponse({ type: RiskModelVersionApiView })
  @ApiConflictResponse({ description: 'the version exists' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault' })
  createModel(@Body() dto: CreateRiskModelDto, @RequestActor() actor: Actor): Promise<RiskModelVersionView> {
    return this.models.create({ ...dto }, actor);
  }

  /** Puts a version in force from `effectiveFrom` (today or later). 404 unknown version; 422 a past day. */
  @Post('models/:version/activate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: '启用风险模型版本 / activate a model version from a day' })
  @ApiOkResponse({ type: RiskModelVersionApiView })
  @ApiNotFoundResponse({ description: 'no such version' })
  @ApiUnprocessableEntityResponse({ description: 'effectiveFrom' })
  activate(
    @Param() p: ModelVersionParam,
    @Body() dto: ActivateRiskModelDto,
    @RequestActor() actor: Actor,
  ): Promise<RiskModelVersionView> {
    return this.models.activate(p.version, dto.effectiveFrom, actor);
  }
}
