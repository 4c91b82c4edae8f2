import { describe, expect, it } from '@jest/globals';
import { base32nopad } from '@scure/base';
import { Encoder } from 'cbor-x';
import { createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import {
  ALG_ED25519,
  ALG_SM2,
  CheckCodeClaims,
  CLAIM_INSPECTION,
  kidOf,
  MAX_CODE_TEXT,
  signCheckCode,
} from './check-code-format.js';
import {
  AFTER_SIGNATURE,
  judgeCode,
  KEY_CLOCK_SKEW_MS,
  NOT_VALID_REASONS,
  NotValidReason,
  StoredCode,
  TrustedKey,
  Verdict,
} from './verdict.js';

const cbor = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  tagUint8Array: false,
  variableMapSize: true,
});

function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' }) as Buffer;
  return { privateKey, spki, kid: kidOf(spki) };
}
const K = newKey();

const T0 = Date.parse('2027-04-01T00:30:00Z');
const claims: CheckCodeClaims = {
  issuer: '310110',
  codeNo: 'K7Q9M2XD',
  issuedAt: T0 / 1000,
  notBefore: T0 / 1000,
  notAfter: Date.parse('2027-04-15T16:00:00Z') / 1000,
  taskIds: [1201, 1202],
  uscc: '91310110MA1G8N5YX5',
  itemCodes: ['YP-SC-01'],
  credentialNos: ['31011020260001', '31011020260002'],
  departments: ['market'],
  planNo: '2027-market-01',
  triggerIds: [],
};
const INSIDE = Date.parse('2027-04-08T02:00:00Z');
const CODE = signCheckCode(claims, K.kid, K.privateKey);

function trusted(over: Partial<TrustedKey> = {}, k = K): TrustedKey {
  return {
    kid: k.kid,
    alg: ALG_ED25519,
    status: 'active',
    publicKey: k.spki,
    validFromMs: Date.parse('2027-01-01T00:00:00Z'),
    signsUntilMs: null,
    verifiesUntilMs: null,
    ...over,
  };
}
const lookupOf =
  (...keys: TrustedKey[]) =>
  (kid: string) =>
    keys.find((k) => k.kid === kid) ?? null;

const reasonOf = (v: Verdict) => (v.valid ? null : v.reason);
const judge = (text: string, key: Partial<TrustedKey> | null = {}, at = INSIDE, stored?: StoredCode | null) =>
  judgeCode(text, key === null ? () => null : lookupOf(trusted(key)), at, stored);

/** A COSE_Sign1 text assembled by hand: any header, unprotected part and payload, signed by `signer`. */
function assemble(opts: {
  header?: unknown;
  unprotected?: unknown;
  payload?: unknown;
  signer?: KeyObject;
  protectedBytes?: Buffer;
  tail?: Buffer;
}): string {
  const protectedBytes =
    opts.protectedBytes ??
    Buffer.from(
      cbor.encode(
        opts.header ??
          new Map<number, unknown>([
            [1, ALG_ED25519],
            [4, Buffer.from(K.kid, 'base64url')],
          ]),
      ),
    );
  const payload = Buffer.from(cbor.encode(opts.payload ?? claimsMap()));
  const toSign = cbor.encode(['Signature1', protectedBytes, Buffer.alloc(0), payload]);
  const signature = sign(null, toSign, opts.signer ?? K.privateKey);
  const cose = Buffer.concat([
    Buffer.from(cbor.encode([protectedBytes, opts.unprotected ?? new Map(), payload, signature])),
    opts.tail ?? Buffer.alloc(0),
  ]);
  return 'JC1.' + base32nopad.encode(cose);
}

