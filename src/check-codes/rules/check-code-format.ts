/**
 * The inspection code's format (检查码, domain.md 5.4; issue 12 "Issuing"), version 1: a signed
 * credential modelled on the EU Digital COVID Certificate (COSE_Sign1 over a CWT-like CBOR claims
 * map, a key id in the protected header, a published trust list of keys, rotation by key id).
 *
 *   text form:  `JC1.` + base32(COSE_Sign1 bytes), RFC 4648 alphabet A-Z 2-7, no padding, read
 *               case-insensitively (URL: `<base>/v/<text>`; upper-cased, the whole URL fits the QR
 *               code's alphanumeric mode: 5.5 bits a character instead of 8, two to three versions smaller)
 *   COSE_Sign1: [ protected: bstr(CBOR map {1: alg, 4: kid}), unprotected: {}, payload: bstr(claims), signature: bstr ]
 *   signed:     the COSE Sig_structure ["Signature1", protected, h'', payload] (RFC 9052 4.4)
 *   claims:     {1: issuer, 4: notAfter, 5: notBefore, 6: issuedAt, 7: codeNo,           (CWT, RFC 8392; seconds since 1970)
 *                -260: {1: formatVersion, 2: [taskId...], 3: uscc, 4: [itemCode...],
 *                       5: [credentialNo...], 6: [department...], 7: planNo | null, 8: [triggerId...]}}
 *
 * Algorithms by COSE id: -8 EdDSA (Ed25519, node:crypto). SM2 (GB/T 32918 with SM3) is reserved as
 * ALG_SM2 (a private-use id until IANA registers one): a decoder accepts the id, a verifier without
 * an SM2 key answers `unsupported_algorithm`. Pure: no database, no clock (times are passed in).
 * docs/check-code-format.md is the reference for someone writing an independent verifier.
 */
import { base32nopad } from '@scure/base';
import { Encoder } from 'cbor-x';
import { createPublicKey, KeyObject, sign as edSign, verify as edVerify } from 'node:crypto';

/** The text prefix of format version 1 (a new version gets a new prefix, JC2.). */
export const CODE_PREFIX = 'JC1.';
/** COSE algorithm ids. */
export const ALG_ED25519 = -8;
export const ALG_SM2 = -65600;
/** The private claim holding the inspection's particulars (as DCC's hcert claim -260). */
export const CLAIM_INSPECTION = -260;
export const FORMAT_VERSION = 1;
/** Longest text accepted by the decoder (a version-1 code is far shorter; longer input is refused unread). */
export const MAX_CODE_TEXT = 1500;

const cbor = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  tagUint8Array: false,
  variableMapSize: true,
});

/** What a code says, in the service's terms. Times are whole seconds since 1970 (UTC). */
export interface CheckCodeClaims {
  /** the issuing bureau (district division code, e.g. 310110) */
  issuer: string;
  /** public number of the code: 8 characters of base32 (A-Z 2-7), shown as JC-K7Q9-M2XD */
  codeNo: string;
  issuedAt: number;
  notBefore: number;
  notAfter: number;
  /** the inspection tasks it covers (one, or every task of a joint visit) */
  taskIds: number[];
  uscc: string;
  itemCodes: string[];
  /** enforcement credential numbers (执法证号) of the assigned inspectors */
  credentialNos: string[];
  departments: string[];
  /** a planned check: the plan number (计划编号) */
  planNo: string | null;
  /** an event-triggered check: its trigger ids */
  triggerIds: number[];
}

export interface DecodedCode {
  alg: number;
  /** key id, base64url of the header's bstr */
  kid: string;
  claims: CheckCodeClaims;
  /** the bytes the signature covers (Sig_structure) */
  signed: Buffer;
  signature: Buffer;
}

/** Why a text is not a well-formed code (before any key is looked at). */
export type FormatProblem =
  | 'empty'
  | 'too_long'
  | 'wrong_prefix'
  | 'not_base32'
  | 'not_cose_sign1'
  | 'bad_header'
  | 'bad_claims'
  | 'unsupported_version';

