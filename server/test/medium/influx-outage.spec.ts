import { startInfluxd, type RunningService } from '../../../test/harness/services';
import type { HealthResponse } from '../../src/contracts';
import { startTestServer, waitFor, type TestServer } from './helpers';
import { STEADY_TAGS, SteadyPublisher } from './steady-publisher';

const MQTT_URL = process.env.HAZARD_TEST_MQTT_URL!;
const OUTAGE_MS = 60_000;

/** One InfluxQL query against the private InfluxDB; the first series' rows. */
async function influxQuery(url: string, db: string, q: string): Promise<unknown[][]> {
  const res = await fetch(`${url}/query?db=${db}&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { results: { series?: { values: unknown[][] }[]; error?: string }[] };
  if (body.results[0]?.error) throw new Error(body.results[0].error);
  return body.results[0]?.series?.[0]?.values ?? [];
}

describe('lossless storage: InfluxDB stopped for 60 s while points flow', () => {
  let influx: RunningService;
  let server: TestServer;
  const db = `outage_${process.pid}`;

  beforeAll(async () => {
    // A private InfluxDB this test may stop; the harness's shared one stays up for the others.
    influx = await startInfluxd();
    server = await startTestServer({
      MQTT_URL,
      MQTT_CLIENT_ID: `hazard-outage-${process.pid}`,
      INFLUX_URL: influx.url,
      INFLUX_DB: db,
      STORE_FLUSH_MS: '200',
      // Small on purpose: the outage outgrows memory within seconds and the disk spool must carry it.
      STORE_MAX_BUFFERED_POINTS: '1000',
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await influx?.stop();
  }, 30_000);

  it('stores every published point exactly once after InfluxDB returns', async () => {
    const health = async () => (await (await fetch(`${server.httpUrl}/api/health`)).json()) as HealthResponse;
    const publisher = await SteadyPublisher.connect(MQTT_URL, 50);
    publisher.start();
    await new Promise((r) => setTimeout(r, 5_000));

    await influx.halt();
    const outageStartMs = Date.now();
    // While it is down: the health says so, the write buffer goes to the spool on disk, nothing is dropped.
    await waitFor(async () => (await health()).store.ok === false, 15_000, 'health to report the store down');
    await waitFor(async () => (await health()).ingest.writeMode === 'replay', 30_000, 'the write buffer to spool');
    const during = await health();
    expect(during.ingest.spoolPendingBytes).toBeGreaterThan(0);
    expect(during.ingest.droppedPoints).toBe(0);
    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - outageStartMs)));
    await influx.resume();

    await new Promise((r) => setTimeout(r, 5_000));
    await publisher.stop();
    const published = publisher.pointsAcked;
    expect(published).toBeGreaterThan(50 * 65 * STEADY_TAGS.length * 0.9);

    const stored = async () => {
      const rows = await influxQuery(influx.url, db, 'SELECT count(v) FROM telemetry');
      return Number(rows[0]?.[1] ?? 0);
    };
    await waitFor(async () => (await stored()) >= published, 60_000, `${published} points in InfluxDB`);
    // Exactly once: one sample per (tag, time), as many as were published, per tag too.
    expect(await stored()).toBe(published);
    for (const tag of STEADY_TAGS) {
      const rows = await influxQuery(influx.url, db, `SELECT count(v) FROM telemetry WHERE "tag" = '${tag}'`);
      expect({ tag, n: Number(rows[0]?.[1]) }).toEqual({ tag, n: publisher.acked });
    }
    // Spot values: before, during and after the outage.
    for (const i of [0, 400, 1500, 2800, publisher.acked - 1]) {
      const rows = await influxQuery(
        influx.url,
        db,
        `SELECT v FROM telemetry WHERE "tag" = 'PIA-103' AND time = ${publisher.tsOf(i)}ms`,
      );
      expect(rows).toEqual([[publisher.tsOf(i), publisher.valueOf(i)]]);
    }
    const after = await health();
    expect(after.store.ok).toBe(true);
    expect(after.ingest.writeMode).toBe('live');
    expect(after.ingest.replayedPoints).toBeGreaterThan(0);
    expect(after.ingest.droppedPoints).toBe(0);
  }, 240_000);
});
