import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { addDays } from '../../common/calendar-days.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataSource, EntityManager } from 'typeorm';
import { clientOf, copyInto, copyRows, takeIds } from '../../database/bulk-load.js';
import { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { unprocessable } from '../../http/api-errors.js';
import {
  ASSIGNMENT_ALGORITHM,
  assignInspectors,
  InspectorShortfallError,
} from '../rules/inspector-assignment.js';
import {
  commitmentOf,
  DOCUMENT_NAMES,
  commitProblems,
  DocumentName,
  documentLines,
  DrawInputs,
  DrawOutcome,
  DrawParams,
  finalSeedOf,
  FINAL_SEED_RULE,
  inputsDigest,
  INSPECTORS_HEADER,
  paramsDocument,
  parseInputs,
  PLAN_DRAW_ALGORITHM,
  positionInShuffle,
  ratioText,
  RECUSALS_HEADER,
  recusalPairs,
  ROSTER_HEADER,
  drawInSteps,
  DrawStep,
  PlannedTask,
  runPlanDraw,
  secretProblem,
  Stratum,
  stratumKey,
  TARGETS_ALGORITHM,
} from '../rules/plan-draw.js';
import { continueShuffle, sha256Hex } from '../rules/sha256-stream.js';
import { VisitsService } from '../visits/visits.service.js';
import type {
  BatchDrawContextView,
  CommitDrawDto,
  DrawBatchRef,
  DrawPlanRef,
  DrawStepView,
  PlanDrawTargetView,
  PlanDrawView,
  ReplacementDto,
  VerificationCheckView,
  VerificationView,
} from './dto/plan-draw.dto.js';

/** Inspectors per routine task (domain.md 5.1: at least 2). */
export const INSPECTORS_PER_TASK = 2;

/**
 * Where the frozen roster's tiers come from, as the params document names it. The tier of an
 * enterprise as of the tier date is its current score's tier when that score's as-of date is on
 * or before the tier date (credit_score: the normal case, a draw on today's tiers); otherwise the
 * last tier change (credit_tier_change, which holds every change including the first
 * classification) with an as-of date on or before the tier date. credit_snapshot is not used: it
 * holds one month's first day only, and may not have been taken.
 */
export const TIER_SOURCE =
  'credit_score as of <= tier date, else the last credit_tier_change as of <= tier date';

const DRAW_COLUMNS = `d.id, d.batch_id, d.status, d.algorithm, d.tier_date, d.commitment, d.public_source,
  d.committed_by, d.committed_at, d.inputs_digest, d.public_value, d.public_value_by, d.public_value_at, d.secret,
  d.revealed_by, d.revealed_at, d.final_seed, d.drawn_by, d.drawn_at, d.result_digest, d.summary`;

type Row = Record<string, unknown>;

const iso = (v: unknown): string => new Date(v as string).toISOString();

/** Lets the event loop through (I/O, a COPY in flight) between two slices of Node's work. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The draw of a plan's batch: commit, public value, reveal, run, replacements, verification (docs/draw-verification.md). */
/** How many days back a draw's tier date may lie (SAMR reclassifies every month: domain.md 4). */
export const TIER_DATE_MAX_AGE_DAYS = 31;

@Injectable()
export class PlanDrawsService {
  private readonly logger = new Logger('PlanDraws');
  /** the last verification of each draw, with the state it was computed on */
  private readonly verified = new Map<number, { state: string; view: VerificationView }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
    private readonly visits: VisitsService,
  ) {}

  // ------------------------------------------------------------------ reading

  private async planAndBatch(
    q: EntityManager | DataSource,
    batchId: number,
  ): Promise<{ plan: DrawPlanRef; batch: DrawBatchRef }> {
    const [r] = await q.query(
      `SELECT p.id AS plan_id, p.plan_no, p.version, p.year, p.title, p.lead_department, p.status,
              b.id, b.seq, b.name, b.window_start, b.window_end
       FROM inspection_batch b JOIN inspection_plan p ON p.id = b.plan_id WHERE b.id = $1`,
      [batchId],
    );
    if (!r) throw new NotFoundException(`batch ${batchId} does not exist`);
    return {
      plan: {
        id: Number(r.plan_id),
        planNo: r.plan_no,
        version: r.version,
        year: r.year,
        title: r.title,
        leadDepartment: r.lead_department,
        status: r.status,
      },
      batch: {
        id: Number(r.id),
        seq: r.seq,
        name: r.name,
        windowStart: r.window_start,
        windowEnd: r.window_end,
      },
    };
  }

  private async view(q: EntityManager | DataSource, d: Row): Promise<PlanDrawView> {
    const id = Number(d.id);
    const { plan, batch } = await this.planAndBatch(q, Number(d.batch_id));
    const inputs: { name: string; digest: string; lines: number }[] = await q.query(
      `SELECT name, digest, lines FROM plan_draw_input WHERE draw_id = $1`,
      [id],
    );
    inputs.sort(
      (a, b) =>
        DOCUMENT_NAMES.indexOf(a.name as DocumentName) - DOCUMENT_NAMES.indexOf(b.name as DocumentName),
    );
    const audit: { action: string; actor_id: string | null; actor: string; at: string }[] = await q.query(
      `SELECT action, actor_id, actor, at FROM audit_log WHERE entity_type = 'plan_draw' AND entity_id = $1 ORDER BY seq`,
      [String(id)],
    );
    const byIds = [d.committed_by, d.public_value_by, d.revealed_by, d.drawn_by].filter((v) => v != null);
    const displayNames = new Map<number, string>(
      (await q.query(`SELECT id, display_name FROM app_user WHERE id = ANY($1::bigint[])`, [byIds])).map(
        (r: Row) => [Number(r.id), r.display_name as string],
      ),
    );
    const step = (action: string, at: unknown, by: unknown): DrawStepView | null => {
      if (at === null || at === undefined) return null;
      const a = audit.find((x) => x.action === action);
      const userId = by === null || by === undefined ? null : Number(by);
      return {
        userId,
        name: a?.actor ?? '?',
        displayName: userId === null ? null : (displayNames.get(userId) ?? null),
        at: iso(at),
      };
    };
    const [{ n }] = await q.query(
      `SELECT count(*)::int AS n FROM plan_draw_target WHERE draw_id = $1 AND status = 'replaced'`,
      [id],
    );
    const summary = (d.summary as PlanDrawView['summary']) ?? null;
    if (summary) {
      const names = new Map<number, string>(
        (
          await q.query(`SELECT id, name FROM inspection_item WHERE id = ANY($1::bigint[])`, [
            [...summary.strata.map((s) => s.itemId), ...summary.fullCoverage.map((s) => s.itemId)],
          ])
        ).map((r: Row) => [Number(r.id), r.name as string]),
      );
      for (const s of summary.strata) s.itemName = names.get(s.itemId) ?? s.itemCode;
      for (const s of summary.fullCoverage) s.itemName = names.get(s.itemId) ?? s.itemCode;
    }
    return {
      id,
      plan,
      batch,
      status: d.status as string,
      algorithm: d.algorithm as string,
      tierDate: d.tier_date as string,
      commitment: d.commitment as string,
      publicSource: d.public_source as string,
      publicValue: (d.public_value as string | null) ?? null,
      secret: (d.secret as string | null) ?? null,
      finalSeed: (d.final_seed as string | null) ?? null,
      inputsDigest: d.inputs_digest as string,
      inputs,
      resultDigest: (d.result_digest as string | null) ?? null,
      summary,
      replacements: n,
      steps: {
        committed: step('plan_draw.commit', d.committed_at, d.committed_by)!,
        publicValue: step('plan_draw.public_value', d.public_value_at, d.public_value_by),
        revealed: step('plan_draw.reveal', d.revealed_at, d.revealed_by),
        drawn: step('plan_draw.run', d.drawn_at, d.drawn_by),
      },
    };
  }

  private async row(q: EntityManager | DataSource, id: number, lock = false): Promise<Row> {
    const [d] = await q.query(
      `SELECT ${DRAW_COLUMNS} FROM plan_draw d WHERE d.id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!d) throw new NotFoundException(`draw ${id} does not exist`);
    return d;
  }

  /** One draw with its inputs' digests and steps. @throws NotFoundException */
  async one(id: number): Promise<PlanDrawView> {
    return this.view(this.dataSource, await this.row(this.dataSource, id));
  }

  /** Draws, newest first, of one batch or all. */
  async list(
    page: number,
    pageSize: number,
    batchId?: number,
  ): Promise<{ items: PlanDrawView[]; total: number }> {
    const where = batchId === undefined ? '' : 'WHERE d.batch_id = $3';
    const params: unknown[] = [pageSize, (page - 1) * pageSize, ...(batchId === undefined ? [] : [batchId])];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${DRAW_COLUMNS} FROM plan_draw d ${where} ORDER BY d.id DESC LIMIT $1 OFFSET $2`,
      params,
    );
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM plan_draw d ${batchId === undefined ? '' : 'WHERE d.batch_id = $1'}`,
      batchId === undefined ? [] : [batchId],
    );
    const items: PlanDrawView[] = [];
    for (const r of rows) items.push(await this.view(this.dataSource, r));
    return { items, total };
  }

  /** The draw page's context: batch, plan, draw (or null) and whether `actor` may draw it. */
  async batchContext(batchId: number, actor: Actor): Promise<BatchDrawContextView> {
    const { plan, batch } = await this.planAndBatch(this.dataSource, batchId);
    const [d] = await this.dataSource.query(`SELECT ${DRAW_COLUMNS} FROM plan_draw d WHERE d.batch_id = $1`, [
      batchId,
    ]);
    return {
      plan,
      batch,
      draw: d ? await this.view(this.dataSource, d) : null,
      mayDraw:
        actor.role === 'admin' || (actor.role === 'regulator' && actor.department === plan.leadDepartment),
    };
  }

  /** The text of one frozen input document. @throws NotFoundException */
  async input(id: number, name: DocumentName): Promise<{ text: string; digest: string }> {
    await this.row(this.dataSource, id);
    const [r] = await this.dataSource.query(
      `SELECT digest, body_gz FROM plan_draw_input WHERE draw_id = $1 AND name = $2`,
      [id, name],
    );
    if (!r) throw new NotFoundException(`draw ${id} has no input ${name}`);
    return { text: gunzipSync(r.body_gz as Buffer).toString('utf8'), digest: r.digest as string };
  }

  /**
   * One page of a draw's targets (item code, tier, position order), filtered by item and tier.
   * @throws NotFoundException unknown draw
   */
  async targets(
    id: number,
    page: number,
    pageSize: number,
    itemCode?: string,
    tier?: string,
    position?: number,
  ): Promise<{ items: PlanDrawTargetView[]; total: number }> {
    await this.row(this.dataSource, id);
    const filters = ['t.draw_id = $1'];
    const params: unknown[] = [id];
    if (itemCode !== undefined) filters.push(`i.code = $${params.push(itemCode)}`);
    if (tier !== undefined) filters.push(`t.tier = $${params.push(tier)}`);
    if (position !== undefined) filters.push(`t.position = $${params.push(position)}`);
    const where = filters.join(' AND ');
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM plan_draw_target t JOIN inspection_item i ON i.id = t.item_id WHERE ${where}`,
      params,
    );
    const rows: Row[] = await this.dataSource.query(
      `SELECT i.code, i.name AS item_name, i.department, t.tier, t.position, t.status, t.replaces_position,
              t.replaced_reason, t.replaced_at, e.uscc, e.name, e.street,
              (SELECT k.id FROM inspection_task k JOIN plan_draw d ON d.id = t.draw_id
               WHERE k.batch_id = d.batch_id AND k.kind = 'routine' AND k.enterprise_id = t.enterprise_id
                 AND k.department = i.department) AS task_id
       FROM plan_draw_target t JOIN inspection_item i ON i.id = t.item_id JOIN enterprise e ON e.id = t.enterprise_id
       WHERE ${where} ORDER BY i.code, t.tier, t.position LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map(targetView), total };
  }

  /**
   * The targets as the public sees them (一公开): item, enterprise name and USCC, status, by item
   * code and USCC, never with the tier (domain.md 4: tiers are not published).
   */
  async publicTargets(
    id: number,
    page: number,
    pageSize: number,
  ): Promise<{
    items: { itemCode: string; itemName: string; uscc: string; name: string; status: string }[];
    total: number;
  }> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM plan_draw_target WHERE draw_id = $1`,
      [id],
    );
    const rows: Row[] = await this.dataSource.query(
      `SELECT i.code, i.name AS item_name, e.uscc::text AS uscc, e.name, t.status
       FROM plan_draw_target t JOIN inspection_item i ON i.id = t.item_id JOIN enterprise e ON e.id = t.enterprise_id
       WHERE t.draw_id = $1 ORDER BY i.code COLLATE "C", e.uscc COLLATE "C" LIMIT $2 OFFSET $3`,
      [id, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        itemCode: r.code as string,
        itemName: r.item_name as string,
        uscc: r.uscc as string,
        name: r.name as string,
        status: r.status as string,
      })),
      total,
    };
  }

  // ------------------------------------------------------------------ permission

  /** Commit, reveal, run and replace: an admin, or a regulator of the plan's lead department (403 audited). */
  private async mayDraw(actor: Actor, plan: DrawPlanRef, entityId: string | null): Promise<void> {
    if (actor.role === 'system' || actor.role === 'admin') return;
    if (actor.role === 'regulator' && actor.department === plan.leadDepartment) return;
    const reason = `only a regulator of the lead department (${plan.leadDepartment}) of plan ${plan.planNo} draws its batches, not ${actor.role}${actor.department ? ` of ${actor.department}` : ''}`;
    await this.scope.deny(actor, 'plan_draw', entityId, reason);
    throw new ForbiddenException(reason);
  }

  // ------------------------------------------------------------------ commit

  /**
   * Commits to a draw of a batch of a published plan: freezes its inputs (the four documents of
   * rules/plan-draw.ts, read in one REPEATABLE READ snapshot, stored gzipped with their SHA-256)
   * and stores the commitment and the public source. Audited `plan_draw.commit`.
   * @throws NotFoundException unknown batch
   * @throws ConflictException (409) the plan is not published, or the batch has a draw already
   * @throws UnprocessableEntityException `tierDate` after today or more than TIER_DATE_MAX_AGE_DAYS
   *   (31) days back; a roster in which no enterprise has a tier; a department of the plan with fewer
   *   than 2 inspectors qualified for all its items in the frozen roster
   * @throws ForbiddenException (403, audited) not the lead department's regulator or an admin
   */
  async commit(dto: CommitDrawDto, actor: Actor): Promise<PlanDrawView> {
    const today = todayInShanghai();
    const tierDate = dto.tierDate ?? today;
    if (tierDate > today || Number.isNaN(Date.parse(tierDate)))
      throw unprocessable([
        {
          field: 'tierDate',
          reason: `must be a date not after today (${today}): tiers of a later day are not known`,
        },
      ]);
    // a tier date far back would let the committer choose the pool (a day when some enterprises
    // were in another tier), and one before any scoring freezes a roster without tiers
    const earliest = addDays(today, -TIER_DATE_MAX_AGE_DAYS);
    if (tierDate < earliest)
      throw unprocessable([
        {
          field: 'tierDate',
          reason: `must be within the last ${TIER_DATE_MAX_AGE_DAYS} days (from ${earliest}): the tiers of the current monthly reclassification`,
        },
      ]);
    const { plan } = await this.planAndBatch(this.dataSource, dto.batchId);
    await this.mayDraw(actor, plan, null);
    const started = Date.now();
    const id = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const { plan, batch } = await this.planAndBatch(m, dto.batchId);
      if (plan.status !== 'published')
        throw new ConflictException(
          `plan ${plan.planNo} v${plan.version} is ${plan.status}: only a published plan is drawn`,
        );
      const [existing] = await m.query(`SELECT id FROM plan_draw WHERE batch_id = $1`, [batch.id]);
      if (existing)
        throw new ConflictException(
          `batch ${batch.id} has its draw already (draw ${existing.id}): one draw per batch`,
        );
      const docs = await this.freeze(m, plan, batch, tierDate);
      const problems = commitProblems(parseInputs(docs));
      if (problems.length) throw unprocessable(problems);
      const digests = Object.fromEntries(DOCUMENT_NAMES.map((n) => [n, sha256Hex(docs[n])])) as Record<
        DocumentName,
        string
      >;
      const [{ id }] = await m.query(
        `INSERT INTO plan_draw (batch_id, algorithm, tier_date, commitment, public_source, committed_by, inputs_digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          batch.id,
          PLAN_DRAW_ALGORITHM,
          tierDate,
          dto.commitment,
          dto.publicSource,
          actor.userId,
          inputsDigest(digests),
        ],
      );
      for (const n of DOCUMENT_NAMES)
        await m.query(
          `INSERT INTO plan_draw_input (draw_id, name, digest, lines, body_gz) VALUES ($1, $2, $3, $4, $5)`,
          [id, n, digests[n], documentLines(n, docs[n]), gzipSync(docs[n], { level: 4 })],
        );
      await appendAudit(sqlOf(m), actor, {
        action: 'plan_draw.commit',
        entityType: 'plan_draw',
        entityId: id,
        after: {
          batchId: batch.id,
          planNo: plan.planNo,
          version: plan.version,
          commitment: dto.commitment,
          publicSource: dto.publicSource,
          tierDate,
          inputsDigest: inputsDigest(digests),
          digests,
        },
      });
      return Number(id);
    });
    this.logger.log(`draw ${id} committed (batch ${dto.batchId}) in ${Date.now() - started} ms`);
    return this.one(id);
  }

  /** The four documents of a draw, read in the caller's (REPEATABLE READ) transaction. */
  private async freeze(
    m: EntityManager,
    plan: DrawPlanRef,
    batch: DrawBatchRef,
    tierDate: string,
  ): Promise<Record<DocumentName, string>> {
    const items: Row[] = await m.query(
      `SELECT i.id, i.code, i.department, i.industries, i.full_coverage, i.full_coverage_per_year
       FROM inspection_plan_item pi JOIN inspection_item i ON i.id = pi.item_id WHERE pi.plan_id = $1`,
      [plan.id],
    );
    const tiers: Row[] = await m.query(
      `SELECT tier, ratio::text AS ratio, yearly_cap FROM inspection_plan_tier WHERE plan_id = $1`,
      [plan.id],
    );
    const params: DrawParams = {
      algorithm: { targets: TARGETS_ALGORITHM, inspectors: ASSIGNMENT_ALGORITHM, finalSeed: FINAL_SEED_RULE },
      plan: { id: plan.id, planNo: plan.planNo, version: plan.version, year: plan.year },
      batch,
      items: items.map((i) => ({
        id: Number(i.id),
        code: i.code as string,
        department: i.department as string,
        industries: i.industries as string[],
        fullCoverage: i.full_coverage as boolean,
        fullCoveragePerYear: (i.full_coverage_per_year as number | null) ?? null,
      })),
      tiers: tiers.map((t) => ({
        tier: t.tier as string,
        ratio: ratioText(Number(t.ratio)),
        yearlyCap: t.yearly_cap as number,
      })),
      inspectorsPerTask: INSPECTORS_PER_TASK,
      tierDate,
      tierSource: TIER_SOURCE,
    };
    // routine checks of the year: the batches (one combined visit each, 综合查一次) of the plan's
    // year in which the enterprise has a routine task that is not cancelled or replaced
    const [{ body }] = await m.query(
      `SELECT coalesce(string_agg(line, E'\\n' ORDER BY uscc COLLATE "C"), '') AS body FROM (
         SELECT e.uscc::text AS uscc,
                e.uscc::text || ',' || coalesce(CASE WHEN s.as_of <= $1::date THEN s.tier ELSE h.to_tier END, '') || ',' ||
                coalesce(e.industry_code, '') || ',' || e.status || ',' || coalesce(rc.n, 0) AS line
         FROM enterprise e
         LEFT JOIN credit_score s ON s.enterprise_id = e.id
         LEFT JOIN LATERAL (
           SELECT c.to_tier FROM credit_tier_change c
           WHERE (s.as_of IS NULL OR s.as_of > $1::date) AND c.enterprise_id = e.id AND c.as_of <= $1::date
           ORDER BY c.as_of DESC, c.id DESC LIMIT 1) h ON true
         LEFT JOIN (
           SELECT enterprise_id, count(DISTINCT batch_id)::int AS n FROM inspection_task
           WHERE kind = 'routine' AND status NOT IN ('cancelled', 'replaced')
             AND window_start BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
           GROUP BY enterprise_id) rc ON rc.enterprise_id = e.id) x`,
      [tierDate, plan.year],
    );
    const departments = [...new Set(params.items.map((i) => i.department))];
    const inspectors: Row[] = await m.query(
      `SELECT u.id, u.department,
              coalesce(string_agg(q.item_id::text, ';' ORDER BY q.item_id) FILTER (WHERE q.item_id IS NOT NULL), '') AS items
       FROM app_user u JOIN inspector_profile p ON p.user_id = u.id
       LEFT JOIN inspector_qualification q ON q.user_id = u.id AND q.item_id = ANY($2::bigint[])
       WHERE u.role = 'inspector' AND u.deleted_at IS NULL AND u.active AND p.on_roster AND u.department = ANY($1::text[])
       GROUP BY u.id, u.department ORDER BY u.id`,
      [departments, params.items.map((i) => i.id)],
    );
    const recusals: Row[] = await m.query(
      `SELECT r.id, r.inspector_id, e.uscc::text AS uscc FROM recusal r JOIN enterprise e ON e.id = r.enterprise_id
       WHERE r.status = 'approved' AND r.inspector_id = ANY($1::bigint[]) ORDER BY r.id`,
      [inspectors.map((i) => i.id)],
    );
    const csv = (header: string, lines: string[]) => [header, ...lines].join('\n') + '\n';
    return {
      params: paramsDocument(params),
      roster: csv(ROSTER_HEADER, body === '' ? [] : [body as string]),
      inspectors: csv(
        INSPECTORS_HEADER,
        inspectors.map((i) => `${i.id},${i.department},${i.items}`),
      ),
      recusals: csv(
        RECUSALS_HEADER,
        recusals.map((r) => `${r.id},${r.inspector_id},${r.uscc}`),
      ),
    };
  }

  // ------------------------------------------------------------------ public value, reveal

  /**
   * Records the public value, typed in by a signed-in person other than the committer (never at
   * the command line: an operator there has no user to tell apart). Audited `plan_draw.public_value`.
   * @throws UnprocessableEntityException (422) a blank value
   * @throws ConflictException (409) the committer, no signed-in user (CLI), or a value is recorded already
   */
  async publicValue(id: number, value: string, actor: Actor): Promise<PlanDrawView> {
    if (!value.trim())
      throw unprocessable([
        { field: 'value', reason: 'must not be blank: type the public value as published' },
      ]);
    // the second person must be someone the service knows: an operator at the command line has
    // no user, and any OS account could claim any name
    if (actor.userId === null)
      throw new ConflictException(
        'the public value is typed by a signed-in person other than the committer (the draw page or the API), not at the command line',
      );
    await this.dataSource.transaction(async (m) => {
      const d = await this.row(m, id, true);
      if (d.public_value !== null)
        throw new ConflictException(
          `draw ${id} has its public value already (recorded ${iso(d.public_value_at)})`,
        );
      const [commit] = await m.query(
        `SELECT actor FROM audit_log WHERE entity_type = 'plan_draw' AND entity_id = $1 AND action = 'plan_draw.commit'`,
        [String(id)],
      );
      const committer = d.committed_by === null ? null : Number(d.committed_by);
      const same =
        committer !== null
          ? committer === actor.userId
          : actor.userId === null && commit?.actor === actor.name;
      if (same)
        throw new ConflictException(
          'the public value must be typed in by another person than the one who committed (so that nobody steers the draw alone)',
        );
      await m.query(
        `UPDATE plan_draw SET public_value = $2, public_value_by = $3, public_value_at = now() WHERE id = $1`,
        [id, value, actor.userId],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'plan_draw.public_value',
        entityType: 'plan_draw',
        entityId: id,
        after: { publicSource: d.public_source, publicValue: value },
      });
    });
    return this.one(id);
  }

  /**
   * Reveals the secret: checked against the commitment, then the final seed (SHA-256 of
   * `<secret>|<public value>`) is stored. Audited `plan_draw.reveal`.
   * @throws ConflictException (409) no public value yet, or revealed already
   * @throws UnprocessableEntityException (field `secret`) SHA-256(secret) is not the commitment, or a bad secret
   * @throws ForbiddenException (403, audited)
   */
  async reveal(id: number, secret: string, actor: Actor): Promise<PlanDrawView> {
    const d0 = await this.row(this.dataSource, id);
    await this.mayDraw(
      actor,
      (await this.planAndBatch(this.dataSource, Number(d0.batch_id))).plan,
      String(id),
    );
    await this.dataSource.transaction(async (m) => {
      const d = await this.row(m, id, true);
      if (d.status !== 'committed') throw new ConflictException(`draw ${id} is revealed already`);
      if (d.public_value === null)
        throw new ConflictException(
          `draw ${id} has no public value yet: the secret is revealed only after it is fixed`,
        );
      const problem = secretProblem(secret);
      if (problem) throw unprocessable([{ field: 'secret', reason: problem }]);
      if (commitmentOf(secret) !== d.commitment)
        throw unprocessable([
          {
            field: 'secret',
            reason: `its SHA-256 ${commitmentOf(secret)} is not the commitment ${d.commitment as string}`,
          },
        ]);
      const finalSeed = finalSeedOf(secret, d.public_value as string);
      await m.query(
        `UPDATE plan_draw SET status = 'revealed', secret = $2, revealed_by = $3, revealed_at = now(), final_seed = $4 WHERE id = $1`,
        [id, secret, actor.userId, finalSeed],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'plan_draw.reveal',
        entityType: 'plan_draw',
        entityId: id,
        after: { commitment: d.commitment, finalSeed },
      });
    });
    return this.one(id);
  }

  // ------------------------------------------------------------------ run

  /** The frozen documents of a draw, their stored digests and lines. */
  private async documents(
    q: EntityManager | DataSource,
    id: number,
  ): Promise<{
    docs: Record<DocumentName, string>;
    stored: Record<string, { digest: string; lines: number }>;
  }> {
    const rows: Row[] = await q.query(
      `SELECT name, digest, lines, body_gz FROM plan_draw_input WHERE draw_id = $1`,
      [id],
    );
    const docs = {} as Record<DocumentName, string>;
    const stored: Record<string, { digest: string; lines: number }> = {};
    for (const r of rows) {
      docs[r.name as DocumentName] = gunzipSync(r.body_gz as Buffer).toString('utf8');
      stored[r.name as string] = { digest: r.digest as string, lines: r.lines as number };
    }
    return { docs, stored };
  }

  /**
   * The enterprise ids of USCCs given in ascending (code-point) order, in that order, as one text
   * from the database (a quarter of a million ids without a row object each).
   * @throws ConflictException when one is not in the register (enterprises are never deleted)
   */
  private async enterpriseIdsInOrder(m: EntityManager, usccs: readonly string[]): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < usccs.length; i += 500000) {
      const part = usccs.slice(i, i + 500000);
      // the USCCs as one text (18 letters and digits each): no array parameter of strings to escape
      const [{ list, n }] = await m.query(
        `SELECT string_agg(id::text, ',' ORDER BY uscc COLLATE "C") AS list, count(*)::int AS n
         FROM enterprise WHERE uscc = ANY(string_to_array($1, ',')::bpchar[])`,
        [part.join(',')],
      );
      if (n !== part.length)
        throw new ConflictException(
          `${part.length - n} enterprise(s) of the frozen roster are not in the register`,
        );
      for (const x of (list as string).split(',')) ids.push(Number(x));
    }
    return ids;
  }

  /** The enterprise ids of USCCs (all must be in the register: enterprises are never deleted). */
  private async enterpriseIds(m: EntityManager, usccs: readonly string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (let i = 0; i < usccs.length; i += 50000) {
      const rows: { uscc: string; id: string }[] = await m.query(
        `SELECT uscc::text AS uscc, id FROM enterprise WHERE uscc = ANY($1::bpchar[])`,
        [usccs.slice(i, i + 50000)],
      );
      for (const r of rows) ids.set(r.uscc, Number(r.id));
    }
    const missing = usccs.find((u) => !ids.has(u));
    if (missing)
      throw new ConflictException(`enterprise ${missing} of the frozen roster is not in the register`);
    return ids;
  }

  /**
   * Draws: targets per item and tier, tasks per enterprise and department, inspectors, from the
   * frozen inputs and the final seed (rules/plan-draw.ts runPlanDraw); stores targets, tasks, their
   * items and inspectors (assigned and skipped for recusal), the result digest and the summary,
   * places the new tasks into visits before writing them (VisitsService.placeNewTasks: the tasks are
   * written with their visit), audited `plan_draw.run`: all in one transaction.
   * @throws ConflictException (409) before the reveal, or drawn already
   * @throws UnprocessableEntityException (fields `inspectors.<department>`) not enough qualified inspectors: nothing saved
   * @throws ForbiddenException (403, audited)
   */
  async run(id: number, actor: Actor): Promise<PlanDrawView> {
    const d0 = await this.row(this.dataSource, id);
    const { plan, batch } = await this.planAndBatch(this.dataSource, Number(d0.batch_id));
    await this.mayDraw(actor, plan, String(id));
    const t0 = Date.now();
    const laps: string[] = [];
    let lap = (what: string) => {
      laps.push(`${what} ${Date.now() - t0} ms`);
    };
    await this.dataSource.transaction(async (m) => {
      if (process.env.PLAN_DRAW_CPU_LAPS) {
        // each lap with the CPU time of Node and of this transaction's backend (read from /proc:
        // a server on this machine; -1 elsewhere): docs/performance.md "The plan draw at 1M"
        const [{ pid }] = await m.query(`SELECT pg_backend_pid() AS pid`);
        const dbCpu = () => {
          try {
            const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
            return (Number(f[11]) + Number(f[12])) * 10;
          } catch {
            return -1;
          }
        };
        let [w, n, db] = [Date.now(), process.cpuUsage(), dbCpu()];
        lap = (what: string) => {
          const [w1, n1, db1] = [Date.now(), process.cpuUsage(), dbCpu()];
          const nodeMs = Math.round((n1.user + n1.system - n.user - n.system) / 1000);
          laps.push(`${what} ${w1 - t0} ms (+${w1 - w}: node ${nodeMs} db ${db1 - db})`);
          [w, n, db] = [w1, n1, db1];
        };
      }
      const d = await this.row(m, id, true);
      if (d.status === 'committed')
        throw new ConflictException(`draw ${id} is not revealed yet: the secret comes first`);
      if (d.status === 'drawn')
        throw new ConflictException(`draw ${id} is drawn already (${iso(d.drawn_at)})`);
      const seed = d.final_seed as string;
      const { docs } = await this.documents(m, id);
      const inputs = parseInputs(docs);
      lap('read inputs');
      const shortfall = (e: unknown): unknown =>
        e instanceof InspectorShortfallError
          ? unprocessable(
              e.shortfalls.map((s) => ({
                field: `inspectors.${s.department}`,
                reason: `${s.tasks} task(s) need ${s.needed} qualified inspectors of ${s.department}, at most ${s.available} available (shortfall ${s.needed - s.available}; e.g. task ${s.exampleKey}, items ${s.exampleItemIds.join(', ')}): nothing was drawn`,
              })),
            )
          : e;
      // the draw in steps (rules/plan-draw.ts drawInSteps, the same result as runPlanDraw): the
      // database writes what is drawn while Node draws the rest; Node's slices run between the
      // connection's I/O (a COPY in flight goes on), see docs/performance.md "The plan draw at 1M"
      const steps = drawInSteps(inputs, seed);
      /** runs the draw on until `until` is met (strata, tasks) or to its end (the outcome) */
      const drawOn = async (
        until?: (step: NonNullable<DrawStep>) => boolean,
      ): Promise<DrawStep | DrawOutcome> => {
        try {
          for (;;) {
            const r = steps.next();
            if (r.done) return r.value;
            if (r.value && until?.(r.value)) return r.value;
            if (!r.value) await pause();
          }
        } catch (e) {
          throw shortfall(e);
        }
      };
      const { strata, taskCount } = (await drawOn((v) => 'strata' in v)) as {
        strata: Stratum[];
        taskCount: number;
      };
      lap('drew targets');
      const roster = inputs.roster;
      const tierOf = (idx: number) => inputs.params.tiers[roster.tier[idx]!]?.tier ?? null;
      // the enterprises drawn, in roster (USCC) order, and their ids in that order
      const drawnAt = new Uint8Array(roster.length);
      for (const s of strata) for (let p = 0; p < s.drawn; p++) drawnAt[s.order[p]!] = 1;
      const usccs: string[] = [];
      const rosterIndices: number[] = [];
      for (let i = 0; i < roster.length; i++)
        if (drawnAt[i]) {
          rosterIndices.push(i);
          usccs.push(roster.usccs[i]!);
        }
      const idOf = new Float64Array(roster.length);
      const ids = await this.enterpriseIdsInOrder(m, usccs);
      rosterIndices.forEach((idx, k) => (idOf[idx] = ids[k]!));
      lap('enterprise ids');
      // tasks, with ids taken from their sequence first (COPY returns none)
      const taskIds = await takeIds(m, 'inspection_task', taskCount);
      // the visits first, so the tasks are written with theirs (no update of every new task):
      // what the enterprises have is read now; Node makes the tasks and plans the visits while
      // the database takes the targets (they need neither tasks nor visits), then the visits
      // are written
      const placement = await this.visits.prepareNewTasks(m, ids);
      lap('task ids, open tasks and visits read');
      const client = clientOf(m);
      const drawnStrata = strata.filter((s) => s.drawn > 0);
      let targetCount = 0;
      const copyingTargets = copyInto(
        client,
        `COPY plan_draw_target (draw_id, item_id, tier, position, enterprise_id) FROM STDIN`,
        (function* () {
          for (const s of drawnStrata) {
            const prefix = `${id}\t${s.itemId}\t${s.tier}\t`;
            targetCount += s.drawn;
            yield* copyRows(s.drawn, (p) => `${prefix}${p + 1}\t${idOf[s.order[p]!]}\n`);
          }
        })(),
      );
      copyingTargets.catch(() => undefined); // handled: awaited below, after the planning
      let tasks: PlannedTask[] = [];
      try {
        const { tasks: made } = (await drawOn((v) => 'tasks' in v)) as { tasks: PlannedTask[] };
        if (made.length !== taskCount) throw new Error(`${made.length} tasks made, ${taskCount} counted`);
        tasks = made;
        lap(`${tasks.length} tasks made`);
        await placement.plan(
          tasks.map((t, i) => ({
            id: taskIds[i]!,
            enterpriseId: idOf[t.rosterIndex]!,
            department: t.department,
            windowStart: batch.windowStart,
            windowEnd: batch.windowEnd,
            itemIds: t.itemIds,
            planLead: plan.leadDepartment,
          })),
        );
      } finally {
        // the connection is the COPY's until it ends (an error above rolls back after it)
        await copyingTargets.catch(() => undefined);
      }
      await copyingTargets;
      lap(`${targetCount} targets, visits planned`);
      const placed = await placement.write();
      lap('visits');
      // the inspectors are drawn while the tasks and their items are written
      const finishing = drawOn() as Promise<DrawOutcome>;
      finishing.catch(() => undefined); // handled: awaited below
      try {
        const visitOf = placed.visitIds;
        const common = `\t${plan.id}\t${batch.id}\t${id}\t`;
        const window = `\t${batch.windowStart}\t${batch.windowEnd}\t${seed}\t${actor.userId ?? '\\N'}\t`;
        await copyInto(
          client,
          `COPY inspection_task (id, kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start, window_end,
             assignment_seed, created_by, visit_id) FROM STDIN`,
          copyRows(tasks.length, (i) => {
            const t = tasks[i]!;
            return `${taskIds[i]}\troutine\t${idOf[t.rosterIndex]}\t${t.department}${common}${tierOf(t.rosterIndex) ?? '\\N'}${window}${visitOf[i]}\n`;
          }),
        );
        lap(`${tasks.length} tasks`);
        await copyInto(
          client,
          `COPY inspection_task_item (task_id, item_id) FROM STDIN`,
          (function* () {
            let buf = '';
            for (let i = 0; i < tasks.length; i++) {
              for (const item of tasks[i]!.itemIds) buf += `${taskIds[i]}\t${item}\n`;
              if (buf.length > 262144) {
                yield buf;
                buf = '';
              }
            }
            if (buf) yield buf;
          })(),
        );
        lap('task items');
      } finally {
        await finishing.catch(() => undefined);
      }
      const outcome = await finishing;
      await copyInto(
        client,
        `COPY inspection_task_inspector (task_id, user_id, position, role, recusal_id) FROM STDIN`,
        (function* () {
          let buf = '';
          for (let i = 0; i < tasks.length; i++) {
            const s = outcome.staffed[i]!;
            let position = 0;
            for (const u of s.inspectors) buf += `${taskIds[i]}\t${u}\t${++position}\tassigned\t\\N\n`;
            for (const k of s.skipped)
              buf += `${taskIds[i]}\t${k.userId}\t${++position}\tskipped_recusal\t${k.recusalId}\n`;
            if (buf.length > 262144) {
              yield buf;
              buf = '';
            }
          }
          if (buf) yield buf;
        })(),
      );
      lap('task inspectors');
      await placed.recordMerges();
      lap('merges');
      await m.query(
        `UPDATE plan_draw SET status = 'drawn', drawn_by = $2, drawn_at = now(), result_digest = $3, summary = $4 WHERE id = $1`,
        [id, actor.userId, outcome.resultDigest, JSON.stringify(outcome.summary)],
      );
      const { strata: _strata, ...totals } = outcome.summary;
      await appendAudit(sqlOf(m), actor, {
        action: 'plan_draw.run',
        entityType: 'plan_draw',
        entityId: id,
        after: { resultDigest: outcome.resultDigest, ...totals, fullCoverage: totals.fullCoverage.length },
      });
    });
    lap('committed');
    this.logger.log(`draw ${id}: ${laps.join(', ')}`);
    return this.one(id);
  }

  // ------------------------------------------------------------------ replacements

  /**
   * Replaces a target that cannot be inspected (closed, not found, deregistered) by the next
   * position of the same shuffle (never a fresh draw): the target is marked replaced, the next
   * position stored as a replacement of it; the item leaves the old enterprise's task (a task left
   * without items becomes `replaced`) and joins the new enterprise's task of the department in
   * this batch, or a new task with inspectors drawn by assignInspectors with the seed
   * `<final seed>|replacement|<item code>|<tier>|<position>` (recorded as its assignment seed).
   * Audited `plan_draw.replace`.
   * @throws NotFoundException no such target
   * @throws ConflictException (409) not drawn, replaced already, its task has a result, no enterprise left in the shuffle
   * @throws UnprocessableEntityException (fields `inspectors.<department>`) no inspectors for the new task
   */
  async replace(
    id: number,
    dto: ReplacementDto,
    actor: Actor,
  ): Promise<{ replaced: PlanDrawTargetView; replacement: PlanDrawTargetView }> {
    const d0 = await this.row(this.dataSource, id);
    const { plan, batch } = await this.planAndBatch(this.dataSource, Number(d0.batch_id));
    await this.mayDraw(actor, plan, String(id));
    const next = await this.dataSource.transaction(async (m) => {
      const d = await this.row(m, id, true);
      if (d.status !== 'drawn') throw new ConflictException(`draw ${id} is not drawn yet`);
      const [target] = await m.query(
        `SELECT t.item_id, t.status, t.enterprise_id, i.department, e.uscc::text AS uscc FROM plan_draw_target t
         JOIN inspection_item i ON i.id = t.item_id JOIN enterprise e ON e.id = t.enterprise_id
         WHERE t.draw_id = $1 AND i.code = $2 AND t.tier = $3 AND t.position = $4`,
        [id, dto.itemCode, dto.tier, dto.position],
      );
      if (!target)
        throw new NotFoundException(
          `draw ${id} has no target ${dto.itemCode} / ${dto.tier} at position ${dto.position}`,
        );
      if (target.status === 'replaced') throw new ConflictException(`that target is replaced already`);
      const itemId = Number(target.item_id);
      const department = target.department as string;
      const [oldTask] = await m.query(
        `SELECT id, status FROM inspection_task WHERE batch_id = $1 AND kind = 'routine' AND enterprise_id = $2 AND department = $3 FOR UPDATE`,
        [batch.id, target.enterprise_id, department],
      );
      if (oldTask && !['assigned', 'in_progress'].includes(oldTask.status))
        throw new ConflictException(
          `the target's task ${oldTask.id} is ${oldTask.status}: only an open task's target is replaced`,
        );
      const [{ last }] = await m.query(
        `SELECT max(position)::int AS last FROM plan_draw_target WHERE draw_id = $1 AND item_id = $2 AND tier = $3`,
        [id, itemId, dto.tier],
      );
      const position = Number(last) + 1;
      const { docs } = await this.documents(m, id);
      const inputs = parseInputs(docs);
      const idx = positionInShuffle(inputs, d.final_seed as string, dto.itemCode, dto.tier, position);
      if (idx === null)
        throw new ConflictException(
          `no eligible enterprise is left in the shuffle of ${dto.itemCode} / ${dto.tier} (position ${position})`,
        );
      const uscc = inputs.roster.usccs[idx]!;
      const newEnterprise = (await this.enterpriseIds(m, [uscc])).get(uscc)!;
      const reason = dto.note ? `${dto.reason}: ${dto.note}` : dto.reason;
      await m.query(
        `UPDATE plan_draw_target SET status = 'replaced', replaced_reason = $5, replaced_by = $6, replaced_at = now()
         WHERE draw_id = $1 AND item_id = $2 AND tier = $3 AND position = $4`,
        [id, itemId, dto.tier, dto.position, reason, actor.userId],
      );
      await m.query(
        `INSERT INTO plan_draw_target (draw_id, item_id, tier, position, enterprise_id, replaces_position) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, itemId, dto.tier, position, newEnterprise, dto.position],
      );
      if (oldTask) {
        await m.query(`DELETE FROM inspection_task_item WHERE task_id = $1 AND item_id = $2`, [
          oldTask.id,
          itemId,
        ]);
        const [{ left }] = await m.query(
          `SELECT count(*)::int AS left FROM inspection_task_item WHERE task_id = $1`,
          [oldTask.id],
        );
        if (left === 0)
          await m.query(
            `UPDATE inspection_task SET status = 'replaced', cancel_reason = $2, updated_at = now() WHERE id = $1`,
            [oldTask.id, `replaced: ${reason}`],
          );
      }
      const [existing] = await m.query(
        `SELECT id, status FROM inspection_task WHERE batch_id = $1 AND kind = 'routine' AND enterprise_id = $2 AND department = $3 FOR UPDATE`,
        [batch.id, newEnterprise, department],
      );
      let taskId: number;
      if (existing) {
        if (!['assigned', 'in_progress'].includes(existing.status))
          throw new ConflictException(
            `enterprise ${uscc} (position ${position}) has a ${existing.status} task of ${department} in this batch already`,
          );
        taskId = Number(existing.id);
        await m.query(
          `INSERT INTO inspection_task_item (task_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
          [taskId, itemId],
        );
      } else {
        const seed = `${d.final_seed as string}|replacement|${dto.itemCode}|${dto.tier}|${position}`;
        const staffed = this.staffReplacement(inputs, idx, department, itemId, seed);
        const [row] = await m.query(
          `INSERT INTO inspection_task (kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start,
             window_end, assignment_seed, created_by)
           VALUES ('routine', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            newEnterprise,
            department,
            plan.id,
            batch.id,
            id,
            dto.tier,
            batch.windowStart,
            batch.windowEnd,
            seed,
            actor.userId,
          ],
        );
        taskId = Number(row.id);
        await m.query(`INSERT INTO inspection_task_item (task_id, item_id) VALUES ($1, $2)`, [
          taskId,
          itemId,
        ]);
        const users = [...staffed.inspectors, ...staffed.skipped.map((s) => s.userId)];
        await m.query(
          `INSERT INTO inspection_task_inspector (task_id, user_id, position, role, recusal_id)
           SELECT $1, u, p, r, c FROM unnest($2::bigint[], $3::int[], $4::text[], $5::bigint[]) AS x(u, p, r, c)`,
          [
            taskId,
            users,
            users.map((_, k) => k + 1),
            users.map((_, k) => (k < staffed.inspectors.length ? 'assigned' : 'skipped_recusal')),
            [...staffed.inspectors.map(() => null), ...staffed.skipped.map((s) => s.recusalId)],
          ],
        );
      }
      await this.visits.regroup(m, [Number(target.enterprise_id), newEnterprise]);
      await appendAudit(sqlOf(m), actor, {
        action: 'plan_draw.replace',
        entityType: 'plan_draw',
        entityId: id,
        after: {
          itemCode: dto.itemCode,
          tier: dto.tier,
          replaced: { position: dto.position, uscc: target.uscc, reason: dto.reason, note: dto.note ?? null },
          replacement: { position, uscc, taskId },
        },
      });
      return position;
    });
    const page = async (position: number) => (await this.targetAt(id, dto.itemCode, dto.tier, position))!;
    return { replaced: await page(dto.position), replacement: await page(next) };
  }

  private async targetAt(
    id: number,
    itemCode: string,
    tier: string,
    position: number,
  ): Promise<PlanDrawTargetView | null> {
    return (await this.targets(id, 1, 1, itemCode, tier, position)).items[0] ?? null;
  }

  /** Inspectors of a replacement's new task (one task, no starting load), from the frozen inputs. */
  private staffReplacement(
    inputs: DrawInputs,
    rosterIndex: number,
    department: string,
    itemId: number,
    seed: string,
  ) {
    try {
      return assignInspectors(
        [
          {
            key: `${inputs.roster.usccs[rosterIndex]}|${department}`,
            enterpriseId: rosterIndex,
            department,
            itemIds: [itemId],
          },
        ],
        inputs.inspectors,
        recusalPairs(inputs),
        seed,
        inputs.params.inspectorsPerTask,
      )[0]!;
    } catch (e) {
      if (e instanceof InspectorShortfallError)
        throw unprocessable(
          e.shortfalls.map((s) => ({
            field: `inspectors.${s.department}`,
            reason: `the new task needs ${s.needed} qualified inspectors of ${s.department}, ${s.available} available`,
          })),
        );
      throw e;
    }
  }

  // ------------------------------------------------------------------ verification

  /**
   * Recomputes the draw from its stored inputs and compares: the commitment with the secret, each
   * input's digest and lines, the inputs digest, the final seed, every stored target (replacements
   * included: later positions of the same shuffles) with the first differing position, the
   * inspectors of the draw's tasks, the result digest. The last answer is kept while the draw's
   * state (status, replacements, stored inspectors) is unchanged.
   * @throws NotFoundException unknown draw
   */
  async verify(id: number): Promise<VerificationView> {
    const d = await this.row(this.dataSource, id);
    // the state the answer depends on, cheaply: a stored target or inspector changed by hand
    // changes these sums as well
    const [{ state }] = await this.dataSource.query(
      `SELECT concat_ws('|', $2::text,
          (SELECT count(*)::text || ':' || coalesce(sum(enterprise_id * position + item_id), 0)::text || ':' ||
                  coalesce(max(replaced_at)::text, '') FROM plan_draw_target WHERE draw_id = $1),
          (SELECT count(*)::text || ':' || coalesce(sum(p.user_id * p.position + coalesce(p.recusal_id, 0)), 0)::text
           FROM inspection_task k JOIN inspection_task_inspector p ON p.task_id = k.id WHERE k.batch_id = (SELECT batch_id FROM plan_draw WHERE id = $1) AND k.kind = 'routine' AND k.draw_id = $1),
          (SELECT string_agg(digest || md5(body_gz) || lines::text, ',' ORDER BY name) FROM plan_draw_input WHERE draw_id = $1),
          (SELECT inputs_digest || commitment || coalesce(public_value, '') FROM plan_draw WHERE id = $1)) AS state`,
      [
        id,
        `${d.status as string}|${d.drawn_at ? iso(d.drawn_at) : ''}|${d.secret ?? ''}|${d.final_seed ?? ''}|${d.result_digest ?? ''}`,
      ],
    );
    const cached = this.verified.get(id);
    if (cached && cached.state === state) return cached.view;
    const t0 = Date.now();
    const laps: string[] = [];
    const lap = (what: string) => laps.push(`${what} ${Date.now() - t0} ms`);
    const checks: VerificationCheckView[] = [];
    const check = (
      name: string,
      ok: boolean,
      expected: string | null,
      actual: string | null,
      detail: string,
    ) => checks.push({ name, ok, expected, actual, detail });
    const { docs, stored } = await this.documents(this.dataSource, id);
    lap('read inputs');
    const digests = {} as Record<DocumentName, string>;
    for (const n of DOCUMENT_NAMES) {
      const text = docs[n];
      digests[n] = text === undefined ? '' : sha256Hex(text);
      const lines = text === undefined ? 0 : documentLines(n, text);
      check(
        `inputs.${n}`,
        text !== undefined && digests[n] === stored[n]!.digest && lines === stored[n]!.lines,
        stored[n]?.digest ?? null,
        text === undefined ? null : digests[n],
        text === undefined
          ? 'the document is missing'
          : `SHA-256 of the stored document (${lines} lines; stored ${stored[n]!.lines})`,
      );
    }
    const combined = inputsDigest(digests);
    check(
      'inputs_digest',
      combined === d.inputs_digest,
      d.inputs_digest as string,
      combined,
      'SHA-256 over the four documents’ digests, as published with the commitment',
    );
    const secret = d.secret as string | null;
    if (secret === null) {
      check('commitment', false, d.commitment as string, null, 'not revealed yet: the secret is not known');
    } else {
      const c = commitmentOf(secret);
      check('commitment', c === d.commitment, d.commitment as string, c, 'SHA-256 of the revealed secret');
      const seed = finalSeedOf(secret, d.public_value as string);
      check(
        'final_seed',
        seed === d.final_seed,
        d.final_seed as string,
        seed,
        'SHA-256 of <secret>|<public value>',
      );
    }
    if (d.status !== 'drawn' || secret === null) {
      check('result', false, null, null, 'not drawn yet');
    } else if (checks.every((c) => c.ok)) {
      await this.compareStored(id, d, docs, check, lap);
    }
    this.logger.log(`verified draw ${id}: ${laps.join(', ')}`);
    const view: VerificationView = {
      drawId: id,
      match: checks.every((c) => c.ok),
      checks,
      computedAt: new Date().toISOString(),
      elapsedMs: Date.now() - t0,
    };
    this.verified.set(id, { state, view });
    return view;
  }

  private async compareStored(
    id: number,
    d: Row,
    docs: Record<DocumentName, string>,
    check: (
      name: string,
      ok: boolean,
      expected: string | null,
      actual: string | null,
      detail: string,
    ) => void,
    lap: (what: string) => void,
  ): Promise<void> {
    const inputs = parseInputs(docs);
    const seed = d.final_seed as string;
    lap('parsed');
    const outcome = runPlanDraw(inputs, seed);
    lap('recomputed');
    check(
      'result_digest',
      outcome.resultDigest === d.result_digest,
      d.result_digest as string,
      outcome.resultDigest,
      'SHA-256 of the recomputed canonical result (targets and inspectors)',
    );
    // stored targets, replacements included, against the shuffles continued as far as they reach:
    // read as one text (`<item code>,<tier>,<position>,<uscc>` lines), compared line by line
    const [{ targetText, reaches }] = await this.dataSource.query(
      `SELECT coalesce(string_agg(i.code || ',' || t.tier || ',' || t.position || ',' || e.uscc::text, E'\\n'
                ORDER BY i.code COLLATE "C", t.tier COLLATE "C", t.position), '') AS "targetText",
              (SELECT coalesce(json_agg(json_build_array(i2.code, r.tier, r.last)), '[]') FROM (
                 SELECT item_id, tier, max(position) AS last FROM plan_draw_target WHERE draw_id = $1 GROUP BY item_id, tier) r
               JOIN inspection_item i2 ON i2.id = r.item_id) AS reaches
       FROM plan_draw_target t JOIN inspection_item i ON i.id = t.item_id JOIN enterprise e ON e.id = t.enterprise_id
       WHERE t.draw_id = $1`,
      [id],
    );
    lap('read stored targets');
    const reach = new Map<string, number>(
      (reaches as [string, string, number][]).map(([c, tier, last]) => [stratumKey(c, tier), last]),
    );
    // the draw's own shuffles, continued as far as the stored replacements reach (the same streams)
    for (const x of outcome.strata) {
      const to = Math.min(x.eligible, reach.get(stratumKey(x.itemCode, x.tier)) ?? 0);
      if (to > x.shuffled) {
        continueShuffle(x.order, x.shuffled, to, x.stream);
        x.shuffled = to;
      }
    }
    const strata = outcome.strata
      .filter((x) => x.shuffled > 0)
      .sort((x, y) =>
        x.itemCode < y.itemCode
          ? -1
          : x.itemCode > y.itemCode
            ? 1
            : x.tier < y.tier
              ? -1
              : x.tier > y.tier
                ? 1
                : 0,
      );
    const storedLines = (targetText as string) === '' ? [] : (targetText as string).split('\n');
    const positionsOf = new Map<string, Set<number>>();
    for (const line of storedLines) {
      const [c, tier, position] = line.split(',');
      const k = stratumKey(c!, tier!);
      const set = positionsOf.get(k) ?? new Set<number>();
      set.add(Number(position));
      positionsOf.set(k, set);
    }
    // expected: positions 1..drawn of every stratum, and the stored later positions (replacements)
    const expected: string[] = [];
    let replacements = 0;
    for (const x of strata) {
      const stored = positionsOf.get(stratumKey(x.itemCode, x.tier)) ?? new Set<number>();
      for (let p = 1; p <= x.shuffled; p++)
        if (p <= x.drawn || stored.has(p)) {
          if (p > x.drawn) replacements++;
          expected.push(`${x.itemCode},${x.tier},${p},${inputs.roster.usccs[x.order[p - 1]!]}`);
        }
    }
    let firstDiff: string | null = null;
    for (let i = 0; i < Math.max(expected.length, storedLines.length) && firstDiff === null; i++)
      if (expected[i] !== storedLines[i]) {
        const [c, tier, position, uscc] = (storedLines[i] ?? expected[i]!).split(',');
        const want = expected[i]?.split(',');
        firstDiff =
          want && want[2] === position && want[0] === c && want[1] === tier
            ? `${c} / ${tier} position ${position}: stored ${uscc}, recomputed ${want[3]}`
            : `${c} / ${tier} position ${position}: ${storedLines[i] === undefined ? 'recomputed, not stored' : want ? `stored, recomputed ${want.slice(0, 3).join(' / ')}` : 'stored, not recomputed'}`;
      }
    check(
      'targets',
      firstDiff === null,
      String(expected.length),
      String(storedLines.length),
      firstDiff ??
        `${storedLines.length} stored targets (${replacements} replacements) equal the recomputed shuffles`,
    );
    // inspectors of the draw's own tasks (those seeded with the final seed), one text as well
    const [{ taskText }] = await this.dataSource.query(
      `SELECT coalesce(string_agg(line, E'\\n' ORDER BY uscc COLLATE "C", department COLLATE "C"), '') AS "taskText" FROM (
         SELECT e.uscc::text AS uscc, k.department,
                e.uscc::text || '|' || k.department || ',' ||
                coalesce(string_agg(p.user_id::text, ';' ORDER BY p.position) FILTER (WHERE p.role <> 'skipped_recusal'), '') || ',' ||
                coalesce(string_agg(p.user_id::text || ':' || p.recusal_id::text, ';' ORDER BY p.position)
                  FILTER (WHERE p.role = 'skipped_recusal'), '') AS line
         FROM inspection_task k JOIN enterprise e ON e.id = k.enterprise_id
         LEFT JOIN inspection_task_inspector p ON p.task_id = k.id
         WHERE k.batch_id = $1 AND k.kind = 'routine' AND k.draw_id = $2 AND k.assignment_seed = $3 GROUP BY k.id, e.uscc, k.department) x`,
      [d.batch_id, id, seed],
    );
    lap('compared targets, read stored inspectors');
    // tasks staffed again after the draw (an approved recusal: a new recorded seed, audited
    // recusal.review) are compared no more; they are counted and named in the check's detail
    const restaffedRows: { key: string }[] = await this.dataSource.query(
      `SELECT e.uscc::text || '|' || k.department AS key FROM inspection_task k JOIN enterprise e ON e.id = k.enterprise_id
       WHERE k.batch_id = $1 AND k.kind = 'routine' AND k.draw_id = $2 AND k.assignment_seed <> $3
         AND k.assignment_seed NOT LIKE $3 || '|replacement|%'`,
      [d.batch_id, id, seed],
    );
    const restaffed = new Set(restaffedRows.map((r) => r.key));
    const storedTasks = (taskText as string) === '' ? [] : (taskText as string).split('\n');
    const storedByKey = new Map(storedTasks.map((line) => [line.slice(0, line.indexOf(',')), line]));
    let diff: string | null = null;
    let compared = 0;
    for (let i = 0; i < outcome.tasks.length && diff === null; i++) {
      const t = outcome.tasks[i]!;
      const s = outcome.staffed[i]!;
      if (restaffed.has(t.key)) continue;
      const want = `${t.key},${s.inspectors.join(';')},${s.skipped.map((k) => `${k.userId}:${k.recusalId}`).join(';')}`;
      const stored = storedByKey.get(t.key);
      compared++;
      if (stored === undefined) diff = `task ${t.key} is not stored`;
      else if (stored !== want) diff = `task ${t.key}: stored ${stored}, recomputed ${want}`;
      storedByKey.delete(t.key);
    }
    if (diff === null && storedByKey.size)
      diff = `task ${[...storedByKey.keys()][0]} is stored, not recomputed`;
    check(
      'inspectors',
      diff === null,
      String(outcome.tasks.length - restaffed.size),
      String(compared),
      diff ??
        `the inspectors of ${compared} tasks equal the recomputed assignment` +
          (restaffed.size
            ? `; ${restaffed.size} task(s) staffed again after the draw for an approved recusal (${[...restaffed].slice(0, 3).join(', ')})`
            : ''),
    );
  }
}

function targetView(r: Row): PlanDrawTargetView {
  const reason = (r.replaced_reason as string | null) ?? null;
  const cut = reason?.indexOf(': ') ?? -1;
  return {
    itemCode: r.code as string,
    itemName: r.item_name as string,
    department: r.department as string,
    tier: r.tier as string,
    position: r.position as number,
    uscc: r.uscc as string,
    name: r.name as string,
    street: (r.street as string | null) ?? null,
    status: r.status as string,
    replacesPosition: (r.replaces_position as number | null) ?? null,
    replacedReason: reason === null ? null : cut >= 0 ? reason.slice(0, cut) : reason,
    replacedNote: reason !== null && cut >= 0 ? reason.slice(cut + 2) : null,
    replacedAt: r.replaced_at ? iso(r.replaced_at) : null,
    taskId: r.task_id === null || r.task_id === undefined ? null : Number(r.task_id),
  };
}
