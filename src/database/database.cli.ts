import type { Command } from 'commander';
import { withAppContext } from '../bootstrap.js';
import { out } from '../cli-kit.js';

/** `migrate`: apply pending migrations (start-up applies them too). */
export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (start-up does this too)')
    .action(() => withAppContext(async () => void out('migrations applied')));
}
