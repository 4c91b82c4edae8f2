import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
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
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import { TaskIdParam } from '../../inspections/tasks/dto/task.dto.js';
import { CodesService } from './codes.service.js';
import {
  CheckCodeIdParam,
  CheckCodeListQuery,
  CheckCodePageView,
  CheckCodeView,
  RevokeCheckCodeDto,
  TaskCheckCodeView,
} from './dto/check-code.dto.js';
import { qrPng, qrSvg } from './qr.js';

/** A task's inspection code (检查码): apply for it, read the visit's live one. */
@ApiTags('check codes 检查码')
@Controller('api/tasks')
export class TaskCheckCodeController {
  constructor(private readonly codes: CodesService) {}

  /**
   * Applies for the inspection code of the task's visit (申请检查码): an inspector assigned to any
   * task of the visit; one code covers every open task of a joint visit, its items and departments.
   * Only for a routine task of a published plan or an event task made from accepted triggers.
   * Valid from max(now, the visit window's first day 00:00 Asia/Shanghai) to min(the end of its last
   * day, now + checkCodeMaxDays days); state issued. 201 with the code (QR URLs, check word).
   * 403 (audited) not assigned; 409 a task completed, cancelled or replaced, a plan not published,
   * an event task without accepted triggers, the window over (or too far ahead), or a live code of
   * the visit exists (body `liveCode: { id, codeNo }`: use it); 404 unknown task.
   * Rule: check-codes/codes/rules/code-rules.ts coveredTasks, codeWindow (issue 12 "Issuing").
   */
  @Post(':id/check-code')
  @HttpCode(201)
  @Roles('inspector')
  @ApiOperation({ summary: "申请检查码 / issue the inspection code of the task's visit" })
  @ApiCreatedResponse({ type: CheckCodeView })
  @ApiNotFoundResponse({ description: 'no such task' })
  @ApiForbiddenResponse({ description: 'not an inspector assigned to a task of the visit (audited)' })
  @ApiConflictResponse({
    description:
      'task not open; plan not published; no accepted trigger; window over; a live code exists (liveCode)',
  })
  issue(
    @Param() p: TaskIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CheckCodeView> {
    return this.codes.issue(p.id, user, actor);
  }

  /**
   * The codes of the task's visit: `live` (issued or in use; null when none: apply for one) and
   * `latest` (the newest code covering the task, any state). An inspector of another visit: 403
   * (audited); 404 unknown task.
   */
  @Get(':id/check-code')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: "任务的检查码 / the live code of the task's visit" })
  @ApiOkResponse({ type: TaskCheckCodeView })
  @ApiNotFoundResponse({ description: 'no such task' })
  ofTask(
    @Param() p: TaskIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<TaskCheckCodeView> {
    return this.codes.ofTask(p.id, user, actor);
  }
}

/** Inspection codes (检查码): lists, one code, QR images, check-in, check-out, revocation. */
@ApiTags('check codes 检查码')
@Controller('api/check-codes')
export class CheckCodesController {
  constructor(private readonly codes: CodesService) {}

