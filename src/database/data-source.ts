import './pg-types.js';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';
import { QueryErrorLogger } from './query-error-logger.js';

/**
 * TypeORM options for a PostgreSQL URL. Schema changes only through migrations: `synchronize`
 * is never on; pending migrations are applied by `migrate` once the data source is initialised
 * (not by TypeORM's `migrationsRun`, which takes no lock: two processes starting on a new
 * database both ran the first migration and one failed half-way).
 * @param logQueryErrors print every failed query (TypeORM's logger); off when LOG_LEVEL is error or fatal
 */
export function dataSourceOptions(url: string, logQueryErrors = true): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // failed queries that reach the API are answered (409/422) or logged by ApiErrorFilter (500)
    logging: logQueryErrors ? ['error'] : false,
    logger: new QueryErrorLogger(),
    // temp_buffers: bulk loads and batch scoring stage rows in temporary tables; the 8 MB default
    // spilled them to disk (it can only be set before a session first touches a temporary table).
    // jit=off: the service's statements are per-enterprise reads (under 1 ms) and set-based
    // batches; JIT only ever cost time here (measured on PostgreSQL 15 with LLVM: 0.5-4.8 s of
    // compilation for a sub-millisecond read whose plan lacked statistics, and no gain on the
    // batch; docs/performance.md "Fast on a stock PostgreSQL too").
    extra: {
      max: 10,
      application_name: 'credit-supervision',
      options: '-c temp_buffers=128MB -c work_mem=64MB -c jit=off',
    },
  };
}

/** The advisory-lock key of schema migrations (pg_advisory_lock(hashtext(key))). */
const MIGRATION_LOCK = 'schema_migrations';

/**
 * Applies the pending migrations, each in its own transaction, holding a session advisory lock so
 * that processes starting at once (a second instance, a CLI command beside the service) migrate
 * one after another: the second waits, then finds nothing to do. Needs two connections of the
 * data source's pool (the lock's, and the migrations').
 * @throws the failing migration's error (the lock is released; committed migrations stay)
 */
export async function migrate(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Data source for the TypeORM CLI (`npx typeorm -d dist/src/database/data-source.js migration:show`). */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/supervision'),
);
