import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/**
 * The Idempotency-Key request header (IETF httpapi draft "The Idempotency-Key HTTP Header
 * Field", draft-ietf-httpapi-idempotency-key-header): its value and the fingerprint binding a key
 * to one request. Pure: no framework, no clock. The mechanism using them is
 * src/http/idempotency.ts; the behaviour is documented in docs/security.md "Idempotency-Key".
 */

/** The header's name. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Longest key accepted (characters, after unquoting). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * Reads the header's value. The draft makes it a Structured Field String (RFC 8941 §3.3.3: in
 * double quotes, `\"` and `\\` escaped, printable ASCII), e.g. `"8e03978e-40d5-43e8-bc93-6894a57f9324"`;
 * the unquoted form most clients send (`8e03978e-…`, visible ASCII without spaces, quotes or
 * commas) is accepted as the same key.
 * @param raw the header as node gives it (repeated headers arrive joined with ", ")
 * @returns the key, or the reason it is refused
 */
export function parseIdempotencyKey(raw: string | string[]): { key: string } | { error: string } {
  if (Array.isArray(raw)) return { error: 'given more than once' };
  const v = raw.trim();
  let key: string;
  const quoted = /^"((?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\["\\])*)"$/.exec(v);
  if (quoted) key = quoted[1]!.replace(/\\(["\\])/g, '$1');
  else if (/^[\x21\x23-\x2B\x2D-\x7E]+$/.test(v)) key = v;
  else
    return {
      error:
        v === ''
          ? 'empty'
          : 'must be one string (RFC 8941), e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324": printable ASCII, one value',
    };
  if (!key) return { error: 'empty' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return { error: `longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (${key.length})` };
  return { key };
}

/**
 * The fingerprint of a request (the draft's "request payload" check): SHA-256 (hex) of the
 * canonical JSON (keys sorted) of method, path with query, and parsed body. The same key sent with
 * another fingerprint is a different request (422); key order in a JSON body does not matter.
 */
export function requestFingerprint(method: string, pathAndQuery: string, body: unknown): string {
  const canonical =
    stringify([method.toUpperCase(), pathAndQuery, body === undefined ? null : body]) ?? 'null';
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
