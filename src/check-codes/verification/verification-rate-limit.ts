import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { parseNetworks } from '../../common/networks.js';
import type { AppConfig } from '../../config/configuration.js';
import { errorBody } from '../../http/api-errors.js';
import { tooManyPage } from './verification-page.js';

/** The window of the verification limit, ms. */
export const VERIFY_WINDOW_MS = 60_000;

/** The limit as OpenAPI describes it. */
export const VERIFY_LIMIT_TEXT =
  'rate limit reached: VERIFY_RATE_LIMIT verifications a minute per client address (default 60; signed-in users and addresses in BUREAU_NETWORKS are not limited)';

const PAGE = /^\/v(\/[^/]*)?\/?$/i;
const JSON_PATH = /^\/api\/check-codes\/[^/]+\/verification\/?$/i;

/**
 * True for the public verification routes (/v, /v/<code>, GET /api/check-codes/:code/verification;
 * any case: Express routes ignore it, and the QR code carries an upper-cased URL). They have their
 * own limit (verificationRateLimit), outside the general per-address one counted in PostgreSQL.
 */
export function isVerificationRequest(req: Request): boolean {
  return PAGE.test(req.path) || JSON_PATH.test(req.path);
}

/**
 * The per-address limit of verifications (docs/security.md "Inspection codes: verification"):
 * VERIFY_RATE_LIMIT requests a minute per client address (IPv6 by /56, as the general limits),
 * in express-rate-limit's memory store: a counter in each instance's memory, 1 µs a request,
 * where the general limits' shared PostgreSQL counter costs a round trip (about 0.4 ms) and caps
 * the service near 2,000 counted requests a second. The trade-off: with n instances behind a load
 * balancer an address may make up to n × the limit. Not limited: signed-in users (their own
 * per-user limit applies) and addresses in BUREAU_NETWORKS (the bureau's own offices and systems).
 * Over the limit: 429 with RateLimit headers (IETF draft 8) and Retry-After, as a Chinese page
 * for /v and in the API error shape for the JSON.
 * @param subject the signed-in user of a request, as the general limiters identified it (throttling.ts)
 */
export function verificationRateLimit(
  config: AppConfig,
  subject: (req: Request) => string | undefined,
): RequestHandler {
  const bureau = parseNetworks(config.BUREAU_NETWORKS);
  const limiter = rateLimit({
    windowMs: VERIFY_WINDOW_MS,
    limit: config.VERIFY_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    skip: (req) => subject(req) !== undefined || bureau.has(req.ip),
    handler: (req: Request, res: Response) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(
        1,
        Math.ceil(((reset?.getTime() ?? Date.now() + VERIFY_WINDOW_MS) - Date.now()) / 1000),
      );
      res.setHeader('Retry-After', String(seconds));
      if (JSON_PATH.test(req.path)) {
        res
          .status(429)
          .json(
            errorBody(
              429,
              `too many verifications from this address: at most ${config.VERIFY_RATE_LIMIT} a minute; wait ${seconds} s`,
              '(request)',
            ),
          );
        return;
      }
      res
        .status(429)
        .setHeader('Content-Type', 'text/html; charset=utf-8')
        .setHeader('Cache-Control', 'no-store')
        .send(tooManyPage(config.DISTRICT_NAME, config.BUREAU_PHONE, seconds, config.BUREAU_PHONE_NAME));
    },
  });
  return (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' || req.method === 'HEAD'
      ? isVerificationRequest(req)
        ? limiter(req, res, next)
        : next()
      : next();
}
