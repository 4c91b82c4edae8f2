import { plainToInstance, Transform } from 'class-transformer';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  NotEquals,
  validateSync,
} from 'class-validator';

/** The project folder (the one holding package.json), wherever the command is run from. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * Environment variables the service, the CLI and the tests read, validated at start-up: a bad
 * value refuses to start with a message naming the variable. Defaults suit a developer machine.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** An existing PostgreSQL server; when absent an embedded server is started. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Folder of the embedded server (git-ignored); by default `.data/pg` in the project folder. */
  @IsString()
  EMBEDDED_PG_DIR = path.join(projectRoot(), '.data/pg');

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  @Max(65535)
  @NotEquals(5432, { message: 'EMBEDDED_PG_PORT must not be 5432 (a system PostgreSQL may hold it)' })
  EMBEDDED_PG_PORT = 54320;

  /** Database name on the embedded server. */
  @IsString()
  EMBEDDED_PG_DATABASE = 'supervision';

  /** `auto`: load generated demo data at start-up when the register is empty (never in production). */
  @IsIn(['auto', 'off'])
  DEMO_DATA: 'auto' | 'off' = 'auto';

  /** Number of generated demo enterprises. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  DEMO_ENTERPRISES = 3000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
}

/**
 * Reads and validates configuration from `env`.
 * @throws Error listing every invalid variable with its reason, one per line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in new AppConfig() || (k === 'DATABASE_URL' && v)),
  );
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`invalid configuration: ${lines.join(' | ')}`);
  }
  return config;
}
