/** Handle of a running ticker. */
export interface Ticker {
  stop(): void;
  /** Ticks dropped because the process fell more than one period behind (a stalled event loop, a slow host). */
  readonly skipped: number;
}

/**
 * Calls `onTick` now and then every `periodMs`, drift-free: tick n is due at start + n·period, and each timeout is
 * computed from that schedule rather than from when the previous callback ran (plain setInterval accumulates the
 * callback's lateness). When the loop falls more than a period behind, missed ticks are skipped, not bursted.
 */
export function startTicker(periodMs: number, onTick: (nowMs: number) => void, clock: () => number = Date.now): Ticker {
  if (!(periodMs > 0) || !Number.isFinite(periodMs))
    throw new RangeError(`tick period must be > 0 ms, got ${periodMs}`);
  const startMs = clock();
  let index = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const run = (): void => {
    if (stopped) return;
    const nowMs = clock();
    const behind = Math.floor((nowMs - (startMs + index * periodMs)) / periodMs);
    if (behind >= 1) {
      skipped += behind;
      index += behind;
    }
    index += 1;
    onTick(nowMs);
    if (!stopped) timer = setTimeout(run, Math.max(0, startMs + index * periodMs - clock()));
  };
  run();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    get skipped() {
      return skipped;
    },
  };
}
