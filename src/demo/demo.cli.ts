import type { Command } from 'commander';
import { cliActor } from '../audit/actor.js';
import { withAppContext } from '../bootstrap.js';
import { countOption, out, printTiers } from '../cli-kit.js';
import { loadDemoCode } from '../check-codes/codes/demo-codes.js';
import { loadDemoData } from './demo-data.js';

/**
 * `demo [--enterprises N] [--force]`: generated demo data (valid Yangpu USCCs), scored, and the
 * inspection-code demo (demo-inspector checked in under a code, check-codes/codes/demo-codes.ts).
 */
export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description('load generated demo data (valid USCCs in Yangpu, mixed records) and score it')
    .option('--enterprises <n>', 'how many enterprises', countOption, 3000)
    .option('--force', 'load even when the register is not empty', false)
    .action((o: { enterprises: number; force: boolean }) =>
      withAppContext(async (app) => {
        const r = await loadDemoData(app, o.enterprises, !o.force, cliActor());
        if (!r) out('the register is not empty: demo data not loaded (use --force)');
        else {
          out(`demo data: ${r.enterprises} enterprises, ${r.records} credit records`);
          printTiers(r.tierCounts);
          const code = await loadDemoCode(app, cliActor());
          if (code) out(`inspection code: demo-inspector checked in under ${code}`);
        }
      }),
    );
}
