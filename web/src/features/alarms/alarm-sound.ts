import type { Alarm, AlarmPriority } from '@hazard/server/contracts';
import { isFlashing } from './alarms.model';

/** One beep of a pattern. */
export interface Tone {
  freqHz: number;
  durationMs: number;
  /** Silence after the tone, before the next one of the burst. */
  gapMs: number;
}

/** A burst of tones repeated every `repeatMs` (from the start of one burst to the start of the next). */
export interface SoundPattern {
  priority: AlarmPriority;
  tones: readonly Tone[];
  repeatMs: number;
}

const burst = (count: number, freqsHz: readonly number[], durationMs: number, gapMs: number): Tone[] =>
  Array.from({ length: count }, (_, i) => ({ freqHz: freqsHz[i % freqsHz.length]!, durationMs, gapMs }));

/**
 * One distinct sound per priority (ISA-18.2 / EEMUA 191: the operator must tell the priority by ear). The shapes
 * follow IEC 60601-1-8's idea: more pulses, faster and higher for higher priority; P1 alternates two pitches and
 * repeats every 1.5 s, P4 is a single low beep every 10 s.
 */
export const SOUND_PATTERNS: Record<AlarmPriority, SoundPattern> = {
  1: { priority: 1, tones: burst(5, [988, 784], 140, 60), repeatMs: 1500 },
  2: { priority: 2, tones: burst(3, [784], 160, 110), repeatMs: 3000 },
  3: { priority: 3, tones: burst(2, [659], 200, 160), repeatMs: 6000 },
  4: { priority: 4, tones: burst(1, [523], 250, 0), repeatMs: 10_000 },
};

/** A temporary silence: alarms annunciated up to `atMs` do not sound until `untilMs`. */
export interface Silence {
  atMs: number;
  untilMs: number;
  /** Who pressed it, for the local silence log. */
  user: string;
}

/** Since when an alarm waits unacknowledged (raise, re-alarm or release from an overlay). */
const annunciatedAtOf = (a: Alarm): number => a.annunciatedAt ?? a.raisedAt;

/**
 * Whether an unacknowledged alarm sounds now. A silence quiets only the alarms already annunciated when it was
 * pressed, and only until it runs out: a new alarm (or a re-alarm) sounds at once (ISA-18.2: silencing stops the
 * horn, not the annunciation of what comes next).
 */
export function sounds(a: Alarm, silence: Silence | null, nowMs: number): boolean {
  if (!isFlashing(a)) return false;
  if (silence === null || nowMs >= silence.untilMs) return true;
  return annunciatedAtOf(a) > silence.atMs;
}

/** The pattern to play: that of the most urgent alarm that sounds, or null for quiet. */
export function patternFor(alarms: Iterable<Alarm>, silence: Silence | null, nowMs: number): SoundPattern | null {
  let best: AlarmPriority | null = null;
  for (const a of alarms) {
    if (!sounds(a, silence, nowMs)) continue;
    if (best === null || a.priority < best) best = a.priority;
  }
  return best === null ? null : SOUND_PATTERNS[best];
}

/** Length of one burst, ms (the tones and the gaps between them). */
export function burstMs(p: SoundPattern): number {
  return p.tones.reduce((sum, t) => sum + t.durationMs + t.gapMs, 0);
}
