import { Module } from '@nestjs/common';
import { CreditModule } from '../../credit/credit.module.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';

/** Frequency alerts (频次预警) and the no-disturbance report (无事不扰). */
@Module({
  imports: [CreditModule],
  controllers: [AlertsController],
  providers: [AlertsService],
  exports: [AlertsService],
})
export class AlertsModule {}
