import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's logger for failed queries: the error and the statement (shortened) through the
 * service's logger, never the parameters (they can hold password hashes and personal data).
 */
export class QueryErrorLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');
  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    this.logger.warn(`query failed: ${message} (${query.replace(/\s+/g, ' ').slice(0, 200)})`);
  }
  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
