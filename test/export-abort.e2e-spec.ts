import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { createTestApp, type TestApp } from './helpers.js';

/**
 * A CSV export the client abandons (closed tab, navigation, a script closing the socket) must give
 * its database connection back: the export streams from a cursor inside a snapshot, and a cursor
 * nobody reads held its connection for good, so ten aborted downloads used up the pool (10) and
 * the service stopped answering (adversarial trial, issue 10).
 */
describe('aborted CSV export', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    // 30,000 enterprises with long names: a CSV of about 10 MB, far more than socket buffers hold
    await t.dataSource.query(
      `INSERT INTO enterprise (uscc, name, street)
       SELECT '91310110MA' || lpad(i::text, 8, '0'), repeat('上海测试企业名称', 12) || i, '五角场街道'
       FROM generate_series(1, 30000) AS i`,
    );
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    token = (await t.signIn('inspector')).token;
  });
  afterAll(() => t.close());

  /** Starts the export, reads its first bytes, then closes the connection. */
  const abortedExport = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(
        `${base}/api/enterprises/export.csv`,
        { headers: { Authorization: `Bearer ${token}` } },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    });

  it('twelve abandoned downloads leave the pool free and no cursor behind', async () => {
    for (let i = 0; i < 12; i++) expect(await abortedExport()).toBe(200);
    // the service still answers (the pool has 10 connections)
    const res = await fetch(`${base}/api/enterprises?pageSize=1`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    // and no export query is left running in this database
    let left = -1;
    for (let i = 0; i < 50 && left !== 0; i++) {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%ORDER BY%' AND state <> 'idle'`,
      );
      left = n;
      if (left) await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe(0);
    // a complete export still works afterwards
    const full = await fetch(`${base}/api/enterprises/export.csv`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(full.status).toBe(200);
    const text = await full.text();
    expect(text.split('\n').length).toBeGreaterThan(30000);
  });
});
