import { describe, expect, it } from 'vitest';
import { readSession, saveSession, SESSION_STORAGE_KEY, takeUrlToken, type SessionStorage } from './auth.session';

function memoryStorage(): SessionStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe(readSession.name, () => {
  it('reads back a saved session, and nothing once it has expired', () => {
    const storage = memoryStorage();
    const session = { token: 'a.b.c', user: { username: 'zhang', role: 'operator' as const }, expiresAt: 2000 };

    saveSession(storage, session);

    expect(readSession(storage, 1000)).toEqual(session);
    expect(readSession(storage, 2000)).toBeNull();
  });

  it('keeps a kiosk token without a known user or expiry, and forgets on logout', () => {
    const storage = memoryStorage();
    saveSession(storage, { token: 'k.i.osk', user: null, expiresAt: null });

    expect(readSession(storage, Date.now())).toEqual({ token: 'k.i.osk', user: null, expiresAt: null });
    saveSession(storage, null);
    expect(storage.map.has(SESSION_STORAGE_KEY)).toBe(false);
  });

  it('reads garbage, a missing storage or a throwing one as no session', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, '{not json');

    expect(readSession(storage, 0)).toBeNull();
    expect(readSession(undefined, 0)).toBeNull();
    const throwing = {
      ...storage,
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readSession(throwing, 0)).toBeNull();
    expect(() =>
      saveSession(
        {
          ...storage,
          setItem: () => {
            throw new Error('QuotaExceeded');
          },
        },
        null,
      ),
    ).not.toThrow();
  });
});

describe(takeUrlToken.name, () => {
  it('takes the token out of the query and keeps the rest', () => {
    expect(takeUrlToken({ kiosk: null, token: 'k.i.osk', source: 'tf01' })).toEqual({
      token: 'k.i.osk',
      rest: { kiosk: null, source: 'tf01' },
    });
    expect(takeUrlToken({ kiosk: null })).toBeNull();
    expect(takeUrlToken({ token: '' })).toBeNull();
  });
});
