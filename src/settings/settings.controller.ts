import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Actor } from '../audit/actor.js';
import { RequestActor, Roles } from '../auth/decorators.js';
import { SettingsView, UpdateSettingsDto } from './dto/settings.dto.js';
import { SettingsService } from './settings.service.js';

/** Bureau-wide settings (系统设置): admins only. */
@ApiTags('settings 系统设置')
@Controller('api/settings')
@Roles('admin')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  /**
   * The settings: `{ sessionIdleMinutes (5..480, default 30), enterpriseTierVisible (default false),
   * triggerMergeWindowDays (calendar days 0..365, default 30), eventTaskWindowDays (calendar days
   * 1..365, default 15), inspectorNoFindingStreak (results 2..50, default 3) }`.
   */
  @Get()
  @ApiOperation({ summary: '系统设置 / the bureau settings' })
  @ApiOkResponse({ type: SettingsView })
  get(): Promise<SettingsView> {
    return this.settings.get();
  }

  /**
   * Changes any of the settings; answers all of them. 422 naming the field (idle minutes not a
   * whole number from 5 to 480, visibility not a boolean, an unknown field, nothing given).
   * Audited (`setting.update`, before and after). A shorter idle timeout applies to live sessions
   * at their next request.
   */
  @Patch()
  @ApiOperation({ summary: '修改系统设置 / change the bureau settings' })
  @ApiOkResponse({ type: SettingsView })
  @ApiUnprocessableEntityResponse({ description: 'a setting out of range or of the wrong type, named' })
  update(@Body() dto: UpdateSettingsDto, @RequestActor() actor: Actor): Promise<SettingsView> {
    return this.settings.update(dto, actor);
  }
}
