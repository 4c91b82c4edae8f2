import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { commandGroup, dateOption, out } from '../../cli-kit.js';
import { todayInShanghai } from '../../common/clock.js';
import { RepairApplicationsService } from './repair-applications.service.js';

/**
 * `credit-repair shares export [--out file] [--today YYYY-MM-DD]`: the repair results not yet
 * shared with Credit China (信用中国) as one CSV batch, marked shared (one transaction, audited
 * `repair_share.export`); overdue rows (past their 3 working days) flagged. Without --out the CSV
 * goes to stdout, the summary to stderr. `credit-repair shares pending`: what would be exported.
 */
export function registerCreditRepairCommands(program: Command): void {
  const repair = commandGroup(program, 'credit-repair', 'credit repair (信用修复): reminders, applications');
  const shares = repair.command('shares').description('repair results shared with Credit China (信用中国)');
  shares
    .command('export')
    .description('export the results not yet shared as a CSV batch and mark them shared')
    .option('--out <file>', 'write the CSV to this file (default: stdout)')
    .option('--today <date>', 'the day of the export, YYYY-MM-DD (default today)', dateOption)
    .action((o: { out?: string; today?: string }) =>
      withAppContext(async (app) => {
        const r = await app
          .get(RepairApplicationsService)
          .exportShares(cliActor(), o.today ?? todayInShanghai());
        if (o.out) writeFileSync(o.out, r.csv, 'utf8');
        else process.stdout.write(r.csv);
        const overdue = r.rows.filter((x) => x.overdue).length;
        const summary = r.batch
          ? `batch ${r.batch}: ${r.rows.length} result(s) shared${overdue ? `, ${overdue} overdue (past 3 working days)` : ''}`
          : 'nothing to share';
        (o.out ? out : (s: string) => process.stderr.write(s + '\n'))(summary);
      }),
    );
  shares
    .command('pending')
    .description('list the results not yet shared, with their due day and overdue flag')
    .option('--today <date>', 'the day to judge overdue by, YYYY-MM-DD (default today)', dateOption)
    .action((o: { today?: string }) =>
      withAppContext(async (app) => {
        const rows = await app.get(RepairApplicationsService).pendingShares(o.today ?? todayInShanghai());
        for (const r of rows)
          out(
            `${r.applicationNo} ${r.uscc} ${r.result} due ${r.dueBy}${r.dueByProvisional ? ' (provisional)' : ''}${r.overdue ? ' OVERDUE' : ''}`,
          );
        if (!rows.length) out('nothing to share');
      }),
    );
}
