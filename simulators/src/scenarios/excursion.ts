import type { TagDef } from '@hazard/server/contracts';
import { SimulatorConfigError } from '../errors';

/** When an excursion happens; all times in ms since the simulator started. */
export interface ExcursionTiming {
  /** Normal operation before the first rise. */
  startAfterMs: number;
  /** Linear rise from the normal value to the peak. */
  riseMs: number;
  /** Time spent at the peak. */
  holdMs: number;
  /** Linear fall from the peak back to the normal value. */
  fallMs: number;
  /** Period of the whole cycle, counted from each rise's start; 0 plays it once. */
  repeatEveryMs: number;
}

/** Scripted excursion of one tag: the tag and any timing that differs from the defaults. */
export interface ExcursionOptions extends Partial<ExcursionTiming> {
  /** 位号 to drive, e.g. LIA-101; it needs `h` and `hh` limits. */
  tag: string;
}

/** Alarms show within a minute of start: rise begins at 15 s and reaches HH before 35 s. */
export const DEFAULT_EXCURSION_TIMING: Readonly<ExcursionTiming> = {
  startAfterMs: 15_000,
  riseMs: 20_000,
  holdMs: 10_000,
  fallMs: 15_000,
  repeatEveryMs: 120_000,
};

/** Default excursion tag: the first methanol tank's level in the demo site. */
export const DEFAULT_EXCURSION_TAG = 'LIA-101';

/** How far past HH the peak goes, as a fraction of the H–HH gap. */
const OVERSHOOT_OF_HH_GAP = 0.3;

/** Where the excursion is in its cycle. */
export type ExcursionPhase = 'normal' | 'rise' | 'hold' | 'fall';

/**
 * A high excursion of one analog tag: from its normal value linearly up through H and HH to
 * HH + 0.3·(HH − H) (clamped to the range), a hold, a linear fall back to the normal value (which the device models
 * keep below H − deadband), then normal operation until the next cycle.
 */
export class Excursion {
  readonly tag: string;
  readonly h: number;
  readonly hh: number;
  readonly deadband: number;
  /** Highest value reached. */
  readonly peak: number;
  readonly timing: Readonly<ExcursionTiming>;

  constructor(def: TagDef, timing: Partial<ExcursionTiming> = {}) {
    const h = def.limits?.h;
    const hh = def.limits?.hh;
    if (h === undefined || hh === undefined) {
      throw new SimulatorConfigError(`excursion tag ${def.tag} needs both h and hh limits in the site model`);
    }
    this.tag = def.tag;
    this.h = h;
    this.hh = hh;
    this.deadband = def.limits?.deadband ?? 0;
    this.peak = Math.min(hh + OVERSHOOT_OF_HH_GAP * (hh - h), def.range?.[1] ?? Infinity);
    this.timing = Excursion.checkTiming(withDefaults(timing));
  }

  /** Length of one rise–hold–fall. */
  get activeMs(): number {
    return this.timing.riseMs + this.timing.holdMs + this.timing.fallMs;
  }

  /** Phase and time into the current cycle at `tMs` since start. */
  phaseAt(tMs: number): { phase: ExcursionPhase; intoCycleMs: number } {
    const { startAfterMs, riseMs, holdMs, repeatEveryMs } = this.timing;
    const sinceStart = tMs - startAfterMs;
    if (sinceStart < 0) return { phase: 'normal', intoCycleMs: sinceStart };
    const intoCycleMs = repeatEveryMs > 0 ? sinceStart % repeatEveryMs : sinceStart;
    if (intoCycleMs < riseMs) return { phase: 'rise', intoCycleMs };
    if (intoCycleMs < riseMs + holdMs) return { phase: 'hold', intoCycleMs };
    if (intoCycleMs < this.activeMs) return { phase: 'fall', intoCycleMs };
    return { phase: 'normal', intoCycleMs };
  }

  /** The tag's value at `tMs` since start, given the value the device model would report (`baseValue`). */
  valueAt(baseValue: number, tMs: number): number {
    const { riseMs, holdMs, fallMs } = this.timing;
    const { phase, intoCycleMs } = this.phaseAt(tMs);
    switch (phase) {
      case 'normal':
        return baseValue;
      case 'rise':
        return baseValue + (this.peak - baseValue) * (intoCycleMs / riseMs);
      case 'hold':
        return this.peak;
      case 'fall':
        return this.peak + (baseValue - this.peak) * ((intoCycleMs - riseMs - holdMs) / fallMs);
    }
  }

  private static checkTiming(timing: ExcursionTiming): ExcursionTiming {
    for (const [key, value] of Object.entries(timing)) {
      if (!Number.isFinite(value) || value < 0) {
        throw new SimulatorConfigError(`excursion ${key} must be a finite number ≥ 0, got ${value}`);
      }
    }
    if (timing.riseMs === 0 || timing.fallMs === 0) {
      throw new SimulatorConfigError('excursion riseMs and fallMs must be above 0');
    }
    const activeMs = timing.riseMs + timing.holdMs + timing.fallMs;
    if (timing.repeatEveryMs !== 0 && timing.repeatEveryMs < activeMs) {
      throw new SimulatorConfigError(
        `excursion repeatEveryMs (${timing.repeatEveryMs}) must be 0 or at least rise + hold + fall (${activeMs})`,
      );
    }
    return timing;
  }
}

const TIMING_KEYS = ['startAfterMs', 'riseMs', 'holdMs', 'fallMs', 'repeatEveryMs'] as const;

/** The defaults overridden by the keys of `timing` that are set; anything else in `timing` is ignored. */
function withDefaults(timing: Partial<ExcursionTiming>): ExcursionTiming {
  const result = { ...DEFAULT_EXCURSION_TIMING };
  for (const key of TIMING_KEYS) {
    const value = timing[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}
