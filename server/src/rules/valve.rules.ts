import type { AlarmCondition, EsdValve, SamplePoint } from '../contracts';
import type { SiteIndex } from '../site';
import { conditionInput, type Rule, type RuleHost, type TagAlarmContext } from './rule';
import { DiscreteStateRule } from './sis.rules';

/**
 * Whether an ESD valve does what it is asked (SAWS Order 40 Art. 13: emergency shut-off in service).
 *
 * The site model has no command tag for a valve: its one known demand is `closed`, from every SIS loop that
 * `closes` it, while any of them reports `tripped`. Without a demand (normal operation, or after the trip clears
 * and the valve waits for its manual reset) only the travel check applies, so a simulator or gateway that
 * publishes positions alone raises no mismatch.
 * - VALVE_TRAVEL: the valve has reported `travel` for longer than its full-stroke `travelTimeS`, or still reports
 *   `travel` `travelTimeS` after a close demand: it did not reach its end position in time.
 * - VALVE_MISMATCH: `travelTimeS` after a close demand the valve stands at a position other than `closed` without
 *   moving (`open`): it ignored the demand. A `fault` position is VALVE_FAULT's, not a mismatch as well.
 */
export class ValveDemandRule implements Rule {
  readonly key: string;
  readonly inputs: readonly string[];
  private readonly valveTag: string;
  private readonly loopIndex = new Map<string, number>();
  private readonly loopTripped: Uint8Array;
  private trippedCount = 0;
  private demandSinceMs = 0;
  private position: string | null = null;
  private positionSinceMs = 0;
  private travelActive = false;
  private mismatchActive = false;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly travelMs: number,
    private readonly loopTags: readonly string[],
  ) {
    this.valveTag = ctx.info.def.tag;
    this.key = `${this.valveTag}:VALVE_TRAVEL`;
    this.inputs = [this.valveTag, ...loopTags];
    loopTags.forEach((t, i) => this.loopIndex.set(t, i));
    this.loopTripped = new Uint8Array(loopTags.length);
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    if (typeof point.v !== 'string' || point.q === 'bad') return;
    if (point.tag === this.valveTag) {
      if (point.v !== this.position) this.positionSinceMs = nowMs;
      this.position = point.v;
      this.update(nowMs, host, true);
      return;
    }
    const i = this.loopIndex.get(point.tag);
    if (i === undefined) return;
    const tripped = point.v === 'tripped' ? 1 : 0;
    if (tripped === this.loopTripped[i]) return;
    this.loopTripped[i] = tripped;
    this.trippedCount += tripped === 1 ? 1 : -1;
    if (tripped === 1 && this.trippedCount === 1) this.demandSinceMs = nowMs;
    if (this.primed) this.update(nowMs, host, false);
  }

  onTick(nowMs: number, host: RuleHost): void {
    if (this.primed) this.update(nowMs, host, false);
  }

  private update(nowMs: number, host: RuleHost, fromPoint: boolean): void {
    const p = this.position;
    const demanded = this.trippedCount > 0 && nowMs - this.demandSinceMs >= this.travelMs;
    const travel = p === 'travel' && (nowMs - this.positionSinceMs >= this.travelMs || demanded);
    const mismatch = demanded && p !== null && p !== 'closed' && p !== 'travel' && p !== 'fault';
    const first = fromPoint && !this.primed;
    this.primed = true;
    if (travel !== this.travelActive || first) {
      this.travelActive = travel;
      this.report('VALVE_TRAVEL', travel, nowMs, host, `（全行程时间 ${this.travelMs / 1000} s）`);
    }
    if (mismatch !== this.mismatchActive || first) {
      this.mismatchActive = mismatch;
      this.report('VALVE_MISMATCH', mismatch, nowMs, host, mismatch ? `：联锁要求关闭，阀位 ${p}` : '');
    }
  }

  private report(condition: AlarmCondition, active: boolean, nowMs: number, host: RuleHost, detail: string): void {
    host.emit(conditionInput(this.ctx, condition, active, this.position, null, nowMs, active ? detail : ''));
  }
}

/** The conditions of an ESD valve's position tag: fault, travel and mismatch against its loops' close demand. */
export function valveRules(ctx: TagAlarmContext, site: SiteIndex): Rule[] {
  const { def, sourceId, equipmentId } = ctx.info;
  if (def.kind !== 'valve_position') return [];
  const equipment = site.sources.get(sourceId)?.source.equipment ?? [];
  const valve = equipment.find((q): q is EsdValve => q.id === equipmentId && q.type === 'esd_valve');
  const out: Rule[] = [new DiscreteStateRule(ctx, 'VALVE_FAULT', 'fault')];
  if (!valve) return out;
  const loopTags = equipment.flatMap((q) =>
    q.type === 'sis_loop' && q.closes.includes(valve.id)
      ? q.tags.filter((t) => t.kind === 'sis_state').map((t) => t.tag)
      : [],
  );
  out.push(new ValveDemandRule(ctx, valve.travelTimeS * 1000, loopTags));
  return out;
}
