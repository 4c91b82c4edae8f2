import { stringify } from 'csv-stringify';
import { spreadsheetText } from '../common/spreadsheet-cell.js';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import { pgPool } from '../database/pg-pool.js';
import type { DrawTargetView, DrawView } from './dto/draw.dto.js';

/** Header of a draw's CSV list (the published list: Chinese, for the bureau's staff and Excel). */
export const DRAW_CSV_HEADER = ['序号', '风险分类', '分类内序号', '统一社会信用代码', '企业名称', '街道'];

/**
 * A draw's targets in draw order, streamed from the database (pg-query-stream, 5,000 rows a
 * batch), so a list of a million is never held in memory. `tierPosition` counts within the tier
 * (a tier's targets come one after another). Stopping early ends the query and drops its
 * connection.
 */
export async function* drawTargetRows(
  dataSource: DataSource,
  drawId: number,
): AsyncGenerator<DrawTargetView> {
  const client = await pgPool(dataSource).connect();
  const stream = client.query(
    new QueryStream(
      `SELECT i.position, i.tier, e.uscc, e.name, e.street
       FROM random_draw_item i JOIN enterprise e ON e.id = i.enterprise_id
       WHERE i.draw_id = $1 ORDER BY i.position`,
      [drawId],
      { batchSize: 5000 },
    ),
  );
  let finished = false;
  try {
    const inTier = new Map<string, number>();
    for await (const r of stream as AsyncIterable<Omit<DrawTargetView, 'tierPosition'>>) {
      const tierPosition = (inTier.get(r.tier) ?? 0) + 1;
      inTier.set(r.tier, tierPosition);
      yield { ...r, street: r.street ?? null, tierPosition };
    }
    finished = true;
  } finally {
    if (finished) client.release();
    else {
      stream.destroy();
      client.release(new Error('draw export stopped early')); // the connection is discarded
    }
  }
}

/**
 * Writes a draw's list as CSV to `out` (an HTTP answer, a file): UTF-8 with a byte-order mark
 * (so Excel shows the Chinese text), the header DRAW_CSV_HEADER, then one row per target in draw
 * order: position, tier, position in the tier, USCC, name, street (text cells kept as text, never
 * formulas: common/spreadsheet-cell.ts). The one CSV writer of draws:
 * GET /api/draws/:id/list.csv and the CLI (`draw`, `draw export`) both use it.
 */
export async function writeDrawCsv(dataSource: DataSource, drawId: number, out: Writable): Promise<void> {
  const rows = async function* () {
    for await (const t of drawTargetRows(dataSource, drawId))
      yield [t.position, t.tier, t.tierPosition, t.uscc, spreadsheetText(t.name), spreadsheetText(t.street)];
  };
  await pipeline(
    Readable.from(rows()),
    stringify({ bom: true, header: true, columns: DRAW_CSV_HEADER }),
    out,
  );
}

/**
 * Writes a draw as JSON to `out`: the draw's view (inputs, per tier, who, note) and `targets`, one
 * per line, streamed like the CSV.
 */
export async function writeDrawJson(dataSource: DataSource, draw: DrawView, out: Writable): Promise<void> {
  const head = JSON.stringify(draw, null, 2);
  const lines = async function* () {
    yield `${head.slice(0, -2)},\n  "targets": [`;
    let first = true;
    for await (const t of drawTargetRows(dataSource, draw.id)) {
      yield `${first ? '' : ','}\n    ${JSON.stringify(t)}`;
      first = false;
    }
    yield `${first ? '' : '\n  '}]\n}\n`;
  };
  await pipeline(Readable.from(lines()), out);
}
