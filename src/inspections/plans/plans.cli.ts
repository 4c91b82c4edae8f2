import { HttpException } from '@nestjs/common';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { cliActor } from '../../audit/actor.js';
import { withAppContext } from '../../bootstrap.js';
import { out } from '../../cli-kit.js';
import { PLAN_STATUSES, type PlanStatus, type PlanView } from './dto/plan.dto.js';
import { PlansService } from './plans.service.js';

/** A positive integer id argument. @throws Error naming the argument */
function idArg(v: string): number {
  const n = Number(v);
  if (!/^[1-9][0-9]{0,15}$/.test(v) || !Number.isSafeInteger(n)) throw new Error(`'${v}' is not a plan id`);
  return n;
}

/**
 * Runs `work`; a refusal of the service (422 with its fields, 409, 404) becomes an Error whose
 * message lists every field at fault, one per line after the first (printed by the CLI's fail()).
 */
async function refusalsAsErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof HttpException)) throw e;
    const body = e.getResponse() as { message?: string; errors?: { field: string; reason: string }[] };
    if (Array.isArray(body.errors) && body.errors.length) {
      for (const f of body.errors) process.stderr.write(`  ${f.field}: ${f.reason}\n`);
      throw new Error(`refused (${e.getStatus()}): ${body.errors.length} field(s) at fault, listed above`, {
        cause: e,
      });
    }
    throw new Error(`refused (${e.getStatus()}): ${body.message ?? e.message}`, { cause: e });
  }
}

function printPlan(p: PlanView): void {
  out(
    `plan ${p.id}: ${p.planNo} version ${p.version} (${p.status}${p.late ? ', late' : ''}) ${p.year} ${p.title}`,
  );
  out(`  lead ${p.leadDepartment}; joint ${p.jointDepartments.join(', ') || '-'}`);
  if (p.replacesId) out(`  replaces plan ${p.replacesId}`);
  if (p.supersededById) out(`  superseded by plan ${p.supersededById}`);
  if (p.publishedAt) out(`  published ${p.publishedAt}`);
  out(`  items: ${p.items.map((i) => i.code).join(', ')}`);
  out(`  tiers: ${p.tiers.map((t) => `${t.tier} ${t.ratio} (cap ${t.yearlyCap})`).join(', ')}`);
  for (const b of p.batches)
    out(
      `  batch ${b.id} #${b.seq} ${b.name}: ${b.windowStart} to ${b.windowEnd}${b.draw ? ` (draw ${b.draw.id} ${b.draw.status})` : ''}`,
    );
}

/**
 * `plan list [--year y] [--status s]`, `plan show <id>`, `plan create <file.json>` (the body of
 * POST /api/plans), `plan publish <id>`, `plan version <id>` (a new draft version of a published
 * plan): the annual plans (年度抽查计划) as the API has them, done as the operator (cli:<os user>,
 * any department), audited like the API's.
 */
export function registerPlanCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description('annual inspection plans (年度抽查计划): list, show, create, publish, version');

  plan
    .command('list')
    .description('plans, newest year first')
    .option('--year <year>', 'only this year', (v) => idArg(v))
    .option('--status <status>', 'draft, published or superseded', (v) => {
      if (!(PLAN_STATUSES as readonly string[]).includes(v))
        throw new Error(`'${v}' is not one of ${PLAN_STATUSES.join(', ')}`);
      return v as PlanStatus;
    })
    .action((o: { year?: number; status?: PlanStatus }) =>
      withAppContext(async (app) => {
        const svc = app.get(PlansService);
        const { items, total } = await svc.list({ year: o.year, status: o.status }, 1, 100);
        for (const p of items)
          out(
            `${String(p.id).padStart(5)}  ${p.planNo} v${p.version}  ${p.status.padEnd(10)} ${p.late ? 'late ' : ''}${p.year} ${p.title}`,
          );
        out(`${total} plan(s)${total > items.length ? ` (first ${items.length} shown)` : ''}`);
      }),
    );

  plan
    .command('show <id>')
    .description('one plan with its items, tier policy and batches')
    .action((id: string) =>
      withAppContext(async (app) =>
        printPlan(await refusalsAsErrors(() => app.get(PlansService).one(idArg(id)))),
      ),
    );

  plan
    .command('create <file>')
    .description(
      'a new draft plan from a JSON file: { year, title, leadDepartment, jointDepartments, scope, itemCodes, tiers?, batches }',
    )
    .action((file: string) =>
      withAppContext(async (app) => {
        let body: unknown;
        try {
          body = JSON.parse(readFileSync(file, 'utf8'));
        } catch (e) {
          throw new Error(`${file}: not a JSON file (${(e as Error).message})`, { cause: e });
        }
        const p = await refusalsAsErrors(() => app.get(PlansService).create(body, cliActor()));
        printPlan(p);
      }),
    );

  plan
    .command('publish <id>')
    .description('publish a draft plan (immutable from then on; late after March 31 of its year)')
    .action((id: string) =>
      withAppContext(async (app) =>
        printPlan(await refusalsAsErrors(() => app.get(PlansService).publish(idArg(id), cliActor()))),
      ),
    );

  plan
    .command('version <id>')
    .description('a new draft version of a published plan (published, it supersedes the old one)')
    .action((id: string) =>
      withAppContext(async (app) =>
        printPlan(await refusalsAsErrors(() => app.get(PlansService).newVersion(idArg(id), cliActor()))),
      ),
    );
}
