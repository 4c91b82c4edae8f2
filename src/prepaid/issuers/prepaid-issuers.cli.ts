import { UnprocessableEntityException } from '@nestjs/common';
import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { withAppContext } from '../../bootstrap.js';
import { dateOption, out } from '../../cli-kit.js';
import { todayInShanghai } from '../../common/clock.js';
import {
  PREPAID_IMPORT_KINDS,
  PrepaidImportService,
  type PrepaidImportKind,
} from './prepaid-import.service.js';

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
 * `--today`: a day YYYY-MM-DD not after the Shanghai day (a later one would store periods not yet over
 * and signals received in the future, which the API refuses).
 * @throws Error (commander prints it and exits 1)
 */
export function pastDayOption(v: string): string {
  const d = dateOption(v);
  const today = todayInShanghai();
  if (d > today)
    throw new Error(`--today ${d} is after today (${today} in Shanghai): the clock moves back only`);
  return d;
}

/**
 * `prepaid import <issuers|stores|reports|signals> <file>`: the CSV import through the same service as
 * the API (all or nothing, every rejected row printed with its line and column). `--today` moves the
 * clock back (tests, back-dated loads), never ahead.
 */
export function registerPrepaidIssuerCommands(prepaid: Command): void {
  prepaid
    .command('import <kind> <file>')
    .description(
      `import a prepaid CSV, kind ${PREPAID_IMPORT_KINDS.join(' | ')} (docs/import-formats.md "Prepaid ..."); nothing stored when any row is rejected`,
    )
    .option('--today <date>', 'today, YYYY-MM-DD (default: the Shanghai day; not after it)', pastDayOption)
    .action((kind: string, file: string, o: { today?: string }) => {
      if (!(PREPAID_IMPORT_KINDS as readonly string[]).includes(kind))
        throw new Error(`unknown kind '${kind}': ${PREPAID_IMPORT_KINDS.join(', ')}`);
      return withAppContext(async (app) => {
        try {
          const r = await app
            .get(PrepaidImportService)
            .importFile(kind as PrepaidImportKind, file, OPERATOR, cliActor(), o.today ?? todayInShanghai());
          out(
            `prepaid ${kind}: ${r.rows} rows (${r.encoding}), ${r.inserted} recorded${r.corrected ? ` (${r.corrected} corrections)` : ''}: ids ${r.ids.join(', ')}`,
          );
        } catch (e) {
          if (!(e instanceof UnprocessableEntityException)) throw e;
          const body = e.getResponse() as { message: string; errors: { field: string; reason: string }[] };
          for (const x of body.errors) out(`  ${x.field}: ${x.reason}`);
          throw new Error(body.message, { cause: e });
        }
      });
    });
}
