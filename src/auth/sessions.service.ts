import { ForbiddenException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CookieOptions, Request, Response } from 'express';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.token.js';
import { corsOrigins, type AppConfig } from '../config/configuration.js';
import { SettingsService } from '../settings/settings.service.js';
import type { AuthRequest, AuthUser, RequestSession } from './auth-user.js';
import { SessionView, UserView } from './dto/user.dto.js';
import { menuFor } from './menu.js';
import {
  CSRF_HEADER,
  ENDED_MESSAGES,
  type EndReason,
  isUnsafeMethod,
  needsTouch,
  originAllowed,
  SECRET_PATTERN,
  SESSION_COOKIE,
  sessionEnd,
  parseCookies,
  trimUserAgent,
} from './rules/session-rules.js';
import type { Role } from './roles.js';

/** Runs one statement (a DataSource, EntityManager or QueryRunner). */
type Query = { query: (sql: string, params?: unknown[]) => Promise<unknown> };

const sha256 = (s: string) => createHash('sha256').update(s).digest();
/** The CSRF token of a session: HMAC-SHA256 of a fixed label keyed with the cookie's secret, base64url. */
const csrfOf = (secret: string) => createHmac('sha256', secret).update('sv-csrf-v1').digest('base64url');

/** What the guard needs of a stored session and its user. */
interface FoundSession {
  id: number;
  userId: number;
  csrfDigest: Buffer;
  expiresAt: Date;
  lastSeenAt: Date;
  end: EndReason | null;
  storedEnd: EndReason | null;
  user: AuthUser;
}

/** The 401 of a request whose session does not apply (the message names why). */
export class SessionEndedException extends UnauthorizedException {}

/**
 * Ends the live sessions of a user (sets ended_at and the reason), in the caller's transaction.
 */
export async function endUserSessions(m: Query, userId: number, reason: EndReason): Promise<void> {
  await m.query(
    `UPDATE user_session SET ended_at = now(), ended_reason = $2 WHERE user_id = $1 AND ended_at IS NULL`,
    [userId, reason],
  );
}

