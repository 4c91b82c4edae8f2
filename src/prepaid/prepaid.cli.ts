import type { Command } from 'commander';
import { registerAlertCommands } from './alerts/alerts.cli.js';
import { registerEvaluationCommands } from './evaluation/evaluation.cli.js';
import { registerPrepaidIssuerCommands } from './issuers/prepaid-issuers.cli.js';
import { registerScenarioCommands } from './scenarios/scenarios.cli.js';

/**
 * `supervision prepaid ...`: the prepaid early-warning commands (issue 14). Each part of the feature
 * registers its subcommands on the `prepaid` command from its own folder; this function composes them.
 */
export function registerPrepaidCommands(program: Command): void {
  const prepaid = program
    .command('prepaid')
    .description('预付式消费风险预警: issuers, reports, signals, evaluation, alerts');
  registerEvaluationCommands(prepaid);
  registerAlertCommands(prepaid);
  registerPrepaidIssuerCommands(prepaid);
  registerScenarioCommands(prepaid);
}