function claimsMap(over: Record<number, unknown> = {}, inspection: Record<number, unknown> = {}) {
  const ins = new Map<number, unknown>([
    [1, 1],
    [2, claims.taskIds],
    [3, claims.uscc],
    [4, claims.itemCodes],
    [5, claims.credentialNos],
    [6, claims.departments],
    [7, claims.planNo],
    [8, claims.triggerIds],
  ]);
  for (const [k, v] of Object.entries(inspection)) ins.set(Number(k), v);
  const m = new Map<number, unknown>([
    [1, claims.issuer],
    [4, claims.notAfter],
    [5, claims.notBefore],
    [6, claims.issuedAt],
    [7, claims.codeNo],
    [CLAIM_INSPECTION, ins],
  ]);
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) m.delete(Number(k));
    else m.set(Number(k), v);
  }
  return m;
}

describe('judgeCode: a genuine code', () => {
  it('is valid inside its window, with its claims and kid, and no state offline', () => {
    const v = judge(CODE);
    expect(v).toEqual({ valid: true, claims, kid: K.kid, state: null });
  });
  it('is read in lower case, with edge spaces, and inside its verification URL (either case, with a query)', () => {
    for (const input of [
      CODE.toLowerCase(),
      `  ${CODE}\n`,
      `https://jg.yangpu.gov.cn/v/${CODE}`,
      `HTTPS://JG.YANGPU.GOV.CN/V/${CODE}`,
      `https://jg.yangpu.gov.cn/v/${CODE.toLowerCase()}?from=qr#top`,
    ])
      expect(reasonOf(judge(input))).toBeNull();
  });
  it('a hand-assembled code equals the signer’s (the test helper builds the real layout)', () => {
    expect(assemble({})).toBe(CODE);
  });
});

describe('judgeCode: the validity window, to the millisecond', () => {
  const nb = claims.notBefore * 1000;
  const na = claims.notAfter * 1000;
  it.each([
    ['1 ms before notBefore', nb - 1, 'not_yet_valid'],
    ['at notBefore', nb, null],
    ['at notAfter', na, null],
    ['1 ms after notAfter', na + 1, 'expired'],
  ] as const)('%s: %s', (_n, at, reason) => {
    expect(reasonOf(judge(CODE, {}, at))).toBe(reason);
  });
});