/**
 * Browser sessions (docs/security.md "Browser sessions"): the cookie `sv_session` holds 32 random
 * bytes (base64url); the table user_session keeps only the SHA-256 of it and of the session's
 * CSRF token. A session lives SESSION_MAX_HOURS from sign-in at most, and ends after the bureau's
 * idle timeout (setting sessionIdleMinutes) without a request; last-seen is written at most once a
 * minute. The lookup of a request is made once and shared by the rate limiter's `identify` and
 * the AuthGuard.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly lookups = new WeakMap<Request, Promise<FoundSession | null>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The session cookie's value on a request, when it looks like one of ours. */
  secretOf(req: Request): string | undefined {
    const v = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return v !== undefined && SECRET_PATTERN.test(v) ? v : undefined;
  }

  /** Whether the request carries a session cookie at all (well-formed or not). */
  hasCookie(req: Request): boolean {
    return parseCookies(req.headers.cookie)[SESSION_COOKIE] !== undefined;
  }

  /**
   * Makes a session for a user at its token version, in the caller's transaction (the sign-in's
   * audit entry goes with it). @returns the cookie's secret (sent once, never stored), the CSRF
   * token, the absolute end and the digest prefix naming the session in the audit trail
   */
  async create(
    m: Query,
    user: { id: number; tokenVersion: number },
    req: Request,
  ): Promise<{ secret: string; session: RequestSession }> {
    const secret = randomBytes(32).toString('base64url');
    const csrfToken = csrfOf(secret);
    const digest = sha256(secret);
    const [row] = (await m.query(
      `INSERT INTO user_session (secret_digest, csrf_digest, user_id, token_version, expires_at, client_address, user_agent)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5), $6, $7)
       RETURNING id::int AS id, expires_at`,
      [
        digest,
        sha256(csrfToken),
        user.id,
        user.tokenVersion,
        this.config.SESSION_MAX_HOURS,
        req.ip ?? null,
        trimUserAgent(req.headers['user-agent']),
      ],
    )) as { id: number; expires_at: Date }[];
    return {
      secret,
      session: {
        id: row!.id,
        csrfToken,
        expiresAt: new Date(row!.expires_at),
        digestPrefix: digest.toString('hex').slice(0, 12),
      },
    };
  }

  /**
   * The stored session a request's cookie names, with its user and whether it still applies
   * (sessionEnd), looked up once per request. null without a well-formed cookie or when no
   * session has that secret.
   */
  lookup(req: Request): Promise<FoundSession | null> {
    let found = this.lookups.get(req);
    if (!found) {
      found = this.find(req);
      this.lookups.set(req, found);
    }
    return found;
  }

  private async find(req: Request): Promise<FoundSession | null> {
    const secret = this.secretOf(req);
    if (!secret) return null;
    const [r] = await this.dataSource.query(
      `SELECT s.id::int AS id, s.user_id::int AS user_id, s.csrf_digest, s.token_version AS session_version,
         s.last_seen_at, s.expires_at, s.ended_reason, clock_timestamp() AS now,
         u.username, u.display_name, u.role, u.department, u.credential_no, u.enterprise_id::int AS enterprise_id,
         e.uscc, u.token_version, (u.active AND u.deleted_at IS NULL) AS active
       FROM user_session s JOIN app_user u ON u.id = s.user_id LEFT JOIN enterprise e ON e.id = u.enterprise_id
       WHERE s.secret_digest = $1`,
      [sha256(secret)],
    );
    if (!r) return null;
    const { sessionIdleMinutes } = await this.settings.get();
    const stored = {
      lastSeenAt: new Date(r.last_seen_at),
      expiresAt: new Date(r.expires_at),
      endedReason: r.ended_reason as EndReason | null,
      tokenVersion: r.session_version as number,
      userTokenVersion: r.token_version as number,
      userActive: r.active as boolean,
    };
    return {
      id: r.id,
      userId: r.user_id,
      csrfDigest: r.csrf_digest,
      expiresAt: stored.expiresAt,
      lastSeenAt: stored.lastSeenAt,
      end: sessionEnd(stored, new Date(r.now), sessionIdleMinutes),
      storedEnd: stored.endedReason,
      user: {
        id: r.user_id,
        username: r.username,
        displayName: r.display_name,
        role: r.role as Role,
        department: r.department,
        credentialNo: r.credential_no,
        enterpriseId: r.enterprise_id,
        enterpriseUscc: r.uscc,
      },
    };
  }

  /**
   * The rate limiter's identity of a cookie request: the user id of a live session (the same
   * bucket as the user's Bearer tokens), else undefined (the request counts per address).
   */
  async subjectOf(req: Request): Promise<string | undefined> {
    const found = await this.lookup(req).catch(() => null);
    return found && !found.end ? String(found.userId) : undefined;
  }

  /**
   * Authenticates a request by its session cookie (the AuthGuard, when there is no Bearer token):
   * the session must apply (else it is marked ended, the cookie cleared, and 401 names why), the
   * Origin header, when present, must be this service or one of CORS_ORIGINS (403), and a
   * state-changing method must carry the CSRF token in X-CSRF-Token (403). Writes last-seen when
   * a minute has passed since it was last written.
   * @returns the user and the session, which the guard attaches to the request
   * @throws SessionEndedException (401); ForbiddenException (403)
   */
  async authenticate(
    req: AuthRequest,
    res: Response | undefined,
  ): Promise<{ user: AuthUser; session: RequestSession }> {
    const found = await this.lookup(req);
    if (!found || found.end) {
      if (found?.end && !found.storedEnd) await this.end(found.id, found.end);
      if (res) this.clearCookie(req, res);
      throw new SessionEndedException(
        found?.end ? ENDED_MESSAGES[found.end] : 'the session has ended or is not known here: sign in again',
      );
    }
    this.checkOrigin(req);
    const secret = this.secretOf(req)!;
    if (isUnsafeMethod(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      const ok = typeof sent === 'string' && timingSafeEqual(sha256(sent), Buffer.from(found.csrfDigest));
      if (!ok) throw new ForbiddenException('CSRF token missing or wrong: reload the page');
    }
    if (needsTouch(found.lastSeenAt, new Date()))
      await this.dataSource.query(
        `UPDATE user_session SET last_seen_at = now() WHERE id = $1 AND ended_at IS NULL`,
        [found.id],
      );
    return {
      user: found.user,
      session: {
        id: found.id,
        csrfToken: csrfOf(secret),
        expiresAt: found.expiresAt,
        digestPrefix: sha256(secret).toString('hex').slice(0, 12),
      },
    };
  }

  /**
   * Refuses (403) a browser request whose Origin header names another site than this service (its
   * scheme and Host) or CORS_ORIGINS: against cross-site requests riding on the cookie, sign-in
   * included (login CSRF).
   */
  checkOrigin(req: Request): void {
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    const origin = req.headers.origin;
    if (!originAllowed(origin, own, corsOrigins(this.config)))
      throw new ForbiddenException(`requests from ${origin} may not use this service's session`);
  }

  /** Ends one session (sign-out, idle, expired, replaced after a password change), in `m`'s transaction when given. */
  async end(id: number, reason: EndReason, m: Query = this.dataSource): Promise<void> {
    await m.query(
      `UPDATE user_session SET ended_at = now(), ended_reason = $2 WHERE id = $1 AND ended_at IS NULL`,
      [id, reason],
    );
  }

  /**
   * Removes rows of sessions that ended, expired or went idle more than a day ago (called after a
   * sign-in; cheap: a bureau has hundreds of users). A failure is logged, never refuses the sign-in.
   */
  async cleanup(): Promise<void> {
    try {
      await this.dataSource.query(
        `DELETE FROM user_session WHERE ended_at < now() - interval '1 day' OR expires_at < now() - interval '1 day'
           OR last_seen_at < now() - make_interval(mins => $1) - interval '1 day'`,
        [480],
      );
    } catch (e) {
      this.logger.warn(`removing old sessions failed: ${(e as Error).message}`);
    }
  }

  /** Cookie attributes: httpOnly, SameSite=Strict, Path=/, Secure over HTTPS or with SESSION_COOKIE_SECURE=true. */
  private cookieOptions(req: Request): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: req.secure || this.config.SESSION_COOKIE_SECURE === 'true',
    };
  }

  /** Sets the session cookie, expiring with the session's absolute end. */
  setCookie(req: Request, res: Response, secret: string, expiresAt: Date): void {
    res.cookie(SESSION_COOKIE, secret, { ...this.cookieOptions(req), expires: expiresAt });
  }

  /** Clears the session cookie (sign-out, or a session that no longer applies). */
  clearCookie(req: Request, res: Response): void {
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  /** The SessionView of a signed-in user and its session: user, CSRF token, timeouts, menu, settings. */
  async view(user: UserView, session: RequestSession): Promise<SessionView> {
    const settings = await this.settings.get();
    return {
      user,
      csrfToken: session.csrfToken,
      idleTimeoutSeconds: settings.sessionIdleMinutes * 60,
      expiresAt: session.expiresAt.toISOString(),
      menu: menuFor(user.role),
      settings: {
        enterpriseTierVisible: settings.enterpriseTierVisible,
        district: this.config.DISTRICT_NAME,
      },
    };
  }
}
