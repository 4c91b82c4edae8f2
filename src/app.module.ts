import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiErrorFilter } from './http/api-errors.js';
import { CreditModule } from './credit/credit.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { EnterprisesModule } from './enterprises/enterprises.module.js';
import { HealthController } from './health/health.controller.js';
import { InspectionsModule } from './inspections/inspections.module.js';

export interface AppModuleOptions {
  /** postgres:// URL (resolveDatabase decides it: DATABASE_URL or the embedded server). */
  databaseUrl: string;
  /** connection attempts after the first fails (the service waits for a starting database; the CLI fails fast) */
  retryAttempts?: number;
}

@Module({})
export class AppModule {
  /** The whole application on one database; migrations run when the data source starts. */
  static forRoot(opts: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(opts.databaseUrl),
          retryAttempts: opts.retryAttempts ?? 9,
          retryDelay: 3000,
        }),
        TerminusModule,
        EnterprisesModule,
        CreditModule,
        InspectionsModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ApiErrorFilter }],
    };
  }
}
