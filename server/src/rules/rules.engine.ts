import type { LimitLevel, SamplePoint } from '../contracts';
import type { SiteIndex, TagInfo } from '../site';
import type { LimitInput } from '../alarms/alarm.state';
import { compileLimits, highLevel, limitValue, lowLevel, type CompiledLimits } from './limit.rules';

/** Per-tag rule state, compiled once when the site model loads (DESIGN.md §2 hot-path rule). */
interface TagRules {
  info: TagInfo;
  limits: CompiledLimits;
  hi: LimitLevel | null;
  lo: LimitLevel | null;
}

/**
 * Evaluates every rule of a tag on each point. Emits a LimitInput only when a side's level changes, so the
 * common case (value inside its limits, nothing changed) allocates nothing.
 */
export class RulesEngine {
  private readonly byTag = new Map<string, TagRules>();

  constructor(site: SiteIndex) {
    for (const info of site.tags.values()) {
      const limits = compileLimits(info.def);
      if (limits) this.byTag.set(info.def.tag, { info, limits, hi: null, lo: null });
    }
  }

  /** Number of tags with compiled rules. */
  get size(): number {
    return this.byTag.size;
  }

  /** Evaluates one point; calls `emit` for each side whose level changed. */
  evaluate(point: SamplePoint, nowMs: number, emit: (input: LimitInput) => void): void {
    const rules = this.byTag.get(point.tag);
    // Bad-quality values do not raise process alarms; the sensor-fault rule reports them (issue 5).
    if (!rules || typeof point.v !== 'number' || point.q === 'bad') return;
    const v = point.v;
    const hi = highLevel(rules.limits, v, rules.hi);
    if (hi !== rules.hi) {
      const left = rules.hi;
      rules.hi = hi;
      emit(this.input(rules, 'hi', hi, left, v, nowMs));
    }
    const lo = lowLevel(rules.limits, v, rules.lo);
    if (lo !== rules.lo) {
      const left = rules.lo;
      rules.lo = lo;
      emit(this.input(rules, 'lo', lo, left, v, nowMs));
    }
  }

  private input(
    rules: TagRules,
    side: 'hi' | 'lo',
    level: LimitLevel | null,
    left: LimitLevel | null,
    value: number,
    nowMs: number,
  ): LimitInput {
    const { info, limits } = rules;
    // On return, report the limit of the level that was left, so the message still names it.
    const shownLevel: LimitLevel = level ?? left ?? (side === 'hi' ? 'H' : 'L');
    return {
      tag: info.def.tag,
      enterpriseId: info.enterpriseId,
      sourceId: info.sourceId,
      side,
      level,
      value,
      limit: limitValue(limits, shownLevel),
      priority: limits.priority[shownLevel],
      unit: info.def.unit,
      tagName: info.def.name,
      nowMs,
    };
  }
}
