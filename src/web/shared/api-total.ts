/**
 * Lists that give their total in a header, not in the body (GET .../credit-records answers an
 * array and `X-Total-Count`): the same session, errors and messages as shared/api.ts.
 */
import { send, withQuery } from './api';

/**
 * GETs a JSON array and its X-Total-Count. @returns the items and the total (the items' number
 * when the header is missing)
 * @throws ApiError for any answer but 2xx, status 0 when unreachable (shared/api.ts send)
 */
export async function getWithTotal<T>(
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<{ items: T[]; total: number }> {
  const res = await send('GET', withQuery(path, query));
  const items = ((await res.json()) ?? []) as T[];
  const total = Number(res.headers.get('X-Total-Count'));
  return { items, total: Number.isFinite(total) && res.headers.has('X-Total-Count') ? total : items.length };
}
