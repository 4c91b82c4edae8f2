#!/usr/bin/env node
import { Command } from 'commander';
import { fail } from './cli-kit.js';
import { registerAuditCommands } from './audit/audit.cli.js';
import { registerAuthCommands } from './auth/auth.cli.js';
import { registerCheckCodeKeyCommands } from './check-codes/keys.cli.js';
import { registerCheckCodeCommands } from './check-codes/codes/codes.cli.js';
import { registerCreditCommands } from './credit/credit.cli.js';
import { registerReminderCommands } from './credit-repair/reminders/reminders.cli.js';
import { registerCreditRepairCommands } from './credit-repair/applications/repair.cli.js';
import { registerDatabaseCommands } from './database/database.cli.js';
import { registerDemoCommands } from './demo/demo.cli.js';
import { registerEnterpriseCommands } from './enterprises/enterprises.cli.js';
import { registerEvaluationCommands } from './evaluation/evaluation.cli.js';
import { registerCatalogCommands } from './inspections/catalog/catalog.cli.js';
import { registerInspectionCommands } from './inspections/inspections.cli.js';
import { registerPlanCommands } from './inspections/plans/plans.cli.js';
import { registerReportCommands } from './inspections/alerts/reports.cli.js';
import { registerTriggerCommands } from './inspections/triggers/triggers.cli.js';
import { registerPlanDrawCommands } from './inspections/plan-draws/plan-draws.cli.js';
import { registerPenaltyCommands } from './penalties/penalties.cli.js';
import { registerPrepaidCommands } from './prepaid/prepaid.cli.js';

/**
 * Operators' command line: `npm run cli -- <command> [options]` (or the `supervision` bin).
 * Every command has --help; failures exit non-zero with a one-line reason. Each feature registers
 * its own commands from its folder (`<feature>.cli.ts`); this file only composes them.
 */
const program = new Command('supervision')
  .description("信用风险分类监管服务 operators' commands (database: DATABASE_URL or the embedded PostgreSQL)")
  .showHelpAfterError(false)
  // options after a subcommand are the subcommand's (`draw export 3 --out x`, not draw's own --out)
  .enablePositionalOptions();

registerDatabaseCommands(program);
registerEnterpriseCommands(program);
registerCreditCommands(program);
registerCreditRepairCommands(program);
registerInspectionCommands(program);
registerCatalogCommands(program);
registerPlanCommands(program);
registerTriggerCommands(program);
registerReportCommands(program);
registerPlanDrawCommands(program);
registerCheckCodeCommands(program);
registerPenaltyCommands(program);
registerPrepaidCommands(program);
registerReminderCommands(program);
registerDemoCommands(program);
registerEvaluationCommands(program);
registerAuthCommands(program);
registerAuditCommands(program);
registerCheckCodeKeyCommands(program);

// output piped into `head` and closed early is not a failure
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

program.parseAsync(process.argv).catch(fail);
// a database that goes away can surface outside the command's promise (a pooled socket's error)
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
