import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export interface DatabaseWatchdog {
  /** Stops the checks (before a clean shutdown). */
  stop(): void;
}

/**
 * Checks the service's database every few seconds (`SELECT 1`, at most 3 s each). A database
 * that stops answering is logged once; when it answers again that is logged too (the connection
 * pool has reconnected by itself). When it has not answered for `exitAfterSeconds`, the service
 * logs one line and exits with status 1 so that its supervisor restarts it (a restarted service
 * starts the embedded server again, or waits for DATABASE_URL's server at start-up): it never
 * stays up answering 503 for good. `exitAfterSeconds` 0: never exits.
 * @param exit what ends the process (tests replace it); defaults to `process.exit(1)`
 */
export function watchDatabase(
  dataSource: DataSource,
  exitAfterSeconds: number,
  exit: () => void = () => process.exit(1),
): DatabaseWatchdog {
  const logger = new Logger('Database');
  const everyMs = Math.max(500, Math.min(5000, (exitAfterSeconds * 1000) / 4 || 5000));
  let downSince: number | undefined;
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      await Promise.race([
        dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref()),
      ]);
      if (downSince !== undefined)
        logger.log(`database answers again after ${((Date.now() - downSince) / 1000).toFixed(0)} s`);
      downSince = undefined;
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      if (downSince === undefined) {
        downSince = Date.now();
        logger.error(
          `database does not answer (${reason}): /health reports it` +
            (exitAfterSeconds
              ? `; the service exits if it does not answer within ${exitAfterSeconds} s`
              : ''),
        );
      } else if (exitAfterSeconds && Date.now() - downSince >= exitAfterSeconds * 1000) {
        logger.fatal(
          `database has not answered for ${exitAfterSeconds} s (${reason}): exiting with status 1 so that the supervisor restarts the service`,
        );
        clearInterval(timer);
        exit();
      }
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
