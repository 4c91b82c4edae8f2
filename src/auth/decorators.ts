import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Actor } from '../audit/actor.js';
import { actorOf, AuthRequest, AuthUser } from './auth-user.js';
import type { Role } from './roles.js';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';
export const OWN_ENTERPRISE = 'auth:own-enterprise';
export const RISK_TIER = 'auth:risk-tier';

/**
 * Open to anyone, signed in or not (role `public`; OpenAPI `security: []`, http/openapi.ts).
 * Rate-limited like every endpoint (a request without a valid token per address,
 * THROTTLE_ANONYMOUS_LIMIT a minute) unless `rateLimited: false`, which only documents it: the
 * limiter itself leaves out /health by its path (http/throttling.ts isHealthCheck). Without this
 * or @Roles an endpoint is closed to everyone (the guard's default).
 */
export function Public({ rateLimited = true }: { rateLimited?: boolean } = {}): MethodDecorator &
  ClassDecorator {
  return applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    ApiExtension('x-roles', ['public']),
    ...(rateLimited
      ? [
          ApiTooManyRequestsResponse({
            description:
              'rate limit reached (THROTTLE_ANONYMOUS_LIMIT a minute per address without a valid token)',
          }),
        ]
      : []),
  );
}

/**
 * Only signed-in users of these roles (Authorization: Bearer <token>, or the browser session
 * cookie with X-CSRF-Token on writes): 401 without a valid token or live session, 403 for other
 * roles (and a cookie write without its CSRF token). Scope rules (own enterprise, own department)
 * are checked by the handler.
 */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiCookieAuth('cookie'),
    ApiExtension('x-roles', roles),
    ApiUnauthorizedResponse({ description: 'no token, or an expired or revoked one' }),
    ApiTooManyRequestsResponse({
      description: 'rate limit reached (THROTTLE_LIMIT a minute per signed-in user)',
    }),
    ApiForbiddenResponse({
      description: `role not one of: ${roles.join(', ')}; or outside the user's scope`,
    }),
  );
}

/**
 * An enterprise user may use this endpoint for its own enterprise only: the path parameter
 * `param` (a USCC) must be its own, or the answer is 404 as for an unregistered USCC (so
 * existence does not leak), and the refusal is audited. Checked by the AuthGuard (ScopeService).
 */
export function OwnEnterprise(param = 'uscc'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(OWN_ENTERPRISE, param),
    ApiNotFoundResponse({ description: 'for an enterprise user: not its own enterprise' }),
  );
}

/**
 * The answer shows the enterprise's risk tier or score: an enterprise user gets it only when the
 * bureau shows tiers to enterprises (setting enterpriseTierVisible, default off; domain.md 4),
 * else 403, audited. Checked by the AuthGuard (ScopeService.riskTier); other roles unaffected.
 */
export function RiskTier(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(RISK_TIER, true),
    ApiForbiddenResponse({
      description:
        "for an enterprise user while the bureau does not show risk tiers to enterprises (setting enterpriseTierVisible); or another role, or outside the user's scope",
    }),
  );
}

/** The signed-in user (set by the AuthGuard). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<AuthRequest>().user!,
);

/** The audit actor of this request (user, role, department, request id). */
export const RequestActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor =>
  actorOf(ctx.switchToHttp().getRequest<AuthRequest>()),
);
