import pg from 'pg';

/**
 * node-postgres type parsing for this project (stack-notes.md):
 * - `date` (OID 1082) stays a `YYYY-MM-DD` string: legal dates have no time zone, and a JS Date
 *   at local midnight prints as the day before under TZ=Asia/Shanghai.
 * - `bigint` (OID 20) becomes a number: ids and counts stay far below 2^53; money is in fen.
 * - `numeric` (OID 1700) becomes a number: only scores use it; money is never numeric here.
 */
export function installPgTypeParsers(): void {
  pg.types.setTypeParser(1082, (v: string) => v);
  pg.types.setTypeParser(20, (v: string) => Number(v));
  pg.types.setTypeParser(1700, (v: string) => Number(v));
}
installPgTypeParsers();
