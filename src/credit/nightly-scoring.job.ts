import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, systemActor } from '../audit/actor.js';
import { todayInShanghai } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { pgPool } from '../database/pg-pool.js';
import { CreditHistoryService } from './credit-history.service.js';
import { ScoringService } from './scoring.service.js';

/** Session advisory lock: one nightly run at a time across every service instance. */
const NIGHTLY_LOCK = 'nightly_scoring';

/**
 * The nightly reclassification (docs/scoring.md): at 01:30 Shanghai time, rescore everyone as of
 * today with the active scorecard; on the first night of a month (or whenever the month has no
 * snapshot yet), take the monthly snapshot. Guarded by a PostgreSQL advisory lock, so with
 * several instances only one runs; the others skip. Off when NIGHTLY_SCORING=off.
 */
@Injectable()
export class NightlyScoringJob {
  private readonly logger = new Logger('NightlyScoring');

  constructor(
    private readonly scoring: ScoringService,
    private readonly judgements: CreditHistoryService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron('0 30 1 * * *', { name: 'nightly-scoring', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    if (this.config.NIGHTLY_SCORING === 'off') return;
    await this.run().catch((e: unknown) =>
      this.logger.error(`nightly scoring failed: ${(e as Error).message}`),
    );
  }

  /**
   * One nightly run. @returns what it did, or null when another instance holds the lock
   */
  async run(
    today: string = todayInShanghai(),
    actor: Actor = systemActor('scheduler'),
  ): Promise<{ enterprises: number; snapshot: string | null } | null> {
    const client = await pgPool(this.dataSource).connect();
    try {
      const [{ locked }] = (
        await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [NIGHTLY_LOCK])
      ).rows;
      if (!locked) {
        this.logger.log('another instance is running the nightly scoring: skipped');
        return null;
      }
      try {
        const run = await this.scoring.rescoreAll(today, undefined, actor);
        const [{ has }] = await this.dataSource.query(
          `SELECT EXISTS (SELECT 1 FROM credit_snapshot WHERE month = date_trunc('month', $1::date)::date) AS has`,
          [today],
        );
        const snapshot = has ? null : (await this.judgements.takeSnapshot(today, actor)).month;
        this.logger.log(
          `nightly scoring: ${run.enterprises} enterprises as of ${today}${snapshot ? `, snapshot ${snapshot}` : ''}`,
        );
        return { enterprises: run.enterprises, snapshot };
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [NIGHTLY_LOCK]);
      }
    } finally {
      client.release();
    }
  }
}
