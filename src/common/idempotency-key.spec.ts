import { describe, expect, it } from '@jest/globals';
import { MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

describe('parseIdempotencyKey (IETF httpapi Idempotency-Key: an RFC 8941 String)', () => {
  it.each([
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['  "padded"  ', 'padded'],
    ['"with space"', 'with space'],
    ['"say \\"hi\\" \\\\ bye"', 'say "hi" \\ bye'],
    ['order:2026/03/01+x=y', 'order:2026/03/01+x=y'],
    [`"${'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)}"`, 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)],
  ])('reads %s', (raw, key) => {
    expect(parseIdempotencyKey(raw)).toEqual({ key });
  });

  it.each([
    ['', 'empty'],
    ['""', 'empty'],
    ['"unterminated', 'must be one string'],
    ['a b', 'must be one string'],
    ['"a", "b"', 'must be one string'],
    ['a,b', 'must be one string'],
    ['"bad \\x escape"', 'must be one string'],
    ['"中文"', 'must be one string'],
    ['"tab\there"', 'must be one string'],
    [
      'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1),
      `longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (256)`,
    ],
  ])('refuses %j: %s', (raw, reason) => {
    const r = parseIdempotencyKey(raw);
    expect('error' in r && r.error).toMatch(reason);
  });

  it('refuses a header given more than once', () => {
    expect(parseIdempotencyKey(['"a"', '"b"'])).toEqual({ error: 'given more than once' });
  });
});

describe('requestFingerprint', () => {
  const base = requestFingerprint('POST', '/api/enterprises', { uscc: 'X', name: '甲' });
  it('is the same for the same request, whatever the order of keys in the body', () => {
    expect(requestFingerprint('post', '/api/enterprises', { name: '甲', uscc: 'X' })).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
  it.each([
    ['method', () => requestFingerprint('PATCH', '/api/enterprises', { uscc: 'X', name: '甲' })],
    ['path', () => requestFingerprint('POST', '/api/users', { uscc: 'X', name: '甲' })],
    ['query', () => requestFingerprint('POST', '/api/enterprises?x=1', { uscc: 'X', name: '甲' })],
    ['body', () => requestFingerprint('POST', '/api/enterprises', { uscc: 'X', name: '乙' })],
    ['no body', () => requestFingerprint('POST', '/api/enterprises', undefined)],
  ])('differs with another %s', (_, other) => {
    expect(other()).not.toBe(base);
  });
});
