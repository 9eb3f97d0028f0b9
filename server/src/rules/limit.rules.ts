import type { LimitLevel, Limits, SamplePoint, TagDef } from '../contracts';
import { conditionInput, type Rule, type RuleHost, type TagAlarmContext } from './rule';

// Module-level aliases: the hot path reads no global (a global lookup is a slow property access inside a
// vm context such as Jest's, and costs nothing to avoid elsewhere).
const isNan = Number.isNaN;
const NAN = Number.NaN;

/** One level of a side, compiled: threshold, delays and the state of its own condition. */
interface Level {
  level: LimitLevel;
  threshold: number;
  onDelayMs: number;
  offDelayMs: number;
  /** The level's condition is in effect (after its on-delay; until its off-delay has passed). */
  effective: boolean;
  /** Since when the raw comparison has disagreed with `effective` (NaN when it agrees). */
  pendingSinceMs: number;
}

const delayMs = (d: Limits['onDelayS'], key: 'hh' | 'h' | 'l' | 'll'): number => {
  if (d === undefined) return 0;
  const s = typeof d === 'number' ? d : (d[key] ?? 0);
  return s * 1000;
};

/** The levels of one side, worst first (HH before H, LL before L); empty when the tag has none on that side. */
export function compileSide(def: TagDef, side: 'hi' | 'lo'): Level[] {
  const limits = def.limits;
  if (!limits) return [];
  const keys = side === 'hi' ? (['hh', 'h'] as const) : (['ll', 'l'] as const);
  const out: Level[] = [];
  for (const key of keys) {
    const threshold = limits[key];
    if (threshold === undefined) continue;
    out.push({
      level: key.toUpperCase() as LimitLevel,
      threshold,
      onDelayMs: delayMs(limits.onDelayS, key),
      offDelayMs: delayMs(limits.offDelayS, key),
      effective: false,
      pendingSinceMs: NAN,
    });
  }
  return out;
}

/**
 * Absolute limits of one side of a tag (ISA-18.2): a level is raised when the value reaches its limit and has
 * stayed there for its on-delay, and returns once the value has been back inside by the deadband for its
 * off-delay. The deadband stops noise around a limit from chattering (EEMUA 191); the on-delay holds an excursion
 * shorter than the delay. The side reports its worst effective level; H → HH escalates the same alarm point.
 */
export class LimitSideRule implements Rule {
  readonly key: string;
  private current: LimitLevel | null = null;
  private primed = false;
  private lastValue = NAN;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly side: 'hi' | 'lo',
    private readonly levels: Level[],
    private readonly deadband: number,
  ) {
    this.key = `${ctx.info.def.tag}:${side}`;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    // Bad-quality values raise no process alarm; the sensor-fault rule reports them.
    if (typeof point.v !== 'number' || point.q === 'bad') return;
    this.lastValue = point.v;
    this.update(nowMs, host, true);
  }

  onTick(nowMs: number, host: RuleHost): void {
    if (isNan(this.lastValue)) return;
    this.update(nowMs, host, false);
  }

  private update(nowMs: number, host: RuleHost, fromPoint: boolean): void {
    const v = this.lastValue;
    const hi = this.side === 'hi';
    for (const l of this.levels) {
      const beyond = hi
        ? v >= l.threshold || (l.effective && v > l.threshold - this.deadband)
        : v <= l.threshold || (l.effective && v < l.threshold + this.deadband);
      if (beyond === l.effective) {
        l.pendingSinceMs = NAN;
        continue;
      }
      if (isNan(l.pendingSinceMs)) l.pendingSinceMs = nowMs;
      if (nowMs - l.pendingSinceMs >= (beyond ? l.onDelayMs : l.offDelayMs)) {
        l.effective = beyond;
        l.pendingSinceMs = NAN;
      }
    }
    let level: LimitLevel | null = null;
    for (const l of this.levels) {
      if (l.effective) {
        level = l.level;
        break;
      }
    }
    if (level === this.current && (this.primed || !fromPoint)) return;
    const left = this.current;
    this.current = level;
    this.primed = true;
    const shown = level ?? left ?? this.levels[this.levels.length - 1]!.level;
    const threshold = this.levels.find((l) => l.level === shown)?.threshold ?? null;
    host.emit(conditionInput(this.ctx, shown, level !== null, v, threshold, nowMs));
  }
}

/** The limit rules of a tag: one per side that has limits. */
export function limitRules(ctx: TagAlarmContext): LimitSideRule[] {
  const def = ctx.info.def;
  const deadband = def.limits?.deadband ?? 0;
  const out: LimitSideRule[] = [];
  for (const side of ['hi', 'lo'] as const) {
    const levels = compileSide(def, side);
    if (levels.length > 0) out.push(new LimitSideRule(ctx, side, levels, deadband));
  }
  return out;
}
