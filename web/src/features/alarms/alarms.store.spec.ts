import { describe, expect, it } from 'vitest';
import type { Alarm } from '@hazard/server/contracts';
import type { ApiResult } from '../../shared/http/api';
import type { RealtimeHandlers } from '../../shared/socket/realtime';
import { alarmOf, eventOf, snapshotOf } from './alarms.fixtures';
import {
  applyActionResult,
  applyAlarmEvent,
  applyAlarmList,
  applySnapshot,
  initialConsoleState,
  resyncDue,
  setConnected,
} from './alarms.store';
import { startConsoleFeed } from './useConsoleFeed';

describe(applyAlarmEvent.name, () => {
  it('applies the next seq, ignores duplicates and marks a gap without applying it', () => {
    const sut = initialConsoleState();
    applySnapshot(sut, snapshotOf(10, []));

    expect(applyAlarmEvent(sut, eventOf(11, alarmOf()))).toBe('applied');
    expect(applyAlarmEvent(sut, eventOf(11, alarmOf({ state: 'acked', updatedAt: 2000 })))).toBe('ignored');
    expect(sut.points['LIA-101:hi']!.state).toBe('unacked');
    expect(applyAlarmEvent(sut, eventOf(13, alarmOf({ tag: 'PIA-101' })))).toBe('gap');
    expect(sut.points['PIA-101:hi']).toBeUndefined();
    expect(sut.outOfSync).toBe(true);
  });

  it('treats an event before the first snapshot as a gap', () => {
    const sut = initialConsoleState();
    expect(applyAlarmEvent(sut, eventOf(1, alarmOf()))).toBe('gap');
  });
});

describe(applyAlarmList.name, () => {
  it('adds the hidden alarms the snapshot left out', () => {
    const sut = initialConsoleState();
    applySnapshot(sut, snapshotOf(1, [alarmOf()]));
    expect(sut.hiddenListsLoading).toBe(true);
    const shelved = alarmOf({ tag: 'TIA-101', shelved: { user: 'op', reason: '检修', atMs: 1, untilMs: 9 } });

    applyAlarmList(sut, [alarmOf(), shelved]);

    expect(Object.keys(sut.points).sort()).toEqual(['LIA-101:hi', 'TIA-101:hi']);
    expect(sut.hiddenListsLoading).toBe(false);
  });

  it('does not bring back an alarm the stream closed after the list was made', () => {
    const sut = initialConsoleState();
    applySnapshot(sut, snapshotOf(1, []));
    const listed = alarmOf({ shelved: { user: 'op', reason: 'r', atMs: 1, untilMs: 9 }, updatedAt: 1500 });
    applyAlarmEvent(sut, eventOf(2, alarmOf({ state: 'normal', active: false, updatedAt: 3000 })));

    applyAlarmList(sut, [listed]);

    expect(sut.points['LIA-101:hi']!.state).toBe('normal');
    expect(sut.points['LIA-101:hi']!.shelved).toBeUndefined();
  });
});

describe(applyActionResult.name, () => {
  it("shows the operator's own ack at once and leaves the stream's seq to the stream", () => {
    const sut = initialConsoleState();
    applySnapshot(sut, snapshotOf(5, [alarmOf()]));
    applyActionResult(sut, eventOf(6, alarmOf({ state: 'acked', updatedAt: 2000, ackedBy: 'operator' })));

    expect(sut.points['LIA-101:hi']!.state).toBe('acked');
    expect(sut.seq).toBe(5);
    expect(applyAlarmEvent(sut, eventOf(6, alarmOf({ state: 'acked', updatedAt: 2000 })))).toBe('applied');
  });
});

describe(resyncDue.name, () => {
  it('asks again after the retry time while out of sync and connected', () => {
    const sut = initialConsoleState();
    setConnected(sut, true);
    sut.outOfSync = true;
    expect(resyncDue(sut, 0, 5000)).toBe(true);
    sut.resyncRequestedAtMs = 0;
    expect(resyncDue(sut, 4999, 5000)).toBe(false);
    expect(resyncDue(sut, 5000, 5000)).toBe(true);
    setConnected(sut, false);
    expect(resyncDue(sut, 9000, 5000)).toBe(false);
  });
});

describe(startConsoleFeed.name, () => {
  function fakeConnection() {
    const fake = { handlers: null as RealtimeHandlers | null, resyncs: 0, closed: false };
    const connect = (h: RealtimeHandlers) => {
      fake.handlers = h;
      return { resync: () => void fake.resyncs++, close: () => void (fake.closed = true) };
    };
    return { fake, connect };
  }

  it('loads the hidden lists after each snapshot and asks for a resync on a gap', async () => {
    const { fake, connect } = fakeConnection();
    const state = initialConsoleState();
    let loads = 0;
    const oos = alarmOf({ tag: 'XV-101', outOfService: { user: 'admin', reason: '检修', atMs: 1 } });
    const sut = startConsoleFeed(
      state,
      connect,
      () => {
        loads++;
        return Promise.resolve({ ok: true, body: [oos] });
      },
      () => 1000,
    );
    fake.handlers!.connected();
    fake.handlers!.snapshot(snapshotOf(3, [alarmOf()]));
    await Promise.resolve();

    expect(loads).toBe(1);
    expect(state.points['XV-101:hi']?.outOfService?.reason).toBe('检修');
    fake.handlers!.alarm(eventOf(9, alarmOf({ tag: 'PIA-101' })));
    expect(fake.resyncs).toBe(1);
    sut.close();
    expect(fake.closed).toBe(true);
  });

  it('drops a list answer that a newer snapshot overtook', async () => {
    const { fake, connect } = fakeConnection();
    const state = initialConsoleState();
    const answers: ((r: ApiResult<Alarm[]>) => void)[] = [];
    startConsoleFeed(
      state,
      connect,
      () => new Promise((resolve) => answers.push(resolve)),
      () => 0,
    );
    const stale = alarmOf({ tag: 'OLD', shelved: { user: 'op', reason: 'r', atMs: 1, untilMs: 9 } });

    fake.handlers!.snapshot(snapshotOf(1, []));
    fake.handlers!.snapshot(snapshotOf(2, []));
    answers[0]!({ ok: true, body: [stale] });
    answers[1]!({ ok: false, status: 500, message: 'boom' });
    await new Promise((r) => setTimeout(r, 0));

    expect(state.points['OLD:hi']).toBeUndefined();
    expect(state.hiddenListsError).toBe('boom');
  });
});
