import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express from 'express';
import {
  CATALOG_CSV_LIMIT,
  InspectionItemsController,
  InspectorsController,
  RecusalsController,
} from './catalog.controllers.js';
import { TriggersModule } from '../triggers/triggers.module.js';
import { ItemsService } from './items.service.js';
import { RecusalsService } from './recusals.service.js';
import { RosterService } from './roster.service.js';

/**
 * One list and two rosters' first two parts (一单两库, domain.md 5.1): the inspection item list,
 * the inspector roster and recusal declarations. The CSV imports take the file itself as the
 * body (text/csv, kept as bytes so GB18030 files are decoded by the importers' own detection).
 */
@Module({
  imports: [TriggersModule],
  controllers: [InspectionItemsController, InspectorsController, RecusalsController],
  providers: [ItemsService, RosterService, RecusalsService],
  exports: [ItemsService, RosterService, RecusalsService],
})
export class CatalogModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.raw({ type: ['text/csv', 'application/csv'], limit: CATALOG_CSV_LIMIT }))
      .forRoutes(
        { path: 'api/inspection-items/import', method: RequestMethod.POST },
        { path: 'api/inspectors/import', method: RequestMethod.POST },
      );
  }
}
