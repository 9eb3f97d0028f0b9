import type { AlarmPriority, AlarmSide, LimitLevel, Limits, TagDef } from '../contracts';

/** Default priorities (ISA-18.2: priority follows consequence and time to respond): HH/LL high, H/L medium. */
export const DEFAULT_LIMIT_PRIORITY: Record<LimitLevel, AlarmPriority> = { HH: 2, H: 3, L: 3, LL: 2 };

/** The limits of one tag, compiled once when the site model loads. */
export interface CompiledLimits {
  hh?: number;
  h?: number;
  l?: number;
  ll?: number;
  /** Hysteresis in the tag's unit (ISA-18.2 §… "alarm deadband"). */
  deadband: number;
  priority: Record<LimitLevel, AlarmPriority>;
}

/** Null when the tag has no analog limits. */
export function compileLimits(def: TagDef): CompiledLimits | null {
  const limits: Limits | undefined = def.limits;
  if (!limits) return null;
  const { hh, h, l, ll } = limits;
  if (hh === undefined && h === undefined && l === undefined && ll === undefined) return null;
  const p = limits.priorities ?? {};
  return {
    hh,
    h,
    l,
    ll,
    deadband: limits.deadband ?? 0,
    priority: {
      HH: p.hh ?? DEFAULT_LIMIT_PRIORITY.HH,
      H: p.h ?? DEFAULT_LIMIT_PRIORITY.H,
      L: p.l ?? DEFAULT_LIMIT_PRIORITY.L,
      LL: p.ll ?? DEFAULT_LIMIT_PRIORITY.LL,
    },
  };
}

/**
 * The high-side level for a value, given the level currently in alarm. An alarm is raised when the value reaches
 * the limit and returns only once the value is below the limit by the deadband, so noise around a limit does not
 * chatter (EEMUA 191 §… nuisance alarms).
 */
export function highLevel(c: CompiledLimits, value: number, current: LimitLevel | null): 'HH' | 'H' | null {
  if (c.hh !== undefined && (value >= c.hh || (current === 'HH' && value > c.hh - c.deadband))) return 'HH';
  if (c.h !== undefined && (value >= c.h || ((current === 'H' || current === 'HH') && value > c.h - c.deadband)))
    return 'H';
  return null;
}

/** The low-side mirror of highLevel. */
export function lowLevel(c: CompiledLimits, value: number, current: LimitLevel | null): 'LL' | 'L' | null {
  if (c.ll !== undefined && (value <= c.ll || (current === 'LL' && value < c.ll + c.deadband))) return 'LL';
  if (c.l !== undefined && (value <= c.l || ((current === 'L' || current === 'LL') && value < c.l + c.deadband)))
    return 'L';
  return null;
}

/** The limit value of a level. */
export function limitValue(c: CompiledLimits, level: LimitLevel): number {
  const v = level === 'HH' ? c.hh : level === 'H' ? c.h : level === 'L' ? c.l : c.ll;
  // Only called with a level that highLevel/lowLevel returned, which requires the limit to exist.
  return v ?? Number.NaN;
}

/** Severity order within a side: HH and LL are worse than H and L. */
export function isWorse(next: LimitLevel, prev: LimitLevel): boolean {
  return (next === 'HH' && prev === 'H') || (next === 'LL' && prev === 'L');
}

export function sideOf(level: LimitLevel): AlarmSide {
  return level === 'HH' || level === 'H' ? 'hi' : 'lo';
}
