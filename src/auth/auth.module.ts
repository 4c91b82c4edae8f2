import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditController } from '../audit/audit.controller.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { ScopeService } from './scope.service.js';
import { SessionsService } from './sessions.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Issuer and audience of access tokens (checked on every request). */
export const TOKEN_ISSUER = 'credit-supervision';
export const TOKEN_AUDIENCE = 'credit-supervision-api';

/** Users, sign-in, access tokens, browser sessions, the global guard's parts and scope rules. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: {
          algorithm: 'HS256',
          expiresIn: config.JWT_TTL_SECONDS,
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
      }),
    }),
  ],
  controllers: [AuthController, UsersController, AuditController],
  providers: [UsersService, AuthService, SessionsService, AuthGuard, ScopeService],
  exports: [UsersService, AuthService, SessionsService, AuthGuard, ScopeService, JwtModule],
})
export class AuthModule {}
