import { Module } from '@nestjs/common';
import { CommitmentLetterController, DecisionDocumentsController } from './documents.controller.js';
import { DecisionDocumentsService } from './documents.service.js';

/**
 * The dual documents (双书同达, domain.md 3.5): the penalty decision and its credit-repair notice as
 * HTML and Chinese PDF, and the 信用承诺书 template. Exports the service for features that attach
 * the documents elsewhere (e.g. a delivery by e-mail).
 */
@Module({
  controllers: [DecisionDocumentsController, CommitmentLetterController],
  providers: [DecisionDocumentsService],
  exports: [DecisionDocumentsService],
})
export class DecisionDocumentsModule {}
