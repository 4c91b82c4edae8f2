import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import {
  MyTasksQuery,
  RecordedResultView,
  RecordResultDto,
  TaskIdParam,
  TaskListQuery,
  TaskPageView,
  TaskView,
} from './dto/task.dto.js';
import { TasksService } from './tasks.service.js';

/** Inspection tasks (检查任务): the board, one task, its result. */
@ApiTags('tasks 检查任务')
@Controller('api/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /**
   * The task board: `{ items, total, page, pageSize }` (and X-Total-Count), by window end then id.
   * Filters (AND): status, kind, department, planId, batchId, uscc, inspector (user id assigned),
   * from/to (the window overlaps [from, to], days), overdue (true/false). 422 naming the filter at
   * fault (`to` before `from`).
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '检查任务 / the task board, filtered, one page' })
  @ApiOkResponse({ type: TaskPageView })
  @ApiUnprocessableEntityResponse({ description: 'a filter or paging value, each named' })
  async list(@Query() q: TaskListQuery, @Res({ passthrough: true }) res: Response): Promise<TaskPageView> {
    const { items, total } = await this.tasks.list(q);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * One task: the enterprise's particulars (name, USCC, address, street, industry, status), items
   * with legal basis and requirements, the joint visit with its combined checklist (一表通查) and
   * lead department, inspectors (name, credential number, department, role), an event task's
   * triggers (every reason), window, status, result, and `canRecord` for the signed-in user.
   * An inspector reads the tasks it is assigned to and the other tasks of their joint visits;
   * another task answers 403 (audited `access.denied`). 404 unknown task.
   */
  @Get(':id')
  @Roles('admin', 'regulator', 'inspector')
  @ApiOperation({ summary: '检查任务详情 / one task with its checklist, enterprise and inspectors' })
  @ApiOkResponse({ type: TaskView })
  @ApiNotFoundResponse({ description: 'no such task' })
  @ApiForbiddenResponse({
    description: 'an inspector not assigned to the task nor to its joint visit (audited)',
  })
  one(
    @Param() p: TaskIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<TaskView> {
    return this.tasks.one(p.id, user, actor);
  }

  /**
   * Records the task's result (one per task): `{ outcome, findings, correctionDeadline, note }`.
   * In one transaction: the task completed, the enterprise's `inspection_result` credit record
   * (source key `planning/task:<id>`) and its rescoring, the joint visit completed when all its
   * tasks are, the audit entries. 201 with `{ task, creditRecordId, score: { previousScore,
   * previousTier, score, tier } }`.
   * 403 (audited `access.denied`) not an inspector assigned to the task; 409 a result already
   * recorded, a cancelled or replaced task, or its window not open yet; 422 every field at fault
   * (outcome, findings (required for problems_found only), findings[i].itemCode (an item of the
   * task), findings[i].finding, correctionDeadline (problems_found only, after today), note);
   * 404 unknown task; 503 a full rescoring is running (nothing stored).
   * Rule: tasks/rules/task-result.ts resultRefusal and checkTaskResult (issue 11 "Results").
   */
  @Post(':id/result')
  @HttpCode(201)
  @Roles('inspector')
  @ApiOperation({ summary: '记录检查结果 / record the result (credit record and rescoring at once)' })
  @ApiCreatedResponse({ type: RecordedResultView })
  @ApiNotFoundResponse({ description: 'no such task' })
  @ApiForbiddenResponse({ description: 'not an inspector assigned to this task (audited)' })
  @ApiConflictResponse({ description: 'already has a result; cancelled or replaced; window not open yet' })
  @ApiUnprocessableEntityResponse({ description: 'every field at fault, named (findings[i].itemCode...)' })
  @ApiServiceUnavailableResponse({
    description: 'a full rescoring holds the scoring lock: nothing stored, retry',
  })
  record(
    @Param() p: TaskIdParam,
    @Body() dto: RecordResultDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<RecordedResultView> {
    return this.tasks.recordResult(p.id, dto, user, actor);
  }
}

/** The signed-in inspector's own tasks (我的任务). */
@ApiTags('tasks 检查任务')
@Controller('api/my/tasks')
export class MyTasksController {
  constructor(private readonly tasks: TasksService) {}

  /**
   * The signed-in inspector's tasks (assigned to it): `when` today (window includes today), week
   * (window overlaps today to Sunday), overdue (open, window ended), open (default), done (with a
   * result, newest first); `{ items, total, page, pageSize }` and X-Total-Count.
   */
  @Get()
  @Roles('inspector')
  @ApiOperation({ summary: '我的任务 / my tasks: today, this week, overdue, open, done' })
  @ApiOkResponse({ type: TaskPageView })
  @ApiUnprocessableEntityResponse({ description: 'when, page or pageSize' })
  async mine(
    @Query() q: MyTasksQuery,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskPageView> {
    const { items, total } = await this.tasks.mine(user.id, q.when, q.page, q.pageSize);
    res.setHeader('X-Total-Count', String(total));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }
}
