import { Module } from '@nestjs/common';
import { KeysController } from './keys/keys.controller.js';
import { KeysService } from './keys/keys.service.js';
import { TrustListController } from './keys/trust-list.controller.js';
import { TrustListService } from './keys/trust-list.service.js';

/**
 * Inspection codes (检查码, issue 12; domain.md 5.4): signing keys and the trust list, issuing,
 * verification (public page /v/<code> and JSON), check-in and check-out, ratings and statistics.
 * Sub-folders: rules (pure: format, verdict, trust list, check word, states), keys, codes (issue,
 * revoke, check-in/out), verification, ratings.
 */
@Module({
  // the trust list's GET /api/check-codes/trust-list before any GET /api/check-codes/:param route
  controllers: [TrustListController, KeysController],
  providers: [KeysService, TrustListService],
  exports: [KeysService, TrustListService],
})
export class CheckCodesModule {}
