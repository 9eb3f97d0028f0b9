import type { Namespace } from 'socket.io';
import { RealtimeGateway } from '../../src/realtime/realtime.gateway';
import { isCoalesced } from '../../src/realtime/frame-coalescing';
import { RealtimeProbe, publishTelemetry, startTestServer, waitFor, type TestServer } from './helpers';

/**
 * REALTIME_ALARM_WINDOW_MS through the whole server: the first alarm event of a burst goes at once, the rest of the
 * burst at the window's end, every one its own `alarm` event in `seq` order; a screen that connects meanwhile gets a
 * snapshot that the stream continues without a gap or a repeat (DESIGN.md §3).
 */
describe('alarm events in a burst (REALTIME_ALARM_WINDOW_MS)', () => {
  const WINDOW_MS = 1500;
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startTestServer({
      REALTIME_ALARM_WINDOW_MS: String(WINDOW_MS),
      REALTIME_ALARM_WINDOW_MIN_CLIENTS: '1',
    });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('sends the first event at once, the rest of the burst together, in order, and a late screen misses none', async () => {
    const early = RealtimeProbe.of(sut);
    const start = await early.firstSnapshot();
    let late: RealtimeProbe | undefined;
    try {
      // Let the window of anything before the test pass.
      await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
      const t0 = Date.now();
      await publishTelemetry(sut.mqttUrl, { ts: t0, points: [{ tag: 'LIA-101', v: 15 }] });
      await waitFor(() => early.alarms.length >= 1, 5000, 'the first alarm event');
      expect(early.alarms[0]!.atMs - t0).toBeLessThan(WINDOW_MS / 2);

      // The burst: three more raises inside the window that the first event opened.
      await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'GIA-201', v: 60 }] });
      await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'GIA-202', v: 60 }] });
      // A screen connecting now takes its snapshot after the pending events went to the others.
      late = RealtimeProbe.of(sut);
      const lateSnapshot = await late.firstSnapshot();
      await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'TIA-101', v: 60 }] });
      await waitFor(() => early.alarms.length >= 4, WINDOW_MS + 5000, 'four alarm events');

      const seqs = early.alarms.map((a) => a.event.seq);
      expect(seqs).toEqual(seqs.map((_, i) => start.seq + 1 + i));
      expect(early.alarms.map((a) => a.event.alarm.tag)).toEqual(['LIA-101', 'GIA-201', 'GIA-202', 'TIA-101']);
      // The last raise waited for the end of the window (held back, not lost).
      expect(early.alarms[3]!.atMs - early.alarms[0]!.atMs).toBeGreaterThanOrEqual(WINDOW_MS - 200);

      await waitFor(() => late!.alarms.length >= 1, 5000, 'the late screen to get the last raise');
      const lateSeqs = late.alarms.map((a) => a.event.seq);
      expect(lateSeqs).toEqual(lateSeqs.map((_, i) => lateSnapshot.seq + 1 + i));
      expect(lateSnapshot.activeAlarms.map((a) => a.tag)).toEqual(expect.arrayContaining(['LIA-101', 'GIA-201']));
      // The real engine.io's websocket transports were taken over (a changed engine.io would leave them as they are).
      const nsp = (sut.app.get(RealtimeGateway) as unknown as { nsp: Namespace }).nsp;
      expect(nsp.sockets.size).toBe(2);
      expect([...nsp.sockets.values()].map((s) => isCoalesced(s.conn))).toEqual([true, true]);
    } finally {
      early.close();
      late?.close();
    }
  });
});

/** Below REALTIME_ALARM_WINDOW_MIN_CLIENTS screens nothing is held back: one write per screen costs nothing. */
describe('alarm events to a few screens', () => {
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startTestServer({ REALTIME_ALARM_WINDOW_MS: '1500', REALTIME_ALARM_WINDOW_MIN_CLIENTS: '20' });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('sends each event at once, even in a burst', async () => {
    const probe = RealtimeProbe.of(sut);
    try {
      await probe.firstSnapshot();
      await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'LIA-101', v: 15 }] });
      await waitFor(() => probe.alarms.length >= 1, 5000, 'the first alarm event');
      const t1 = Date.now();
      await publishTelemetry(sut.mqttUrl, { ts: t1, points: [{ tag: 'GIA-201', v: 60 }] });
      await waitFor(() => probe.alarms.length >= 2, 5000, 'the second alarm event');
      expect(probe.alarms[1]!.atMs - t1).toBeLessThan(700);
    } finally {
      probe.close();
    }
  });
});
