import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { actorOf, AuthRequest } from './auth-user.js';
import { verifyAccessToken } from './access-token.js';
import { IS_PUBLIC, OWN_ENTERPRISE, ROLES_KEY } from './decorators.js';
import { ScopeService } from './scope.service.js';
import { normaliseUscc } from '../common/uscc.js';
import type { Role } from './roles.js';
import { UsersService } from './users.service.js';

/**
 * The global guard (docs/security.md "Roles"): an endpoint is open only when it says so —
 * @Public() for anyone, @Roles(...) for signed-in users of those roles. An endpoint with neither
 * is closed to everyone, admins included. A token must verify (HS256, issuer, audience, not
 * expired) and its user must still exist with the same token version.
 * 401: no token, invalid, expired or revoked. 403: another role (written to the audit trail).
 * With @OwnEnterprise(), an enterprise user reaching another enterprise: 404 (ScopeService).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly scope: ScopeService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const claims = await verifyAccessToken(this.jwt, req.headers.authorization);
    const user = await this.users.forToken(Number(claims.sub), claims.ver);
    if (!user)
      throw new UnauthorizedException(
        'the access token no longer applies (user deleted or password changed): sign in again',
      );
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
    if (ownParam !== undefined)
      await this.scope.enterprise(user, normaliseUscc(String(req.params[ownParam] ?? '')), actorOf(req));
    return true;
  }
}
