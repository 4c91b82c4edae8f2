import { UnauthorizedException } from '@nestjs/common';
import type { JwtService } from '@nestjs/jwt';
import type { TokenClaims } from './auth.service.js';

/**
 * Verifies the access token of an `Authorization: Bearer <token>` header (docs/security.md
 * "Sign-in"): HS256 with the service's secret, its issuer and audience, not expired, and the claims
 * every token of this service carries (`exp`, `sub` a user id, `ver` a token version). Whether the
 * user still exists with that token version is not checked here (AuthGuard does, against the
 * database). Used by the global AuthGuard and by the per-user rate limit (http/throttling.ts).
 * @returns the verified claims
 * @throws UnauthorizedException (401) naming what is wrong: no bearer token, expired, or not valid
 */
export async function verifyAccessToken(
  jwt: JwtService,
  authorization: string | undefined,
): Promise<TokenClaims> {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedException('sign in first: send Authorization: Bearer <access token>');
  let claims: TokenClaims & { exp?: unknown };
  try {
    claims = await jwt.verifyAsync<TokenClaims>(match[1]!);
  } catch (e) {
    throw new UnauthorizedException(
      (e as Error).name === 'TokenExpiredError'
        ? 'the access token has expired: sign in again'
        : 'the access token is not valid',
    );
  }
  // tokens this service issues always carry these; anything else was not issued by it
  if (
    typeof claims.exp !== 'number' ||
    typeof claims.sub !== 'string' ||
    !/^[1-9][0-9]{0,15}$/.test(claims.sub) ||
    !Number.isSafeInteger(claims.ver) ||
    claims.ver < 0
  )
    throw new UnauthorizedException('the access token is not valid');
  return claims;
}
