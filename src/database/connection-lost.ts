/**
 * Recognises the errors a client sees when its PostgreSQL server goes away (stopped, crashed,
 * restarted, network cut), so that the CLI can end with one line saying so instead of a driver
 * stack trace, and the service can tell "database down" from a failing statement.
 *
 * Sources: PostgreSQL error codes, appendix A (class 08 "Connection Exception"; 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now); Node.js socket error codes
 * (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH); node-postgres messages for a socket
 * closed under a client ("Connection terminated unexpectedly", "Client has encountered a
 * connection error and is not queryable").
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
]);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03']);
const MESSAGES = [
  /connection terminated/i,
  /terminating connection due to/i,
  /client has encountered a connection error/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /connection is not queryable/i,
];

/** A command failed and its database no longer answers: `message` is the line for the operator. */
export class DatabaseGoneError extends Error {
  constructor(cause: unknown) {
    super('', { cause });
    this.name = 'DatabaseGoneError';
    this.message = connectionLostLine(this);
  }
}

/** The error, its `cause` and a TypeORM `driverError`, outermost first (at most 10). */
function chain(e: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let x = e; x && typeof x === 'object' && seen.length < 10 && !seen.includes(x);) {
    seen.push(x);
    const o = x as { cause?: unknown; driverError?: unknown };
    x = o.driverError ?? o.cause;
  }
  return seen;
}

/**
 * True when `e` (or an error it wraps) says the database connection was lost or refused.
 * @param e anything thrown
 */
export function isConnectionLost(e: unknown): boolean {
  return chain(e).some((x) => {
    if (x instanceof DatabaseGoneError) return true;
    const { code, message } = x as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08/.test(code)))
      return true;
    return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
  });
}

/**
 * One line for an operator when the database went away: what happened (the driver's first line)
 * and what to do.
 */
export function connectionLostLine(e: unknown): string {
  const first =
    e instanceof DatabaseGoneError
      ? 'it no longer answers'
      : (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  return (
    `the database went away (${first || 'connection lost'}): work not committed before is not stored; ` +
    `start the database (or the service that runs it) and run the command again`
  );
}
