import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { StoredSample } from '../../src/storage/store.port';
import { startTestServer, type TestServer } from './helpers';
import { provesSlice } from './slice.shared';

describe('server on embedded defaults (aedes broker, SQLite store)', () => {
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startTestServer();
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('starts its own broker when MQTT_URL is unset', async () => {
    expect(sut.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${sut.httpUrl}/api/health`)).json()) as Record<
      string,
      { ok: boolean; detail: string }
    >;
    expect(health.broker).toMatchObject({ ok: true, detail: expect.stringContaining('embedded aedes') });
    expect(health.store).toMatchObject({ ok: true, detail: expect.stringContaining('sqlite') });
  });

  it('stores a published point in SQLite and pushes the HIHI alarm to a socket.io client', async () => {
    const file = join(sut.dataDir, 'telemetry.sqlite');
    const readBack = async (tag: string): Promise<StoredSample[]> => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare('SELECT ts, v, s FROM telemetry WHERE tag = ? ORDER BY ts').all(tag) as {
          ts: number;
          v: number | null;
          s: string | null;
        }[];
        await Promise.resolve();
        return rows.map((r) => ({ tsMs: r.ts, v: r.v ?? r.s ?? '', q: 'good' }));
      } finally {
        db.close();
      }
    };
    await provesSlice(sut, readBack);
  });

  it('serves the site model', async () => {
    const site = (await (await sut.request(`/api/site`)).json()) as { park: { id: string } };
    expect(site.park.id).toBe('binjiang');
  });

  it('rejects an unknown alarm list state with a message naming it', async () => {
    const res = await sut.request(`/api/alarms?state=bogus`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('bogus');
  });
});