describe('judgeCode: the key', () => {
  it('unknown kid (not in the trust list): unknown_key, with the claims it states', () => {
    const v = judge(CODE, null);
    expect(reasonOf(v)).toBe('unknown_key');
    expect(v.claims).toEqual(claims);
    expect(v.kid).toBe(K.kid);
  });
  it('a code re-signed by an unknown key under its own kid: unknown_key', () => {
    const other = newKey();
    const text = assemble({
      signer: other.privateKey,
      header: new Map<number, unknown>([
        [1, ALG_ED25519],
        [4, Buffer.from(other.kid, 'base64url')],
      ]),
    });
    expect(reasonOf(judge(text))).toBe('unknown_key');
  });
  it('a code re-signed by another key under the genuine kid: bad_signature', () => {
    expect(reasonOf(judge(assemble({ signer: newKey().privateKey })))).toBe('bad_signature');
  });
  it('one payload byte altered: bad_signature', () => {
    const bytes = Buffer.from(base32nopad.decode(CODE.slice(4)));
    const at = bytes.indexOf(Buffer.from(claims.uscc));
    bytes[at + 17] = '4'.charCodeAt(0);
    expect(reasonOf(judge('JC1.' + base32nopad.encode(bytes)))).toBe('bad_signature');
  });
  it('a revoked key: key_revoked, whatever the window (before the signature is even checked)', () => {
    expect(reasonOf(judge(CODE, { status: 'revoked', verifiesUntilMs: INSIDE + 1 }))).toBe('key_revoked');
    expect(reasonOf(judge(assemble({ signer: newKey().privateKey }), { status: 'revoked' }))).toBe(
      'key_revoked',
    );
  });
  it('a retired key keeps verifying its codes until verifiesUntil (included), not after', () => {
    const retired = { status: 'retired' as const, signsUntilMs: T0 + 30_000, verifiesUntilMs: INSIDE };
    expect(reasonOf(judge(CODE, retired, INSIDE))).toBeNull();
    expect(reasonOf(judge(CODE, retired, INSIDE + 1))).toBe('key_expired');
  });
  it('a code issued after its key’s signsUntil: issued_outside_key_validity (at signsUntil: fine)', () => {
    expect(reasonOf(judge(CODE, { status: 'retired', signsUntilMs: T0 - 1, verifiesUntilMs: INSIDE }))).toBe(
      'issued_outside_key_validity',
    );
    expect(
      reasonOf(judge(CODE, { status: 'retired', signsUntilMs: T0, verifiesUntilMs: INSIDE })),
    ).toBeNull();
  });
  it(`a code issued before its key existed: allowed up to ${KEY_CLOCK_SKEW_MS / 1000} s (clocks of instances), not more`, () => {
    expect(reasonOf(judge(CODE, { validFromMs: T0 + KEY_CLOCK_SKEW_MS }))).toBeNull();
    expect(reasonOf(judge(CODE, { validFromMs: T0 + KEY_CLOCK_SKEW_MS + 1 }))).toBe(
      'issued_outside_key_validity',
    );
  });
  it('the key period is checked before the code’s window (a key past verifiesUntil: key_expired, not expired)', () => {
    const after = claims.notAfter * 1000 + 1;
    expect(
      reasonOf(judge(CODE, { status: 'retired', signsUntilMs: T0, verifiesUntilMs: after - 2 }, after)),
    ).toBe('key_expired');
  });
  it('header alg SM2 (-65600) or another alg than the key’s: unsupported_algorithm', () => {
    const sm2 = assemble({
      header: new Map<number, unknown>([
        [1, ALG_SM2],
        [4, Buffer.from(K.kid, 'base64url')],
      ]),
    });
    expect(reasonOf(judge(sm2))).toBe('unsupported_algorithm');
    // an SM2 key in the list: this verifier checks Ed25519 only
    expect(reasonOf(judge(sm2, { alg: ALG_SM2 }))).toBe('unsupported_algorithm');
    expect(reasonOf(judge(CODE, { alg: ALG_SM2 }))).toBe('unsupported_algorithm');
  });
  it('a kept KeyObject is used like the SPKI bytes', () => {
    const keyObject = createPublicKey({ key: K.spki, format: 'der', type: 'spki' });
    expect(reasonOf(judge(CODE, { keyObject }))).toBeNull();
    expect(reasonOf(judge(CODE, { keyObject: createPublicKey(newKey().privateKey) }))).toBe('bad_signature');
  });
});

