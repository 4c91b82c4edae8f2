import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser, RequestActor, Roles } from '../../auth/decorators.js';
import {
  MyDecisionView,
  MyRecordPeriodView,
  ReminderIdParam,
  ReminderListView,
  ReminderView,
} from './dto/reminder.dto.js';
import { RemindersService } from './reminders.service.js';

/**
 * The enterprise's own page (企业专属网页, issue 13; domain.md 3.5): its penalty decisions with both
 * documents (双书同达), its records' publication periods, its reminders. Enterprise users only, and
 * only their own enterprise (the one their account acts for: no id of an enterprise in the path).
 */
@ApiTags('my 企业专属网页')
@Controller('api/my')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  /**
   * The enterprise's penalty decisions, newest first: periods (the rule behind each date), the
   * credit-repair notice or why none was needed, the deliveries, and the URLs of both PDFs.
   * 404 for an account linked to no enterprise.
   */
  @Get('penalty-decisions')
  @Roles('enterprise')
  @ApiOperation({ summary: '本企业的处罚决定与信用修复告知书 / my penalty decisions and notices' })
  @ApiOkResponse({ type: [MyDecisionView] })
  @ApiNotFoundResponse({ description: 'the account acts for no enterprise' })
  decisions(@CurrentUser() user: AuthUser): Promise<MyDecisionView[]> {
    return this.reminders.decisions(user);
  }

  /**
   * The publication window of each of the enterprise's penalty records that has one: start, last
   * day, earliest repair day, never ended early, repaired on, the state today and whether repair
   * may be applied for today. 404 for an account linked to no enterprise.
   */
  @Get('record-periods')
  @Roles('enterprise')
  @ApiOperation({ summary: '本企业信用记录的公示期 / my records’ publication periods' })
  @ApiOkResponse({ type: [MyRecordPeriodView] })
  @ApiNotFoundResponse({ description: 'the account acts for no enterprise' })
  recordPeriods(@CurrentUser() user: AuthUser): Promise<MyRecordPeriodView[]> {
    return this.reminders.recordPeriods(user);
  }

  /** The enterprise's reminders (the 200 newest) and the unread count. 404 for an account linked to no enterprise. */
  @Get('reminders')
  @Roles('enterprise')
  @ApiOperation({ summary: '消息提醒 / my reminders' })
  @ApiOkResponse({ type: ReminderListView })
  @ApiNotFoundResponse({ description: 'the account acts for no enterprise' })
  list(@CurrentUser() user: AuthUser): Promise<ReminderListView> {
    return this.reminders.list(user);
  }

  /**
   * Marks a reminder read (idempotent: the first time is kept; audited `enterprise_reminder.read`).
   * 404 for another enterprise's reminder or none; 422 id not a positive integer.
   */
  @Post('reminders/:id/read')
  @HttpCode(200)
  @Roles('enterprise')
  @ApiOperation({ summary: '标记已读 / mark a reminder read' })
  @ApiOkResponse({ type: ReminderView })
  @ApiNotFoundResponse({ description: 'no such reminder of this enterprise' })
  @ApiUnprocessableEntityResponse({ description: 'id not a positive integer' })
  markRead(
    @Param() p: ReminderIdParam,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<ReminderView> {
    return this.reminders.markRead(user, p.id, actor);
  }
}
