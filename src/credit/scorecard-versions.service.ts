import { ConflictException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, systemActor } from '../audit/actor.js';
import { appendAudit, sqlOf, sqlOfClient } from '../audit/audit-writer.js';
import { todayInShanghai } from '../common/clock.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { ACTIVE_ON_NEW_DATABASE, SHIPPED_SCORECARDS } from './rules/default-scorecard.js';
import { Scorecard, validateScorecard } from './rules/scorecard.js';
import { scorecardInForce } from './scorecard-in-force.js';
import { ScoringService } from './scoring.service.js';

/**
 * Scorecard versions (rows, never edited) and their activations (history, effective from a day):
 * installing the shipped versions, switching the active one (which rescores everyone), and which
 * version is in force on a date (docs/scoring.md).
 */
@Injectable()
export class ScorecardVersionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scoring: ScoringService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureDefaultScorecard();
  }

  /**
   * Stores every shipped scorecard version that is absent (a version is never edited), and
   * activates ACTIVE_ON_NEW_DATABASE when no version is active (a new database). A database that
   * already has an active version keeps it: switching is `activateScorecard`.
   */
  async ensureDefaultScorecard(): Promise<void> {
    const cards = SHIPPED_SCORECARDS.map(validateScorecard);
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['scorecard_install']);
      const [{ any_active }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM scorecard_version WHERE is_active) AS any_active`,
      );
      for (const card of cards) {
        const activate = !any_active && card.version === ACTIVE_ON_NEW_DATABASE;
        const inserted = await m.query(
          `INSERT INTO scorecard_version (version, description, config, is_active)
           VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING RETURNING version`,
          [card.version, card.description, JSON.stringify(card), activate],
        );
        if (inserted.length && activate)
          await m.query(
            `INSERT INTO scorecard_activation (version, effective_from) VALUES ($1, DATE '1900-01-01')`,
            [card.version],
          );
        if (inserted.length)
          await appendAudit(sqlOf(m), systemActor('startup'), {
            action: 'scorecard.install',
            entityType: 'scorecard_version',
            entityId: card.version,
            after: { version: card.version, active: activate, config: card },
          });
      }
    });
  }

  /**
   * Makes `version` the active scorecard, in force for scores as of today and later (recorded in
   * scorecard_activation, and in the audit trail as `scorecard.activate` with the versions before
   * and after), then rescores everyone with it as of today. Activations cannot be back- or
   * future-dated: the history of versions in force only grows forward. The switch and the
   * rescoring are one transaction: if the rescoring fails, the previous version stays active and
   * nothing of the switch is stored (nor audited).
   * @throws NotFoundException unknown version
   * @throws ConflictException the version is already active
   */
  async activateScorecard(version: string, actor: Actor) {
    const asOf = todayInShanghai();
    let before: string | null = null;
    // under the scoring lock the run takes first: one at a time, never in the middle of a run
    const run = await this.scoring.scoreEveryone(asOf, undefined, actor, async (c) => {
      const target = await c.query(`SELECT version FROM scorecard_version WHERE version = $1`, [version]);
      if (!target.rowCount) throw new NotFoundException(`scorecard version ${version} does not exist`);
      const current = (await c.query(`SELECT version FROM scorecard_version WHERE is_active`)).rows[0];
      if (current?.version === version)
        throw new ConflictException(`scorecard version ${version} is already active`);
      before = (current?.version as string | undefined) ?? null;
      await c.query(`UPDATE scorecard_version SET is_active = false WHERE is_active`);
      await c.query(`UPDATE scorecard_version SET is_active = true WHERE version = $1`, [version]);
      // in force for scores as of today and later; a score as of an earlier date keeps the
      // version in force then (scores, explanations and history all follow scorecardInForce)
      await c.query(`INSERT INTO scorecard_activation (version, effective_from) VALUES ($1, $2)`, [
        version,
        asOf,
      ]);
      await appendAudit(sqlOfClient(c), actor, {
        action: 'scorecard.activate',
        entityType: 'scorecard_version',
        entityId: version,
        before: { active: before },
        after: { active: version },
      });
    });
    return { before, after: version, run };
  }

  /** Every stored scorecard version, oldest first, whether it is active, and the days from which it was activated. */
  async scorecardVersions(): Promise<
    { version: string; description: string; active: boolean; createdAt: Date; inForceFrom: string[] }[]
  > {
    return this.dataSource.query(
      `SELECT v.version, v.description, v.is_active AS active, v.created_at AS "createdAt",
              coalesce(array_agg(a.effective_from::text ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS "inForceFrom"
       FROM scorecard_version v LEFT JOIN scorecard_activation a ON a.version = v.version
       GROUP BY v.version ORDER BY min(v.created_at), v.version`,
    );
  }

  /** A stored scorecard version. @throws NotFoundException unknown version */
  async scorecardVersion(version: string): Promise<Scorecard> {
    const [row] = await this.dataSource.query(`SELECT config FROM scorecard_version WHERE version = $1`, [
      version,
    ]);
    if (!row) throw new NotFoundException(`scorecard version ${version} does not exist`);
    return validateScorecard(row.config);
  }

  /** The active scorecard. @throws Error when none is active (cannot happen after start-up). */
  async activeScorecard(manager: EntityManager = this.dataSource.manager): Promise<Scorecard> {
    const row = await manager.findOne(ScorecardVersion, { where: { isActive: true } });
    if (!row) throw new Error('no active scorecard version');
    return validateScorecard(row.config);
  }

  /**
   * The scorecard version in force for scores as of `asOf`: the latest activation effective on or
   * before it; before the first activation, the first version activated; else the active one.
   */
  async scorecardInForce(asOf: string, manager: EntityManager = this.dataSource.manager): Promise<Scorecard> {
    return scorecardInForce(asOf, manager);
  }
}
