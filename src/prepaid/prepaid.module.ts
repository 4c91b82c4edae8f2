import { Module } from '@nestjs/common';
import { PrepaidAlertsModule } from './alerts/alerts.module.js';
import { PrepaidEvaluationModule } from './evaluation/evaluation.module.js';
import { PrepaidIssuersModule } from './issuers/prepaid-issuers.module.js';

/**
 * Prepaid-consumption risk early warning (预付式消费风险预警, issue 14; domain.md 6): issuers and their
 * facts (issuers/), the daily evaluation under a versioned risk model (evaluation/), alerts and their
 * disposal (alerts/). This module only composes the sub-modules.
 */
@Module({
  imports: [PrepaidIssuersModule, PrepaidEvaluationModule, PrepaidAlertsModule],
  exports: [PrepaidIssuersModule],
})
export class PrepaidModule {}
