import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { TestApp, createTestApp } from './helpers.js';

const run = promisify(execFile);
type Operation = { summary?: string; security?: unknown[]; 'x-roles'?: string[] };

describe('the OpenAPI description', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('written without a database (npm run openapi) is the one the service serves', async () => {
    // without DATABASE_URL, and no embedded server is started: nothing connects
    const { DATABASE_URL: _url, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['dist/src/openapi.js'], { env, timeout: 60_000 });
    // the served one from the compiled service in plain Node (under Jest, @nestjs/terminus cannot
    // load its optional @nestjs/swagger decorations, so /health's answer would lack its schema)
    const serve = `
      import { createHttpApp } from './dist/src/http/http-app.js';
      import { loadConfig } from './dist/src/config/configuration.js';
      const app = await createHttpApp(${JSON.stringify(t.url)}, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error' }));
      await app.listen(0, '127.0.0.1');
      const res = await fetch('http://127.0.0.1:' + app.getHttpServer().address().port + '/docs-json');
      process.stdout.write(await res.text());
      await app.close();`;
    const served = await run(process.execPath, ['--input-type=module', '-e', serve], { timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(served.stdout));
    expect(JSON.parse(stdout).paths['/health'].get.responses['200'].content).toBeDefined();
  });

  it('has a server, and every operation a summary and its security: bearer or the session cookie for roles, none for public', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body as {
      servers: { url: string }[];
      paths: Record<string, Record<string, Operation>>;
    };
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, ...op })),
    );
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.filter((o) => !o.summary).map((o) => o.at)).toEqual([]);
    const pub = ops.filter((o) => o['x-roles']?.includes('public'));
    expect(pub.map((o) => o.at).sort()).toEqual([
      'GET /.well-known/check-code-trust-list.json',
      'GET /api/audit/checkpoint-key',
      'GET /api/check-codes/trust-list',
      'GET /api/check-codes/{code}/verification',
      'GET /api/plan-draws/{id}/verification',
      'GET /api/public/plans',
      'GET /api/public/plans/{id}',
      'GET /api/public/plans/{id}/batches/{batchId}/results',
      'GET /health',
      'GET /public/draws/{id}',
      'GET /public/plans',
      'GET /public/plans/{id}',
      'GET /public/plans/{id}/batches/{batchId}/results',
      'GET /v',
      'GET /v/{code}',
      'POST /api/auth/login',
      'POST /api/auth/session',
    ]);
    for (const o of pub) expect(o.security).toEqual([]);
    for (const o of ops.filter((o) => !o['x-roles']?.includes('public')))
      expect(o.security).toEqual([{ bearer: [] }, { cookie: [] }]);
  });
});
