import mqtt from 'mqtt';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusTopic, telemetryTopic, type DataHealthResponse, type SourceDataHealth } from '../../src/contracts';
import { DEMO_SITE, publishRaw, publishTelemetry, startTestServer, waitFor, type TestServer } from './helpers';

async function dataHealth(sut: TestServer, query = ''): Promise<DataHealthResponse> {
  const res = await sut.request(`/api/health/data${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DataHealthResponse;
}

async function tf01(sut: TestServer): Promise<SourceDataHealth> {
  return (await dataHealth(sut, '?source=tf01')).sources[0]!;
}

describe('data health through a real server', () => {
  const siteDir = mkdtempSync(join(tmpdir(), 'hazard-site-'));
  let sut: TestServer;

  beforeAll(async () => {
    // TIA-101 gets its own short max age; every other tag keeps DATA_STALE_S = 60 s.
    const site = join(siteDir, 'site.yaml');
    const yaml = readFileSync(DEMO_SITE, 'utf8').replace(
      '{ tag: TIA-101, name: 1#甲醇储罐温度,',
      '{ tag: TIA-101, maxAgeS: 1, name: 1#甲醇储罐温度,',
    );
    expect(yaml).toContain('maxAgeS: 1');
    writeFileSync(site, yaml);
    sut = await startTestServer({ SITE_FILE: site, DATA_STALE_S: '60', HEALTH_TICK_MS: '100' });
  });

  afterAll(async () => {
    await sut?.stop();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('shows tags with no data before anything arrives', async () => {
    const h = await dataHealth(sut);
    expect(h.defaultMaxAgeS).toBe(60);
    expect(h.park.fresh).toBe(0);
    expect(h.park.noData).toBe(h.park.tags);
  });

  it('makes tags fresh as values arrive, and stale once older than their max age', async () => {
    await publishTelemetry(sut.mqttUrl, {
      ts: Date.now(),
      seq: 1,
      points: [
        { tag: 'LIA-101', v: 8.2 },
        { tag: 'TIA-101', v: 21 },
      ],
    });
    await waitFor(async () => (await tf01(sut)).fresh === 2, 5000, 'two fresh tags');
    await waitFor(
      async () => (await dataHealth(sut)).staleTags.some((t) => t.tag === 'TIA-101'),
      5000,
      'TIA-101 (maxAgeS 1) to go stale',
    );
    const h = await dataHealth(sut);
    expect(h.staleTags).toEqual([expect.objectContaining({ tag: 'TIA-101', sourceId: 'tf01', reason: 'max_age' })]);
    expect((await tf01(sut)).fresh).toBe(1);
  });

  it('counts seq gaps per publisher and keeps the points after a gap', async () => {
    await publishTelemetry(sut.mqttUrl, { ts: Date.now(), seq: 2, points: [{ tag: 'PIA-101', v: 1.1 }] });
    await publishTelemetry(sut.mqttUrl, { ts: Date.now(), seq: 5, points: [{ tag: 'PIA-102', v: 1.2 }] });
    await waitFor(async () => (await tf01(sut)).seq.messages === 3, 5000, 'three seq messages');
    const source = await tf01(sut);
    expect(source.seq).toMatchObject({ gaps: 1, missedMessages: 2, duplicates: 0, restarts: 0, lastSeq: 5 });
    expect(source.seq.lastGapAtMs).toEqual(expect.any(Number));
    expect((await dataHealth(sut)).staleTags.map((t) => t.tag)).not.toContain('PIA-102');
    const metrics = await (await fetch(`${sut.httpUrl}/api/metrics`)).text();
    expect(metrics).toContain('hazard_ingest_seq_gaps_total 1');
    expect(metrics).toMatch(/hazard_data_stale_tags \d+/);
  });

  it('makes the source offline and all its tags stale at once on the gateway last will', async () => {
    const gateway = await mqtt.connectAsync(sut.mqttUrl, {
      clientId: `gw-tf01-${process.pid}`,
      reconnectPeriod: 0,
      will: { topic: statusTopic('bjpc', 'tf01'), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    await gateway.publishAsync(statusTopic('bjpc', 'tf01'), JSON.stringify({ online: true, ts: Date.now() }), {
      qos: 1,
      retain: true,
    });
    await gateway.publishAsync(
      telemetryTopic('bjpc', 'tf01'),
      JSON.stringify({ ts: Date.now(), points: [{ tag: 'LIA-101', v: 8.3 }] }),
      { qos: 1 },
    );
    await waitFor(async () => (await tf01(sut)).gateway.online === true, 5000, 'the gateway online');
    expect((await dataHealth(sut)).staleTags.map((t) => t.tag)).not.toContain('LIA-101');

    gateway.stream.destroy(); // an abrupt loss: the broker publishes the will
    await waitFor(async () => (await tf01(sut)).gateway.online === false, 10_000, 'the gateway offline');
    const source = await tf01(sut);
    expect(source).toMatchObject({ fresh: 0, noData: 0, stale: source.tags });
    const lia = (await dataHealth(sut)).staleTags.find((t) => t.tag === 'LIA-101');
    expect(lia).toMatchObject({ reason: 'gateway_offline' });
    expect(lia!.ageS).toBeLessThan(60); // stale at once, long before its 60 s max age
    gateway.end(true);

    await publishRaw(sut.mqttUrl, [
      { topic: statusTopic('bjpc', 'tf01'), payload: JSON.stringify({ online: true }) },
      {
        topic: telemetryTopic('bjpc', 'tf01'),
        payload: JSON.stringify({ ts: Date.now(), points: [{ tag: 'LIA-101', v: 8.4 }] }),
      },
    ]);
    await waitFor(async () => (await tf01(sut)).gateway.online === true, 5000, 'the gateway online again');
    await waitFor(async () => (await tf01(sut)).fresh === 1, 5000, 'LIA-101 fresh again');
  });

  it('stores the hourly and daily 在线率 and returns it for ?from=&to=', async () => {
    await waitFor(async () => (await dataHealth(sut)).park.onlineRateHour.samples >= 5, 10_000, 'five samples');
    const h = await dataHealth(sut, `?source=tf01&from=0&to=${Date.now() + 86_400_000}`);
    expect(h.park.onlineRateHour.rate).toBeGreaterThan(0);
    expect(h.park.onlineRateHour.rate).toBeLessThan(1);
    expect(h.history?.map((r) => r.period).sort()).toEqual(['day', 'hour']);
    const hour = h.history!.find((r) => r.period === 'hour')!;
    expect(hour.sources['tf01']).toBeGreaterThan(0);
    expect(hour.enterprises['bjpc']).toBe(hour.sources['tf01']);
    expect(hour.tags?.['LIA-101']).toBeGreaterThan(hour.tags?.['GIA-201'] ?? 1);
  });

  it('dead-letters the status of a source that is not in the site model', async () => {
    await publishRaw(sut.mqttUrl, [{ topic: statusTopic('bjpc', 'nope'), payload: '{"online":false}' }]);
    await waitFor(
      async () => {
        const h = (await (await fetch(`${sut.httpUrl}/api/health`)).json()) as {
          ingest: { rejected: Record<string, number> };
        };
        return h.ingest.rejected['unknown_source'] === 1;
      },
      5000,
      'an unknown_source dead letter',
    );
    expect((await tf01(sut)).gateway.online).toBe(true);
  });

  it('rejects a bad query with 400 and an unknown source with 404', async () => {
    expect((await sut.request(`/api/health/data?from=5`)).status).toBe(400);
    expect((await sut.request(`/api/health/data?source=nope`)).status).toBe(404);
  });
});
