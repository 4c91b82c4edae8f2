/**
 * Speed of the public verification of inspection codes (issue 12 "Speed"): `GET
 * /api/check-codes/:code/verification` at 2,000 requests/s or more with p99 under 25 ms on loopback
 * at 20 connections, and at least half the throughput of a bare NestJS endpoint (/health, which
 * pings the database) measured in the same run.
 *
 *   npm run bench:verify                                   # embedded PostgreSQL
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:verify
 *   npm run bench:verify -- --duration 10 --connections 20 --port 54362
 *   npm run bench:verify -- --rounds 3     # three rounds of everything, medians at the end
 *
 * Makes a database of its own (`bench_verify_<ms>` on DATABASE_URL's server, or an embedded one),
 * migrates it, creates an enterprise, a published plan's task with three items and two assigned
 * inspectors in a visit, and issues the visit's code through the service (CodesService.issue: the
 * real issue path, signed by the service's key). Then starts the service as ONE separate process
 * (`node dist/src/main.js`, NODE_ENV=production, request log on, its output to /dev/null) and
 * runs autocannon (in this process) against /health, the JSON verification of the valid code, of
 * `--codes` distinct valid codes picked at random per request (copies of the issued code's row,
 * each signed by the service's key with its own code number: every request then misses the
 * caches, checks a signature and reads its row), of a forged code (re-signed by an unknown key)
 * and the page /v/<code>, then /health again, each for
 * `--duration` seconds at `--connections` connections after a short warm-up. The verification
 * limit is kept (VERIFY_RATE_LIMIT set far above the load, so every request is counted and none
 * refused). Prints req/s, p50/p99 latency, non-2xx answers, the ratio to /health, the CPU time of
 * the service and the machine's load average (the machine is shared). Figures only: a person
 * compares them with the targets (docs/performance.md).
 */
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { systemActor } from '../src/audit/actor.js';
import type { AuthUser } from '../src/auth/auth-user.js';
import { UsersService } from '../src/auth/users.service.js';
import { CodesService } from '../src/check-codes/codes/codes.service.js';
import { codeNoOf } from '../src/check-codes/codes/rules/code-rules.js';
import { KeysService } from '../src/check-codes/keys/keys.service.js';
import { decodeCheckCode, signCheckCode } from '../src/check-codes/rules/check-code-format.js';
import { kidOf } from '../src/check-codes/rules/key-id.js';
import { todayInShanghai } from '../src/common/clock.js';
import { addDays } from '../src/common/calendar-days.js';
import { buildUscc } from '../src/common/uscc.js';
import { loadConfig } from '../src/config/configuration.js';
import { benchDatabase } from './bench-database.js';

const opts = new Command('bench:verify')
  .option('--duration <s>', 'seconds per measurement', (v) => Number(v), 10)
  .option('--connections <n>', 'concurrent connections', (v) => Number(v), 20)
  .option('--warmup <s>', 'seconds of warm-up before each measurement', (v) => Number(v), 2)
  .option(
    '--rounds <n>',
    'rounds of all the measurements (medians printed when more than one)',
    (v) => Number(v),
    1,
  )
  .option('--port <port>', 'port of the embedded server (without DATABASE_URL)', (v) => Number(v), 54362)
  .option('--codes <n>', 'distinct valid codes for the measurement without caches', (v) => Number(v), 20_000)
  .option('--keep', 'keep the database', false)
  .option('--only <names>', 'measure only these, comma-separated: health,valid,distinct,forged,page', '')
  .option('--profile <dir>', "write the service's CPU profile (node --cpu-prof) into this folder")
  .parse()
  .opts<{
    duration: number;
    connections: number;
    warmup: number;
    rounds: number;
    port: number;
    codes: number;
    keep: boolean;
    only: string;
    profile?: string;
  }>();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** CPU time (user + system) of a process so far, ms (from /proc). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Makes the bench's inspection (enterprise, plan, task, visit, inspectors) and issues its code. */
