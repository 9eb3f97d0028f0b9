import type { StoredSample } from '../../src/storage/store.port';
import { publishTelemetry, RealtimeProbe, waitFor, type TestServer } from './helpers';

/**
 * The first end-to-end slice, run against whichever broker and store the server was started with:
 * a HIHI value published over MQTT is stored and raises an `alarm` event on a socket.io client, and its return
 * clears it.
 */
export async function provesSlice(
  server: TestServer,
  readBack: (tag: string) => Promise<StoredSample[]>,
): Promise<void> {
  const probe = RealtimeProbe.of(server);
  try {
    const snapshot = await probe.firstSnapshot();
    expect(snapshot.site.enterprises[0]?.id).toBe('bjpc');
    expect(snapshot.activeAlarms).toEqual([]);

    const t0 = Date.now();
    await publishTelemetry(server.mqttUrl, {
      ts: t0,
      seq: 1,
      points: [
        { tag: 'LIA-101', v: 14.6 },
        { tag: 'TIA-101', v: 22.5 },
        { tag: 'XV-101', v: 'open' },
      ],
    });
    await waitFor(() => probe.alarms.length >= 1, 5000, 'the HH alarm event');
    const raised = probe.alarms[0]!.event;
    expect(raised).toMatchObject({
      seq: snapshot.seq + 1,
      transition: 'raise',
      alarm: {
        tag: 'LIA-101',
        condition: 'HH',
        state: 'unacked',
        active: true,
        value: 14.6,
        limit: 14.4,
        sourceId: 'tf01',
      },
    });

    const res = await server.request(`/api/alarms?state=active`);
    const active = (await res.json()) as { tag: string; condition: string }[];
    expect(active).toEqual([expect.objectContaining({ tag: 'LIA-101', condition: 'HH' })]);

    let stored: StoredSample[] = [];
    await waitFor(
      async () => {
        stored = await readBack('LIA-101');
        return stored.length > 0;
      },
      10_000,
      'LIA-101 to be stored',
    );
    expect(stored[0]).toEqual({ tsMs: t0, v: 14.6, q: 'good' });
    await waitFor(async () => (await readBack('XV-101')).length > 0, 10_000, 'XV-101 to be stored');
    expect((await readBack('XV-101'))[0]?.v).toBe('open');

    // Back inside the limits (below HH − deadband and H − deadband): returns unacknowledged (ISA-18.2 RTN-unack).
    await publishTelemetry(server.mqttUrl, { ts: t0 + 1000, seq: 2, points: [{ tag: 'LIA-101', v: 8 }] });
    await waitFor(() => probe.alarms.length >= 2, 5000, 'the return event');
    expect(probe.alarms[1]!.event).toMatchObject({
      seq: snapshot.seq + 2,
      transition: 'return',
      alarm: { id: raised.alarm.id, state: 'rtn_unacked', active: false },
    });
  } finally {
    probe.close();
  }
}
