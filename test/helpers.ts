import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { systemActor } from '../src/audit/actor.js';
import { AuthService } from '../src/auth/auth.service.js';
import type { UserView } from '../src/auth/dto/user.dto.js';
import type { Role } from '../src/auth/roles.js';
import { UsersService } from '../src/auth/users.service.js';
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

/** A supertest agent sending one user's access token with every request. */
export type Agent = ReturnType<typeof request.agent>;

/** What a test user needs besides its role. */
export interface TestUserOptions {
  department?: string;
  credentialNo?: string;
  uscc?: string;
}

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  dataSource: DataSource;
  url: string;
  /** an agent signed in as an admin (created with the app) */
  admin: Agent;
  adminToken: string;
  /**
   * A new user of `role` (regulator and inspector default to the market department) and an agent
   * sending its token. @returns the agent, the user and its token
   */
  signIn(role: Role, opts?: TestUserOptions): Promise<{ agent: Agent; user: UserView; token: string }>;
  /**
   * A new user of `role` signed in as a browser (POST /api/auth/session): an agent keeping the
   * session cookie, the CSRF token to send as X-CSRF-Token, and the SessionView answered.
   */
  signInSession(
    role: Role,
    opts?: TestUserOptions,
  ): Promise<{
    agent: Agent;
    user: UserView;
    csrf: string;
    session: Record<string, unknown>;
    cookie: string;
  }>;
  close(): Promise<void>;
}

/** Password of every test user. */
export const TEST_PASSWORD = 'Test-password-2026';

/** The real HTTP application (validation, filters, OpenAPI) on a fresh, migrated database. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabase();
  // the audit checkpoint key and file of this app only (AUDIT_KEY_FILE), removed with it
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'audit-key-'));
  const config = loadConfig({
    AUDIT_KEY_FILE: path.join(keyDir, 'checkpoint-key.pem'),
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DEMO_DATA: 'off',
    BCRYPT_ROUNDS: '4',
    THROTTLE_LIMIT: '100000',
    THROTTLE_ANONYMOUS_LIMIT: '100000',
    ...env,
  });
  const app = await createHttpApp(db.url, config);
  await app.init();
  const http = app.getHttpServer();
  let n = 0;
  const signIn = async (role: Role, opts: TestUserOptions = {}) => {
    n++;
    const dto = {
      username: `${role}-${n}`,
      password: TEST_PASSWORD,
      displayName: `测试${role}${n}`,
      role,
      department: role === 'regulator' || role === 'inspector' ? (opts.department ?? 'market') : undefined,
      credentialNo:
        role === 'inspector' ? (opts.credentialNo ?? `T${String(n).padStart(6, '0')}`) : undefined,
      uscc: opts.uscc,
    };
    const user = await app.get(UsersService).create(dto, systemActor('test'));
    const { accessToken } = await app.get(AuthService).issue(user, 0);
    return {
      agent: request.agent(http).set('Authorization', `Bearer ${accessToken}`),
      user,
      token: accessToken,
    };
  };
  const signInSession = async (role: Role, opts: TestUserOptions = {}) => {
    const { user } = await signIn(role, opts);
    const agent = request.agent(http);
    const res = await agent
      .post('/api/auth/session')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
    return { agent, user, csrf: res.body.csrfToken as string, session: res.body, cookie };
  };
  const { agent: admin, token: adminToken } = await signIn('admin');
  return {
    app,
    http,
    dataSource: app.get(DataSource),
    url: db.url,
    admin,
    adminToken,
    signIn,
    signInSession,
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** The shared data folder beside the project (absent on some machines: tests using it skip). */
export const SHARED_DATA = path.resolve(process.cwd(), '../shared/data');
export const hasSharedData = existsSync(path.join(SHARED_DATA, 'jinan-enterprise-credit/jn_credit_info.csv'));
