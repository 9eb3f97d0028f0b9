import { InfluxDB } from 'influx';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '../../../test/harness/env';
import type { AlarmEvent, SamplePoint } from '../../src/contracts';
import { InfluxStore } from '../../src/storage/influx.store';
import { SqliteStore } from '../../src/storage/sqlite.store';
import type { TelemetryStore } from '../../src/storage/store.port';

interface Adapter {
  name: string;
  create(): Promise<{ store: TelemetryStore; dispose(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    name: SqliteStore.name,
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hazard-store-'));
      const store = new SqliteStore(join(dir, 'nested', 't.sqlite'));
      return {
        store,
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: InfluxStore.name,
    create: async () => {
      const url = requireService('influxUrl');
      const database = `contract_${process.pid}_${Date.now()}`;
      const store = new InfluxStore({ url, database });
      const u = new URL(url);
      return {
        store,
        dispose: async () => {
          await store.close();
          await new InfluxDB({ host: u.hostname, port: Number(u.port) }).dropDatabase(database);
        },
      };
    },
  },
];

const t0 = 1_795_000_000_000;
const point = (tag: string, tsMs: number, v: SamplePoint['v'], q: SamplePoint['q'] = 'good'): SamplePoint => ({
  enterpriseId: 'bjpc',
  sourceId: 'tf01',
  tag,
  tsMs,
  v,
  q,
});

describe.each(adapters)('TelemetryStore contract: $name', (adapter) => {
  let sut: TelemetryStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ store: sut, dispose } = await adapter.create());
    await sut.init();
    // A second init on an existing database must be harmless (restart).
    await sut.init();
  });

  afterAll(async () => {
    await dispose();
  });

  it('answers ping once initialised', async () => {
    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it('stores numbers, discrete states and booleans with their quality and reads them back in time order', async () => {
    await sut.writeBatch({
      points: [
        point('LIA-101', t0 + 2000, 12.5),
        point('LIA-101', t0, 12.25),
        point('LIA-101', t0 + 1000, 12.375, 'uncertain'),
        point('XV-101', t0, 'closed'),
        point('XV-101', t0 + 1000, 'fault', 'bad'),
        point('SW-1', t0, true),
      ],
      alarmEvents: [],
    });
    await expect(sut.queryRaw({ tag: 'LIA-101', fromMs: t0, toMs: t0 + 2000, limit: 10 })).resolves.toEqual([
      { tsMs: t0, v: 12.25, q: 'good' },
      { tsMs: t0 + 1000, v: 12.375, q: 'uncertain' },
      { tsMs: t0 + 2000, v: 12.5, q: 'good' },
    ]);
    await expect(sut.queryRaw({ tag: 'XV-101', fromMs: t0, toMs: t0 + 5000, limit: 10 })).resolves.toEqual([
      { tsMs: t0, v: 'closed', q: 'good' },
      { tsMs: t0 + 1000, v: 'fault', q: 'bad' },
    ]);
    await expect(sut.queryRaw({ tag: 'SW-1', fromMs: t0, toMs: t0, limit: 10 })).resolves.toEqual([
      { tsMs: t0, v: true, q: 'good' },
    ]);
  });

  it('honours the time range and the limit of a query', async () => {
    await expect(sut.queryRaw({ tag: 'LIA-101', fromMs: t0 + 500, toMs: t0 + 1500, limit: 10 })).resolves.toEqual([
      { tsMs: t0 + 1000, v: 12.375, q: 'uncertain' },
    ]);
    expect(await sut.queryRaw({ tag: 'LIA-101', fromMs: 0, toMs: t0 + 10_000, limit: 2 })).toHaveLength(2);
    await expect(sut.queryRaw({ tag: "no'such", fromMs: 0, toMs: t0 + 10_000, limit: 2 })).resolves.toEqual([]);
  });

  it('writes thousands of points in one batch', async () => {
    const n = 5000;
    const points = Array.from({ length: n }, (_, i) => point('GIA-201', t0 + i, i % 7));
    await sut.writeBatch({ points, alarmEvents: [] });
    expect(await sut.queryRaw({ tag: 'GIA-201', fromMs: t0, toMs: t0 + n, limit: n + 10 })).toHaveLength(n);
  });

  it('accepts alarm events in the same batch', async () => {
    const event: AlarmEvent = {
      seq: 1,
      tsMs: t0,
      transition: 'raise',
      fromState: 'normal',
      alarm: {
        id: `LIA-101:hi@${t0}`,
        key: 'LIA-101:hi',
        tag: 'LIA-101',
        enterpriseId: 'bjpc',
        sourceId: 'tf01',
        condition: 'HH',
        priority: 2,
        state: 'unacked',
        active: true,
        latching: false,
        chattering: false,
        value: 14.6,
        limit: 14.4,
        unit: 'm',
        raisedAt: t0,
        updatedAt: t0,
        message: 'x',
      },
    };
    await expect(sut.writeBatch({ points: [], alarmEvents: [event] })).resolves.toBeUndefined();
  });
});
