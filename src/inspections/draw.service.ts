import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, cliActor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { ScorecardVersionsService } from '../credit/scorecard-versions.service.js';
import { DrawCandidate, DrawResult, drawTargets } from './rules/draw.js';

export interface RecordedDraw extends DrawResult {
  drawId: number;
  /** enterprise names and streets of the selected targets, in draw order */
  targets: (DrawResult['selected'][number] & { name: string; street: string | null })[];
}

/**
 * Runs and records the tiered random draw of inspection targets (双随机抽取, domain.md 5.1-5.2).
 * Candidates: registered enterprises in business (status active) with a current tier. Tiers that
 * get no routine check: the best tier of the active scorecard (A, "无事不扰").
 */
@Injectable()
export class DrawService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scorecards: ScorecardVersionsService,
  ) {}

  /**
   * Draws and stores the draw with its inputs (seed, ratios, candidates digest) and list, with
   * its audit entry (`random_draw.create`) in the same transaction.
   * @throws DrawInputError for bad ratios or seed (see drawTargets)
   */
  async draw(seed: string, ratios: Record<string, number>, actor: Actor = cliActor()): Promise<RecordedDraw> {
    const card = await this.scorecards.activeScorecard();
    const tiers = card.tiers.map((t) => t.tier);
    const rows: (DrawCandidate & { id: number; name: string; street: string | null })[] =
      await this.dataSource.query(
        `SELECT e.id, e.uscc, s.tier, e.name, e.street FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id
       WHERE e.status = 'active'`,
      );
    const result = drawTargets(rows, ratios, seed, tiers, [tiers[0]!]);
    const byUscc = new Map(rows.map((r) => [r.uscc, r]));
    return this.dataSource.transaction(async (m) => {
      const [{ id: drawId }] = await m.query(
        `INSERT INTO random_draw (seed, ratios, algorithm, candidates, candidates_digest, selected)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          seed,
          JSON.stringify(ratios),
          result.algorithm,
          result.candidates,
          result.candidatesDigest,
          result.selected.length,
        ],
      );
      const chunk = 5000;
      for (let i = 0; i < result.selected.length; i += chunk) {
        const part = result.selected.slice(i, i + chunk);
        await m.query(
          `INSERT INTO random_draw_item (draw_id, position, enterprise_id, tier)
           SELECT $1, p, e, t FROM unnest($2::int[], $3::bigint[], $4::text[]) AS x(p, e, t)`,
          [
            drawId,
            part.map((s) => s.position),
            part.map((s) => byUscc.get(s.uscc)!.id),
            part.map((s) => s.tier),
          ],
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
          selected: result.selected.length,
        },
      });
      const targets = result.selected.map((s) => ({
        ...s,
        name: byUscc.get(s.uscc)!.name,
        street: byUscc.get(s.uscc)!.street,
      }));
      return { ...result, drawId, targets };
    });
  }
}
