import type { Command } from 'commander';
import { withAppContext } from '../../bootstrap.js';
import { fail, out } from '../../cli-kit.js';
import { ALERT_LEVELS } from '../rules/risk-facts.js';
import { PrepaidAlertsService } from './alerts.service.js';
import { ALERT_STATUSES } from './rules/alert-rules.js';

/**
 * `supervision prepaid alerts list [--status S] [--level L] [--overdue]`: the alerts as the list page
 * shows them, one line each (id, USCC, name, level, status, due day, overdue, assignee), up to 200.
 */
export function registerAlertCommands(prepaid: Command): void {
  const alerts = prepaid.command('alerts').description('prepaid-risk alerts (风险预警)');
  alerts
    .command('list')
    .description('list alerts, most urgent first')
    .option('--status <status>', `one of ${ALERT_STATUSES.join(', ')}`)
    .option('--level <level>', `one of ${ALERT_LEVELS.join(', ')}`)
    .option('--overdue', 'only overdue alerts')
    .action((opts: { status?: string; level?: string; overdue?: boolean }) => {
      if (opts.status && !(ALERT_STATUSES as readonly string[]).includes(opts.status))
        fail(new Error(`--status ${opts.status}: one of ${ALERT_STATUSES.join(', ')}`));
      if (opts.level && !(ALERT_LEVELS as readonly string[]).includes(opts.level))
        fail(new Error(`--level ${opts.level}: one of ${ALERT_LEVELS.join(', ')}`));
      return withAppContext(async (app) => {
        const page = await app.get(PrepaidAlertsService).list({
          status: opts.status,
          level: opts.level,
          overdue: opts.overdue ? true : undefined,
          page: 1,
          pageSize: 200,
        });
        out(
          `${page.total} alert(s)${page.total > page.items.length ? `, the first ${page.items.length}` : ''}`,
        );
        for (const a of page.items)
          out(
            [
              a.id,
              a.uscc,
              a.name,
              a.level,
              a.status,
              `due ${a.dueOn}`,
              a.overdue ? 'OVERDUE' : '',
              a.assignee?.displayName ?? '-',
            ]
              .filter((x) => x !== '')
              .join('\t'),
          );
      });
    });
}