  /**
   * Codes, newest first (`{ items, total, page, pageSize }` and X-Total-Count): an admin every
   * code, a regulator those covering a task of its department, an inspector its own (我的检查码).
   * Filters: status, from / to (issued on those Shanghai days), uscc. 422 naming the filter.
   */
  @Get()
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '检查码 / inspection codes, filtered, one page' })
  @ApiOkResponse({ type: CheckCodePageView })
  @ApiUnprocessableEntityResponse({ description: 'status, from, to, uscc, page or pageSize, each named' })
  async list(
    @Query() q: CheckCodeListQuery,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckCodePageView> {
    const { items, total } = await this.codes.list(q, user);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * One code: particulars (frozen at issue), state, check-in/out events, validity now (judgeCode),
   * and while live the current check word (核验词) with the seconds until it changes. Readers: an
   * inspector assigned to a task it covers, a regulator of one of its departments, an admin;
   * others 403 (audited). 404 unknown.
   */
  @Get(':id')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '检查码详情 / one inspection code with its check word' })
  @ApiOkResponse({ type: CheckCodeView })
  @ApiNotFoundResponse({ description: 'no such code' })
  one(
    @Param() p: CheckCodeIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CheckCodeView> {
    return this.codes.one(p.id, user, actor);
  }

  /**
   * The QR code (PNG, 8 px a module, error correction Q, quiet zone 4) of the verification URL
   * `<PUBLIC_BASE_URL>/v/<code text>` (upper-cased: alphanumeric mode). Readers as for the code.
   */
  @Get(':id/qr.png')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '检查码二维码 PNG / the QR code as PNG' })
  @ApiProduces('image/png')
  @ApiOkResponse({
    description: 'the PNG',
    content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ description: 'no such code' })
  async png(
    @Param() p: CheckCodeIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<StreamableFile> {
    const { url, codeNo } = await this.codes.textFor(p.id, user, actor);
    return new StreamableFile(await qrPng(url), {
      type: 'image/png',
      disposition: `inline; filename="check-code-${codeNo}.png"`,
    });
  }

  /** The QR code as SVG (same symbol as the PNG). Readers as for the code. */
  @Get(':id/qr.svg')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '检查码二维码 SVG / the QR code as SVG' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'the SVG', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'no such code' })
  async svg(
    @Param() p: CheckCodeIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<StreamableFile> {
    const { url, codeNo } = await this.codes.textFor(p.id, user, actor);
    return new StreamableFile(Buffer.from(await qrSvg(url)), {
      type: 'image/svg+xml',
      disposition: `inline; filename="check-code-${codeNo}.svg"`,
    });
  }

  /**
   * Checks the signed-in inspector in under the code (签到): an assigned inspector named in the
   * code, while the code judges valid online (judgeCode with the stored row: genuine, in its
   * window, not revoked or expired). The first check-in moves the code from issued to in use.
   * 403 (audited) not its inspector; 409 not valid now (the reason), completed, already checked in.
   */
  @Post(':id/check-in')
  @HttpCode(200)
  @Roles('inspector')
  @ApiOperation({ summary: '签到 / check in under the code' })
  @ApiOkResponse({ type: CheckCodeView })
  @ApiNotFoundResponse({ description: 'no such code' })
  @ApiForbiddenResponse({ description: 'not an assigned inspector of the code (audited)' })
  @ApiConflictResponse({ description: 'not valid now; completed; already checked in' })
  checkIn(
    @Param() p: CheckCodeIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CheckCodeView> {
    return this.codes.event(p.id, 'check_in', user, actor);
  }

  /**
   * Checks the signed-in inspector out (签退), after its check-in, while the code judges valid (a
   * completed code still does). 403 (audited) not its inspector; 409 not checked in, already
   * checked out, not valid now.
   */
  @Post(':id/check-out')
  @HttpCode(200)
  @Roles('inspector')
  @ApiOperation({ summary: '签退 / check out under the code' })
  @ApiOkResponse({ type: CheckCodeView })
  @ApiNotFoundResponse({ description: 'no such code' })
  @ApiForbiddenResponse({ description: 'not an assigned inspector of the code (audited)' })
  @ApiConflictResponse({ description: 'not checked in; already checked out; not valid now' })
  checkOut(
    @Param() p: CheckCodeIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CheckCodeView> {
    return this.codes.event(p.id, 'check_out', user, actor);
  }

  /**
   * Revokes a live code with a reason (吊销): an inspector of the code or a regulator of one of its
   * departments. A revoked code verifies as not valid at once; the visit may get a new code.
   * 403 (audited) anyone else; 409 the code is not live (completed, expired, revoked); 422 reason.
   */
  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('inspector', 'regulator')
  @ApiOperation({ summary: '吊销检查码 / revoke the code with a reason' })
  @ApiOkResponse({ type: CheckCodeView })
  @ApiNotFoundResponse({ description: 'no such code' })
  @ApiConflictResponse({ description: 'not live' })
  @ApiUnprocessableEntityResponse({ description: 'reason missing, blank or too long' })
  revoke(
    @Param() p: CheckCodeIdParam,
    @Body() dto: RevokeCheckCodeDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CheckCodeView> {
    return this.codes.revoke(p.id, dto.reason.trim(), user, actor);
  }
}
