import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
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
import { AlertDetailView, PrepaidAlertsService } from './alerts.service.js';
import {
  AlertDetailApiView,
  AlertIdParam,
  AlertListQuery,
  AlertPageView,
  AssignAlertDto,
  CloseAlertDto,
  DisposalDto,
  FeedbackDto,
  UserRefApiView,
} from './dto/alert.dto.js';

/**
 * Prepaid-risk alerts (风险预警) and their disposal (处置 -> 反馈 -> 办结), issue 14. Staff regulators
 * and admins read; regulators of the market department (PREPAID_DEPARTMENT) assign, dispose, give
 * feedback and close (others 403, audited); a step from the wrong status answers 409 naming the status.
 */
@ApiTags('prepaid 预付卡风险')
@Controller('api/prepaid')
export class PrepaidAlertsController {
  constructor(private readonly alerts: PrepaidAlertsService) {}

  /**
   * Alerts, most urgent first (in progress before closed; overdue; due day; worst level), one page
   * (`{ items, total, page, pageSize }`, X-Total-Count). Filters: level, sector, status, overdue, street, q.
   */
  @Get('alerts')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '预警列表 / alerts, one page' })
  @ApiOkResponse({ type: AlertPageView })
  @ApiUnprocessableEntityResponse({ description: 'a filter or page at fault, named' })
  async list(@Query() q: AlertListQuery, @Res({ passthrough: true }) res: Response) {
    const page = await this.alerts.list(q);
    res.setHeader('X-Total-Count', String(page.total));
    return page;
  }

  /** One alert: the evidence as of its opening, every event (raises with their evidence), the disposals. */
  @Get('alerts/:id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '一条预警 / one alert' })
  @ApiOkResponse({ type: AlertDetailApiView })
  @ApiNotFoundResponse({ description: 'no such alert' })
  one(@Param() p: AlertIdParam): Promise<AlertDetailView> {
    return this.alerts.one(p.id);
  }

  /** Regulators of the department, to assign alerts to. */
  @Get('assignees')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '可指派的监管人员 / regulators alerts may be assigned to' })
  @ApiOkResponse({ type: [UserRefApiView] })
  assignees() {
    return this.alerts.assignees();
  }

  /**
   * Assigns (or reassigns before feedback) to a regulator of the department: open -> assigned. To the
   * current assignee: the alert unchanged, nothing recorded.
   */
  @Post('alerts/:id/assign')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '指派预警 / assign' })
  @ApiOkResponse({ type: AlertDetailApiView })
  @ApiForbiddenResponse({ description: 'not a regulator of the department (audited)' })
  @ApiNotFoundResponse({ description: 'no such alert' })
  @ApiConflictResponse({ description: 'wrong status (named)' })
  @ApiUnprocessableEntityResponse({ description: 'assigneeId not a regulator of the department' })
  assign(@Param() p: AlertIdParam, @Body() dto: AssignAlertDto, @RequestActor() actor: Actor) {
    return this.alerts.assign(p.id, dto.assigneeId, actor);
  }

  /**
   * Records a disposal: -> disposing. onsite_check creates an event-triggered check (kind data_alert,
   * source_ref 预付卡预警 #id) accepted into a task (triggerId, taskId in the disposal); interview,
   * warning_letter and stop_prepayment_order write the issuer's credit record regulatory_measure
   * (creditRecordId); referral names referredTo. The same disposal again (kind, day, note, referral),
   * or one sent while another of the alert is being recorded, is 409 (a double click records one).
   */
  @Post('alerts/:id/disposals')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '处置预警 / record a disposal' })
  @ApiOkResponse({ type: AlertDetailApiView })
  @ApiForbiddenResponse({ description: 'not a regulator of the department (audited)' })
  @ApiNotFoundResponse({ description: 'no such alert' })
  @ApiConflictResponse({
    description:
      'wrong status (named); the same disposal recorded already; another disposal of the alert in progress',
  })
  @ApiUnprocessableEntityResponse({
    description: 'decidedOn, note, referredTo, itemCodes; inspectors (too few qualified for the check)',
  })
  dispose(@Param() p: AlertIdParam, @Body() dto: DisposalDto, @RequestActor() actor: Actor) {
    return this.alerts.dispose(p.id, dto, actor);
  }

  /** Records the feedback (findings, what the issuer did, outcome): disposing -> feedback. */
  @Post('alerts/:id/feedback')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '处置反馈 / feedback' })
  @ApiOkResponse({ type: AlertDetailApiView })
  @ApiForbiddenResponse({ description: 'not a regulator of the department (audited)' })
  @ApiNotFoundResponse({ description: 'no such alert' })
  @ApiConflictResponse({ description: 'wrong status (named): a disposal first' })
  @ApiUnprocessableEntityResponse({ description: 'findings, issuerAction, outcome' })
  feedback(@Param() p: AlertIdParam, @Body() dto: FeedbackDto, @RequestActor() actor: Actor) {
    return this.alerts.feedback(p.id, dto, actor);
  }

  /** Closes: feedback -> closed, writing the issuer's credit record regulatory_measure (creditRecordId). */
  @Post('alerts/:id/close')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '办结预警（记入信用记录） / close, writing the credit record' })
  @ApiOkResponse({ type: AlertDetailApiView })
  @ApiForbiddenResponse({ description: 'not a regulator of the department (audited)' })
  @ApiNotFoundResponse({ description: 'no such alert' })
  @ApiConflictResponse({ description: 'wrong status (named): feedback first' })
  close(@Param() p: AlertIdParam, @Body() dto: CloseAlertDto, @RequestActor() actor: Actor) {
    return this.alerts.close(p.id, dto.note, actor);
  }
}
