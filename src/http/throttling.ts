import type { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import type { Logger as Pino } from 'pino';
import { verifyAccessToken } from '../auth/access-token.js';
import { isVerificationRequest } from '../check-codes/verification/verification-rate-limit.js';
import type { AppConfig } from '../config/configuration.js';
import { errorBody } from './api-errors.js';
import { PostgresRateLimitStore, RunQuery } from './rate-limit-store.js';

/** What the limiters need: the shared counters' database, the token verifier, the session lookup, the log. */
export interface RateLimitDeps {
  /** runs one statement on the service's database (the counters' table, rate_limit_counter) */
  run: RunQuery;
  /** the service's JwtService (the AuthModule's secret, issuer and audience) */
  jwt: JwtService;
  /**
   * the user id of a request's live browser session (SessionsService.subjectOf: the lookup the
   * AuthGuard then reuses), undefined without one
   */
  sessionSubject?: (req: Request) => Promise<string | undefined>;
  logger: Pino;
}

/** The window of the general limits, milliseconds. */
export const THROTTLE_WINDOW_MS = 60_000;

/** True for the health check, which no limit may refuse (a load balancer probes it from one address). */
export function isHealthCheck(req: Request): boolean {
  // Express routes ignore case and one trailing slash: /Health/ reaches the same handler
  return /^\/health\/?$/i.test(req.path);
}

/**
 * Rate limits (docs/security.md "Rate limits"), counted in PostgreSQL (PostgresRateLimitStore on
 * `rate_limit_counter`) so that every instance of the service on one database shares them. Each
 * answers 429 in the API error shape, with RateLimit headers (draft-8).
 * - `identify`: verifies the request's access token once (signature, issuer, audience, expiry:
 *   verifyAccessToken) and remembers its subject; a missing, forged, expired or malformed token
 *   makes the request anonymous, so a made-up token never gets a bucket of its own. Without an
 *   Authorization header, a session cookie naming a live session identifies its user (one indexed
 *   lookup, shared with the AuthGuard); an unknown or ended one makes the request anonymous.
 * - `perUser`: THROTTLE_LIMIT requests a minute per signed-in user (the token's subject), wherever
 *   they come from: users behind one address (an office's NAT) never share a count.
 * - `perAddress`: THROTTLE_ANONYMOUS_LIMIT requests a minute per client address for anonymous
 *   requests (sign-in, the OpenAPI page, requests without a valid token); the public verification
 *   of inspection codes (/v, GET /api/check-codes/:code/verification) is left to its own limit.
 * - `/health` is outside both.
 * - `login`: LOGIN_THROTTLE_LIMIT failed sign-ins per client address and username within
 *   LOGIN_THROTTLE_WINDOW_SECONDS (successful ones are not counted), against password guessing;
 *   `loginPerAddress`: six times that per address whatever the username (each attempt costs a
 *   bcrypt comparison on the event loop); `password`: LOGIN_THROTTLE_LIMIT wrong current passwords
 *   per address and token on the password change.
 * When the counters' database fails, a limiter lets the request through and logs the error (the
 * request then meets the same database, so nothing is gained by refusing it).
 */
export function rateLimiters(
  config: AppConfig,
  deps: RateLimitDeps,
): {
  identify: RequestHandler;
  perUser: RequestHandler;
  perAddress: RequestHandler;
  login: RequestHandler;
  loginPerAddress: RequestHandler;
  password: RequestHandler;
  /** the signed-in user (token subject) `identify` found for a request, undefined when anonymous */
  subject: (req: Request) => string | undefined;
} {
  const subjects = new WeakMap<Request, string | undefined>();
  const subject = (req: Request) => subjects.get(req);
  const identify = (req: Request, _res: Response, next: NextFunction) => {
    if (isHealthCheck(req)) return next();
    if (req.headers.authorization === undefined) {
      if (!deps.sessionSubject || req.headers.cookie === undefined) return next();
      deps.sessionSubject(req).then(
        (sub) => {
          subjects.set(req, sub);
          next();
        },
        () => next(),
      );
      return;
    }
    verifyAccessToken(deps.jwt, req.headers.authorization).then(
      (claims) => {
        subjects.set(req, claims.sub);
        next();
      },
      () => next(),
    );
  };

  const limiter = (
    name: string,
    windowMs: number,
    limit: number,
    message: string,
    more: Partial<Parameters<typeof rateLimit>[0]> = {},
  ) =>
    rateLimit({
      windowMs,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new PostgresRateLimitStore(name, deps.run, (e) =>
        deps.logger.warn({ err: e }, 'rate limits: removing ended windows failed'),
      ),
      passOnStoreError: true,
      // express-rate-limit's own messages (a store error letting the request through, a misconfiguration) into the service's log
      logger: {
        error: (e: unknown, message?: string) =>
          deps.logger.error({ err: e }, `rate limit ${name}: ${message ?? 'error'}`),
        warn: (e: unknown, message?: string) =>
          deps.logger.warn({ err: e }, `rate limit ${name}: ${message ?? 'warning'}`),
      },
      handler: (_req: Request, res: Response) => res.status(429).json(errorBody(429, message, '(request)')),
      ...more,
    });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? '');

  const perUser = limiter(
    'user',
    THROTTLE_WINDOW_MS,
    config.THROTTLE_LIMIT,
    `too many requests from this user: at most ${config.THROTTLE_LIMIT} a minute; wait and try again`,
    { skip: (req) => subject(req) === undefined, keyGenerator: (req) => subject(req)! },
  );
  const perAddress = limiter(
    'address',
    THROTTLE_WINDOW_MS,
    config.THROTTLE_ANONYMOUS_LIMIT,
    `too many requests without sign-in from this address: at most ${config.THROTTLE_ANONYMOUS_LIMIT} a minute; wait and try again`,
    {
      // the public verification of inspection codes has its own in-memory limit (its volume
      // would swamp the shared counters): check-codes/verification/verification-rate-limit.ts
      skip: (req) => isHealthCheck(req) || subject(req) !== undefined || isVerificationRequest(req),
      keyGenerator: address,
    },
  );

  const wait = `wait ${config.LOGIN_THROTTLE_WINDOW_SECONDS} s`;
  /** failed attempts only (answers of 400 and above) within the login window */
  const failures = (name: string, limit: number, message: string, keyGenerator: (req: Request) => string) =>
    limiter(name, config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000, limit, `${message}: ${wait}`, {
      skipSuccessfulRequests: true,
      keyGenerator,
    });
  const login = failures(
    'login',
    config.LOGIN_THROTTLE_LIMIT,
    'too many failed sign-ins for this user from this address',
    (req) =>
      `${address(req)}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')
        .toLowerCase()
        .slice(0, 64)}`,
  );
  // whatever the username: each failed sign-in costs a bcrypt comparison
  const loginPerAddress = failures(
    'login-address',
    config.LOGIN_THROTTLE_LIMIT * 6,
    'too many failed sign-ins from this address',
    address,
  );
  // wrong current passwords on POST /api/auth/password, per address and token (or session cookie)
  const password = failures(
    'password',
    config.LOGIN_THROTTLE_LIMIT,
    'too many wrong current passwords',
    (req) =>
      `${address(req)}|${createHash('sha256')
        .update(String(req.headers.authorization ?? `cookie:${req.headers.cookie ?? ''}`))
        .digest('hex')}`,
  );
  return { identify, perUser, perAddress, login, loginPerAddress, password, subject };
}
