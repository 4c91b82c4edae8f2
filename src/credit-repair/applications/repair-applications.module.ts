import { Module } from '@nestjs/common';
import { CreditModule } from '../../credit/credit.module.js';
import { RepairApplicationsController } from './repair-applications.controller.js';
import { RepairApplicationsService } from './repair-applications.service.js';

/** Credit-repair applications (信用修复申请) and the results shared with Credit China. */
@Module({
  imports: [CreditModule],
  controllers: [RepairApplicationsController],
  providers: [RepairApplicationsService],
  exports: [RepairApplicationsService],
})
export class RepairApplicationsModule {}
