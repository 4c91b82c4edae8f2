import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Actor } from '../audit/actor.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { unprocessable } from '../http/api-errors.js';
import { AuthUser, RequestSession } from './auth-user.js';
import { SessionView, TokenView, UserView } from './dto/user.dto.js';
import { passwordProblem, USERNAME_PATTERN } from './rules/password-policy.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

/** Claims of an access token: `sub` user id, `ver` token version, `role`. */
export interface TokenClaims {
  sub: string;
  ver: number;
  role: string;
}

/**
 * Sign-in and access tokens (docs/security.md): username and password checked against the
 * bcrypt hash, then a short-lived HS256 JWT (JWT_TTL_SECONDS) naming the user and its token version.
 */
@Injectable()
export class AuthService {
  /** compared against when the username is unknown, at the same cost, so both answers take as long */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.dummyHash = bcrypt.hash('not-a-password-0', config.BCRYPT_ROUNDS);
  }

  /**
   * Checks a username and password. A failure is written to the audit trail (action
   * `auth.login_failed`, the username tried; `reason: 'inactive'` for a deactivated user with the
   * right password) and answers the same for an unknown user, a wrong password and a deactivated
   * user.
   * @throws UnauthorizedException (401) 'wrong username or password'
   */
  private async check(username: string, password: string, actor: Actor) {
    // Text that cannot be a username (a password typed in the wrong field, control characters)
    // is neither looked up nor kept in the audit trail.
    const wellFormed = USERNAME_PATTERN.test(username);
    const user = wellFormed ? await this.users.forLogin(username) : null;
    const ok = await bcrypt.compare(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok || !user.active) {
      const tried = wellFormed ? username : '(not a username)';
      await this.audit.record(
        { ...actor, userId: user?.id ?? null, name: tried, role: 'public' },
        {
          action: 'auth.login_failed',
          entityType: 'app_user',
          entityId: user?.id ?? null,
          after: { username: tried, ...(user && ok ? { reason: 'inactive' } : {}) },
        },
      );
      throw new UnauthorizedException('wrong username or password');
    }
    const { passwordHash: _h, tokenVersion, ...view } = user;
    return {
      view,
      tokenVersion,
      actor: { ...actor, userId: user.id, name: user.username, role: user.role, department: user.department },
    };
  }

  /**
   * Signs a user in for an access token (scripts). A failure as in `check`; a success writes
   * `auth.login`.
   * @throws UnauthorizedException (401) 'wrong username or password'
   */
  async login(username: string, password: string, actor: Actor): Promise<TokenView> {
    const { view, tokenVersion, actor: who } = await this.check(username, password, actor);
    await this.audit.record(who, { action: 'auth.login', entityType: 'app_user', entityId: view.id });
    return this.issue(view, tokenVersion);
  }

  /**
   * Signs a user in for a browser session (docs/security.md "Browser sessions"): the same check
   * and failures as `login`; the session is made in one transaction with the audit entry
   * `auth.login` (with `session`: the first 12 hex digits of the SHA-256 of its secret). Old
   * session rows are removed afterwards.
   * @returns the cookie's secret (for Set-Cookie only) and the SessionView
   * @throws UnauthorizedException (401) 'wrong username or password'
   */
  async startSession(
    username: string,
    password: string,
    actor: Actor,
    req: Request,
  ): Promise<{ secret: string; session: RequestSession; view: SessionView }> {
    const { view, tokenVersion, actor: who } = await this.check(username, password, actor);
    const made = await this.dataSource.transaction(async (m) => {
      const made = await this.sessions.create(m, { id: view.id, tokenVersion }, req);
      await appendAudit(sqlOf(m), who, {
        action: 'auth.login',
        entityType: 'app_user',
        entityId: view.id,
        after: { session: made.session.digestPrefix },
      });
      return made;
    });
    await this.sessions.cleanup();
    return { ...made, view: await this.sessions.view(view, made.session) };
  }

  /** Ends a browser session (sign-out), audited `auth.logout` with the session's digest prefix. */
  async endSession(session: RequestSession, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.sessions.end(session.id, 'sign_out', m);
      await appendAudit(sqlOf(m), actor, {
        action: 'auth.logout',
        entityType: 'app_user',
        entityId: actor.userId,
        after: { session: session.digestPrefix },
      });
    });
  }

  /** An access token for a user at a token version. */
  async issue(user: UserView, tokenVersion: number): Promise<TokenView> {
    const claims: TokenClaims = { sub: String(user.id), ver: tokenVersion, role: user.role };
    return {
      accessToken: await this.jwt.signAsync(claims),
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_TTL_SECONDS,
      user,
    };
  }

  /**
   * Changes the signed-in user's own password: the current one must be given; every token issued
   * before (this one included) and every other browser session stop working. A Bearer caller gets
   * a new token; a caller signed in by a browser session (`browser`: its request) stays signed in, on a new
   * session (new cookie secret and CSRF token: a copy of the old cookie must not outlive the old
   * password; the old session ends as `password_change`), and gets `{ user, csrfToken }` with
   * `cookie` (the new secret and end, for the controller's Set-Cookie).
   * @throws 401 wrong current password; 422 weak new password
   */
  async changeOwnPassword(
    user: AuthUser,
    current: string,
    next: string,
    actor: Actor,
    browser?: Request,
  ): Promise<TokenView | { user: UserView; csrfToken: string; cookie: { secret: string; expiresAt: Date } }> {
    const stored = await this.users.forLogin(user.username);
    if (!stored || !(await bcrypt.compare(current, stored.passwordHash))) {
      await this.audit.record(actor, {
        action: 'auth.password_change_failed',
        entityType: 'app_user',
        entityId: user.id,
        after: { reason: 'wrong current password' },
      });
      throw new UnauthorizedException('the current password is wrong');
    }
    // the policy is checked here too so that the refusal names this endpoint's field
    const problem = passwordProblem(next, user.username);
    if (problem) throw unprocessable([{ field: 'newPassword', reason: problem }]);
    // the same change as an admin's reset: new hash, token version raised, audited (the actor is the user)
    // (every session of the user ends with it, this one included)
    const view = await this.users.update(user.id, { password: next }, actor);
    const { tokenVersion } = (await this.users.forLogin(user.username))!;
    if (browser) {
      const made = await this.sessions.create(this.dataSource, { id: user.id, tokenVersion }, browser);
      return {
        user: view,
        csrfToken: made.session.csrfToken,
        cookie: { secret: made.secret, expiresAt: made.session.expiresAt },
      };
    }
    return this.issue(view, tokenVersion);
  }
}
