import type { EntityManager } from 'typeorm';
import { Scorecard, validateScorecard } from './rules/scorecard.js';

/**
 * The scorecard version in force for scores as of `asOf` (YYYY-MM-DD): the latest activation
 * effective on or before it; before the first activation, the first version activated; else the
 * active one. Read through `manager` (in the caller's transaction when it has one).
 * @throws Error when no version is active (cannot happen after start-up)
 */
export function scorecardInForce(asOf: string, manager: EntityManager): Promise<Scorecard> {
  return scorecardInForceVia((sql, params) => manager.query(sql, params), asOf);
}

/**
 * The scorecard version in force on `asOf` (see scorecardInForce), read through
 * `query` (a TypeORM manager or a pg client inside its transaction).
 * @throws Error when no version is active (cannot happen after start-up)
 */
export async function scorecardInForceVia(
  query: (sql: string, params: unknown[]) => Promise<{ config: unknown }[]>,
  asOf: string,
): Promise<Scorecard> {
  const [row] = await query(
    `SELECT v.config FROM scorecard_version v JOIN (
       (SELECT version, 0 AS rank FROM scorecard_activation WHERE effective_from <= $1::date
        ORDER BY effective_from DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT version, 1 FROM scorecard_activation ORDER BY effective_from, id LIMIT 1)
     ) a ON a.version = v.version
     ORDER BY a.rank LIMIT 1`,
    [asOf],
  );
  const config =
    row?.config ?? (await query(`SELECT config FROM scorecard_version WHERE is_active`, []))[0]?.config;
  if (!config) throw new Error('no active scorecard version');
  return validateScorecard(config as Scorecard);
}
