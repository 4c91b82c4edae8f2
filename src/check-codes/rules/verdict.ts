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
  /** SPKI DER, or its key object (made once by a caller checking many codes: signatureValid takes either) */
  publicKey: Buffer | KeyObject;
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
 * Judges a code's text.
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
  if (!signatureValid(code, key.publicKey))
    return no('bad_signature', 'the signature does not match: forged or altered');
  const issuedMs = code.claims.issuedAt * 1000;
  if (issuedMs < key.validFromMs - 60_000 || (key.signsUntilMs !== null && issuedMs > key.signsUntilMs))
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
