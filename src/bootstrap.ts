import { INestApplicationContext, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { AppConfig, loadConfig } from './config/configuration.js';
import { ResolvedDatabase, resolveDatabase } from './database/resolve-database.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Log levels up to and including `level`. */
export function logLevels(level: AppConfig['LOG_LEVEL']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * Runs `fn` with an application context (no HTTP) on the configured database, then closes the
 * context and stops an embedded server this process started, also when `fn` throws.
 */
export async function withAppContext<T>(
  fn: (app: INestApplicationContext, config: AppConfig, db: ResolvedDatabase) => Promise<T>,
  opts: { quiet?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = await resolveDatabase(config, (m) => process.stderr.write(`${m}\n`));
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ databaseUrl: db.url, config, retryAttempts: 0 }),
      {
        logger: opts.quiet
          ? ['fatal', 'error']
          : logLevels(config.LOG_LEVEL === 'log' ? 'warn' : config.LOG_LEVEL),
        abortOnError: false,
      },
    );
    return await fn(app, config, db);
  } finally {
    await app?.close();
    await db.stop();
  }
}
