import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, systemActor } from '../../audit/actor.js';
import { todayInShanghai } from '../../common/clock.js';
import { pgPool } from '../../database/pg-pool.js';
import type { ReminderRunView } from './dto/reminder.dto.js';
import { ReminderRunOptions, RemindersService } from './reminders.service.js';

/** Session advisory lock: one reminders run at a time across every service instance and the CLI. */
const REMINDERS_LOCK = 'enterprise_reminders';

/**
 * The daily reminders job (企业专属网页 reminders, issue 13): at 06:00 Shanghai time, the
 * reminders due today (RemindersService.createDue: repair possible, period ending, compliance
 * notice). Under a PostgreSQL session advisory lock (pg_try_advisory_lock) so with several
 * instances, or the CLI beside the service, one runs and the others skip; each reminder exists
 * once anyway (dedupe_key unique, ON CONFLICT DO NOTHING), and each batch commits on its own so a
 * run killed half-way is completed by the next.
 */
@Injectable()
export class RemindersJob {
  private readonly logger = new Logger('EnterpriseReminders');

  constructor(
    private readonly reminders: RemindersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Cron('0 0 6 * * *', { name: 'enterprise-reminders', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    await this.run().catch((e: unknown) =>
      this.logger.error(`enterprise reminders failed: ${(e as Error).message}`),
    );
  }

  /**
   * One run as of `today` (YYYY-MM-DD). @returns what it created, or null when another run holds the lock
   * @throws whatever a batch threw (the batches before it stay committed)
   */
  async run(
    today: string = todayInShanghai(),
    actor: Actor = systemActor('scheduler'),
    opts: ReminderRunOptions = {},
  ): Promise<ReminderRunView | null> {
    const client = await pgPool(this.dataSource).connect();
    try {
      const [{ locked }] = (
        await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [REMINDERS_LOCK])
      ).rows;
      if (!locked) {
        this.logger.log('another instance is creating reminders: skipped');
        return null;
      }
      try {
        const r = await this.reminders.createDue(today, actor, opts);
        if (r.created) this.logger.log(`${r.created} reminder(s) created as of ${today}`);
        return r;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [REMINDERS_LOCK]);
      }
    } finally {
      client.release();
    }
  }
}
