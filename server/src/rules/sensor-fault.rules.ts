import type { SamplePoint, TagKind } from '../contracts';
import { conditionInput, type Rule, type RuleHost, type TagAlarmContext } from './rule';

// No global lookups on the hot path (limit.rules.ts says why).
const isNan = Number.isNaN;
const NAN = Number.NaN;
const abs = Math.abs;

/** Tags that carry a measured number (the others report discrete states). */
export const ANALOG_KINDS: ReadonlySet<TagKind> = new Set(['level', 'temperature', 'pressure', 'flow', 'gas']);

/**
 * BAD_QUALITY: the source says its value is bad (`q: "bad"`: a transmitter fault, an open loop, a gateway that
 * lost the PLC register). `uncertain` is not bad. The process rules ignore bad values, so this is what the
 * operator sees instead of a silent gap.
 */
export class BadQualityRule implements Rule {
  readonly key: string;
  private active = false;
  private primed = false;

  constructor(private readonly ctx: TagAlarmContext) {
    this.key = `${ctx.info.def.tag}:BAD_QUALITY`;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const bad = point.q === 'bad';
    if (bad === this.active && this.primed) return;
    this.active = bad;
    this.primed = true;
    host.emit(conditionInput(this.ctx, 'BAD_QUALITY', bad, point.v, null, nowMs));
  }
}

/**
 * OUT_OF_RANGE: a number outside the tag's instrument `range`. A 4–20 mA transmitter under- or over-ranges when it
 * saturates or fails (NAMUR NE 43: below 3.8 mA / above 20.5 mA), which a gateway scales to a value beyond the
 * range; the value is then no measurement, whatever the limits say.
 */
export class OutOfRangeRule implements Rule {
  readonly key: string;
  private active = false;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly min: number,
    private readonly max: number,
  ) {
    this.key = `${ctx.info.def.tag}:OUT_OF_RANGE`;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const v = point.v;
    if (typeof v !== 'number' || point.q === 'bad') return;
    const outside = v < this.min || v > this.max;
    if (outside === this.active && this.primed) return;
    this.active = outside;
    this.primed = true;
    const limit = v < this.min ? this.min : this.max;
    host.emit(
      conditionInput(
        this.ctx,
        'OUT_OF_RANGE',
        outside,
        v,
        limit,
        nowMs,
        `（量程 ${this.min}…${this.max}${this.ctx.info.def.unit}）`,
      ),
    );
  }
}

/**
 * FLATLINE: a reported value that has not moved by more than `tolerance` for `afterMs` (a stuck transmitter, a
 * frozen register). Point-driven: values that stop arriving are STALE, not flat. Opt-in per tag (`flatline`).
 */
export class FlatlineRule implements Rule {
  readonly key: string;
  private refValue = NAN;
  private sinceMs = 0;
  private active = false;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly afterMs: number,
    private readonly tolerance: number,
  ) {
    this.key = `${ctx.info.def.tag}:FLATLINE`;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const v = point.v;
    if (typeof v !== 'number' || point.q === 'bad') return;
    if (isNan(this.refValue) || abs(v - this.refValue) > this.tolerance) {
      this.refValue = v;
      this.sinceMs = nowMs;
    }
    const flat = nowMs - this.sinceMs >= this.afterMs;
    if (flat === this.active && this.primed) return;
    this.active = flat;
    this.primed = true;
    const minutes = Math.round((nowMs - this.sinceMs) / 60_000);
    host.emit(conditionInput(this.ctx, 'FLATLINE', flat, v, null, nowMs, flat ? `（${minutes} min 无变化）` : ''));
  }
}

/** The sensor-fault rules of a tag: bad quality always, out of range when it has a range, flat line when asked. */
export function sensorFaultRules(ctx: TagAlarmContext): Rule[] {
  const def = ctx.info.def;
  const out: Rule[] = [new BadQualityRule(ctx)];
  if (!ANALOG_KINDS.has(def.kind)) return out;
  if (def.range) out.push(new OutOfRangeRule(ctx, def.range[0], def.range[1]));
  if (def.flatline) out.push(new FlatlineRule(ctx, def.flatline.afterMin * 60_000, def.flatline.tolerance ?? 0));
  return out;
}
