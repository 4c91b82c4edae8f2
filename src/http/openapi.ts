import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentIdempotencyKey } from './idempotency.js';

/**
 * The service's OpenAPI description (served at /docs and /docs-json; written to a file by
 * `npm run openapi`, checked by `redocly lint` in CI). Servers: `/`, the origin that serves the
 * description (so the /docs page tries requests on the instance it came from, wherever deployed). Every operation marked @Public() (x-roles `public`)
 * gets an explicit `security: []` (anyone, no token), every other one its bearer or cookie requirement from
 * @Roles(), so no operation leaves its security undefined. Writes document the Idempotency-Key
 * header (documentIdempotencyKey).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('信用风险分类监管服务 Credit-based risk-tiered supervision')
    .setDescription(
      'Enterprise register, credit records, credit scores and risk tiers, users and the audit trail. ' +
        'Scripts sign in with POST /api/auth/login and send Authorization: Bearer <accessToken>; ' +
        'browsers sign in with POST /api/auth/session (httpOnly cookie sv_session) and send X-CSRF-Token with every write. ' +
        'Each operation lists the roles allowed in x-roles. See README and docs/security.md.',
    )
    .setVersion('0.2.0')
    .setLicense('UNLICENSED', 'https://spdx.org/licenses/')
    .addServer('/', 'this service (the origin serving this description)')
    .addBearerAuth()
    .addCookieAuth(
      'sv_session',
      {
        type: 'apiKey',
        in: 'cookie',
        description:
          'browser session from POST /api/auth/session; writes also need the X-CSRF-Token header (docs/security.md)',
      },
      'cookie',
    )
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  for (const item of Object.values(doc.paths))
    for (const op of [item.get, item.put, item.post, item.delete, item.patch, item.options, item.head]) {
      const roles = (op as { 'x-roles'?: string[] } | undefined)?.['x-roles'];
      if (op && roles?.includes('public')) op.security = [];
    }
  return documentIdempotencyKey(doc);
}