async function issueCode(url: string): Promise<string> {
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ databaseUrl: url, config: loadConfig() }),
    { logger: ['error', 'warn'] },
  );
  try {
    const ds = app.get(DataSource);
    const today = todayInShanghai();
    const [e] = await ds.query(
      `INSERT INTO enterprise (uscc, name, industry_code, status) VALUES ($1, '上海基准核验餐饮有限公司', 'H62', 'active') RETURNING id`,
      [buildUscc('91', '310110', 'BENCH001')],
    );
    const items: number[] = [];
    for (const [code, name, method, basis, reqs] of [
      [
        'BV-FOOD',
        '食品经营许可情况检查',
        'on_site',
        '《中华人民共和国食品安全法》第三十五条',
        ['公示食品经营许可证', '从业人员持有健康证明'],
      ],
      [
        'BV-LIC',
        '营业执照公示情况检查',
        'documents',
        '《中华人民共和国市场主体登记管理条例》第三十六条',
        ['在住所醒目位置悬挂营业执照'],
      ],
      [
        'BV-PRICE',
        '明码标价情况检查',
        'on_site',
        '《中华人民共和国价格法》第十三条',
        ['商品和服务明码标价', '标价签内容齐全'],
      ],
    ] as const) {
      const [r] = await ds.query(
        `INSERT INTO inspection_item (code, name, department, legal_basis, check_method, industries, requirements)
         VALUES ($1, $2, 'market', $3, $4, '{}', $5) RETURNING id`,
        [code, name, basis, method, JSON.stringify(reqs)],
      );
      items.push(Number(r.id));
    }
    const year = Number(today.slice(0, 4));
    const [plan] = await ds.query(
      `INSERT INTO inspection_plan (plan_no, year, title, lead_department, joint_departments, scope)
       VALUES ($1, $2, $3, 'market', '{}', '基准范围') RETURNING id`,
      [`${year}-market-001`, year, `${year}年度双随机抽查计划(基准)`],
    );
    for (const id of items) await ds.query(`INSERT INTO inspection_plan_item VALUES ($1, $2)`, [plan.id, id]);
    for (const [tier, ratio] of [
      ['A', 0],
      ['B', 0.05],
      ['C', 0.2],
      ['D', 0.6],
    ] as const)
      await ds.query(`INSERT INTO inspection_plan_tier VALUES ($1, $2, $3, 2)`, [plan.id, tier, ratio]);
    const [start, end] = [addDays(today, -5), addDays(today, 20)];
    const [batch] = await ds.query(
      `INSERT INTO inspection_batch (plan_id, seq, name, window_start, window_end) VALUES ($1, 1, '第一批', $2, $3) RETURNING id`,
      [plan.id, start, end],
    );
    await ds.query(
      `UPDATE inspection_plan SET status = 'published', published_at = now(), late = false WHERE id = $1`,
      [plan.id],
    );
    const [draw] = await ds.query(
      `INSERT INTO plan_draw (batch_id, status, algorithm, tier_date, commitment, public_source, inputs_digest,
         public_value, public_value_at, secret, revealed_at, final_seed, drawn_at, result_digest, summary)
       VALUES ($1, 'drawn', 'bench/v1', $2, $3, '基准', $3, '1', now(), 's', now(), $3, now(), $3, '[]') RETURNING id`,
      [batch.id, today, 'a'.repeat(64)],
    );
    const [visit] = await ds.query(
      `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end) VALUES ($1, 'market', $2, $3) RETURNING id`,
      [e.id, start, end],
    );
    const [task] = await ds.query(
      `INSERT INTO inspection_task (kind, enterprise_id, department, plan_id, batch_id, draw_id, tier, window_start,
         window_end, status, visit_id, assignment_seed)
       VALUES ('routine', $1, 'market', $2, $3, $4, 'B', $5, $6, 'assigned', $7, 'bench') RETURNING id`,
      [e.id, plan.id, batch.id, draw.id, start, end, visit.id],
    );
    for (const id of items) await ds.query(`INSERT INTO inspection_task_item VALUES ($1, $2)`, [task.id, id]);
    const users = app.get(UsersService);
    const inspectors: AuthUser[] = [];
    for (const [i, name] of ['王建国', '李晓梅'].entries()) {
      const u = await users.create(
        {
          username: `bench-inspector-${i + 1}`,
          password: randomBytes(18).toString('base64'),
          displayName: name,
          role: 'inspector',
          department: 'market',
          credentialNo: `3101102026${String(i + 1).padStart(4, '0')}`,
        },
        systemActor('test'),
      );
      await ds.query(
        `INSERT INTO inspection_task_inspector (task_id, user_id, position, role) VALUES ($1, $2, $3, 'assigned')`,
        [task.id, u.id, i + 1],
      );
      inspectors.push({
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        role: 'inspector',
        department: 'market',
        credentialNo: u.credentialNo ?? null,
        enterpriseId: null,
        enterpriseUscc: null,
      });
    }
    const code = await app.get(CodesService).issue(Number(task.id), inspectors[0]!, {
      userId: inspectors[0]!.id,
      name: inspectors[0]!.username,
      role: 'inspector',
      department: 'market',
      requestId: null,
    });
    return code.codeText;
  } finally {
    await app.close();
  }
}

