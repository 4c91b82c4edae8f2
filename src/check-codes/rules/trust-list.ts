/**
 * The trust list of inspection-code signing keys (信任列表; issue 12 "Verifying", offline), format
 * JC-TL/1 (docs/check-code-format.md "信任列表"), modelled on the EU DCC's list of document signer
 * keys: every key the bureau ever signed codes with, its status and validity, the public key as
 * SPKI DER (base64) and as a JWK. Published at /.well-known/check-code-trust-list.json; an offline
 * verifier keeps a copy and judges codes with it (verdict.ts judgeCode).
 *
 * The list is signed (detached from the keys it lists) with the bureau's audit checkpoint key
 * (Ed25519, outside the database; public at GET /api/audit/checkpoint-key): the signature covers
 * the canonical JSON of the list without its `signature` member (keys sorted by code unit, no
 * spaces: RFC 8785 JCS for a document of ASCII strings, integers and null, which this one is).
 * A copy passed on by hand (a file in a chat group, a USB stick) can then be checked against a key
 * pinned once. Pure: no files, no clock.
 */
import { createPublicKey, KeyObject, sign as edSign, verify as edVerify } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { keyIdOf } from '../../audit/audit-checkpoint.js';
import { ALG_ED25519, ALG_SM2, kidOf } from './check-code-format.js';
import type { TrustedKey } from './verdict.js';

export const TRUST_LIST_FORMAT = 'JC-TL/1';

/** Names of the COSE algorithm ids (algName in the list). */
export const ALG_NAMES: Record<number, string> = { [ALG_ED25519]: 'Ed25519', [ALG_SM2]: 'SM2' };

