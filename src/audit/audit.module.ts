import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';
import { AuditCheckpointJob } from './checkpoint.job.js';

/** The audit trail, available everywhere (every state change writes to it), and its nightly signed checkpoint. */
@Global()
@Module({ providers: [AuditService, AuditCheckpointJob], exports: [AuditService] })
export class AuditModule {}
