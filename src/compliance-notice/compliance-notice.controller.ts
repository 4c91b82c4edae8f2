import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../auth/decorators.js';
import { ComplianceNoticeService } from './compliance-notice.service.js';
import { ComplianceNoticeView } from './dto/compliance-notice.dto.js';

/** 新入经营主体合规告知 on the enterprise's own page (issue 13). */
@ApiTags('my 企业专属网页')
@Controller('api/my')
export class ComplianceNoticeController {
  constructor(private readonly notices: ComplianceNoticeService) {}

  /**
   * The compliance notice of the user's enterprise: the active inspection items applying to its
   * industry (an item listing no industry applies to all) with their requirements, by department,
   * and whether it is newly registered. 404 for an account linked to no enterprise.
   */
  @Get('compliance-notice')
  @Roles('enterprise')
  @ApiOperation({ summary: '新入经营主体合规告知 / the compliance notice for my industry' })
  @ApiOkResponse({ type: ComplianceNoticeView })
  @ApiNotFoundResponse({ description: 'the account acts for no enterprise' })
  notice(@CurrentUser() user: AuthUser): Promise<ComplianceNoticeView> {
    return this.notices.forUser(user);
  }
}
