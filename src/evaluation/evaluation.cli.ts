import type { INestApplicationContext } from '@nestjs/common';
import { type Command, Option } from 'commander';
import { cliActor } from '../audit/actor.js';
import { withAppContext } from '../bootstrap.js';
import { commandGroup, countOption, dateOption, out, printImport } from '../cli-kit.js';
import { evaluateBoston, importBoston } from './boston-evaluation.js';
import { tuneBoston } from './boston-tuning.js';
import { evaluateJinan } from './jinan-evaluation.js';

/**
 * `evaluate jinan <folder>`, `evaluate boston <csv> --from --to [--model v]`, `evaluate boston-tune
 * <csv> --before [--years n]` (docs/evaluation.md).
 */
export function registerEvaluationCommands(program: Command): void {
  const evaluate = commandGroup(program, 'evaluate', 'evaluate the tiers against outside judgements');
  evaluate
    .command('jinan <folder>')
    .description("cross-table of current tiers against the city's own credit_grade (jn_credit_info.csv)")
    .option('--json', 'print JSON', false)
    .action((folder: string, o: { json: boolean }) =>
      withAppContext(async (app) => {
        const r = await evaluateJinan(app, folder);
        if (o.json) out(JSON.stringify(r, null, 2));
        else out(r.text);
      }),
    );

  evaluate
    .command('boston <csv>')
    .description(
      'import the Boston food-safety inspections (idempotent) and measure how well the active scorecard finds problems',
    )
    .addOption(
      new Option('--from <date>', 'first evaluated day (YYYY-MM-DD)')
        .argParser(dateOption)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--to <date>', 'day after the last evaluated one')
        .argParser(dateOption)
        .makeOptionMandatory(),
    )
    .option('--model <version>', 'scorecard version to evaluate (default: the active one)')
    .option('--json', 'print JSON', false)
    .action((csv: string, o: { from: string; to: string; json: boolean; model?: string }) =>
      withAppContext(
        async (app) => {
          if (o.from >= o.to) throw new Error(`--from ${o.from} must be before --to ${o.to}`);
          const r = await afterImport(app, csv, o.json, () => evaluateBoston(app, o.from, o.to, o.model));
          if (r.model.cases === 0) throw new Error(`no routine inspection in ${o.from} .. ${o.to}`);
        },
        { quiet: true },
      ),
    );

  evaluate
    .command('boston-tune <csv>')
    .description(
      "import the Boston inspections (idempotent) and choose scorecard v4's parameters walk-forward on the years before --before",
    )
    .addOption(
      new Option(
        '--before <date>',
        'first day of the period to be evaluated later: nothing from it on is read',
      )
        .argParser(dateOption)
        .makeOptionMandatory(),
    )
    .option('--years <n>', 'calendar years before --before to tune on', countOption, 3)
    .option('--json', 'print JSON', false)
    .action((csv: string, o: { before: string; years: number; json: boolean }) =>
      withAppContext(
        async (app) => {
          const r = await afterImport(app, csv, o.json, () => tuneBoston(app, o.before, o.years));
          if (!r.choice.chosen)
            throw new Error('no candidate is admissible: nothing chosen (see the refused column)');
        },
        { quiet: true },
      ),
    );
}

/**
 * The Boston commands' shape: import the file (idempotent; its report printed unless --json),
 * compute the report, print it as text or as JSON without its `text`.
 */
async function afterImport<R extends { text: string }>(
  app: INestApplicationContext,
  csv: string,
  json: boolean,
  compute: () => Promise<R>,
): Promise<R> {
  const imported = await importBoston(app, csv, cliActor());
  if (!json) {
    printImport('establishments', imported.register);
    printImport('inspections', imported.records);
  }
  const r = await compute();
  if (json) {
    const { text: _t, ...rest } = r;
    out(JSON.stringify(rest, null, 2));
  } else out('\n' + r.text);
  return r;
}
