import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import { todayInShanghai } from '../../common/clock.js';
import {
  ApplicationDetailView,
  ApplicationFileParam,
  ApplicationIdParam,
  ApplicationView,
  DecideDto,
  DecisionView,
  EligibilityView,
  NoteDto,
  QueueQuery,
  RecordIdParam,
  ShareFeedQuery,
  ShareFeedView,
  SubmitApplicationBody,
  SuspendDto,
} from './dto/repair.dto.js';
import { RepairApplicationsService, sharesCsv, UploadedPart } from './repair-applications.service.js';
import { RepairUploadInterceptor } from './repair-upload.interceptor.js';

/**
 * Credit-repair applications (信用修复申请; issue 13, domain.md 3.3-3.4): the enterprise checks its
 * eligibility, applies with its papers and follows or withdraws its application; the department
 * that recorded the information (谁认定谁修复) accepts, suspends (materials requested), resumes,
 * approves or rejects within working-day limits; admins read. Results shared with Credit China.
 */
@ApiTags('credit-repair 信用修复')
@Controller('api/credit-repair')
export class RepairApplicationsController {
  constructor(private readonly repair: RepairApplicationsService) {}

  /**
   * Whether a record may be repaired today, condition by condition (`conditions`: met / failed /
   * to_declare; `refusals` each with code and Chinese message, e.g. NOT_YET "可于2027年3月3日起申请",
   * NEVER_ENDED_EARLY). An enterprise user asks about its own records only (404 for another's).
   */
  @Get('records/:recordId/eligibility')
  @Roles('enterprise', 'regulator', 'admin')
  @ApiOperation({ summary: '信用修复条件 / eligibility of a record for repair' })
  @ApiOkResponse({ type: EligibilityView })
  @ApiNotFoundResponse({ description: 'no such record (or another enterprise’s)' })
  @ApiUnprocessableEntityResponse({ description: 'recordId not a positive integer' })
  eligibility(@Param() p: RecordIdParam, @CurrentUser() user: AuthUser): Promise<EligibilityView> {
    return this.repair.eligibility(p.recordId, user);
  }

