import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { APP_CONFIG } from './config/config.token.js';
import { AppConfig } from './config/configuration.js';
import { CheckCodesModule } from './check-codes/check-codes.module.js';
import { ComplianceNoticeModule } from './compliance-notice/compliance-notice.module.js';
import { RemindersModule } from './credit-repair/reminders/reminders.module.js';
import { CreditModule } from './credit/credit.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DecisionDocumentsModule } from './penalties/documents/documents.module.js';
import { RepairApplicationsModule } from './credit-repair/applications/repair-applications.module.js';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from './database/data-source.js';
import { EnterprisesModule } from './enterprises/enterprises.module.js';
import { HealthController } from './health/health.controller.js';
import { ApiErrorFilter } from './http/api-errors.js';
import { IdempotencyInterceptor } from './http/idempotency.js';
import { CatalogModule } from './inspections/catalog/catalog.module.js';
import { InspectionsModule } from './inspections/inspections.module.js';
import { PlansModule } from './inspections/plans/plans.module.js';
import { TasksModule } from './inspections/tasks/tasks.module.js';
import { AlertsModule } from './inspections/alerts/alerts.module.js';
import { TriggersModule } from './inspections/triggers/triggers.module.js';
import { VisitsModule } from './inspections/visits/visits.module.js';
import { PlanDrawsModule } from './inspections/plan-draws/plan-draws.module.js';
import { PenaltiesModule } from './penalties/penalties.module.js';
import { PrepaidModule } from './prepaid/prepaid.module.js';
import { SettingsModule } from './settings/settings.module.js';

export interface AppModuleOptions {
  /** postgres:// URL (resolveDatabase decides it: DATABASE_URL or the embedded server). */
  databaseUrl: string;
  /** the validated configuration (loadConfig) */
  config: AppConfig;
  /** run scheduled jobs (the HTTP service; not the CLI) */
  scheduler?: boolean;
  /** connection attempts after the first fails (the service waits for a starting database; the CLI fails fast) */
  retryAttempts?: number;
}

/** Provides the validated configuration everywhere (APP_CONFIG). */
@Module({})
class ConfigTokenModule {
  static of(config: AppConfig): DynamicModule {
    return {
      module: ConfigTokenModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  /**
   * The whole application on one database; migrations run when the data source starts. The
   * global guard is AuthGuard (sign-in and roles, closed by default), the global interceptor
   * IdempotencyInterceptor (Idempotency-Key on writes); rate limits and the request
   * log are express middleware (http/http-app.ts).
   */
  static forRoot(opts: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigTokenModule.of(opts.config),
        ...(opts.scheduler ? [ScheduleModule.forRoot()] : []),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(opts.databaseUrl, !['error', 'fatal'].includes(opts.config.LOG_LEVEL)),
            retryAttempts: opts.retryAttempts ?? 9,
            retryDelay: 3000,
          }),
          // pending migrations, one process at a time (database/data-source.ts migrate)
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            try {
              await migrate(ds);
            } catch (e) {
              await ds.destroy();
              throw e;
            }
            return ds;
          },
        }),
        TerminusModule,
        AuditModule,
        SettingsModule,
        AuthModule,
        EnterprisesModule,
        CreditModule,
        InspectionsModule,
        CatalogModule,
        PlansModule,
        TasksModule,
        CheckCodesModule,
        VisitsModule,
        TriggersModule,
        AlertsModule,
        PlanDrawsModule,
        DashboardModule,
        DecisionDocumentsModule,
        PenaltiesModule,
        PrepaidModule,
        RemindersModule,
        ComplianceNoticeModule,
        RepairApplicationsModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
