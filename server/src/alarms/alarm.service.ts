import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Alarm, AlarmEvent, AlarmListState, SamplePoint, StaleReason } from '../contracts';
import { ALARM_CONDITIONS, isAnnunciated, type AlarmCondition } from '../contracts';
import { StreamSequence } from '../realtime/stream-sequence';
import { RulesEngine } from '../rules/rules.engine';
import type { RuleHost } from '../rules/rule';
import { SiteService } from '../site/site.service';
import {
  CHATTER_CLEAR_MS,
  applyCondition,
  applyDesign,
  applyOperator,
  idlePoint,
  isRefusal,
  notificationDue,
  recordActivation,
  type ConditionInput,
  type OperatorInput,
  type Step,
} from './lifecycle';

export type AlarmListener = (event: AlarmEvent) => void;

/** The outcome of an operator action, as the REST layer maps it (404 / 409 name what was wrong). */
export type ActionResult = { ok: true; event: AlarmEvent } | { ok: false; status: 404 | 409; error: string };

/** A designed suppression: while `triggerKey` is active, the alarms of `tags` are suppressed (first-out logic). */
interface Suppression {
  triggerKey: string;
  reason: string;
  tags: string[];
}

/**
 * Holds every alarm point, applies rule results and operator actions through the pure ISA-18.2 lifecycle
 * (lifecycle.ts), stamps each transition with the stream sequence and hands it to listeners (realtime push,
 * journal). A one-second tick drives time-based rules, shelving expiry, chattering clear and the priority-1
 * notification of the 包保 people.
 */
