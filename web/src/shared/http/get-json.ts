import { config } from '../../config';

/** The outcome of an authenticated GET: the body, or the status and the server's message (which names the problem). */
export type GetResult<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

/**
 * `GET path` with the bearer token (docs/auth.md). Never throws: a network failure is status 0, so callers show
 * "not loaded" rather than an unhandled rejection on a screen nobody watches.
 */
export async function getJson<T>(path: string, token: string | null, signal?: AbortSignal): Promise<GetResult<T>> {
  let res: Response;
  try {
    res = await fetch(`${config.serverOrigin}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    return { ok: false, status: 0, message: (err as Error).message };
  }
  const body = (await res.json().catch(() => ({}))) as T & { message?: unknown };
  if (res.ok) return { ok: true, body };
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? res.statusText);
  return { ok: false, status: res.status, message };
}
