import { type Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliActor } from '../audit/actor.js';
import { withAppContext } from '../bootstrap.js';
import {
  type App,
  commandGroup,
  csvImportCommand,
  dateOption,
  out,
  printImport,
  printTiers,
  progress,
} from '../cli-kit.js';
import { todayInShanghai } from '../common/clock.js';
import { DataSource } from 'typeorm';
import { registeredUscc } from '../enterprises/registered-uscc.js';
import { JinanImportService } from './import/jinan-import.service.js';
import { RecordImportService } from './import/record-import.service.js';
import { NightlyScoringJob } from './nightly-scoring.job.js';
import { CreditExplanationService, type ExplainedRecord } from './credit-explanation.service.js';
import { CreditHistoryService } from './credit-history.service.js';
import { tierDecisionLines } from './rules/scorecard.js';
import { ScorecardVersionsService } from './scorecard-versions.service.js';
import { ScoringService } from './scoring.service.js';

/** Rescores everyone as of today and prints the tier distribution (the imports' --rescore). */
export async function rescoreAndPrint(app: App): Promise<void> {
  const r = await app.get(ScoringService).rescoreAll(todayInShanghai());
  out(`rescored ${r.enterprises} enterprises as of ${r.asOf} (today) with scorecard ${r.modelVersion}`);
  printTiers(r.tierCounts);
}

/**
 * The credit feature's commands: `import records`, `import jinan`, `score`, `explain`,
 * `snapshot`, `nightly`, `scorecard list|activate`.
 */
