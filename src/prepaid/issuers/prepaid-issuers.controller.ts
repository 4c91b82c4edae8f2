import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
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
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import { withUploadedFile } from '../../inspections/catalog/catalog-csv.js';
import {
  CloseStoreDto,
  CreateIssuerDto,
  CreatePayeeAccountDto,
  CreateReportDto,
  CreateSignalDto,
  CreateStoreDto,
  ImportKindParam,
  IssuerDetailDto,
  IssuerListQueryDto,
  IssuerPageDto,
  IssuerPageQueryDto,
  PrepaidImportViewDto,
  ReportPageDto,
  ReportViewDto,
  SignalPageDto,
  SignalViewDto,
  StoreParam,
  UpdateIssuerDto,
  UsccParam,
} from './dto/prepaid-issuer.dto.js';
import { PrepaidImportService } from './prepaid-import.service.js';
import { PrepaidIssuersService } from './prepaid-issuers.service.js';

/**
 * Prepaid-card issuers and their facts (预付卡经营者, issue 14 "Data"): the register of issuers, stores,
 * payee accounts, periodic reports (with corrections that keep the replaced report) and signals. Staff
 * read (admins, regulators, inspectors: they carry out the on-site checks); regulators of the market
 * department and admins write (403 audited for other departments); enterprise users nothing. Money in
 * fen; dates YYYY-MM-DD; 422 names every field at fault (prepaid-input.ts).
 */
@ApiTags('prepaid issuers 预付卡经营者')
@Controller('api/prepaid')
export class PrepaidIssuersController {
  constructor(
    private readonly issuers: PrepaidIssuersService,
    private readonly importer: PrepaidImportService,
  ) {}

