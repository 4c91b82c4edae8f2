import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, systemActor } from '../../audit/actor.js';
import { pgPool } from '../../database/pg-pool.js';
import { CodesService } from './codes.service.js';

/** Session advisory lock: one expiry run at a time across every service instance. */
const EXPIRY_LOCK = 'check_code_expiry';

/**
 * Code expiry (issue 12 "States ... expired"): every 10 minutes, issued and in-use codes past their
 * not_after are marked expired (CodesService.expireDue), under a PostgreSQL advisory lock so that
 * with several instances one runs and the others skip. The verdict rule treats such a code as
 * expired by its time anyway; the job makes the stored state (lists, pages) say so and frees the
 * visit for a new code. Runs wherever the scheduler runs (the HTTP service); cheap: one query on
 * check_code_status_idx.
 */
@Injectable()
export class CodesExpiryJob {
  private readonly logger = new Logger('CheckCodeExpiry');

  constructor(
    private readonly codes: CodesService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Cron('0 */10 * * * *', { name: 'check-code-expiry', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    await this.run().catch((e: unknown) =>
      this.logger.error(`check-code expiry failed: ${(e as Error).message}`),
    );
  }

  /** One run. @returns codes marked expired, or null when another instance holds the lock */
  async run(actor: Actor = systemActor('scheduler'), nowMs = Date.now()): Promise<number | null> {
    const client = await pgPool(this.dataSource).connect();
    try {
      const [{ locked }] = (
        await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [EXPIRY_LOCK])
      ).rows;
      if (!locked) return null;
      try {
        const n = await this.codes.expireDue(actor, nowMs);
        if (n) this.logger.log(`${n} check code(s) expired`);
        return n;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [EXPIRY_LOCK]);
      }
    } finally {
      client.release();
    }
  }
}
