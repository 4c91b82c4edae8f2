import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { commandGroup, dateOption, out } from '../../cli-kit.js';
import { todayInShanghai } from '../../common/clock.js';
import { RemindersJob } from './reminders.job.js';

/**
 * `credit-repair reminders run [--today YYYY-MM-DD]`: what the daily job does (the reminders due
 * on the day: repair possible, period ending, compliance notice), once, as the CLI operator. The
 * `credit-repair` group is shared with the other credit-repair commands (commandGroup).
 */
export function registerReminderCommands(program: Command): void {
  const group = commandGroup(program, 'credit-repair', 'credit repair (信用修复): reminders, applications');
  const reminders = commandGroup(group, 'reminders', "the enterprises' reminders (企业专属网页)");
  reminders
    .command('run')
    .description('create the reminders due on the day (the daily job, once); each reminder only once')
    .option('--today <date>', 'the day to run as (YYYY-MM-DD, default today in Shanghai)', dateOption)
    .action((opts: { today?: string }) =>
      withAppContext(async (app) => {
        const r = await app.get(RemindersJob).run(opts.today ?? todayInShanghai(), cliActor());
        if (r === null) return out('another instance is creating reminders: nothing done');
        out(
          `reminders as of ${r.today}: ${r.created} created (repair_possible ${r.byKind.repair_possible}, period_ending ${r.byKind.period_ending}, compliance_notice ${r.byKind.compliance_notice}); ${r.examined} candidates looked at`,
        );
      }),
    );
}
