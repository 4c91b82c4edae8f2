/**
 * Downloads a file the API answers (a CSV export) with the session cookie, as the browser's own
 * download: the answer is read first so that a refusal (422 too many rows, 403) reaches the page
 * as an ApiError with its message instead of a file holding JSON.
 */
import { ApiError, statusMessage } from './api';

/**
 * Fetches `path` and saves it under the file name of its Content-Disposition (else `fallback`).
 * @throws ApiError for any answer but 2xx (with the API's message as `detail`), status 0 when unreachable
 */
export async function downloadFile(path: string, fallback: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      headers: { Accept: 'text/csv, application/json' },
    });
  } catch {
    throw new ApiError(0, statusMessage(0), 'network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as {
      message?: string | string[];
      errors?: { field: string; reason: string }[];
    };
    const detail = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? res.statusText);
    throw new ApiError(res.status, statusMessage(res.status), detail, body.errors ?? []);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallback;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
