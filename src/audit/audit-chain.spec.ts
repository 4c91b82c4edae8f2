import { describe, expect, it } from '@jest/globals';
import {
  AuditEntryFields,
  canonicalJson,
  ChainVerifier,
  entryHash,
  GENESIS_HASH,
  MAX_STORED_PAYLOAD_BYTES,
  storableText,
  storableValue,
  storedPayloads,
} from './audit-chain.js';

function chain(n: number): (AuditEntryFields & { hash: string })[] {
  const out: (AuditEntryFields & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: AuditEntryFields = {
      seq,
      at: `2026-11-30T08:00:0${seq % 10}.000001Z`,
      actorId: 7,
      actor: 'demo-admin',
      actorRole: 'admin',
      actorDepartment: null,
      action: 'enterprise.create',
      entityType: 'enterprise',
      entityId: `E${seq}`,
      before: null,
      after: { name: `企业${seq}`, n: seq },
      payloadDigest: null,
      requestId: `r${seq}`,
      prevHash: prev,
    };
    const hash = entryHash(e);
    out.push({ ...e, hash });
    prev = hash;
  }
  return out;
}

const walk = (entries: (AuditEntryFields & { hash: string })[], head?: { seq: number; hash: string }) => {
  const v = new ChainVerifier(head);
  for (const e of entries) if (!v.next(e)) break;
  return v.report();
};

describe('audit hash chain', () => {
  it('hashes canonical JSON: key order does not matter, any field does', () => {
    const [e] = chain(1);
    expect(entryHash({ ...e!, after: { n: 1, name: '企业1' } })).toBe(e!.hash);
    expect(entryHash({ ...e!, after: { n: 2, name: '企业1' } })).not.toBe(e!.hash);
    expect(entryHash({ ...e!, requestId: null })).not.toBe(e!.hash);
    expect(entryHash({ ...e!, prevHash: 'f'.repeat(64) })).not.toBe(e!.hash);
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
  });

  it('an intact chain verifies to its head; an empty one to the genesis', () => {
    const c = chain(5);
    expect(walk(c)).toEqual({ ok: true, entries: 5, head: { seq: 5, hash: c[4]!.hash }, broken: undefined });
    expect(walk([])).toMatchObject({ ok: true, entries: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it('finds an edited entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, after: { name: '改过', n: 3 } };
    expect(walk(c)).toMatchObject({
      ok: false,
      entries: 2,
      broken: { seq: 3, reason: expect.stringMatching(/edited/) },
    });
  });

  it('finds an edited entry whose hash was recomputed too (the next link breaks)', () => {
    const c = chain(5);
    const forged = { ...c[2]!, after: { name: '改过', n: 3 } };
    c[2] = { ...forged, hash: entryHash(forged) };
    expect(walk(c)).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: expect.stringMatching(/prev_hash/) },
    });
  });

  it('finds a deleted entry, the first one included', () => {
    const c = chain(5);
    expect(walk([...c.slice(0, 2), ...c.slice(3)])).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: 'entries 3..3 are missing (deleted?)' },
    });
    expect(walk(c.slice(1))).toMatchObject({ ok: false, broken: { seq: 2 } });
  });

  it('finds swapped entries, by order or by renumbering', () => {
    const c = chain(5);
    expect(walk([c[0]!, c[2]!, c[1]!, c[3]!, c[4]!])).toMatchObject({ ok: false, broken: { seq: 3 } });
    const renumbered = [c[0]!, { ...c[2]!, seq: 2 }, { ...c[1]!, seq: 3 }, c[3]!, c[4]!];
    expect(walk(renumbered)).toMatchObject({ ok: false, broken: { seq: 2 } });
  });

  it('finds removed newest entries and a rewritten history against a recorded head', () => {
    const c = chain(5);
    const head = { seq: 5, hash: c[4]!.hash };
    expect(walk(c, head).ok).toBe(true);
    expect(walk(c.slice(0, 3), head)).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: expect.stringMatching(/before the recorded head 5/) },
    });
    const other = chain(5).map((e) => e); // same content: same hashes
    expect(walk(other, head).ok).toBe(true);
    expect(walk(c, { seq: 5, hash: 'a'.repeat(64) })).toMatchObject({ ok: false, broken: { seq: 5 } });
  });

  it('stores payloads as given (normalised through JSON) or, when large, as a digest', () => {
    expect(storedPayloads(undefined, { a: 1, d: new Date('2026-01-02T03:04:05Z') })).toEqual({
      before: null,
      after: { a: 1, d: '2026-01-02T03:04:05.000Z' },
      digest: null,
    });
    const big = { text: 'x'.repeat(MAX_STORED_PAYLOAD_BYTES) };
    const stored = storedPayloads(null, big);
    expect(stored.before).toBeNull();
    expect(stored.after).toBeNull();
    expect(stored.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(storedPayloads(null, big).digest).toBe(stored.digest);
  });

  it('makes text storable: NUL removed, lone surrogates replaced, pairs kept', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('\udc00')).toBe('\ufffd');
    expect(storableText('企业😀')).toBe('企业😀');
    expect(storableValue({ 'k\u0000': ['v\ud800', 1, null] })).toEqual({ k: ['v\ufffd', 1, null] });
  });
});
