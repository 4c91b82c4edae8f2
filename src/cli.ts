#!/usr/bin/env node
import type { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, Option } from 'commander';
import { randomInt } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliActor } from './audit/actor.js';
import { AuditService } from './audit/audit.service.js';
import { CreateUserDto } from './auth/dto/user.dto.js';
import { DEPARTMENTS, ROLES } from './auth/roles.js';
import { UsersService } from './auth/users.service.js';
import { withAppContext } from './bootstrap.js';
import { isIsoDate, todayInShanghai } from './common/clock.js';
import { ImportReport } from './common/import-report.js';
import { JinanImportService } from './credit/import/jinan-import.service.js';
import { RecordImportService } from './credit/import/record-import.service.js';
import { NightlyScoringJob } from './credit/nightly-scoring.job.js';
import { type ExplainedRecord, ScoringService } from './credit/scoring.service.js';
import { parseUscc } from './common/uscc.js';
import { loadDemoData } from './demo/demo-data.js';
import { RegisterImportService } from './enterprises/import/register-import.service.js';
import { evaluateBoston, importBoston } from './evaluation/boston-evaluation.js';
import { evaluateJinan } from './evaluation/jinan-evaluation.js';
import { DrawService } from './inspections/draw.service.js';
import { parseRatios } from './inspections/rules/draw.js';

/**
 * Operators' command line: `npm run cli -- <command> [options]` (or the `supervision` bin).
 * Every command has --help; failures exit non-zero with a one-line reason.
 */
const out = (s: string) => process.stdout.write(s + '\n');
const progress = (what: string) => (n: number) =>
  process.stderr.write(`  ${what}: ${n.toLocaleString('en')} rows\n`);

function dateOption(v: string): string {
  if (!isIsoDate(v)) throw new Error(`'${v}' is not a date YYYY-MM-DD`);
  return v;
}

function printImport(title: string, r: ImportReport): void {
  out(`${title}: ${r.file} (${r.encoding})`);
  out(
    `  rows ${r.rows}, inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected} (${(r.elapsedMs / 1000).toFixed(1)} s)`,
  );
  for (const [reason, n] of Object.entries(r.rejectedByReason).sort((a, b) => b[1] - a[1]))
    out(`  rejected ${n} x ${reason}`);
  for (const x of r.firstRejected.slice(0, 10)) out(`  line ${x.line}: ${x.field}: ${x.reason}`);
  if (r.rejectsFile) out(`  every rejected row: ${r.rejectsFile}`);
}

function printTiers(counts: Record<string, number>): void {
  const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
  for (const [tier, n] of Object.entries(counts))
    out(`  ${tier}: ${String(n).padStart(9)}  ${((100 * n) / total).toFixed(1).padStart(5)}%`);
}

async function rescoreAndPrint(app: INestApplicationContext): Promise<void> {
  const r = await app.get(ScoringService).rescoreAll(todayInShanghai());
  out(`rescored ${r.enterprises} enterprises as of ${r.asOf} (today) with scorecard ${r.modelVersion}`);
  printTiers(r.tierCounts);
}

const program = new Command('supervision')
  .description("信用风险分类监管服务 operators' commands (database: DATABASE_URL or the embedded PostgreSQL)")
  .showHelpAfterError(false);

program
  .command('migrate')
  .description('apply pending database migrations (start-up does this too)')
  .action(() => withAppContext(async () => void out('migrations applied')));

const imp = program.command('import').description('import data: register, records, jinan');
/** `import register` and `import records`: one CSV file through its import service. */
function csvImportCommand(
  name: 'register' | 'records',
  title: string,
  what: string,
  service: typeof RegisterImportService | typeof RecordImportService,
): void {
  imp
    .command(`${name} <file>`)
    .description(`import ${what} CSV (columns: docs/import-formats.md; UTF-8 or GB18030)`)
    .option(
      '--rejects <file>',
      'write every rejected row (line, field, reason) to this CSV',
      `rejects/${name}.rejects.csv`,
    )
    .option('--rescore', 'rescore everyone as of today after the import', false)
    .action((file: string, o: { rejects: string; rescore: boolean }) =>
      withAppContext(async (app) => {
        const options = { rejectsFile: o.rejects, onProgress: progress('read') };
        printImport(
          title,
          await app.get<RegisterImportService | RecordImportService>(service).importFile(file, options),
        );
        if (o.rescore) await rescoreAndPrint(app);
      }),
    );
}
csvImportCommand('register', 'register', 'an enterprise register', RegisterImportService);
csvImportCommand('records', 'credit records', 'a credit-record', RecordImportService);

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
  .command('draw')
  .description(
    'draw inspection targets per risk tier with a seeded generator (双随机抽取); same inputs and seed, same list',
  )
  .requiredOption('--seed <text>', 'the published seed of this draw')
  .requiredOption(
    '--ratio <ratios>',
    'share per tier, e.g. A=0,B=0.05,C=0.2,D=0.6 (tier A gets no routine draw)',
  )
  .option('--out <prefix>', 'write <prefix>.csv and <prefix>.json', 'draws/draw')
  .action((o: { seed: string; ratio: string; out: string }) =>
    withAppContext(async (app) => {
      const ratios = parseRatios(o.ratio);
      const d = await app.get(DrawService).draw(o.seed, ratios);
      mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
      const csv = stringify(
        d.targets.map((t) => [t.position, t.tier, t.tierPosition, t.uscc, t.name, t.street ?? '']),
        {
          header: true,
          columns: ['position', 'tier', 'tier_position', 'uscc', 'name', 'street'],
        },
      );
      writeFileSync(`${o.out}.csv`, csv);
      const { targets, selected: _selected, ...inputs } = d;
      writeFileSync(`${o.out}.json`, JSON.stringify({ ...inputs, targets }, null, 2));
      out(
        `draw ${d.drawId}: seed '${d.seed}', ${d.algorithm}, ${d.candidates} candidates (digest ${d.candidatesDigest.slice(0, 16)}…)`,
      );
      for (const t of d.perTier) out(`  ${t.tier}: ${t.selected} of ${t.candidates} (ratio ${t.ratio})`);
      out(`  selected ${d.selected.length}: ${o.out}.csv, ${o.out}.json`);
    }),
  );

