import { Module } from '@nestjs/common';
import { PublicationRegimesService } from './publication-regimes.service.js';
import { RegimesController } from './regimes.controller.js';

/**
 * The publication regimes as stored, for every feature that computes a decision's periods, and
 * their page's API (GET /api/publication-regimes, POST /api/publication-periods/preview).
 */
@Module({
  controllers: [RegimesController],
  providers: [PublicationRegimesService],
  exports: [PublicationRegimesService],
})
export class RegimesModule {}
