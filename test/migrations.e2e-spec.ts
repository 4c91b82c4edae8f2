import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions, migrate } from '../src/database/data-source.js';
import { freshDatabase } from './helpers.js';

/**
 * Processes starting at once on a new database (a second instance, a CLI command beside the
 * service) migrate one after another under migrate's advisory lock: before it, TypeORM's
 * migrationsRun let both run the first migration and one failed half-way.
 */
describe('migrations on a new database, three processes at once', () => {
  it('all succeed, and every migration is applied once', async () => {
    const db = await freshDatabase();
    const sources = [1, 2, 3].map(
      () => new DataSource({ ...dataSourceOptions(db.url, false), extra: { max: 2 } }),
    );
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      await Promise.all(sources.map((s) => migrate(s)));
      const rows: { name: string }[] = await sources[0]!.query(`SELECT name FROM migrations ORDER BY id`);
      expect(rows).toHaveLength(MIGRATIONS.length);
      expect(new Set(rows.map((r) => r.name)).size).toBe(MIGRATIONS.length);
      // a later start finds nothing to do
      await migrate(sources[1]!);
      expect(await sources[2]!.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([
        { n: MIGRATIONS.length },
      ]);
    } finally {
      await Promise.all(sources.map((s) => (s.isInitialized ? s.destroy() : undefined)));
      await db.drop();
    }
  }, 120_000);
});
