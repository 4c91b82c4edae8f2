/**
 * Whether an inspection code is genuine and usable now (issue 12 "Verifying"): the one rule the
 * public page, its JSON, check-in and the offline CLI verifier apply. Pure: the key is looked up
 * by the caller (trust list or database), the time and, online, the stored state passed in.
 *
 * Offline (trust list only): format -> key known -> key not revoked -> algorithm supported ->
 * signature -> issued while the key could sign -> validity window. Online adds the stored state:
 * revoked, completed, expired early, or a code the service never issued.
 */
import {
  ALG_ED25519,
  CheckCodeClaims,
  CheckCodeFormatError,
  codeTextOf,
  decodeCheckCode,
  DecodedCode,
  FormatProblem,
  signatureValid,
} from './check-code-format.js';
import type { KeyObject } from 'node:crypto';
import type { CheckCodeState } from './check-code-rules.js';

/** A trust-list key as the rule needs it (times in ms since 1970). */
export interface TrustedKey {
  kid: string;
  alg: number;
  status: 'active' | 'retired' | 'revoked';
  /** SPKI DER */
  publicKey: Buffer;
  /** the same key as a KeyObject, when the caller keeps one (saves parsing the SPKI on every check) */
  keyObject?: KeyObject;
  validFromMs: number;
  /** retired: signed nothing after this */
  signsUntilMs: number | null;
  /** verifies nothing after this (null: open) */
  verifiesUntilMs: number | null;
}

/** What the service stored about the code (online only). */
export interface StoredCode {
  codeText: string;
  status: CheckCodeState;
  revokeReason: string | null;
}

export type NotValidReason =
  | FormatProblem
  | 'unknown_key'
  | 'key_revoked'
  | 'unsupported_algorithm'
  | 'bad_signature'
  | 'issued_outside_key_validity'
  | 'key_expired'
  | 'not_yet_valid'
  | 'expired'
  | 'revoked'
  | 'not_issued';

/**
 * Every reason a code is not valid, with what it means to a person, in Chinese (pages, the CLI)
 * and English (logs, the CLI). `offline` marks the reasons an offline verifier (trust list only)
 * can give; the others need the service's stored state.
 */
export const NOT_VALID_REASONS: Record<NotValidReason, { zh: string; en: string; offline: boolean }> = {
  empty: { zh: '未提供检查码', en: 'no code given', offline: true },
  too_long: { zh: '内容过长，不是检查码', en: 'too long to be a code', offline: true },
  wrong_prefix: {
    zh: '不是检查码（开头不是 JC1.）',
    en: 'not an inspection code (no JC1. prefix)',
    offline: true,
  },
  not_base32: {
    zh: '含有检查码中不会出现的字符',
    en: 'characters no code contains (base32 A-Z 2-7)',
    offline: true,
  },
  not_cose_sign1: {
    zh: '检查码不完整或被改动过（无法读取）',
    en: 'truncated or altered: not a signed code',
    offline: true,
  },
  bad_header: { zh: '检查码的签名信息无法识别', en: 'the signing header is not readable', offline: true },
  bad_claims: { zh: '检查码的内容无法识别', en: 'the claims are not readable', offline: true },
  unsupported_version: {
    zh: '检查码版本不受支持（请更新核验程序）',
    en: 'a format version this verifier does not read',
    offline: true,
  },
  unknown_key: {
    zh: '签名密钥不在信任列表中：可能是伪造的检查码（或信任列表需要更新）',
    en: 'signed by a key not in the trust list: forged, or the trust list is out of date',
    offline: true,
  },
  key_revoked: {
    zh: '签名密钥已被吊销，该密钥签发的检查码一律无效',
    en: 'the signing key was revoked: none of its codes is valid',
    offline: true,
  },
  unsupported_algorithm: {
    zh: '签名算法不受支持',
    en: 'a signature algorithm this verifier does not check',
    offline: true,
  },
  bad_signature: {
    zh: '签名不符：检查码是伪造的或被篡改过',
    en: 'the signature does not match: forged or altered',
    offline: true,
  },
  issued_outside_key_validity: {
    zh: '签发时间不在签名密钥的使用期内',
    en: 'issued at a time its key did not sign',
    offline: true,
  },
  key_expired: {
    zh: '签名密钥的核验期已过',
    en: 'the signing key verifies nothing any more',
    offline: true,
  },
  not_yet_valid: { zh: '检查码尚未生效', en: 'not valid yet', offline: true },
  expired: { zh: '检查码已过期', en: 'expired', offline: true },
  revoked: { zh: '检查码已被吊销', en: 'revoked', offline: false },
  not_issued: {
    zh: '系统从未签发过这个检查码',
    en: 'the service issued no such code',
    offline: false,
  },
};