/**
 * `n` more valid codes like the issued one, for a measurement that misses every cache: each signed
 * by the service's key with its own code number, stored (SQL copies of the issued code's row, each
 * with a visit of its own). @returns their texts
 */
async function copiesOf(url: string, codeText: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ databaseUrl: url, config: loadConfig() }),
    { logger: ['error', 'warn'] },
  );
  try {
    const ds = app.get(DataSource);
    const { kid, privateKey } = await app.get(KeysService).signer();
    const claims = decodeCheckCode(codeText).claims;
    const [code] = await ds.query(`SELECT * FROM check_code WHERE code_text = $1`, [codeText]);
    const visits: { id: string }[] = await ds.query(
      `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end)
       SELECT enterprise_id, lead_department, window_start, window_end FROM joint_visit, generate_series(1, $2)
       WHERE id = $1 RETURNING id`,
      [code.visit_id, n],
    );
    const numbers = new Set<string>([claims.codeNo]);
    while (numbers.size <= n) numbers.add(codeNoOf(randomBytes(5)));
    const nos = [...numbers].slice(1);
    const texts = nos.map((codeNo) => signCheckCode({ ...claims, codeNo }, kid, privateKey));
    for (let i = 0; i < n; i += 2000) {
      const slice = nos.slice(i, i + 2000);
      await ds.query(
        `INSERT INTO check_code (code_no, visit_id, enterprise_id, kid, code_text, particulars, issued_at, not_before,
           not_after, status, issued_by)
         SELECT x.no, x.visit, c.enterprise_id, c.kid, x.text, jsonb_set(c.particulars, '{codeNo}', to_jsonb(x.no)),
           c.issued_at, c.not_before, c.not_after, c.status, c.issued_by
         FROM check_code c, unnest($2::text[], $3::bigint[], $4::text[]) AS x(no, visit, text) WHERE c.id = $1`,
        [code.id, slice, visits.slice(i, i + 2000).map((v) => v.id), texts.slice(i, i + 2000)],
      );
    }
    await ds.query(`ANALYZE check_code`);
    return texts;
  } finally {
    await app.close();
  }
}

interface Figures {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  serviceCpuMs: number;
  load: number;
}

/**
 * Runs autocannon on `url` (or, with `paths`, on a path picked at random from them for every
 * request) after the warm-up, and reads the service's CPU time around it.
 */
async function measure(name: string, url: string, pid: number, paths?: string[]): Promise<Figures> {
  const requests = paths
    ? [
        {
          setupRequest: (r: autocannon.Request) => ({
            ...r,
            path: paths[Math.floor(Math.random() * paths.length)]!,
          }),
        },
      ]
    : undefined;
  const run = (duration: number) =>
    autocannon({
      url,
      connections: opts.connections,
      duration,
      pipelining: 1,
      requests,
    }) as Promise<autocannon.Result>;
  if (opts.warmup > 0) await run(opts.warmup);
  const cpu0 = cpuMs(pid);
  const r = await run(opts.duration);
  const f: Figures = {
    name,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    serviceCpuMs: cpuMs(pid) - cpu0,
    load: os.loadavg()[0]!,
  };
  process.stdout.write(
    `${name.padEnd(36)} ${String(f.rps).padStart(6)} req/s  p50 ${String(f.p50).padStart(3)} ms  p99 ${String(f.p99).padStart(3)} ms  ` +
      `non-2xx ${f.non2xx}  errors ${f.errors}  service CPU ${Math.round(f.serviceCpuMs / opts.duration / 10)} % ` +
      `(${Math.round((f.serviceCpuMs * 1000) / Math.max(1, f.requests))} µs a request)  load ${f.load.toFixed(1)}\n`,
  );
  return f;
}

