import { Module } from '@nestjs/common';
import { RemindersController } from './reminders.controller.js';
import { RemindersJob } from './reminders.job.js';
import { RemindersService } from './reminders.service.js';

/**
 * The enterprise's own page (企业专属网页, issue 13): its decisions and both documents, its records'
 * publication periods, its reminders, and the daily job creating them (each exactly once).
 */
@Module({
  controllers: [RemindersController],
  providers: [RemindersService, RemindersJob],
  exports: [RemindersService, RemindersJob],
})
export class RemindersModule {}
