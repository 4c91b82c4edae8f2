import { Module } from '@nestjs/common';
import { VisitsModule } from '../visits/visits.module.js';
import { TriggersController } from './triggers.controller.js';
import { TriggersService } from './triggers.service.js';

/** Event-triggered checks (事件触发式检查): proposals, acceptance into tasks, dismissal. */
@Module({
  imports: [VisitsModule],
  controllers: [TriggersController],
  providers: [TriggersService],
  exports: [TriggersService],
})
export class TriggersModule {}
