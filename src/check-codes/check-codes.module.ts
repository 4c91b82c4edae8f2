import { Module } from '@nestjs/common';
import { CheckCodesController, TaskCheckCodeController } from './codes/codes.controller.js';
import { CodesExpiryJob } from './codes/codes-expiry.job.js';
import { CodesService } from './codes/codes.service.js';
import { KeysController } from './keys/keys.controller.js';
import { KeysService } from './keys/keys.service.js';
import { RatingsModule } from './ratings/ratings.module.js';
import { TrustListController } from './keys/trust-list.controller.js';
import { TrustListService } from './keys/trust-list.service.js';
import { RefusalAudit } from './verification/refusal-audit.js';
import {
  VerificationController,
  VerificationPageController,
} from './verification/verification.controller.js';
import { VerificationService } from './verification/verification.service.js';

/**
 * Inspection codes (检查码, issue 12; domain.md 5.4): signing keys and the trust list, issuing,
 * verification (public page /v/<code> and JSON), check-in and check-out, ratings and statistics.
 * Sub-folders: rules (pure: format, verdict, trust list, check word, states), keys, codes (issue,
 * revoke, check-in/out), verification, ratings.
 */
@Module({
  imports: [RatingsModule],
  // express matches routes in the order they are registered: the controllers with fixed paths
  // under /api/check-codes (the trust list, /:code/verification) before CheckCodesController's GET :id
  controllers: [
    TrustListController,
    KeysController,
    TaskCheckCodeController,
    VerificationController,
    CheckCodesController,
    VerificationPageController,
  ],
  providers: [KeysService, TrustListService, CodesService, CodesExpiryJob, VerificationService, RefusalAudit],
  exports: [KeysService, TrustListService, CodesService, VerificationService],
})
export class CheckCodesModule {}
