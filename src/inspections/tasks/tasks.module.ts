import { Module } from '@nestjs/common';
import { CheckCodesModule } from '../../check-codes/check-codes.module.js';
import { CreditModule } from '../../credit/credit.module.js';
import { MyTasksController, TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

/** Inspection tasks: the board, an inspector's tasks, results (issue 11, H4). */
@Module({
  imports: [CreditModule, CheckCodesModule],
  controllers: [TasksController, MyTasksController],
  providers: [TasksService],
  exports: [TasksService],
})
export class TasksModule {}
