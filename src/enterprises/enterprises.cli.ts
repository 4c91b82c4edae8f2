import type { Command } from 'commander';
import { commandGroup, csvImportCommand } from '../cli-kit.js';
import { rescoreAndPrint } from '../credit/credit.cli.js';
import { RegisterImportService } from './import/register-import.service.js';

/** `import register <file>`: the register CSV (docs/import-formats.md). */
export function registerEnterpriseCommands(program: Command): void {
  csvImportCommand(commandGroup(program, 'import', 'import data: register, records, jinan'), {
    name: 'register',
    title: 'register',
    what: 'an enterprise register',
    service: RegisterImportService,
    rescore: rescoreAndPrint,
    options: [
      [
        '--accept-bad-check-char',
        'keep rows whose USCC fails only its check character(s), flagged for review (uscc_check_char_failed)',
      ],
    ],
  });
}
