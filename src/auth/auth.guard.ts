import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Response } from 'express';
import { actorOf, AuthRequest, AuthUser } from './auth-user.js';
import { verifyAccessToken } from './access-token.js';
import { IS_PUBLIC, OWN_ENTERPRISE, RISK_TIER, ROLES_KEY } from './decorators.js';
import { ScopeService } from './scope.service.js';
import { normaliseUscc } from '../common/uscc.js';
import type { Role } from './roles.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

/**
 * The global guard (docs/security.md "Roles"): an endpoint is open only when it says so —
 * @Public() for anyone, @Roles(...) for signed-in users of those roles. An endpoint with neither
 * is closed to everyone, admins included. A request is signed in by an `Authorization: Bearer`
 * token when it carries one (HS256, issuer, audience, not expired, its user still existing and
 * active with the same token version), else by the browser session cookie `sv_session`
 * (SessionsService.authenticate: a live session, an allowed Origin, X-CSRF-Token on writes).
 * 401: no token or session, invalid, expired, idle or revoked. 403: another role (written to the
 * audit trail), a cookie write without its CSRF token, a foreign Origin.
 * With @OwnEnterprise(), an enterprise user reaching another enterprise: 404 (ScopeService).
 * With @RiskTier(), an enterprise user while the bureau hides tiers from enterprises: 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly scope: ScopeService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const user = await this.signedIn(req, ctx.switchToHttp().getResponse<Response>());
    req.user = user;
    if (!roles.includes(user.role)) {
      const endpoint = `${req.method} ${req.route?.path ?? req.path}`;
      const reason = roles.length
        ? `role ${user.role} may not use ${endpoint} (allowed: ${roles.join(', ')})`
        : `${endpoint} declares no roles: closed to everyone`;
      await this.scope.deny(actorOf(req), 'endpoint', endpoint, reason);
      throw new ForbiddenException(reason);
    }
    const ownParam = this.reflector.getAllAndOverride<string | undefined>(OWN_ENTERPRISE, targets);
    const uscc = ownParam === undefined ? undefined : normaliseUscc(String(req.params[ownParam] ?? ''));
    if (uscc !== undefined) await this.scope.enterprise(user, uscc, actorOf(req));
    if (this.reflector.getAllAndOverride<boolean>(RISK_TIER, targets))
      await this.scope.riskTier(user, uscc ?? null, actorOf(req));
    return true;
  }

  /** The user of a Bearer token, else of the session cookie; 401 with neither. */
  private async signedIn(req: AuthRequest, res: Response): Promise<AuthUser> {
    if (req.headers.authorization === undefined && this.sessions.hasCookie(req)) {
      const { user, session } = await this.sessions.authenticate(req, res);
      req.authSession = session;
      return user;
    }
    const claims = await verifyAccessToken(this.jwt, req.headers.authorization);
    const user = await this.users.forToken(Number(claims.sub), claims.ver);
    if (!user)
      throw new UnauthorizedException(
        'the access token no longer applies (user deleted or deactivated, password changed, or signed out everywhere): sign in again',
      );
    return user;
  }
}
