import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { dateOption, fail, out } from '../../cli-kit.js';
import { todayInShanghai } from '../../common/clock.js';
import { EvaluationService } from './evaluation.service.js';

/**
 * `supervision prepaid evaluate [--as-of D]`: what the daily job does (every issuer as of the day, alerts
 * opened or raised), once, as the CLI operator. The day evaluated already prints that run and does
 * nothing; a run left unfinished is completed; another evaluation running: nothing done, exit 0.
 * A day after today exits 1 before the service starts.
 */
export function registerEvaluationCommands(prepaid: Command): void {
  prepaid
    .command('evaluate')
    .description('evaluate every prepaid issuer as of a day (the daily job, once); opens or raises alerts')
    .option('--as-of <date>', 'the day (YYYY-MM-DD, default today in Shanghai; not after today)', dateOption)
    .action((opts: { asOf?: string }) => {
      const today = todayInShanghai();
      if (opts.asOf && opts.asOf > today) fail(new Error(`--as-of ${opts.asOf} is after today (${today})`));
      return withAppContext(async (app) => {
        const started = Date.now();
        const r = await app.get(EvaluationService).evaluate(opts.asOf ?? today, cliActor(), 'cli');
        if (r === null) return out('another prepaid evaluation is running: nothing done');
        const levels = Object.entries(r.levels)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        out(
          `${r.repeated ? `already evaluated (run ${r.id}): nothing done again; ` : r.resumed ? `completed the unfinished run ${r.id}; ` : `run ${r.id}: `}as of ${r.asOf} under ${r.modelVersion}: ${r.evaluated} issuer(s) (${levels}); ${r.alertsOpened} alert(s) opened, ${r.alertsRaised} raised${r.repeated ? '' : ` in ${((Date.now() - started) / 1000).toFixed(1)} s`}`,
        );
      });
    });
}
