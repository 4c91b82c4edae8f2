import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { commandGroup, out } from '../../cli-kit.js';
import { CodesExpiryJob } from './codes-expiry.job.js';

/**
 * `check-codes expire`: marks issued and in-use inspection codes past their end expired now (what
 * the scheduled job does every 10 minutes), as the CLI operator. The `check-codes` group is shared
 * with the keys' commands (commandGroup).
 */
export function registerCheckCodeCommands(program: Command): void {
  const group = commandGroup(program, 'check-codes', 'inspection codes (检查码): keys, trust list, expiry');
  group
    .command('expire')
    .description('mark issued and in-use codes past their validity expired (the scheduled job, once)')
    .action(() =>
      withAppContext(async (app) => {
        const n = await app.get(CodesExpiryJob).run(cliActor());
        out(n === null ? 'another instance is expiring codes: nothing done' : `${n} code(s) marked expired`);
      }),
    );
}
