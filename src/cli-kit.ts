import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { withAppContext } from './bootstrap.js';
import { isIsoDate } from './common/clock.js';
import type { ImportReport } from './common/import-report.js';
import { connectionLostLine, DatabaseGoneError, isConnectionLost } from './database/connection-lost.js';

/**
 * What every feature's command-line commands share: output lines, progress on stderr, the date
 * option parser, the import report and the tier table. Features register their commands with a
 * `register<Feature>Commands(program)` function in their own `<feature>.cli.ts`; `cli.ts` only
 * composes them.
 */

/**
 * Ends the command after a failure: one line on standard error, exit 1. A lost database gets its
 * own line saying so (connection-lost.ts), never a driver stack trace.
 */
export function fail(e: unknown): never {
  const reason =
    e instanceof DatabaseGoneError
      ? e.message
      : isConnectionLost(e)
        ? connectionLostLine(e)
        : e instanceof Error
          ? e.message
          : String(e);
  process.stderr.write(`error: ${reason.split('\n')[0]}\n`);
  process.exit(1);
}

/** One line on standard output. */
export const out = (s: string): void => void process.stdout.write(s + '\n');

/** A progress callback printing `  <what>: N rows` on standard error. */
export const progress =
  (what: string) =>
  (n: number): void =>
    void process.stderr.write(`  ${what}: ${n.toLocaleString('en')} rows\n`);

/**
 * commander argument parser for a calendar date.
 * @throws Error `'<v>' is not a date YYYY-MM-DD` (commander prints it and exits 1)
 */
export function dateOption(v: string): string {
  if (!isIsoDate(v)) throw new Error(`'${v}' is not a date YYYY-MM-DD`);
  return v;
}

/**
 * commander argument parser for a count (a whole number, 1 or more: how many enterprises, years,
 * rows).
 * @throws Error `'<v>' is not a whole number of 1 or more` (commander prints it and exits 1)
 */
export function countOption(v: string): number {
  if (!/^[0-9]+$/.test(v.trim()) || Number(v) < 1)
    throw new Error(`'${v}' is not a whole number of 1 or more`);
  return Number(v);
}

/**
 * The subcommand group `name` of `program` (`import`, `evaluate`...), created with `description`
 * the first time a feature asks for it, so several features can add commands to one group.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/** Prints an import report: counts, rejections by reason, the first ten rejected rows by line. */
export function printImport(title: string, r: ImportReport): void {
  out(`${title}: ${r.file} (${r.encoding})`);
  out(
    `  rows ${r.rows}, inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected} (${(r.elapsedMs / 1000).toFixed(1)} s)`,
  );
  for (const [reason, n] of Object.entries(r.rejectedByReason).sort((a, b) => b[1] - a[1]))
    out(`  rejected ${n} x ${reason}`);
  for (const x of r.firstRejected.slice(0, 10)) out(`  line ${x.line}: ${x.field}: ${x.reason}`);
  if (r.rejectsFile) out(`  every rejected row: ${r.rejectsFile}`);
  if (r.warnings?.rows) {
    out(`  kept for review ${r.warnings.rows} (flagged on the enterprise)`);
    for (const [reason, n] of Object.entries(r.warnings.byReason).sort((a, b) => b[1] - a[1]))
      out(`  warning ${n} x ${reason}`);
    for (const x of r.warnings.first.slice(0, 10)) out(`  line ${x.line}: ${x.field}: ${x.reason}`);
  }
  if (r.allRejected) out(`  every row was rejected: nothing of ${r.file} was imported`);
}

/** Prints a tier distribution: `  <tier>: <count> <share>%`, every tier given. */
export function printTiers(counts: Record<string, number>): void {
  const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
  for (const [tier, n] of Object.entries(counts))
    out(`  ${tier}: ${String(n).padStart(9)}  ${((100 * n) / total).toFixed(1).padStart(5)}%`);
}

/** The application context a command's action receives (see bootstrap.ts withAppContext). */
export type App = INestApplicationContext;

/** An importer of one CSV file (the register's or the credit records'). */
export interface CsvFileImporter {
  importFile(
    file: string,
    options: { rejectsFile: string; onProgress: (n: number) => void },
  ): Promise<ImportReport>;
}

/**
 * Adds `<group> <name> <file> [--rejects f] [--rescore]`: one CSV file through its import service
 * (`service`, a provider token of the application), its report printed; with --rescore,
 * `rescore(app)` runs after the import. `options` are the importer's own boolean flags
 * (`[flags, description]`), passed to `importFile` under their camel-case names. An import in
 * which every row was rejected fails (exit 1, after the report), as does a refused file (wrong
 * columns, truncated, a field past the bound).
 */
export function csvImportCommand(
  group: Command,
  spec: {
    name: string;
    title: string;
    what: string;
    service: abstract new (...args: never[]) => CsvFileImporter;
    rescore: (app: App) => Promise<void>;
    options?: [flags: string, description: string][];
  },
): void {
  const command = group
    .command(`${spec.name} <file>`)
    .description(`import ${spec.what} CSV (columns: docs/import-formats.md; UTF-8 or GB18030)`)
    .option(
      '--rejects <file>',
      'write every rejected row (line, field, reason) to this CSV',
      `rejects/${spec.name}.rejects.csv`,
    )
    .option('--rescore', 'rescore everyone as of today after the import', false);
  for (const [flags, description] of spec.options ?? []) command.option(flags, description, false);
  command.action(
    (
      file: string,
      { rejects, rescore, ...own }: { rejects: string; rescore: boolean } & Record<string, unknown>,
    ) =>
      withAppContext(async (app) => {
        const options = { ...own, rejectsFile: rejects, onProgress: progress('read') };
        const report = await app.get<CsvFileImporter>(spec.service).importFile(file, options);
        printImport(spec.title, report);
        if (report.allRejected)
          throw new Error(`every one of the ${report.rows} rows of ${file} was rejected: nothing imported`);
        if (rescore) await spec.rescore(app);
      }),
  );
}
