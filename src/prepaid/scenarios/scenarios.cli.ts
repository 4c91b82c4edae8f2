import { type Command, InvalidArgumentError } from 'commander';
import { out } from '../../cli-kit.js';
import { DEFAULT_SCENARIO_PARAMS } from './generator.js';
import { formatScenarioReport, runScenarioReport } from './report.js';

/** A whole number >= 0 for an option, else a clear error naming it. */
const count = (name: string) => (v: string) => {
  if (!/^\d{1,7}$/.test(v))
    throw new InvalidArgumentError(`${name}: a whole number >= 0 is required, got '${v}'`);
  return Number(v);
};

/**
 * `supervision prepaid scenarios [--seed N] [--healthy N] [--closing N] [--json]`: generates the seeded
 * scenario population (src/prepaid/scenarios/generator.ts), assesses it weekly under the default model
 * and prints the report "Does it warn in time?" (report.ts), off-generator shapes included. No database.
 * Exit 0 whether or not the target is met (the report says so); 1 on a bad option.
 */
export function registerScenarioCommands(prepaid: Command): void {
  prepaid
    .command('scenarios')
    .description('情景报告: does the risk model warn closing issuers in time, and how often healthy ones?')
    .option('--seed <n>', 'seed of the generator', count('--seed'), DEFAULT_SCENARIO_PARAMS.seed)
    .option('--healthy <n>', 'healthy issuers', count('--healthy'), DEFAULT_SCENARIO_PARAMS.healthy)
    .option(
      '--closing <n>',
      'issuers that drift to closure',
      count('--closing'),
      DEFAULT_SCENARIO_PARAMS.closing,
    )
    .option('--json', 'print the report as JSON', false)
    .action((o: { seed: number; healthy: number; closing: number; json: boolean }) => {
      const report = runScenarioReport({
        ...DEFAULT_SCENARIO_PARAMS,
        seed: o.seed,
        healthy: o.healthy,
        closing: o.closing,
      });
      if (o.json) out(JSON.stringify(report, null, 2));
      else for (const line of formatScenarioReport(report)) out(line);
    });
}
