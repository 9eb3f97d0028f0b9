import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmEvent, SiteModel, SnapshotEvent } from '@hazard/server/contracts';
import {
  applyAlarmEvent,
  applySnapshot,
  applyTelemetry,
  initialState,
  sortedAlarms,
  type WallState,
} from './wall.store';

const site = { schemaVersion: 1, park: { id: 'p', name: '园区' }, enterprises: [] } as unknown as SiteModel;

function alarm(id: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id,
    tag: id.split(':')[0]!,
    enterpriseId: 'e',
    sourceId: 's',
    side: 'hi',
    level: 'HH',
    priority: 2,
    state: 'unacked',
    active: true,
    value: 1,
    limit: 1,
    unit: 'm',
    raisedAt: 1000,
    updatedAt: 1000,
    message: '',
    ...over,
  };
}

function snapshot(seq: number, alarms: Alarm[] = []): SnapshotEvent {
  return { seq, serverTime: 50_000, site, activeAlarms: alarms, latest: { 'LIA-1': { v: 5, q: 'good', ts: 49_000 } } };
}

function ev(seq: number, a: Alarm, transition: AlarmEvent['transition'] = 'raise'): AlarmEvent {
  return { seq, transition, alarm: a };
}

function withSnapshot(seq: number, alarms: Alarm[] = []): WallState {
  const sut = initialState();
  applySnapshot(sut, snapshot(seq, alarms), 40_000);
  return sut;
}

describe('wall store', () => {
  it('replaces everything with a snapshot and measures the clock offset against the server', () => {
    const sut = withSnapshot(7, [alarm('A:hi:1')]);
    expect(sut.seq).toBe(7);
    expect(Object.keys(sut.alarms)).toEqual(['A:hi:1']);
    expect(sut.latest['LIA-1']?.v).toBe(5);
    expect(sut.clockOffsetMs).toBe(10_000);
    applySnapshot(sut, snapshot(9), 40_000);
    expect(sut.alarms).toEqual({});
  });

  it('applies the next event in sequence and removes an alarm that went back to normal', () => {
    const sut = withSnapshot(3);
    expect(applyAlarmEvent(sut, ev(4, alarm('A:hi:1')))).toBe('applied');
    expect(sut.alarms['A:hi:1']?.state).toBe('unacked');
    expect(applyAlarmEvent(sut, ev(5, alarm('A:hi:1', { state: 'normal', active: false }), 'ack'))).toBe('applied');
    expect(sut.alarms).toEqual({});
    expect(sut.seq).toBe(5);
  });

  it('ignores duplicate or old events', () => {
    const sut = withSnapshot(3);
    expect(applyAlarmEvent(sut, ev(3, alarm('A:hi:1')))).toBe('ignored');
    expect(applyAlarmEvent(sut, ev(1, alarm('A:hi:1')))).toBe('ignored');
    expect(sut.alarms).toEqual({});
  });

  it('reports a gap, without applying, when an event was missed or no snapshot arrived yet', () => {
    const sut = withSnapshot(3);
    expect(applyAlarmEvent(sut, ev(5, alarm('A:hi:1')))).toBe('gap');
    expect(sut.alarms).toEqual({});
    expect(sut.seq).toBe(3);
    expect(applyAlarmEvent(initialState(), ev(1, alarm('A:hi:1')))).toBe('gap');
  });

  it('merges telemetry without letting an older sample replace a newer one', () => {
    const sut = withSnapshot(1);
    applyTelemetry(
      sut,
      {
        serverTime: 60_000,
        values: { 'LIA-1': { v: 4, q: 'good', ts: 48_000 }, 'TIA-1': { v: 20, q: 'bad', ts: 59_000 } },
      },
      55_000,
    );
    expect(sut.latest['LIA-1']?.v).toBe(5);
    expect(sut.latest['TIA-1']).toEqual({ v: 20, q: 'bad', ts: 59_000 });
    expect(sut.clockOffsetMs).toBe(5000);
  });

  it('sorts alarms by priority, then newest first', () => {
    const sorted = sortedAlarms({
      a: alarm('a', { priority: 3, raisedAt: 5 }),
      b: alarm('b', { priority: 1, raisedAt: 1 }),
      c: alarm('c', { priority: 3, raisedAt: 9 }),
    });
    expect(sorted.map((a) => a.id)).toEqual(['b', 'c', 'a']);
  });
});
