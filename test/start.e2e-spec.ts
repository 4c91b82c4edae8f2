import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freshDatabase } from './helpers.js';

const main = path.resolve('dist/src/main.js');
const port = Number(process.env.TEST_HTTP_PORT ?? 3391);

/** The service as `npm start` runs it: its own start-up, demo data on an empty database, listen. */
(existsSync(main) ? describe : describe.skip)('service start-up (dist/src/main.js)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let child: ChildProcess;
  let output = '';
  let auth: Record<string, string> = {};
  beforeAll(async () => {
    db = await freshDatabase();
    child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: String(port),
        DEMO_ENTERPRISES: '200',
        NODE_ENV: 'development', // jest sets test; demo users are printed in development only
        LOG_LEVEL: 'log',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const until = Date.now() + 60000;
    while (!output.includes('listening on') && Date.now() < until && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90000);
  afterAll(async () => {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await db.drop();
  });

  it('prints the demo users of each role in development mode; the printed admin signs in', async () => {
    for (const role of ['admin', 'regulator', 'inspector', 'enterprise'])
      expect(output).toMatch(new RegExp(`${role} +demo-${role} +\\S+`));
    const [, password] = /admin +demo-admin +(\S+)/.exec(output)!;
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-admin', password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    auth = { authorization: `Bearer ${accessToken}` };
    expect((await fetch(`http://127.0.0.1:${port}/api/enterprises`)).status).toBe(401);
    // where a person signs in: the pages, served by the service itself
    expect(output).toContain(`sign in at http://127.0.0.1:${port}/ (the enterprise user at /m/)`);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>信用风险分类监管工作台</title>');
  });

  it('loads and scores demo data on an empty database, then listens', async () => {
    expect(output).toContain('listening on');
    expect(output).toMatch(/demo data: 200 enterprises/);
    const list = await fetch(`http://127.0.0.1:${port}/api/enterprises?pageSize=200`, { headers: auth }).then(
      (r) => r.json() as Promise<{ total: number; items: { tier: string | null }[] }>,
    );
    expect(list.total).toBe(200);
    expect(list.items.every((e: { tier: string | null }) => e.tier !== null)).toBe(true);
  });

  it('scores an enterprise registered through the API at once', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/enterprises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ uscc: '91310115MA1FL8Q20P', name: '上海示例有限公司' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ tier: 'A', score: 100 });
    const credit = await fetch(`http://127.0.0.1:${port}/api/enterprises/91310115MA1FL8Q20P/credit`, {
      headers: auth,
    });
    expect(credit.status).toBe(200);
  });

  it('answers malformed JSON and unknown tiers with the error shape', async () => {
    const bad = await fetch(`http://127.0.0.1:${port}/api/enterprises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: '{"uscc":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const tier = await fetch(`http://127.0.0.1:${port}/api/enterprises?tier=E`, { headers: auth });
    expect(tier.status).toBe(422);
    expect(((await tier.json()) as { errors: unknown[] }).errors[0]).toMatchObject({ field: 'tier' });
  });

  it('writes one JSON request log line per request with its id, status and user, no token in it', async () => {
    await fetch(`http://127.0.0.1:${port}/api/auth/me`, {
      headers: { ...auth, 'x-request-id': 'start-test-7' },
    });
    await new Promise((r) => setTimeout(r, 200));
    const line = output.split('\n').find((l) => l.includes('"start-test-7"'));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!);
    expect(entry).toMatchObject({
      req: { id: 'start-test-7', method: 'GET', url: '/api/auth/me' },
      res: { statusCode: 200 },
      user: 'demo-admin',
      role: 'admin',
    });
    expect(entry.req.headers).toBeUndefined(); // no headers, so no token, in the log
    expect(line).not.toContain(auth.authorization!.slice(7));
  });
});
