import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/configuration.js';
import { createHttpApp } from '../src/http/http-app.js';

/** URL of the same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

/** Creates an empty database for one test file. @returns its URL and a function dropping it */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_ADMIN_URL;
  if (!admin) throw new Error('TEST_ADMIN_URL not set: run through jest (test/global-setup.ts)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return {
    url: withDatabase(admin, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  dataSource: DataSource;
  url: string;
  close(): Promise<void>;
}

/** The real HTTP application (validation, filters, OpenAPI) on a fresh, migrated database. */
export async function createTestApp(): Promise<TestApp> {
  const db = await freshDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', DEMO_DATA: 'off' });
  const app = await createHttpApp(db.url, config);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    dataSource: app.get(DataSource),
    url: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** The shared data folder beside the project (absent on some machines: tests using it skip). */
export const SHARED_DATA = path.resolve(process.cwd(), '../shared/data');
export const hasSharedData = existsSync(path.join(SHARED_DATA, 'jinan-enterprise-credit/jn_credit_info.csv'));
