import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkListProblem } from '../common/networks.js';
import { IsIn, IsOptional, IsString, Matches, NotEquals, ValidateBy, validateSync } from 'class-validator';

/** The project folder (the one holding package.json), wherever the command is run from. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * A whole-number setting from `min` to `max` (inclusive): the environment's text is converted,
 * then checked; a bad value is refused naming the variable.
 */
function IntSetting(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'intSetting',
      validator: {
        validate: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
        defaultMessage: (args) =>
          `${args?.property} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, not '${args?.value}'`,
      },
    }),
  );
}

/**
 * Environment variables the service, the CLI and the tests read, validated at start-up: a bad
 * value refuses to start with a message naming the variable. Defaults suit a developer machine.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IntSetting(0, 65535)
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

  @IntSetting(1024, 65535)
  @NotEquals(5432, { message: 'EMBEDDED_PG_PORT must not be 5432 (a system PostgreSQL may hold it)' })
  EMBEDDED_PG_PORT = 54320;

  /** Database name on the embedded server. */
  @IsString()
  EMBEDDED_PG_DATABASE = 'supervision';

  /**
   * The service exits with status 1 when its database has not answered for this many seconds, so
   * that a supervisor (systemd, Docker, Kubernetes) restarts it; 0 never exits. Shorter outages
   * show on /health (503) and heal by themselves: the pool reconnects.
   */
  @IntSetting(0, 86400)
  DATABASE_DOWN_EXIT_SECONDS = 60;

  /** `auto`: load generated demo data at start-up when the register is empty (never in production). */
  @IsIn(['auto', 'off'])
  DEMO_DATA: 'auto' | 'off' = 'auto';

  /** Number of generated demo enterprises. */
  @IntSetting(10)
  DEMO_ENTERPRISES = 3000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /**
   * Secret signing access tokens (HS256). Required in production: at least 32 characters, not a
   * known weak value, at least 12 distinct characters. Elsewhere a random one is made per process
   * when absent (tokens then end with the process).
   */
  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  /** Lifetime of an access token, seconds (default 15 minutes). */
  @IntSetting(1, 86400)
  JWT_TTL_SECONDS = 900;

  /** bcrypt cost factor for passwords (2^n rounds); at least 10 in production. */
  @IntSetting(4, 15)
  BCRYPT_ROUNDS = 12;

  /**
   * Absolute lifetime of a browser session (cookie sv_session), hours from sign-in, whatever the
   * activity (default 12: a working day); the idle timeout is the bureau setting sessionIdleMinutes.
   */
  @IntSetting(1, 720)
  SESSION_MAX_HOURS = 12;

  /**
   * `true`: the session cookie always carries Secure (behind a proxy ending TLS without
   * X-Forwarded-Proto, TRUST_PROXY_HOPS); `false`: Secure when the request came over HTTPS.
   */
  @IsIn(['true', 'false'])
  SESSION_COOKIE_SECURE: 'true' | 'false' = 'false';

  /** Requests per minute per signed-in user (a verified access token's subject), every endpoint but /health. */
  @IntSetting(1)
  THROTTLE_LIMIT = 300;

  /** Requests per minute per client address without a valid access token, every endpoint but /health. */
  @IntSetting(1)
  THROTTLE_ANONYMOUS_LIMIT = 300;

  /** Failed sign-ins allowed per client address and username within LOGIN_THROTTLE_WINDOW_SECONDS. */
  @IntSetting(1)
  LOGIN_THROTTLE_LIMIT = 5;

  /** The window of LOGIN_THROTTLE_LIMIT, seconds (default 15 minutes). */
  @IntSetting(1)
  LOGIN_THROTTLE_WINDOW_SECONDS = 900;

  /** Origins allowed by CORS, comma-separated (empty: no cross-origin browser access). */
  @IsString()
  CORS_ORIGINS = '';

  /** Largest accepted JSON or form body (body-parser size, e.g. 1mb). */
  @Matches(/^[0-9]+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '1mb';

  /** Proxies in front of the service whose X-Forwarded-For is trusted (0: none; express trust proxy hops). */
  @IntSetting(0)
  TRUST_PROXY_HOPS = 0;

  /** How long adding a record waits for a running full rescoring before answering 503, seconds. */
  @IntSetting(1, 600)
  SCORING_LOCK_WAIT_SECONDS = 10;

  /** `on`: the service rescores everyone at 01:30 Shanghai time and takes the monthly snapshot. */
  @IsIn(['on', 'off'])
  NIGHTLY_SCORING: 'on' | 'off' = 'on';

  /** How long an Idempotency-Key and its stored answer are kept, seconds (default 24 hours). */
  @IntSetting(60, 30 * 86400)
  IDEMPOTENCY_KEY_TTL_SECONDS = 86400;

  /**
   * The Ed25519 key signing audit checkpoints (made on first use, mode 0600, in a folder of mode
   * 0700), outside the database; the signed checkpoints are appended to `audit-checkpoints.jsonl`
   * beside it. Default `.data/audit/checkpoint-key.pem` in the project folder.
   */
  @IsString()
  AUDIT_KEY_FILE = path.join(projectRoot(), '.data/audit/checkpoint-key.pem');

  /**
   * Most enterprises one CSV export of the register may hold (GET /api/enterprises/export.csv):
   * a larger selection answers 422 asking to narrow the filter.
   */
  @IntSetting(1, 10_000_000)
  EXPORT_MAX_ROWS = 100_000;

  /** The district, prefixing department names as credit records give them (e.g. 杨浦区市场监督管理局). */
  @IsString()
  DISTRICT_NAME = '杨浦区';

  /**
   * The address people reach the service at, without a trailing slash (e.g.
   * https://jg.yangpu.gov.cn): inspection codes' QR codes carry `<PUBLIC_BASE_URL>/v/<code>`.
   * Default http://HOST:PORT.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/i, {
    message: 'PUBLIC_BASE_URL must be http(s)://host[:port] with no path',
  })
  PUBLIC_BASE_URL?: string;

  /** Issuer of inspection codes (claim 1): the district's GB/T 2260 division code (Yangpu 310110). */
  @Matches(/^\d{6}$/, { message: 'CHECK_CODE_ISSUER must be a 6-digit division code' })
  CHECK_CODE_ISSUER = '310110';

  /**
   * Secret sealing the inspection-code signing keys stored in the database (AES-256-GCM under a
   * key derived by HKDF-SHA256). Required in production (at least 32 characters); elsewhere, when
   * absent, one is made on first use in CHECK_CODE_KEY_SECRET_FILE (mode 0600) and kept.
   */
  @IsOptional()
  @IsString()
  CHECK_CODE_KEY_SECRET?: string;

  /** Where the development secret of CHECK_CODE_KEY_SECRET is kept (not used in production). */
  @IsString()
  CHECK_CODE_KEY_SECRET_FILE = path.join(projectRoot(), '.data/check-codes/key-secret');

  /**
   * The telephone number the inspection-code page (/v) gives beside 12315 for checking a doubtful
   * inspection or reporting a forged code: set it to the district bureau's duty number. Default
   * 12345, Shanghai's citizen service hotline (市民服务热线), which passes calls to the district.
   */
  @Matches(/^[0-9+][0-9 ()+-]{2,30}$/, {
    message: 'BUREAU_PHONE must be a telephone number (digits, spaces, + - ( ))',
  })
  BUREAU_PHONE = '12345';

  /**
   * Whose number BUREAU_PHONE is, as the inspection-code page names it beside it (default
   * 上海市民服务热线, the default number's owner; e.g. 杨浦区市场监督管理局 with the bureau's own number).
   */
  @Matches(/^\S.{0,29}$/, { message: 'BUREAU_PHONE_NAME must be 1-30 characters' })
  BUREAU_PHONE_NAME = '上海市民服务热线';

  /**
   * The province's lower-amount fine (较低数额罚款) for an organisation, in yuan: a fine below it,
   * alone or with a reprimand, is published 3 months instead of 3 years (SAMR Order 45 第十四条;
   * the threshold is set by each province: domain.md 3.2). Default 100,000 yuan, the published
   * example; penalties/rules/publication-regimes.ts compares in fen.
   */
  @IntSetting(1, 100_000_000)
  LOWER_FINE_ORGANISATION_YUAN = 100_000;

  /** The same for a natural person (自然人), in yuan (default 10,000). */
  @IntSetting(1, 100_000_000)
  LOWER_FINE_PERSON_YUAN = 10_000;

  /**
   * The bureau's own networks, comma-separated CIDR (`10.20.0.0/16, 2001:db8::/48`; a bare
   * address is one host): requests from them are outside the per-address limit of the
   * inspection-code verification (/v and its JSON), as are signed-in users' requests. Empty: none.
   */
  @ValidateBy({
    name: 'networkList',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && networkListProblem(v) === null,
      defaultMessage: (args) =>
        `BUREAU_NETWORKS: ${networkListProblem(String(args?.value ?? '')) ?? 'not a list of networks'}`,
    },
  })
  BUREAU_NETWORKS = '';

  /**
   * Verifications (GET /v/<code>, /v?code=, GET /api/check-codes/:code/verification) per minute
   * per client address without sign-in, outside BUREAU_NETWORKS; counted in each instance's
   * memory (docs/security.md "Inspection codes: verification").
   */
  @IntSetting(1)
  VERIFY_RATE_LIMIT = 60;
}