@Injectable()
export class AlarmService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlarmService.name);
  private readonly rules: RulesEngine;
  /** Every alarm point that has had an occurrence or carries an overlay, by key `{tag}:{group}`. */
  private readonly points = new Map<string, Alarm>();
  private readonly activations = new Map<string, number[]>();
  private readonly listeners: AlarmListener[] = [];
  private readonly suppressionByTrigger = new Map<string, Suppression>();
  /** Tags under a designed suppression now, with the suppression. */
  private readonly suppressedTags = new Map<string, Suppression>();
  private timer: NodeJS.Timeout | null = null;
  private readonly host: RuleHost = { emit: (input) => this.applyInput(input) };

  constructor(
    private readonly sites: SiteService,
    private readonly sequence: StreamSequence,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.rules = new RulesEngine(sites.index, { defaultMaxAgeS: config.DATA_STALE_S });
    for (const { source } of sites.index.sources.values()) {
      for (const eq of source.equipment) {
        if (eq.type !== 'sis_loop' || eq.suppresses.length === 0) continue;
        const stateTag = eq.tags.find((t) => t.kind === 'sis_state');
        if (!stateTag) continue;
        const triggerKey = `${stateTag.tag}:SIS_TRIPPED`;
        this.suppressionByTrigger.set(triggerKey, {
          triggerKey,
          reason: `${eq.id} 联锁动作（设计抑制）`,
          tags: eq.suppresses,
        });
      }
    }
    this.logger.log(`rules compiled: ${this.rules.size} alarm points`);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.tick(Date.now()), 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  addListener(listener: AlarmListener): void {
    this.listeners.push(listener);
  }

  removeListener(listener: AlarmListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /** Hot path: evaluates one point; allocates only when an alarm changes. */
  evaluate(point: SamplePoint, nowMs: number): void {
    this.rules.evaluate(point, nowMs, this.host);
  }

  /**
   * Tags made stale at once by an external cause (a Sparkplug node or device death), where ingest marks them
   * stale for data health: their STALE alarms raise now rather than after their max age.
   */
  markStale(tags: readonly string[], reason: StaleReason, nowMs: number): void {
    this.rules.markStale(tags, reason, nowMs, this.host);
  }

  /** Every tag of a hazard source made stale at once: its gateway's last will (`status` offline). */
  markSourceStale(sourceId: string, nowMs: number): void {
    this.rules.markSourceStale(sourceId, 'gateway_offline', nowMs, this.host);
  }

  /** Time-based rules and lifecycle timers; public so tests can drive time. */
  tick(nowMs: number): void {
    this.rules.tick(nowMs, this.host);
    for (const a of [...this.points.values()]) {
      if (a.shelved && nowMs >= a.shelved.untilMs) {
        this.operate(a, { type: 'unshelve', user: 'system', comment: 'shelving time over', nowMs });
      }
      if (a.chattering) {
        const recent = this.activations.get(a.key);
        const last = recent?.[recent.length - 1] ?? 0;
        if (nowMs - last >= CHATTER_CLEAR_MS) {
          this.commit({ kind: 'chatter', fromState: a.state, alarm: { ...a, chattering: false, updatedAt: nowMs } });
        }
      }
      if (notificationDue(a, nowMs, this.config.ALARM_NOTIFY_P1_MIN * 60_000)) this.notify(a, nowMs);
    }
  }

  /** Alarms on a list; `active` is what the control room must see: annunciated, not hidden. */
  list(state: AlarmListState): Alarm[] {
    const all = [...this.points.values()];
    let out: Alarm[];
    switch (state) {
      case 'active':
        out = all.filter(isAnnunciated);
        break;
      case 'unacked':
        out = all.filter(
          (a) =>
            isAnnunciated(a) && (a.state === 'unacked' || a.state === 'rtn_unacked' || a.state === 'latched_unacked'),
        );
        break;
      case 'shelved':
        out = all.filter((a) => a.shelved !== undefined);
        break;
      case 'suppressed':
        out = all.filter((a) => a.suppressed !== undefined);
        break;
      case 'out_of_service':
        out = all.filter((a) => a.outOfService !== undefined);
        break;
      case 'all':
        out = all.filter((a) => a.state !== 'normal' || a.shelved || a.suppressed || a.outOfService);
        break;
    }
    return out.sort((a, b) => a.priority - b.priority || b.raisedAt - a.raisedAt);
  }

  /** The alarm point by occurrence id or by key. */
  find(idOrKey: string): Alarm | undefined {
    const byKey = this.points.get(idOrKey);
    if (byKey) return byKey;
    for (const a of this.points.values()) if (a.id === idOrKey) return a;
    return undefined;
  }

  /**
   * An operator action on an alarm (by occurrence id or point key). Out of service may be applied to a point
   * that has never alarmed, named by key `{tag}:{group}`.
   */
  act(idOrKey: string, input: OperatorInput): ActionResult {
    let alarm = this.find(idOrKey);
    if (!alarm && input.type === 'out_of_service') alarm = this.idleFor(idOrKey, input.nowMs);
    if (!alarm) return { ok: false, status: 404, error: `no alarm "${idOrKey}"` };
    const r = applyOperator(alarm, input);
    if (isRefusal(r)) return { ok: false, status: 409, error: r.refused };
    return { ok: true, event: this.commit(r) };
  }

  /**
   * Restores alarm points rebuilt from the journal at start (alarm-journal.ts), before any point is evaluated: the
   * rules are primed, so their first evaluation meets these states and reports only what changed while down.
   */
  restore(alarms: readonly Alarm[]): void {
    for (const a of alarms) {
      this.points.set(a.key, a);
      // A chattering flag clears after 10 quiet minutes (EEMUA 191); its last activation dates the quiet time.
      if (a.chattering) this.activations.set(a.key, [a.annunciatedAt ?? a.raisedAt]);
    }
    for (const [triggerKey, s] of this.suppressionByTrigger) {
      if (this.points.get(triggerKey)?.active) for (const tag of s.tags) this.suppressedTags.set(tag, s);
    }
  }

  private applyInput(input: ConditionInput): void {
    let current = this.points.get(input.key);
    const suppression = this.suppressedTags.get(input.tag);
    if (suppression && input.active && !current?.suppressed) {
      // A consequence of a trip: hidden from its first moment (suppressed by design).
      const base = current ?? idlePoint(input, input.nowMs);
      const s = applyDesign(base, {
        type: 'suppress',
        reason: suppression.reason,
        byKey: suppression.triggerKey,
        nowMs: input.nowMs,
      });
      if (s) current = this.commit(s).alarm;
    }
    const step = applyCondition(current, input);
    if (!step) return;
    if (step.kind === 'raise') {
      const recent = this.activations.get(input.key) ?? [];
      this.activations.set(input.key, recent);
      const chattering = recordActivation(recent, input.nowMs);
      if (chattering !== step.alarm.chattering) step.alarm = { ...step.alarm, chattering };
    }
    const trigger = this.suppressionByTrigger.get(input.key);
    if (trigger && step.kind === 'raise') step.alarm = { ...step.alarm, firstOut: true };
    this.commit(step);
    if (trigger) this.updateSuppression(trigger, step.alarm.active, input.nowMs);
  }

  private updateSuppression(s: Suppression, tripped: boolean, nowMs: number): void {
    for (const tag of s.tags) {
      if (tripped) this.suppressedTags.set(tag, s);
      else this.suppressedTags.delete(tag);
      for (const a of [...this.points.values()]) {
        if (a.tag !== tag) continue;
        const step = applyDesign(
          a,
          tripped ? { type: 'suppress', reason: s.reason, byKey: s.triggerKey, nowMs } : { type: 'unsuppress', nowMs },
        );
        if (step) this.commit(step);
      }
    }
  }

  private operate(a: Alarm, input: OperatorInput): void {
    const r = applyOperator(a, input);
    if (!isRefusal(r)) this.commit(r);
  }

  private notify(a: Alarm, nowMs: number): void {
    const src = this.sites.index.sources.get(a.sourceId)?.source;
    const people = src?.responsible;
    const notify = people
      ? (
          [
            ['principal', people.principal],
            ['technical', people.technical],
            ['operations', people.operations],
          ] as const
        ).map(([role, p]) => ({ name: p.name, role, ...(p.phone ? { phone: p.phone } : {}) }))
      : [];
    this.commit({ kind: 'notify', fromState: a.state, alarm: { ...a, notifiedAt: nowMs } }, notify);
  }

  private idleFor(key: string, nowMs: number): Alarm | undefined {
    const sep = key.lastIndexOf(':');
    const tag = key.slice(0, sep);
    const group = key.slice(sep + 1);
    const info = this.sites.index.tags.get(tag);
    if (!info || sep < 0) return undefined;
    const condition = group === 'hi' ? 'H' : group === 'lo' ? 'L' : group;
    if (!isCondition(condition)) return undefined;
    return idlePoint(
      {
        key,
        tag,
        enterpriseId: info.enterpriseId,
        sourceId: info.sourceId,
        condition,
        priority: 4,
        unit: info.def.unit,
        latching: false,
        message: `${info.def.name}（${tag}）`,
      },
      nowMs,
    );
  }

  private commit(step: Step, notify?: AlarmEvent['notify']): AlarmEvent {
    const a = step.alarm;
    this.points.set(a.key, a);
    const event: AlarmEvent = {
      seq: this.sequence.next(),
      tsMs: a.updatedAt,
      transition: step.kind,
      fromState: step.fromState,
      alarm: a,
      ...(step.user !== undefined ? { user: step.user } : {}),
      ...(step.comment !== undefined ? { comment: step.comment } : {}),
      ...(notify ? { notify } : {}),
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`alarm listener failed: ${(err as Error).message}`);
      }
    }
    return event;
  }
}

const CONDITIONS = new Set<string>(ALARM_CONDITIONS);
function isCondition(c: string): c is AlarmCondition {
  return CONDITIONS.has(c);
}
