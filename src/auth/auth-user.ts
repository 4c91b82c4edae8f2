import type { Request } from 'express';
import type { Actor } from '../audit/actor.js';
import type { Role } from './roles.js';

/** The signed-in user, as the guard attaches it to the request (`req.user`). */
export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  credentialNo: string | null;
  enterpriseId: number | null;
  /** USCC of the enterprise an enterprise user acts for */
  enterpriseUscc: string | null;
}

/** The browser session a request was authenticated by (cookie sv_session), as the guard attaches it. */
export interface RequestSession {
  id: number;
  /** the session's CSRF token (derived from the cookie's secret; only its digest is stored) */
  csrfToken: string;
  /** absolute end of the session */
  expiresAt: Date;
  /** first 12 hex digits of the SHA-256 of the cookie's secret (names the session in the audit trail) */
  digestPrefix: string;
}

/**
 * An HTTP request after pino-http (id) and the auth guard (user; `authSession` when it came with
 * the session cookie rather than a Bearer token).
 */
export type AuthRequest = Request & { id?: string | number; user?: AuthUser; authSession?: RequestSession };

/** The audit actor of a request: its user (or the anonymous public) and the request id. */
export function actorOf(req: AuthRequest, publicName = 'anonymous'): Actor {
  const u = req.user;
  return {
    userId: u?.id ?? null,
    name: u?.username ?? publicName,
    role: u?.role ?? 'public',
    department: u?.department ?? null,
    requestId: req.id === undefined ? null : String(req.id),
  };
}
