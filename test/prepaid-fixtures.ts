/**
 * SQL fixtures for the prepaid evaluation and alert tests (issue 14, alerts slice): issuers, reports,
 * signals and model versions inserted as rows on the scaffold tables, so these tests do not depend on
 * the data slice's services. Real tables, real constraints; no mocks.
 */
import type { DataSource } from 'typeorm';
import { DEFAULT_RISK_MODEL } from '../src/prepaid/rules/default-risk-model.js';
import { insertEnterprise } from './triggers-fixtures.js';

/** An enterprise of the register that is a prepaid issuer, with one open store on `street`. */
export async function insertIssuer(
  ds: DataSource,
  opts: { name: string; street?: string | null; sector?: string; tier?: string | null },
): Promise<{ id: number; uscc: string }> {
  const e = await insertEnterprise(ds, { name: opts.name, tier: opts.tier });
  await ds.query(`UPDATE enterprise SET prepaid_issuer = true, established_on = '2020-01-01' WHERE id = $1`, [
    e.id,
  ]);
  // selling for a month only: no quarterly report is due yet, so the rules' missing-report floor stays out
  await ds.query(
    `INSERT INTO prepaid_issuer (enterprise_id, sector, guarantee_kind, selling_since) VALUES ($1, $2, 'escrow', current_date - 30)`,
    [e.id, opts.sector ?? 'fitness'],
  );
  if (opts.street !== null)
    await ds.query(
      `INSERT INTO prepaid_store (enterprise_id, name, address, street, opened_on) VALUES ($1, $2, $3, $4, '2020-02-01')`,
      [e.id, `${opts.name}一店`, '上海市杨浦区测试路1号', opts.street ?? '五角场街道'],
    );
  return e;
}

/** A monthly report of `month` (YYYY-MM) submitted on `submittedOn`, balance in fen. @returns its id */
export async function insertReport(
  ds: DataSource,
  enterpriseId: number,
  month: string,
  submittedOn: string,
  balanceFen: number,
  opts: { supersede?: number } = {},
): Promise<number> {
  const start = `${month}-01`;
  const [{ end }] = await ds.query(
    `SELECT (($1::date + interval '1 month') - interval '1 day')::date::text AS end`,
    [start],
  );
  if (opts.supersede)
    // a correction: the replaced row leaves the in-force index first (one report in force per period)
    await ds.query(`UPDATE prepaid_report SET superseded_by = id WHERE id = $1`, [opts.supersede]);
  const [r] = await ds.query(
    `INSERT INTO prepaid_report (enterprise_id, period_kind, period_start, period_end, submitted_on, balance_fen,
       cards_sold_count, cards_sold_fen, redemptions_fen, escrow_balance_fen, correction_reason)
     VALUES ($1, 'month', $2, $3, $4, $5, 10, 100000, 50000, $5, $6) RETURNING id`,
    [enterpriseId, start, end, submittedOn, balanceFen, opts.supersede ? '更正' : null],
  );
  if (opts.supersede)
    await ds.query(`UPDATE prepaid_report SET superseded_by = $2 WHERE id = $1`, [opts.supersede, r.id]);
  return Number(r.id);
}

/**
 * A model version whose level hardly depends on the facts: v1's rules with level cuts at 0 put every
 * issuer at least at the mildest level whose cut is 0 (equal cuts skip the milder level), e.g.
 * `{ blue: 0, yellow: 0, orange: 1e6, red: 2e6 }` = yellow unless a fired rule's floor is worse. Stored
 * by SQL (the API refuses cuts at 0) and activated from `from`.
 */
export async function insertModel(
  ds: DataSource,
  version: string,
  levelCuts: { blue: number; yellow: number; orange: number; red: number },
  from: string,
): Promise<void> {
  const config = { version, description: `测试模型 ${version}`, levelCuts, rules: DEFAULT_RISK_MODEL.rules };
  await ds.query(`INSERT INTO prepaid_risk_model (version, description, config) VALUES ($1, $2, $3)`, [
    version,
    config.description,
    JSON.stringify(config),
  ]);
  await ds.query(`INSERT INTO prepaid_risk_model_activation (version, effective_from) VALUES ($1, $2)`, [
    version,
    from,
  ]);
}

export const YELLOW = { blue: 0, yellow: 0, orange: 1e6, red: 2e6 };
export const RED = { blue: 0, yellow: 0, orange: 0, red: 0 };
