import type { Alarm, AlarmEvent, SnapshotEvent } from '@hazard/server/contracts';

/** An alarm point for tests: LIA-101 HH, unacknowledged, raised at 1000; override what a case is about. */
export function alarmOf(over: Partial<Alarm> = {}): Alarm {
  const tag = over.tag ?? 'LIA-101';
  const raisedAt = over.raisedAt ?? 1000;
  const key = over.key ?? `${tag}:hi`;
  return {
    id: `${key}@${raisedAt}`,
    key,
    tag,
    enterpriseId: 'bjpc',
    sourceId: 'tf01',
    condition: 'HH',
    priority: 2,
    state: 'unacked',
    active: true,
    latching: false,
    value: 14.6,
    limit: 14.4,
    unit: 'm',
    raisedAt,
    updatedAt: raisedAt,
    annunciatedAt: raisedAt,
    chattering: false,
    message: `${tag} 高高报警`,
    ...over,
  };
}

export function eventOf(seq: number, alarm: Alarm, over: Partial<AlarmEvent> = {}): AlarmEvent {
  return { seq, tsMs: alarm.updatedAt, transition: 'raise', fromState: 'normal', alarm, ...over };
}

export function snapshotOf(seq: number, activeAlarms: Alarm[]): SnapshotEvent {
  return {
    seq,
    serverTime: 5000,
    site: {
      schemaVersion: 1,
      park: { id: 'park', name: '园区' },
      enterprises: [],
    } as unknown as SnapshotEvent['site'],
    activeAlarms,
    latest: {},
    risk: { seq: 0 } as unknown as SnapshotEvent['risk'],
  };
}
