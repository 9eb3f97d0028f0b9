import type { RateOfChange, SamplePoint } from '../contracts';
import type { AlarmCondition } from '../contracts';
import { conditionInput, type Rule, type RuleHost, type TagAlarmContext } from './rule';
import { ANALOG_KINDS } from './sensor-fault.rules';

// No global lookups on the hot path (limit.rules.ts says why).
const isNan = Number.isNaN;
const NAN = Number.NaN;

export const DEFAULT_ROC_WINDOW_S = 60;
/** Samples kept per window: enough for a smooth rate, few enough to size the buffer at compile time. */
const SAMPLES_PER_WINDOW = 60;
/** The rate is judged once the history spans at least this share of the window (not from two close samples). */
const MIN_SPAN_OF_WINDOW = 0.5;

/** One direction's state. */
interface Direction {
  condition: AlarmCondition;
  /** Limit, tag unit per minute (positive), or NaN when not configured. */
  perMin: number;
  active: boolean;
}

/**
 * Rate of change over a sliding window (ISA-18.2 rate-of-change alarm; EEMUA 191 recommends a window over a
 * point-to-point difference so that noise does not alarm): the change from the oldest sample inside the window to
 * the newest, per minute. ROC_RISE and ROC_FALL are separate alarm points; each returns once the rate is back
 * inside its limit by the deadband.
 *
 * Samples are dated by the source timestamp (`tsMs`), not by receive time: a gateway replaying a backlog delivers
 * a minute of samples in one burst, and receive time would turn that into an absurd rate. Older or repeated
 * timestamps are ignored. The history is a ring of typed arrays sized at compile time (one sample per
 * window/60, at least 1 s apart): no allocation per point.
 */
export class RateOfChangeRule implements Rule {
  readonly key: string;
  private readonly windowMs: number;
  private readonly bucketMs: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** Index of the oldest sample, and number of samples. */
  private tail = 0;
  private count = 0;
  private lastTsMs = Number.NEGATIVE_INFINITY;
  private readonly rise: Direction;
  private readonly fall: Direction;
  private readonly deadbandPerMin: number;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    config: RateOfChange,
  ) {
    this.key = `${ctx.info.def.tag}:ROC_RISE`;
    this.windowMs = (config.windowS ?? DEFAULT_ROC_WINDOW_S) * 1000;
    this.bucketMs = Math.max(1000, this.windowMs / SAMPLES_PER_WINDOW);
    const capacity = Math.ceil(this.windowMs / this.bucketMs) + 2;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.rise = { condition: 'ROC_RISE', perMin: config.risePerMin ?? NAN, active: false };
    this.fall = { condition: 'ROC_FALL', perMin: config.fallPerMin ?? NAN, active: false };
    this.deadbandPerMin = config.deadbandPerMin ?? 0;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const v = point.v;
    const t = point.tsMs;
    if (typeof v !== 'number' || point.q === 'bad' || !(t > this.lastTsMs)) return;
    this.lastTsMs = t;
    const cap = this.times.length;
    while (this.count > 0 && this.times[this.tail]! < t - this.windowMs) {
      this.tail = (this.tail + 1) % cap;
      this.count--;
    }
    if (this.count > 0 && t - this.times[this.tail]! >= this.windowMs * MIN_SPAN_OF_WINDOW) {
      const ratePerMin = ((v - this.values[this.tail]!) / (t - this.times[this.tail]!)) * 60_000;
      this.judge(
        this.rise,
        ratePerMin >= this.rise.perMin,
        ratePerMin < this.rise.perMin - this.deadbandPerMin,
        ratePerMin,
        nowMs,
        host,
      );
      this.judge(
        this.fall,
        -ratePerMin >= this.fall.perMin,
        -ratePerMin < this.fall.perMin - this.deadbandPerMin,
        ratePerMin,
        nowMs,
        host,
      );
      this.primed = true;
    }
    const newest = (this.tail + this.count - 1 + cap) % cap;
    if (this.count === 0 || t - this.times[newest]! >= this.bucketMs) {
      if (this.count === cap) {
        this.tail = (this.tail + 1) % cap;
        this.count--;
      }
      const at = (this.tail + this.count) % cap;
      this.times[at] = t;
      this.values[at] = v;
      this.count++;
    }
  }

  private judge(
    d: Direction,
    beyond: boolean,
    inside: boolean,
    ratePerMin: number,
    nowMs: number,
    host: RuleHost,
  ): void {
    if (isNan(d.perMin)) return;
    const next = d.active ? !inside : beyond;
    if (next === d.active && this.primed) return;
    d.active = next;
    const unit = `${this.ctx.info.def.unit}/min`;
    const shown = Math.round(ratePerMin * 1000) / 1000;
    const limit = d.condition === 'ROC_RISE' ? d.perMin : -d.perMin;
    const input = conditionInput(
      this.ctx,
      d.condition,
      next,
      null,
      null,
      nowMs,
      `：${shown}${unit}（${this.windowMs / 1000} s 窗口），限值 ${limit}${unit}`,
    );
    input.value = shown;
    input.limit = limit;
    input.unit = unit;
    host.emit(input);
  }
}

/** The rate-of-change rule of an analog tag that declares `rateOfChange` with a rise or a fall limit. */
export function rateOfChangeRules(ctx: TagAlarmContext): RateOfChangeRule[] {
  const def = ctx.info.def;
  const roc = def.rateOfChange;
  if (!roc || !ANALOG_KINDS.has(def.kind) || (roc.risePerMin === undefined && roc.fallPerMin === undefined)) return [];
  return [new RateOfChangeRule(ctx, roc)];
}
