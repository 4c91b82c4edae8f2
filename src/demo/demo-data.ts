import { INestApplicationContext, Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import bcrypt from 'bcryptjs';
import { Actor } from '../audit/actor.js';
import { UsersService } from '../auth/users.service.js';
import type { Role } from '../auth/roles.js';
import { todayInShanghai } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { RecordImportService } from '../credit/import/record-import.service.js';
import { ScoringService } from '../credit/scoring.service.js';
import { RegisterImportService } from '../enterprises/import/register-import.service.js';
import { DEMO_PLANNING_USERS, loadDemoPlanning } from './demo-planning.js';
import { loadDemoPlan } from '../inspections/plans/demo-plan.js';
import { loadDemoPenalties } from './demo-penalties.js';
import { loadDemoPrepaid } from './demo-prepaid.js';
import { writeDemoCsv } from './generator.js';

export const DEMO_SEED = 'yangpu-demo-v1';

/**
 * One demo user of each role first (development only: demo data never loads in production), then
 * the planning demo's regulators of health and fire and its inspectors (demo-planning.ts
 * DEMO_PLANNING_USERS). The enterprise user acts for the demo enterprise with the lowest score.
 */
export const DEMO_USERS: {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  department?: string;
  credentialNo?: string;
}[] = [
  { username: 'demo-admin', password: 'Yangpu-Admin-2026', displayName: '演示管理员', role: 'admin' },
  {
    username: 'demo-regulator',
    password: 'Yangpu-Reg-2026',
    displayName: '演示监管人员（市场监管）',
    role: 'regulator',
    department: 'market',
  },
  {
    username: 'demo-inspector',
    password: 'Yangpu-Insp-2026',
    displayName: '演示执法人员（市场监管）',
    role: 'inspector',
    department: 'market',
    credentialNo: '31011026001',
  },
  {
    username: 'demo-enterprise',
    password: 'Yangpu-Ent-2026',
    displayName: '演示企业用户',
    role: 'enterprise',
  },
  ...DEMO_PLANNING_USERS,
  {
    // issue 12: the supervising body of the enterprises' ratings of inspections (行政执法监督)
    username: 'demo-oversight',
    password: 'Yangpu-Reg-2026',
    displayName: '演示督查人员（司法局·行政执法监督）',
    role: 'regulator',
    department: 'oversight',
  },
];

/**
 * Creates the demo users that do not exist yet (the enterprise user bound to the lowest-scored
 * enterprise). @returns how many were created
 */
export async function createDemoUsers(app: INestApplicationContext, actor: Actor): Promise<number> {
  const users = app.get(UsersService);
  const ds = app.get(DataSource);
  let created = 0;
  for (const u of DEMO_USERS) {
    if (await users.forLogin(u.username)) continue;
    let uscc: string | undefined;
    if (u.role === 'enterprise') {
      const [row] = await ds.query(
        `SELECT e.uscc FROM enterprise e JOIN credit_score s ON s.enterprise_id = e.id ORDER BY s.score, e.uscc LIMIT 1`,
      );
      if (!row) continue;
      uscc = row.uscc;
    }
    await users.create({ ...u, uscc }, actor);
    created++;
  }
  return created;
}

/**
 * The demo users, for printing at start-up in development mode only (main.ts): the password
 * while it is still the demo one, else null (changed since); deleted demo users are left out.
 */
export async function demoCredentials(
  app: INestApplicationContext,
): Promise<{ username: string; password: string | null; role: Role; uscc: string | null }[]> {
  const users = app.get(UsersService);
  const out = [];
  for (const u of DEMO_USERS) {
    const stored = await users.forLogin(u.username);
    if (!stored) continue;
    const unchanged = await bcrypt.compare(u.password, stored.passwordHash);
    out.push({
      username: u.username,
      password: unchanged ? u.password : null,
      role: u.role,
      uscc: stored.uscc,
    });
  }
  return out;
}

/**
 * Loads generated demo data (valid USCCs in Yangpu, a mix of records) through the same import and
 * scoring code operators use: generate CSVs, import the register, import the records, score;
 * then the demo users (DEMO_USERS) and the planning demo: items, roster, recusals
 * (demo-planning.ts loadDemoPlanning). Everything is audited as done by `actor`.
 * @throws Error in production (NODE_ENV=production): demo users have published passwords
 * @param onlyIfEmpty skip when the register already holds enterprises
 * @returns enterprises and records imported, or null when skipped
 */
export async function loadDemoData(
  app: INestApplicationContext,
  enterprises: number,
  onlyIfEmpty: boolean,
  actor: Actor,
): Promise<{ enterprises: number; records: number; tierCounts: Record<string, number> } | null> {
  const logger = new Logger('DemoData');
  if (app.get<AppConfig>(APP_CONFIG).NODE_ENV === 'production')
    throw new Error('demo data and demo users (with published passwords) are never loaded in production');
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
    const reg = await app.get(RegisterImportService).importFile(files.registerFile, { actor });
    const rec = await app.get(RecordImportService).importFile(files.recordsFile, { actor });
    const run = await app.get(ScoringService).rescoreAll(undefined, undefined, actor);
    await createDemoUsers(app, actor);
    await loadDemoPlanning(app, actor);
    // after the demo items (catalog): the draft plan for this year
    await loadDemoPlan(app, actor);
    // issue 13: decisions served with their repair notice (after the demo users: the demo enterprise's own)
    await loadDemoPenalties(app, actor);
    // issue 14: prepaid issuers with two years of reports and signals (four drifting toward closure)
    await loadDemoPrepaid(app, actor);
    logger.log(
      `demo data: ${reg.inserted} enterprises, ${rec.inserted} credit records, tiers ${JSON.stringify(run.tierCounts)}`,
    );
    return { enterprises: reg.inserted, records: rec.inserted, tierCounts: run.tierCounts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
