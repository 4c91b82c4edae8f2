import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, cliActor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { ScorecardVersionsService } from '../credit/scorecard-versions.service.js';
import { unprocessable } from '../http/api-errors.js';
import type { DrawTargetView, DrawView } from './dto/draw.dto.js';
import {
  checkRatios,
  DrawCandidate,
  DrawInputError,
  DrawResult,
  drawTargets,
  seedProblem,
} from './rules/draw.js';

/** A draw just stored: the draw's result (every selected target, with its enterprise id) and its view. */
export interface RecordedDraw extends DrawResult<DrawCandidate & { id: number }> {
  drawId: number;
  view: DrawView;
}

const DRAW_COLUMNS = `id, seed, ratios, algorithm, candidates, candidates_digest, selected, created_at,
  created_by_name, created_by_role, created_by_department, note, per_tier`;

function drawView(r: Record<string, unknown>): DrawView {
  return {
    id: Number(r.id),
    seed: r.seed as string,
    ratios: r.ratios as Record<string, number>,
    algorithm: r.algorithm as string,
    candidates: r.candidates as number,
    candidatesDigest: r.candidates_digest as string,
    selected: r.selected as number,
    createdAt: new Date(r.created_at as string).toISOString(),
    createdBy:
      r.created_by_name === null
        ? null
        : {
            name: r.created_by_name as string,
            role: r.created_by_role as string,
            department: (r.created_by_department as string | null) ?? null,
          },
    note: (r.note as string | null) ?? null,
    perTier: r.per_tier as DrawView['perTier'],
  };
}

/**
 * Runs, records and reads the tiered random draw of inspection targets (双随机抽取, domain.md
 * 5.1-5.2). Candidates: registered enterprises in business (status active) with a current tier.
 * Tiers that get no routine check: the best tier of the active scorecard (A, "无事不扰").
 */
