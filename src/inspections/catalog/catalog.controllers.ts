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
import { CatalogImportReport, importRefused, withUploadedFile } from './catalog-csv.js';
import {
  CatalogImportView,
  CreateItemDto,
  CreateRecusalDto,
  InspectorPageView,
  InspectorView,
  ItemCodeParam,
  ItemPageView,
  ItemView,
  ListInspectorsQuery,
  ListItemsQuery,
  ListRecusalsQuery,
  RecusalIdParam,
  RecusalPageView,
  RecusalView,
  ReviewRecusalDto,
  UpdateInspectorDto,
  UpdateItemDto,
  UserIdParam,
} from './dto/catalog.dto.js';
import { ItemsService } from './items.service.js';
import { RecusalsService } from './recusals.service.js';
import { RosterService } from './roster.service.js';

/** Most bytes of an uploaded catalog CSV (the body parser of catalog.module.ts refuses more with 413). */
export const CATALOG_CSV_LIMIT = '5mb';

/** The CSV body of an import request (express.raw for text/csv, catalog.module.ts). @throws 415 another content type */
function csvBody(req: Request): Buffer {
  if (!Buffer.isBuffer(req.body))
    throw new UnsupportedMediaTypeException(
      'send the CSV file itself as the body, with Content-Type: text/csv (UTF-8 or GB18030)',
    );
  return req.body;
}

/** The answer of an import: the report, or the 422 listing every rejected row (nothing stored then). */
function importAnswer(report: CatalogImportReport): CatalogImportView {
  if (report.rejected) throw importRefused(report);
  const { file: _f, rejectsFile: _r, elapsedMs: _e, ...view } = report;
  return view;
}

const CSV_BODY = {
  description: 'the CSV file (UTF-8 or GB18030, header on line 1); columns: docs/import-formats.md',
  schema: { type: 'string' as const },
};

@ApiTags('inspection items 随机抽查事项清单')
@Controller('api/inspection-items')
export class InspectionItemsController {
  constructor(private readonly items: ItemsService) {}

  /**
   * The item list, by department and code, filtered and one page (`{ items, total, page,
   * pageSize }`, the total also in X-Total-Count). Staff of every role read it (the list is
   * published; inspectors see what they check). 422 a bad filter, named.
   */
  @Get()
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '随机抽查事项清单 / the inspection item list' })
  @ApiOkResponse({ type: ItemPageView })
  async list(@Query() q: ListItemsQuery, @Res({ passthrough: true }) res: Response): Promise<ItemPageView> {
    const { items, total } = await this.items.list(q);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Adds an item (admin; a regulator for its own department, else 403 audited). 201 with the item;
   * 422 every field at fault (code, name, department, legalBasis, checkMethod, industries[i],
   * requirements[i], fullCoveragePerYear: required exactly for a full-coverage item, 1..52);
   * 409 the code exists. Audited `inspection_item.create`.
   */
  @Post()
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '新增检查事项 / add an item' })
  @ApiCreatedResponse({ type: ItemView })
  @ApiUnprocessableEntityResponse({ description: 'every field at fault, named' })
  @ApiConflictResponse({ description: 'the code exists already' })
  create(
    @Body() dto: CreateItemDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ItemView> {
    return this.items.create(dto, user, actor);
  }

  /**
   * Imports an item CSV sent as the body (`Content-Type: text/csv`; UTF-8 or GB18030; columns
   * code, name, department, legal_basis, check_method, requirements and optionally industries,
   * full_coverage, full_coverage_per_year, active: docs/import-formats.md). New codes are added,
   * known ones changed. All or nothing: 422 with `errors` naming `rows[<line>].<column>` for
   * every rejected row and `report.rejections`, nothing stored; 422 `(file)` a file that cannot be
   * read (columns, truncated, more than 5000 rows); 415 another content type; 413 over 5 MB. A
   * regulator imports its own department's items only (other rows rejected, the refusal audited).
   * Audited `inspection_item.import`.
   */
  @Post('import')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '导入检查事项 CSV / import items from CSV' })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: CatalogImportView })
  @ApiUnprocessableEntityResponse({ description: 'rows[<line>].<column> for every rejected row, or (file)' })
  async import(
    @Req() req: Request,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CatalogImportView> {
    const body = csvBody(req);
    return importAnswer(
      await withUploadedFile(body, (file) => this.items.importFile(file, user, actor, { display: 'upload' })),
    );
  }

  /** One item by code. 404 unknown. */
  @Get(':code')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '检查事项详情 / one item' })
  @ApiOkResponse({ type: ItemView })
  @ApiNotFoundResponse({ description: 'no such item' })
  one(@Param() p: ItemCodeParam): Promise<ItemView> {
    return this.items.get(p.code);
  }

  /**
   * Changes an item: the fields given (`active: false` deactivates it; an item is never deleted).
   * 404 unknown; 403 (audited) a regulator of another department; 422 every field at fault; 409
   * an item of a published plan whose content would change (only `active` may), or a department
   * change while inspectors are qualified for it. Audited `inspection_item.update`.
   */
  @Patch(':code')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '修改或停用检查事项 / change or deactivate an item' })
  @ApiOkResponse({ type: ItemView })
  @ApiNotFoundResponse({ description: 'no such item' })
  @ApiUnprocessableEntityResponse({ description: 'every field at fault, named' })
  @ApiConflictResponse({
    description: 'listed by a published plan, or qualified inspectors block a department change',
  })
  update(
    @Param() p: ItemCodeParam,
    @Body() dto: UpdateItemDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ItemView> {
    return this.items.update(p.code, dto, user, actor);
  }
}

