import type { Command } from 'commander';
import { withAppContext } from '../../bootstrap.js';
import { commandGroup, dateOption, out } from '../../cli-kit.js';
import { VisitsService } from '../visits/visits.service.js';
import { AlertsService } from './alerts.service.js';

function yearOption(v: string): number {
  const y = Number(v);
  if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new Error(`'${v}' is not a year from 2000 to 2100`);
  return y;
}

/**
 * `report no-disturbance|visits|alerts`: the 无事不扰 report (exit 1 when there is a violation),
 * the joint-visit savings, the frequency alerts; the same services as the API.
 */
export function registerReportCommands(program: Command): void {
  const report = commandGroup(program, 'report', 'reports of inspections: no-disturbance, visits, alerts');

  report
    .command('no-disturbance')
    .description(
      '无事不扰: every task on an enterprise of tier A when made, by kind, with its triggers; exits 1 when a routine task or an event task without a trigger is found',
    )
    .option('--from <date>', 'first day (default 1 January of this year)', dateOption)
    .option('--to <date>', 'last day (default today)', dateOption)
    .action((o: { from?: string; to?: string }) =>
      withAppContext(async (app) => {
        const r = await app.get(AlertsService).noDisturbance({ ...o, page: 1, pageSize: 1000 });
        out(r.summary);
        out(
          `  tasks on tier-${r.bestTier} enterprises: ${r.tasks} (routine ${r.byKind.routine}, event ${r.byKind.event})`,
        );
        for (const t of r.items)
          out(
            `  task ${t.taskId}\t${t.kind}\t${t.enterprise.uscc} ${t.enterprise.name}\t${t.department}\t${t.triggers.map((g) => `${g.kind}: ${g.reason}`).join(' | ') || '-'}${t.violation ? `\tVIOLATION: ${t.violation}` : ''}`,
          );
        if (r.tasks > r.items.length) out(`  (the first ${r.items.length} of ${r.tasks} listed)`);
        // an error exits 1 (process.exitCode would be reset by the embedded server's exit hook)
        if (r.violations)
          throw new Error(`${r.violations} violation(s) of 无事不扰: tasks ${r.violationTaskIds.join(', ')}`);
      }),
    );

  report
    .command('visits')
    .description(
      'joint visits of a year: tasks, visits, joint visits, visits saved by merging, by department',
    )
    .option('--year <year>', 'default this year', yearOption)
    .action((o: { year?: number }) =>
      withAppContext(async (app) => {
        const r = await app.get(VisitsService).report(o.year);
        out(
          `${r.year}: ${r.tasks} task(s) in ${r.visits} visit(s), ${r.jointVisits} joint; ${r.saved} visit(s) saved by merging`,
        );
        for (const d of r.byDepartment)
          out(
            `  ${d.department}\ttasks ${d.tasks}\tin joint visits ${d.inJointVisits}\tled ${d.led}\tsaved ${d.saved}`,
          );
      }),
    );

  report
    .command('alerts')
    .description('frequency alerts of a year: over the cap, repeat visits, inspectors to review')
    .option('--year <year>', 'default this year', yearOption)
    .action((o: { year?: number }) =>
      withAppContext(async (app) => {
        const r = await app.get(AlertsService).alerts(o.year);
        out(
          `${r.year}: ${r.overCap.length} over the cap, ${r.repeatVisits.length} repeat-visit alert(s), ${r.inspectorsToReview.length} inspector(s) to review`,
        );
        for (const a of r.overCap)
          out(
            `  over cap\t${a.enterprise.uscc} ${a.enterprise.name}\ttier ${a.tier ?? '-'}\t${a.checks} checks, cap ${a.cap}`,
          );
        for (const a of r.repeatVisits)
          out(
            `  repeat (${a.rule}, limit ${a.limit})\t${a.enterprise.uscc} ${a.enterprise.name}\t${a.from}..${a.to}\t${a.visits.join(', ')}`,
          );
        for (const a of r.inspectorsToReview)
          out(
            `  review\t${a.inspector.displayName} ${a.inspector.credentialNo}\t${a.enterprise.uscc} ${a.enterprise.name}\t${a.streak} in a row without finding`,
          );
      }),
    );
}