/**
 * Reasons given after the signature was checked: the claims of such a verdict are the issuer's
 * (genuine, though not valid now); for the other reasons they are unproven, possibly a forger's.
 */
export const AFTER_SIGNATURE: readonly NotValidReason[] = [
  'issued_outside_key_validity',
  'key_expired',
  'not_yet_valid',
  'expired',
  'revoked',
  'not_issued',
];

export type Verdict =
  | { valid: true; claims: CheckCodeClaims; kid: string; state: CheckCodeState | null }
  | {
      valid: false;
      reason: NotValidReason;
      detail: string;
      claims: CheckCodeClaims | null;
      kid: string | null;
    };

/**
 * How far before its key's validFrom a code's issuedAt may lie, ms: the clocks of the service's
 * instances may differ this much (a key made on one instance, a code signed on another).
 */
export const KEY_CLOCK_SKEW_MS = 60_000;

/**
 * Judges a code's text, in this order (the first failing step gives the reason;
 * docs/check-code-format.md "有效性规则"):
 * 1. format (decodeCheckCode): empty, too_long, wrong_prefix, unsupported_version, not_base32,
 *    not_cose_sign1, bad_header, bad_claims;
 * 2. the key of the header's kid: unknown_key (not in the trust list), key_revoked;
 * 3. unsupported_algorithm (the header's alg is not the key's, or not Ed25519 -8);
 * 4. bad_signature (Ed25519 over the Sig_structure);
 * 5. issued_outside_key_validity: issuedAt before the key's validFrom (less KEY_CLOCK_SKEW_MS) or
 *    after its signsUntil;
 * 6. key_expired: now after the key's verifiesUntil;
 * 7. not_yet_valid: now before notBefore; expired: now after notAfter (both bounds are valid
 *    instants: notBefore and notAfter themselves are inside the window; times in whole seconds);
 * 8. online only (`stored` given): not_issued (no stored code with this code number and text),
 *    revoked, expired (marked expired by the service).
 * @param lookup the trusted key of a key id, null when unknown
 * @param nowMs the moment of the check
 * @param stored online: the stored code with this code number (null: the service holds none);
 *   undefined offline
 */
export function judgeCode(
  text: string,
  lookup: (kid: string) => TrustedKey | null,
  nowMs: number,
  stored?: StoredCode | null,
): Verdict {
  let code: DecodedCode;
  try {
    code = decodeCheckCode(text);
  } catch (e) {
    if (e instanceof CheckCodeFormatError)
      return { valid: false, reason: e.problem, detail: e.message, claims: null, kid: null };
    throw e;
  }
  const no = (reason: NotValidReason, detail: string): Verdict => ({
    valid: false,
    reason,
    detail,
    claims: code.claims,
    kid: code.kid,
  });
  const key = lookup(code.kid);
  if (!key) return no('unknown_key', `key ${code.kid} is not in the trust list`);
  if (key.status === 'revoked') return no('key_revoked', `key ${code.kid} was revoked`);
  if (code.alg !== key.alg || code.alg !== ALG_ED25519)
    return no('unsupported_algorithm', `algorithm ${code.alg} (this verifier checks Ed25519, -8)`);
  if (!signatureValid(code, key.keyObject ?? key.publicKey))
    return no('bad_signature', 'the signature does not match: forged or altered');
  const issuedMs = code.claims.issuedAt * 1000;
  if (
    issuedMs < key.validFromMs - KEY_CLOCK_SKEW_MS ||
    (key.signsUntilMs !== null && issuedMs > key.signsUntilMs)
  )
    return no(
      'issued_outside_key_validity',
      `issued ${new Date(issuedMs).toISOString()}, when key ${code.kid} did not sign`,
    );
  if (key.verifiesUntilMs !== null && nowMs > key.verifiesUntilMs)
    return no(
      'key_expired',
      `key ${code.kid} verifies nothing after ${new Date(key.verifiesUntilMs).toISOString()}`,
    );
  if (nowMs < code.claims.notBefore * 1000)
    return no('not_yet_valid', `valid from ${new Date(code.claims.notBefore * 1000).toISOString()}`);
  if (nowMs > code.claims.notAfter * 1000)
    return no('expired', `expired ${new Date(code.claims.notAfter * 1000).toISOString()}`);
  if (stored === undefined) return { valid: true, claims: code.claims, kid: code.kid, state: null };
  if (stored === null || stored.codeText !== codeTextOf(text))
    return no('not_issued', `the service issued no code ${code.claims.codeNo} with this content`);
  if (stored.status === 'revoked') return no('revoked', `revoked: ${stored.revokeReason ?? ''}`);
  if (stored.status === 'expired') return no('expired', 'expired');
  return { valid: true, claims: code.claims, kid: code.kid, state: stored.status };
}
