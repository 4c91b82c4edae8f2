import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { dateOption, out } from '../../cli-kit.js';
import { commitmentOf, secretProblem } from '../rules/plan-draw.js';
import { REPLACEMENT_REASONS, type PlanDrawView } from './dto/plan-draw.dto.js';
import { PlanDrawsService } from './plan-draws.service.js';

const positiveId = (v: string): number => {
  if (!/^[1-9]\d{0,14}$/.test(v)) throw new Error(`'${v}' is not a positive integer`);
  return Number(v);
};

/**
 * The secret in `file` (its first line), or, when the file does not exist, a new one (32 random
 * bytes, hex) written there readable by the owner only (0600). The secret never leaves this
 * machine before the reveal: only its SHA-256 is sent.
 * @throws Error when the secret in the file is not acceptable (secretProblem)
 */
function secretFrom(file: string, create: boolean): string {
  if (!existsSync(file)) {
    if (!create) throw new Error(`${file} does not exist`);
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    process.stderr.write(`a new secret was written to ${file} (0600): keep it safe until the reveal\n`);
  }
  const secret = readFileSync(file, 'utf8').split(/\r?\n/)[0]!;
  const problem = secretProblem(secret);
  if (problem) throw new Error(`the secret in ${file}: ${problem}`);
  return secret;
}

function printDraw(d: PlanDrawView): void {
  out(
    `draw ${d.id}: ${d.plan.planNo} v${d.plan.version} ${d.batch.name} (${d.batch.windowStart}..${d.batch.windowEnd}), ${d.status}`,
  );
  out(`  commitment     ${d.commitment}`);
  out(`  public source  ${d.publicSource}`);
  if (d.publicValue !== null) out(`  public value   ${d.publicValue}`);
  if (d.finalSeed !== null) out(`  final seed     ${d.finalSeed}`);
  out(`  inputs digest  ${d.inputsDigest}`);
  for (const i of d.inputs) out(`    ${i.name.padEnd(10)} ${i.digest} (${i.lines} lines)`);
  if (d.resultDigest) out(`  result digest  ${d.resultDigest}`);
  if (d.summary) {
    out(
      `  ${d.summary.targets} targets, ${d.summary.enterprises} enterprises, ${d.summary.tasks} tasks, ${d.summary.inspectors} inspectors, ${d.summary.skippedForRecusal} skipped for recusal`,
    );
    for (const s of d.summary.strata)
      if (s.ratio !== '0.000000')
        out(`    ${s.itemCode} ${s.tier}: ${s.drawn} of ${s.eligible} (ratio ${s.ratio})`);
    for (const f of d.summary.fullCoverage)
      out(`    ${f.itemCode} full coverage: ${f.enterprises} enterprises, ${f.perYear} a year`);
  }
}

/**
 * The draw of a plan's batch (docs/draw-verification.md) under the existing `draw` command:
 * `draw commit --batch <id> --secret-file <f> --public-source <text> [--tier-date d]`,
 * `draw reveal <id> --secret-file <f>`, `draw run <id>`,
 * `draw verify <id>` (exit 0 match, 1 differs), `draw replace <id> --item c --tier t --position n
 * --reason r [--note n]`. The CLI acts as `cli:<os user>`.
 */
export function registerPlanDrawCommands(program: Command): void {
  const draw =
    program.commands.find((c) => c.name() === 'draw') ??
    program.command('draw').description('draws (双随机抽取)');
  const service = (fn: (s: PlanDrawsService) => Promise<void>) => () =>
    withAppContext((app) => fn(app.get(PlanDrawsService)));

  draw
    .command('commit')
    .description(
      "commit to the draw of a plan's batch: the secret's SHA-256 (the secret stays in --secret-file, created with a random secret when absent, 0600) and the public source; freezes the inputs",
    )
    .requiredOption('--batch <id>', 'the batch of a published plan', positiveId)
    .requiredOption('--secret-file <file>', 'file holding the secret (first line); created when absent')
    .requiredOption(
      '--public-source <text>',
      'which public value, fixed after the commitment, will be combined',
    )
    .option('--tier-date <date>', 'tiers as of this day (default today)', dateOption)
    .action((opts: { batch: number; secretFile: string; publicSource: string; tierDate?: string }) => {
      const secret = secretFrom(opts.secretFile, true);
      return service(async (s) => {
        const d = await s.commit(
          {
            batchId: opts.batch,
            commitment: commitmentOf(secret),
            publicSource: opts.publicSource,
            tierDate: opts.tierDate,
          },
          cliActor(),
        );
        printDraw(d);
        out(
          `  next: another person, signed in, types the public value on the draw page (or POST /api/plan-draws/${d.id}/public-value); then draw reveal ${d.id}`,
        );
      })();
    });

  draw
    .command('reveal <id>')
    .description('reveal the secret of a draw (checked against its commitment)')
    .requiredOption('--secret-file <file>', 'file holding the secret (first line)')
    .action((id: string, opts: { secretFile: string }) => {
      const secret = secretFrom(opts.secretFile, false);
      return service(async (s) => printDraw(await s.reveal(positiveId(id), secret, cliActor())))();
    });

  draw
    .command('run <id>')
    .description('draw targets, tasks and inspectors of a revealed draw')
    .action((id: string) => service(async (s) => printDraw(await s.run(positiveId(id), cliActor())))());

  draw
    .command('verify <id>')
    .description('recompute a draw from its stored inputs and compare (exit 0: match, 1: differs)')
    .action((id: string) =>
      service(async (s) => {
        const v = await s.verify(positiveId(id));
        for (const c of v.checks)
          out(
            `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}${c.ok ? '' : ` (expected ${c.expected ?? '-'}, got ${c.actual ?? '-'})`}`,
          );
        out(v.match ? `draw ${id}: match (${v.elapsedMs} ms)` : `draw ${id}: DIFFERS`);
        if (!v.match) process.exitCode = 1;
      })(),
    );

  draw
    .command('replace <id>')
    .description('replace a target that cannot be inspected by the next position of the same shuffle')
    .requiredOption('--item <code>', 'item code of the target')
    .requiredOption('--tier <tier>', 'tier of the target')
    .requiredOption('--position <n>', 'position of the target', positiveId)
    .requiredOption('--reason <reason>', REPLACEMENT_REASONS.join(' | '))
    .option('--note <text>', 'what was found')
    .action(
      (id: string, opts: { item: string; tier: string; position: number; reason: string; note?: string }) => {
        if (!(REPLACEMENT_REASONS as readonly string[]).includes(opts.reason))
          throw new Error(`--reason must be one of ${REPLACEMENT_REASONS.join(', ')}`);
        return service(async (s) => {
          const r = await s.replace(
            positiveId(id),
            {
              itemCode: opts.item,
              tier: opts.tier,
              position: opts.position,
              reason: opts.reason as (typeof REPLACEMENT_REASONS)[number],
              note: opts.note,
            },
            cliActor(),
          );
          out(
            `replaced ${r.replaced.itemCode} ${r.replaced.tier} #${r.replaced.position} ${r.replaced.uscc} ${r.replaced.name}`,
          );
          out(
            `  by #${r.replacement.position} ${r.replacement.uscc} ${r.replacement.name} (task ${r.replacement.taskId})`,
          );
        })();
      },
    );
}
