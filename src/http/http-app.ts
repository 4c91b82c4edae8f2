import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from '../app.module.js';
import { AppConfig } from '../config/configuration.js';
import { StorableTextPipe, validationPipe } from './api-errors.js';
import { createPino, PinoNestLogger, requestLogger } from './request-log.js';
import { rateLimiters } from './throttling.js';

/**
 * Builds the HTTP application. Middleware in order: JSON request log with request ids (pino-http),
 * Helmet security headers, CORS for the configured origins only, body size limit (BODY_LIMIT),
 * rate limits (every route; failed sign-ins). Then the global AuthGuard, unstorable characters
 * refused (422 by field), validation (422 by field), and OpenAPI at /docs (JSON at /docs-json) with bearer sign-in.
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
  const origins = config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  app.enableCors({
    origin: origins.length ? origins : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  });
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.BODY_LIMIT, extended: false });
  const limits = rateLimiters(config);
  app.use(limits.every);
  app.use('/api/auth/login', limits.loginPerAddress, limits.login);
  app.use('/api/auth/password', limits.password);
  app.useGlobalPipes(new StorableTextPipe(), validationPipe());
  const doc = new DocumentBuilder()
    .setTitle('信用风险分类监管服务 Credit-based risk-tiered supervision')
    .setDescription(
      'Enterprise register, credit records, credit scores and risk tiers, users and the audit trail. ' +
        'Sign in with POST /api/auth/login and send Authorization: Bearer <accessToken>. ' +
        'Each operation lists the roles allowed in x-roles. See README and docs/security.md.',
    )
    .setVersion('0.2.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
