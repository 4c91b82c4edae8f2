import { Module } from '@nestjs/common';
import { VisitsController } from './visits.controller.js';
import { VisitsService } from './visits.service.js';

/**
 * Joint visits (综合查一次): VisitsService.regroup is used by the draw (in its transaction, after
 * inserting the routine tasks) and by accepting an event trigger; import this module for it.
 */
@Module({
  controllers: [VisitsController],
  providers: [VisitsService],
  exports: [VisitsService],
})
export class VisitsModule {}
