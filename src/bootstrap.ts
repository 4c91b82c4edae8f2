import { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { AppModule } from './app.module.js';
import { AppConfig, loadConfig } from './config/configuration.js';
import { DatabaseGoneError, isConnectionLost } from './database/connection-lost.js';
import { ResolvedDatabase, resolveDatabase } from './database/resolve-database.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Log levels up to and including `level`. */
export function logLevels(level: AppConfig['LOG_LEVEL']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** True when the database at `url` accepts a connection and answers `SELECT 1` within 3 s. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The CLI's logger: one line per message on standard error (`warn: <message> (<context>)`), never
 * a stack trace. The command's own failure is printed once by the CLI (cli.ts), not here.
 */
export class OneLineLogger implements LoggerService {
  constructor(private levels: LogLevel[]) {}
  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.includes(level)) return;
    const text =
      message instanceof Error ? message.message : typeof message === 'string' ? message : String(message);
    // Nest passes (message, context) or, for errors, (message, stack, context)
    const context = rest.length ? rest[rest.length - 1] : undefined;
    const where = typeof context === 'string' && !context.includes('\n') ? ` (${context})` : '';
    process.stderr.write(`${level}: ${text.split('\n')[0]}${where}\n`);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
}

/**
 * Runs `fn` with an application context (no HTTP) on the configured database, then closes the
 * context and leaves an embedded server this process uses (stopped unless another live process
 * uses it), also when `fn` throws. Logs go through OneLineLogger; errors while the context starts
 * (database refused, migration failed) are not logged but thrown, so the CLI prints them once.
 */
export async function withAppContext<T>(
  fn: (app: INestApplicationContext, config: AppConfig, db: ResolvedDatabase) => Promise<T>,
  opts: { quiet?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = await resolveDatabase(config, (m) => process.stderr.write(`${m}\n`));
  const levels = opts.quiet
    ? (['fatal', 'error'] as LogLevel[])
    : logLevels(config.LOG_LEVEL === 'log' ? 'warn' : config.LOG_LEVEL);
  let app: INestApplicationContext | undefined;
  let failed = false;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ databaseUrl: db.url, config, retryAttempts: 0 }),
      { logger: new OneLineLogger(levels.filter((l) => l !== 'error')), abortOnError: false },
    );
    app.useLogger(new OneLineLogger(levels));
    return await fn(app, config, db);
  } catch (e) {
    failed = true;
    // a driver error that does not say so (a rollback on a released connection, say) while the
    // database no longer answers: report the database, not the symptom
    if (!isConnectionLost(e) && !(await answers(db.url))) throw new DatabaseGoneError(e);
    throw e;
  } finally {
    // after a failure (the database gone, say) closing may fail too: the first error is the one reported
    await app?.close().catch((e: unknown) => {
      if (!failed) throw e;
    });
    await db.stop();
  }
}
