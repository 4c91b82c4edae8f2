import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { entryHash, type AuditEntryFields } from '../src/audit/audit-chain.js';
import { checkpointMessage, type SignedCheckpoint } from '../src/audit/audit-checkpoint.js';
import { AuditService } from '../src/audit/audit.service.js';
import { AuditCheckpointJob } from '../src/audit/checkpoint.job.js';
import { APP_CONFIG } from '../src/config/config.token.js';
import type { AppConfig } from '../src/config/configuration.js';
import { buildUscc } from '../src/common/uscc.js';
import { TestApp, createTestApp } from './helpers.js';

/**
 * Signed checkpoints (docs/security.md): a database superuser who rewrites the audit chain and
 * recomputes every hash, or removes its newest entries, is found by `audit verify` against the
 * checkpoints signed before, with nobody having noted the head; the checkpoints kept in the
 * file beside the key survive the deletion of their rows.
 */
describe('signed audit checkpoints', () => {
  let t: TestApp;
  let audit: AuditService;
  let keyFile: string;
  let n = 0;
  const register = () =>
    t.admin
      .post('/api/enterprises')
      .send({
        uscc: buildUscc('91', '310110', `CP${String(++n).padStart(6, '0')}`),
        name: `上海检查点${n}有限公司`,
      })
      .expect(201);
  /** runs SQL as the superuser would: triggers off, then on again */
  const superuser = async (sql: string) => {
    await t.dataSource.query(
      `ALTER TABLE audit_log DISABLE TRIGGER USER; ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`,
    );
    try {
      await t.dataSource.query(sql);
    } finally {
      await t.dataSource.query(
        `ALTER TABLE audit_log ENABLE TRIGGER USER; ALTER TABLE audit_checkpoint ENABLE TRIGGER USER`,
      );
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.app.get(AuditService);
    keyFile = t.app.get<AppConfig>(APP_CONFIG).AUDIT_KEY_FILE;
    for (let i = 0; i < 4; i++) await register();
  });
  afterAll(() => t.close());

  it('signs the head with a key made on first use (0600), in the table and the file beside the key', async () => {
    expect(existsSync(keyFile)).toBe(false);
    const cp = await audit.checkpoint();
    const head = (await audit.verify()).head;
    expect(cp).toMatchObject({ seq: head.seq, hash: head.hash });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const log = path.join(path.dirname(keyFile), 'audit-checkpoints.jsonl');
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([cp]);
    const rows = await t.dataSource.query(
      `SELECT seq::int, hash, at, key_id, signature FROM audit_checkpoint`,
    );
    expect(rows).toEqual([
      { seq: cp.seq, hash: cp.hash, at: cp.at, key_id: cp.keyId, signature: cp.signature },
    ]);

    // the published public key verifies it, without the service
    const key = (await request(t.http).get('/api/audit/checkpoint-key').expect(200)).body;
    expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: cp.keyId });
    expect(
      verify(
        null,
        checkpointMessage(cp),
        createPublicKey(key.publicKey),
        Buffer.from(cp.signature, 'base64'),
      ),
    ).toBe(true);

    const report = (await t.admin.get('/api/audit/verify').expect(200)).body;
    expect(report).toMatchObject({
      ok: true,
      checkpoints: 1,
      latestCheckpoint: { seq: cp.seq, hash: cp.hash, at: cp.at },
    });
  });

  it('finds a history rewritten with every hash recomputed, though its checkpoint rows are deleted', async () => {
    await register();
    const cp2 = await audit.checkpoint();
    await register();
    const rows: (AuditEntryFields & { hash: string })[] = await t.dataSource.query(
      `SELECT seq::int AS seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor_id::int AS "actorId",
        actor, actor_role AS "actorRole", actor_department AS "actorDepartment", action, entity_type AS "entityType",
        entity_id AS "entityId", before, after, payload_digest AS "payloadDigest", request_id AS "requestId",
        prev_hash AS "prevHash", hash FROM audit_log ORDER BY seq`,
    );
    // the superuser changes entry 3's content and recomputes every hash from there on
    const original = rows.map((r) => ({ ...r }));
    let prev = rows[1]!.hash;
    for (const r of rows.slice(2)) {
      if (r.seq === 3) r.actor = 'someone-else';
      r.prevHash = prev;
      r.hash = entryHash(r);
      prev = r.hash;
    }
    const write = async (rs: typeof rows) => {
      for (const r of rs.slice(2))
        await superuser(
          `UPDATE audit_log SET actor = '${r.actor}', prev_hash = '${r.prevHash}', hash = '${r.hash}' WHERE seq = ${r.seq}`,
        );
    };
    await write(rows);
    await superuser(`DELETE FROM audit_checkpoint`);
    const report = await audit.verify();
    expect(report).toMatchObject({
      ok: false,
      checkpoints: 2,
      broken: { seq: await firstCheckpointSeq() },
    });
    expect(report.broken!.reason).toMatch(
      /^hash differs from the signed checkpoint of .* \(history rewritten\?\)$/,
    );
    expect((await t.admin.get('/api/audit/verify').expect(200)).body).toMatchObject({ ok: false });
    // a broken chain is not signed
    await expect(audit.checkpoint()).rejects.toThrow(
      /the audit chain is broken at entry \d+ .*: no checkpoint signed/,
    );
    await write(original);
    expect(await audit.verify()).toMatchObject({
      ok: true,
      checkpoints: 2,
      latestCheckpoint: { seq: cp2.seq },
    });
  });

  it('finds the newest entries removed: the chain is shorter than a checkpoint', async () => {
    const head = (await audit.checkpoint()).seq;
    await superuser(`CREATE TABLE audit_tail AS SELECT * FROM audit_log WHERE seq >= ${head - 1}`);
    await superuser(`DELETE FROM audit_log WHERE seq >= ${head - 1}`);
    const report = await audit.verify();
    expect(report.ok).toBe(false);
    expect(report.broken).toEqual({
      seq: head - 1,
      reason: expect.stringMatching(
        new RegExp(
          `^the chain ends at ${head - 2}, before the signed checkpoint of .* at entry ${head} \\(entries removed\\?\\)$`,
        ),
      ),
    });
    await superuser(`INSERT INTO audit_log SELECT * FROM audit_tail; DROP TABLE audit_tail`);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('finds a checkpoint row the superuser forged (no key: the signature fails)', async () => {
    const head = (await audit.verify()).head;
    const [real] = await t.dataSource.query(
      `SELECT chain, at, key_id, signature FROM audit_checkpoint LIMIT 1`,
    );
    const forged: SignedCheckpoint = {
      chain: real.chain,
      seq: head.seq,
      hash: head.hash,
      at: '2026-12-31T00:00:00.000Z',
      keyId: real.key_id,
      signature: real.signature,
    };
    await t.dataSource.query(
      `INSERT INTO audit_checkpoint (chain, seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)`,
      [forged.chain, forged.seq, forged.hash, forged.at, forged.keyId, 'A'.repeat(86) + '=='],
    );
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: false, broken: { seq: head.seq } });
    expect(report.broken!.reason).toBe(
      `the checkpoint of 2026-12-31T00:00:00.000Z at entry ${head.seq}: signature does not verify with the checkpoint key (forged or altered?)`,
    );
    await superuser(`DELETE FROM audit_checkpoint WHERE at = '2026-12-31T00:00:00.000Z'`);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('the nightly job signs a checkpoint; without the key, existing checkpoints cannot pass', async () => {
    const before = (await audit.verify()).checkpoints;
    await register();
    await t.app.get(AuditCheckpointJob).onSchedule();
    const report = await audit.verify();
    expect(report).toMatchObject({
      ok: true,
      checkpoints: before + 1,
      latestCheckpoint: { seq: report.head.seq },
    });
    const moved = `${keyFile}.moved`;
    renameSync(keyFile, moved);
    try {
      expect((await audit.verify()).broken!.reason).toMatch(
        new RegExp(
          `^${before + 1} signed checkpoint\\(s\\) but no checkpoint key at .*checkpoint-key.pem to check them$`,
        ),
      );
    } finally {
      renameSync(moved, keyFile);
    }
  });

  async function firstCheckpointSeq(): Promise<number> {
    const log = readFileSync(path.join(path.dirname(keyFile), 'audit-checkpoints.jsonl'), 'utf8');
    return Math.min(
      ...log
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as SignedCheckpoint).seq)
        .filter((s) => s >= 3),
    );
  }
});
