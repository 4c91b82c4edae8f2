import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
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
  CreatePlanDto,
  PlanFormOptionsView,
  PlanIdParam,
  PlanListQuery,
  PlanPageView,
  PlanView,
  UpdatePlanDto,
} from './dto/plan.dto.js';
import { PlansService } from './plans.service.js';

const BODY_422 =
  'every field at fault, each named: year, title, leadDepartment, jointDepartments[i], scope, itemCodes / itemCodes[i] (unknown, inactive, repeated, not of a department of the plan), tiers[i].tier / tiers.<T> / tiers.<T>.ratio (0..1, 0 for the best tier) / tiers.<T>.yearlyCap (integer >= 0), batches / batches[i].name / .windowStart / .windowEnd (dates in the plan year, not overlapping)';

/**
 * Annual random-check plans (年度抽查计划, domain.md 5.1-5.2): drafts, publication, versions.
 * Reading: admins and regulators (every department's plans; the public reads published ones at
 * /api/public/plans). Changing: a regulator the plans its department leads, an admin any (403
 * audited `access.denied` otherwise). A published plan never changes (409; the database's trigger
 * holds it too): a change is a new version.
 */
@ApiTags('plans 年度抽查计划')
@Controller('api/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /**
   * Plans, newest year first (then plan number, latest version first), one page: `{ items, total,
   * page, pageSize }` and X-Total-Count. Filters: `year`, `status` (draft, published, superseded),
   * `department` (leads or joins).
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '年度抽查计划列表 / annual plans' })
  @ApiOkResponse({ type: PlanPageView, description: 'one page; X-Total-Count header: every match' })
  @ApiUnprocessableEntityResponse({ description: 'year, status, department, page or pageSize' })
  async list(@Query() q: PlanListQuery, @Res({ passthrough: true }) res: Response): Promise<PlanPageView> {
    const { items, total } = await this.plans.list(
      { year: q.year, status: q.status, department: q.department },
      q.page,
      q.pageSize,
    );
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * What the plan editor offers: the active scorecard's tiers (best first) with their labels and
   * the default policy (domain.md 5.2: A 0, B 5 %, C 20 %, D 60 %, at most 2 a year), the
   * departments that may lead or join, and the active items of the item list.
   */
  @Get('form-options')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '计划编辑选项 / tiers with default policy, departments, active items' })
  @ApiOkResponse({ type: PlanFormOptionsView })
  formOptions(): Promise<PlanFormOptionsView> {
    return this.plans.formOptions();
  }

  /**
   * A new draft plan (version 1, plan number `<year>-<lead>-<seq>`), audited
   * `inspection_plan.create`. Without `tiers`, the default policy. 422 names every field at fault;
   * 403 (audited) a regulator creating a plan another department leads.
   */
  @Post()
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '新建年度抽查计划 (草稿) / create a draft plan' })
  @ApiCreatedResponse({ type: PlanView })
  @ApiUnprocessableEntityResponse({ description: BODY_422 })
  create(@Body() dto: CreatePlanDto, @RequestActor() actor: Actor): Promise<PlanView> {
    return this.plans.create({ ...dto }, actor);
  }

  /** One plan with its items, tier policy and batches (each with its draw, when there is one). 404 unknown. */
  @Get(':id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '年度抽查计划详情 / one plan' })
  @ApiOkResponse({ type: PlanView })
  @ApiNotFoundResponse({ description: 'no such plan' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  one(@Param() p: PlanIdParam): Promise<PlanView> {
    return this.plans.one(p.id);
  }

  /**
   * Changes a draft: fields given replace the draft's (a list replaces the whole list); the whole
   * plan is checked again (422 by field). 409 a published or superseded plan (a change is a new
   * version); 403 (audited) outside the lead department; 404 unknown. Audited
   * `inspection_plan.update` with before and after.
   */
  @Patch(':id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '修改草稿计划 / change a draft plan' })
  @ApiOkResponse({ type: PlanView })
  @ApiNotFoundResponse({ description: 'no such plan' })
  @ApiConflictResponse({ description: 'the plan is published or superseded' })
  @ApiUnprocessableEntityResponse({ description: BODY_422 })
  update(
    @Param() p: PlanIdParam,
    @Body() dto: UpdatePlanDto,
    @RequestActor() actor: Actor,
  ): Promise<PlanView> {
    return this.plans.update(p.id, { ...dto }, actor);
  }

  /** Deletes a draft (204). 409 published or superseded; 403 (audited); 404. Audited `inspection_plan.delete`. */
  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '删除草稿计划 / delete a draft plan' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiNotFoundResponse({ description: 'no such plan' })
  @ApiConflictResponse({ description: 'the plan is published or superseded' })
  async remove(@Param() p: PlanIdParam, @RequestActor() actor: Actor): Promise<void> {
    await this.plans.remove(p.id, actor);
  }

  /**
   * Publishes a draft: checked again against today's items and scorecard (422 by field), stamped,
   * `late` when after March 31 of its year (Asia/Shanghai; 上海市优化营商环境条例 art. 62); the version
   * it replaces becomes superseded. Public from then on (/public/plans/:id). 409 already
   * published; 403 (audited); 404. Audited `inspection_plan.publish`.
   */
  @Post(':id/publish')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '发布年度抽查计划 / publish a draft plan' })
  @ApiOkResponse({ type: PlanView })
  @ApiNotFoundResponse({ description: 'no such plan' })
  @ApiConflictResponse({ description: 'already published or superseded' })
  @ApiUnprocessableEntityResponse({
    description: 'the plan no longer passes the rules (e.g. an item made inactive), by field',
  })
  publish(@Param() p: PlanIdParam, @RequestActor() actor: Actor): Promise<PlanView> {
    return this.plans.publish(p.id, actor);
  }

  /**
   * A new draft version of a published plan (same plan number, version + 1, `replacesId` set, a
   * copy of everything but the draws). 409 a draft, a superseded version, or a draft version
   * already open; 403 (audited); 404. Audited `inspection_plan.version`.
   */
  @Post(':id/versions')
  @HttpCode(201)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '新建计划版本 / a new draft version of a published plan' })
  @ApiCreatedResponse({ type: PlanView })
  @ApiNotFoundResponse({ description: 'no such plan' })
  @ApiConflictResponse({ description: 'a draft, a superseded version, or a draft version already open' })
  newVersion(@Param() p: PlanIdParam, @RequestActor() actor: Actor): Promise<PlanView> {
    return this.plans.newVersion(p.id, actor);
  }
}
