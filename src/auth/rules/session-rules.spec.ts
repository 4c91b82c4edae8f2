import { describe, expect, it } from '@jest/globals';
import {
  isUnsafeMethod,
  needsTouch,
  originAllowed,
  parseCookies,
  sessionEnd,
  StoredSession,
  trimUserAgent,
  USER_AGENT_MAX,
} from './session-rules.js';

describe('parseCookies', () => {
  it('reads name=value pairs, trims, unquotes and decodes; the first of a name wins', () => {
    expect(parseCookies('a=1; sv_session="x%2Fy";  b = two ;a=3; junk; =v')).toEqual({
      a: '1',
      sv_session: 'x/y',
      b: 'two',
    });
  });
  it('is empty without a header and keeps a value that does not decode', () => {
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies('x=%E0%A4%A')).toEqual({ x: '%E0%A4%A' });
  });
});

describe('sessionEnd', () => {
  const now = new Date('2026-05-01T10:00:00Z');
  const live: StoredSession = {
    lastSeenAt: new Date('2026-05-01T09:40:00Z'),
    expiresAt: new Date('2026-05-01T20:00:00Z'),
    endedReason: null,
    tokenVersion: 2,
    userTokenVersion: 2,
    userActive: true,
  };
  it('applies within the idle timeout and the absolute lifetime', () => {
    expect(sessionEnd(live, now, 30)).toBeNull();
  });
  it('ends after the idle timeout (exactly at it too)', () => {
    expect(sessionEnd(live, now, 20)).toBe('idle');
    expect(sessionEnd(live, now, 19)).toBe('idle');
    expect(sessionEnd(live, now, 21)).toBeNull();
  });
  it('ends at its absolute end whatever the activity', () => {
    expect(sessionEnd({ ...live, lastSeenAt: now, expiresAt: now }, now, 30)).toBe('expired');
  });
  it('ends when its user was deactivated or changed token version, or it was ended', () => {
    expect(sessionEnd({ ...live, userActive: false }, now, 30)).toBe('deactivated');
    expect(sessionEnd({ ...live, userTokenVersion: 3 }, now, 30)).toBe('revoked');
    expect(sessionEnd({ ...live, endedReason: 'sign_out' }, now, 30)).toBe('sign_out');
  });
});

describe('needsTouch', () => {
  it('writes last-seen at most once a minute', () => {
    const t = new Date('2026-05-01T10:00:00Z');
    expect(needsTouch(t, new Date('2026-05-01T10:00:59.999Z'))).toBe(false);
    expect(needsTouch(t, new Date('2026-05-01T10:01:00Z'))).toBe(true);
  });
});

describe('originAllowed and isUnsafeMethod', () => {
  it('accepts no Origin, the own origin and CORS_ORIGINS exactly', () => {
    const own = 'http://127.0.0.1:3000';
    expect(originAllowed(undefined, own, [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', own, [])).toBe(true);
    expect(originAllowed('https://ops.example.gov.cn', own, ['https://ops.example.gov.cn'])).toBe(true);
    expect(originAllowed('http://127.0.0.1:3001', own, [])).toBe(false);
    expect(originAllowed('null', own, [])).toBe(false);
    expect(originAllowed('https://evil.example', own, ['https://ops.example.gov.cn'])).toBe(false);
  });
  it('treats everything but GET, HEAD and OPTIONS as unsafe', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isUnsafeMethod)).toEqual([false, false, false]);
    expect(['POST', 'PATCH', 'PUT', 'DELETE'].map(isUnsafeMethod)).toEqual([true, true, true, true]);
  });
});

describe('trimUserAgent', () => {
  it('drops control characters and keeps at most USER_AGENT_MAX characters', () => {
    expect(trimUserAgent('Mozilla\u0000/5.0\n')).toBe('Mozilla/5.0');
    expect(trimUserAgent('x'.repeat(500))!.length).toBe(USER_AGENT_MAX);
    expect(trimUserAgent(undefined)).toBeNull();
    expect(trimUserAgent('\u0001')).toBeNull();
  });
});