program
  .command('demo')
  .description('load generated demo data (valid USCCs in Yangpu, mixed records) and score it')
  .option('--enterprises <n>', 'how many enterprises', (v) => Number(v), 3000)
  .option('--force', 'load even when the register is not empty', false)
  .action((o: { enterprises: number; force: boolean }) =>
    withAppContext(async (app) => {
      const r = await loadDemoData(app, o.enterprises, !o.force, cliActor());
      if (!r) out('the register is not empty: demo data not loaded (use --force)');
      else {
        out(`demo data: ${r.enterprises} enterprises, ${r.records} credit records`);
        printTiers(r.tierCounts);
      }
    }),
  );

const evaluate = program.command('evaluate').description('evaluate the tiers against outside judgements');
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
    new Option('--to <date>', 'day after the last evaluated one').argParser(dateOption).makeOptionMandatory(),
  )
  .option('--model <version>', 'scorecard version to evaluate (default: the active one)')
  .option('--json', 'print JSON', false)
  .action((csv: string, o: { from: string; to: string; json: boolean; model?: string }) =>
    withAppContext(
      async (app) => {
        if (o.from >= o.to) throw new Error(`--from ${o.from} must be before --to ${o.to}`);
        const imported = await importBoston(app, csv, cliActor());
        if (!o.json) {
          printImport('establishments', imported.register);
          printImport('inspections', imported.records);
        }
        const r = await evaluateBoston(app, o.from, o.to, o.model);
        if (r.model.cases === 0) throw new Error(`no routine inspection in ${o.from} .. ${o.to}`);
        if (o.json) {
          const { text: _t, ...rest } = r;
          out(JSON.stringify(rest, null, 2));
        } else out('\n' + r.text);
      },
      { quiet: true },
    ),
  );

