import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChainVerifier, entryHash, GENESIS_HASH, type AuditEntryFields } from './audit-chain.js';
import {
  checkpointAnchor,
  checkpointMessage,
  checkpointProblem,
  keyIdOf,
  parseCheckpointLine,
  signCheckpoint,
} from './audit-checkpoint.js';
import {
  appendCheckpoint,
  checkpointLogOf,
  loadCheckpointKey,
  readCheckpointLog,
} from './checkpoint-store.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const head = {
  chain: '7714231064325380217/supervision',
  seq: 12,
  hash: 'ab'.repeat(32),
  at: '2026-12-01T18:30:00.000Z',
};

function chain(n: number): (AuditEntryFields & { hash: string })[] {
  const out: (AuditEntryFields & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: AuditEntryFields = {
      seq,
      at: `2026-11-30T08:00:0${seq % 10}.000001Z`,
      actorId: 1,
      actor: 'a',
      actorRole: 'admin',
      actorDepartment: null,
      action: 'enterprise.create',
      entityType: 'enterprise',
      entityId: `E${seq}`,
      before: null,
      after: { n: seq },
      payloadDigest: null,
      requestId: null,
      prevHash: prev,
    };
    out.push({ ...e, hash: entryHash(e) });
    prev = out[out.length - 1]!.hash;
  }
  return out;
}
const walk = (
  entries: (AuditEntryFields & { hash: string })[],
  anchors: Parameters<typeof checkpointAnchor>[0][],
) => {
  const v = new ChainVerifier(anchors.map(checkpointAnchor));
  for (const e of entries) if (!v.next(e)) break;
  return v.report();
};

describe('signed audit checkpoints (Ed25519, as CT signed tree heads)', () => {
  it('signs a head so that the public key verifies it', () => {
    const cp = signCheckpoint(head, privateKey);
    expect(cp).toMatchObject(head);
    expect(cp.keyId).toBe(keyIdOf(publicKey));
    expect(cp.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(cp.signature, 'base64')).toHaveLength(64);
    expect(checkpointProblem(cp, publicKey)).toBeNull();
  });

  it.each([
    ['seq', { seq: 13 }],
    ['hash', { hash: 'cd'.repeat(32) }],
    ['at', { at: '2026-12-02T18:30:00.000Z' }],
    ['chain', { chain: '1/other' }],
    ['signature', { signature: Buffer.alloc(64).toString('base64') }],
    ['a malformed signature', { signature: '%%%' }],
  ])('refuses a checkpoint whose %s changed after signing', (_, change) => {
    const cp = { ...signCheckpoint(head, privateKey), ...change };
    expect(checkpointProblem(cp, publicKey)).toMatch(/signature does not verify/);
  });

  it('refuses a checkpoint signed by another key, naming both key ids', () => {
    const forged = signCheckpoint(head, other.privateKey);
    expect(checkpointProblem(forged, publicKey)).toBe(
      `signed by key ${keyIdOf(other.publicKey)}, not the checkpoint key ${keyIdOf(publicKey)}`,
    );
    // a forger copying the right key id still fails the signature
    expect(checkpointProblem({ ...forged, keyId: keyIdOf(publicKey) }, publicKey)).toMatch(/does not verify/);
  });

  it('signs with Ed25519 keys only', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signCheckpoint(head, rsa.privateKey)).toThrow(/Ed25519 private key/);
    expect(() => signCheckpoint(head, publicKey)).toThrow(/Ed25519 private key/);
  });

  it('signs a message bound to its context and every field', () => {
    expect(checkpointMessage(head).toString()).toBe(
      `["credit-supervision/audit-checkpoint/v1","${head.chain}",12,"${head.hash}","${head.at}"]`,
    );
  });

  it('parses checkpoint file lines, naming the line and field at fault', () => {
    const cp = signCheckpoint(head, privateKey);
    expect(parseCheckpointLine(JSON.stringify(cp), 1)).toEqual(cp);
    expect(() => parseCheckpointLine('{', 3)).toThrow('line 3: not JSON');
    expect(() => parseCheckpointLine(JSON.stringify({ ...cp, seq: -1 }), 4)).toThrow(
      'line 4: seq is missing or malformed',
    );
    expect(() => parseCheckpointLine(JSON.stringify({ ...cp, hash: 'x' }), 5)).toThrow('line 5: hash');
    expect(() => parseCheckpointLine(JSON.stringify({ ...cp, signature: undefined }), 6)).toThrow(
      'line 6: signature',
    );
  });
});

