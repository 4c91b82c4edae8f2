import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import bcrypt from 'bcryptjs';
import { Actor } from '../audit/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { unprocessable } from '../http/api-errors.js';
import { AuthUser } from './auth-user.js';
import { TokenView, UserView } from './dto/user.dto.js';
import { passwordProblem, USERNAME_PATTERN } from './rules/password-policy.js';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.dummyHash = bcrypt.hash('not-a-password-0', config.BCRYPT_ROUNDS);
  }

  /**
   * Signs a user in. A failure is written to the audit trail (action `auth.login_failed`, the
   * username tried) and answers the same for an unknown user and a wrong password; a success
   * writes `auth.login`.
   * @throws UnauthorizedException (401) 'wrong username or password'
   */
  async login(username: string, password: string, actor: Actor): Promise<TokenView> {
    // Text that cannot be a username (a password typed in the wrong field, control characters)
    // is neither looked up nor kept in the audit trail.
    const wellFormed = USERNAME_PATTERN.test(username);
    const user = wellFormed ? await this.users.forLogin(username) : null;
    const ok = await bcrypt.compare(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok) {
      const tried = wellFormed ? username : '(not a username)';
      await this.audit.record(
        { ...actor, userId: user?.id ?? null, name: tried, role: 'public' },
        {
          action: 'auth.login_failed',
          entityType: 'app_user',
          entityId: user?.id ?? null,
          after: { username: tried },
        },
      );
      throw new UnauthorizedException('wrong username or password');
    }
    const { passwordHash: _h, tokenVersion, ...view } = user;
    await this.audit.record(
      { ...actor, userId: user.id, name: user.username, role: user.role, department: user.department },
      { action: 'auth.login', entityType: 'app_user', entityId: user.id },
    );
    return this.issue(view, tokenVersion);
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
   * before (this one included) stops working, and a new token is returned.
   * @throws 401 wrong current password; 422 weak new password
   */
  async changeOwnPassword(user: AuthUser, current: string, next: string, actor: Actor): Promise<TokenView> {
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
    await this.users.update(user.id, { password: next }, actor);
    const { passwordHash: _h, tokenVersion, ...view } = (await this.users.forLogin(user.username))!;
    return this.issue(view, tokenVersion);
  }
}
