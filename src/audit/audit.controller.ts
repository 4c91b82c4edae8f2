import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../auth/decorators.js';
import { ScopeService } from '../auth/scope.service.js';
import { AuditService } from './audit.service.js';

/** Query of GET /api/audit. */
export class AuditQueryDto {
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

  @ApiPropertyOptional({ description: 'user id of the actor' })
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

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize: number = 50;
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
  list(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser) {
    return this.audit.list({ ...q, department: this.scope.auditDepartment(user) });
  }

  /**
   * Walks the hash chain and reports `{ ok, entries, head: { seq, hash }, broken?: { seq, reason } }`
   * (the same check as CLI `audit verify`).
   */
  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: '校验审计链 / verify the audit hash chain' })
  verify() {
    return this.audit.verify();
  }
}
