import { INestApplicationContext, Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { todayInShanghai } from '../common/clock.js';
import { RecordImportService } from '../credit/import/record-import.service.js';
import { ScoringService } from '../credit/scoring.service.js';
import { RegisterImportService } from '../enterprises/import/register-import.service.js';
import { writeDemoCsv } from './generator.js';

export const DEMO_SEED = 'yangpu-demo-v1';

/**
 * Loads generated demo data (valid USCCs in Yangpu, a mix of records) through the same import and
 * scoring code operators use: generate CSVs, import the register, import the records, score.
 * @param onlyIfEmpty skip when the register already holds enterprises
 * @returns enterprises and records imported, or null when skipped
 */
export async function loadDemoData(
  app: INestApplicationContext,
  enterprises: number,
  onlyIfEmpty: boolean,
): Promise<{ enterprises: number; records: number; tierCounts: Record<string, number> } | null> {
  const logger = new Logger('DemoData');
  const ds = app.get(DataSource);
  if (onlyIfEmpty) {
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM (SELECT 1 FROM enterprise LIMIT 1) x');
    if (n > 0) return null;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'supervision-demo-'));
  try {
    logger.log(`generating ${enterprises} demo enterprises (seed ${DEMO_SEED})`);
    const files = await writeDemoCsv(dir, {
      enterprises,
      recordsPerEnterprise: 5,
      seed: DEMO_SEED,
      asOf: todayInShanghai(),
    });
    const reg = await app.get(RegisterImportService).importFile(files.registerFile);
    const rec = await app.get(RecordImportService).importFile(files.recordsFile);
    const run = await app.get(ScoringService).rescoreAll();
    logger.log(
      `demo data: ${reg.inserted} enterprises, ${rec.inserted} credit records, tiers ${JSON.stringify(run.tierCounts)}`,
    );
    return { enterprises: reg.inserted, records: rec.inserted, tierCounts: run.tierCounts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
