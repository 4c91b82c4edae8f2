import { UnprocessableEntityException } from '@nestjs/common';
import type { Command } from 'commander';
import { cliActor } from '../audit/actor.js';
import type { AuthUser } from '../auth/auth-user.js';
import { withAppContext } from '../bootstrap.js';
import { dateOption, out } from '../cli-kit.js';
import { todayInShanghai } from '../common/clock.js';
import { DecisionImportService } from './decisions/decision-import.service.js';
import { PenaltyDecisionsService } from './decisions/penalty-decisions.service.js';

/** The CLI operator acts for the bureau, as an admin (docs/security.md "Who may post what"). */
const OPERATOR: AuthUser = {
  id: 0,
  username: 'cli',
  displayName: '命令行',
  role: 'admin',
  department: null,
  credentialNo: null,
  enterpriseId: null,
  enterpriseUscc: null,
};

/**
 * `penalty-decisions import <file> | report`: the CSV import (all or nothing, every rejected row
 * printed with its line and column) and the same-day report (双书同达统计), through the same
 * services as the API. `--today` moves the clock (tests, back-dated loads).
 */
export function registerPenaltyCommands(program: Command): void {
  const group = program
    .command('penalty-decisions')
    .description('penalty decisions served with their credit-repair notice (双书同达): import, report');

  group
    .command('import <file>')
    .description(
      'import a decision CSV (docs/import-formats.md "Penalty decisions"); nothing stored when any row is rejected',
    )
    .option('--department <code>', 'the recording department (default market)')
    .option('--today <date>', 'today, YYYY-MM-DD (default: the Shanghai day)', dateOption)
    .action((file: string, o: { department?: string; today?: string }) =>
      withAppContext(async (app) => {
        try {
          const r = await app
            .get(DecisionImportService)
            .importFile(file, OPERATOR, cliActor(), o.department, o.today ?? todayInShanghai());
          out(
            `penalty decisions: ${r.rows} rows (${r.encoding}), ${r.inserted} recorded: ids ${r.ids.join(', ')}`,
          );
        } catch (e) {
          if (!(e instanceof UnprocessableEntityException)) throw e;
          const body = e.getResponse() as { message: string; errors: { field: string; reason: string }[] };
          for (const x of body.errors) out(`  ${x.field}: ${x.reason}`);
          throw new Error(body.message, { cause: e });
        }
      }),
    );

  group
    .command('report')
    .description(
      'the same-day report: decisions dated from..to, the share served with their notice the same day, every exception',
    )
    .requiredOption('--from <date>', 'first decision date, YYYY-MM-DD', dateOption)
    .requiredOption('--to <date>', 'last decision date, YYYY-MM-DD', dateOption)
    .action((o: { from: string; to: string }) =>
      withAppContext(async (app) => {
        const r = await app.get(PenaltyDecisionsService).report(o.from, o.to, OPERATOR);
        out(
          `${o.from}..${o.to}: ${r.decisions} decisions, ${r.noticeRequired} needing a notice, ${r.servedSameDay} served with it the same day (${r.share === null ? '-' : `${(r.share * 100).toFixed(1)} %`}, target 100 %)`,
        );
        for (const x of r.exceptions)
          out(
            `  exception ${x.decisionNo} ${x.enterpriseName}: decision served ${x.decisionDeliveredOn ?? '-'}, notice ${x.noticeDeliveredOn ?? 'not served'}; ${x.reasons.join('; ')}`,
          );
      }),
    );
}
