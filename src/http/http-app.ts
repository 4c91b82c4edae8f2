import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { SessionsService } from '../auth/sessions.service.js';
import { AppConfig, corsOrigins } from '../config/configuration.js';
import { StorableTextPipe, validationPipe } from './api-errors.js';
import { openApiDocument } from './openapi.js';
import { createPino, PinoNestLogger, requestLogger } from './request-log.js';
import { verificationRateLimit } from '../check-codes/verification/verification-rate-limit.js';
import { rateLimiters } from './throttling.js';
import { serveWebPages } from './web-pages.js';

/**
 * Builds the HTTP application. Middleware in order: JSON request log with request ids (pino-http),
 * Helmet security headers, CORS for the configured origins only, body size limit (BODY_LIMIT),
 * rate limits (per signed-in user, by token or session cookie; per address without sign-in;
 * /health outside them; the inspection-code verification per address in memory; failed sign-ins, by token or by browser session alike), counted in PostgreSQL across instances. Then the global AuthGuard, unstorable
 * characters refused (422 by field), validation (422 by field), and OpenAPI at /docs (JSON at
 * /docs-json) with bearer sign-in, and the built pages with their history fallback (web-pages.ts).
 */
export async function createHttpApp(
  databaseUrl: string,
  config: AppConfig,
  logger = createPino(config),
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      databaseUrl,
      config,
      scheduler: config.NIGHTLY_SCORING === 'on' && config.NODE_ENV !== 'test',
    }),
    {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
    },
  );
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.use(requestLogger(logger));
  // upgrade-insecure-requests is left out: on plain HTTP inside the bureau's network (by address,
  // not localhost) it would send the OpenAPI page's own scripts to https and break it
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  const origins = corsOrigins(config);
  app.enableCors({
    origin: origins.length ? origins : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key', 'X-CSRF-Token'],
    // a listed origin may use the browser session (the cookie is SameSite=Strict all the same)
    credentials: true,
    exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.BODY_LIMIT, extended: false });
  const dataSource = app.get(DataSource);
  const sessions = app.get(SessionsService);
  const limits = rateLimiters(config, {
    run: (sql, params) => dataSource.query(sql, params),
    jwt: app.get(JwtService),
    sessionSubject: (req) => sessions.subjectOf(req),
    logger,
  });
  // answers of the API hold personal and supervisory data: never kept by a browser or a proxy
  // (shared computers at the bureau; the back button after sign-out)
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(limits.identify, limits.perUser, limits.perAddress, verificationRateLimit(config, limits.subject));
  // a browser's sign-in is a sign-in: the same limits, counted together
  app.use(['/api/auth/login', '/api/auth/session'], (req: Request, res: Response, next: NextFunction) =>
    req.method === 'POST'
      ? limits.loginPerAddress(req, res, (e?: unknown) => (e ? next(e) : limits.login(req, res, next)))
      : next(),
  );
  app.use('/api/auth/password', limits.password);
  app.useGlobalPipes(new StorableTextPipe(), validationPipe());
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
  });
  serveWebPages(app);
  return app;
}