  /** Issuers, the worst level first: `{ items: IssuerListItem[], total, page, pageSize }` (X-Total-Count). */
  @Get('issuers')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '预付卡经营者列表 / prepaid issuers, one page' })
  @ApiOkResponse({ type: IssuerPageDto })
  @ApiUnprocessableEntityResponse({ description: 'a filter or page parameter' })
  async list(@Query() q: IssuerListQueryDto, @Res({ passthrough: true }) res: Response) {
    const page = await this.issuers.list(q);
    res.setHeader('X-Total-Count', String(page.total));
    return page;
  }

  /**
   * Registers an enterprise of the register as an issuer; sets enterprise.prepaid_issuer. 201
   * IssuerDetail. 422 fields (the USCC not in the register named); 409 already an issuer; 403.
   */
  @Post('issuers')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '登记预付卡经营者 / register an issuer' })
  @ApiCreatedResponse({ type: IssuerDetailDto })
  @ApiConflictResponse({ description: 'already an issuer' })
  @ApiForbiddenResponse({ description: 'not a regulator of the market department (audited)' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  register(@Body() dto: CreateIssuerDto, @CurrentUser() user: AuthUser, @RequestActor() actor: Actor) {
    return this.issuers.register(dto, user, actor);
  }

  /** One issuer with stores and payee accounts. 404 not a registered issuer. */
  @Get('issuers/:uscc')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '经营者资料 / one issuer' })
  @ApiOkResponse({ type: IssuerDetailDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  one(@Param() p: UsccParam) {
    return this.issuers.one(p.uscc);
  }

  /** Changes the fields given (sector, guarantee, escrow bank, platform, selling since). Audited. */
  @Patch('issuers/:uscc')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '修改经营者资料 / change an issuer' })
  @ApiOkResponse({ type: IssuerDetailDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  update(
    @Param() p: UsccParam,
    @Body() dto: UpdateIssuerDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.issuers.update(p.uscc, dto, user, actor);
  }

  /** Adds a store. 201 IssuerDetail. */
  @Post('issuers/:uscc/stores')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '登记门店 / add a store' })
  @ApiCreatedResponse({ type: IssuerDetailDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  addStore(
    @Param() p: UsccParam,
    @Body() dto: CreateStoreDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.issuers.addStore(p.uscc, dto, user, actor);
  }

  /** Closes a store (closedOn default today). 200 IssuerDetail; 404; 409 already closed. */
  @Post('issuers/:uscc/stores/:id/close')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '门店关闭 / close a store' })
  @ApiOkResponse({ type: IssuerDetailDto })
  @ApiNotFoundResponse({ description: 'not a store of this issuer' })
  @ApiConflictResponse({ description: 'already closed' })
  closeStore(
    @Param() p: StoreParam,
    @Body() dto: CloseStoreDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.issuers.closeStore(p.uscc, p.id, dto, user, actor);
  }

  /** A new payee account: ends the previous one and records a payee_change signal. 201 IssuerDetail. */
  @Post('issuers/:uscc/payee-accounts')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '登记收款账户（变更） / a new payee account' })
  @ApiCreatedResponse({ type: IssuerDetailDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  addPayeeAccount(
    @Param() p: UsccParam,
    @Body() dto: CreatePayeeAccountDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.issuers.addPayeeAccount(p.uscc, dto, user, actor);
  }

  /** Reports, latest period first (replaced ones with superseded true), with dueOn and late. */
  @Get('issuers/:uscc/reports')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '报送数据 / reports of an issuer' })
  @ApiOkResponse({ type: ReportPageDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  reports(@Param() p: UsccParam, @Query() q: IssuerPageQueryDto) {
    return this.issuers.reports(p.uscc, q.page, q.pageSize);
  }

  /**
   * Records a report. 201 the report. 409 a report is in force for the period (named): send
   * `correction: { reason }` to correct it (the replaced report is kept). 404 not an issuer (the USCC
   * named: register it first); 422 every field at fault (negative amounts, escrow above the balance,
   * a period not a calendar quarter/month or not over yet, a submission date in the future; a
   * correction's submittedOn other than today or before the report it corrects).
   */
  @Post('issuers/:uscc/reports')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '报送或更正 / submit or correct a report' })
  @ApiCreatedResponse({ type: ReportViewDto })
  @ApiConflictResponse({ description: 'a report is in force for the period (correction.reason corrects it)' })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  submitReport(
    @Param() p: UsccParam,
    @Body() dto: CreateReportDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.issuers.submitReport(p.uscc, dto, user, actor);
  }

  /** Signals, latest first. */
  @Get('issuers/:uscc/signals')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '预警信号 / signals of an issuer' })
  @ApiOkResponse({ type: SignalPageDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  signals(@Param() p: UsccParam, @Query() q: IssuerPageQueryDto) {
    return this.issuers.signals(p.uscc, q.page, q.pageSize);
  }

  /**
   * Records a signal. 201 the signal. 422 every field at fault (per kind: prepaid-input.ts checkSignal).
   * 409 the same signal recorded already (same kind and sourceRef; without sourceRef: identical).
   */
  @Post('issuers/:uscc/signals')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '登记预警信号 / record a signal' })
  @ApiCreatedResponse({ type: SignalViewDto })
  @ApiNotFoundResponse({ description: 'not a registered issuer' })
  @ApiConflictResponse({ description: 'the same signal (or sourceKey) recorded already, naming it' })
  @ApiUnprocessableEntityResponse({ description: 'each field at fault named' })
  addSignal(
    @Param() p: UsccParam,
    @Body() dto: CreateSignalDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    return this.issuers.addSignal(p.uscc, dto, user, actor);
  }

  /**
   * Imports a CSV of issuers, stores, reports or signals sent as the body (Content-Type: text/csv, at
   * most 5 MB, 5,000 rows; columns: docs/import-formats.md "Prepaid ..."). All or nothing: 422 lists
   * every rejected row as rows[<line>].<column>, or (file). 200 { kind, encoding, rows, inserted,
   * corrected, ids }.
   */
  @Post('import/:kind')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '导入预付卡数据 CSV / import prepaid data (all or nothing)' })
  @ApiConsumes('text/csv')
  @ApiBody({ description: 'the CSV file (UTF-8 or GB18030, header on line 1)', schema: { type: 'string' } })
  @ApiOkResponse({ type: PrepaidImportViewDto })
  @ApiUnprocessableEntityResponse({ description: 'rows[<line>].<column> for every rejected row, or (file)' })
  async import(
    @Param() p: ImportKindParam,
    @Req() req: Request,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ) {
    if (!Buffer.isBuffer(req.body))
      throw new UnsupportedMediaTypeException(
        'send the CSV file itself as the body, with Content-Type: text/csv (UTF-8 or GB18030)',
      );
    return withUploadedFile(req.body, (file) => this.importer.importFile(p.kind, file, user, actor));
  }
}
