import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../../auth/decorators.js';
import { AlertsService } from './alerts.service.js';
import { AlertsQuery, AlertsView, NoDisturbanceQuery, NoDisturbanceView } from './dto/alerts.dto.js';

/**
 * Frequency alerts (频次预警) and the no-disturbance report (无事不扰). Staff of the bureau (admins,
 * regulators): the alerts name tiers, which are not public (domain.md 4).
 */
@ApiTags('inspection alerts 频次预警与无事不扰')
@Controller('api')
@Roles('admin', 'regulator')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /**
   * The frequency alerts of a year (default this year): enterprises over the yearly cap of their
   * tier (routine checks only: event-triggered checks are not capped), repeat visits (more than 1
   * a day, 2 in 7 days, 3 in a calendar month; a joint visit is one visit), and inspectors whose
   * latest checks of one enterprise found nothing inspectorNoFindingStreak (setting, 3) times in a
   * row, to review. Rules: inspections/rules/frequency-alerts.ts. 422 a bad year.
   */
  @Get('inspection-alerts')
  @ApiOperation({ summary: '频次预警 / frequency alerts: over the cap, repeat visits, inspectors to review' })
  @ApiOkResponse({ type: AlertsView })
  @ApiUnprocessableEntityResponse({ description: 'year not an integer from 2000 to 2100' })
  list(@Query() q: AlertsQuery): Promise<AlertsView> {
    return this.alerts.alerts(q.year);
  }

  /**
   * 无事不扰: every task made in the period (default 1 January to today) on an enterprise of the
   * best tier (A) when it was made, by kind, with its triggers; a routine task or an event task
   * without a trigger is a violation, every one listed by id, and `summary` / `summaryZh` say the
   * finding in words ("0 violations: ..." when none). 422 a bad date, or `to` before `from`.
   */
  @Get('reports/no-disturbance')
  @ApiOperation({ summary: '无事不扰报告 / no task on a tier-A enterprise without a trigger' })
  @ApiOkResponse({ type: NoDisturbanceView })
  @ApiUnprocessableEntityResponse({ description: 'from, to (a date; not before from), page, pageSize' })
  noDisturbance(@Query() q: NoDisturbanceQuery): Promise<NoDisturbanceView> {
    return this.alerts.noDisturbance(q);
  }
}
