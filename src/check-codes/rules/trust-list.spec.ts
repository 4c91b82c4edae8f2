import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { ALG_SM2, kidOf, signCheckCode } from './check-code-format.js';
import {
  ed25519FromSeed,
  LIST_SEED,
  VECTOR_CLAIMS,
  vectorKey,
  vectorKeyFacts,
  vectorTrustList,
} from './check-code-vectors.js';
import { offlineVerdict, UnusableTrustList } from './offline-verdict.js';
import {
  buildTrustList,
  parseTrustList,
  signTrustList,
  TrustList,
  trustListBytes,
  TrustListError,
  trustListSignatureProblem,
} from './trust-list.js';

const listKey = ed25519FromSeed(LIST_SEED);
const listPublic = createPublicKey(listKey);
const INSIDE = Date.parse('2027-04-08T02:00:00Z');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the trust list rows', () => {
  it('carry the key as SPKI DER base64 and as an OKP JWK (RFC 8037) of the same 32 bytes', () => {
    const [row] = vectorTrustList().keys;
    const k = vectorKey();
    expect(row).toMatchObject({ kid: k.kid, alg: -8, algName: 'Ed25519', status: 'active', revokedAt: null });
    expect(Buffer.from(row!.publicKey, 'base64')).toEqual(k.spki);
    expect(row!.publicKeyJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: k.raw.toString('base64url'),
      kid: k.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    // the JWK is a usable key
    expect(
      createPublicKey({ key: row!.publicKeyJwk!, format: 'jwk' }).export({ format: 'der', type: 'spki' }),
    ).toEqual(k.spki);
  });
  it('an SM2 row (reserved) has no JWK', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const spki = publicKey.export({ format: 'der', type: 'spki' }) as Buffer;
    const list = buildTrustList('310110', '2027-04-01T00:00:00.000Z', [
      vectorKeyFacts({ kid: kidOf(spki), alg: ALG_SM2, publicKey: spki }),
    ]);
    expect(list.keys[0]).toMatchObject({ alg: ALG_SM2, algName: 'SM2', publicKeyJwk: null });
    expect(parseTrustList(clone(list)).keys.get(kidOf(spki))).toMatchObject({
      alg: ALG_SM2,
      keyObject: undefined,
    });
  });
});

describe('the trust list signature', () => {
  it('covers the canonical JSON of the list without `signature`: sorted keys, no spaces', () => {
    const bytes = trustListBytes(vectorTrustList()).toString('utf8');
    expect(
      bytes.startsWith(
        '{"format":"JC-TL/1","generatedAt":"2027-04-01T00:00:00.000Z","issuer":"310110","keys":[{"alg":-8,',
      ),
    ).toBe(true);
    expect(bytes).not.toMatch(/signature|\s/);
  });
  it('verifies with the signing key, whatever the member order of the copy', () => {
    const list = vectorTrustList();
    expect(trustListSignatureProblem(list, listPublic)).toBeNull();
    const reordered = JSON.parse(
      JSON.stringify({
        signature: list.signature,
        keys: list.keys,
        issuer: list.issuer,
        generatedAt: list.generatedAt,
        format: list.format,
      }),
    ) as TrustList;
    expect(trustListSignatureProblem(reordered, listPublic)).toBeNull();
  });
  it('is refused when the list was changed after signing (a key un-revoked, a row added)', () => {
    const list = vectorTrustList([
      vectorKeyFacts({
        status: 'revoked',
        revokedAt: '2027-04-05T00:00:00.000Z',
        signsUntil: '2027-04-05T00:00:00.000Z',
        verifiesUntil: '2027-04-05T00:00:00.000Z',
      }),
    ]);
    const unrevoked = clone(list);
    unrevoked.keys[0]!.status = 'active';
    unrevoked.keys[0]!.revokedAt = null;
    expect(trustListSignatureProblem(unrevoked, listPublic)).toMatch(/does not verify/);
    const added = clone(list);
    added.keys.push(clone(vectorTrustList().keys[0]!));
    expect(trustListSignatureProblem(added, listPublic)).toMatch(/does not verify/);
  });
  it('names another signer by its key id, and an unsigned list as unsigned', () => {
    const other = generateKeyPairSync('ed25519');
    const byOther = signTrustList(
      buildTrustList('310110', '2027-04-01T00:00:00.000Z', [vectorKeyFacts()]),
      other.privateKey,
    );
    expect(trustListSignatureProblem(byOther, listPublic)).toMatch(
      /signed by key [0-9a-f]{16}, not the pinned key/,
    );
    const { signature: _s, ...unsigned } = vectorTrustList();
    expect(trustListSignatureProblem(unsigned as TrustList, listPublic)).toBe('the trust list is not signed');
  });
});

