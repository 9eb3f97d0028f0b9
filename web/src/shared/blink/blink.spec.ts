import { describe, expect, it } from 'vitest';
import { BLINK_HALF_PERIOD_MS, blinkPhaseAt, msToNextFlip, startBlinkClock, type BlinkClockDeps } from './blink';

/** A hand-driven clock: timers run only when the test advances time. */
function fakeDeps(startMs: number, reduced = false) {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const listeners: (() => void)[] = [];
  const media = {
    matches: reduced,
    addEventListener: (_: string, fn: () => void) => listeners.push(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.splice(listeners.indexOf(fn), 1),
  };
  const deps: BlinkClockDeps = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    reducedMotion: media as unknown as MediaQueryList,
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  const setReduced = (v: boolean) => {
    media.matches = v;
    for (const l of [...listeners]) l();
  };
  return { deps, advance, setReduced, pending: () => timers.size, listeners };
}

describe('blink clock', () => {
  it('is on in the first half of each period of the wall clock, so that every screen flashes in step', () => {
    expect(blinkPhaseAt(0)).toBe('on');
    expect(blinkPhaseAt(BLINK_HALF_PERIOD_MS - 1)).toBe('on');
    expect(blinkPhaseAt(BLINK_HALF_PERIOD_MS)).toBe('off');
    expect(blinkPhaseAt(2 * BLINK_HALF_PERIOD_MS + 3)).toBe('on');
    expect(msToNextFlip(1_000_120)).toBe(BLINK_HALF_PERIOD_MS - 120);
    expect(msToNextFlip(1_000_000)).toBe(BLINK_HALF_PERIOD_MS);
  });

  it('flips data-blink on the root at every half period with one timer, and stops cleanly', () => {
    const root = document.createElement('div');
    const clock = fakeDeps(10_120);
    const stop = startBlinkClock(root, clock.deps);
    expect(root.dataset.blink).toBe('on');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(BLINK_HALF_PERIOD_MS);
      seen.push(root.dataset.blink ?? '');
      expect(clock.pending()).toBe(1);
    }
    expect(seen).toEqual(['off', 'on', 'off', 'on']);
    stop();
    expect(clock.pending()).toBe(0);
    expect(root.dataset.blink).toBeUndefined();
    expect(clock.listeners).toHaveLength(0);
  });

  it('holds flashing elements steady while reduced motion is asked for, and resumes when it no longer is', () => {
    const root = document.createElement('div');
    const clock = fakeDeps(0, true);
    const stop = startBlinkClock(root, clock.deps);
    expect(root.dataset.blink).toBe('steady');
    expect(clock.pending()).toBe(0);
    clock.setReduced(false);
    expect(root.dataset.blink).toBe('on');
    clock.advance(BLINK_HALF_PERIOD_MS);
    expect(root.dataset.blink).toBe('off');
    clock.setReduced(true);
    expect(root.dataset.blink).toBe('steady');
    expect(clock.pending()).toBe(0);
    stop();
  });
});
