import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '../../audit/actor.js';
import { RequestActor, Roles } from '../../auth/decorators.js';
import {
  KeyView,
  KidParam,
  RevocationView,
  RevokeKeyDto,
  RotateKeyDto,
  RotationView,
} from './dto/keys.dto.js';
import { KeysService } from './keys.service.js';

/**
 * The inspection codes' signing keys (检查码签名密钥; docs/check-code-format.md "密钥轮换与吊销"):
 * admins list, rotate and revoke them. Every change is audited and advisory-locked; other
 * instances of the service see it within KeysService.CACHE_MS (5 s).
 */
@ApiTags('check-codes 检查码')
@Controller('api/check-code-keys')
@Roles('admin')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  /** Every key, newest first, with its status, validity, reasons and the codes it signed. */
  @Get()
  @ApiOperation({ summary: '检查码签名密钥列表 / the signing keys' })
  @ApiOkResponse({ type: [KeyView] })
  list(): Promise<KeyView[]> {
    return this.keys.list();
  }

  /**
   * Rotation (轮换): a new active key; the old one retired (signs for 30 s more, for instances
   * that have not seen the rotation; verifies its codes until 90 days after, or its codes'
   * latest end when later). 422 a reason that is blank, too long or not storable. Audited
   * `check_code_key.rotate`.
   */
  @Post('rotate')
  @ApiOperation({ summary: '轮换签名密钥 / rotate: a new active key, the old one retired' })
  @ApiCreatedResponse({ type: RotationView })
  @ApiUnprocessableEntityResponse({ description: 'reason blank, too long or not storable' })
  rotate(@Body() dto: RotateKeyDto, @RequestActor() actor: Actor): Promise<RotationView> {
    return this.keys.rotate(actor, dto.reason ?? null);
  }

  /**
   * Revocation (吊销, the key is compromised): none of its codes is valid from now on (verdict
   * key_revoked; its issued and in-use codes are marked revoked with the reason); a new key is
   * made when it was the active one. 404 unknown kid; 409 revoked already; 422 kid malformed,
   * reason missing, blank or too long. Audited `check_code_key.revoke`.
   */
  @Post(':kid/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '吊销签名密钥 / revoke a key: its codes are not valid from now on' })
  @ApiOkResponse({ type: RevocationView })
  @ApiNotFoundResponse({ description: 'no such key' })
  @ApiConflictResponse({ description: 'revoked already' })
  @ApiUnprocessableEntityResponse({ description: 'kid malformed; reason missing, blank or too long' })
  revoke(
    @Param() p: KidParam,
    @Body() dto: RevokeKeyDto,
    @RequestActor() actor: Actor,
  ): Promise<RevocationView> {
    return this.keys.revoke(p.kid, dto.reason, actor);
  }
}
