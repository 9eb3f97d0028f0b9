import type { AuthUser, LoginResponse } from '@hazard/server/contracts';

/** What the browser keeps between visits: the token, and who it is for when known (a kiosk URL says only the token). */
export interface Session {
  token: string;
  user: AuthUser | null;
  /** Epoch ms, when known. */
  expiresAt: number | null;
}

/** localStorage key of the session. */
export const SESSION_STORAGE_KEY = 'hazard.session';

export type SessionStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The saved session, or null when none, unreadable, or expired at `nowMs`. */
export function readSession(storage: SessionStorage | undefined, nowMs: number): Session | null {
  try {
    const raw = storage?.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.token !== 'string' || s.token === '') return null;
    const expiresAt = typeof s.expiresAt === 'number' ? s.expiresAt : null;
    if (expiresAt !== null && expiresAt <= nowMs) return null;
    return { token: s.token, user: s.user ?? null, expiresAt };
  } catch {
    return null;
  }
}

/** Saves the session; a full or forbidden storage (some kiosk browsers) costs only persistence. */
export function saveSession(storage: SessionStorage | undefined, session: Session | null): void {
  try {
    if (session) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage disabled by policy: the session lasts as long as the page.
  }
}

export function sessionOf(r: LoginResponse): Session {
  return { token: r.token, user: r.user, expiresAt: r.expiresAt };
}

/**
 * A kiosk URL carries its token once (`/?kiosk&token=…`): it is taken out of the query, so that it is not left in
 * the address bar, the history or a screenshot, and kept in storage instead.
 */
export function takeUrlToken<V>(query: Record<string, V>): { token: string; rest: Record<string, V> } | null {
  const { token, ...rest } = query;
  if (typeof token !== 'string' || token === '') return null;
  return { token, rest };
}
