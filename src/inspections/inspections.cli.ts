import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withAppContext } from '../bootstrap.js';
import { out } from '../cli-kit.js';
import { DrawService } from './draw.service.js';
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
 * `draw --seed s --ratio A=0,B=0.05,... [--out prefix] [--force]`: the tiered random draw
 * (双随机抽取), its list written to `<prefix>.csv` and `<prefix>.json`.
 */
export function registerInspectionCommands(program: Command): void {
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
    .option(
      '--out <prefix>',
      'write <prefix>.csv and <prefix>.json (default draws/draw-<draw id>, new for every draw); an existing file is refused',
    )
    .option('--force', 'replace the files of --out when they exist', false)
    .action((opts: { seed: string; ratio: string; out?: string; force: boolean }) =>
      withAppContext(async (app) => {
        const ratios = parseRatios(opts.ratio);
        if (opts.out !== undefined && !opts.force) refuseExisting(opts.out);
        const d = await app.get(DrawService).draw(opts.seed, ratios);
        const o = { out: opts.out ?? freshPrefix(`draws/draw-${d.drawId}`) };
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
}
