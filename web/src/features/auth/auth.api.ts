import type { LoginResponse, MeResponse } from '@hazard/server/contracts';
import { config } from '../../config';

/** The outcome of a REST call: the body, or the server's message (which names what was wrong) and the status. */
export type ApiResult<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

async function call<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(`${config.serverOrigin}${path}`, init);
  } catch (err) {
    return { ok: false, status: 0, message: (err as Error).message };
  }
  const body = (await res.json().catch(() => ({}))) as T & { message?: unknown };
  if (res.ok) return { ok: true, body };
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? res.statusText);
  return { ok: false, status: res.status, message };
}

/** `POST /api/auth/login` */
export function login(username: string, password: string): Promise<ApiResult<LoginResponse>> {
  return call('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

/** `GET /api/auth/me`: who a stored token is for (a kiosk URL brings only the token). */
export function me(token: string): Promise<ApiResult<MeResponse>> {
  return call('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
}
