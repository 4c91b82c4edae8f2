import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express from 'express';
import { CreditModule } from '../../credit/credit.module.js';
import { PrepaidImportService } from './prepaid-import.service.js';
import { PrepaidIssuersController } from './prepaid-issuers.controller.js';
import { PrepaidIssuersService } from './prepaid-issuers.service.js';

/**
 * Prepaid issuers and their facts (issue 14 "Data"): issuers, stores, payee accounts, reports,
 * signals; API, CSV imports and the CLI. Exports the service (the evaluation and the alerts read
 * issuers through it). The CSV imports take the file itself as the body (text/csv, kept as bytes so
 * GB18030 files are decoded by the CSV reader's own detection), at most 5 MB as the other imports.
 */
@Module({
  imports: [CreditModule],
  controllers: [PrepaidIssuersController],
  providers: [PrepaidIssuersService, PrepaidImportService],
  exports: [PrepaidIssuersService, PrepaidImportService],
})
export class PrepaidIssuersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.raw({ type: ['text/csv', 'application/csv'], limit: '5mb' }))
      .forRoutes({ path: 'api/prepaid/import/:kind', method: RequestMethod.POST });
  }
}
