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

/** An HTTP request after pino-http (id) and the auth guard (user). */
export type AuthRequest = Request & { id?: string | number; user?: AuthUser };

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
