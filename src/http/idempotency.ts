import {
  applyDecorators,
  BadRequestException,
  CallHandler,
  ConflictException,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthRequest } from '../auth/auth-user.js';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey, requestFingerprint } from '../common/idempotency-key.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';

/**
 * Idempotency-Key on API writes (IETF httpapi draft "The Idempotency-Key HTTP Header Field";
 * docs/security.md "Idempotency-Key"). A global interceptor: on every POST, PATCH and DELETE of a
 * signed-in user carrying the header,
 * - the first request with a key reserves it (a row of `idempotency_key`, per user and key) and
 *   runs; its answer (status, content type, body) is stored before it is sent;
 * - a retry with the same key and the same request (method, path, body) answers the stored
 *   answer again, stores nothing (`Idempotent-Replayed: true`);
 * - the same key with another request answers 422; while the first is still running, 409;
 * - an answer of 500 or more is not kept (the key is released: the retry runs again).
 * Keys expire after IDEMPOTENCY_KEY_TTL_SECONDS. The store is PostgreSQL, so it holds across
 * service instances. Operations marked @NoIdempotencyKey ignore the header.
 *
 * Written here rather than taken from @node-idempotency/nestjs 1.0.4: that package is CommonJS
 * requiring `@nestjs/common` (ESM-only in NestJS 12, so Jest cannot load it, as with
 * @nestjs/throttler: docs/architecture.md), declares NestJS 9-10 only, and stores in memory or
 * Redis, not PostgreSQL.
 */

/** Methods that take the header. */
const METHODS = new Set(['POST', 'PATCH', 'DELETE']);
/** How long a reservation holds while its request runs; a key still in flight after it is taken over. */
export const IDEMPOTENCY_LEASE_SECONDS = 300;
const SKIP = 'idempotency:skip';

/**
 * Marks an operation whose Idempotency-Key is ignored (with the reason, shown in the OpenAPI
 * description as `x-idempotency-key`): e.g. answers carrying an access token, never stored.
 */
export function NoIdempotencyKey(reason: string): MethodDecorator {
  return applyDecorators(SetMetadata(SKIP, reason), ApiExtension('x-idempotency-key', `ignored: ${reason}`));
}

/** A stored answer, replayed by the error filter exactly as it was first sent. */
export class StoredResponse {
  constructor(
    readonly status: number,
    readonly contentType: string | null,
    readonly body: string,
  ) {}

  /** Writes the stored answer to `res`, marked `Idempotent-Replayed: true`. */
  replay(res: Response): void {
    res.status(this.status).setHeader('Idempotent-Replayed', 'true');
    if (this.contentType) res.setHeader('Content-Type', this.contentType);
    res.send(this.body);
  }
}

type Reservation =
  | { kind: 'reserved' }
  | { kind: 'mismatch'; method: string; path: string }
  | { kind: 'in_flight' }
  | { kind: 'done'; stored: StoredResponse };

