import { reactive } from 'vue';
import type { AuthUser } from '@hazard/server/contracts';
import { readSession, saveSession, type Session, type SessionStorage } from './auth.session';

function browserStorage(): SessionStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The app's login state (one per page). */
export const authState = reactive<{ session: Session | null }>({ session: readSession(browserStorage(), Date.now()) });

export function currentToken(): string | null {
  return authState.session?.token ?? null;
}

export function currentUser(): AuthUser | null {
  return authState.session?.user ?? null;
}

export function setSession(session: Session | null): void {
  authState.session = session;
  saveSession(browserStorage(), session);
}
