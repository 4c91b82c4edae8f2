/**
 * The inspection codes' signing keys end to end (issue 12; docs/check-code-format.md): rotation
 * and revocation through the admin API and the CLI, the database's rules on keys, several
 * instances on one database, the public trust list, and the offline verifier `verify-code` run
 * with no database.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { KeysService } from '../src/check-codes/keys/keys.service.js';
import { CheckCodeClaims, signCheckCode } from '../src/check-codes/rules/check-code-format.js';
import { TrustList, trustListSignatureProblem } from '../src/check-codes/rules/trust-list.js';
import { judgeCode } from '../src/check-codes/rules/verdict.js';
import { APP_CONFIG } from '../src/config/config.token.js';
import type { AppConfig } from '../src/config/configuration.js';
import { createHttpApp } from '../src/http/http-app.js';
import { createTestApp, TestApp } from './helpers.js';

const cli = path.resolve('dist/src/cli.js');
const DAY = 86_400_000;

/** Claims of a code valid from now for `days` days. */
function claimsNow(codeNo: string, days = 10): CheckCodeClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    issuer: '310110',
    codeNo,
    issuedAt: now,
    notBefore: now,
    notAfter: now + days * 86_400,
    taskIds: [1],
    uscc: '91310110MA1G8N5YX5',
    itemCodes: ['YP-SC-01'],
    credentialNos: ['31011020260001', '31011020260002'],
    departments: ['market'],
    planNo: '2026-market-01',
    triggerIds: [],
  };
}

