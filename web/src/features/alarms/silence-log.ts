import type { Silence } from './alarm-sound';

/** localStorage key of the silence log. */
export const SILENCE_LOG_KEY = 'hazard.silenceLog';

export type SilenceLogStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Silencing the horn is an operator action, so it is logged where the operator sees it (newest first, kept in
 * this browser); unlike acks it does not change any alarm, so it is not in the server's journal.
 */
export function readSilenceLog(storage: SilenceLogStorage | undefined): Silence[] {
  try {
    const raw = storage?.getItem(SILENCE_LOG_KEY);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (s): s is Silence =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as Silence).atMs === 'number' &&
        typeof (s as Silence).untilMs === 'number' &&
        typeof (s as Silence).user === 'string',
    );
  } catch {
    return [];
  }
}

/** The log with `entry` first, at most `max` entries. */
export function withSilence(log: readonly Silence[], entry: Silence, max: number): Silence[] {
  return [entry, ...log].slice(0, max);
}

export function saveSilenceLog(storage: SilenceLogStorage | undefined, log: readonly Silence[]): void {
  try {
    storage?.setItem(SILENCE_LOG_KEY, JSON.stringify(log));
  } catch {
    // Storage full or forbidden: the log lasts as long as the page.
  }
}