async function main(): Promise<void> {
  // the same sealing secret for the issue here and the service started below
  process.env.CHECK_CODE_KEY_SECRET ??= randomBytes(48).toString('base64');
  process.env.LOG_LEVEL ??= 'warn';
  const db = await benchDatabase('bench_verify', opts.port);
  let child: ChildProcess | undefined;
  try {
    const codeText = await issueCode(db.url);
    const copies = await copiesOf(db.url, codeText, opts.codes);
    const claims = decodeCheckCode(codeText).claims;
    const other = generateKeyPairSync('ed25519');
    const forged = signCheckCode(
      { ...claims, credentialNos: ['F0000001'] },
      kidOf(other.publicKey.export({ format: 'der', type: 'spki' }) as Buffer),
      other.privateKey,
    );
    const port = await freePort();
    const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`] : [];
    child = spawn(process.execPath, [...profile, path.join(root, 'dist/src/main.js')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'log',
        NIGHTLY_SCORING: 'off',
        JWT_SECRET: randomBytes(48).toString('base64'),
        VERIFY_RATE_LIMIT: '1000000000',
      },
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const up = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 300 || child.exitCode !== null) throw new Error('the service did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const check = (await (await fetch(`${base}/api/check-codes/${codeText}/verification`)).json()) as {
      verdict: string;
    };
    const bad = (await (await fetch(`${base}/api/check-codes/${forged}/verification`)).json()) as {
      verdict: string;
    };
    const copy = copies.length
      ? ((await (
          await fetch(`${base}/api/check-codes/${copies[copies.length - 1]}/verification`)
        ).json()) as {
          verdict: string;
        })
      : { verdict: 'valid' };
    if (check.verdict !== 'valid' || bad.verdict !== 'not_valid' || copy.verdict !== 'valid')
      throw new Error(`unexpected verdicts: ${check.verdict} / ${bad.verdict} / ${copy.verdict}`);
    const version = (await db.admin.query(`SELECT version()`)).rows[0].version as string;
    process.stdout.write(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}; ${db.server}: ${version.split(' on ')[0]}\n` +
        `${opts.connections} connections, ${opts.duration} s each after ${opts.warmup} s warm-up; code text ${codeText.length} characters; ` +
        `the valid answer ${JSON.stringify(check).length} bytes, the page ${(await (await fetch(`${base}/v/${codeText}`)).text()).length} bytes\n`,
    );
    const pid = child.pid!;
    const only = opts.only ? opts.only.split(',') : ['health', 'valid', 'distinct', 'forged', 'page'];
    const targets: { id: string; name: string; url: string; paths?: string[] }[] = [
      { id: 'health', name: 'GET /health', url: `${base}/health` },
      {
        id: 'valid',
        name: 'verification, valid code (JSON)',
        url: `${base}/api/check-codes/${codeText}/verification`,
      },
      {
        id: 'distinct',
        name: `verification, ${copies.length} distinct codes (JSON)`,
        url: base,
        paths: copies.map((c) => `/api/check-codes/${c}/verification`),
      },
      {
        id: 'forged',
        name: 'verification, forged code (JSON)',
        url: `${base}/api/check-codes/${forged}/verification`,
      },
      { id: 'page', name: 'page /v/<code>, valid code', url: `${base}/v/${codeText}` },
    ].filter((x) => only.includes(x.id));
    // rounds of every target (then /health again): on a shared machine the load moves between
    // measurements; the medians over rounds and the ratio within each round say more than one run
    const rounds: Record<string, Figures>[] = [];
    for (let r = 1; r <= opts.rounds; r++) {
      if (opts.rounds > 1) process.stdout.write(`round ${r} of ${opts.rounds}\n`);
      const round: Record<string, Figures> = {};
      for (const x of targets) round[x.id] = await measure(x.name, x.url, pid, x.paths);
      if (only.includes('health'))
        round.health2 = await measure('GET /health (again)', `${base}/health`, pid);
      const ref = ((round.health?.rps ?? 0) + (round.health2?.rps ?? 0)) / 2;
      if (ref)
        process.stdout.write(
          `  ratio to /health (mean of its two runs, ${Math.round(ref)} req/s): ` +
            targets
              .filter((x) => x.id !== 'health')
              .map((x) => `${x.id} ${(round[x.id]!.rps / ref).toFixed(2)}`)
              .join(', ') +
            '\n',
        );
      rounds.push(round);
    }
    if (opts.rounds > 1) {
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      process.stdout.write(`medians over ${opts.rounds} rounds:\n`);
      for (const x of targets)
        process.stdout.write(
          `  ${x.name.padEnd(44)} ${String(median(rounds.map((r) => r[x.id]!.rps))).padStart(6)} req/s  ` +
            `p99 ${median(rounds.map((r) => r[x.id]!.p99))} ms  ` +
            `${median(rounds.map((r) => Math.round((r[x.id]!.serviceCpuMs * 1000) / Math.max(1, r[x.id]!.requests))))} µs CPU a request` +
            (x.id === 'health'
              ? ''
              : `  ratio ${median(rounds.map((r) => r[x.id]!.rps / ((r.health!.rps + r.health2!.rps) / 2))).toFixed(2)}`) +
            '\n',
        );
    }
    process.stdout.write(
      'BENCH ' +
        JSON.stringify({
          server: db.server,
          connections: opts.connections,
          duration: opts.duration,
          rounds,
        }) +
        '\n',
    );
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await db.close(opts.keep);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
