import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { cliActor } from '../audit/actor.js';
import { withAppContext } from '../bootstrap.js';
import { countOption, out } from '../cli-kit.js';
import { writeDrawCsv, writeDrawJson } from './draw-export.js';
import { DrawService } from './draw.service.js';
import type { DrawView } from './dto/draw.dto.js';
import { parseRatios } from './rules/draw.js';

/**
 * An earlier draw's files are evidence of what was drawn (the published list): never replaced
 * silently.
 * @throws Error naming the first of `<prefix>.csv`, `<prefix>.json` that exists
 */
function refuseExisting(prefix: string): void {
  for (const file of [`${prefix}.csv`, `${prefix}.json`])
    if (existsSync(file))
      throw new Error(
        `${file} exists (an earlier draw's list): choose another --out, or add --force to replace it`,
      );
}

/** `base`, or `base-2`, `base-3`... whichever has neither file yet (draws of another database may share ids). */
function freshPrefix(base: string): string {
  for (let n = 1; ; n++) {
    const prefix = n === 1 ? base : `${base}-${n}`;
    if (!existsSync(`${prefix}.csv`) && !existsSync(`${prefix}.json`)) return prefix;
  }
}

/**
 * Writes a stored draw to `<prefix>.csv` (writeDrawCsv: the API's download, byte for byte) and
 * `<prefix>.json` (the draw with its targets), read back from the database, and audits the export.
 */
async function writeDrawFiles(app: INestApplicationContext, draw: DrawView, prefix: string): Promise<void> {
  const ds = app.get(DataSource);
  mkdirSync(path.dirname(path.resolve(prefix)), { recursive: true });
  await app.get(DrawService).recordExport(draw.id, cliActor(), 'csv+json', prefix);
  await writeDrawCsv(ds, draw.id, createWriteStream(`${prefix}.csv`));
  await writeDrawJson(ds, draw, createWriteStream(`${prefix}.json`));
}

function printDraw(d: DrawView): void {
  out(
    `draw ${d.id}: seed '${d.seed}', ${d.algorithm}, ${d.candidates} candidates (digest ${d.candidatesDigest.slice(0, 16)}…)`,
  );
  for (const t of d.perTier) out(`  ${t.tier}: ${t.selected} of ${t.candidates ?? '?'} (ratio ${t.ratio})`);
}

/**
 * `draw --seed s --ratio A=0,B=0.05,... [--note n] [--out prefix] [--force]`: the tiered random
 * draw (双随机抽取), its list written to `<prefix>.csv` and `<prefix>.json`; `draw list`: the stored
 * draws; `draw export <id> [--out prefix] [--force]`: a stored draw's files again.
 */
export function registerInspectionCommands(program: Command): void {
  const draw = program
    .command('draw')
    // `draw export 3 --out x`: --out and --force after a subcommand are the subcommand's (with the program's)
    .enablePositionalOptions()
    .description(
      'draw inspection targets per risk tier with a seeded generator (双随机抽取); same inputs and seed, same list. Subcommands: draw list, draw export <id>',
    )
    .option('--seed <text>', 'the published seed of this draw (required)')
    .option(
      '--ratio <ratios>',
      'share per tier, e.g. A=0,B=0.05,C=0.2,D=0.6 (tier A gets no routine draw; required)',
    )
    .option('--note <text>', 'a note stored with the draw (at most 200 characters)')
    .option(
      '--out <prefix>',
      'write <prefix>.csv and <prefix>.json (default draws/draw-<draw id>, new for every draw); an existing file is refused',
    )
    .option('--force', 'replace the files of --out when they exist', false)
    .action((opts: { seed?: string; ratio?: string; note?: string; out?: string; force: boolean }) => {
      // not commander's required options: they would be required of `draw list` and `draw export` too
      if (opts.seed === undefined) throw new Error("required option '--seed <text>' not specified");
      if (opts.ratio === undefined) throw new Error("required option '--ratio <ratios>' not specified");
      const seed = opts.seed;
      const ratios = parseRatios(opts.ratio);
      if (opts.out !== undefined && !opts.force) refuseExisting(opts.out);
      return withAppContext(async (app) => {
        const d = await app.get(DrawService).draw(seed, ratios, undefined, opts.note ?? null);
        const prefix = opts.out ?? freshPrefix(`draws/draw-${d.drawId}`);
        await writeDrawFiles(app, d.view, prefix);
        printDraw(d.view);
        out(`  selected ${d.selected.length}: ${prefix}.csv, ${prefix}.json`);
      });
    });

  draw
    .command('list')
    .description('the stored draws, newest first: id, when, by whom, seed, ratios, selected of candidates')
    .option('--limit <n>', 'how many', countOption, 50)
    .action((opts: { limit: number }) =>
      withAppContext(async (app) => {
        const { items, total } = await app.get(DrawService).list(1, Math.max(1, Math.min(opts.limit, 1000)));
        out(`${total} draw(s)${total > items.length ? `, the newest ${items.length}` : ''}`);
        for (const d of items)
          out(
            `${d.id}\t${d.createdAt}\t${d.createdBy?.name ?? '-'}\t'${d.seed}'\t${Object.entries(d.ratios)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}\t${d.selected} of ${d.candidates}${d.note ? `\t${d.note}` : ''}`,
          );
      }),
    );

  draw
    .command('export <id>')
    .description(
      "write a stored draw's list again: <prefix>.csv (as GET /api/draws/:id/list.csv) and <prefix>.json",
    )
    .option(
      '--out <prefix>',
      'write <prefix>.csv and <prefix>.json (default draws/draw-<id>); an existing file is refused',
    )
    .option('--force', 'replace the files of --out when they exist', false)
    .action((id: string, opts: { out?: string; force: boolean }) => {
      if (!/^[1-9]\d{0,14}$/.test(id)) throw new Error(`draw id '${id}' is not a positive integer`);
      const prefix = opts.out ?? `draws/draw-${id}`;
      if (!opts.force) refuseExisting(prefix);
      return withAppContext(async (app) => {
        const d = await app.get(DrawService).one(Number(id));
        await writeDrawFiles(app, d, prefix);
        printDraw(d);
        out(`  ${d.selected} targets: ${prefix}.csv, ${prefix}.json`);
      });
    });
}
