import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators.js';
import { DashboardView } from './dashboard.dto.js';
import { DashboardService } from './dashboard.service.js';

@ApiTags('dashboard 驾驶舱')
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /**
   * The regulator home (驾驶舱): the active scorecard's tiers with labels (best first), the last
   * full run with its tier counts and shares, the trend (last full run of each of the last 12
   * months, by as-of date, oldest first), this month's tier changes by (from, to) (Asia/Shanghai),
   * the 5 newest full runs, and the moves to the worst tier this month (count and the 10 newest,
   * each with its 3 top reasons). From stored run counts and indexed tier changes: no full scan.
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '驾驶舱 / the regulator home' })
  @ApiOkResponse({ type: DashboardView })
  get(): Promise<DashboardView> {
    return this.dashboard.dashboard();
  }
}
