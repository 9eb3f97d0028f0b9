import { describe, expect, it } from 'vitest';
import type { AlarmEvent, SnapshotEvent } from '@hazard/server/contracts';
import type { ConnectRealtime, RealtimeHandlers } from '../../shared/socket/realtime';
import { startWallFeed } from './useWallFeed';
import { alarm, riskOverview, site } from './wall.fixtures';
import { initialState } from './wall.store';

/** A fake of the socket adapter: the test drives the handlers and counts resync requests. */
function fakeConnection() {
  const fake = { handlers: undefined as RealtimeHandlers | undefined, resyncs: 0, closed: false };
  const connect: ConnectRealtime = (handlers) => {
    fake.handlers = handlers;
    return {
      resync: () => void fake.resyncs++,
      close: () => void (fake.closed = true),
    };
  };
  return { fake, connect };
}

const snapshot = (seq: number): SnapshotEvent => ({
  seq,
  serverTime: 1000,
  site,
  activeAlarms: [],
  latest: {},
  risk: riskOverview(seq),
});
const raise = (seq: number): AlarmEvent => ({
  seq,
  tsMs: 1,
  transition: 'raise',
  fromState: 'normal',
  alarm: alarm(`A${seq}:hi:1`),
});

describe(startWallFeed.name, () => {
  function started() {
    const { fake, connect } = fakeConnection();
    const state = initialState();
    let now = 0;
    const sut = startWallFeed(state, connect, () => now, 5000);
    const h = fake.handlers!;
    h.connected();
    h.snapshot(snapshot(10));
    return { fake, state, sut, h, setNow: (ms: number) => (now = ms) };
  }

  it('asks for one resync on a sequence gap, not one per following event', () => {
    const { fake, h, setNow } = started();
    h.alarm(raise(11));
    expect(fake.resyncs).toBe(0);
    setNow(100);
    h.alarm(raise(13));
    h.alarm(raise(14));
    expect(fake.resyncs).toBe(1);
  });

  it('asks again when no snapshot answered within the retry period, and stops once one arrives', () => {
    const { fake, state, sut, h, setNow } = started();
    setNow(100);
    h.alarm(raise(12));
    sut.tick(4000);
    expect(fake.resyncs).toBe(1);
    sut.tick(5100);
    expect(fake.resyncs).toBe(2);
    h.snapshot(snapshot(20));
    expect(state.outOfSync).toBe(false);
    sut.tick(20_000);
    expect(fake.resyncs).toBe(2);
  });

  it('marks the state offline on disconnect and closes the connection', () => {
    const { fake, state, sut, h } = started();
    h.disconnected('transport close');
    expect(state.connected).toBe(false);
    sut.close();
    expect(fake.closed).toBe(true);
  });

  it('keeps the reason the server refused the token until a connection is accepted again', () => {
    const { state, h } = started();
    h.disconnected('transport close');
    h.refused('token expired at 2026-12-01T08:00:00.000Z: log in again');
    h.disconnected('token expired at 2026-12-01T08:00:00.000Z: log in again');

    expect(state.refusal).toBe('token expired at 2026-12-01T08:00:00.000Z: log in again');
    h.connected();
    expect(state.refusal).toBeNull();
  });
});