@Injectable()
export class DrawService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scorecards: ScorecardVersionsService,
  ) {}

  /**
   * Draws and stores the draw with its inputs (seed, ratios, candidates and their digest, per
   * tier: candidates, ratio, selected), who ran it and the note, and its list (random_draw_item),
   * with its audit entry (`random_draw.create`) in the same transaction. The ratios are checked
   * against the active scorecard before any candidate is read.
   * @throws DrawInputError for bad ratios or seed (checkRatios, drawTargets), with the field at fault
   */
  async draw(
    seed: string,
    ratios: Record<string, number>,
    actor: Actor = cliActor(),
    note: string | null = null,
  ): Promise<RecordedDraw> {
    const card = await this.scorecards.activeScorecard();
    const tiers = card.tiers.map((t) => t.tier);
    const noRoutine = [tiers[0]!];
    // the inputs are checked before any candidate is read
    const problem = seedProblem(seed);
    if (problem) throw new DrawInputError(problem, 'seed');
    checkRatios(ratios, tiers, noRoutine);
    return this.dataSource.transaction(async (m) => {
      // only what the draw needs: at 1M candidates, names and streets stay in the database
      const rows: (DrawCandidate & { id: number })[] = await m.query(
        `SELECT e.id, e.uscc, s.tier FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
         WHERE e.status = 'active'`,
      );
      const result = drawTargets(rows, ratios, seed, tiers, noRoutine);
      const [stored] = await m.query(
        `INSERT INTO random_draw (seed, ratios, algorithm, candidates, candidates_digest, selected, per_tier,
           created_by_id, created_by_name, created_by_role, created_by_department, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${DRAW_COLUMNS}`,
        [
          seed,
          JSON.stringify(ratios),
          result.algorithm,
          result.candidates,
          result.candidatesDigest,
          result.selected.length,
          JSON.stringify(result.perTier),
          actor.userId,
          actor.name,
          actor.role,
          actor.department,
          note,
        ],
      );
      const drawId = Number(stored.id);
      const chunk = 10000;
      for (let i = 0; i < result.selected.length; i += chunk) {
        const part = result.selected.slice(i, i + chunk);
        await m.query(
          `INSERT INTO random_draw_item (draw_id, position, enterprise_id, tier)
           SELECT $1, p, e, t FROM unnest($2::int[], $3::bigint[], $4::text[]) AS x(p, e, t)`,
          [drawId, part.map((s) => s.position), part.map((s) => s.id), part.map((s) => s.tier)],
        );
      }
      await appendAudit(sqlOf(m), actor, {
        action: 'random_draw.create',
        entityType: 'random_draw',
        entityId: drawId,
        after: {
          seed,
          ratios,
          algorithm: result.algorithm,
          candidates: result.candidates,
          candidatesDigest: result.candidatesDigest,
          perTier: result.perTier,
          selected: result.selected.length,
          note,
        },
      });
      return { ...result, drawId, view: drawView(stored) };
    });
  }

  /** Stored draws, newest first, one page, and how many there are. */
  async list(page: number, pageSize: number): Promise<{ items: DrawView[]; total: number }> {
    const rows = await this.dataSource.query(
      `SELECT ${DRAW_COLUMNS} FROM random_draw ORDER BY id DESC LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM random_draw`);
    return { items: rows.map(drawView), total };
  }

  /** One stored draw with its inputs per tier. @throws NotFoundException unknown id */
  async one(id: number): Promise<DrawView> {
    const [row] = await this.dataSource.query(`SELECT ${DRAW_COLUMNS} FROM random_draw WHERE id = $1`, [id]);
    if (!row) throw new NotFoundException(`draw ${id} does not exist`);
    return drawView(row);
  }

  /**
   * One page of a draw's targets in draw order, of one tier or all. A tier's targets hold
   * consecutive positions (the draw takes tier after tier, best first), so a page is a range of
   * positions read by the primary key, as quick on the last page of a million as on the first.
   * @throws NotFoundException unknown draw
   * @throws UnprocessableEntityException (field `tier`) a tier the draw does not have
   */
  async targets(
    id: number,
    page: number,
    pageSize: number,
    tier?: string,
  ): Promise<{ items: DrawTargetView[]; total: number }> {
    const draw = await this.one(id);
    let first = 1;
    let total = draw.selected;
    const offsets = new Map<string, number>();
    let before = 0;
    for (const t of draw.perTier) {
      offsets.set(t.tier, before);
      if (t.tier === tier) {
        first = before + 1;
        total = t.selected;
      }
      before += t.selected;
    }
    if (tier !== undefined && !offsets.has(tier))
      throw unprocessable([
        {
          field: 'tier',
          reason: `draw ${id} has no tier '${tier}' (tiers: ${draw.perTier.map((t) => t.tier).join(', ')})`,
        },
      ]);
    const from = first + (page - 1) * pageSize;
    const to = Math.min(first + total - 1, from + pageSize - 1);
    const rows: { position: number; tier: string; uscc: string; name: string; street: string | null }[] =
      from > to
        ? []
        : await this.dataSource.query(
            `SELECT i.position, i.tier, e.uscc, e.name, e.street
             FROM random_draw_item i JOIN enterprise e ON e.id = i.enterprise_id
             WHERE i.draw_id = $1 AND i.position BETWEEN $2 AND $3 ORDER BY i.position`,
            [id, from, to],
          );
    return {
      items: rows.map((r) => ({
        position: r.position,
        tier: r.tier,
        tierPosition: r.position - (offsets.get(r.tier) ?? 0),
        uscc: r.uscc,
        name: r.name,
        street: r.street ?? null,
      })),
      total,
    };
  }

  /**
   * Records that a draw's list was exported (`random_draw.export`, with the format and where to),
   * in its own transaction, before the list is sent.
   * @throws NotFoundException unknown draw
   */
  async recordExport(id: number, actor: Actor, format: string, to: string): Promise<DrawView> {
    const draw = await this.one(id);
    await this.dataSource.transaction((m) =>
      appendAudit(sqlOf(m), actor, {
        action: 'random_draw.export',
        entityType: 'random_draw',
        entityId: id,
        after: { format, to, selected: draw.selected, candidatesDigest: draw.candidatesDigest },
      }),
    );
    return draw;
  }
}
