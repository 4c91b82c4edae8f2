/**
 * Downloads a file the API answers (a CSV export) with the session cookie, as the browser's own
 * download: the answer is read first so that a refusal (422 too many rows, 403) reaches the page
 * as an ApiError with its message instead of a file holding JSON.
 */
import { send } from './api';

/** How long the saved file's object URL is kept before it is released (ms): the browser has started the download by then. */
const RELEASE_URL_AFTER_MS = 10_000;

/**
 * Fetches `path` and saves it under the file name of its Content-Disposition (else `fallback`).
 * @throws ApiError for any answer but 2xx (with the API's message as `detail`), status 0 when
 *   unreachable (shared/api.ts send)
 */
export async function downloadFile(path: string, fallback: string): Promise<string> {
  const res = await send('GET', path, { accept: 'text/csv, application/json' });
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallback;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), RELEASE_URL_AFTER_MS);
  return name;
}
