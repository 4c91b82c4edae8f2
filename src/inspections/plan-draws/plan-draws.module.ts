import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { VisitsModule } from '../visits/visits.module.js';
import { PlanDrawBatchesController, PlanDrawsController } from './plan-draws.controller.js';
import { PlanDrawsService } from './plan-draws.service.js';
import { PublicDrawsController } from './public-draws.controller.js';

/** The draw of a plan's batch: API, public page, CLI service. */
@Module({
  imports: [AuthModule, VisitsModule],
  controllers: [PlanDrawsController, PlanDrawBatchesController, PublicDrawsController],
  providers: [PlanDrawsService],
  exports: [PlanDrawsService],
})
export class PlanDrawsModule {}
