import { Module } from '@nestjs/common';
import { CreditModule } from '../../credit/credit.module.js';
import { TriggersModule } from '../../inspections/triggers/triggers.module.js';
import { PrepaidAlertsController } from './alerts.controller.js';
import { PrepaidAlertsService } from './alerts.service.js';

/** Prepaid-risk alerts: lifecycle, disposals (on-site checks through the triggers), feedback, close. */
@Module({
  imports: [CreditModule, TriggersModule],
  controllers: [PrepaidAlertsController],
  providers: [PrepaidAlertsService],
  exports: [PrepaidAlertsService],
})
export class PrepaidAlertsModule {}