describe('the chain against its checkpoints', () => {
  const c = chain(6);
  const at = (seq: number, stamp = '2026-12-01T00:00:00.000Z') => ({
    chain: 'x',
    seq,
    hash: c[seq - 1]!.hash,
    at: stamp,
  });

  it('holds when every checkpoint is in the chain with its hash', () => {
    expect(walk(c, [at(2), at(4), at(6)])).toMatchObject({ ok: true, entries: 6 });
  });

  it('finds a rewritten history (hashes recomputed) at the first checkpoint it contradicts', () => {
    // rewrite from entry 3 on, recomputing every hash: the chain itself is consistent again
    const rewritten = chain(6).map((e) => ({ ...e }));
    let prev = rewritten[1]!.hash;
    for (const e of rewritten.slice(2)) {
      e.after = { n: e.seq, rewritten: true };
      e.prevHash = prev;
      e.hash = entryHash(e);
      prev = e.hash;
    }
    expect(walk(rewritten, []).ok).toBe(true);
    expect(walk(rewritten, [at(2), at(4, '2026-12-02T00:00:00.000Z')])).toMatchObject({
      ok: false,
      broken: {
        seq: 4,
        reason: 'hash differs from the signed checkpoint of 2026-12-02T00:00:00.000Z (history rewritten?)',
      },
    });
  });

  it('finds a chain shorter than a checkpoint, naming it', () => {
    expect(walk(c.slice(0, 3), [at(2), at(5, '2026-12-03T00:00:00.000Z')])).toMatchObject({
      ok: false,
      broken: {
        seq: 4,
        reason:
          'the chain ends at 3, before the signed checkpoint of 2026-12-03T00:00:00.000Z at entry 5 (entries removed?)',
      },
    });
  });
});

describe('checkpoint key and file (outside the database)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cp-unit-'));
  const keyFile = path.join(dir, 'sub', 'checkpoint-key.pem');

  it('makes the key on first use with mode 0600 in a 0700 folder, and reads the same key later', () => {
    expect(loadCheckpointKey(keyFile, false)).toBeNull();
    const made = loadCheckpointKey(keyFile, true)!;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
    expect(keyIdOf(loadCheckpointKey(keyFile, false)!.publicKey)).toBe(keyIdOf(made.publicKey));
  });

  it('refuses a key file others may read, and a file that is no Ed25519 key', () => {
    chmodSync(keyFile, 0o644);
    expect(() => loadCheckpointKey(keyFile, false)).toThrow(
      /mode 0644; other users may read it \(chmod 600 it\)/,
    );
    chmodSync(keyFile, 0o600);
    const bad = path.join(dir, 'bad.pem');
    writeFileSync(bad, 'not a key', { mode: 0o600 });
    expect(() => loadCheckpointKey(bad, false)).toThrow(/bad.pem: not a private key/);
  });

  it('appends checkpoints to the file beside the key (mode 0600) and reads them back', () => {
    const log = checkpointLogOf(keyFile);
    expect(path.dirname(log)).toBe(path.dirname(keyFile));
    const { privateKey: k } = loadCheckpointKey(keyFile, false)!;
    const a = signCheckpoint(head, k);
    const b = signCheckpoint({ ...head, seq: 20 }, k);
    appendCheckpoint(log, a);
    appendCheckpoint(log, b);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(readCheckpointLog(log)).toEqual([a, b]);
    writeFileSync(log, `${readFileSync(log, 'utf8')}garbage\n`);
    expect(() => readCheckpointLog(log)).toThrow(`${log}: line 3: not JSON`);
  });
});
