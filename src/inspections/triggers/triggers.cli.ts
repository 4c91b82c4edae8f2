import type { Command } from 'commander';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { dateOption, out } from '../../cli-kit.js';
import { todayInShanghai } from '../../common/clock.js';
import { TRIGGER_KINDS, TriggerKind, TriggerView } from './dto/trigger.dto.js';
import { TriggersService } from './triggers.service.js';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function positiveId(v: string): number {
  if (!/^[1-9]\d{0,14}$/.test(v)) throw new Error(`'${v}' is not a positive integer id`);
  return Number(v);
}

function printTrigger(t: TriggerView): void {
  out(
    `trigger ${t.id}: ${t.status}, ${t.kind}, ${t.enterprise.uscc} ${t.enterprise.name}, department ${t.department}, received ${t.receivedOn}`,
  );
  out(`  reason: ${t.reason}${t.sourceRef ? ` (${t.sourceRef})` : ''}`);
  if (t.items.length) out(`  items: ${t.items.map((i) => i.code).join(', ')}`);
  if (t.dismissalReason) out(`  dismissed: ${t.dismissalReason}`);
  if (t.task)
    out(
      `  task ${t.task.id} (${t.task.status}, ${t.task.windowStart}..${t.task.windowEnd}, visit ${t.task.visitId ?? '-'}), ${t.task.triggers} trigger(s), inspectors ${t.task.inspectors.map((i) => `${i.displayName} ${i.credentialNo}`).join(', ')}`,
    );
}

/**
 * `trigger add|accept|dismiss|list`: event-triggered checks (事件触发式检查) from the command line,
 * as the CLI operator (`cli:<os user>`, any department), through the same service and checks as
 * the API (POST /api/triggers, /accept, /dismiss).
 */
export function registerTriggerCommands(program: Command): void {
  const trigger = program
    .command('trigger')
    .description('event-triggered checks (事件触发式检查): add, accept, dismiss, list');

  trigger
    .command('add')
    .description(
      'propose a check of an enterprise with its reason (complaint, report, referral, data alert, legal requirement)',
    )
    .requiredOption('--uscc <code>', 'the enterprise (USCC)')
    .requiredOption('--kind <kind>', TRIGGER_KINDS.join(' | '))
    .requiredOption('--reason <text>', 'the stated reason')
    .requiredOption('--department <code>', 'the department to check (market, health, fire...)')
    .option('--items <codes>', 'item codes, comma-separated', list)
    .option('--source-ref <text>', 'complaint number, referral document number or alert id')
    .option('--received-on <date>', 'day received, YYYY-MM-DD (default today)', dateOption)
    .action(
      (o: {
        uscc: string;
        kind: string;
        reason: string;
        department: string;
        items?: string[];
        sourceRef?: string;
        receivedOn?: string;
      }) => {
        if (!(TRIGGER_KINDS as readonly string[]).includes(o.kind))
          throw new Error(`--kind must be one of ${TRIGGER_KINDS.join(', ')}, not '${o.kind}'`);
        return withAppContext(async (app) => {
          const t = await app.get(TriggersService).create(
            {
              enterpriseUscc: o.uscc,
              kind: o.kind as TriggerKind,
              reason: o.reason,
              department: o.department,
              itemCodes: o.items,
              sourceRef: o.sourceRef,
              receivedOn: o.receivedOn ?? todayInShanghai(),
            },
            cliActor(),
          );
          printTrigger(t);
        });
      },
    );

  trigger
    .command('accept <id>')
    .description(
      'accept a proposed trigger: a new event task with two inspectors drawn, or it joins an open one within the merge window',
    )
    .option('--items <codes>', "item codes, comma-separated (default: the trigger's)", list)
    .option(
      '--window-days <n>',
      'calendar days the new task has (default: setting eventTaskWindowDays)',
      (v) => Number(v),
    )
    .action((id: string, o: { items?: string[]; windowDays?: number }) => {
      const n = positiveId(id);
      if (o.windowDays !== undefined && !Number.isInteger(o.windowDays))
        throw new Error('--window-days must be a whole number of days');
      return withAppContext(async (app) => {
        const t = await app
          .get(TriggersService)
          .accept(n, { itemCodes: o.items, windowDays: o.windowDays }, cliActor());
        printTrigger(t);
        out(t.joinedExisting ? `  joined the open task ${t.task!.id}` : `  new task ${t.task!.id}`);
      });
    });

  trigger
    .command('dismiss <id>')
    .description('dismiss a proposed trigger with the reason')
    .requiredOption('--reason <text>', 'why no check follows')
    .action((id: string, o: { reason: string }) => {
      const n = positiveId(id);
      return withAppContext(async (app) =>
        printTrigger(await app.get(TriggersService).dismiss(n, o, cliActor())),
      );
    });

  trigger
    .command('list')
    .description('triggers, newest first')
    .option('--status <status>', 'proposed | accepted | dismissed')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .action((o: { status?: string; limit: number }) =>
      withAppContext(async (app) => {
        if (o.status && !['proposed', 'accepted', 'dismissed'].includes(o.status))
          throw new Error(`--status must be proposed, accepted or dismissed, not '${o.status}'`);
        const page = await app.get(TriggersService).list({
          status: o.status as 'proposed' | undefined,
          page: 1,
          pageSize: Math.max(1, Math.min(o.limit || 50, 200)),
        });
        out(
          `${page.total} trigger(s)${page.total > page.items.length ? `, the newest ${page.items.length}` : ''}`,
        );
        for (const t of page.items) printTrigger(t);
      }),
    );
}