/** Key statuses: active signs; retired verifies what it signed until verifiesUntil; revoked verifies nothing. */
export const KEY_STATUSES = ['active', 'retired', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** A key as the service holds it (KeysService's PublicKeyRecord); times ISO 8601. */
export interface KeyFacts {
  kid: string;
  alg: number;
  status: KeyStatus;
  /** SPKI DER */
  publicKey: Buffer;
  validFrom: string;
  signsUntil: string | null;
  verifiesUntil: string | null;
  revokedAt: string | null;
}

/** An Ed25519 public key as a JWK (RFC 8037). */
export interface OkpJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** the 32-byte public key, base64url */
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** One row of the list. Times ISO 8601 UTC with milliseconds. */
export interface TrustListKey {
  kid: string;
  /** COSE algorithm id (-8 Ed25519) */
  alg: number;
  algName: string;
  status: KeyStatus;
  /** SPKI DER, base64 */
  publicKey: string;
  publicKeyJwk: OkpJwk | null;
  validFrom: string;
  /** null while active */
  signsUntil: string | null;
  /** null while active: open */
  verifiesUntil: string | null;
  revokedAt: string | null;
}

export interface TrustListSignature {
  alg: 'Ed25519';
  /** the signing key's id: first 16 hex of the SHA-256 of its SPKI DER (as GET /api/audit/checkpoint-key says) */
  keyId: string;
  /** the Ed25519 signature of trustListBytes(list), base64 */
  value: string;
}

export interface TrustList {
  format: typeof TRUST_LIST_FORMAT;
  /** the issuing bureau's division code (CHECK_CODE_ISSUER, the codes' claim 1) */
  issuer: string;
  /** when this copy was made (the list is correct as of then: a revocation later is not in it) */
  generatedAt: string;
  /** every key, oldest first */
  keys: TrustListKey[];
  signature?: TrustListSignature;
}

/** A list row of a stored key. */
export function trustListKeyOf(k: KeyFacts): TrustListKey {
  let jwk: OkpJwk | null = null;
  if (k.alg === ALG_ED25519) {
    const { x } = createPublicKey({ key: k.publicKey, format: 'der', type: 'spki' }).export({
      format: 'jwk',
    }) as { x: string };
    jwk = { kty: 'OKP', crv: 'Ed25519', x, kid: k.kid, alg: 'EdDSA', use: 'sig' };
  }
  return {
    kid: k.kid,
    alg: k.alg,
    algName: ALG_NAMES[k.alg] ?? String(k.alg),
    status: k.status,
    publicKey: k.publicKey.toString('base64'),
    publicKeyJwk: jwk,
    validFrom: k.validFrom,
    signsUntil: k.signsUntil,
    verifiesUntil: k.verifiesUntil,
    revokedAt: k.revokedAt,
  };
}

/** The list (unsigned) of `keys` as of `generatedAt`. */
export function buildTrustList(issuer: string, generatedAt: string, keys: KeyFacts[]): TrustList {
  return { format: TRUST_LIST_FORMAT, issuer, generatedAt, keys: keys.map(trustListKeyOf) };
}

/** The bytes the signature covers: canonical JSON (UTF-8) of the list without `signature`. */
export function trustListBytes(list: TrustList): Buffer {
  const { signature: _signature, ...unsigned } = list;
  return Buffer.from(stringify(unsigned)!, 'utf8');
}

/** The list signed with an Ed25519 private key (the audit checkpoint key). */
export function signTrustList(list: TrustList, privateKey: KeyObject): TrustList {
  const unsigned = { ...list, signature: undefined };
  const value = edSign(null, trustListBytes(unsigned), privateKey).toString('base64');
  return { ...list, signature: { alg: 'Ed25519', keyId: keyIdOf(privateKey), value } };
}

/**
 * What is wrong with the list's signature under `publicKey` (the pinned checkpoint key).
 * @returns null when the signature is genuine
 */
export function trustListSignatureProblem(list: TrustList, publicKey: KeyObject): string | null {
  if (!list.signature) return 'the trust list is not signed';
  if (list.signature.keyId !== keyIdOf(publicKey))
    return `the trust list is signed by key ${list.signature.keyId}, not the pinned key ${keyIdOf(publicKey)}`;
  let ok: boolean;
  try {
    ok = edVerify(null, trustListBytes(list), publicKey, Buffer.from(list.signature.value, 'base64'));
  } catch {
    ok = false;
  }
  return ok ? null : 'the trust list signature does not verify with the pinned key (altered or forged)';
}

/** Why a document is not a usable trust list: the member at fault (JSON path) and the reason. */
export class TrustListError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`trust list ${path}: ${reason}`);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a trust list document (parsed JSON) strictly: format JC-TL/1, every member of every key
 * of the right type, each kid the kidOf its public key (a row whose key and id disagree is
 * refused, never trusted under the id).
 * @returns the list and the keys for judgeCode (times in ms)
 * @throws TrustListError naming the member at fault
 */
export function parseTrustList(doc: unknown): { list: TrustList; keys: Map<string, TrustedKey> } {
  const obj = (v: unknown, path: string): Record<string, unknown> => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TrustListError(path, 'not an object');
    return v as Record<string, unknown>;
  };
  const text = (o: Record<string, unknown>, k: string, path: string): string => {
    if (typeof o[k] !== 'string' || !o[k]) throw new TrustListError(`${path}.${k}`, 'not a text');
    return o[k] as string;
  };
  const time = (o: Record<string, unknown>, k: string, path: string, nullable: boolean): number | null => {
    const v = o[k];
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || !ISO.test(v) || Number.isNaN(Date.parse(v)))
      throw new TrustListError(
        `${path}.${k}`,
        nullable ? 'not an ISO 8601 time or null' : 'not an ISO 8601 time',
      );
    return Date.parse(v);
  };
  const root = obj(doc, '$');
  if (root.format !== TRUST_LIST_FORMAT)
    throw new TrustListError(
      '$.format',
      `not ${TRUST_LIST_FORMAT} (${JSON.stringify(root.format) ?? 'absent'})`,
    );
  text(root, 'issuer', '$');
  time(root, 'generatedAt', '$', false);
  if (!Array.isArray(root.keys)) throw new TrustListError('$.keys', 'not an array');
  const keys = new Map<string, TrustedKey>();
  root.keys.forEach((raw, i) => {
    const path = `$.keys[${i}]`;
    const k = obj(raw, path);
    const kid = text(k, 'kid', path);
    if (!Number.isSafeInteger(k.alg)) throw new TrustListError(`${path}.alg`, 'not an integer');
    if (!KEY_STATUSES.includes(k.status as KeyStatus))
      throw new TrustListError(`${path}.status`, `not one of ${KEY_STATUSES.join(', ')}`);
    const spki = Buffer.from(text(k, 'publicKey', path), 'base64');
    if (kidOf(spki) !== kid)
      throw new TrustListError(`${path}.kid`, `${kid} is not the id of its public key (${kidOf(spki)})`);
    let keyObject: KeyObject | undefined;
    if (k.alg === ALG_ED25519) {
      try {
        keyObject = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      } catch {
        throw new TrustListError(`${path}.publicKey`, 'not an SPKI public key');
      }
      if (keyObject.asymmetricKeyType !== 'ed25519')
        throw new TrustListError(`${path}.publicKey`, `an ${keyObject.asymmetricKeyType} key under alg -8`);
    }
    if (keys.has(kid)) throw new TrustListError(`${path}.kid`, `${kid} is listed twice`);
    keys.set(kid, {
      kid,
      alg: k.alg as number,
      status: k.status as KeyStatus,
      publicKey: spki,
      keyObject,
      validFromMs: time(k, 'validFrom', path, false)!,
      signsUntilMs: time(k, 'signsUntil', path, true),
      verifiesUntilMs: time(k, 'verifiesUntil', path, true),
    });
    time(k, 'revokedAt', path, true);
  });
  if (root.signature !== undefined) {
    const s = obj(root.signature, '$.signature');
    if (s.alg !== 'Ed25519') throw new TrustListError('$.signature.alg', 'not Ed25519');
    text(s, 'keyId', '$.signature');
    text(s, 'value', '$.signature');
  }
  return { list: root as unknown as TrustList, keys };
}
