import { Module } from '@nestjs/common';
import { KeysService } from './keys/keys.service.js';
import { RefusalAudit } from './verification/refusal-audit.js';
import {
  VerificationController,
  VerificationPageController,
} from './verification/verification.controller.js';
import { VerificationService } from './verification/verification.service.js';

/**
 * Inspection codes (检查码, issue 12; domain.md 5.4): signing keys and the trust list, issuing,
 * verification (public page /v/<code> and JSON), check-in and check-out, ratings and statistics.
 * Sub-folders: rules (pure: format, check word, states), keys, codes (issue, revoke, check-in/out),
 * verification, ratings.
 */
@Module({
  controllers: [VerificationController, VerificationPageController],
  providers: [KeysService, VerificationService, RefusalAudit],
  exports: [KeysService, VerificationService],
})
export class CheckCodesModule {}
