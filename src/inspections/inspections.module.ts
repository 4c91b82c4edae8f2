import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { DrawService } from './draw.service.js';
import { DrawsController } from './draws.controller.js';

@Module({
  imports: [CreditModule],
  controllers: [DrawsController],
  providers: [DrawService],
  exports: [DrawService],
})
export class InspectionsModule {}
