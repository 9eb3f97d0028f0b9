import { ref, type Ref } from 'vue';
import type { SoundPattern } from './alarm-sound';

/** The part of the Web Audio API the horn uses (a fake in unit tests). */
export type HornContext = Pick<
  AudioContext,
  'state' | 'currentTime' | 'destination' | 'onstatechange' | 'resume' | 'close' | 'createOscillator' | 'createGain'
>;

export interface Horn {
  /** False where the browser has no Web Audio API: the console says so instead of staying silent unnoticed. */
  readonly supported: boolean;
  /** True once the browser lets the page play sound (autoplay policies need a user gesture first). */
  readonly unlocked: Ref<boolean>;
  /** Priority of the pattern now sounding, or null when quiet. */
  readonly playing: Ref<number | null>;
  /** Call from a user gesture (click, key): resumes the audio context. */
  unlock(): Promise<void>;
  /** Plays `pattern` over and over, or stops with null; the same pattern again changes nothing. */
  play(pattern: SoundPattern | null): void;
  dispose(): void;
}

function browserContext(): HornContext | null {
  const Ctor = (globalThis as { AudioContext?: new () => AudioContext }).AudioContext;
  if (Ctor === undefined) return null;
  try {
    return new Ctor();
  } catch {
    return null;
  }
}

/** A function, not an inline comparison: the state changes across the `await` of resume(). */
const running = (ctx: HornContext): boolean => ctx.state === 'running';

/** Short attack and release so that beeps do not click. */
const RAMP_S = 0.01;
const VOLUME = 0.35;

/**
 * The audible alarm: oscillator beeps in the pattern of the most urgent sounding alarm (no audio files). The
 * context is made at once; browsers keep it suspended until a user gesture, which `unlock` turns into running.
 */
export function createHorn(makeContext: () => HornContext | null = browserContext): Horn {
  const ctx = makeContext();
  const unlocked = ref(ctx?.state === 'running');
  const playing = ref<number | null>(null);
  let current: SoundPattern | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  if (ctx) ctx.onstatechange = () => (unlocked.value = ctx.state === 'running');

  const burst = (p: SoundPattern): void => {
    if (!ctx || ctx.state !== 'running') return;
    let t = ctx.currentTime + 0.02;
    for (const tone of p.tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.setValueAtTime(tone.freqHz, t);
      const end = t + tone.durationMs / 1000;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(VOLUME, t + RAMP_S);
      gain.gain.setValueAtTime(VOLUME, end - RAMP_S);
      gain.gain.linearRampToValueAtTime(0, end);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(end);
      t = end + tone.gapMs / 1000;
    }
  };

  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
    current = null;
    playing.value = null;
  };

  return {
    supported: ctx !== null,
    unlocked,
    playing,
    unlock: async () => {
      if (!ctx || ctx.state === 'running') return;
      await ctx.resume().catch(() => undefined);
      unlocked.value = running(ctx);
      // A pattern asked for while locked starts now rather than at its next repeat.
      if (unlocked.value && current) burst(current);
    },
    play: (pattern) => {
      if (pattern?.priority === current?.priority) return;
      stop();
      if (!pattern) return;
      current = pattern;
      playing.value = pattern.priority;
      burst(pattern);
      timer = setInterval(() => burst(pattern), pattern.repeatMs);
    },
    dispose: () => {
      stop();
      if (ctx) {
        ctx.onstatechange = null;
        void ctx.close().catch(() => undefined);
      }
    },
  };
}
