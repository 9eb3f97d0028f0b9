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

/** What each value on the wall is judged against; recomputed every tick. */
export interface DisplayClock {
  connected: boolean;
  /** Local now corrected to the server's clock (now + clockOffsetMs). */
  serverNowMs: number;
  staleAfterMs: number;
  /**
   * The badge already says all data is delayed (every value is then stale): values are greyed without a marker
   * each, which would only be noise.
   */
  allStale: boolean;
}

/** `none`: no sample yet; `offline`: the socket is down; `stale`: this tag's sample is older than the limit. */
export type Freshness = 'none' | 'live' | 'stale' | 'offline';

/**
 * Freshness of one tag. Judged per tag, not only by the newest sample of the park, because one gateway can fall
 * silent while the others keep the page live: its frozen values must not look current.
 */
export function sampleFreshness(sample: LatestValue | undefined, clock: DisplayClock): Freshness {
  if (!sample) return 'none';
  if (!clock.connected) return 'offline';
  return clock.serverNowMs - sample.ts > clock.staleAfterMs ? 'stale' : 'live';
}

/** Age of one sample on the server clock, never negative. */
export function sampleAgeMs(sample: LatestValue, clock: DisplayClock): number {
  return Math.max(0, clock.serverNowMs - sample.ts);
}

/** Splits an age into the unit a person reads best. */
export function ageParts(ageMs: number): { unit: 'seconds' | 'minutes' | 'hours'; n: number } {
  const s = Math.floor(ageMs / 1000);
  if (s < 120) return { unit: 'seconds', n: s };
  if (s < 7200) return { unit: 'minutes', n: Math.floor(s / 60) };
  return { unit: 'hours', n: Math.floor(s / 3600) };
}
