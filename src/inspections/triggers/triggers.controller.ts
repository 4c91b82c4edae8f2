import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import { RequestActor, Roles } from '../../auth/decorators.js';
import {
  AcceptedTriggerView,
  AcceptTriggerDto,
  CreateTriggerDto,
  DismissTriggerDto,
  TriggerIdParam,
  TriggerListQuery,
  TriggerPageView,
  TriggerView,
} from './dto/trigger.dto.js';
import { TriggersService } from './triggers.service.js';

/**
 * Event-triggered checks (事件触发式检查; issue 11, domain.md 5.2): proposals by complaint, report,
 * referral, data alert or legal requirement, accepted into a task or dismissed with a reason.
 * Regulators propose and decide (a regulator decides its own department's triggers only); admins
 * read.
 */
@ApiTags('triggers 事件触发')
@Controller('api/triggers')
export class TriggersController {
  constructor(private readonly triggers: TriggersService) {}

  /**
   * Proposes a check with its reason (status proposed; audited `inspection_trigger.create`). A
   * tier-A enterprise is fine: triggers are outside the tiers and caps (无事不扰 means no check
   * without a reason, not no check). 422 naming each field: enterpriseUscc (invalid, not in the
   * register, not in business), kind, reason, sourceRef, department, itemCodes[i] (unknown,
   * inactive, another department's, repeated), receivedOn (not a date, after today).
   */
  @Post()
  @HttpCode(201)
  @Roles('regulator')
  @ApiOperation({ summary: '提出事件触发检查 / propose an event-triggered check' })
  @ApiCreatedResponse({ type: TriggerView })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  create(@Body() dto: CreateTriggerDto, @RequestActor() actor: Actor): Promise<TriggerView> {
    return this.triggers.create(dto, actor);
  }

  /**
   * Triggers, newest first (`{ items, total, page, pageSize }`, and X-Total-Count), each with its
   * enterprise, items, who proposed and decided, and its task once accepted (status, window, visit,
   * inspectors, how many triggers it answers). Filters: status, department, uscc, taskId.
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '事件触发列表 / event triggers, one page' })
  @ApiOkResponse({ type: TriggerPageView })
  @ApiUnprocessableEntityResponse({ description: 'status, department, uscc, taskId, page or pageSize' })
  async list(
    @Query() q: TriggerListQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TriggerPageView> {
    const page = await this.triggers.list(q);
    res.setHeader('X-Total-Count', String(page.total));
    return page;
  }

  /** One trigger. 404 unknown. */
  @Get(':id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '一条事件触发 / one trigger' })
  @ApiOkResponse({ type: TriggerView })
  @ApiNotFoundResponse({ description: 'no such trigger' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  one(@Param() p: TriggerIdParam): Promise<TriggerView> {
    return this.triggers.one(p.id);
  }

  /**
   * Accepts a proposed trigger: a new event task (window windowDays calendar days from today,
   * default setting eventTaskWindowDays 15; two inspectors of the department qualified for every
   * item, drawn with a recorded random seed, recusal honoured, open workload evened), or the
   * trigger joins the open event task of the same enterprise and department whose first trigger
   * was received within triggerMergeWindowDays (30) days: the task lists every reason. Then the
   * enterprise's open tasks are regrouped into joint visits. Audited. 403 (audited) a regulator
   * of another department; 409 not proposed any more or the enterprise out of business; 422
   * itemCodes / itemCodes[i], windowDays, inspectors (too few qualified: department, needed,
   * available).
   */
  @Post(':id/accept')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '受理事件触发，生成或并入检查任务 / accept: a task, or join an open one' })
  @ApiOkResponse({ type: AcceptedTriggerView })
  @ApiForbiddenResponse({ description: "another department's trigger (audited access.denied)" })
  @ApiNotFoundResponse({ description: 'no such trigger' })
  @ApiConflictResponse({ description: 'already accepted or dismissed; enterprise no longer in business' })
  @ApiUnprocessableEntityResponse({ description: 'itemCodes, itemCodes[i], windowDays or inspectors, named' })
  accept(
    @Param() p: TriggerIdParam,
    @Body() dto: AcceptTriggerDto,
    @RequestActor() actor: Actor,
  ): Promise<AcceptedTriggerView> {
    return this.triggers.accept(p.id, dto, actor);
  }

  /**
   * Dismisses a proposed trigger with the reason (audited). 403 (audited) another department's;
   * 409 not proposed any more; 422 reason missing or too long.
   */
  @Post(':id/dismiss')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '不予受理（说明理由） / dismiss with a reason' })
  @ApiOkResponse({ type: TriggerView })
  @ApiForbiddenResponse({ description: "another department's trigger (audited access.denied)" })
  @ApiNotFoundResponse({ description: 'no such trigger' })
  @ApiConflictResponse({ description: 'already accepted or dismissed' })
  @ApiUnprocessableEntityResponse({ description: 'reason' })
  dismiss(
    @Param() p: TriggerIdParam,
    @Body() dto: DismissTriggerDto,
    @RequestActor() actor: Actor,
  ): Promise<TriggerView> {
    return this.triggers.dismiss(p.id, dto, actor);
  }
}
