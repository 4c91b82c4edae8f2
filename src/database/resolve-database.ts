import type { AppConfig } from '../config/configuration.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  url: string;
  /** 'external' when DATABASE_URL is set, else 'embedded'. */
  kind: 'external' | 'embedded';
  /** Stops the embedded server this process started; no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under EMBEDDED_PG_DIR.
 * @throws Error with a one-line reason when the embedded server cannot start.
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
  return { url: db.url, kind: 'embedded', stop: db.stop };
}
