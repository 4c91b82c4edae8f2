import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/decorators.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /**
   * 200 `{ status: 'ok', info: { database: { status: 'up' } } }` when the database answers within
   * 3 s; 503 `{ status: 'error', error: { database: { status: 'down', message } } }` otherwise.
   * The pool reconnects when the database returns; the service exits 1 when it stays away for
   * DATABASE_DOWN_EXIT_SECONDS (database-watchdog.ts, docs/security.md "When the database goes away"). Outside every
   * rate limit (http/throttling.ts isHealthCheck).
   */
  @Get()
  @ApiOperation({ summary: 'Database readiness (outside every rate limit)' })
  @Public({ rateLimited: false })
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 3000 })]);
  }
}
