import { STATUS_CODES } from 'node:http';
import {
  ArgumentMetadata,
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  PipeTransform,
  UnprocessableEntityException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UsccError } from '../common/uscc.js';
import { StoredResponse } from './idempotency.js';
import { unstorableInValue } from '../common/text-check.js';
import { isConnectionLost } from '../database/connection-lost.js';
import { registeredUscc } from '../enterprises/registered-uscc.js';

/** One field-level problem in a request. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** 422 with a field-by-field body: `{ statusCode, error, message, errors: [{ field, reason }] }`. */
export function unprocessable(errors: FieldProblem[]): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Global pipe in front of validation: a body, query or path value holding a character that
 * cannot be stored (NUL, a lone surrogate, a noncharacter such as U+FFFE, U+FFFD; the one check
 * of common/text-check.ts, which the importers apply to every CSV field) answers 422 naming each
 * field, before anything reaches a service or the database. A DTO class with a static
 * `acceptsAnyText = true` is left to its own checks (the sign-in body: any bad username answers
 * 401 and is audited, docs/security.md).
 * @throws UnprocessableEntityException `{ errors: [{ field, reason }] }` (field: `name`, `details.note`, `tags[1]`)
 */
export class StorableTextPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value; // the actor, the request user: not client text
    if ((metadata.metatype as { acceptsAnyText?: boolean } | undefined)?.acceptsAnyText) return value;
    const problems = unstorableInValue(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (problems.length) throw unprocessable(problems);
    return value;
  }
}

/** Global validation: unknown fields refused, types converted, errors answered 422 by field. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => unprocessable(flatten(errors)),
  });
}

/**
 * Path parameter pipe: normalises a USCC (`normaliseUscc`: NFKC, whitespace and format characters
 * removed, upper case) and validates it (GB 32100-2015, `parseUscc`: hints for look-alike letters
 * and spreadsheet damage). A code that fails only its check character is accepted when the
 * register holds it flagged `uscc_check_char_failed` (kept by `import register
 * --accept-bad-check-char`), so such an enterprise is reachable under its code as issued.
 * @throws 422 naming the rule that failed (spreadsheet, registration number, length, alphabet, position 17, position 18)
 */
@Injectable()
export class UsccPipe implements PipeTransform<string, Promise<string>> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async transform(value: string): Promise<string> {
    try {
      return await registeredUscc((sql, params) => this.dataSource.query(sql, params), value);
    } catch (e) {
      if (e instanceof UsccError) throw unprocessable([{ field: 'uscc', reason: e.message }]);
      throw e;
    }
  }
}

/** The API error shape with one field at fault: `{ statusCode, error, message, errors: [{ field, reason }] }`. */
export function errorBody(status: number, message: string, field: string) {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    errors: [{ field, reason: message }],
  };
}

/**
 * Every error answers `{ statusCode, error, message, errors: [{ field, reason }] }`; PostgreSQL
 * errors that reach the API become 409 (unique) or 422 (check, format), a lost database
 * connection 503 with Retry-After (database/connection-lost.ts), others 500 (logged).
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    // a retry with an Idempotency-Key: the first answer again, as it was sent (http/idempotency.ts)
    if (exception instanceof StoredResponse) return exception.replay(res);
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const obj =
        typeof body === 'string'
          ? { statusCode: exception.getStatus(), message: body }
          : (body as Record<string, unknown>);
      // every error answers with the same shape: { statusCode, error, message, errors: [{ field, reason }] }
      const errors = Array.isArray(obj.errors)
        ? obj.errors
        : [{ field: '(request)', reason: String(obj.message ?? exception.message) }];
      const status = exception.getStatus();
      res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', ...obj, errors });
      return;
    }
    const pgCode =
      (exception as { driverError?: { code?: string }; code?: string })?.driverError?.code ??
      (exception as { code?: string })?.code;
    const send = (status: number, message: string, field: string) =>
      res.status(status).json(errorBody(status, message, field));
    if (pgCode === '23505')
      return void send(
        HttpStatus.CONFLICT,
        (exception as { driverError?: { detail?: string } })?.driverError?.detail ?? 'already exists',
        '(record)',
      );
    if (exception instanceof RangeError) return void send(400, 'the request is nested too deeply', '(body)');
    // the database went away (stopped, restarting, network cut): a passing outage, not a bug
    if (isConnectionLost(exception)) {
      this.logger.warn(`database not answering: ${(exception as Error).message}`);
      res.setHeader('Retry-After', '10');
      return void send(
        HttpStatus.SERVICE_UNAVAILABLE,
        'the database is not answering: try again in a moment (GET /health shows when it is back)',
        '(service)',
      );
    }
    // check violations and data errors (bad text, numbers or dates out of range, NUL characters)
    if (pgCode === '23514' || (pgCode !== undefined && pgCode.startsWith('22')))
      return void send(422, (exception as Error).message, '(record)');
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res
      .status(500)
      .json({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', errors: [] });
  }
}
