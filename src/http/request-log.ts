import { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/configuration.js';

const PINO_LEVEL: Record<AppConfig['LOG_LEVEL'], string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** A caller's request id is kept when it is a plain token; otherwise a UUID is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The service's pino logger: JSON lines on stdout. Request lines carry no headers but the user
 * agent (so no Authorization or Cookie); the redaction guards against any that are logged.
 */
export function createPino(config: AppConfig): Pino {
  return pino({
    level: PINO_LEVEL[config.LOG_LEVEL],
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  });
}

/**
 * Structured JSON request log (pino-http): one line per request with its id, method, url,
 * status, response time, client address, user agent and the signed-in user. The request id comes from X-Request-Id when
 * given, else a new UUID, and is sent back in X-Request-Id; audit entries carry it.
 */
export function requestLogger(logger: Pino) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // the request line and the status, not every header: the log is for finding a request again
    serializers: {
      req: (req: {
        id: unknown;
        method: string;
        url: string;
        remoteAddress?: string;
        headers: Record<string, unknown>;
      }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        userAgent: req.headers['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req: IncomingMessage) => {
      const user = (req as IncomingMessage & { user?: { username: string; role: string } }).user;
      return user ? { user: user.username, role: user.role } : {};
    },
  });
}

/** NestJS's logger on pino, so framework and service messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}
  private ctx(args: unknown[]): { context?: string } {
    const c = args[args.length - 1];
    return typeof c === 'string' ? { context: c } : {};
  }
  log(message: unknown, ...args: unknown[]) {
    this.pino.info(this.ctx(args), String(message));
  }
  error(message: unknown, ...args: unknown[]) {
    const [stack] = args;
    this.pino.error({ ...this.ctx(args), stack: args.length > 1 ? stack : undefined }, String(message));
  }
  warn(message: unknown, ...args: unknown[]) {
    this.pino.warn(this.ctx(args), String(message));
  }
  debug(message: unknown, ...args: unknown[]) {
    this.pino.debug(this.ctx(args), String(message));
  }
  verbose(message: unknown, ...args: unknown[]) {
    this.pino.trace(this.ctx(args), String(message));
  }
  fatal(message: unknown, ...args: unknown[]) {
    this.pino.fatal(this.ctx(args), String(message));
  }
}