export class CheckCodeFormatError extends Error {
  constructor(
    readonly problem: FormatProblem,
    detail: string,
  ) {
    super(`${problem}: ${detail}`);
  }
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Buffer {
  return Buffer.from(
    cbor.encode(['Signature1', Buffer.from(protectedBytes), Buffer.alloc(0), Buffer.from(payload)]),
  );
}

function claimsMap(c: CheckCodeClaims): Map<number, unknown> {
  return new Map<number, unknown>([
    [1, c.issuer],
    [4, c.notAfter],
    [5, c.notBefore],
    [6, c.issuedAt],
    [7, c.codeNo],
    [
      CLAIM_INSPECTION,
      new Map<number, unknown>([
        [1, FORMAT_VERSION],
        [2, c.taskIds],
        [3, c.uscc],
        [4, c.itemCodes],
        [5, c.credentialNos],
        [6, c.departments],
        [7, c.planNo],
        [8, c.triggerIds],
      ]),
    ],
  ]);
}

/**
 * Signs claims with an Ed25519 private key under key id `kid` (8 bytes, base64url) and returns the
 * text form (`JC1.`...). Throws on a key that is not Ed25519.
 */
export function signCheckCode(claims: CheckCodeClaims, kid: string, privateKey: KeyObject): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('check codes are signed with Ed25519 keys');
  const protectedBytes = cbor.encode(
    new Map<number, unknown>([
      [1, ALG_ED25519],
      [4, Buffer.from(kid, 'base64url')],
    ]),
  );
  const payload = cbor.encode(claimsMap(claims));
  const signature = edSign(null, sigStructure(protectedBytes, payload), privateKey);
  const cose = cbor.encode([Buffer.from(protectedBytes), new Map(), Buffer.from(payload), signature]);
  return CODE_PREFIX + base32nopad.encode(cose);
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isText);
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);

/**
 * Reads the text form without checking the signature: prefix, base64url, COSE_Sign1 structure,
 * header (alg, kid), claims and their types. Accepts the bare text or a verification URL ending
 * in `/v/<text>`.
 * @throws CheckCodeFormatError naming the problem
 */
export function decodeCheckCode(input: string): DecodedCode {
  if (!input.trim()) throw new CheckCodeFormatError('empty', 'no code given');
  if (input.length > MAX_CODE_TEXT)
    throw new CheckCodeFormatError('too_long', `${input.length} characters, at most ${MAX_CODE_TEXT}`);
  const text = codeTextOf(input);
  if (!text.startsWith(CODE_PREFIX))
    throw new CheckCodeFormatError(
      /^JC\d+\./.test(text) ? 'unsupported_version' : 'wrong_prefix',
      `a code starts with ${CODE_PREFIX}`,
    );
  const body = text.slice(CODE_PREFIX.length);
  if (!/^[A-Z2-7]+$/.test(body)) throw new CheckCodeFormatError('not_base32', 'characters outside A-Z 2-7');
  let bytes: Buffer;
  try {
    bytes = Buffer.from(base32nopad.decode(body));
  } catch {
    // a length or last character that no whole number of bytes gives: cut short or altered
    throw new CheckCodeFormatError(
      'not_cose_sign1',
      'not a whole number of base32 bytes (truncated or altered)',
    );
  }
  let cose: unknown;
  try {
    cose = cbor.decode(bytes);
  } catch {
    throw new CheckCodeFormatError('not_cose_sign1', 'not CBOR (truncated or altered)');
  }
  if (
    !Array.isArray(cose) ||
    cose.length !== 4 ||
    !Buffer.isBuffer(cose[0]) ||
    !Buffer.isBuffer(cose[2]) ||
    !Buffer.isBuffer(cose[3])
  )
    throw new CheckCodeFormatError(
      'not_cose_sign1',
      'not a COSE_Sign1 array [protected, unprotected, payload, signature]',
    );
  // the unprotected header is not signed: version 1 keeps it empty, so that one signed content has
  // one text form (nothing can be added to a genuine code and still read as genuine)
  if (!(cose[1] instanceof Map) || cose[1].size !== 0)
    throw new CheckCodeFormatError('not_cose_sign1', 'the unprotected header must be an empty map');
  const [protectedBytes, , payload, signature] = cose as [Buffer, unknown, Buffer, Buffer];
  // and in the one encoding the issuer writes (definite lengths, shortest length prefixes): the
  // same signed content re-encoded (an indefinite-length array, a longer length prefix) would be a
  // second text for one code, valid offline yet unknown to the service
  if (!Buffer.from(cbor.encode([protectedBytes, new Map(), payload, signature])).equals(bytes))
    throw new CheckCodeFormatError('not_cose_sign1', 'not the canonical encoding of a COSE_Sign1');
  let header: unknown;
  try {
    header = cbor.decode(protectedBytes);
  } catch {
    throw new CheckCodeFormatError('bad_header', 'protected header is not CBOR');
  }
  if (!(header instanceof Map) || !isInt(header.get(1)) || !Buffer.isBuffer(header.get(4)))
    throw new CheckCodeFormatError('bad_header', 'protected header needs alg (1) and kid (4)');
  let raw: unknown;
  try {
    raw = cbor.decode(payload);
  } catch {
    throw new CheckCodeFormatError('bad_claims', 'payload is not CBOR');
  }
  if (!(raw instanceof Map) || !(raw.get(CLAIM_INSPECTION) instanceof Map))
    throw new CheckCodeFormatError('bad_claims', 'payload needs the inspection claim -260');
  const ins = raw.get(CLAIM_INSPECTION) as Map<number, unknown>;
  if (ins.get(1) !== FORMAT_VERSION)
    throw new CheckCodeFormatError(
      'unsupported_version',
      `format version ${String(ins.get(1))}, this verifier reads ${FORMAT_VERSION}`,
    );
  const planNo = ins.get(7);
  const claims = {
    issuer: raw.get(1),
    notAfter: raw.get(4),
    notBefore: raw.get(5),
    issuedAt: raw.get(6),
    codeNo: raw.get(7),
    taskIds: ins.get(2),
    uscc: ins.get(3),
    itemCodes: ins.get(4),
    credentialNos: ins.get(5),
    departments: ins.get(6),
    planNo: planNo === undefined ? null : planNo,
    triggerIds: ins.get(8),
  };
  const ok =
    isText(claims.issuer) &&
    isInt(claims.notAfter) &&
    isInt(claims.notBefore) &&
    isInt(claims.issuedAt) &&
    isText(claims.codeNo) &&
    isIntList(claims.taskIds) &&
    claims.taskIds.length > 0 &&
    isText(claims.uscc) &&
    isTextList(claims.itemCodes) &&
    isTextList(claims.credentialNos) &&
    isTextList(claims.departments) &&
    (claims.planNo === null || isText(claims.planNo)) &&
    isIntList(claims.triggerIds);
  if (!ok) throw new CheckCodeFormatError('bad_claims', 'a claim is missing or of the wrong type');
  return {
    alg: header.get(1) as number,
    kid: b64url(header.get(4) as Buffer),
    claims: claims as CheckCodeClaims,
    signed: sigStructure(protectedBytes, payload),
    signature,
  };
}

