import { Controller, Get, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/decorators.js';
import { TrustListDoc } from './dto/keys.dto.js';
import { TrustListService } from './trust-list.service.js';

/** Seconds a client or proxy may keep the trust list without asking again. */
export const TRUST_LIST_MAX_AGE = 300;

/**
 * The trust list of the inspection codes' signing keys (信任列表, JC-TL/1;
 * docs/check-code-format.md "信任列表"), public, no sign-in: offline verifiers fetch it now and
 * then and judge codes with their copy. Outside the workbench's page fallback (http/web-pages.ts)
 * and under the general anonymous rate limit (THROTTLE_ANONYMOUS_LIMIT a minute per address: a
 * verifier fetches it at most every few minutes).
 */
@ApiTags('check-codes 检查码')
@Controller()
export class TrustListController {
  constructor(private readonly trustList: TrustListService) {}

  /**
   * The trust list at its well-known address (RFC 8615): `{ format: "JC-TL/1", issuer,
   * generatedAt, keys: [{ kid, alg, algName, status, publicKey (SPKI DER base64), publicKeyJwk,
   * validFrom, signsUntil, verifiesUntil, revokedAt }], signature: { alg, keyId, value } }`,
   * signed with the audit checkpoint key. `Cache-Control: public, max-age=300`, a weak ETag over
   * the keys (If-None-Match: 304 while they are unchanged), `Access-Control-Allow-Origin: *`.
   */
  @Get('.well-known/check-code-trust-list.json')
  @Public()
  @ApiOperation({ summary: '检查码信任列表（公开） / trust list of the code signing keys (well-known URL)' })
  @ApiOkResponse({ type: TrustListDoc })
  @ApiResponse({ status: 304, description: 'If-None-Match names the current ETag: the keys are unchanged' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of a copy held' })
  wellKnown(@Res() res: Response): Promise<void> {
    return this.send(res);
  }

  /** The same trust list under /api (same answer, same headers). */
  @Get('api/check-codes/trust-list')
  @Public()
  @ApiOperation({ summary: '检查码信任列表（公开） / trust list of the code signing keys' })
  @ApiOkResponse({ type: TrustListDoc })
  @ApiResponse({ status: 304, description: 'If-None-Match names the current ETag: the keys are unchanged' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of a copy held' })
  api(@Res() res: Response): Promise<void> {
    return this.send(res);
  }

  private async send(res: Response): Promise<void> {
    const { list, etag } = await this.trustList.current();
    // (the /api middleware said no-store: this document is public and meant to be kept)
    res.setHeader('Cache-Control', `public, max-age=${TRUST_LIST_MAX_AGE}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('ETag', etag);
    // express answers 304 itself when If-None-Match matches the ETag set here
    res.type('application/json').send(JSON.stringify(list));
  }
}
