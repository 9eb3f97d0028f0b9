import type { TagDef } from '@hazard/server/contracts';
import type { Rng } from './rng';

/** Closed interval [lo, hi] in a tag's unit; either end may be infinite when nothing bounds it. */
export type Band = readonly [lo: number, hi: number];

/** Decimals of every analog value on the wire: millimetres of level, thousandths of a kPa or %LEL. */
export const VALUE_DECIMALS = 3;

export function roundValue(value: number, decimals = VALUE_DECIMALS): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function clamp(value: number, [lo, hi]: Band): number {
  return Math.min(hi, Math.max(lo, value));
}

/**
 * Where a tag may wander in normal operation: inside its instrument range and clear of its alarm limits, so that
 * alarms come only from scenarios. The clearance from a limit is the larger of twice the deadband and 10 % of the
 * span between the low and high limits (or range ends), so noise never chatters on a limit.
 */
export function normalBand(def: TagDef): Band {
  const rangeLo = def.range?.[0] ?? -Infinity;
  const rangeHi = def.range?.[1] ?? Infinity;
  const limits = def.limits ?? {};
  const lowLimit = limits.l ?? limits.ll;
  const highLimit = limits.h ?? limits.hh;
  const rawLo = lowLimit ?? rangeLo;
  const rawHi = highLimit ?? rangeHi;
  const span = rawHi - rawLo;
  const clearance = Math.max(2 * (limits.deadband ?? 0), Number.isFinite(span) ? 0.1 * span : 0);
  const lo = lowLimit === undefined ? rangeLo : Math.max(rangeLo, lowLimit + clearance);
  const hi = highLimit === undefined ? rangeHi : Math.min(rangeHi, highLimit - clearance);
  if (lo <= hi) return [lo, hi];
  const middle = (rawLo + rawHi) / 2;
  return [middle, middle];
}

/**
 * The part of `preferred` (a device's typical operating band) that lies inside `allowed`; when they do not overlap,
 * a band of the same width (at most) pushed against the nearer end of `allowed`. The result is always finite when
 * `preferred` is.
 */
export function fitBand(preferred: Band, allowed: Band): Band {
  const lo = Math.max(preferred[0], allowed[0]);
  const hi = Math.min(preferred[1], allowed[1]);
  if (lo <= hi) return [lo, hi];
  const width = Math.min(preferred[1] - preferred[0], allowed[1] - allowed[0]);
  return preferred[0] > allowed[1] ? [allowed[1] - width, allowed[1]] : [allowed[0], allowed[0] + width];
}

/**
 * A mean-reverting random walk (Ornstein–Uhlenbeck process) kept inside a band. Stepped with the exact
 * discretisation, so its statistics do not depend on the tick rate.
 */
export interface AnalogProcess {
  /** Level the walk drifts back to. */
  readonly mean: number;
  /** Standard deviation of the walk around its mean in the long run. */
  readonly stdDev: number;
  /** How fast it reverts: after this long a deviation has decayed to 1/e. */
  readonly timeConstantMs: number;
  /** Hard bounds; the walk reflects off them. */
  readonly band: Band;
}

/** A starting value drawn from the process's long-run distribution. */
export function sampleAnalog(process: AnalogProcess, rng: Rng): number {
  return clamp(process.mean + process.stdDev * rng.normal(), process.band);
}

/** The value `dtMs` later. */
export function stepAnalog(process: AnalogProcess, value: number, dtMs: number, rng: Rng): number {
  if (dtMs <= 0) return value;
  const decay = Math.exp(-dtMs / process.timeConstantMs);
  const next =
    process.mean + (value - process.mean) * decay + process.stdDev * Math.sqrt(1 - decay * decay) * rng.normal();
  const [lo, hi] = process.band;
  const reflected = next > hi ? 2 * hi - next : next < lo ? 2 * lo - next : next;
  return clamp(reflected, process.band);
}
