import { Module } from '@nestjs/common';
import { EnterprisesModule } from '../enterprises/enterprises.module.js';
import { RegimesModule } from '../penalties/regimes/regimes.module.js';
import { CreditController } from './credit.controller.js';
import { CreditRecordsService } from './credit-records.service.js';
import { JinanImportService } from './import/jinan-import.service.js';
import { RecordImportService } from './import/record-import.service.js';
import { NightlyScoringJob } from './nightly-scoring.job.js';
import { ScoringRunsController } from './scoring-runs.controller.js';
import { CreditExplanationService } from './credit-explanation.service.js';
import { CreditHistoryService } from './credit-history.service.js';
import { ScorecardVersionsService } from './scorecard-versions.service.js';
import { ScoringService } from './scoring.service.js';

/** Every provider of the credit feature, each exported to the features that build on it. */
const SERVICES = [
  ScoringService,
  ScorecardVersionsService,
  CreditExplanationService,
  CreditHistoryService,
  CreditRecordsService,
  RecordImportService,
  JinanImportService,
  NightlyScoringJob,
];

@Module({
  imports: [EnterprisesModule, RegimesModule],
  controllers: [CreditController, ScoringRunsController],
  providers: SERVICES,
  exports: SERVICES,
})
export class CreditModule {}