describe('judgeCode: format problems (no key looked at)', () => {
  const cases: [string, string, NotValidReason][] = [
    ['empty', '', 'empty'],
    ['blank', '  \n ', 'empty'],
    ['too long', 'JC1.' + 'A'.repeat(MAX_CODE_TEXT), 'too_long'],
    ['another scheme', 'HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC', 'wrong_prefix'],
    ['a later version', 'JC2.AAAA', 'unsupported_version'],
    ['not base32', 'JC1.AB+C', 'not_base32'],
    ['a digit 1 (not in base32)', CODE.slice(0, 30) + '1' + CODE.slice(31), 'not_base32'],
    ['nothing after the prefix', 'JC1.', 'not_base32'],
    ['truncated', CODE.slice(0, 60), 'not_cose_sign1'],
    ['truncated by one character', CODE.slice(0, -1), 'not_cose_sign1'],
    ['one character too many', CODE + 'A', 'not_cose_sign1'],
  ];
  it.each(cases)('%s: %s', (_n, text, reason) => {
    const v = judge(text);
    expect(reasonOf(v)).toBe(reason);
    expect(v.claims).toBeNull();
    expect(v.kid).toBeNull();
  });
  it('exactly MAX_CODE_TEXT characters are read; one more is refused unread', () => {
    const url = `https://jg.yangpu.gov.cn/v/${CODE}`;
    expect(reasonOf(judge(url.padStart(MAX_CODE_TEXT, ' ')))).toBeNull();
    expect(reasonOf(judge(url.padStart(MAX_CODE_TEXT + 1, ' ')))).toBe('too_long');
  });
  it('not a COSE_Sign1: not an array, three items, a text where bytes belong, a tag, bytes after it', () => {
    const b = (v: unknown) => 'JC1.' + base32nopad.encode(Buffer.from(cbor.encode(v)));
    expect(reasonOf(judge(b(new Map([[1, 2]]))))).toBe('not_cose_sign1');
    expect(reasonOf(judge(b([Buffer.alloc(1), new Map(), Buffer.alloc(1)])))).toBe('not_cose_sign1');
    expect(reasonOf(judge(b(['x', new Map(), Buffer.alloc(1), Buffer.alloc(64)])))).toBe('not_cose_sign1');
    const tagged = Buffer.concat([Buffer.from([0xd2]), Buffer.from(base32nopad.decode(CODE.slice(4)))]);
    expect(reasonOf(judge('JC1.' + base32nopad.encode(tagged)))).toBe('not_cose_sign1');
    expect(reasonOf(judge(assemble({ tail: Buffer.from([0x00]) })))).toBe('not_cose_sign1');
  });
  it('the genuine signed content in another CBOR encoding (indefinite-length array, long length prefix): not_cose_sign1 (one content, one text)', () => {
    const bytes = Buffer.from(base32nopad.decode(CODE.slice(4)));
    expect(bytes[0]).toBe(0x84);
    const indefinite = Buffer.concat([Buffer.from([0x9f]), bytes.subarray(1), Buffer.from([0xff])]);
    expect(reasonOf(judge('JC1.' + base32nopad.encode(indefinite)))).toBe('not_cose_sign1');
    // the protected header's bstr (first item) with a one-byte length prefix it does not need
    const len = bytes[1]! - 0x40;
    expect(len).toBeLessThan(24);
    const longPrefix = Buffer.concat([Buffer.from([0x84, 0x58, len]), bytes.subarray(2)]);
    expect(reasonOf(judge('JC1.' + base32nopad.encode(longPrefix)))).toBe('not_cose_sign1');
  });
  it('something in the (unsigned) unprotected header: not_cose_sign1 (one content, one text)', () => {
    expect(reasonOf(judge(assemble({ unprotected: new Map([[4, Buffer.from('x')]]) })))).toBe(
      'not_cose_sign1',
    );
  });
  it('bad header: not CBOR, not a map, no alg, no kid, kid not bytes', () => {
    const h = (header: unknown) => reasonOf(judge(assemble({ header })));
    expect(reasonOf(judge(assemble({ protectedBytes: Buffer.from([0xff, 0x01]) })))).toBe('bad_header');
    expect(h([1, 2])).toBe('bad_header');
    expect(h(new Map([[4, Buffer.from(K.kid, 'base64url')]]))).toBe('bad_header');
    expect(h(new Map([[1, ALG_ED25519]]))).toBe('bad_header');
    expect(
      h(
        new Map<number, unknown>([
          [1, ALG_ED25519],
          [4, K.kid],
        ]),
      ),
    ).toBe('bad_header');
  });
  it.each([
    ['no inspection claim', { [CLAIM_INSPECTION]: undefined }, {}],
    ['issuer a number', { 1: 310110 }, {}],
    ['notAfter text', { 4: '2027-04-15' }, {}],
    ['notAfter missing', { 4: undefined }, {}],
    ['issuedAt a fraction', { 6: 1.5 }, {}],
    ['codeNo bytes', { 7: Buffer.from('K7Q9M2XD') }, {}],
    ['no task', {}, { 2: [] }],
    ['a task id text', {}, { 2: ['1201'] }],
    ['uscc missing', {}, { 3: undefined }],
    ['items not a list', {}, { 4: 'YP-SC-01' }],
    ['a credential number a number', {}, { 5: [31011020260001] }],
    ['planNo a number', {}, { 7: 2027 }],
    ['trigger ids texts', {}, { 8: ['88'] }],
  ] as [string, Record<number, unknown>, Record<number, unknown>][])('bad claims: %s', (_n, over, ins) => {
    expect(reasonOf(judge(assemble({ payload: claimsMap(over, ins) })))).toBe('bad_claims');
  });
  it('a payload that is not CBOR: bad_claims; format version 2 inside: unsupported_version', () => {
    const protectedBytes = Buffer.from(
      cbor.encode(
        new Map<number, unknown>([
          [1, ALG_ED25519],
          [4, Buffer.from(K.kid, 'base64url')],
        ]),
      ),
    );
    const raw =
      'JC1.' +
      base32nopad.encode(
        Buffer.from(cbor.encode([protectedBytes, new Map(), Buffer.from([0xff]), Buffer.alloc(64)])),
      );
    expect(reasonOf(judge(raw))).toBe('bad_claims');
    expect(reasonOf(judge(assemble({ payload: claimsMap({}, { 1: 2 }) })))).toBe('unsupported_version');
  });
  it('unknown claims are ignored (a later minor addition stays readable)', () => {
    expect(reasonOf(judge(assemble({ payload: claimsMap({ 99: 'x' }, { 9: [1, 2] }) })))).toBeNull();
  });
});

