import type { HistoryResponse, SamplePoint } from '../../src/contracts';
import { StorageService } from '../../src/storage/storage.service';
import { publishTelemetry, startTestServer, waitFor, type TestServer } from './helpers';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('GET /api/telemetry/history over 30 days (embedded SQLite)', () => {
  let server: TestServer;
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const from = now - 30 * DAY;
  /** One sample a minute for 30 days: a slow daily wave, so min/max/mean differ from bucket to bucket. */
  const valueAt = (ts: number) => Math.round((20 + 5 * Math.sin((2 * Math.PI * (ts - from)) / DAY)) * 100) / 100;

  beforeAll(async () => {
    server = await startTestServer({ HISTORY_MAX_POINTS: '1000' });
    const storage = server.app.get(StorageService);
    const points: SamplePoint[] = [];
    for (let ts = from; ts < now - 10 * MINUTE; ts += MINUTE) {
      points.push({ enterpriseId: 'bjpc', sourceId: 'tf01', tag: 'TIA-101', tsMs: ts, v: valueAt(ts), q: 'good' });
    }
    for (let i = 0; i < points.length; i += 10_000) {
      await storage.store.writeBatch({ points: points.slice(i, i + 10_000), alarmEvents: [] });
    }
    await storage.store.backfillRollups(from, now);
  }, 120_000);

  afterAll(() => server?.stop(), 30_000);

  const get = async (query: string) => {
    const res = await server.request(`/api/telemetry/history?${query}`);
    return { status: res.status, body: (await res.json()) as HistoryResponse & { message?: string } };
  };

  it('serves 30 days from the 1-hour rollup in about 500 buckets, with exact min/max/mean', async () => {
    const startMs = Date.now();
    const { status, body } = await get(`tag=TIA-101&from=${from}&to=${now}`);
    const tookMs = Date.now() - startMs;
    expect(status).toBe(200);
    // No step given: about 500 buckets, rounded to a step an axis can label (2 h for 30 days).
    expect(body).toMatchObject({ tag: 'TIA-101', unit: '°C', resolution: '1h', stepMs: 7_200_000 });
    expect(body.buckets.length).toBeGreaterThan(350);
    expect(body.buckets.length).toBeLessThanOrEqual(1000);
    // One whole bucket checked against the samples it holds.
    const b = body.buckets[100]!;
    const values = Array.from({ length: 120 }, (_, i) => valueAt(b.tsMs + i * MINUTE)).filter(
      (_, i) => b.tsMs + i * MINUTE >= from,
    );
    expect(b.count).toBe(values.length);
    expect(b.min).toBe(Math.min(...values));
    expect(b.max).toBe(Math.max(...values));
    expect(b.mean).toBeCloseTo(values.reduce((x, y) => x + y, 0) / values.length, 9);
    process.stderr.write(`[history] 30 days, ${body.buckets.length} buckets from the 1 h rollup in ${tookMs} ms\n`);
  });

  it('serves a recent 10-minute span from raw samples, including one published a moment ago', async () => {
    await publishTelemetry(server.mqttUrl, { ts: now - 2 * MINUTE, points: [{ tag: 'TIA-101', v: 31.5 }] });
    await waitFor(
      async () => {
        const { body } = await get(`tag=TIA-101&from=${now - 10 * MINUTE}&to=${now}&step=30s`);
        return body.buckets?.some((x) => x.max === 31.5) ?? false;
      },
      10_000,
      'the new sample in the history',
    );
    const { body } = await get(`tag=TIA-101&from=${now - 10 * MINUTE}&to=${now}&step=30s`);
    expect(body.resolution).toBe('raw');
    expect(body.stepMs).toBe(30_000);
  });

  it('widens a step that would exceed the cap, and says so', async () => {
    const { body } = await get(`tag=TIA-101&from=${from}&to=${now}&step=1m`);
    expect(body.widened).toBe(true);
    expect(body.requestedStepMs).toBe(MINUTE);
    expect(body.buckets.length).toBeLessThanOrEqual(1000);
    expect(body.note).toMatch(/at most 1000 buckets/);
  });

  it.each([
    ['from=yesterday&tag=TIA-101', 400, /from must be epoch ms or ISO 8601/],
    ['tag=TIA-101&step=fast', 400, /step must be like/],
    ['tag=TIA-101&from=2000&to=1000', 400, /from \(2000\) is after to \(1000\)/],
    ['from=1000', 400, /tag/],
    ['tag=NO-SUCH', 404, /no tag "NO-SUCH"/],
  ])('refuses %s with %i naming the problem', async (query, status, message) => {
    const res = await get(query);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });
});
