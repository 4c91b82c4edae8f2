/**
 * Cost of the shared rate-limit store (docs/performance.md "Rate limits"): every limited request
 * makes one upsert on `rate_limit_counter` (PostgresRateLimitStore.increment). Prints, for N
 * requests: the increment alone, one caller at a time and from 16 concurrent callers, beside
 * express-rate-limit's in-memory store; then a signed-in GET /api/auth/me through the whole HTTP
 * service (token check, limits, guard with its user lookup, handler), to set the increment beside
 * a whole request. Also prints the server and machine.
 *
 *   npm run bench:ratelimit                  # N = 5,000
 *   npm run bench:ratelimit -- --n 20000
 *
 * Uses DATABASE_URL (a fresh database `bench_rl_<time>` is created there and dropped), or an
 * embedded PostgreSQL in the temp folder. Sends requests to 127.0.0.1 only.
 */
import { Command } from 'commander';
import { MemoryStore } from 'express-rate-limit';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { systemActor } from '../src/audit/actor.js';
import { AuthService } from '../src/auth/auth.service.js';
import { UsersService } from '../src/auth/users.service.js';
import { loadConfig } from '../src/config/configuration.js';
import { benchDatabase } from './bench-database.js';
import { createHttpApp } from '../src/http/http-app.js';
import { PostgresRateLimitStore } from '../src/http/rate-limit-store.js';

const opts = new Command('bench-ratelimit')
  .option('--n <n>', 'requests per measurement', (v) => Number(v), 5000)
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54349)
  .parse()
  .opts<{ n: number; port: number }>();

/** median, p95 and p99 of durations in milliseconds, printed in µs */
function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const us = (v: number) => `${Math.round(v * 1000)} µs`;
  return `median ${us(at(0.5))}, p95 ${us(at(0.95))}, p99 ${us(at(0.99))}`;
}

async function timeEach(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function throughput(n: number, callers: number, f: (i: number) => Promise<unknown>): Promise<string> {
  const t = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = c; i < n; i += callers) await f(i);
    }),
  );
  const s = (performance.now() - t) / 1000;
  return `${Math.round(n / s)} /s (${callers} concurrent callers, ${((1e6 * s) / n).toFixed(0)} µs each on average)`;
}

async function main(): Promise<void> {
  const db = await benchDatabase('bench_rl', opts.port);
  const url = db.url;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DEMO_DATA: 'off',
      BCRYPT_ROUNDS: '4',
      THROTTLE_LIMIT: String(10 * opts.n),
      THROTTLE_ANONYMOUS_LIMIT: String(10 * opts.n),
    });
    const app = await createHttpApp(url, config);
    await app.init();
    try {
      const ds = app.get(DataSource);
      const [server] = (await ds.query(
        `SELECT version() AS version, current_setting('shared_buffers') AS shared_buffers,
           current_setting('synchronous_commit') AS synchronous_commit, current_setting('max_connections') AS max_connections`,
      )) as Record<string, string>[];
      console.log(`server: ${server!.version}`);
      console.log(
        `  shared_buffers ${server!.shared_buffers}, synchronous_commit ${server!.synchronous_commit} (unlogged table: no WAL either way), ` +
          `max_connections ${server!.max_connections}; ${db.server}`,
      );
      console.log(
        `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; N = ${opts.n}`,
      );

      const keys = 1000;
      const run = (sql: string, params: unknown[]) => ds.query(sql, params) as Promise<unknown[]>;
      const store = new PostgresRateLimitStore('bench', run);
      store.init({ windowMs: 60_000 } as never);
      // the same statements on a plain node-postgres pool, to see what TypeORM's query() adds
      const pool = new pg.Pool({ connectionString: url, max: 10 });
      const plain = new PostgresRateLimitStore('bench-pg', (sql, params) =>
        pool.query(sql, params).then((r) => r.rows),
      );
      plain.init({ windowMs: 60_000 } as never);
      for (let i = 0; i < 200; i++) await plain.increment(`warm${i % 10}`);
      console.log(
        `increment, plain pg.Pool, one caller, ${keys} keys:    ${summary(await timeEach(opts.n, (i) => plain.increment(`p${i % keys}`)))}`,
      );
      await pool.end();
      const memory = new MemoryStore();
      memory.init({ windowMs: 60_000 } as never);
      // warm up the pool and the plan
      for (let i = 0; i < 200; i++) await store.increment(`warm${i % 10}`);
      console.log(
        `increment, PostgreSQL store, one caller, one key:     ${summary(await timeEach(opts.n, () => store.increment('one')))}`,
      );
      console.log(
        `increment, PostgreSQL store, one caller, ${keys} keys:   ${summary(await timeEach(opts.n, (i) => store.increment(`k${i % keys}`)))}`,
      );
      console.log(
        `increment, PostgreSQL store, throughput, one key:     ${await throughput(opts.n, 16, () => store.increment('hot'))}`,
      );
      console.log(
        `increment, PostgreSQL store, throughput, ${keys} keys:   ${await throughput(opts.n, 16, (i) => store.increment(`c${i % keys}`))}`,
      );
      console.log(
        `increment, in-memory store (one instance only):       ${summary(await timeEach(opts.n, (i) => memory.increment(`m${i % keys}`)))}`,
      );
      memory.shutdown();

      // a signed-in request through the whole service: token check, limits, guard, handler
      const users = app.get(UsersService);
      const user = await users.create(
        {
          username: 'bench-inspector',
          password: 'Bench-password-2026',
          displayName: '基准',
          role: 'inspector',
          department: 'market',
          credentialNo: 'B000001',
        },
        systemActor('test'),
      );
      const { accessToken } = await app.get(AuthService).issue(user, 0);
      await app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const me = async () => {
        const r = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`GET /api/auth/me answered ${r.status}`);
      };
      for (let i = 0; i < 200; i++) await me();
      console.log(
        `GET /api/auth/me, signed in, one client:              ${summary(await timeEach(opts.n, me))}`,
      );
      console.log(
        `GET /api/auth/me, signed in, throughput:              ${await throughput(opts.n, 16, me)}`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
