import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import { Public, RequestActor, Roles } from '../../auth/decorators.js';
import {
  BatchDrawContextView,
  BatchIdParam,
  CommitDrawDto,
  DrawInputParam,
  PlanDrawIdParam,
  PlanDrawListQuery,
  PlanDrawPage,
  PlanDrawTargetPage,
  PlanDrawTargetsQuery,
  PlanDrawView,
  PublicValueDto,
  ReplacementDto,
  ReplacementResultView,
  RevealDto,
  VerificationView,
} from './dto/plan-draw.dto.js';
import { PlanDrawsService } from './plan-draws.service.js';

/**
 * The draw of a plan's batch (双随机, issue 11; docs/draw-verification.md): commit -> public value
 * (another person) -> reveal -> run -> verify; replacements of targets that cannot be inspected.
 * Regulators of the plan's lead department and admins draw; any regulator or admin but the
 * committer types the public value; anyone verifies.
 */
@ApiTags('plan-draws 计划抽取')
@Controller('api/plan-draws')
export class PlanDrawsController {
  constructor(private readonly draws: PlanDrawsService) {}

  /**
   * Commits to the draw of a batch of a published plan: stores the commitment (SHA-256 of a
   * secret the server never sees before the reveal) and the public source, and freezes the inputs
   * (params, roster with tiers as of `tierDate`, inspectors, approved recusals) with their
   * digests. Audited `plan_draw.commit`. 404 unknown batch; 409 a draft or superseded plan, or the
   * batch has a draw; 422 `commitment` (not 64 hex), `publicSource`, `tierDate` (after today);
   * 403 (audited) not a regulator of the plan's lead department.
   */
  @Post()
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '承诺种子并冻结输入 / commit to a draw and freeze its inputs' })
  @ApiCreatedResponse({ type: PlanDrawView })
  @ApiConflictResponse({ description: 'plan not published, or the batch has a draw already' })
  @ApiForbiddenResponse({ description: 'not a regulator of the lead department (audited)' })
  @ApiNotFoundResponse({ description: 'no such batch' })
  @ApiUnprocessableEntityResponse({ description: 'commitment, publicSource or tierDate, each named' })
  commit(@Body() dto: CommitDrawDto, @RequestActor() actor: Actor): Promise<PlanDrawView> {
    return this.draws.commit(dto, actor);
  }

  /** Draws, newest first, of one batch with `batchId` (`{ items, total, page, pageSize }`). */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '计划抽取列表 / plan draws' })
  @ApiOkResponse({ type: PlanDrawPage })
  @ApiUnprocessableEntityResponse({ description: 'page, pageSize or batchId' })
  async list(@Query() q: PlanDrawListQuery): Promise<PlanDrawPage> {
    const { items, total } = await this.draws.list(q.page, q.pageSize, q.batchId);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /** One draw: commitment, public source and value, input digests, steps (who, when), summary. 404 unknown. */
  @Get(':id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '一次计划抽取 / one plan draw' })
  @ApiOkResponse({ type: PlanDrawView })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  one(@Param() p: PlanDrawIdParam): Promise<PlanDrawView> {
    return this.draws.one(p.id);
  }

  /**
   * Records the public value named by the public source, typed in by another person than the
   * committer. Audited `plan_draw.public_value`. 409 the committer, or recorded already; 404.
   */
  @Post(':id/public-value')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '录入公开随机数 / record the public value (another person)' })
  @ApiOkResponse({ type: PlanDrawView })
  @ApiConflictResponse({ description: 'the committer, or recorded already' })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'value' })
  publicValue(
    @Param() p: PlanDrawIdParam,
    @Body() dto: PublicValueDto,
    @RequestActor() actor: Actor,
  ): Promise<PlanDrawView> {
    return this.draws.publicValue(p.id, dto.value, actor);
  }

  /**
   * Reveals the secret; the final seed is SHA-256 of `<secret>|<public value>`. Audited
   * `plan_draw.reveal`. 422 `secret` when its SHA-256 is not the commitment (nothing saved); 409
   * no public value yet or revealed already; 403 (audited); 404.
   */
  @Post(':id/reveal')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '揭示种子 / reveal the secret' })
  @ApiOkResponse({ type: PlanDrawView })
  @ApiConflictResponse({ description: 'no public value yet, or revealed already' })
  @ApiForbiddenResponse({ description: 'not a regulator of the lead department (audited)' })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'secret: does not match the commitment' })
  reveal(
    @Param() p: PlanDrawIdParam,
    @Body() dto: RevealDto,
    @RequestActor() actor: Actor,
  ): Promise<PlanDrawView> {
    return this.draws.reveal(p.id, dto.secret, actor);
  }

  /**
   * Draws targets per item and tier, makes one routine task per enterprise and department with
   * its items, assigns inspectors (at least 2, qualified, recusal honoured, even load), regroups
   * visits: one transaction, audited `plan_draw.run`. 409 before the reveal or drawn already;
   * 422 `inspectors.<department>` naming the shortfall (nothing saved); 403 (audited); 404.
   */
  @Post(':id/run')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '执行抽取 / run the draw' })
  @ApiOkResponse({ type: PlanDrawView })
  @ApiConflictResponse({ description: 'not revealed yet, or drawn already' })
  @ApiForbiddenResponse({ description: 'not a regulator of the lead department (audited)' })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'inspectors.<department>: not enough qualified inspectors' })
  run(@Param() p: PlanDrawIdParam, @RequestActor() actor: Actor): Promise<PlanDrawView> {
    return this.draws.run(p.id, actor);
  }

  /**
   * One page of the targets (item code, tier, position), with `itemCode` and `tier` filters: the
   * enterprise, the status, the replacement's position and reason, the task. 404 unknown draw.
   */
  @Get(':id/targets')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '抽中名单 / the targets, one page' })
  @ApiOkResponse({ type: PlanDrawTargetPage })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'page, pageSize, itemCode or tier' })
  async targets(@Param() p: PlanDrawIdParam, @Query() q: PlanDrawTargetsQuery): Promise<PlanDrawTargetPage> {
    const { items, total } = await this.draws.targets(p.id, q.page, q.pageSize, q.itemCode, q.tier);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * One frozen input document as stored (params: application/json; the others text/csv), with
   * its SHA-256 in `X-Content-SHA256`. Regulators and admins only: the roster holds tiers, which
   * are not public (domain.md 4). 404 unknown draw.
   */
  @Get(':id/inputs/:name')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '冻结的输入文件 / a frozen input document' })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'the document, byte for byte as digested', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'name not params, roster, inspectors or recusals' })
  async input(@Param() p: DrawInputParam, @Res() res: Response): Promise<void> {
    const { text, digest } = await this.draws.input(p.id, p.name);
    res.status(200);
    res.setHeader(
      'Content-Type',
      p.name === 'params' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
    );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="draw-${p.id}-${p.name}.${p.name === 'params' ? 'json' : 'csv'}"`,
    );
    res.setHeader('X-Content-SHA256', digest);
    res.send(Buffer.from(text, 'utf8'));
  }

  /**
   * Replaces a target that cannot be inspected by the next position of the same shuffle; the
   * item moves to the new enterprise's task (new task with inspectors when it has none). Audited
   * `plan_draw.replace`. 404 no such target; 409 not drawn, replaced already, its task has a
   * result, or no enterprise left in the shuffle; 422 fields; 403 (audited).
   */
  @Post(':id/replacements')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '替补 / replace a target by the next position of its shuffle' })
  @ApiCreatedResponse({ type: ReplacementResultView })
  @ApiConflictResponse({ description: 'not drawn, replaced already, task has a result, shuffle exhausted' })
  @ApiForbiddenResponse({ description: 'not a regulator of the lead department (audited)' })
  @ApiNotFoundResponse({ description: 'no such draw or target' })
  @ApiUnprocessableEntityResponse({ description: 'itemCode, tier, position, reason or note' })
  replace(
    @Param() p: PlanDrawIdParam,
    @Body() dto: ReplacementDto,
    @RequestActor() actor: Actor,
  ): Promise<ReplacementResultView> {
    return this.draws.replace(p.id, dto, actor);
  }

  /**
   * Public: recomputes the draw from its stored inputs and says whether it matches, check by
   * check (`{ match, checks: [{ name, ok, expected, actual, detail }] }`): commitment, each input,
   * inputs digest, final seed, result digest, targets (first differing position), inspectors.
   * 404 unknown draw.
   */
  @Get(':id/verification')
  @Public()
  @ApiOperation({ summary: '验证抽取 (公开) / verify a draw (public)' })
  @ApiOkResponse({ type: VerificationView })
  @ApiNotFoundResponse({ description: 'no such draw' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  verification(@Param() p: PlanDrawIdParam): Promise<VerificationView> {
    return this.draws.verify(p.id);
  }
}

/** The draw page's context, by batch (its own path: `/api/plan-draws/{id}/...` stays unambiguous). */
@ApiTags('plan-draws 计划抽取')
@Controller('api/plan-draw-batches')
export class PlanDrawBatchesController {
  constructor(private readonly draws: PlanDrawsService) {}

  /** The draw page's context: the batch, its plan, its draw (or null), whether the user may draw it. 404 unknown batch. */
  @Get(':batchId')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '批次抽取页 / a batch with its draw' })
  @ApiOkResponse({ type: BatchDrawContextView })
  @ApiNotFoundResponse({ description: 'no such batch' })
  @ApiUnprocessableEntityResponse({ description: 'batchId not a positive integer' })
  context(@Param() p: BatchIdParam, @RequestActor() actor: Actor): Promise<BatchDrawContextView> {
    return this.draws.batchContext(p.batchId, actor);
  }
}
