import { Module } from '@nestjs/common';
import { ComplianceNoticeController } from './compliance-notice.controller.js';
import { ComplianceNoticeService } from './compliance-notice.service.js';

/**
 * 新入经营主体合规告知 (issue 13): its own folder rather than inside inspections/catalog, because it
 * is what the enterprise reads (the enterprise's page), not the item list's administration; it only
 * reads the item list and applies the same applicability rule (inspections/rules/item-applicability.ts).
 */
@Module({
  controllers: [ComplianceNoticeController],
  providers: [ComplianceNoticeService],
})
export class ComplianceNoticeModule {}
