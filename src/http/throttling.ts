import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/configuration.js';

/** The API error shape for 429 (as ApiErrorFilter answers every other error). */
function tooMany(message: string) {
  return (_req: Request, res: Response) =>
    res.status(429).json({
      statusCode: 429,
      error: 'Too Many Requests',
      message,
      errors: [{ field: '(request)', reason: message }],
    });
}

/**
 * Rate limits (express-rate-limit, in memory: one service instance), docs/security.md "Hardening".
 * `every`: THROTTLE_LIMIT requests per minute per client address on every route, public ones
 * included. `login`: LOGIN_THROTTLE_LIMIT failed sign-ins per client address and username within
 * LOGIN_THROTTLE_WINDOW_SECONDS (successful ones are not counted), against password guessing;
 * `loginPerAddress`: six times that per address whatever the username (each attempt costs a
 * bcrypt comparison on the event loop); `password`: LOGIN_THROTTLE_LIMIT wrong current passwords
 * per address and token on the password change.
 * Both answer 429 in the API error shape, with RateLimit headers (draft-8).
 */
export function rateLimiters(config: AppConfig): {
  every: RequestHandler;
  login: RequestHandler;
  loginPerAddress: RequestHandler;
  password: RequestHandler;
} {
  const every = rateLimit({
    windowMs: 60_000,
    limit: config.THROTTLE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany(`too many requests: at most ${config.THROTTLE_LIMIT} a minute; wait and try again`),
  });
  const login = rateLimit({
    windowMs: config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    limit: config.LOGIN_THROTTLE_LIMIT,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) =>
      `${ipKeyGenerator(req.ip ?? '')}|${String(
        (req.body as { username?: unknown } | undefined)?.username ?? '',
      )
        .toLowerCase()
        .slice(0, 64)}`,
    handler: tooMany(
      `too many failed sign-ins for this user from this address: wait ${config.LOGIN_THROTTLE_WINDOW_SECONDS} s`,
    ),
  });
  // failed sign-ins from one address whatever the username: each costs a bcrypt comparison
  const loginPerAddress = rateLimit({
    windowMs: config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    limit: config.LOGIN_THROTTLE_LIMIT * 6,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany(
      `too many failed sign-ins from this address: wait ${config.LOGIN_THROTTLE_WINDOW_SECONDS} s`,
    ),
  });
  // wrong current passwords on POST /api/auth/password, per address and token
  const password = rateLimit({
    windowMs: config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    limit: config.LOGIN_THROTTLE_LIMIT,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) =>
      `${ipKeyGenerator(req.ip ?? '')}|${createHash('sha256')
        .update(String(req.headers.authorization ?? ''))
        .digest('hex')}`,
    handler: tooMany(`too many wrong current passwords: wait ${config.LOGIN_THROTTLE_WINDOW_SECONDS} s`),
  });
  return { every, login, loginPerAddress, password };
}
