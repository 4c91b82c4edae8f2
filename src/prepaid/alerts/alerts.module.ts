import { Module } from '@nestjs/common';
import { CreditModule } from '../../credit/credit.module.js';
import { TriggersModule } from '../../inspections/triggers/triggers.module.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';

/** Prepaid-risk alerts: lifecycle, disposals (on-site checks through the triggers), feedback, close. */
@Module({
  imports: [CreditModule, TriggersModule],
  controllers: [AlertsController],
  providers: [AlertsService],
  exports: [AlertsService],
})
export class PrepaidAlertsModule {}
