import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Public, Roles } from '../auth/decorators.js';
import { ScopeService } from '../auth/scope.service.js';
import { AuditService } from './audit.service.js';
import { PageOf, PageQuery } from '../http/paging.js';

/** Query of GET /api/audit. */
export class AuditQueryDto extends PageQuery(50, 500) {
  @ApiPropertyOptional({ example: 'enterprise' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'user id of the actor' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  actorId?: number;

  @ApiPropertyOptional({ description: 'actor name: a username, or cli:<os user>' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;

  @ApiPropertyOptional({ example: 'credit_record.create' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ description: 'from this instant (ISO 8601), inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'before this instant (ISO 8601), exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** One audit entry as the API shows it. */
export class AuditEntryDoc {
  @ApiProperty({ description: '1, 2, 3… without gaps' }) seq!: number;
  @ApiProperty({ description: 'instant, UTC, microseconds' }) at!: string;
  @ApiProperty({ type: 'integer', nullable: true }) actorId!: number | null;
  @ApiProperty({ example: 'demo-regulator', description: 'username, or cli:<os user>, startup' })
  actor!: string;
  @ApiProperty({ example: 'regulator' }) actorRole!: string;
  @ApiProperty({ type: String, nullable: true, example: 'market' }) actorDepartment!: string | null;
  @ApiProperty({ example: 'credit_record.create' }) action!: string;
  @ApiProperty({ example: 'credit_record' }) entityType!: string;
  @ApiProperty({ type: String, nullable: true }) entityId!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) before!: unknown;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) after!: unknown;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256 of [before, after] when too large to store',
  })
  payloadDigest!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request' }) requestId!:
    string | null;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

/** Answer of GET /api/audit. */
export class AuditPage extends PageOf(AuditEntryDoc) {}

/** Answer of GET /api/audit/verify. */
export class ChainReportDoc {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'entries checked' }) entries!: number;
  @ApiProperty({ example: { seq: 120, hash: '3f0c…(64 hex)' }, description: 'the last intact entry' })
  head!: { seq: number; hash: string };
  @ApiPropertyOptional({ example: { seq: 57, reason: 'stored hash does not match its content (edited?)' } })
  broken?: { seq: number; reason: string };
  @ApiProperty({ description: 'signed checkpoints checked (table and file, each once)' })
  checkpoints!: number;
  @ApiProperty({
    nullable: true,
    example: { seq: 118, hash: '9a1b…(64 hex)', at: '2026-12-01T18:30:00.012Z' },
    description: 'the newest signed checkpoint',
  })
  latestCheckpoint!: { seq: number; hash: string; at: string } | null;
}

/** Answer of GET /api/audit/checkpoint-key. */
export class CheckpointKeyDoc {
  @ApiProperty({ description: 'Ed25519 public key (SPKI, PEM)' }) publicKey!: string;
  @ApiProperty({
    example: '3b9f0c1d2e4a5b6c',
    description: 'first 16 hex of the SHA-256 of the key (SPKI DER)',
  })
  keyId!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
}

@ApiTags('audit 审计留痕')
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * Audit entries, newest first, filtered by entity, actor, action and time, paginated
   * (`{ items, total, page, pageSize }`; each item with its seq, prev_hash and hash). Admins see
   * every entry; a regulator sees the entries of its department's users.
   */
  @Get()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '审计日志 / audit trail entries (admin: all; regulator: own department)' })
  @ApiOkResponse({ type: AuditPage })
  @ApiUnprocessableEntityResponse({ description: 'a filter is malformed' })
  list(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser) {
    return this.audit.list({ ...q, department: this.scope.auditDepartment(user) });
  }

  /**
   * Walks the hash chain and checks it against every signed checkpoint; reports `{ ok, entries,
   * head: { seq, hash }, broken?: { seq, reason }, checkpoints, latestCheckpoint }` (the same check
   * as CLI `audit verify`). A forged checkpoint, a checkpoint whose entry has another hash, or a
   * chain ending before a checkpoint is `broken`, naming it.
   */
  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: '校验审计链 / verify the audit hash chain against its signed checkpoints' })
  @ApiOkResponse({ type: ChainReportDoc })
  verify() {
    return this.audit.verify();
  }

  /**
   * The public key that checks the signed audit checkpoints (Ed25519, SPKI PEM, with its key id):
   * public, so anyone holding copies of checkpoints can check them without the service.
   */
  @Get('checkpoint-key')
  @Public()
  @ApiOperation({ summary: '审计检查点公钥 / public key of the signed audit checkpoints' })
  @ApiOkResponse({ type: CheckpointKeyDoc })
  checkpointKey() {
    return this.audit.checkpointKey();
  }
}
