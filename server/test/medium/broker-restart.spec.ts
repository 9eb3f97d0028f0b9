import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startMosquitto, type RunningService } from '../../../test/harness/services';
import type { HealthResponse } from '../../src/contracts';
import { publishTelemetry, startTestServer, waitFor, type TestServer } from './helpers';

/** Stored values of one tag, read straight from the embedded store's file. */
function storedValues(sut: TestServer, tag: string): number[] {
  const db = new Database(join(sut.dataDir, 'telemetry.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT v FROM telemetry WHERE tag = ? ORDER BY ts').all(tag) as { v: number }[];
    return rows.map((r) => r.v);
  } finally {
    db.close();
  }
}

async function health(sut: TestServer): Promise<HealthResponse> {
  return (await (await fetch(`${sut.httpUrl}/api/health`)).json()) as HealthResponse;
}

describe('broker restart', () => {
  let broker: RunningService;
  let sut: TestServer;

  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
    sut = await startTestServer({ MQTT_URL: broker.url });
  });

  afterAll(async () => {
    await sut?.stop();
    await broker?.stop();
  });

  it('reconnects by itself, resumes ingestion and reports the outage', async () => {
    await publishTelemetry(broker.url, { ts: Date.now(), seq: 1, points: [{ tag: 'LIA-101', v: 5.1 }] });
    await waitFor(() => storedValues(sut, 'LIA-101').length === 1, 10_000, 'the first value stored');
    expect((await health(sut)).broker.connection).toMatchObject({ connected: true, outages: 0, lastOutage: null });

    const downAtMs = Date.now();
    await broker.halt();
    await waitFor(async () => !(await health(sut)).broker.ok, 10_000, 'the broker reported down');
    const down = await health(sut);
    expect(down.status).toBe('degraded');
    expect(down.broker.connection.outageSinceMs).toBeGreaterThanOrEqual(downAtMs);
    await new Promise((r) => setTimeout(r, 1500));

    await broker.resume();
    const upAtMs = Date.now();
    await waitFor(async () => (await health(sut)).broker.ok, 15_000, 'the server to reconnect by itself');
    await publishTelemetry(broker.url, { ts: Date.now(), seq: 2, points: [{ tag: 'LIA-101', v: 5.2 }] });
    await waitFor(() => storedValues(sut, 'LIA-101').length === 2, 10_000, 'the value published after the restart');
    expect(storedValues(sut, 'LIA-101')).toEqual([5.1, 5.2]);

    const up = await health(sut);
    expect(up.status).toBe('ok');
    expect(up.broker.connection).toMatchObject({ connected: true, outageSinceMs: null, outages: 1 });
    const outage = up.broker.connection.lastOutage!;
    expect(outage.fromMs).toBeGreaterThanOrEqual(downAtMs);
    expect(outage.toMs).toBeGreaterThanOrEqual(upAtMs);
    expect(outage.durationMs).toBeGreaterThanOrEqual(1500);
    const metrics = await (await fetch(`${sut.httpUrl}/api/metrics`)).text();
    expect(metrics).toContain('hazard_broker_reconnects_total 1');
  });
});
