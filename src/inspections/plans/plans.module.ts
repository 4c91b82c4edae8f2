import { Module } from '@nestjs/common';
import { CreditModule } from '../../credit/credit.module.js';
import { PublicPlanPagesController, PublicPlansController } from '../public/public-plans.controller.js';
import { PublicPlansService } from '../public/public-plans.service.js';
import { PlansController } from './plans.controller.js';
import { PlansService } from './plans.service.js';

/**
 * Annual plans (年度抽查计划) and their public pages (一公开): the staff API (/api/plans), the
 * public JSON (/api/public/plans) and the server-rendered pages (/public/plans). PlansService is
 * exported for the draw (a batch's plan, its policy).
 */
@Module({
  imports: [CreditModule],
  controllers: [PlansController, PublicPlansController, PublicPlanPagesController],
  providers: [PlansService, PublicPlansService],
  exports: [PlansService, PublicPlansService],
})
export class PlansModule {}
