import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../auth/decorators.js';
import {
  VisitIdParam,
  VisitListQuery,
  VisitPageView,
  VisitReportQuery,
  VisitReportView,
  VisitView,
} from './dto/visit.dto.js';
import { VisitsService } from './visits.service.js';

/** Joint visits (综合查一次, 一表通查; domain.md 5.3). Staff of the bureau: admins and regulators. */
@ApiTags('joint visits 联合检查')
@Controller('api/joint-visits')
@Roles('admin', 'regulator')
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

  /**
   * Joint visits, newest window first (`{ items, total, page, pageSize }`, and X-Total-Count):
   * enterprise, lead department, shared window, status, task count, departments, joint. Filters:
   * status (default every status but cancelled), department, uscc, joint, from / to (windows
   * overlapping those days). 422 naming the parameter at fault.
   */
  @Get()
  @ApiOperation({ summary: '联合检查 / joint visits, one page' })
  @ApiOkResponse({ type: VisitPageView })
  @ApiUnprocessableEntityResponse({
    description: 'status, department, joint, from, to, page or pageSize, each named',
  })
  async list(@Query() q: VisitListQuery, @Res({ passthrough: true }) res: Response): Promise<VisitPageView> {
    const page = await this.visits.list(q);
    res.setHeader('X-Total-Count', String(page.total));
    return page;
  }

  /**
   * Visits saved by merging in a year (default this year): visits whose window starts in the year
   * (not cancelled), their tasks, joint visits, saved = tasks - visits, and by department: tasks,
   * tasks in joint visits, visits led, visits saved (a saving counted for each task beyond the lead
   * department's first task of a visit, so the departments add up to the total).
   */
  @Get('report')
  @ApiOperation({ summary: '联合检查成效 / visits saved by merging, by department' })
  @ApiOkResponse({ type: VisitReportView })
  @ApiUnprocessableEntityResponse({ description: 'year not an integer from 2000 to 2100' })
  report(@Query() q: VisitReportQuery): Promise<VisitReportView> {
    return this.visits.report(q.year);
  }

  /**
   * One visit: its tasks (items, assigned inspectors, the triggers of an event task), the combined
   * checklist 一表通查 (each item once with its legal basis, check method, requirements and the tasks
   * asking for it; the lead department's first; whether the visit must go on site) and every merge
   * with its reason. 404 unknown.
   */
  @Get(':id')
  @ApiOperation({ summary: '联合检查详情与一表通查 / one joint visit with its combined checklist' })
  @ApiOkResponse({ type: VisitView })
  @ApiNotFoundResponse({ description: 'no such visit' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  one(@Param() p: VisitIdParam): Promise<VisitView> {
    return this.visits.one(p.id);
  }
}
