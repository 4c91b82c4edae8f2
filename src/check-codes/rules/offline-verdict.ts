/**
 * The offline verifier's rule (issue 12 "Verifying", offline; `supervision verify-code`): a code
 * judged against a copy of the trust list, with no database and no network. The trust list is
 * read strictly (trust-list.ts parseTrustList); when a pinned key is given its signature must
 * verify first; then judgeCode (verdict.ts), the one rule, without a stored state. Pure: the
 * list, the time and the pinned key are passed in.
 */
import type { KeyObject } from 'node:crypto';
import type { CheckCodeClaims } from './check-code-format.js';
import { parseTrustList, TrustList, trustListSignatureProblem } from './trust-list.js';
import { AFTER_SIGNATURE, judgeCode, NOT_VALID_REASONS, NotValidReason, Verdict } from './verdict.js';

/** Why the trust list itself cannot be used (the verifier then judges nothing: exit 2). */
export class UnusableTrustList extends Error {}

export interface OfflineVerdict {
  valid: boolean;
  reason: NotValidReason | null;
  /** the reason for a person, Chinese and English (null when valid) */
  reasonText: { zh: string; en: string } | null;
  detail: string | null;
  kid: string | null;
  claims: CheckCodeClaims | null;
  /**
   * true when the claims are the issuer's (the signature verified: valid, or not valid by time or
   * key period); false when they may be anyone's (unknown key, bad signature...)
   */
  claimsVerified: boolean;
  /** the instant judged, ISO 8601 */
  at: string;
  trustList: {
    issuer: string;
    generatedAt: string;
    keys: number;
    /** verified: signed by the pinned key; not_checked: no key pinned; absent: unsigned list, no key pinned */
    signature: 'verified' | 'not_checked' | 'absent';
    signedBy: string | null;
  };
}

/**
 * Judges `payload` (a code's text or its verification URL) at `atMs` with the trust list `doc`
 * (parsed JSON).
 * @param pinnedKey the list's signing key the verifier trusts (the audit checkpoint key fetched
 *   once): when given, a list it did not sign is refused
 * @throws UnusableTrustList the document is not a JC-TL/1 list, or not signed by the pinned key
 */
export function offlineVerdict(
  payload: string,
  doc: unknown,
  atMs: number,
  pinnedKey?: KeyObject,
): OfflineVerdict {
  let list: TrustList;
  let keys: ReturnType<typeof parseTrustList>['keys'];
  try {
    ({ list, keys } = parseTrustList(doc));
  } catch (e) {
    throw new UnusableTrustList((e as Error).message);
  }
  let signature: OfflineVerdict['trustList']['signature'] = list.signature ? 'not_checked' : 'absent';
  if (pinnedKey) {
    const problem = trustListSignatureProblem(list, pinnedKey);
    if (problem) throw new UnusableTrustList(problem);
    signature = 'verified';
  }
  const v: Verdict = judgeCode(payload, (kid) => keys.get(kid) ?? null, atMs);
  return {
    valid: v.valid,
    reason: v.valid ? null : v.reason,
    reasonText: v.valid ? null : { zh: NOT_VALID_REASONS[v.reason].zh, en: NOT_VALID_REASONS[v.reason].en },
    detail: v.valid ? null : v.detail,
    kid: v.kid,
    claims: v.claims,
    claimsVerified: v.valid || AFTER_SIGNATURE.includes(v.reason),
    at: new Date(atMs).toISOString(),
    trustList: {
      issuer: list.issuer,
      generatedAt: list.generatedAt,
      keys: keys.size,
      signature,
      signedBy: list.signature?.keyId ?? null,
    },
  };
}