program
  .command('explain <uscc>')
  .description(
    'score as of a date: the score and tier an enterprise had (or would have had), with every indicator, its points and the records behind it',
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
        const e = await app.get(ScoringService).scoreAsOf(parseUscc(uscc), o.asOf);
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
      const r = await app.get(ScoringService).takeSnapshot(todayInShanghai(), cliActor());
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

const scorecard = program.command('scorecard').description('scorecard versions (a new version is a new row)');
scorecard
  .command('list')
  .description('list the stored scorecard versions; * marks the active one')
  .action(() =>
    withAppContext(
      async (app) => {
        for (const v of await app.get(ScoringService).scorecardVersions())
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
      const r = await app.get(ScoringService).activateScorecard(version, cliActor());
      out(
        `active scorecard: ${r.before ?? '(none)'} -> ${r.after} (in force for scores as of ${r.run.asOf} and later)`,
      );
      out(`rescored ${r.run.enterprises} enterprises as of ${r.run.asOf} (run ${r.run.runId})`);
      printTiers(r.run.tierCounts);
    }),
  );

const user = program.command('user').description('users and roles (the first admin is created here)');
user
  .command('create')
  .description(
    'create a user; the password is read from stdin with --password-stdin, or generated and printed once',
  )
  .requiredOption('--username <name>', 'lower case, 3-64 of a-z 0-9 . _ -')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .option('--display-name <name>', 'name shown in documents (default: the username)')
  .addOption(
    new Option('--department <code>', 'regulator, inspector: department').choices(Object.keys(DEPARTMENTS)),
  )
  .option('--credential-no <no>', 'inspector: enforcement credential number (执法证号)')
  .option('--uscc <uscc>', 'enterprise user: USCC of its enterprise')
  .option('--password-stdin', 'read the password from the first line of standard input', false)
  .action(
    (o: {
      username: string;
      role: (typeof ROLES)[number];
      displayName?: string;
      department?: string;
      credentialNo?: string;
      uscc?: string;
      passwordStdin: boolean;
    }) =>
      withAppContext(
        async (app) => {
          const password = o.passwordStdin ? await firstLineOfStdin() : generatePassword();
          const dto = plainToInstance(CreateUserDto, {
            username: o.username,
            password,
            displayName: o.displayName ?? o.username,
            role: o.role,
            department: o.department,
            credentialNo: o.credentialNo,
            uscc: o.uscc,
          });
          const errors = await validate(dto);
          if (errors.length)
            throw new Error(
              errors
                .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`)
                .join(' | '),
            );
          const created = await app.get(UsersService).create(dto, cliActor());
          out(
            `created user ${created.id}: ${created.username} (${created.role}${created.department ? `, ${created.department}` : ''}${created.uscc ? `, ${created.uscc}` : ''})`,
          );
          if (!o.passwordStdin) out(`password (shown once): ${password}`);
        },
        { quiet: true },
      ),
  );
user
  .command('list')
  .description('list users')
  .action(() =>
    withAppContext(
      async (app) => {
        const r = await app.get(UsersService).list({ page: 1, pageSize: 200 });
        for (const u of r.items)
          out(
            `${String(u.id).padStart(5)}  ${u.username.padEnd(24)} ${u.role.padEnd(10)} ${u.department ?? ''}${u.credentialNo ? ` ${u.credentialNo}` : ''}${u.uscc ? ` ${u.uscc}` : ''}`,
          );
        out(`${r.total} users`);
      },
      { quiet: true },
    ),
  );
user
  .command('delete <username>')
  .description('delete a user (its tokens stop working at once; the row stays for the audit trail)')
  .action((username: string) =>
    withAppContext(
      async (app) => {
        const users = app.get(UsersService);
        const u = await users.forLogin(username);
        if (!u) throw new Error(`no user ${username}`);
        await users.delete(u.id, cliActor());
        out(`deleted user ${u.id}: ${username}`);
      },
      { quiet: true },
    ),
  );

const audit = program.command('audit').description('the audit trail (全过程留痕)');
audit
  .command('verify')
  .description('walk the hash chain and report the first broken link (exit 1 when broken)')
  .option('--expect-head <seq:hash>', 'a head recorded earlier: the chain must still reach it with this hash')
  .action((o: { expectHead?: string }) =>
    withAppContext(
      async (app) => {
        let expect: { seq: number; hash: string } | undefined;
        if (o.expectHead) {
          const m = /^(\d+):([0-9a-f]{64})$/.exec(o.expectHead);
          if (!m) throw new Error(`--expect-head must be <seq>:<64 hex>, not '${o.expectHead}'`);
          expect = { seq: Number(m[1]), hash: m[2]! };
        }
        const r = await app.get(AuditService).verify(expect);
        if (r.ok) {
          out(`audit chain intact: ${r.entries} entries`);
          if (expect) out(`the recorded head ${expect.seq} is in the chain with the same hash`);
          const last = r.latestCheckpoint;
          out(
            last
              ? `${r.checkpoints} signed checkpoint(s) hold, the newest at entry ${last.seq} (${last.at})`
              : 'no signed checkpoint yet (sign one with `audit checkpoint`)',
          );
          out(`head: ${r.head.seq}:${r.head.hash}  (record it; check later with --expect-head)`);
        } else {
          out(`audit chain BROKEN at entry ${r.broken!.seq}: ${r.broken!.reason}`);
          out(`intact up to: ${r.head.seq}:${r.head.hash} (${r.entries} entries)`);
          // an error exits 1 (process.exitCode would be reset by the embedded server's exit hook)
          throw new Error(`the audit chain is broken at entry ${r.broken!.seq}`);
        }
      },
      { quiet: true },
    ),
  );

audit
  .command('checkpoint')
  .description(
    'walk the chain, then sign its head with the checkpoint key (AUDIT_KEY_FILE) and store it in the database and the file beside the key',
  )
  .action(() =>
    withAppContext(
      async (app) => {
        const cp = await app.get(AuditService).checkpoint();
        out(`signed checkpoint: ${cp.seq}:${cp.hash} at ${cp.at} (key ${cp.keyId})`);
      },
      { quiet: true },
    ),
  );

/** A random password meeting the policy (letters and digits, 20 characters, each drawn uniformly). */
function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const pw = Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return /\d/.test(pw) && /[A-Za-z]/.test(pw) ? pw : generatePassword();
}

async function firstLineOfStdin(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) {
    data += chunk;
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0]!;
}

// output piped into `head` and closed early is not a failure
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

/** What distinguishes a record of its kind in a one-line listing: `(changed particular)`, `(outcome)`... */
function recordDetail(r: ExplainedRecord): string {
  const detail = r.changeItem ?? r.penaltySeverity ?? r.listType ?? r.outcome;
  return detail ? ` (${detail})` : '';
}
