import { Module } from '@nestjs/common';
import { PrepaidEvaluationController } from './evaluation.controller.js';
import { PrepaidEvaluationJob } from './evaluation.job.js';
import { EvaluationService } from './evaluation.service.js';
import { RiskModelsService } from './risk-models.service.js';

/** The prepaid evaluation: model versions, the daily job, explanations, trend, risk map. */
@Module({
  controllers: [PrepaidEvaluationController],
  providers: [EvaluationService, RiskModelsService, PrepaidEvaluationJob],
  exports: [EvaluationService, RiskModelsService, PrepaidEvaluationJob],
})
export class PrepaidEvaluationModule {}
