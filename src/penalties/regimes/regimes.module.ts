import { Module } from '@nestjs/common';
import { PublicationRegimesService } from './publication-regimes.service.js';

/** The publication regimes as stored, for every feature that computes a decision's periods. */
@Module({ providers: [PublicationRegimesService], exports: [PublicationRegimesService] })
export class RegimesModule {}
