import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmEvent, SnapshotEvent } from '@hazard/server/contracts';
import { alarm, riskOverview, sample, site } from './wall.fixtures';
import {
  applyAlarmEvent,
  applyRiskEvent,
  applySnapshot,
  applyTelemetry,
  countUnacked,
  initialState,
  resyncDue,
  setConnected,
  sortedAlarms,
  type WallState,
} from './wall.store';

function snapshot(seq: number, alarms: Alarm[] = []): SnapshotEvent {
  return {
    seq,
    serverTime: 50_000,
    site,
    activeAlarms: alarms,
    latest: { 'LIA-1': sample(5, 49_000), 'TIA-1': sample(20, 47_000) },
    risk: riskOverview(seq),
  };
}

function ev(seq: number, a: Alarm, transition: AlarmEvent['transition'] = 'raise'): AlarmEvent {
  return { seq, tsMs: a.updatedAt, transition, fromState: 'normal', alarm: a };
}

function withSnapshot(seq: number, alarms: Alarm[] = []): WallState {
  const sut = initialState();
  applySnapshot(sut, snapshot(seq, alarms), 40_000);
  return sut;
}

describe('wall store', () => {
  describe('applySnapshot', () => {
    it('replaces everything, measures the clock offset and finds the newest sample', () => {
      const sut = withSnapshot(7, [alarm('A:hi:1')]);
      expect(sut.site).toBe(site);
      expect(sut.seq).toBe(7);
      expect(Object.keys(sut.alarms)).toEqual(['A:hi:1']);
      expect(sut.latest['LIA-1']?.v).toBe(5);
      expect(sut.newestSampleMs).toBe(49_000);
      expect(sut.clockOffsetMs).toBe(10_000);
      applySnapshot(sut, { ...snapshot(9), latest: {} }, 40_000);
      expect(sut.alarms).toEqual({});
      expect(sut.latest).toEqual({});
      expect(sut.newestSampleMs).toBeNull();
    });

    it('accepts a lower seq (the server restarted) and applies events from there', () => {
      const sut = withSnapshot(57);
      applySnapshot(sut, snapshot(0), 40_000);
      expect(applyAlarmEvent(sut, ev(1, alarm('A:hi:1')))).toBe('applied');
      expect(sut.seq).toBe(1);
    });

    it('leaves out alarms already back to normal', () => {
      const sut = withSnapshot(1, [alarm('A:hi:1', { state: 'normal' }), alarm('B:hi:1')]);
      expect(Object.keys(sut.alarms)).toEqual(['B:hi:1']);
    });
  });

  describe('applyAlarmEvent', () => {
    it('applies the next event in sequence and removes an alarm that went back to normal', () => {
      const sut = withSnapshot(3);
      expect(applyAlarmEvent(sut, ev(4, alarm('A:hi:1')))).toBe('applied');
      expect(sut.alarms['A:hi:1']?.state).toBe('unacked');
      expect(applyAlarmEvent(sut, ev(5, alarm('A:hi:1', { state: 'acked' }), 'ack'))).toBe('applied');
      expect(sut.alarms['A:hi:1']?.state).toBe('acked');
      expect(applyAlarmEvent(sut, ev(6, alarm('A:hi:1', { state: 'normal', active: false }), 'return'))).toBe(
        'applied',
      );
      expect(sut.alarms).toEqual({});
      expect(sut.seq).toBe(6);
    });

    it('keeps a returned but unacknowledged alarm in the list', () => {
      const sut = withSnapshot(3, [alarm('A:hi:1')]);
      applyAlarmEvent(sut, ev(4, alarm('A:hi:1', { state: 'rtn_unacked', active: false }), 'return'));
      expect(sut.alarms['A:hi:1']?.state).toBe('rtn_unacked');
    });

    it('ignores duplicate or old events', () => {
      const sut = withSnapshot(3);
      expect(applyAlarmEvent(sut, ev(3, alarm('A:hi:1')))).toBe('ignored');
      expect(applyAlarmEvent(sut, ev(1, alarm('A:hi:1')))).toBe('ignored');
      expect(sut.alarms).toEqual({});
      expect(sut.outOfSync).toBe(false);
    });

    it('on a gap, applies nothing more and marks the list out of sync until the next snapshot', () => {
      const sut = withSnapshot(3);
      expect(applyAlarmEvent(sut, ev(5, alarm('A:hi:1')))).toBe('gap');
      expect(sut.alarms).toEqual({});
      expect(sut.seq).toBe(3);
      expect(sut.outOfSync).toBe(true);
      // seq 4 arriving late must not make the list look complete while 5 is still missing.
      expect(applyAlarmEvent(sut, ev(4, alarm('B:hi:1')))).toBe('gap');
      expect(sut.alarms).toEqual({});
      applySnapshot(sut, snapshot(5, [alarm('A:hi:1')]), 40_000);
      expect(sut.outOfSync).toBe(false);
      expect(applyAlarmEvent(sut, ev(5, alarm('A:hi:1')))).toBe('ignored');
      expect(applyAlarmEvent(sut, ev(6, alarm('C:hi:1')))).toBe('applied');
      expect(Object.keys(sut.alarms).sort()).toEqual(['A:hi:1', 'C:hi:1']);
    });

    it('treats an event before the first snapshot as a gap', () => {
      const sut = initialState();
      expect(applyAlarmEvent(sut, ev(1, alarm('A:hi:1')))).toBe('gap');
      expect(sut.alarms).toEqual({});
    });
  });

  describe('applyTelemetry', () => {
    it('merges values without letting an older sample replace a newer one, and tracks the newest sample', () => {
      const sut = withSnapshot(1);
      applyTelemetry(
        sut,
        { serverTime: 60_000, values: { 'LIA-1': sample(4, 48_000), 'TIA-1': sample(20, 59_000, 'bad') } },
        55_000,
      );
      expect(sut.latest['LIA-1']?.v).toBe(5);
      expect(sut.latest['TIA-1']).toEqual({ v: 20, q: 'bad', ts: 59_000 });
      expect(sut.newestSampleMs).toBe(59_000);
      expect(sut.clockOffsetMs).toBe(5000);
    });

    it('does not move the newest sample back when only an old value arrives', () => {
      const sut = withSnapshot(1);
      applyTelemetry(sut, { serverTime: 60_000, values: { 'GIA-1': sample(3, 10_000) } }, 60_000);
      expect(sut.latest['GIA-1']?.v).toBe(3);
      expect(sut.newestSampleMs).toBe(49_000);
    });
  });

  describe('resyncDue', () => {
    it('asks once per retry period while out of sync and connected', () => {
      const sut = withSnapshot(3);
      setConnected(sut, true);
      expect(resyncDue(sut, 1000, 5000)).toBe(false);
      applyAlarmEvent(sut, ev(9, alarm('A:hi:1')));
      expect(resyncDue(sut, 1000, 5000)).toBe(true);
      sut.resyncRequestedAtMs = 1000;
      expect(resyncDue(sut, 5999, 5000)).toBe(false);
      expect(resyncDue(sut, 6000, 5000)).toBe(true);
    });

    it('waits while disconnected, and may ask at once after a reconnect', () => {
      const sut = withSnapshot(3);
      applyAlarmEvent(sut, ev(9, alarm('A:hi:1')));
      sut.resyncRequestedAtMs = 1000;
      setConnected(sut, false);
      expect(resyncDue(sut, 2000, 5000)).toBe(false);
      setConnected(sut, true);
      expect(resyncDue(sut, 2000, 5000)).toBe(true);
    });
  });

  it('sorts alarms by priority, then newest first', () => {
    const sorted = sortedAlarms({
      a: alarm('a', { priority: 3, raisedAt: 5 }),
      b: alarm('b', { priority: 1, raisedAt: 1 }),
      c: alarm('c', { priority: 3, raisedAt: 9 }),
      d: alarm('d', { priority: 4, raisedAt: 99 }),
    });
    expect(sorted.map((a) => a.id)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('counts unacknowledged and returned-unacknowledged alarms as needing acknowledgement', () => {
    expect(countUnacked([alarm('a'), alarm('b', { state: 'acked' }), alarm('c', { state: 'rtn_unacked' })])).toBe(2);
  });

  describe('applyRiskEvent', () => {
    const redSource = () => ({
      ...riskOverview(0).sources[0]!,
      level: 'red' as const,
      score: 40,
      reasons: [{ code: 'sis_tripped' as const, points: 20, text: 'SIS-1 联锁动作 3 分' }],
    });
    const red = { level: 'red' as const, score: 40, counts: { blue: 0, yellow: 0, orange: 0, red: 1 }, reasons: [] };

    it('follows its own sequence: interleaved with alarm events, neither looks like a gap', () => {
      const sut = withSnapshot(7);
      expect(sut.risk?.seq).toBe(7);
      expect(applyAlarmEvent(sut, ev(8, alarm('A:hi:1')))).toBe('applied');
      expect(
        applyRiskEvent(sut, {
          seq: 8,
          computedAt: 2000,
          park: red,
          enterprises: [{ enterpriseId: 'e', ...red }],
          sources: [redSource()],
        }),
      ).toBe('applied');
      expect(applyAlarmEvent(sut, ev(9, alarm('B:hi:1')))).toBe('applied');
      expect(sut.outOfSync).toBe(false);
      expect(sut.risk?.sources[0]).toMatchObject({ level: 'red', score: 40 });
      expect(sut.risk?.park.level).toBe('red');
      expect(sut.risk?.enterprises).toHaveLength(1);
    });

    it('marks a gap when a risk event skips a number', () => {
      const sut = withSnapshot(7);
      const result = applyRiskEvent(sut, { seq: 9, computedAt: 1, park: red, enterprises: [], sources: [] });
      expect(result).toBe('gap');
      expect(sut.outOfSync).toBe(true);
      expect(sut.risk?.park.level).toBe('blue');
    });
  });
});
