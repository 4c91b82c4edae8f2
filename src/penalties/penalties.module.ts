import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express from 'express';
import { CreditModule } from '../credit/credit.module.js';
import { DecisionImportService } from './decisions/decision-import.service.js';
import {
  LenientEnforcementController,
  PenaltyDecisionsController,
} from './decisions/penalty-decisions.controller.js';
import { PenaltyDecisionsService } from './decisions/penalty-decisions.service.js';
import { RegimesModule } from './regimes/regimes.module.js';

/**
 * Penalty decisions and their credit-repair notices (双书同达, issue 13), lenient enforcement
 * lists. The CSV import takes the file itself as the body (text/csv, kept as bytes so GB18030
 * files are decoded by the CSV reader's own detection), at most 5 MB as the other imports.
 */
@Module({
  imports: [CreditModule, RegimesModule],
  controllers: [PenaltyDecisionsController, LenientEnforcementController],
  providers: [PenaltyDecisionsService, DecisionImportService],
  exports: [PenaltyDecisionsService],
})
export class PenaltiesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.raw({ type: ['text/csv', 'application/csv'], limit: '5mb' }))
      .forRoutes({ path: 'api/penalty-decisions/import', method: RequestMethod.POST });
  }
}