  /**
   * The enterprise applies (multipart/form-data): recordId, statement, the declarations and the
   * files commitmentLetter (1), proof (1-5), applicationForm (0-1, PDF), each at most 10 MiB, type
   * sniffed from the bytes (PDF, JPEG, PNG; a mislabelled name is corrected to the bytes' type,
   * refused where a PDF is required). Deadline to accept: 3 working days. Audited.
   */
  @Post('applications')
  @HttpCode(201)
  @Roles('enterprise')
  @UseInterceptors(RepairUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: SubmitApplicationBody })
  @ApiOperation({ summary: '提交信用修复申请（含附件） / apply for credit repair with the papers' })
  @ApiCreatedResponse({ type: ApplicationDetailView })
  @ApiNotFoundResponse({ description: 'no such record (or another enterprise’s)' })
  @ApiConflictResponse({ description: 'an open application of the record exists' })
  @ApiPayloadTooLargeResponse({ description: 'a file over 10 MiB (errors[].field names it)' })
  @ApiUnsupportedMediaTypeResponse({
    description: 'a file whose bytes are not PDF, JPEG or PNG (or not PDF where required)',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'fields (recordId, statement, declarations, file counts) or eligibility: errors[] with code and reason',
  })
  submit(
    @Req() req: Request,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ApplicationDetailView> {
    const files = Object.values((req.files ?? {}) as Record<string, UploadedPart[]>).flat();
    return this.repair.submit((req.body ?? {}) as Record<string, unknown>, files, user, actor);
  }

  /** The enterprise's own applications, newest first, with status, deadlines and the decision. */
  @Get('my-applications')
  @Roles('enterprise')
  @ApiOperation({ summary: '我的修复申请 / my repair applications' })
  @ApiOkResponse({ type: [ApplicationView] })
  mine(@CurrentUser() user: AuthUser): Promise<ApplicationView[]> {
    return this.repair.mine(user);
  }

  /**
   * The queue: a regulator's department's applications (谁认定谁修复), an admin's all; filters
   * status, kind, overdue (computed today: acceptance or decision deadline passed, or a suspension
   * past its latest end). Open ones first by deadline.
   */
  @Get('applications')
  @Roles('regulator', 'admin')
  @ApiOperation({ summary: '信用修复受理队列 / the repair queue with deadlines and overdue flags' })
  @ApiOkResponse({ type: [ApplicationView] })
  @ApiUnprocessableEntityResponse({ description: 'status, kind or overdue' })
  queue(@Query() q: QueueQuery, @CurrentUser() user: AuthUser): Promise<ApplicationView[]> {
    return this.repair.queue(q, user);
  }

  /** One application with eligibility, files and timeline. 403 (audited) another department's regulator; 404 unknown or another enterprise's. */
  @Get('applications/:id')
  @Roles('enterprise', 'regulator', 'admin')
  @ApiOperation({ summary: '一件修复申请 / one application' })
  @ApiOkResponse({ type: ApplicationDetailView })
  @ApiForbiddenResponse({ description: 'a regulator of another department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application' })
  one(
    @Param() p: ApplicationIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ApplicationDetailView> {
    return this.repair.detail(p.id, user, actor);
  }

  /** A file of the application, as stored (Content-Type sniffed at upload, X-Content-SHA256). Scope as the detail. */
  @Get('applications/:id/files/:fileId')
  @Roles('enterprise', 'regulator', 'admin')
  @ApiOperation({ summary: '下载申请材料 / download a file' })
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'the file', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: 'a regulator of another department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application or file' })
  async file(
    @Param() p: ApplicationFileParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const f = await this.repair.file(p.id, p.fileId, user, actor);
    res.status(200);
    res.setHeader('Content-Type', f.type);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="file-${p.fileId}.${f.name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
    );
    res.setHeader('X-Content-SHA256', f.sha256);
    res.send(f.content);
  }

  /** The enterprise withdraws its open application. 404 not its own; 409 not open. */
  @Post('applications/:id/withdraw')
  @HttpCode(200)
  @Roles('enterprise')
  @ApiOperation({ summary: '撤回申请 / withdraw' })
  @ApiOkResponse({ type: ApplicationDetailView })
  @ApiNotFoundResponse({ description: 'no such application of this enterprise' })
  @ApiConflictResponse({ description: 'not open' })
  withdraw(
    @Param() p: ApplicationIdParam,
    @Body() dto: NoteDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ApplicationDetailView> {
    return this.repair.withdraw(p.id, user, actor, dto.note);
  }

  /** Accepts (受理): decision due in the limit's working days. 403 (audited) not the deciding department; 409 not submitted or suspended. */
  @Post('applications/:id/accept')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '受理 / accept' })
  @ApiOkResponse({ type: ApplicationDetailView })
  @ApiForbiddenResponse({ description: 'not the deciding department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application' })
  @ApiConflictResponse({ description: 'not submitted, or suspended' })
  accept(
    @Param() p: ApplicationIdParam,
    @Body() dto: NoteDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ApplicationDetailView> {
    return this.repair.accept(p.id, user, actor, dto.note);
  }

  /** Suspends the clock (materials requested) with a reason and a latest end (≤ 60 days). 409 not open or suspended already; 422 reason, latestEnd. */
  @Post('applications/:id/suspend')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '中止计时（要求补正材料） / suspend: materials requested' })
  @ApiOkResponse({ type: ApplicationDetailView })
  @ApiForbiddenResponse({ description: 'not the deciding department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application' })
  @ApiConflictResponse({ description: 'not open, or suspended already' })
  @ApiUnprocessableEntityResponse({ description: 'reason or latestEnd' })
  suspend(
    @Param() p: ApplicationIdParam,
    @Body() dto: SuspendDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ApplicationDetailView> {
    return this.repair.suspend(p.id, dto, user, actor);
  }

  /** Resumes: the suspended working days extend the running deadline. 409 not suspended. */
  @Post('applications/:id/resume')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '恢复计时 / resume' })
  @ApiOkResponse({ type: ApplicationDetailView })
  @ApiForbiddenResponse({ description: 'not the deciding department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application' })
  @ApiConflictResponse({ description: 'not suspended' })
  resume(
    @Param() p: ApplicationIdParam,
    @Body() dto: NoteDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ApplicationDetailView> {
    return this.repair.resume(p.id, user, actor, dto.note);
  }

  /**
   * Approves (准予修复): the record's effect ends today (repaired_on; a listing's removed_on), the
   * enterprise is rescored at once (`rescored`: score and tier before and after), the result share
   * is due in 3 working days, the enterprise reminded; audited. 409 not accepted or suspended.
   * The eligibility rule runs again on today's records: 422 naming each condition that no longer
   * holds (a repeat penalty, a listing since the application): the regulator rejects instead.
   */
  @Post('applications/:id/approve')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '准予信用修复 / approve' })
  @ApiOkResponse({ type: DecisionView })
  @ApiForbiddenResponse({ description: 'not the deciding department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application' })
  @ApiConflictResponse({ description: 'not accepted, or suspended' })
  @ApiUnprocessableEntityResponse({
    description:
      'reasons missing, or a condition of the eligibility rule no longer holds (errors name each code)',
  })
  approve(
    @Param() p: ApplicationIdParam,
    @Body() dto: DecideDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<DecisionView> {
    return this.repair.approve(p.id, dto.reasons, user, actor);
  }

  /** Rejects (不予修复 / 不予受理) with reasons; shared and reminded; audited. 409 decided or withdrawn. */
  @Post('applications/:id/reject')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '不予修复 / reject with reasons' })
  @ApiOkResponse({ type: DecisionView })
  @ApiForbiddenResponse({ description: 'not the deciding department (audited)' })
  @ApiNotFoundResponse({ description: 'no such application' })
  @ApiConflictResponse({ description: 'decided or withdrawn already' })
  @ApiUnprocessableEntityResponse({ description: 'reasons' })
  reject(
    @Param() p: ApplicationIdParam,
    @Body() dto: DecideDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<DecisionView> {
    return this.repair.reject(p.id, dto.reasons, user, actor);
  }

  /** The results for Credit China (信用中国) after the cursor `after` (a share id), oldest first, each with its due day (3 working days) and overdue flag. */
  @Get('shares')
  @Roles('regulator', 'admin')
  @ApiOperation({ summary: '修复结果共享（信用中国）数据流 / the share feed since a cursor' })
  @ApiOkResponse({ type: ShareFeedView })
  @ApiUnprocessableEntityResponse({ description: 'after or limit' })
  shares(@Query() q: ShareFeedQuery): Promise<ShareFeedView> {
    return this.repair.shareFeed(q.after, q.limit);
  }

  /** The results not yet shared, as the CSV file for Credit China (UTF-8 with BOM); marking them shared is the CLI's `credit-repair shares export`. */
  @Get('shares.csv')
  @Roles('regulator', 'admin')
  @ApiOperation({ summary: '待报送的修复结果（CSV） / results not yet shared, CSV' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV', schema: { type: 'string' } })
  async sharesFile(@Res() res: Response): Promise<void> {
    const rows = await this.repair.pendingShares();
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="credit-repair-shares-${todayInShanghai()}.csv"`,
    );
    res.send(Buffer.from(sharesCsv(rows), 'utf8'));
  }
}