export function registerCreditCommands(program: Command): void {
  const imp = commandGroup(program, 'import', 'import data: register, records, jinan');
  csvImportCommand(imp, {
    name: 'records',
    title: 'credit records',
    what: 'a credit-record',
    service: RecordImportService,
    rescore: rescoreAndPrint,
  });

  imp
    .command('jinan <folder>')
    .description(
      'import the Jinan enterprise credit data set as published (every table; derived placeholder USCCs)',
    )
    .addOption(
      new Option('--snapshot-date <date>', 'date given to undated facts (the data runs to mid-2018)')
        .default('2018-06-30')
        .argParser(dateOption),
    )
    .option('--rejects-dir <dir>', 'folder for the rejected-row files', 'rejects')
    .action((folder: string, o: { snapshotDate: string; rejectsDir: string }) =>
      withAppContext(async (app) => {
        const r = await app.get(JinanImportService).importFolder(folder, o.snapshotDate, o.rejectsDir);
        out(`Jinan data set, snapshot date ${r.snapshotDate}`);
        const tableRejects = r.tables.flatMap((t) => t.rejected.map((x) => ({ ...x, file: t.file })));
        for (const t of r.tables) {
          out(
            `  ${t.file.padEnd(32)} ${t.encoding.padEnd(8)} rows ${String(t.rows).padStart(6)}  companies ${String(t.companies).padStart(6)}  rejected ${t.rejected.length}  -> ${t.mapsTo}`,
          );
          for (const x of t.rejected.slice(0, 5)) out(`      line ${x.line}: ${x.field}: ${x.reason}`);
        }
        if (tableRejects.length) {
          mkdirSync(o.rejectsDir, { recursive: true });
          const f = path.join(o.rejectsDir, 'jinan-tables.rejects.csv');
          writeFileSync(
            f,
            stringify(
              tableRejects.map((x) => [x.file, x.line, x.field, x.reason]),
              { header: true, columns: ['file', 'line', 'field', 'reason'] },
            ),
          );
          out(`rows refused while reading the tables: ${tableRejects.length} (every one in ${f})`);
        }
        printImport('register', r.enterprises);
        printImport('credit records', r.records);
        out(`next: npm run cli -- score --as-of ${r.snapshotDate}`);
      }),
    );

  program
    .command('score')
    .description(
      'rescore every enterprise with the scorecard version in force on the as-of date and print the tier distribution',
    )
    .addOption(
      new Option('--as-of <date>', 'score as of this date (YYYY-MM-DD); records dated later do not count')
        .default(todayInShanghai())
        .argParser(dateOption),
    )
    .action((o: { asOf: string }) =>
      withAppContext(async (app) => {
        const r = await app.get(ScoringService).rescoreAll(o.asOf, progress('scored'));
        out(
          `scored ${r.enterprises} enterprises as of ${r.asOf} with scorecard ${r.modelVersion} in ${(r.elapsedMs / 1000).toFixed(1)} s (run ${r.runId})`,
        );
        printTiers(r.tierCounts);
      }),
    );

  program
    .command('explain <uscc>')
    .description(
      'score as of a date (not after today): the score and tier an enterprise had (or would have had), with every indicator, its points and the records behind it',
    )
    .addOption(
      new Option('--as-of <date>', 'records dated on or before this day count (YYYY-MM-DD)')
        .default(todayInShanghai())
        .argParser(dateOption),
    )
    .option('--json', 'print JSON', false)
    .action((uscc: string, o: { asOf: string; json: boolean }) =>
      withAppContext(
        async (app): Promise<void> => {
          const started = process.hrtime.bigint();
          const code = await registeredUscc((sql, params) => app.get(DataSource).query(sql, params), uscc);
          const e = await app.get(CreditExplanationService).scoreAsOf(code, o.asOf);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (o.json) {
            out(JSON.stringify(e, null, 2));
            return;
          }
          out(
            `${e.uscc} as of ${e.asOf} (scorecard ${e.modelVersion}): ${e.score} points, tier ${e.tier} ${e.tierLabel.zh} / ${e.tierLabel.en}  [${ms.toFixed(1)} ms]`,
          );
          for (const i of e.indicators)
            out(
              `  ${String(i.points).padStart(7)}  ${i.zh} / ${i.en} (${i.code} = ${Math.round(i.value * 1000) / 1000})  records ${i.records.join(', ') || '-'}`,
            );
          for (const line of tierDecisionLines(e.tierDecision)) out(`  ${line}`);
          if (!e.indicators.length) out('  no indicator with points: the base score');
          out(
            `records that counted on ${e.asOf}: ${e.recordsTotal} (-> behind the score; the first ${Math.min(20, e.records.length)} listed)`,
          );
          for (const r of e.records.slice(0, 20))
            out(
              `  ${r.indicators.length ? '->' : '  '} #${r.id} ${r.recordDate} ${r.kind}${recordDetail(r)} ${r.sourceDepartment}${r.indicators.length ? `: ${r.indicators.join(', ')}` : ''}`,
            );
        },
        { quiet: true },
      ),
    );

  program
    .command('snapshot')
    .description(
      "take this month's reclassification snapshot of the current scores (taken again, it is replaced)",
    )
    .action(() =>
      withAppContext(async (app) => {
        const r = await app.get(CreditHistoryService).takeSnapshot(todayInShanghai(), cliActor());
        out(`snapshot ${r.month}: ${r.enterprises} enterprises`);
      }),
    );

  program
    .command('nightly')
    .description(
      "run the nightly job now: rescore everyone as of today; take the month's snapshot if it has none",
    )
    .action(() =>
      withAppContext(async (app) => {
        const r = await app.get(NightlyScoringJob).run(todayInShanghai(), cliActor());
        if (!r) out('another process is running the nightly job: skipped');
        else
          out(
            `rescored ${r.enterprises} enterprises; ${r.snapshot ? `snapshot ${r.snapshot} taken` : "this month's snapshot was already taken"}`,
          );
      }),
    );

  const scorecard = program
    .command('scorecard')
    .description('scorecard versions (a new version is a new row)');
  scorecard
    .command('list')
    .description('list the stored scorecard versions; * marks the active one')
    .action(() =>
      withAppContext(
        async (app) => {
          for (const v of await app.get(ScorecardVersionsService).scorecardVersions())
            out(
              `${v.active ? '*' : ' '} ${v.version.padEnd(8)} ${v.description}${v.inForceFrom.length ? `  (activated for scores as of ${v.inForceFrom.join(', ')})` : ''}`,
            );
        },
        { quiet: true },
      ),
    );
  scorecard
    .command('activate <version>')
    .description('make a version the active scorecard from today (audited) and rescore everyone with it')
    .action((version: string) =>
      withAppContext(async (app) => {
        const r = await app.get(ScorecardVersionsService).activateScorecard(version, cliActor());
        out(
          `active scorecard: ${r.before ?? '(none)'} -> ${r.after} (in force for scores as of ${r.run.asOf} and later)`,
        );
        out(`rescored ${r.run.enterprises} enterprises as of ${r.run.asOf} (run ${r.run.runId})`);
        printTiers(r.run.tierCounts);
      }),
    );
}

/** What distinguishes a record of its kind in a one-line listing: `(changed particular)`, `(outcome)`... */
function recordDetail(r: ExplainedRecord): string {
  const detail = r.changeItem ?? r.penaltySeverity ?? r.listType ?? r.outcome;
  return detail ? ` (${detail})` : '';
}
