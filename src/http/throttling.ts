import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/configuration.js';
import { errorBody } from './api-errors.js';

/**
 * Rate limits (express-rate-limit, in memory: one service instance), docs/security.md "Hardening".
 * `every`: THROTTLE_LIMIT requests per minute per client address on every route, public ones
 * included. `login`: LOGIN_THROTTLE_LIMIT failed sign-ins per client address and username within
 * LOGIN_THROTTLE_WINDOW_SECONDS (successful ones are not counted), against password guessing;
 * `loginPerAddress`: six times that per address whatever the username (each attempt costs a
 * bcrypt comparison on the event loop); `password`: LOGIN_THROTTLE_LIMIT wrong current passwords
 * per address and token on the password change.
 * Each answers 429 in the API error shape, with RateLimit headers (draft-8).
 */
export function rateLimiters(config: AppConfig): {
  every: RequestHandler;
  login: RequestHandler;
  loginPerAddress: RequestHandler;
  password: RequestHandler;
} {
  const limiter = (
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
      handler: (_req: Request, res: Response) => res.status(429).json(errorBody(429, message, '(request)')),
      ...more,
    });
  const wait = `wait ${config.LOGIN_THROTTLE_WINDOW_SECONDS} s`;
  /** failed attempts only (answers of 400 and above) within the login window */
  const failures = (limit: number, message: string, keyGenerator?: (req: Request) => string) =>
    limiter(config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000, limit, `${message}: ${wait}`, {
      skipSuccessfulRequests: true,
      ...(keyGenerator ? { keyGenerator } : {}),
    });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? '');

  const every = limiter(
    60_000,
    config.THROTTLE_LIMIT,
    `too many requests: at most ${config.THROTTLE_LIMIT} a minute; wait and try again`,
  );
  const login = failures(
    config.LOGIN_THROTTLE_LIMIT,
    'too many failed sign-ins for this user from this address',
    (req) =>
      `${address(req)}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')
        .toLowerCase()
        .slice(0, 64)}`,
  );
  // whatever the username: each failed sign-in costs a bcrypt comparison
  const loginPerAddress = failures(
    config.LOGIN_THROTTLE_LIMIT * 6,
    'too many failed sign-ins from this address',
  );
  // wrong current passwords on POST /api/auth/password, per address and token
  const password = failures(
    config.LOGIN_THROTTLE_LIMIT,
    'too many wrong current passwords',
    (req) =>
      `${address(req)}|${createHash('sha256')
        .update(String(req.headers.authorization ?? ''))
        .digest('hex')}`,
  );
  return { every, login, loginPerAddress, password };
}
