import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AuditService } from './audit.service.js';

/**
 * Signs a checkpoint of the audit chain head every night at 02:30 Shanghai time (after the
 * nightly rescoring at 01:30 has written its entries; docs/security.md "Signed checkpoints").
 * Several instances each sign one: harmless, every checkpoint is checked. A broken chain is
 * not signed: the failure is logged as an error.
 */
@Injectable()
export class AuditCheckpointJob {
  private readonly logger = new Logger('AuditCheckpoint');

  constructor(private readonly audit: AuditService) {}

  @Cron('0 30 2 * * *', { name: 'audit-checkpoint', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    await this.audit
      .checkpoint()
      .catch((e: unknown) => this.logger.error(`audit checkpoint failed: ${(e as Error).message}`));
  }
}
