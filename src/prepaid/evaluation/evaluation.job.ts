import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { systemActor } from '../../audit/actor.js';
import { todayInShanghai } from '../../common/clock.js';
import { EvaluationService } from './evaluation.service.js';

/**
 * The daily prepaid-risk evaluation (issue 14): at 05:30 Shanghai time, after the nightly rescoring
 * (01:30, credit/nightly-scoring.job.ts) so the credit tier read is the night's, every issuer as of
 * today (EvaluationService.evaluate). Under the PostgreSQL session advisory lock EVALUATION_LOCK
 * (pg_try_advisory_lock, the pattern of credit-repair/reminders/reminders.job.ts), so with several
 * instances, or the CLI beside the service, one runs and the others skip; a day evaluated already is
 * not evaluated again, and a run killed half-way is completed by the next (per-batch transactions).
 */
@Injectable()
export class PrepaidEvaluationJob {
  private readonly logger = new Logger('PrepaidEvaluation');

  constructor(private readonly evaluation: EvaluationService) {}

  @Cron('0 30 5 * * *', { name: 'prepaid-evaluation', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    try {
      const r = await this.evaluation.evaluate(todayInShanghai(), systemActor('scheduler'), 'schedule');
      if (r === null) this.logger.log('another instance is evaluating prepaid issuers: skipped');
    } catch (e) {
      this.logger.error(`prepaid evaluation failed: ${(e as Error).message}`);
    }
  }
}
