import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/configuration.js';
import { dataSourceOptions, migrate } from './data-source.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { restrictAppendOnly } from './embedded-roles.js';

export interface ResolvedDatabase {
  /** URL the application connects with (on the embedded server: the role `supervision_app`). */
  url: string;
  /** 'external' when DATABASE_URL is set, else 'embedded'. */
  kind: 'external' | 'embedded';
  /** Leaves the embedded server (stops it unless another live process uses it); no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * Applies pending migrations as the schema's owner (`ownerUrl`), then takes UPDATE, DELETE and
 * TRUNCATE of the append-only tables from the application role. The application's own
 * start-up migration (as the application role) then finds nothing to do.
 * @throws Error when a migration fails
 */
async function migrateAsOwner(ownerUrl: string): Promise<void> {
  // two connections: migrate holds its lock on one
  const ds = new DataSource({ ...dataSourceOptions(ownerUrl), extra: { max: 2 } });
  await ds.initialize();
  try {
    await migrate(ds);
  } finally {
    await ds.destroy();
  }
  await restrictAppendOnly(ownerUrl);
}

/**
 * DATABASE_URL when set (used as it is: see docs/security.md for the role to give it); otherwise
 * the embedded PostgreSQL under EMBEDDED_PG_DIR, migrated as its owner role and used as its
 * application role (src/database/embedded-postgres.ts).
 * @throws Error with a one-line reason when the embedded server cannot start or migrate.
 */
export async function resolveDatabase(
  config: AppConfig,
  log?: (m: string) => void,
): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, kind: 'external', stop: async () => undefined };
  const db = await startEmbeddedPostgres({
    baseDir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    database: config.EMBEDDED_PG_DATABASE,
    log,
  });
  try {
    await migrateAsOwner(db.ownerUrl);
  } catch (e) {
    await db.stop();
    throw e;
  }
  return { url: db.url, kind: 'embedded', stop: db.stop };
}
