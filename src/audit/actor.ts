import { userInfo } from 'node:os';

/**
 * Who did something, as the audit trail records it: a signed-in user (with the request id of
 * the HTTP request), or the system itself (an operator's CLI command, a scheduled job).
 */
export interface Actor {
  /** app_user.id; null for the system */
  userId: number | null;
  /** username, or `cli:<os user>`, `scheduler`, `startup` */
  name: string;
  /** admin | regulator | inspector | enterprise | public | system */
  role: string;
  department: string | null;
  /** the HTTP request's id (X-Request-Id), null outside a request */
  requestId: string | null;
}

/** The operator running a CLI command (the OS account). */
export function cliActor(): Actor {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // no passwd entry for this uid
  }
  return { userId: null, name: `cli:${who}`, role: 'system', department: null, requestId: null };
}

/** The service itself (start-up work, scheduled jobs). */
export function systemActor(name: 'startup' | 'scheduler' | 'test'): Actor {
  return { userId: null, name, role: 'system', department: null, requestId: null };
}
