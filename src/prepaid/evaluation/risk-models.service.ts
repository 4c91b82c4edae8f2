import { ConflictException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, systemActor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { todayInShanghai } from '../../common/clock.js';
import { unprocessable } from '../../http/api-errors.js';
import { DEFAULT_RISK_MODEL, RiskModelError, validateRiskModel } from '../rules/default-risk-model.js';
import type { RiskModelConfig } from '../rules/risk-rules.js';
import type { Query } from './facts-loader.js';
import { riskModelProblems } from './rules/model-check.js';

/** A stored model version as GET /api/prepaid/models lists it. */
export interface RiskModelVersionView {
  version: string;
  description: string;
  config: RiskModelConfig;
  createdAt: string;
  /** the days from which it was activated, oldest activation first */
  activations: { effectiveFrom: string; activatedAt: string }[];
  /** in force today */
  inForce: boolean;
}

/**
 * The model version in force on `asOf`: the latest activation effective on or before it; before the
 * first activation, the first version activated (the model of the service's start). Read through
 * `query` (a manager or a client inside the caller's transaction).
 * @throws Error when no version was ever activated (cannot happen after start-up)
 */
export async function riskModelInForce(query: Query, asOf: string): Promise<RiskModelConfig> {
  const [row] = await query(
    `SELECT m.config FROM prepaid_risk_model m JOIN (
       (SELECT version, 0 AS rank FROM prepaid_risk_model_activation WHERE effective_from <= $1::date
        ORDER BY effective_from DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT version, 1 FROM prepaid_risk_model_activation ORDER BY effective_from, id LIMIT 1)
     ) a ON a.version = m.version ORDER BY a.rank LIMIT 1`,
    [asOf],
  );
  if (!row) throw new Error('no prepaid risk model was ever activated');
  return row.config as RiskModelConfig;
}

/**
 * Versions of the prepaid risk model (prepaid_risk_model, append-only; prepaid_risk_model_activation),
 * like the scorecard's (credit/scorecard-versions.service.ts): the shipped v1 (DEFAULT_RISK_MODEL) is
 * stored at start-up when absent and activated from 1900-01-01 when nothing is active; a new version is
 * checked and stored, then activated from a day (today or later: the days already evaluated keep the
 * version in force then, so an explanation as of a past day never changes).
 */
@Injectable()
export class RiskModelsService implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.ensureDefaultModel();
  }

  /** Stores DEFAULT_RISK_MODEL when absent, and activates it from 1900-01-01 when no version was ever activated. Audited. */
  async ensureDefaultModel(): Promise<void> {
    const model = DEFAULT_RISK_MODEL;
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['prepaid_risk_model_install']);
      const inserted = await m.query(
        `INSERT INTO prepaid_risk_model (version, description, config) VALUES ($1, $2, $3)
         ON CONFLICT (version) DO NOTHING RETURNING version`,
        [model.version, model.description, JSON.stringify(model)],
      );
      const [{ any }] = await m.query(`SELECT EXISTS (SELECT 1 FROM prepaid_risk_model_activation) AS any`);
      if (!any)
        await m.query(
          `INSERT INTO prepaid_risk_model_activation (version, effective_from) VALUES ($1, DATE '1900-01-01')`,
          [model.version],
        );
      if (inserted.length || !any)
        await appendAudit(sqlOf(m), systemActor('startup'), {
          action: 'prepaid_risk_model.install',
          entityType: 'prepaid_risk_model',
          entityId: model.version,
          after: { version: model.version, stored: inserted.length > 0, activated: !any, config: model },
        });
    });
  }

  /** Every version, oldest first, with its activations and whether it is in force today. */
  async list(): Promise<{ inForce: string; versions: RiskModelVersionView[] }> {
    const today = todayInShanghai();
    const inForce = (await riskModelInForce((s, p) => this.dataSource.query(s, p), today)).version;
    const rows = await this.dataSource.query(
      `SELECT m.version, m.description, m.config, m.created_at,
              coalesce(json_agg(json_build_object('effectiveFrom', a.effective_from, 'activatedAt', a.activated_at)
                ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS activations
       FROM prepaid_risk_model m LEFT JOIN prepaid_risk_model_activation a ON a.version = m.version
       GROUP BY m.version ORDER BY m.created_at, m.version`,
    );
    return {
      inForce,
      versions: rows.map((r: Record<string, unknown>) => ({
        version: r.version as string,
        description: r.description as string,
        config: r.config as RiskModelConfig,
        createdAt: new Date(r.created_at as string).toISOString(),
        activations: (r.activations as { effectiveFrom: string; activatedAt: string }[]).map((a) => ({
          effectiveFrom: a.effectiveFrom,
          activatedAt: new Date(a.activatedAt).toISOString(),
        })),
        inForce: r.version === inForce,
      })),
    };
  }

  /**
   * Stores a new version (not yet in force: activate it). Audited `prepaid_risk_model.create`.
   * @throws 422 naming each field at fault (model-check.ts riskModelProblems: every field at once), then
   *   the first one the rules' validateRiskModel finds (every rule present with its parameters)
   * @throws ConflictException (409) the version exists (a version is never changed: name a new one)
   */
  async create(input: unknown, actor: Actor): Promise<RiskModelVersionView> {
    const problems = riskModelProblems(input);
    if (problems.length) throw unprocessable(problems);
    let model: RiskModelConfig;
    try {
      // the rules slice's own check: every rule with its parameters, as the rules read them
      model = validateRiskModel(input);
    } catch (e) {
      if (e instanceof RiskModelError)
        throw unprocessable([{ field: e.field, reason: e.message.slice(e.field.length + 2) }]);
      throw e;
    }
    await this.dataSource.transaction(async (m) => {
      const inserted = await m.query(
        `INSERT INTO prepaid_risk_model (version, description, config) VALUES ($1, $2, $3)
         ON CONFLICT (version) DO NOTHING RETURNING version`,
        [model.version, model.description.trim(), JSON.stringify(model)],
      );
      if (!inserted.length)
        throw new ConflictException(
          `model version ${model.version} exists: a version is never changed, name a new one`,
        );
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_risk_model.create',
        entityType: 'prepaid_risk_model',
        entityId: model.version,
        after: { config: model },
      });
    });
    return this.one(model.version);
  }

  /**
   * Puts `version` in force from `effectiveFrom` (today or later). Audited `prepaid_risk_model.activate`
   * with the version in force on that day before.
   * @throws NotFoundException unknown version; 422 `effectiveFrom` before today
   */
  async activate(version: string, effectiveFrom: string, actor: Actor): Promise<RiskModelVersionView> {
    const today = todayInShanghai();
    if (effectiveFrom < today)
      throw unprocessable([
        {
          field: 'effectiveFrom',
          reason: `${effectiveFrom} is before today (${today}): days already evaluated keep the version in force then`,
        },
      ]);
    await this.dataSource.transaction(async (m) => {
      const [row] = await m.query(`SELECT version FROM prepaid_risk_model WHERE version = $1`, [version]);
      if (!row) throw new NotFoundException(`model version ${version} does not exist`);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, ['prepaid_risk_model_install']);
      const before = (await riskModelInForce((s, p) => m.query(s, p), effectiveFrom)).version;
      await m.query(
        `INSERT INTO prepaid_risk_model_activation (version, effective_from, activated_by) VALUES ($1, $2, $3)`,
        [version, effectiveFrom, actor.userId],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_risk_model.activate',
        entityType: 'prepaid_risk_model',
        entityId: version,
        before: { inForceFrom: effectiveFrom, version: before },
        after: { inForceFrom: effectiveFrom, version },
      });
    });
    return this.one(version);
  }

  /** One version. @throws NotFoundException unknown */
  async one(version: string): Promise<RiskModelVersionView> {
    const v = (await this.list()).versions.find((x) => x.version === version);
    if (!v) throw new NotFoundException(`model version ${version} does not exist`);
    return v;
  }
}
