/**
 * One flash clock for every flashing element of a screen: unacknowledged alarms flash until acknowledged (ISA-18.2
 * annunciation), all in step, and screens side by side in step too (the phase follows the wall clock).
 *
 * Why not a CSS animation per element: Chromium runs a background-colour animation on the main thread and
 * recomputes style every frame, 60 times a second, for a change that shows twice a second. On a wall PC without a GPU
 * (headless Chromium with software rendering here) a handful of flashing rows and counters took about 9 % of a core,
 * more than everything else the idle wall does (docs/performance-profiles.md, 2026-12-07). Here one timer flips
 * `data-blink` on the document root at each half period, and the components' CSS keys off it: two style changes a
 * second, whatever the number of flashing elements.
 */

/** Half a flash period: on for this long, then off (1 Hz, the flash rate the wall and console used before). */
export const BLINK_HALF_PERIOD_MS = 500;

/** `on`/`off`: the phase of the flash; `steady`: the user asked for reduced motion, flashing elements stay lit. */
export type BlinkPhase = 'on' | 'off' | 'steady';

/** The phase at `nowMs` (epoch ms): on in the first half of every period, so that every screen agrees. */
export function blinkPhaseAt(nowMs: number, halfPeriodMs = BLINK_HALF_PERIOD_MS): 'on' | 'off' {
  return Math.floor(nowMs / halfPeriodMs) % 2 === 0 ? 'on' : 'off';
}

/** Milliseconds from `nowMs` to the next flip (at least 1, so a timer never spins). */
export function msToNextFlip(nowMs: number, halfPeriodMs = BLINK_HALF_PERIOD_MS): number {
  return Math.max(1, halfPeriodMs - (nowMs % halfPeriodMs));
}

export interface BlinkClockDeps {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** `(prefers-reduced-motion: reduce)`, or null where there is no matchMedia. */
  reducedMotion: MediaQueryList | null;
}

const browserDeps = (): BlinkClockDeps => ({
  now: () => Date.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
  reducedMotion: typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-reduced-motion: reduce)') : null,
});

/**
 * Starts flipping `data-blink` on `root` (`on`/`off` on the half periods of the wall clock; `steady` while reduced
 * motion is asked for). Returns the function that stops it.
 */
export function startBlinkClock(root: HTMLElement, deps: BlinkClockDeps = browserDeps()): () => void {
  let timer: unknown = null;
  const tick = (): void => {
    timer = null;
    if (deps.reducedMotion?.matches) {
      root.dataset.blink = 'steady' satisfies BlinkPhase;
      return;
    }
    const now = deps.now();
    root.dataset.blink = blinkPhaseAt(now);
    timer = deps.setTimeout(tick, msToNextFlip(now));
  };
  const restart = (): void => {
    if (timer !== null) deps.clearTimeout(timer);
    tick();
  };
  deps.reducedMotion?.addEventListener('change', restart);
  tick();
  return () => {
    if (timer !== null) deps.clearTimeout(timer);
    timer = null;
    deps.reducedMotion?.removeEventListener('change', restart);
    delete root.dataset.blink;
  };
}