/** Values that must never sign tokens in production. */
const WEAK_SECRETS = ['secret', 'changeme', 'change-me', 'password', 'jwt-secret', 'development', 'test'];

/** Share of neighbouring characters that follow each other (abc, 123): high for typed-in sequences. */
function sequentialShare(s: string): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (Math.abs(s.charCodeAt(i) - s.charCodeAt(i - 1)) === 1) n++;
  return n / Math.max(1, s.length - 1);
}

/** Why a production secret is refused (missing, short, weak), or null when it will do. */
function secretProblem(name: string, secret: string | undefined): string | null {
  if (!secret) return `${name}: required in production`;
  if (secret.length < 32) return `${name}: at least 32 characters in production`;
  if (
    new Set(secret).size < 12 ||
    WEAK_SECRETS.some((w) => secret.toLowerCase().includes(w)) ||
    secret.trim() !== secret ||
    /\s{4,}/.test(secret) ||
    sequentialShare(secret) > 0.25
  )
    return `${name}: too weak (a known word or too few distinct characters); use \`openssl rand -base64 48\``;
  return null;
}

/** Why a production configuration is refused: weak or missing secrets, unsafe settings. */
export function productionProblems(c: AppConfig): string[] {
  if (c.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const jwt = secretProblem('JWT_SECRET', c.JWT_SECRET);
  if (jwt) problems.push(jwt);
  if (c.BCRYPT_ROUNDS < 10) problems.push('BCRYPT_ROUNDS: at least 10 in production');
  const sealing = secretProblem('CHECK_CODE_KEY_SECRET', c.CHECK_CODE_KEY_SECRET);
  if (sealing) problems.push(sealing);
  if (c.CHECK_CODE_KEY_SECRET && c.CHECK_CODE_KEY_SECRET === c.JWT_SECRET)
    problems.push(
      'CHECK_CODE_KEY_SECRET: must differ from JWT_SECRET (one leaked secret must not give both)',
    );
  if (corsOrigins(c).includes('*'))
    problems.push('CORS_ORIGINS: * is not allowed in production; list the origins');
  return problems;
}

/** The browser origins CORS_ORIGINS allows: its comma-separated entries, trimmed, none empty. */
export function corsOrigins(c: Pick<AppConfig, 'CORS_ORIGINS'>): string[] {
  return c.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** The address people reach the service at: PUBLIC_BASE_URL, or http://HOST:PORT (no trailing slash). */
export function publicBaseUrl(c: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  return c.PUBLIC_BASE_URL ?? `http://${c.HOST}:${c.PORT}`;
}

/** Settings without a default (absent unless set; an empty value counts as absent). */
const OPTIONAL_SETTINGS = ['DATABASE_URL', 'JWT_SECRET', 'PUBLIC_BASE_URL', 'CHECK_CODE_KEY_SECRET'];

/**
 * Reads and validates configuration from `env`; in production also refuses weak or missing
 * secrets (productionProblems). Outside production a missing JWT_SECRET becomes a random one.
 * @throws Error listing every invalid variable with its reason
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = new AppConfig();
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in known || (OPTIONAL_SETTINGS.includes(k) && v)),
  );
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  if (!errors.length) lines.push(...productionProblems(config));
  if (lines.length) throw new Error(`invalid configuration: ${lines.join(' | ')}`);
  if (!config.JWT_SECRET) config.JWT_SECRET = randomBytes(48).toString('base64');
  return config;
}
