import { config } from '../../config';

/** The outcome of a REST call: the body, or the server's message (which names what was wrong) and the status. */
export type ApiResult<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

function headersWith(token: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return token === null ? extra : { ...extra, authorization: `Bearer ${token}` };
}

async function messageOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { message?: unknown };
  return Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? res.statusText);
}

/**
 * A JSON request with the session's bearer token (docs/auth.md). A network failure is status 0 with the browser's
 * message, so a screen always has something to say.
 */
export async function apiJson<T>(
  path: string,
  token: string | null,
  init: { method?: 'GET' | 'POST'; body?: unknown } = {},
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(`${config.serverOrigin}${path}`, {
      method: init.method ?? 'GET',
      headers: headersWith(token, init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch (err) {
    return { ok: false, status: 0, message: (err as Error).message };
  }
  if (!res.ok) return { ok: false, status: res.status, message: await messageOf(res) };
  return { ok: true, body: (await res.json().catch(() => ({}))) as T };
}

/**
 * A file from the API (e.g. the journal as CSV). A plain link cannot carry the Authorization header, so the file is
 * fetched with it and handed over as a Blob.
 */
export async function apiBlob(path: string, token: string | null): Promise<ApiResult<Blob>> {
  let res: Response;
  try {
    res = await fetch(`${config.serverOrigin}${path}`, { headers: headersWith(token) });
  } catch (err) {
    return { ok: false, status: 0, message: (err as Error).message };
  }
  if (!res.ok) return { ok: false, status: res.status, message: await messageOf(res) };
  return { ok: true, body: await res.blob() };
}

/** A query string from the given parameters, leaving out empty ones (`?a=1&b=x`, or '' when none). */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}
