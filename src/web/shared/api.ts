/**
 * The pages' only way to the service: the documented JSON API (architecture.md "Pages"), with the
 * browser session of contract A: an httpOnly cookie the page never sees, and a CSRF token kept in
 * memory (never localStorage) sent as X-CSRF-Token on every state-changing request.
 */

/** A refusal of the API, with a message written for a person (Chinese) and the API's own detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the API's message (English) and field errors, for the page to show beside a field */
    readonly detail: string,
    readonly fields: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;
/** When the service last answered this page (ms since the epoch): its session's idle clock. */
let lastAnswerAt = Date.now();

/** When the service last answered a request of this page (ms since the epoch). */
export function lastAnswer(): number {
  return lastAnswerAt;
}

/** The session has ended without a 401 (the page's own idle clock ran out): as on a 401. */
export function endSession(): void {
  onSignedOut?.();
}

/** Keeps the CSRF token of the session (from SessionView). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (session ended, idle timeout): the page goes to sign-in. */
export function onSessionEnded(fn: () => void): void {
  onSignedOut = fn;
}

/** What a person reads for an HTTP status the API answered with. */
export function statusMessage(status: number): string {
  if (status === 0) return '无法连接服务，请检查网络后重试';
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '您没有权限进行此操作';
  if (status === 404) return '未找到相关信息';
  if (status === 409) return '操作与现有数据冲突';
  if (status === 422) return '填写的内容有误，请检查后重试';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status === 503) return '服务暂时不可用，请稍后再试';
  return '服务出现错误，请稍后再试';
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** `path?query`, leaving out empty values. */
export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Sends a request to the API and returns its answer when it is 2xx: the one place where every
 * request of the pages (JSON, lists with X-Total-Count, downloads) gets the session's CSRF token
 * on writes, moves the idle clock, turns a refusal into an ApiError with a Chinese message and the
 * API's own detail and field errors, and reports a 401 as the session's end (unless `quiet401`:
 * the session check and the sign-in ask for themselves).
 * @throws ApiError for any answer but 2xx, status 0 when the service cannot be reached
 */
export async function send(
  method: string,
  path: string,
  init: {
    body?: unknown;
    /** a body sent as it is (a CSV file to import), with its content type, instead of JSON */
    raw?: { data: Blob; type: string };
    /** a multipart body (files and fields): the browser sets its Content-Type with the boundary */
    form?: FormData;
    accept?: string;
    headers?: Record<string, string>;
    quiet401?: boolean;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Accept: init.accept ?? 'application/json', ...init.headers };
  if (init.raw) headers['Content-Type'] = init.raw.type;
  else if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body:
        init.form ??
        (init.raw ? init.raw.data : init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  } catch {
    throw new ApiError(0, statusMessage(0), 'network error');
  }
  lastAnswerAt = Date.now();
  if (res.ok) return res;
  let err: { message?: string | string[]; errors?: { field: string; reason: string }[] } = {};
  try {
    err = ((await res.json()) ?? {}) as typeof err;
  } catch {
    // not JSON (a proxy's error page): the status alone speaks
  }
  const detail = Array.isArray(err.message) ? err.message.join('; ') : (err.message ?? res.statusText);
  if (res.status === 401 && !init.quiet401) onSignedOut?.();
  throw new ApiError(res.status, statusMessage(res.status), detail, err.errors ?? []);
}

/**
 * Sends a JSON request to the API (see `send`). @returns the parsed JSON answer (undefined for 204
 * or an empty body)
 * @throws ApiError for any answer but 2xx, or status 0 when unreachable
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  quiet401 = false,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const res = await send(method, path, { body, quiet401, headers: extraHeaders });
  const text = res.status === 204 ? '' : await res.text();
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    return undefined as T; // a 2xx without JSON: nothing to read
  }
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
/**
 * A new Idempotency-Key: 128 random bits as hex. crypto.getRandomValues, not randomUUID: the
 * latter exists only in secure contexts, and the workbench may be opened over plain HTTP by
 * address inside the bureau's network.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * POST with an Idempotency-Key (docs/security.md "Idempotency"): a retry with the same key (a
 * double click, a lost answer) gets the first answer instead of doing the work twice. The page
 * makes one key per intended action (e.g. per opening of a dialog) and reuses it on retry.
 */
export const postOnce = <T>(path: string, body: unknown, idempotencyKey: string) =>
  api<T>('POST', path, body, false, { 'Idempotency-Key': idempotencyKey });
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
