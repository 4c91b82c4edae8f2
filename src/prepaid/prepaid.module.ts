import { Module } from '@nestjs/common';

/**
 * Prepaid-consumption risk early warning (预付式消费风险预警, issue 14; domain.md 6): issuers and their
 * facts (issuers/), the daily evaluation under a versioned risk model (evaluation/), alerts and their
 * disposal (alerts/). This module only composes the sub-modules.
 */
@Module({
  imports: [],
})
export class PrepaidModule {}
