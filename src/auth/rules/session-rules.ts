/**
 * Rules of browser sessions (docs/security.md "Browser sessions"). Pure: no framework, no clock
 * (the instant is passed in), no database.
 */

/** Name of the session cookie (httpOnly, SameSite=Strict, Path=/). */
export const SESSION_COOKIE = 'sv_session';

/** Header carrying the CSRF token (synchronizer token) on state-changing cookie requests. */
export const CSRF_HEADER = 'x-csrf-token';

/** Last-seen is written at most once per this many milliseconds per session (not on every request). */
export const TOUCH_INTERVAL_MS = 60_000;

/** Longest user agent kept with a session, characters. */
export const USER_AGENT_MAX = 200;

/** Bounds of the bureau's idle timeout (setting sessionIdleMinutes), minutes. */
export const IDLE_MINUTES = { min: 5, max: 480, default: 30 } as const;

/** A session cookie's secret: 32 random bytes, base64url (43 characters). */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Why a session stopped, as stored (user_session.ended_reason). */
export type EndReason =
  'sign_out' | 'sign_out_everywhere' | 'password_change' | 'deactivated' | 'idle' | 'expired' | 'revoked';

/** What the person is told when a session no longer applies (401 message), by reason. */
export const ENDED_MESSAGES: Record<EndReason, string> = {
  sign_out: 'the session has ended (signed out): sign in again',
  sign_out_everywhere: 'the session has ended (signed out everywhere): sign in again',
  password_change: 'the session has ended (the password was changed): sign in again',
  deactivated: 'the session has ended (the user was deactivated): sign in again',
  idle: 'the session has ended after the idle timeout: sign in again',
  expired: 'the session has ended (its longest lifetime has passed): sign in again',
  revoked: 'the session has ended (signed out elsewhere or the password was changed): sign in again',
};

/**
 * Cookies of a `Cookie` request header (RFC 6265 5.4: `name=value` pairs separated by `;`).
 * Values in double quotes lose them; percent-encoded values are decoded when they decode; the
 * first of two cookies with one name wins (the browser sends the most specific first).
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // kept as sent
    }
    out[name] = value;
  }
  return out;
}

/** What the guard knows of a stored session when a request arrives. */
export interface StoredSession {
  lastSeenAt: Date;
  expiresAt: Date;
  endedReason: EndReason | null;
  /** the token version the session was made at, and the user's now */
  tokenVersion: number;
  userTokenVersion: number;
  /** false: the user was deactivated or deleted */
  userActive: boolean;
}

/**
 * Whether a session still applies at `now` with the bureau's idle timeout: not ended, before its
 * absolute end, used within `idleMinutes`, its user active and at the same token version.
 * @returns null when it applies, else the reason it does not (ENDED_MESSAGES tells the person)
 */
export function sessionEnd(s: StoredSession, now: Date, idleMinutes: number): EndReason | null {
  if (s.endedReason) return s.endedReason;
  if (!s.userActive) return 'deactivated';
  if (s.tokenVersion !== s.userTokenVersion) return 'revoked';
  if (now.getTime() >= s.expiresAt.getTime()) return 'expired';
  if (now.getTime() - s.lastSeenAt.getTime() >= idleMinutes * 60_000) return 'idle';
  return null;
}

/** Whether last-seen should be written now (at most once a TOUCH_INTERVAL_MS per session). */
export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS;
}

/** Methods that change state: a cookie request with one of them must carry the CSRF token. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/**
 * Whether a cookie-authenticated request's `Origin` header may send it: absent (same-origin GET,
 * non-browser clients), this service's own origin, or one of CORS_ORIGINS. Compared exactly
 * (scheme, host and port), `null` and anything else refused.
 */
export function originAllowed(origin: string | undefined, ownOrigin: string, corsOrigins: string[]): boolean {
  if (origin === undefined) return true;
  const o = origin.trim().toLowerCase();
  return o === ownOrigin.toLowerCase() || corsOrigins.some((c) => c.trim().toLowerCase() === o);
}

/** The user agent as kept with a session: control characters removed, at most USER_AGENT_MAX characters. */
export function trimUserAgent(ua: string | undefined): string | null {
  if (!ua) return null;
  // eslint-disable-next-line no-control-regex
  const clean = ua.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean ? [...clean].slice(0, USER_AGENT_MAX).join('') : null;
}