/** The interceptor (registered globally as APP_INTERCEPTOR in AppModule). */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  /**
   * @throws BadRequestException (400) a malformed header; UnprocessableEntityException (422) the
   *   key used for another request; ConflictException (409) the first request with the key is
   *   still running; StoredResponse (the replay) for a retry
   */
  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const raw = req.headers['idempotency-key'];
    if (raw === undefined || !METHODS.has(req.method) || !req.user) return next.handle();
    if (this.reflector.get<string>(SKIP, ctx.getHandler())) return next.handle();
    const parsed = parseIdempotencyKey(raw);
    if ('error' in parsed)
      throw new BadRequestException({
        message: `${IDEMPOTENCY_HEADER}: ${parsed.error}`,
        errors: [{ field: `${IDEMPOTENCY_HEADER} (header)`, reason: parsed.error }],
      });
    const userId = req.user.id;
    const key = parsed.key;
    const fingerprint = requestFingerprint(req.method, req.originalUrl, req.body);
    const r = await this.reserve(userId, key, fingerprint, req.method, req.originalUrl);
    switch (r.kind) {
      case 'mismatch':
        throw new UnprocessableEntityException({
          message: `${IDEMPOTENCY_HEADER} '${key}' was used for another request (${r.method} ${r.path} with another body); use a new key`,
          errors: [{ field: `${IDEMPOTENCY_HEADER} (header)`, reason: 'used for another request' }],
        });
      case 'in_flight':
        throw new ConflictException({
          message: `the first request with ${IDEMPOTENCY_HEADER} '${key}' is still being processed; retry later`,
          errors: [
            { field: `${IDEMPOTENCY_HEADER} (header)`, reason: 'a request with this key is in flight' },
          ],
        });
      case 'done':
        throw r.stored;
      default:
        this.captureAnswer(ctx.switchToHttp().getResponse<Response>(), userId, key);
        return next.handle();
    }
  }

  /** Reserves the key in one statement (atomic across instances), or says what holds it. */
  private async reserve(
    userId: number,
    key: string,
    fingerprint: string,
    method: string,
    path: string,
  ): Promise<Reservation> {
    // expired keys go a hundred at a time, on the way
    await this.dataSource.query(
      `DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key WHERE expires_at < now() LIMIT 100)`,
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      const reserved = await this.dataSource.query(
        `INSERT INTO idempotency_key (user_id, key, fingerprint, method, path, state, locked_until, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'in_flight', now() + make_interval(secs => $6), now() + make_interval(secs => $7))
         ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, method = EXCLUDED.method,
           path = EXCLUDED.path, state = 'in_flight', status = NULL, content_type = NULL, body = NULL,
           created_at = now(), locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
         WHERE idempotency_key.expires_at < now()
            OR (idempotency_key.state = 'in_flight' AND idempotency_key.locked_until < now()
                AND idempotency_key.fingerprint = EXCLUDED.fingerprint)
         RETURNING 1`,
        [
          userId,
          key,
          fingerprint,
          method,
          path,
          IDEMPOTENCY_LEASE_SECONDS,
          this.config.IDEMPOTENCY_KEY_TTL_SECONDS,
        ],
      );
      if (reserved.length) return { kind: 'reserved' };
      const [row] = await this.dataSource.query(
        `SELECT fingerprint, method, path, state, status, content_type AS "contentType", body
           FROM idempotency_key WHERE user_id = $1 AND key = $2`,
        [userId, key],
      );
      if (!row) continue; // released in between (an answer of 500 or more): try again
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch', method: row.method, path: row.path };
      if (row.state === 'in_flight') return { kind: 'in_flight' };
      return { kind: 'done', stored: new StoredResponse(row.status, row.contentType, row.body ?? '') };
    }
    throw new ConflictException(`${IDEMPOTENCY_HEADER} '${key}' is being reserved and released repeatedly`);
  }

  /**
   * Stores the answer when it is sent (the first res.send: res.json and the error filter go
   * through it), before the client receives it, so a retry never finds the key still in flight
   * after the answer. An answer of 500 or more releases the key instead.
   */
  private captureAnswer(res: Response, userId: number, key: string): void {
    const send = res.send;
    res.send = ((body?: unknown) => {
      res.send = send;
      const status = res.statusCode;
      const text =
        body === undefined
          ? ''
          : Buffer.isBuffer(body)
            ? body.toString('utf8')
            : typeof body === 'string'
              ? body
              : JSON.stringify(body);
      const contentType =
        (res.getHeader('Content-Type') as string | undefined) ??
        (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)
          ? 'application/json; charset=utf-8'
          : null);
      const store =
        status >= 500
          ? this.dataSource.query(`DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2`, [
              userId,
              key,
            ])
          : this.dataSource.query(
              `UPDATE idempotency_key SET state = 'done', status = $3, content_type = $4, body = $5
                WHERE user_id = $1 AND key = $2`,
              [userId, key, status, contentType, text],
            );
      store
        .catch((e: unknown) => this.logger.error(`storing the answer of key ${key}: ${(e as Error).message}`))
        .finally(() => send.call(res, body));
      return res;
    }) as Response['send'];
  }
}

/**
 * Documents the header on every POST, PATCH and DELETE operation of the OpenAPI description
 * (those marked @NoIdempotencyKey aside), with the 409 and 422 it may answer.
 */
export function documentIdempotencyKey(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths))
    for (const method of ['post', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op || (op as unknown as Record<string, unknown>)['x-idempotency-key']) continue;
      op.parameters = [
        ...(op.parameters ?? []),
        {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: false,
          schema: { type: 'string', maxLength: 255 },
          example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
          description:
            'IETF httpapi Idempotency-Key: a retry with the same key and request answers as the first time and stores nothing twice; keys are per user and kept 24 h (IDEMPOTENCY_KEY_TTL_SECONDS). Replays carry Idempotent-Replayed: true.',
        },
      ];
      const note = (code: string, text: string) => {
        const given = op.responses?.[code] as { description?: string } | undefined;
        op.responses = {
          ...op.responses,
          [code]: { ...given, description: given?.description ? `${given.description}; or ${text}` : text },
        };
      };
      note('409', 'the first request with this Idempotency-Key is still being processed');
      note('422', 'an Idempotency-Key used for another request');
    }
  return doc;
}
