import { INestApplicationContext } from '@nestjs/common';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { openCsv } from '../common/csv-source.js';
import { JINAN_SOURCE } from '../credit/import/jinan-import.service.js';

export interface JinanEvaluation {
  /** grade -> tier -> companies */
  crossTable: Record<string, Record<string, number>>;
  grades: string[];
  tiers: string[];
  matched: number;
  unmatched: number;
  text: string;
}

/** The city's grades, best first (shared/data/README.md): A, A-, N+, N (no grade), B-, C. */
const GRADE_ORDER = ['A', 'A-', 'N+', 'N', 'B-', 'C'];

/**
 * Cross-tabulates current tiers of the imported Jinan companies against the city's own
 * `credit_grade` (jn_credit_info.csv, read again here: the grade is not stored as a fact).
 */
export async function evaluateJinan(app: INestApplicationContext, folder: string): Promise<JinanEvaluation> {
  const ds = app.get(DataSource);
  const tierRows: { source_key: string; tier: string }[] = await ds.query(
    `SELECT e.source_key, s.tier FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id WHERE e.source_system = $1`,
    [JINAN_SOURCE],
  );
  const tierOf = new Map(tierRows.map((r) => [r.source_key, r.tier]));
  const csv = await openCsv(path.join(folder, 'jn_credit_info.csv'), ['entname', 'credit_grade'], []);
  const crossTable: Record<string, Record<string, number>> = {};
  const tiers = new Set<string>();
  let matched = 0;
  let unmatched = 0;
  const seen = new Set<string>();
  for await (const r of csv.rows) {
    const hash = r.values.entname!.trim().toLowerCase();
    if (seen.has(hash)) continue;
    seen.add(hash);
    const grade = r.values.credit_grade!.trim() || '(empty)';
    const tier = tierOf.get(hash);
    if (!tier) {
      unmatched++;
      continue;
    }
    matched++;
    tiers.add(tier);
    crossTable[grade] ??= {};
    crossTable[grade][tier] = (crossTable[grade][tier] ?? 0) + 1;
  }
  const grades = Object.keys(crossTable).sort(
    (a, b) => ((GRADE_ORDER.indexOf(a) + 99) % 99) - ((GRADE_ORDER.indexOf(b) + 99) % 99),
  );
  const tierList = [...tiers].sort();
  const lines = [
    `| credit_grade | ${tierList.join(' | ')} | total | share C+D |`,
    `|---|${tierList.map(() => '---:').join('|')}|---:|---:|`,
  ];
  for (const g of grades) {
    const row = tierList.map((t) => crossTable[g]![t] ?? 0);
    const total = row.reduce((a, b) => a + b, 0);
    const cd = (crossTable[g]!.C ?? 0) + (crossTable[g]!.D ?? 0);
    lines.push(`| ${g} | ${row.join(' | ')} | ${total} | ${((100 * cd) / total).toFixed(1)}% |`);
  }
  lines.push(
    '',
    `companies with a grade: ${matched} scored, ${unmatched} not found among scored enterprises`,
  );
  return { crossTable, grades, tiers: tierList, matched, unmatched, text: lines.join('\n') };
}
