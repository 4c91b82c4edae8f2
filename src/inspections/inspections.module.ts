import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { DrawService } from './draw.service.js';

@Module({
  imports: [CreditModule],
  providers: [DrawService],
  exports: [DrawService],
})
export class InspectionsModule {}
