import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { out } from '../../cli-kit.js';
import type { CatalogImportReport } from './catalog-csv.js';
import { ItemsService } from './items.service.js';
import { RosterService } from './roster.service.js';
import { CHECK_METHOD_LABELS } from './rules/catalog-input.js';

/** Prints an import's report: counts, then every rejected row (nothing stored when there is one). */
function printReport(title: string, r: CatalogImportReport): void {
  out(`${title}: ${r.file} (${r.encoding})`);
  out(
    `  rows ${r.rows}, inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected} (${(r.elapsedMs / 1000).toFixed(1)} s)`,
  );
  for (const x of r.rejections.slice(0, 20)) out(`  line ${x.line}: ${x.field}: ${x.reason}`);
  if (r.rejections.length > 20) out(`  … ${r.rejections.length - 20} more`);
  if (r.rejectsFile) out(`  every rejected row: ${r.rejectsFile}`);
  if (r.rejected) out(`  ${r.rejected} row(s) rejected: nothing of ${r.file} was imported`);
}

/** The message of a refused file (an UnprocessableEntityException from the importer). */
function refusal(e: unknown): Error {
  const body = (e as { getResponse?: () => unknown }).getResponse?.() as { message?: string } | undefined;
  return body?.message ? new Error(body.message) : (e as Error);
}

/**
 * `items import <file>`, `items list`, `inspectors import <file>`, `inspectors list`: the
 * inspection item list and the inspector roster from the command line, through the same
 * importers as the API (all or nothing; exit 1 when a row is rejected, with every rejection
 * printed and written to --rejects).
 */
export function registerCatalogCommands(program: Command): void {
  const items = program.command('items').description('the inspection item list (随机抽查事项清单)');
  items
    .command('import <file>')
    .description(
      'import items from CSV (columns: docs/import-formats.md "Inspection items"; UTF-8 or GB18030)',
    )
    .option(
      '--rejects <file>',
      'write every rejected row (line, field, reason) to this CSV',
      'rejects/items.rejects.csv',
    )
    .action((file: string, o: { rejects: string }) =>
      withAppContext(async (app) => {
        const report = await app
          .get(ItemsService)
          .importFile(file, null, cliActor(), { rejectsFile: o.rejects })
          .catch((e) => {
            throw refusal(e);
          });
        printReport('items import', report);
        if (report.rejected)
          throw new Error(`${report.rejected} row(s) of ${file} rejected: nothing imported`);
      }),
    );
  items
    .command('list')
    .description('list the items by department and code')
    .option('--department <code>', 'one department (market, health, fire, ...)')
    .option('--all', 'deactivated items too', false)
    .action((o: { department?: string; all: boolean }) =>
      withAppContext(async (app) => {
        const { items: list, total } = await app.get(ItemsService).list({
          page: 1,
          pageSize: 100_000,
          department: o.department,
          active: o.all ? undefined : true,
        });
        for (const i of list)
          out(
            `${i.code.padEnd(12)} ${i.department.padEnd(8)} ${CHECK_METHOD_LABELS[i.checkMethod]} ${i.active ? '' : '(停用) '}${i.name}` +
              `${i.fullCoverage ? ` [全覆盖 ${i.fullCoveragePerYear}次/年]` : ''} 行业: ${i.industries.join(',') || '全部'}`,
          );
        out(`${total} item(s)`);
      }),
    );

  const inspectors = program.command('inspectors').description('the inspector roster (执法检查人员名录库)');
  inspectors
    .command('import <file>')
    .description('import roster entries from CSV (columns: docs/import-formats.md "Inspector roster")')
    .option(
      '--rejects <file>',
      'write every rejected row (line, field, reason) to this CSV',
      'rejects/inspectors.rejects.csv',
    )
    .action((file: string, o: { rejects: string }) =>
      withAppContext(async (app) => {
        const report = await app
          .get(RosterService)
          .importFile(file, null, cliActor(), { rejectsFile: o.rejects })
          .catch((e) => {
            throw refusal(e);
          });
        printReport('inspectors import', report);
        if (report.rejected)
          throw new Error(`${report.rejected} row(s) of ${file} rejected: nothing imported`);
      }),
    );
  inspectors
    .command('list')
    .description('list the inspectors by department and credential number')
    .option('--department <code>', 'one department')
    .option('--item <code>', 'only those qualified for this item')
    .action((o: { department?: string; item?: string }) =>
      withAppContext(async (app) => {
        const { items: list, total } = await app
          .get(RosterService)
          .list({ page: 1, pageSize: 100_000, department: o.department, itemCode: o.item });
        for (const i of list)
          out(
            `${i.credentialNo.padEnd(14)} ${i.department.padEnd(8)} ${i.username.padEnd(22)} ${i.displayName} ` +
              `${i.onRoster ? '在库' : '不在库'}${i.active ? '' : ' (账号停用)'} 事项: ${i.items.map((x) => x.code).join(',') || '无'}` +
              ` 片区: ${i.areas.join('、') || '全区'}`,
          );
        out(`${total} inspector(s)`);
      }),
    );
}
