import { createHash } from 'node:crypto';

/**
 * Key id of a check-code signing key (docs/check-code-format.md "Keys"): the first 8 bytes of the
 * SHA-256 of its public key's SPKI DER encoding, base64url (11 characters), as the EU DCC's kid.
 */
export function kidOf(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest().subarray(0, 8).toString('base64url');
}