describe('check-code signing keys', () => {
  let t: TestApp;
  let keys: KeysService;
  let config: AppConfig;
  let adminId: number;
  let enterpriseId: number;
  let n = 0;
  const audits = async (action: string) =>
    (await t.dataSource.query(
      `SELECT entity_id, actor, before, after FROM audit_log WHERE action = $1 ORDER BY seq`,
      [action],
    )) as { entity_id: string; actor: string; before: unknown; after: Record<string, unknown> }[];
  const judge = async (text: string, at = Date.now()) => judgeCode(text, await keys.trustedKeys(), at);
  /** Signs a code with the current signer and stores it (status issued) for a new visit. */
  const issue = async (): Promise<{ text: string; codeNo: string; kid: string; id: number }> => {
    const { kid, privateKey } = await keys.signer();
    const codeNo = `KEYS${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[n++]}${'XYZ'}`.slice(0, 8);
    const c = claimsNow(codeNo);
    const text = signCheckCode(c, kid, privateKey);
    const [visit] = await t.dataSource.query(
      `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end)
       VALUES ($1, 'market', current_date, current_date + 10) RETURNING id`,
      [enterpriseId],
    );
    const [row] = await t.dataSource.query(
      `INSERT INTO check_code (code_no, visit_id, enterprise_id, kid, code_text, particulars, issued_at, not_before, not_after, issued_by)
       VALUES ($1, $2, $3, $4, $5, '{}', to_timestamp($6), to_timestamp($7), to_timestamp($8), $9) RETURNING id`,
      [codeNo, visit.id, enterpriseId, kid, text, c.issuedAt, c.notBefore, c.notAfter, adminId],
    );
    return { text, codeNo, kid, id: Number(row.id) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    keys = t.app.get(KeysService);
    config = t.app.get(APP_CONFIG);
    adminId = (await t.admin.get('/api/auth/me').expect(200)).body.id;
    await t.admin
      .post('/api/enterprises')
      .send({ uscc: '91310110MA1G8N5YX5', name: '上海密钥测试有限公司' })
      .expect(201);
    [{ id: enterpriseId }] = await t.dataSource.query(
      `SELECT id FROM enterprise WHERE uscc = '91310110MA1G8N5YX5'`,
    );
  });
  afterAll(() => t.close());

  describe('the admin API', () => {
    it('lists no key before the first code; the first signing makes one, active, by the service', async () => {
      expect((await t.admin.get('/api/check-code-keys').expect(200)).body).toEqual([]);
      const code = await issue();
      const [k] = (await t.admin.get('/api/check-code-keys').expect(200)).body;
      expect(k).toMatchObject({
        kid: code.kid,
        alg: -8,
        algName: 'Ed25519',
        status: 'active',
        signsUntil: null,
        verifiesUntil: null,
        revokedAt: null,
        createdBy: null,
        codes: 1,
        liveCodes: 1,
      });
      expect(k.publicKey).toBeUndefined();
      expect((await judge(code.text)).valid).toBe(true);
    });

    it('rotation: a new active key; the old one retired, its private part gone, its codes still valid', async () => {
      const before = await issue();
      const t0 = Date.now();
      const res = await t.admin
        .post('/api/check-code-keys/rotate')
        .send({ reason: '年度例行轮换' })
        .expect(201);
      const { retired, active } = res.body;
      expect(retired).toMatchObject({ kid: before.kid, status: 'retired', retireReason: '年度例行轮换' });
      expect(active).toMatchObject({ status: 'active', createdBy: 'admin-1' });
      expect(active.kid).not.toBe(before.kid);
      // 30 s more signing time; verifiable 90 days after that
      const signsUntil = Date.parse(retired.signsUntil);
      expect(signsUntil - t0).toBeGreaterThan(KeysService.SIGNING_GRACE_MS - 5_000);
      expect(signsUntil - t0).toBeLessThan(KeysService.SIGNING_GRACE_MS + 5_000);
      expect(Date.parse(retired.verifiesUntil) - signsUntil).toBe(90 * DAY);
      const [row] = await t.dataSource.query(`SELECT private_key FROM check_code_key WHERE kid = $1`, [
        before.kid,
      ]);
      expect(row.private_key).toBeNull();
      // this instance signs with the new key at once; the old key's code stays valid
      expect((await keys.signer()).kid).toBe(active.kid);
      expect((await judge(before.text)).valid).toBe(true);
      expect(await judge(before.text, Date.parse(retired.verifiesUntil) + 1)).toMatchObject({
        reason: 'key_expired',
      });
      const [entry] = (await audits('check_code_key.rotate')).slice(-1);
      expect(entry).toMatchObject({
        entity_id: before.kid,
        actor: 'admin-1',
        before: { active: before.kid },
        after: { active: active.kid, reason: '年度例行轮换', retired: { kid: before.kid } },
      });
      expect((await audits('check_code_key.create')).map((a) => a.entity_id)).toContain(active.kid);
    });

    it('refuses a blank, too long or unknown-field body, naming the field, and changes nothing', async () => {
      const list = async () => (await t.admin.get('/api/check-code-keys').expect(200)).body;
      const first = await list();
      for (const body of [{ reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 3 }, { other: 1 }]) {
        const res = await t.admin.post('/api/check-code-keys/rotate').send(body).expect(422);
        expect(JSON.stringify(res.body)).toMatch(/reason|other/);
      }
      const kid = first[0].kid;
      const revoke = (k: string, body: object) => t.admin.post(`/api/check-code-keys/${k}/revoke`).send(body);
      const missing = await revoke(kid, {}).expect(422);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
      await revoke(kid, { reason: ' \t' }).expect(422);
      const bad = await revoke('not-a-kid', { reason: '泄露' }).expect(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('kid');
      await revoke('AAAAAAAAAAA', { reason: '泄露' }).expect(404);
      expect(await list()).toEqual(first);
    });

    it('revocation of a retired key: its codes are not valid at once, its live codes marked revoked', async () => {
      const [retired] = (await t.admin.get('/api/check-code-keys').expect(200)).body.filter(
        (k: { status: string }) => k.status === 'retired',
      );
      const codes = await t.dataSource.query(`SELECT id, code_text FROM check_code WHERE kid = $1`, [
        retired.kid,
      ]);
      expect(codes.length).toBe(2);
      const res = await t.admin
        .post(`/api/check-code-keys/${retired.kid}/revoke`)
        .send({ reason: '运维主机被入侵，私钥可能泄露' })
        .expect(200);
      expect(res.body).toMatchObject({
        revoked: {
          kid: retired.kid,
          status: 'revoked',
          revokeReason: '运维主机被入侵，私钥可能泄露',
          liveCodes: 0,
        },
        codesRevoked: 2,
        active: { status: 'active' },
      });
      expect(res.body.active.kid).not.toBe(retired.kid);
      for (const c of codes)
        expect(await judge(c.code_text)).toMatchObject({ valid: false, reason: 'key_revoked' });
      const stored = await t.dataSource.query(
        `SELECT status, revoke_reason, revoked_by FROM check_code WHERE kid = $1`,
        [retired.kid],
      );
      for (const s of stored)
        expect(s).toEqual({
          status: 'revoked',
          revoke_reason: `签名密钥 ${retired.kid} 已吊销：运维主机被入侵，私钥可能泄露`,
          revoked_by: adminId,
        });
      await t.admin.post(`/api/check-code-keys/${retired.kid}/revoke`).send({ reason: '再次' }).expect(409);
      expect((await audits('check_code_key.revoke')).slice(-1)[0]).toMatchObject({
        entity_id: retired.kid,
        before: { status: 'retired' },
        after: { status: 'revoked', codesRevoked: 2, active: null },
      });
    });

    it('revocation of the active key makes a new one in the same step; the next code is signed by it', async () => {
      const old = await issue();
      const res = await t.admin
        .post(`/api/check-code-keys/${old.kid}/revoke`)
        .send({ reason: '密钥泄露' })
        .expect(200);
      expect(res.body.revoked).toMatchObject({ kid: old.kid, status: 'revoked' });
      expect(res.body.active.kid).not.toBe(old.kid);
      expect(res.body.codesRevoked).toBe(1);
      expect((await judge(old.text)).valid).toBe(false);
      const next = await issue();
      expect(next.kid).toBe(res.body.active.kid);
      expect((await judge(next.text)).valid).toBe(true);
      const statuses = (await t.admin.get('/api/check-code-keys').expect(200)).body.map(
        (k: { status: string }) => k.status,
      );
      expect(statuses.filter((s: string) => s === 'active')).toHaveLength(1);
    });

    it('other roles get 403, each refusal audited as access.denied', async () => {
      for (const role of ['regulator', 'inspector', 'enterprise'] as const) {
        const { agent, user } = await t.signIn(
          role,
          role === 'enterprise' ? { uscc: '91310110MA1G8N5YX5' } : {},
        );
        await agent.get('/api/check-code-keys').expect(403);
        await agent.post('/api/check-code-keys/rotate').send({}).expect(403);
        const denied = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND actor = $1`,
          [user.username],
        );
        expect(denied[0].n).toBe(2);
      }
      await request(t.http).get('/api/check-code-keys').expect(401);
    });
  });

  describe('the database keeps the life cycle whatever the code does', () => {
    const fails = async (sql: string, params: unknown[], message: RegExp) => {
      await expect(t.dataSource.query(sql, params)).rejects.toThrow(message);
    };
    it('a retired or revoked key never becomes active again; a revoked key never changes; no key is deleted', async () => {
      const all = await t.dataSource.query(`SELECT kid, status FROM check_code_key ORDER BY valid_from`);
      const revoked = all.find((k: { status: string }) => k.status === 'revoked').kid;
      await fails(
        `UPDATE check_code_key SET status = 'active', revoked_at = NULL, revoke_reason = NULL WHERE kid = $1`,
        [revoked],
        /revoked key never changes/,
      );
      await fails(
        `UPDATE check_code_key SET revoke_reason = 'changed' WHERE kid = $1`,
        [revoked],
        /revoked key never changes/,
      );
      await fails(`DELETE FROM check_code_key WHERE kid = $1`, [revoked], /never deleted/);
      const active = all.find((k: { status: string }) => k.status === 'active').kid;
      await fails(`UPDATE check_code_key SET public_key = '\\x00' WHERE kid = $1`, [active], /never change/);
      // an active key retired by hand must drop its private part (CHECK) and keep its dates
      await fails(`UPDATE check_code_key SET status = 'retired' WHERE kid = $1`, [active], /check_code_key/);
      await fails(
        `INSERT INTO check_code_key (kid, alg, public_key, status, signs_until, verifies_until) VALUES ('AAAAAAAAAAA', -8, '\\x00', 'retired', now(), now())`,
        [],
        /inserted active/,
      );
    });
    it('no code is stored under a revoked key', async () => {
      const [k] = await t.dataSource.query(`SELECT kid FROM check_code_key WHERE status = 'revoked' LIMIT 1`);
      const [v] = await t.dataSource.query(
        `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end) VALUES ($1, 'market', current_date, current_date) RETURNING id`,
        [enterpriseId],
      );
      await fails(
        `INSERT INTO check_code (code_no, visit_id, enterprise_id, kid, code_text, particulars, issued_at, not_before, not_after, issued_by)
         VALUES ('REVOKEDA', $1, $2, $3, 'JC1.X', '{}', now(), now(), now() + interval '1 day', $4)`,
        [v.id, enterpriseId, k.kid, adminId],
        /no longer signs/,
      );
    });
    it('a code stored while its key is being revoked is refused or revoked with it (never left issued under a revoked key)', async () => {
      const { kid, privateKey } = await keys.signer();
      const c = claimsNow('RACEREVK');
      const text = signCheckCode(c, kid, privateKey);
      const [v] = await t.dataSource.query(
        `INSERT INTO joint_visit (enterprise_id, lead_department, window_start, window_end) VALUES ($1, 'market', current_date, current_date + 10) RETURNING id`,
        [enterpriseId],
      );
      // hold the audit chain's lock: the revocation stops at its audit entry, inside its transaction,
      // with the key already marked revoked and its live codes revoked, but not committed
      const chain = t.dataSource.createQueryRunner();
      await chain.connect();
      await chain.startTransaction();
      await chain.query(`SELECT pg_advisory_xact_lock(hashtext('audit_chain'))`);
      const revoking = keys.revoke(kid, 'revoked while a code is being issued', {
        userId: adminId,
        name: 'admin',
        role: 'admin',
        department: null,
        requestId: null,
      });
      await new Promise((r) => setTimeout(r, 300));
      // an issuing transaction that signed with the key before it saw the revocation
      const storing = t.dataSource
        .query(
          `INSERT INTO check_code (code_no, visit_id, enterprise_id, kid, code_text, particulars, issued_at, not_before, not_after, issued_by)
           VALUES ($1, $2, $3, $4, $5, '{}', to_timestamp($6), to_timestamp($7), to_timestamp($8), $9)`,
          [c.codeNo, v.id, enterpriseId, kid, text, c.issuedAt, c.notBefore, c.notAfter, adminId],
        )
        .then(
          () => 'stored',
          (e: Error) => e.message,
        );
      await new Promise((r) => setTimeout(r, 300));
      await chain.commitTransaction();
      await chain.release();
      await revoking;
      const stored = await storing;
      const rows = await t.dataSource.query(`SELECT status FROM check_code WHERE code_no = 'RACEREVK'`);
      if (stored === 'stored') expect(rows[0].status).toBe('revoked');
      else {
        expect(stored).toMatch(/no longer signs/);
        expect(rows).toEqual([]);
      }
    });
  });

  describe('the trust list', () => {
    it('is public at the well-known URL and under /api: the same keys, signed with the audit checkpoint key, cacheable', async () => {
      const res = await request(t.http).get('/.well-known/check-code-trust-list.json').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
      const list = res.body as TrustList;
      const stored = await t.dataSource.query(
        `SELECT kid, status FROM check_code_key ORDER BY valid_from, kid`,
      );
      expect(list).toMatchObject({ format: 'JC-TL/1', issuer: '310110' });
      expect(list.keys.map((k) => [k.kid, k.status])).toEqual(
        stored.map((k: { kid: string; status: string }) => [k.kid, k.status]),
      );
      expect(Math.abs(Date.parse(list.generatedAt) - Date.now())).toBeLessThan(60_000);
      const checkpoint = (await request(t.http).get('/api/audit/checkpoint-key').expect(200)).body;
      expect(list.signature!.keyId).toBe(checkpoint.keyId);
      expect(trustListSignatureProblem(list, createPublicKey(checkpoint.publicKey))).toBeNull();
      const api = await request(t.http).get('/api/check-codes/trust-list').expect(200);
      expect(api.headers['cache-control']).toBe('public, max-age=300');
      expect(api.headers.etag).toBe(res.headers.etag);
      expect(api.body.keys).toEqual(list.keys);
    });

    it('answers 304 to a revalidation while the keys are unchanged, and a new list after a rotation', async () => {
      const first = await request(t.http).get('/.well-known/check-code-trust-list.json').expect(200);
      const etag = first.headers.etag as string;
      const again = await request(t.http)
        .get('/.well-known/check-code-trust-list.json')
        .set('If-None-Match', etag);
      expect(again.status).toBe(304);
      await t.admin.post('/api/check-code-keys/rotate').send({}).expect(201);
      const after = await request(t.http)
        .get('/.well-known/check-code-trust-list.json')
        .set('If-None-Match', etag)
        .expect(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(after.body.keys.length).toBe(first.body.keys.length + 1);
    });

    it('another well-known path is a JSON 404 from the service, never a workbench page', async () => {
      const res = await request(t.http).get('/.well-known/security.txt');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/json/);
    });
  });

  describe('several instances on one database', () => {
    it('make one first key and serialise rotations; the other instance sees a rotation within CACHE_MS', async () => {
      const second = await createHttpApp(t.url, config);
      await second.init();
      try {
        const other = second.get(KeysService);
        const before = (await keys.signer()).kid;
        expect((await other.signer()).kid).toBe(before);
        // two rotations at once, one per instance: both happen, one after the other
        const actor = { userId: null, name: 'test', role: 'system', department: null, requestId: null };
        const [a, b] = await Promise.all([keys.rotate(actor), other.rotate(actor)]);
        const [first, then] = a.retired!.kid === before ? [a, b] : [b, a];
        expect(first.retired!.kid).toBe(before);
        expect(then.retired!.kid).toBe(first.active.kid);
        const active = await t.dataSource.query(`SELECT kid FROM check_code_key WHERE status = 'active'`);
        expect(active).toEqual([{ kid: then.active.kid }]);
        // each instance forgot its own cache; a third rotation on one shows on the other after CACHE_MS
        await other.signer();
        const c = await keys.rotate(actor);
        const stale = (await other.signer()).kid;
        expect(stale).not.toBe(c.active.kid);
        await new Promise((r) => setTimeout(r, KeysService.CACHE_MS + 100));
        expect((await other.signer()).kid).toBe(c.active.kid);
        // the stale key's codes (signed within its grace) verify everywhere
        const lookup = await other.trustedKeys();
        expect(lookup(stale)).toMatchObject({ status: 'retired' });
      } finally {
        await second.close();
      }
    });
  });

  (existsSync(cli) ? describe : describe.skip)('the command line', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'keys-cli-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
      spawnSync(process.execPath, [cli, ...args], {
        encoding: 'utf8',
        cwd: dir,
        input,
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          LOG_LEVEL: 'error',
          AUDIT_KEY_FILE: config.AUDIT_KEY_FILE,
          ...env,
        },
      });
    const runAsync = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [cli, ...args],
          { encoding: 'utf8', cwd: dir, env: { ...process.env, LOG_LEVEL: 'error', ...env } },
          (e, stdout, stderr) =>
            resolve({ status: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    /** No database reachable: the offline verifier must not need one. */
    const NO_DB = { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' };

    it('keys list, rotate and revoke as the CLI operator, audited', async () => {
      const list = run(['check-codes', 'keys', 'list', '--json']);
      expect(list.status).toBe(0);
      const before = JSON.parse(list.stdout) as { kid: string; status: string }[];
      const active = before.find((k) => k.status === 'active')!.kid;
      const rotate = run(['check-codes', 'keys', 'rotate', '--reason', '命令行轮换']);
      expect(rotate.status).toBe(0);
      expect(rotate.stdout).toMatch(new RegExp(`retired ${active}:`));
      expect(rotate.stdout).toMatch(/signs until 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\+8\)/);
      const blank = run(['check-codes', 'keys', 'revoke', active, '--reason', '  ']);
      expect(blank.status).toBe(1);
      expect(blank.stderr).toMatch(/reason: reason must not be blank/);
      const bad = run(['check-codes', 'keys', 'revoke', 'nope', '--reason', 'x']);
      expect(bad.stderr).toMatch(/kid: kid must be a key id/);
      const revoke = run(['check-codes', 'keys', 'revoke', active, '--reason', '命令行吊销']);
      expect(revoke.status).toBe(0);
      expect(revoke.stdout).toMatch(
        new RegExp(`revoked ${active} \\(0 issued or in-use code\\(s\\) revoked with it\\)`),
      );
      expect(run(['check-codes', 'keys', 'list']).stdout).toMatch(/revoked .*: 命令行吊销/);
      const [rotated] = (await audits('check_code_key.rotate')).slice(-1);
      expect(rotated).toMatchObject({ entity_id: active, after: { reason: '命令行轮换' } });
      expect(rotated!.actor).toMatch(/^cli:/);
      const [revoked] = (await audits('check_code_key.revoke')).slice(-1);
      expect(revoked).toMatchObject({
        entity_id: active,
        after: { reason: '命令行吊销', status: 'revoked' },
      });
      expect(revoked!.actor).toMatch(/^cli:/);
    });

    it('trust-list --out writes the served list; verify-code judges with it and no database', async () => {
      // the CLI (another instance) revoked this instance's cached key: read the keys again
      keys.refresh();
      const code = await issue();
      const file = path.join(dir, 'trust-list.json');
      const w = run(['check-codes', 'trust-list', '--out', file]);
      expect(w.status).toBe(0);
      const written = JSON.parse(readFileSync(file, 'utf8')) as TrustList;
      const served = (await request(t.http).get('/.well-known/check-code-trust-list.json').expect(200))
        .body as TrustList;
      expect(written.keys).toEqual(served.keys);
      expect(written.signature!.keyId).toBe(served.signature!.keyId);
      const keyFile = path.join(dir, 'checkpoint-key.json');
      writeFileSync(
        keyFile,
        JSON.stringify((await request(t.http).get('/api/audit/checkpoint-key').expect(200)).body),
      );

      const ok = run(['verify-code', code.text, '--trust-list', file, '--trust-key', keyFile], NO_DB);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/^有效 \/ VALID/);
      expect(ok.stdout).toContain(
        `检查码编号 code no: JC-${code.codeNo.slice(0, 4)}-${code.codeNo.slice(4)}`,
      );
      expect(ok.stdout).toContain('企业 USCC: 91310110MA1G8N5YX5');
      expect(ok.stdout).toContain('执法证号 credential nos: 31011020260001, 31011020260002');
      expect(ok.stdout).toMatch(/signature verified/);

      // without the pinned key the list proves nothing by itself: not a plain VALID, exit 3
      const unpinned = run(['verify-code', code.text, '--trust-list', file], NO_DB);
      expect(unpinned.status).toBe(3);
      expect(unpinned.stdout).toMatch(/^未能确认 \/ UNCONFIRMED/);
      const json = run(['verify-code', code.text.toLowerCase(), '--trust-list', file, '--json'], NO_DB);
      expect(json.status).toBe(3);
      expect(JSON.parse(json.stdout)).toMatchObject({
        valid: true,
        offline: true,
        claimsVerified: true,
        trustList: { signature: 'not_checked' },
      });

      const later = run(
        [
          'verify-code',
          code.text,
          '--trust-list',
          file,
          '--at',
          new Date(Date.now() + 11 * DAY).toISOString(),
        ],
        NO_DB,
      );
      expect(later.status).toBe(1);
      expect(later.stdout).toMatch(/无效 \/ NOT VALID\n原因 reason: 检查码已过期 \/ expired \(expired\)/);

      const forged = code.text.slice(0, 100) + (code.text[100] === 'A' ? 'B' : 'A') + code.text.slice(101);
      const f = run(['verify-code', forged, '--trust-list', file], NO_DB);
      expect(f.status).toBe(1);
      expect(f.stdout).toMatch(/^无效 \/ NOT VALID/);

      const stdin = run(
        ['verify-code', '-', '--trust-list', file, '--trust-key', keyFile],
        NO_DB,
        `${code.text}\n`,
      );
      expect(stdin.status).toBe(0);
    });

    it('a revocation reaches the offline verifier with the next copy of the list', async () => {
      const file = path.join(dir, 'trust-list.json');
      const held = JSON.parse(readFileSync(file, 'utf8')) as TrustList;
      const active = held.keys.find((k) => k.status === 'active')!.kid;
      const [{ code_text: text }] = await t.dataSource.query(
        `SELECT code_text FROM check_code WHERE kid = $1 AND status = 'issued' LIMIT 1`,
        [active],
      );
      expect(run(['check-codes', 'keys', 'revoke', active, '--reason', '测试吊销']).status).toBe(0);
      // the copy held does not know yet
      expect(run(['verify-code', text, '--trust-list', file], NO_DB).status).toBe(3);
      const fresh = path.join(dir, 'fresh.json');
      expect(run(['check-codes', 'trust-list', '--out', fresh]).status).toBe(0);
      const r = run(['verify-code', text, '--trust-list', fresh], NO_DB);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/签名密钥已被吊销.*\(key_revoked\)/);
    });

    it('fetches the list from the verification URL’s own service when no --trust-list is given', async () => {
      await t.app.listen(0, '127.0.0.1');
      const port = (t.app.getHttpServer().address() as { port: number }).port;
      keys.refresh();
      const code = await issue();
      const pinned = path.join(dir, 'checkpoint-key.json');
      writeFileSync(pinned, JSON.stringify((await request(t.http).get('/api/audit/checkpoint-key')).body));
      // (spawned without blocking: the service answering the fetch runs in this process)
      const r = await runAsync(
        ['verify-code', `http://127.0.0.1:${port}/v/${code.text}`, '--trust-key', pinned],
        NO_DB,
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(
        `信任列表 trust list: http://127.0.0.1:${port}/.well-known/check-code-trust-list.json`,
      );
      expect(r.stdout).toContain('signature verified');
    });

    it('refuses, without --trust-key, the list of a forger’s site named by a forged code’s URL (exit 2, never 有效)', async () => {
      // the forger's site serves a list naming the forger's key; the forged code's URL points to it
      const forger = generateKeyPairSync('ed25519');
      const der = forger.publicKey.export({ type: 'spki', format: 'der' });
      const kid = createHash('sha256').update(der).digest().subarray(0, 8).toString('base64url');
      const real = (await request(t.http).get('/.well-known/check-code-trust-list.json')).body as TrustList;
      const fake = {
        ...real,
        keys: [
          ...real.keys,
          {
            kid,
            alg: -8,
            algName: 'Ed25519',
            status: 'active',
            publicKey: der.toString('base64'),
            publicKeyJwk: { ...forger.publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' },
            validFrom: new Date(Date.now() - DAY).toISOString(),
            signsUntil: null,
            verifiesUntil: null,
            revokedAt: null,
          },
        ],
      };
      const site = createServer((_q, res) =>
        res.setHeader('content-type', 'application/json').end(JSON.stringify(fake)),
      );
      await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
      try {
        const port = (site.address() as { port: number }).port;
        const text = signCheckCode(claimsNow('FORGEDAA'), kid, forger.privateKey);
        const r = await runAsync(['verify-code', `http://127.0.0.1:${port}/v/${text}`], NO_DB);
        expect(r.status).toBe(2);
        expect(r.stdout).not.toContain('有效 / VALID');
        expect(r.stderr).toMatch(/proves nothing about the code: pin the bureau's key with --trust-key/);
      } finally {
        await new Promise((r) => site.close(r));
      }
    });

    it('usage errors and unusable trust lists exit 2, never 0 or 1', () => {
      const file = path.join(dir, 'trust-list.json');
      const notList = path.join(dir, 'not-a-list.json');
      writeFileSync(notList, '{"format":"JC-TL/9"}');
      const notJson = path.join(dir, 'not-json.json');
      writeFileSync(notJson, 'hello');
      const otherKey = path.join(dir, 'other.pem');
      writeFileSync(
        otherKey,
        generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
      );
      const notKey = path.join(dir, 'not-a-key.pem');
      writeFileSync(notKey, 'hello');
      const cases: [string[], RegExp][] = [
        [['verify-code'], /missing required argument/],
        [['verify-code', 'JC1.AAAA', '--bogus'], /unknown option/],
        [['verify-code', 'JC1.AAAA'], /a bare code names no service/],
        [
          ['verify-code', 'JC1.AAAA', '--trust-list', path.join(dir, 'absent.json')],
          /cannot read the trust list/,
        ],
        [['verify-code', 'JC1.AAAA', '--trust-list', notJson], /is not JSON/],
        [['verify-code', 'JC1.AAAA', '--trust-list', notList], /\$\.format/],
        [
          ['verify-code', 'JC1.AAAA', '--trust-list', file, '--at', 'tomorrow'],
          /--at 'tomorrow' is not an ISO 8601 time/,
        ],
        [['verify-code', 'JC1.AAAA', '--trust-list', file, '--trust-key', otherKey], /not the pinned key/],
        [['verify-code', 'JC1.AAAA', '--trust-list', file, '--trust-key', notKey], /not a PEM public key/],
        [
          ['verify-code', 'http://127.0.0.1:9/v/JC1.AAAA', '--trust-key', otherKey],
          /cannot fetch the trust list/,
        ],
        [['verify-code', 'http://127.0.0.1:9/v/JC1.AAAA'], /proves nothing about the code/],
      ];
      for (const [args, message] of cases) {
        const r = run(args, NO_DB);
        expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe('');
      }
    });
  });
});
