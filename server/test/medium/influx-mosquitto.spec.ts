import { InfluxDB } from 'influx';
import { requireService } from '../../../test/harness/env';
import { InfluxStore } from '../../src/storage/influx.store';
import { startTestServer, type TestServer } from './helpers';
import { provesSlice } from './slice.shared';

describe('server with a real Mosquitto and a real InfluxDB', () => {
  const mqttUrl = requireService('mqttUrl');
  const influxUrl = requireService('influxUrl');
  const database = `hazard_medium_${process.pid}_${Date.now()}`;
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startTestServer({ MQTT_URL: mqttUrl, INFLUX_URL: influxUrl, INFLUX_DB: database });
  });

  afterAll(async () => {
    await sut?.stop();
    const u = new URL(influxUrl);
    await new InfluxDB({ host: u.hostname, port: Number(u.port) }).dropDatabase(database);
  });

  it('creates its database on start', async () => {
    const u = new URL(influxUrl);
    const names = await new InfluxDB({ host: u.hostname, port: Number(u.port) }).getDatabaseNames();
    expect(names).toContain(database);
  });

  it('stores a published point in InfluxDB and pushes the HIHI alarm to a socket.io client', async () => {
    const reader = new InfluxStore({ url: influxUrl, database });
    await provesSlice(sut, (tag) => reader.queryRaw({ tag, fromMs: 0, toMs: Date.now() + 60_000, limit: 100 }));
  });

  it('reports the external broker and InfluxDB as healthy', async () => {
    const health = (await (await fetch(`${sut.httpUrl}/api/health`)).json()) as Record<
      string,
      { ok: boolean; detail: string }
    >;
    expect(health.status).toBe('ok');
    expect(health.broker).toMatchObject({ ok: true, detail: expect.stringContaining('external') });
    expect(health.store).toMatchObject({ ok: true, detail: expect.stringContaining('influxdb') });
  });
});
