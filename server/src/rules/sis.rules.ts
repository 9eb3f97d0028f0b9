import type { AlarmCondition, SamplePoint, SisLoop } from '../contracts';
import type { SiteIndex } from '../site';
import { conditionInput, type Rule, type RuleHost, type TagAlarmContext } from './rule';

/**
 * Default of `bypassMaxMin`: one 8-hour shift. Our default, not a legal figure (SAWS Order 40 Art. 13 requires
 * the SIS in service; how long a bypass may stand is the site's bypass-permit procedure): configurable per loop.
 */
export const DEFAULT_BYPASS_MAX_MIN = 480;

/**
 * A discrete state condition: active while the tag reports `state`, once it has done so for `forMs` (0: at once).
 * The state is judged on points and, for a time-based condition, on the tick. Serves SIS_BYPASSED, SIS_TRIPPED,
 * SIS_FAULT, SIS_BYPASS_LONG and VALVE_FAULT.
 */
export class DiscreteStateRule implements Rule {
  readonly key: string;
  private inState = false;
  private sinceMs = 0;
  private active = false;
  private primed = false;
  private lastValue: string | null = null;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly condition: AlarmCondition,
    private readonly state: string,
    private readonly forMs = 0,
  ) {
    this.key = `${ctx.info.def.tag}:${condition}`;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    if (typeof point.v !== 'string' || point.q === 'bad') return;
    this.lastValue = point.v;
    const inState = point.v === this.state;
    if (inState !== this.inState) this.sinceMs = nowMs;
    this.inState = inState;
    this.update(nowMs, host, true);
  }

  onTick(nowMs: number, host: RuleHost): void {
    if (this.forMs > 0 && this.inState && !this.active) this.update(nowMs, host, false);
  }

  private update(nowMs: number, host: RuleHost, fromPoint: boolean): void {
    const active = this.inState && nowMs - this.sinceMs >= this.forMs;
    if (active === this.active && (this.primed || !fromPoint)) return;
    // In the state but not yet for `forMs` since we first saw it: after a restart the state may be older than
    // this process, so a standing alarm restored from the journal is not returned on that guess.
    if (!active && this.inState && !this.primed) return;
    this.active = active;
    this.primed = true;
    const detail = active && this.forMs > 0 ? `（已持续 ${Math.round((nowMs - this.sinceMs) / 60_000)} min）` : '';
    host.emit(conditionInput(this.ctx, this.condition, active, this.lastValue, null, nowMs, detail));
  }
}

/**
 * The conditions of an SIS loop's state tag (SAWS Order 40 Art. 13: the SIS must be in service; DOMAIN.md: a
 * bypassed loop is itself a safety condition to flag and escalate): SIS_BYPASSED while bypassed, SIS_BYPASS_LONG
 * once bypassed longer than the loop's `bypassMaxMin`, SIS_TRIPPED while tripped (its key `{tag}:SIS_TRIPPED`
 * drives the designed suppression of the loop's `suppresses` tags in AlarmService), SIS_FAULT while faulted.
 */
export function sisRules(ctx: TagAlarmContext, site: SiteIndex): Rule[] {
  const { def, sourceId, equipmentId } = ctx.info;
  if (def.kind !== 'sis_state') return [];
  const loop = site.sources
    .get(sourceId)
    ?.source.equipment.find((q): q is SisLoop => q.id === equipmentId && q.type === 'sis_loop');
  const bypassMaxMin = loop?.bypassMaxMin ?? DEFAULT_BYPASS_MAX_MIN;
  return [
    new DiscreteStateRule(ctx, 'SIS_BYPASSED', 'bypassed'),
    new DiscreteStateRule(ctx, 'SIS_BYPASS_LONG', 'bypassed', bypassMaxMin * 60_000),
    new DiscreteStateRule(ctx, 'SIS_TRIPPED', 'tripped'),
    new DiscreteStateRule(ctx, 'SIS_FAULT', 'fault'),
  ];
}