describe('parseTrustList', () => {
  const problem = (mutate: (l: Record<string, unknown> & { keys: Record<string, unknown>[] }) => void) => {
    const l = clone(vectorTrustList()) as unknown as Record<string, unknown> & {
      keys: Record<string, unknown>[];
    };
    mutate(l);
    try {
      parseTrustList(l);
      return null;
    } catch (e) {
      expect(e).toBeInstanceOf(TrustListError);
      return (e as TrustListError).path;
    }
  };
  it('reads the keys with their times in ms and a parsed KeyObject', () => {
    const { keys } = parseTrustList(clone(vectorTrustList()));
    expect([...keys.values()]).toEqual([
      expect.objectContaining({
        kid: vectorKey().kid,
        status: 'active',
        validFromMs: Date.parse('2027-01-01T00:00:00Z'),
        signsUntilMs: null,
        verifiesUntilMs: null,
      }),
    ]);
    expect(keys.get(vectorKey().kid)!.keyObject!.asymmetricKeyType).toBe('ed25519');
  });
  it.each([
    ['not an object', (l: never) => l, '$'],
    ['another format', (l: { format: string }) => void (l.format = 'JC-TL/2'), '$.format'],
    ['no issuer', (l: { issuer?: string }) => void delete l.issuer, '$.issuer'],
    [
      'generatedAt not a time',
      (l: { generatedAt: string }) => void (l.generatedAt = '2027-04-01'),
      '$.generatedAt',
    ],
    ['keys not an array', (l: { keys: unknown }) => void (l.keys = {}), '$.keys'],
    ['a row not an object', (l: { keys: unknown[] }) => void (l.keys[0] = 'x'), '$.keys[0]'],
    [
      'alg not an integer',
      (l: { keys: Record<string, unknown>[] }) => void (l.keys[0]!.alg = '-8'),
      '$.keys[0].alg',
    ],
    [
      'an unknown status',
      (l: { keys: Record<string, unknown>[] }) => void (l.keys[0]!.status = 'paused'),
      '$.keys[0].status',
    ],
    [
      'a kid that is not its key’s',
      (l: { keys: Record<string, unknown>[] }) => void (l.keys[0]!.kid = 'AAAAAAAAAAA'),
      '$.keys[0].kid',
    ],
    [
      'validFrom null',
      (l: { keys: Record<string, unknown>[] }) => void (l.keys[0]!.validFrom = null),
      '$.keys[0].validFrom',
    ],
    [
      'verifiesUntil a number',
      (l: { keys: Record<string, unknown>[] }) => void (l.keys[0]!.verifiesUntil = 1),
      '$.keys[0].verifiesUntil',
    ],
    [
      'revokedAt not a time',
      (l: { keys: Record<string, unknown>[] }) => void (l.keys[0]!.revokedAt = 'yesterday'),
      '$.keys[0].revokedAt',
    ],
    ['a row twice', (l: { keys: unknown[] }) => void l.keys.push(l.keys[0]), '$.keys[1].kid'],
    [
      'a signature of another algorithm',
      (l: { signature: { alg: string } }) => void (l.signature.alg = 'RS256'),
      '$.signature.alg',
    ],
  ] as [string, (l: never) => void, string | null][])('%s: refused at %s', (_n, mutate, path) => {
    if (path === '$') {
      expect(() => parseTrustList([])).toThrow(TrustListError);
      expect(() => parseTrustList(null)).toThrow(/trust list \$: not an object/);
      return;
    }
    expect(problem(mutate as never)).toBe(path);
  });
  it('a row whose key is not Ed25519 under alg -8 is refused', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ format: 'der', type: 'spki' }) as Buffer;
    const l = clone(vectorTrustList());
    l.keys[0]!.publicKey = spki.toString('base64');
    l.keys[0]!.kid = kidOf(spki);
    expect(() => parseTrustList(l)).toThrow(/\$\.keys\[0\]\.publicKey: an ec key under alg -8/);
  });
});

describe('offlineVerdict', () => {
  const code = signCheckCode(VECTOR_CLAIMS, vectorKey().kid, vectorKey().privateKey);
  it('judges with the list and says whether its signature was checked', () => {
    const list = clone(vectorTrustList());
    expect(offlineVerdict(code, list, INSIDE).trustList).toEqual({
      issuer: '310110',
      generatedAt: '2027-04-01T00:00:00.000Z',
      keys: 1,
      signature: 'not_checked',
      signedBy: list.signature!.keyId,
    });
    expect(offlineVerdict(code, list, INSIDE, listPublic)).toMatchObject({
      valid: true,
      reason: null,
      reasonText: null,
      claims: VECTOR_CLAIMS,
      claimsVerified: true,
      at: '2027-04-08T02:00:00.000Z',
      trustList: { signature: 'verified' },
    });
    const { signature: _s, ...unsigned } = list;
    expect(offlineVerdict(code, unsigned, INSIDE).trustList.signature).toBe('absent');
  });
  it('refuses a list the pinned key did not sign, or that is not a list (nothing judged)', () => {
    const changed = { ...clone(vectorTrustList()), issuer: '310115' };
    expect(() => offlineVerdict(code, changed, INSIDE, listPublic)).toThrow(UnusableTrustList);
    const { signature: _s, ...unsigned } = clone(vectorTrustList());
    expect(() => offlineVerdict(code, unsigned, INSIDE, listPublic)).toThrow(/not signed/);
    expect(() => offlineVerdict(code, { format: 'x' }, INSIDE)).toThrow(/\$\.format/);
  });
  it('gives the reason in both languages; claims count as proven only after the signature', () => {
    const expired = offlineVerdict(code, clone(vectorTrustList()), VECTOR_CLAIMS.notAfter * 1000 + 1);
    expect(expired).toMatchObject({
      valid: false,
      reason: 'expired',
      reasonText: { zh: '检查码已过期', en: 'expired' },
      claimsVerified: true,
    });
    const unknown = offlineVerdict(code, clone(vectorTrustList([])), INSIDE);
    expect(unknown).toMatchObject({ reason: 'unknown_key', claims: VECTOR_CLAIMS, claimsVerified: false });
    expect(unknown.reasonText!.zh).toMatch(/信任列表/);
  });
});
