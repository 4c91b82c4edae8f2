import type { EntityType } from '../entities/enterprise.entity.js';

/**
 * Registered-capital bands (注册资本档次), a basic attribute of the enterprise in the credit-risk
 * classification (SAMR 国市监信发〔2022〕6号, indicator group "basic attributes"; domain.md 4).
 * Pure, no framework imports.
 *
 * Only entities that register a capital have a band: companies (公司), partnerships (合伙企业,
 * subscribed contributions) and farmers' cooperatives (农民专业合作社, members' contributions).
 * Sole traders (个体工商户) register an operating fund, not a capital, and branches (分支机构) none;
 * they, and entities whose capital the register does not give, have no band (`null`).
 *
 * Band limits (lower bound inclusive, in fen; 1 yuan = 100 fen): `micro` below 100,000 yuan
 * (10万), `small` below 1,000,000 yuan (100万), `medium` below 10,000,000 yuan (1000万), `large`
 * from there. The breaks are the round figures register statistics use; they are a project
 * choice, not a published rule.
 */
export const CAPITAL_BANDS = [
  { band: 'micro', belowFen: 10_000_000, label: '10万元以下' },
  { band: 'small', belowFen: 100_000_000, label: '10万至100万元' },
  { band: 'medium', belowFen: 1_000_000_000, label: '100万至1000万元' },
  { band: 'large', belowFen: Number.POSITIVE_INFINITY, label: '1000万元以上' },
] as const;
export type CapitalBand = (typeof CAPITAL_BANDS)[number]['band'];

/** Entity types that register a capital (and so have a band). */
export const CAPITAL_ENTITY_TYPES: readonly EntityType[] = ['company', 'partnership', 'cooperative'];

/** Largest registered capital accepted, in fen (a safe integer; 90 trillion yuan). */
export const MAX_CAPITAL_FEN = 9_000_000_000_000_000;

/**
 * The band of a registered capital.
 * @param entityType the enterprise's entity type
 * @param capitalFen registered capital in fen (whole, >= 0), or null when unknown
 * @returns the band, or null when the entity type has no registered capital or it is unknown
 * @throws RangeError when capitalFen is not a whole number from 0 to MAX_CAPITAL_FEN
 */
export function capitalBand(entityType: EntityType, capitalFen: number | null): CapitalBand | null {
  if (capitalFen === null) return null;
  if (!Number.isSafeInteger(capitalFen) || capitalFen < 0 || capitalFen > MAX_CAPITAL_FEN)
    throw new RangeError(
      `registered capital must be whole fen from 0 to ${MAX_CAPITAL_FEN}, not ${capitalFen}`,
    );
  if (!CAPITAL_ENTITY_TYPES.includes(entityType)) return null;
  return CAPITAL_BANDS.find((b) => capitalFen < b.belowFen)!.band;
}

/**
 * SQL condition, over enterprise alias `e`, that is true exactly when capitalBand(e.entity_type,
 * e.registered_capital_fen) is `band` (the indicator SQL uses it; tests check both agree).
 */
export function capitalBandSql(band: CapitalBand, e = 'e'): string {
  const i = CAPITAL_BANDS.findIndex((b) => b.band === band);
  const lower = i === 0 ? 0 : CAPITAL_BANDS[i - 1]!.belowFen;
  const upper = CAPITAL_BANDS[i]!.belowFen;
  const types = CAPITAL_ENTITY_TYPES.map((t) => `'${t}'`).join(',');
  return `(${e}.entity_type IN (${types}) AND ${e}.registered_capital_fen >= ${lower}${
    Number.isFinite(upper) ? ` AND ${e}.registered_capital_fen < ${upper}` : ''
  })`;
}
