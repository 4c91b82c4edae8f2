import type pg from 'pg';
import { DataSource } from 'typeorm';

/**
 * The node-postgres pool behind TypeORM, for the few set-based jobs that stream (cursors, COPY).
 * Everything else goes through TypeORM.
 */
export function pgPool(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as unknown as { master: pg.Pool }).master;
}
