import type { SamplePoint, StaleReason } from '../contracts';
import { tagFreshness, tagMaxAgeMs } from '../health/data-health';
import type { SiteIndex } from '../site';
import { conditionInput, type Rule, type RuleHost, type TagAlarmContext } from './rule';

const REASON_TEXT: Record<Exclude<StaleReason, 'max_age'>, string> = {
  gateway_offline: '网关离线',
  node_death: 'Sparkplug 节点离线',
  device_death: 'Sparkplug 设备离线',
};

/**
 * Communication loss of one tag (STALE), by data health's own definition of freshness (`tagFreshness`,
 * docs/data-health.md): no value within the tag's `maxAgeS` (else DATA_STALE_S), judged on the tick, or at once
 * when the gateway's last will or a Sparkplug death marks the tag stale, until its next value. A tag never seen
 * is `no_data` there and raises nothing here; receive time dates the values, as in data health.
 */
export class StaleRule implements Rule {
  readonly key: string;
  private lastSeenMs = 0;
  private active = false;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly maxAgeMs: number,
  ) {
    this.key = `${ctx.info.def.tag}:STALE`;
  }

  onPoint(_point: SamplePoint, nowMs: number, host: RuleHost): void {
    this.lastSeenMs = nowMs;
    if (this.active || !this.primed) this.report(false, nowMs, host, 'max_age');
  }

  onTick(nowMs: number, host: RuleHost): void {
    if (this.active || this.lastSeenMs === 0) return;
    if (tagFreshness(this.lastSeenMs, false, this.maxAgeMs, nowMs) === 'stale')
      this.report(true, nowMs, host, 'max_age');
  }

  onStale(reason: StaleReason, nowMs: number, host: RuleHost): void {
    if (!this.active && tagFreshness(this.lastSeenMs, true, this.maxAgeMs, nowMs) === 'stale') {
      this.report(true, nowMs, host, reason);
    }
  }

  private report(active: boolean, nowMs: number, host: RuleHost, reason: StaleReason): void {
    this.active = active;
    this.primed = true;
    const detail = active
      ? reason === 'max_age'
        ? `：超过 ${this.maxAgeMs / 1000} s 无数据`
        : `：${REASON_TEXT[reason]}`
      : '';
    host.emit(conditionInput(this.ctx, 'STALE', active, null, null, nowMs, detail));
  }
}

/** Every tag has a STALE rule: data that stops is itself a condition the control room must see (DESIGN.md §1). */
export function staleRules(ctx: TagAlarmContext, _site: SiteIndex, opts: { defaultMaxAgeS: number }): StaleRule[] {
  return [new StaleRule(ctx, tagMaxAgeMs(ctx.info.def, opts.defaultMaxAgeS))];
}
