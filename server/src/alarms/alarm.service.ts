import { Injectable, Logger } from '@nestjs/common';
import type { Alarm, AlarmEvent, AlarmListState, SamplePoint } from '../contracts';
import { RulesEngine } from '../rules/rules.engine';
import { SiteService } from '../site/site.service';
import { StreamSequence } from '../realtime/stream-sequence';
import { acknowledge, applyLimit, type LimitInput, type Transition } from './alarm.state';

export type AlarmListener = (event: AlarmEvent) => void;

/**
 * Holds the open alarms, applies rule results through the pure ISA-18.2 transitions, stamps each transition with
 * the stream sequence and hands it to listeners (realtime push, journal).
 */
@Injectable()
export class AlarmService {
  private readonly logger = new Logger(AlarmService.name);
  private readonly rules: RulesEngine;
  /** Open alarms by point key `{tag}:{side}`. */
  private readonly open = new Map<string, Alarm>();
  private readonly listeners: AlarmListener[] = [];
  private readonly onInput = (input: LimitInput) => this.applyInput(input);

  constructor(
    sites: SiteService,
    private readonly sequence: StreamSequence,
  ) {
    this.rules = new RulesEngine(sites.index);
    this.logger.log(`rules compiled for ${this.rules.size} tags`);
  }

  addListener(listener: AlarmListener): void {
    this.listeners.push(listener);
  }

  /** Hot path: evaluates one point; allocates only when an alarm changes. */
  evaluate(point: SamplePoint, nowMs: number): void {
    this.rules.evaluate(point, nowMs, this.onInput);
  }

  list(state: AlarmListState): Alarm[] {
    const all = [...this.open.values()];
    const filtered =
      state === 'active'
        ? all
        : state === 'unacked'
          ? all.filter((a) => a.state === 'unacked' || a.state === 'rtn_unacked')
          : all;
    return filtered.sort((a, b) => a.priority - b.priority || b.raisedAt - a.raisedAt);
  }

  /** Operator acknowledgement (REST with identity comes with issue 5). */
  ack(alarmId: string, user: string, nowMs: number): AlarmEvent | null {
    for (const alarm of this.open.values()) {
      if (alarm.id !== alarmId) continue;
      const t = acknowledge(alarm, user, nowMs);
      return t ? this.commit(t) : null;
    }
    return null;
  }

  private applyInput(input: LimitInput): void {
    const key = `${input.tag}:${input.side}`;
    const t = applyLimit(this.open.get(key), input);
    if (t) this.commit(t);
  }

  private commit(t: Transition): AlarmEvent {
    const key = `${t.alarm.tag}:${t.alarm.side}`;
    if (t.alarm.state === 'normal') this.open.delete(key);
    else this.open.set(key, t.alarm);
    const event: AlarmEvent = { seq: this.sequence.next(), transition: t.kind, alarm: t.alarm };
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
