import type { LatestValue } from '@hazard/server/contracts';

export type BadgeState = 'live' | 'stale' | 'offline';

export interface Badge {
  state: BadgeState;
  /** Age of the newest sample in ms (server clock), or null when there is no data at all. */
  ageMs: number | null;
}

/**
 * Whether the screen may present its data as live. Never stale data that looks live: disconnected is offline;
 * connected without a sample newer than `staleAfterMs` is stale. Age is measured on the server's clock
 * (clockOffsetMs = serverTime − local time at receipt), so a wrong wall-screen clock does not fake freshness.
 */
export function badgeOf(
  nowLocalMs: number,
  newestSampleMs: number | null,
  connected: boolean,
  clockOffsetMs: number,
  staleAfterMs: number,
): Badge {
  const ageMs = newestSampleMs === null ? null : Math.max(0, nowLocalMs + clockOffsetMs - newestSampleMs);
  if (!connected) return { state: 'offline', ageMs };
  if (ageMs === null || ageMs > staleAfterMs) return { state: 'stale', ageMs };
  return { state: 'live', ageMs };
}

/** Newest sample time among the latest values, or null. */
export function newestSample(latest: Record<string, LatestValue>): number | null {
  let newest: number | null = null;
  for (const tag in latest) {
    const ts = latest[tag]!.ts;
    if (newest === null || ts > newest) newest = ts;
  }
  return newest;
}

/** Splits an age into the unit a person reads best. */
export function ageParts(ageMs: number): { unit: 'seconds' | 'minutes' | 'hours'; n: number } {
  const s = Math.floor(ageMs / 1000);
  if (s < 120) return { unit: 'seconds', n: s };
  if (s < 7200) return { unit: 'minutes', n: Math.floor(s / 60) };
  return { unit: 'hours', n: Math.floor(s / 3600) };
}
