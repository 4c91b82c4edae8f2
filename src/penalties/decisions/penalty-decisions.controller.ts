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
  UnsupportedMediaTypeException,
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
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import { todayInShanghai } from '../../common/clock.js';
import { withUploadedFile } from '../../inspections/catalog/catalog-csv.js';
import { DISHONESTY_MEASURES, MEASURE_TARGET_LABELS } from '../rules/dishonesty-measures.js';
import { LENIENT_LIST_LABELS, LENIENT_MATTERS } from '../rules/lenient-lists.js';
import { DecisionImportService } from './decision-import.service.js';
import {
  CreatePenaltyDecisionDto,
  DecisionIdParam,
  DecisionListQueryDto,
  LaterDeliveryDto,
  LenientQueryDto,
  ReportQueryDto,
} from './dto/penalty-decision.dto.js';
import {
  DecisionImportView,
  DecisionPageView,
  DecisionPreviewView,
  DecisionView,
  LenientListsView,
  SameDayReportView,
} from './dto/penalty-decision-views.js';
import { PenaltyDecisionsService } from './penalty-decisions.service.js';

const inForce = (m: { inForceFrom: string; inForceUntil: string | null }, d: string) =>
  m.inForceFrom <= d && (m.inForceUntil === null || d <= m.inForceUntil);

/**
 * Penalty decisions served with their credit-repair notice (双书同达; issue 13, domain.md 3.5):
 * record (API, form, CSV), preview the periods, list, read one, add a later delivery, the same-day
 * report. Regulators of the recording department and admins. The documents themselves (HTML, PDF)
 * are served under /api/penalty-decisions/:id/documents/ by the documents feature.
 */
@ApiTags('penalty decisions 行政处罚决定与信用修复告知')
@Controller('api/penalty-decisions')
export class PenaltyDecisionsController {
  constructor(
    private readonly decisions: PenaltyDecisionsService,
    private readonly importer: DecisionImportService,
  ) {}

