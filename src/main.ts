import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createPino, PinoNestLogger } from './http/request-log.js';
import { loadConfig } from './config/configuration.js';
import { resolveDatabase } from './database/resolve-database.js';
import { systemActor } from './audit/actor.js';
import { UsersService } from './auth/users.service.js';
import { loadDemoCode } from './check-codes/codes/demo-codes.js';
import { demoCredentials, loadDemoData } from './demo/demo-data.js';
import { DatabaseWatchdog, watchDatabase } from './health/database-watchdog.js';
import { createHttpApp } from './http/http-app.js';

/**
 * HTTP entry: configuration, database (DATABASE_URL or embedded), demo data when empty, listen,
 * then watch the database (health/database-watchdog.ts: exits 1 after DATABASE_DOWN_EXIT_SECONDS
 * without it). SIGINT/SIGTERM: close, leave the embedded server (stopped unless a CLI still uses
 * it), exit 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // every line of the service is JSON (pino), from the first
  const pino = createPino(config);
  Logger.overrideLogger(new PinoNestLogger(pino));
  const logger = new Logger('Main');
  const db = await resolveDatabase(config, (m) => logger.log(m));
  logger.log(
    `database: ${db.kind === 'embedded' ? `embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}` : 'DATABASE_URL'}`,
  );
  const app = await createHttpApp(db.url, config, pino);
  const running: { watchdog?: DatabaseWatchdog } = {};
  const shutdown = async (signal: string) => {
    logger.log(`${signal}: shutting down`);
    running.watchdog?.stop();
    await app.close().catch(() => undefined);
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.init(); // module start-up hooks (the default scorecard) run before demo data is scored
  if (config.DEMO_DATA === 'auto' && config.NODE_ENV !== 'production') {
    const loaded = await loadDemoData(app, config.DEMO_ENTERPRISES, true, systemActor('startup'));
    // a fresh demo: demo-inspector checked in under an inspection code (issue 12)
    if (loaded) await loadDemoCode(app, systemActor('startup'));
  }
  if (config.NODE_ENV === 'development') {
    // development only: the demo users' credentials, while they still have the demo passwords
    const demo = await demoCredentials(app);
    if (demo.length)
      process.stderr.write(
        `demo users (development mode only): sign in at http://${config.HOST}:${config.PORT}/ (the enterprise user at /m/), or POST /api/auth/login\n` +
          demo
            .map(
              (d) =>
                `  ${d.role.padEnd(10)} ${d.username.padEnd(16)} ${d.password ?? '(password changed: not shown)'}${d.uscc ? `  (enterprise ${d.uscc})` : ''}\n`,
            )
            .join(''),
      );
  }
  if (!(await app.get(UsersService).hasAdmin()))
    logger.warn(
      'no admin user yet: create one with `npm run cli -- user create --role admin --username <name>`',
    );
  await app.listen(config.PORT, config.HOST);
  running.watchdog = watchDatabase(app.get(DataSource), config.DATABASE_DOWN_EXIT_SECONDS);
  logger.log(
    `listening on http://${config.HOST}:${config.PORT} (pages /, phone pages /m/, API /api, OpenAPI /docs, health /health)`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
