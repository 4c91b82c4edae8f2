/**
 * Lists that give their total in a header, not in the body (GET .../credit-records answers an
 * array and `X-Total-Count`): the same session, errors and messages as shared/api.ts.
 */
import { ApiError, statusMessage, withQuery } from './api';

/**
 * GETs a JSON array and its X-Total-Count. @returns the items and the total (the items' number
 * when the header is missing)
 * @throws ApiError for any answer but 2xx, status 0 when unreachable
 */
export async function getWithTotal<T>(
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<{ items: T[]; total: number }> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw new ApiError(0, statusMessage(0), 'network error');
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (body ?? {}) as { message?: string | string[]; errors?: { field: string; reason: string }[] };
    const detail = Array.isArray(err.message) ? err.message.join('; ') : (err.message ?? res.statusText);
    throw new ApiError(res.status, statusMessage(res.status), detail, err.errors ?? []);
  }
  const items = (body ?? []) as T[];
  const total = Number(res.headers.get('X-Total-Count'));
  return { items, total: Number.isFinite(total) && res.headers.has('X-Total-Count') ? total : items.length };
}