  /**
   * Records a decision: in one transaction the decision, its credit record with the publication
   * window (rescored at once), the repair notice when one is needed and one delivery of both
   * documents; audited. 201 with the decision as GET /:id answers it. 422 every field at fault
   * (penalty-decision-input.ts: unknown penalty types named, negative fines, dates in the future,
   * an enterprise not in the register or not yet established, a lenient matter not of the
   * outcome's list or not in force, a regime not in force); 409 the decision number is stored; 403
   * (audited) another department, or a serious listing outside market supervision.
   */
  @Post()
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '录入处罚决定（双书同达） / record a penalty decision with its repair notice' })
  @ApiCreatedResponse({ type: DecisionView, description: 'the decision (GET /:id)' })
  @ApiConflictResponse({ description: 'decision number already recorded' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named (Chinese reasons)' })
  create(@Body() dto: CreatePenaltyDecisionDto, @CurrentUser() user: AuthUser, @RequestActor() actor: Actor) {
    return this.decisions.record(dto, user, actor);
  }

  /**
   * What a decision would give, nothing stored: the normalised decision, its periods with the rule
   * behind every date, whether a notice is needed (and why not), the credit record kind. 422 as POST.
   */
  @Post('preview')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '预览公示期与是否需告知书 / preview periods and the notice requirement' })
  @ApiOkResponse({ type: DecisionPreviewView })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  preview(@Body() dto: CreatePenaltyDecisionDto) {
    const { department: _d, ...input } = dto;
    return this.decisions.preview(input);
  }

  /**
   * Imports a CSV of decisions sent as the body (Content-Type: text/csv, at most 5 MB, 5,000
   * rows; columns: docs/import-formats.md "Penalty decisions"). All or nothing: 422 lists every
   * rejected row as rows[<line>].<column>, or (file). 200 { encoding, rows, inserted, ids }.
   */
  @Post('import')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '导入处罚决定 CSV / import decisions from CSV (all or nothing)' })
  @ApiConsumes('text/csv')
  @ApiBody({ description: 'the CSV file (UTF-8 or GB18030, header on line 1)', schema: { type: 'string' } })
  @ApiQuery({ name: 'department', required: false, description: 'admins: the recording department code' })
  @ApiOkResponse({ type: DecisionImportView })
  @ApiUnprocessableEntityResponse({ description: 'rows[<line>].<column> for every rejected row, or (file)' })
  async import(
    @Req() req: Request,
    @Query('department') department: string | undefined,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    if (!Buffer.isBuffer(req.body))
      throw new UnsupportedMediaTypeException(
        'send the CSV file itself as the body, with Content-Type: text/csv (UTF-8 or GB18030)',
      );
    return withUploadedFile(req.body, (file) => this.importer.importFile(file, user, actor, department));
  }

  /**
   * The same-day report (双书同达统计): decisions dated from..to, the share served with their notice
   * the same day (target 100 %), every exception with its reason, the decisions needing none.
   */
  @Get('report')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '双书同达统计 / decisions served with their notice the same day' })
  @ApiOkResponse({ type: SameDayReportView })
  @ApiUnprocessableEntityResponse({ description: 'from or to not a date, from after to' })
  report(@Query() q: ReportQueryDto, @CurrentUser() user: AuthUser) {
    return this.decisions.report(q.from, q.to, user);
  }

  /** Decisions, newest first, one page (`{ items, total, page, pageSize }`, X-Total-Count). */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '行政处罚决定列表 / decisions, one page' })
  @ApiOkResponse({ type: DecisionPageView })
  @ApiUnprocessableEntityResponse({ description: 'a filter or page parameter' })
  async list(
    @Query() q: DecisionListQueryDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const page = await this.decisions.list(
      { ...q, noticeRequired: q.noticeRequired === undefined ? undefined : q.noticeRequired === 'true' },
      user,
    );
    res.setHeader('X-Total-Count', String(page.total));
    return page;
  }

  /** One decision: periods with rules, the notice's contents, deliveries, the documents' addresses. */
  @Get(':id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '处罚决定详情 / one decision' })
  @ApiOkResponse({ type: DecisionView })
  @ApiNotFoundResponse({ description: 'no such decision' })
  @ApiForbiddenResponse({ description: "another department's decision (audited)" })
  one(@Param() p: DecisionIdParam, @CurrentUser() user: AuthUser, @RequestActor() actor: Actor) {
    return this.decisions.one(p.id, user, actor);
  }

  /**
   * Records a later delivery (e.g. the notice served after the decision: exceptionReason
   * required). Audited. 404; 403 (audited); 422 documents, channel, deliveredOn, exceptionReason.
   */
  @Post(':id/deliveries')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '补充送达记录 / record a later delivery' })
  @ApiCreatedResponse({ type: DecisionView, description: 'the decision with its deliveries' })
  @ApiNotFoundResponse({ description: 'no such decision' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  deliver(
    @Param() p: DecisionIdParam,
    @Body() dto: LaterDeliveryDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.decisions.addDelivery(p.id, dto, user, actor);
  }
}

/**
 * Lenient enforcement (包容审慎监管, 行政处罚法 第三十二条、第三十三条) and the measures that follow
 * dishonesty (失信惩戒措施基础清单): the dated lists, each entry with its source and whether it is
 * in force on `date`.
 */
@ApiTags('penalty decisions 行政处罚决定与信用修复告知')
@Controller('api/lenient-enforcement')
export class LenientEnforcementController {
  /** The lists: `{ date, matters: [...], measures: [...] }`, each with `inForce` on date (default today). */
  @Get()
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '包容审慎监管清单与失信惩戒措施 / lenient lists and dishonesty measures' })
  @ApiOkResponse({ type: LenientListsView })
  @ApiUnprocessableEntityResponse({ description: 'date not YYYY-MM-DD' })
  lists(@Query() q: LenientQueryDto) {
    const date = q.date ?? todayInShanghai();
    return {
      date,
      matters: LENIENT_MATTERS.map((m) => ({
        ...m,
        listLabel: LENIENT_LIST_LABELS[m.list],
        inForce: inForce(m, date),
      })),
      measures: DISHONESTY_MEASURES.map((m) => ({
        ...m,
        targetLabel: MEASURE_TARGET_LABELS[m.target],
        inForce: inForce(m, date),
      })),
    };
  }
}