describe('judgeCode online: the stored state', () => {
  const stored = (over: Partial<StoredCode> = {}): StoredCode => ({
    codeText: CODE,
    status: 'issued',
    revokeReason: null,
    ...over,
  });
  it('a valid code reports its stored state', () => {
    for (const status of ['issued', 'in_use', 'completed'] as const) {
      const v = judge(CODE, {}, INSIDE, stored({ status }));
      expect(v).toMatchObject({ valid: true, state: status });
    }
  });
  it('lower case and URL forms match the stored (upper-case) text', () => {
    expect(reasonOf(judge(`https://x/v/${CODE.toLowerCase()}`, {}, INSIDE, stored()))).toBeNull();
  });
  it('no stored code, or a stored code of this number with another text: not_issued', () => {
    expect(reasonOf(judge(CODE, {}, INSIDE, null))).toBe('not_issued');
    expect(
      reasonOf(
        judge(
          CODE,
          {},
          INSIDE,
          stored({ codeText: CODE.slice(0, -2) + (CODE.endsWith('AA') ? 'BB' : 'AA') }),
        ),
      ),
    ).toBe('not_issued');
  });
  it('revoked: with the reason; expired early by the service: expired', () => {
    const v = judge(CODE, {}, INSIDE, stored({ status: 'revoked', revokeReason: '检查取消' }));
    expect(reasonOf(v)).toBe('revoked');
    expect(v.valid ? '' : v.detail).toContain('检查取消');
    expect(reasonOf(judge(CODE, {}, INSIDE, stored({ status: 'expired' })))).toBe('expired');
  });
  it('the signature and window come first: a forged code is bad_signature even with a stored row', () => {
    expect(reasonOf(judge(assemble({ signer: newKey().privateKey }), {}, INSIDE, stored()))).toBe(
      'bad_signature',
    );
    expect(reasonOf(judge(CODE, {}, claims.notAfter * 1000 + 1, stored()))).toBe('expired');
  });
});

describe('NOT_VALID_REASONS', () => {
  it('names every reason in Chinese and English; only the stored-state reasons need the service', () => {
    for (const [reason, t] of Object.entries(NOT_VALID_REASONS)) {
      expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(t.en.length).toBeGreaterThan(3);
      expect(t.offline).toBe(!['revoked', 'not_issued'].includes(reason));
    }
    expect(Object.keys(NOT_VALID_REASONS)).toHaveLength(18);
  });
  it('claims count as the issuer’s only after the signature verified', () => {
    expect([...AFTER_SIGNATURE].sort()).toEqual(
      [
        'expired',
        'issued_outside_key_validity',
        'key_expired',
        'not_issued',
        'not_yet_valid',
        'revoked',
      ].sort(),
    );
  });
});
