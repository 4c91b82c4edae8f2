import { Module } from '@nestjs/common';
import { AlertsModule } from '../../inspections/alerts/alerts.module.js';
import {
  CodeRatingController,
  EnterpriseVisitsController,
  MyVisitsController,
  RatingsController,
} from './ratings.controller.js';
import { RatingsService } from './ratings.service.js';
import { VisitsService } from './visits.service.js';

/**
 * Ratings of inspections and an enterprise's inspections of a year (issue 12): the enterprise
 * rates a completed visit once, anonymously; the inspected department reads aggregates under the
 * anonymity rule, the supervising body reads them whole (docs/security.md "Ratings").
 */
@Module({
  imports: [AlertsModule],
  controllers: [CodeRatingController, RatingsController, EnterpriseVisitsController, MyVisitsController],
  providers: [RatingsService, VisitsService],
})
export class RatingsModule {}
