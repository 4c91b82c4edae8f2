import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { commandGroup, dateOption, fail, out } from '../../cli-kit.js';
import { todayInShanghai } from '../../common/clock.js';
import { RemindersJob } from './reminders.job.js';
import { runDayProblem } from './rules/reminder-rules.js';

/**
 * `credit-repair reminders run [--today YYYY-MM-DD]`: what the daily job does (the reminders due
 * on the day: repair possible, period ending, compliance notice), once, as the CLI operator.
 * `--today` catches up a missed day: today or up to 31 days before it (rules/reminder-rules.ts
 * runDayProblem; a later day or an earlier one exits 1 saying why). The
 * `credit-repair` group is shared with the other credit-repair commands (commandGroup).
 */
export function registerReminderCommands(program: Command): void {
  const group = commandGroup(program, 'credit-repair', 'credit repair (信用修复): reminders, applications');
  const reminders = commandGroup(group, 'reminders', "the enterprises' reminders (企业专属网页)");
  reminders
    .command('run')
    .description('create the reminders due on the day (the daily job, once); each reminder only once')
    .option(
      '--today <date>',
      'the day to run as (YYYY-MM-DD, default today in Shanghai): today or a missed day up to 31 days before',
      dateOption,
    )
    .action((opts: { today?: string }) => {
      // refused before the service starts: nothing is read or written
      const today = todayInShanghai();
      const problem = opts.today === undefined ? null : runDayProblem(opts.today, today);
      if (problem) fail(new Error(problem));
      return withAppContext(async (app) => {
        const r = await app.get(RemindersJob).run(opts.today ?? today, cliActor());
        if (r === null) return out('another instance is creating reminders: nothing done');
        out(
          `reminders as of ${r.today}: ${r.due} due, ${r.created} created (repair_possible ${r.byKind.repair_possible}, period_ending ${r.byKind.period_ending}, compliance_notice ${r.byKind.compliance_notice}), ${r.existing} there already; looked at ${r.examined.records} penalty record(s) and ${r.examined.enterprises} newly registered enterprise(s)`,
        );
      });
    });
}