@ApiTags('inspectors 执法检查人员名录库')
@Controller('api/inspectors')
export class InspectorsController {
  constructor(private readonly roster: RosterService) {}

  /**
   * The roster: every inspector account with its profile (streets, on roster, qualified items), by
   * department and credential number, filtered (department, itemCode, onRoster, active), one page
   * (`{ items, total, page, pageSize }`, X-Total-Count). Admins and regulators.
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '执法检查人员名录库 / the inspector roster' })
  @ApiOkResponse({ type: InspectorPageView })
  async list(
    @Query() q: ListInspectorsQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InspectorPageView> {
    const { items, total } = await this.roster.list(q);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Imports a roster CSV sent as the body (`Content-Type: text/csv`): columns username or
   * credential_no (naming an inspector user), department (must be the user's), and optionally
   * items (codes separated by `;`), areas (streets separated by `|`), on_roster. All or nothing:
   * 422 naming `rows[<line>].<column>` for every rejected row (unknown users with the reason),
   * nothing stored; 422 `(file)`; 415; 413 as for items. Audited `inspector_profile.import`.
   */
  @Post('import')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '导入执法检查人员名录 CSV / import the roster from CSV' })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: CatalogImportView })
  @ApiUnprocessableEntityResponse({ description: 'rows[<line>].<column> for every rejected row, or (file)' })
  async import(
    @Req() req: Request,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<CatalogImportView> {
    const body = csvBody(req);
    return importAnswer(
      await withUploadedFile(body, (file) =>
        this.roster.importFile(file, user, actor, { display: 'upload' }),
      ),
    );
  }

  /** One inspector of the roster. 404 not an inspector. */
  @Get(':userId')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '执法检查人员详情 / one inspector' })
  @ApiOkResponse({ type: InspectorView })
  @ApiNotFoundResponse({ description: 'not an inspector user' })
  one(@Param() p: UserIdParam): Promise<InspectorView> {
    return this.roster.get(p.userId);
  }

  /**
   * Changes an inspector's entry: `areas`, `onRoster`, `itemCodes` (the whole list; items of the
   * inspector's own department). 404 not an inspector; 403 (audited) a regulator of another
   * department; 422 every field at fault (`itemCodes[i]`: unknown, another department's,
   * deactivated, repeated; `areas[i]`). Audited `inspector_profile.update`.
   */
  @Patch(':userId')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '修改执法资格、片区、在库状态 / change qualifications, areas, on roster' })
  @ApiOkResponse({ type: InspectorView })
  @ApiNotFoundResponse({ description: 'not an inspector user' })
  @ApiUnprocessableEntityResponse({ description: 'every field at fault, named' })
  update(
    @Param() p: UserIdParam,
    @Body() dto: UpdateInspectorDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<InspectorView> {
    return this.roster.update(p.userId, dto, user, actor);
  }
}

@ApiTags('recusals 回避')
@Controller('api/recusals')
export class RecusalsController {
  constructor(private readonly recusals: RecusalsService) {}

  /**
   * Declarations, pending first, filtered (status, inspector, enterprise, department), one page
   * (X-Total-Count too): an admin sees all, a regulator those about its department's inspectors,
   * an inspector its own, an enterprise user its enterprise's requests (the inspector's name and
   * credential number only).
   */
  @Get()
  @Roles('admin', 'regulator', 'inspector', 'enterprise')
  @ApiOperation({ summary: '回避申报与申请 / recusal declarations' })
  @ApiOkResponse({ type: RecusalPageView })
  async list(
    @Query() q: ListRecusalsQuery,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecusalPageView> {
    const { items, total } = await this.recusals.list(q, user);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Declares a conflict, pending review: an inspector `{ enterpriseUscc, reason }` (申报); a
   * regulator `{ inspectorUserId, enterpriseUscc, reason, source: 'regulator' }` for its
   * department's inspectors (else 403, audited); an enterprise user `{ inspectorCredentialNo,
   * reason }` for its own enterprise (申请). 422 a field of another role, a missing one, an unknown
   * inspector or enterprise; 409 a pending or approved declaration of the pair exists. Audited
   * `recusal.create`.
   */
  @Post()
  @HttpCode(201)
  @Roles('regulator', 'inspector', 'enterprise')
  @ApiOperation({ summary: '回避申报 / 申请 / declare a conflict' })
  @ApiCreatedResponse({ type: RecusalView })
  @ApiUnprocessableEntityResponse({
    description: 'fields of another role, missing, unknown inspector or enterprise',
  })
  @ApiConflictResponse({ description: 'a pending or approved declaration of the pair exists' })
  create(
    @Body() dto: CreateRecusalDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<RecusalView> {
    return this.recusals.create(dto, user, actor);
  }

  /**
   * Decides a pending declaration `{ decision: 'approved'|'rejected', note }` (审核: 同意 / 驳回; a
   * note is required to reject). A regulator of the inspector's department only (others 403,
   * audited). 404 unknown; 409 already decided; 422 decision or note. Audited `recusal.review`.
   */
  @Post(':id/review')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ summary: '审核回避 / review a declaration' })
  @ApiOkResponse({ type: RecusalView })
  @ApiNotFoundResponse({ description: 'no such declaration' })
  @ApiConflictResponse({ description: 'already decided' })
  @ApiUnprocessableEntityResponse({ description: 'decision, or a rejection without a note' })
  review(
    @Param() p: RecusalIdParam,
    @Body() dto: ReviewRecusalDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<RecusalView> {
    return this.recusals.review(p.id, dto, user, actor);
  }
}
