import { Module } from '@nestjs/common';
import { EnterprisesController } from './enterprises.controller.js';
import { EnterprisesService } from './enterprises.service.js';
import { RegisterImportService } from './import/register-import.service.js';

@Module({
  controllers: [EnterprisesController],
  providers: [EnterprisesService, RegisterImportService],
  exports: [EnterprisesService, RegisterImportService],
})
export class EnterprisesModule {}
