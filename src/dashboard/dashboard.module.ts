import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardService } from './dashboard.service.js';

/** The regulator home (驾驶舱): reads what the credit module stores, through its services. */
@Module({
  imports: [CreditModule],
  controllers: [DashboardController],
  providers: [DashboardService],
  exports: [DashboardService],
})
export class DashboardModule {}
