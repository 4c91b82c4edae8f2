import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withAppContext } from '../bootstrap.js';
import { out } from '../cli-kit.js';
import { DrawService } from './draw.service.js';
import { parseRatios } from './rules/draw.js';

/** `draw --seed s --ratio A=0,B=0.05,... [--out prefix]`: the tiered random draw (双随机抽取). */
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
}