/**
 * The COSE_Sign1 bytes of a code's text (or verification URL): base32 decoded, nothing checked
 * beyond the prefix and the alphabet (test vectors, diagnostics).
 * @throws CheckCodeFormatError wrong_prefix / not_base32
 */
export function coseBytesOf(input: string): Buffer {
  const text = codeTextOf(input);
  if (!text.startsWith(CODE_PREFIX))
    throw new CheckCodeFormatError('wrong_prefix', `a code starts with ${CODE_PREFIX}`);
  try {
    return Buffer.from(base32nopad.decode(text.slice(CODE_PREFIX.length)));
  } catch {
    throw new CheckCodeFormatError('not_base32', 'not base32 (RFC 4648, A-Z 2-7, no padding)');
  }
}

/** A code's text as stored: without the URL around it or edge spaces, upper case. */
export function codeTextOf(input: string): string {
  let text = input.trim();
  const v = text.toLowerCase().lastIndexOf('/v/');
  if (v >= 0) text = text.slice(v + 3).split(/[?#]/)[0]!;
  return text.toUpperCase();
}

/** Checks the signature of a decoded code with a public key (SPKI DER or KeyObject). Ed25519 only today. */
export function signatureValid(code: DecodedCode, publicKey: KeyObject | Buffer): boolean {
  if (code.alg !== ALG_ED25519) return false;
  const key = Buffer.isBuffer(publicKey)
    ? createPublicKey({ key: publicKey, format: 'der', type: 'spki' })
    : publicKey;
  if (key.asymmetricKeyType !== 'ed25519') return false;
  try {
    return edVerify(null, code.signed, key, code.signature);
  } catch {
    return false;
  }
}

/** Key id of a public key: the first 8 bytes of SHA-256 of its SPKI DER, base64url (as DCC's kid). */
export { kidOf } from './key-id.js';
