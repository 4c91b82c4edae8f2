import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { createHash } from 'node:crypto';

/** Runs one SQL statement with positional parameters and gives its rows (e.g. TypeORM's DataSource.query). */
export type RunQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

interface CounterRow {
  hits: number;
  /** end of the window, milliseconds since the epoch */
  reset_ms: number;
}

// The window restarts when the stored one has ended: one atomic statement per hit, so concurrent
// requests on several instances never lose a count. The clock is the database's (now()), one for
// every instance.
const INCREMENT = `INSERT INTO rate_limit_counter AS c (key, hits, reset_at)
  VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.hits + 1 END,
    reset_at = CASE WHEN c.reset_at <= now() THEN excluded.reset_at ELSE c.reset_at END
  RETURNING c.hits, extract(epoch FROM c.reset_at)::float8 * 1000 AS reset_ms`;
const DECREMENT = `UPDATE rate_limit_counter SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND reset_at > now()`;
const GET = `SELECT hits, extract(epoch FROM reset_at)::float8 * 1000 AS reset_ms
  FROM rate_limit_counter WHERE key = $1 AND reset_at > now()`;
const RESET = `DELETE FROM rate_limit_counter WHERE key = $1`;
// an ended window counts as no row at all, so any instance may remove any limiter's ended rows
const SWEEP = `DELETE FROM rate_limit_counter WHERE reset_at <= now()`;

/**
 * An express-rate-limit store on the table `rate_limit_counter` (migration 1765324800000), shared
 * by every instance of the service on one database (docs/security.md "Rate limits"). Fixed windows
 * of the limiter's `windowMs`: the first hit of a key opens a window, hits within it are counted,
 * the first hit after it opens a new one. Keys are stored as `<prefix>:<SHA-256 of the key>`
 * (base64url), so limiters sharing the table never share counts, and a key made of what a client
 * sent (a username with a NUL, a megabyte of text) is always storable and 43 characters long: a
 * key the database refused would let its requests through uncounted. At most once per window, an increment also removes the ended rows
 * of every limiter (in the background; a failure there is only logged).
 * Each method is one statement; a failed one rejects with the database's error (the limiter then
 * lets the request through, `passOnStoreError`, see throttling.ts).
 */
export class PostgresRateLimitStore implements Store {
  /** counts are shared between instances: express-rate-limit's double-count check must not assume otherwise */
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastSweep = Date.now();

  /**
   * @param prefix name of the limiter (letters, digits, `-`), prepended to every key
   * @param run runs one statement
   * @param onError told of a failed background sweep
   */
  constructor(
    readonly prefix: string,
    private readonly run: RunQuery,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    if (!/^[a-z0-9-]+$/i.test(prefix))
      throw new Error(`rate-limit store prefix "${prefix}": letters, digits and - only`);
  }

  /** Takes the limiter's window (milliseconds). */
  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** Counts one hit of `key`. @returns the hits in its window so far, this one included, and the window's end */
  async increment(key: string): Promise<IncrementResponse> {
    this.sweepWhenDue();
    const [row] = (await this.run(INCREMENT, [this.key(key), this.windowMs])) as CounterRow[];
    return { totalHits: row!.hits, resetTime: new Date(row!.reset_ms) };
  }

  /** Takes back one hit of `key` in its current window (a request that is not to count, e.g. a successful sign-in). */
  async decrement(key: string): Promise<void> {
    await this.run(DECREMENT, [this.key(key)]);
  }

  /** The hits of `key` in its current window, or undefined when it has none. */
  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = (await this.run(GET, [this.key(key)])) as CounterRow[];
    return row ? { totalHits: row.hits, resetTime: new Date(row.reset_ms) } : undefined;
  }

  /** Forgets the hits of `key`. */
  async resetKey(key: string): Promise<void> {
    await this.run(RESET, [this.key(key)]);
  }

  private key(key: string): string {
    return `${this.prefix}:${createHash('sha256').update(key, 'utf8').digest('base64url')}`;
  }

  private sweepWhenDue(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    this.run(SWEEP, []).catch(this.onError);
  }
}
