import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** The audit trail, available everywhere (every state change writes to it). */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
