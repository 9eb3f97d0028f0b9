import { InfluxDB } from 'influx';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '../../../test/harness/env';
import type { Alarm, AlarmEvent, HistoryBucket, SamplePoint } from '../../src/contracts';
import { InfluxStore } from '../../src/storage/influx.store';
import { SqliteStore } from '../../src/storage/sqlite.store';
import type { AlarmJournalStore, HistoryStore, TelemetryStore } from '../../src/storage/store.port';

const HOUR = 3_600_000;

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

/** The same data, the same answers, whichever adapter: raw and rolled-up history (docs/storage.md). */
describe.each(adapters)('HistoryStore contract: $name', (adapter) => {
  let sut: TelemetryStore & HistoryStore;
  let dispose: () => Promise<void>;
  const H0 = Math.floor((Date.now() - 6 * HOUR) / HOUR) * HOUR;
  const nowMs = H0 + 6 * HOUR;
  /** One numeric sample every 10 s for 3 h, and a valve that changes state every 7 minutes. */
  const numeric = Array.from({ length: (3 * HOUR) / 10_000 }, (_, i) => ({
    ts: H0 + i * 10_000,
    v: ((i * 7) % 50) - 10,
  }));
  const valve = Array.from({ length: 26 }, (_, i) => ({
    ts: H0 + i * 5 * 60_000 + 500,
    v: i % 2 === 0 ? 'open' : 'closed',
  }));

  /** What every adapter must answer for `[from, to)` in buckets of `step`, computed here from the samples. */
  function expected(from: number, to: number, step: number) {
    const buckets = new Map<number, number[]>();
    for (const s of numeric) {
      if (s.ts < from || s.ts >= to) continue;
      const b = Math.floor(s.ts / step) * step;
      buckets.set(b, [...(buckets.get(b) ?? []), s.v]);
    }
    return [...buckets.entries()].map(([tsMs, vs]) => ({
      tsMs,
      min: Math.min(...vs),
      max: Math.max(...vs),
      mean: vs.reduce((a, b) => a + b, 0) / vs.length,
      last: vs[vs.length - 1],
      count: vs.length,
    }));
  }

  beforeAll(async () => {
    const created = await adapter.create();
    sut = created.store as TelemetryStore & HistoryStore;
    dispose = created.dispose;
    await sut.init();
    const points = [
      ...numeric.map((s) => point('TIA-101', s.ts, s.v)),
      ...valve.map((s) => point('XV-101', s.ts, s.v)),
    ];
    for (let i = 0; i < points.length; i += 5000) {
      await sut.writeBatch({ points: points.slice(i, i + 5000), alarmEvents: [] });
    }
    await sut.backfillRollups(H0, H0 + 3 * HOUR);
  }, 120_000);

  afterAll(() => dispose?.(), 30_000);

  const near = (buckets: HistoryBucket[]) =>
    buckets.map((b) => ({ ...b, mean: b.mean === null ? null : Math.round(b.mean * 1e9) / 1e9 }));
  const round = (xs: ReturnType<typeof expected>) => xs.map((b) => ({ ...b, mean: Math.round(b.mean * 1e9) / 1e9 }));

  it('answers a 10-minute span from raw samples, one bucket a minute, min/max/mean/last/count exact', async () => {
    const r = await sut.queryHistory({
      tag: 'TIA-101',
      fromMs: H0,
      toMs: H0 + 10 * 60_000 - 1,
      stepMs: 60_000,
      maxPoints: 2000,
      nowMs,
    });
    expect(r.resolution).toBe('1m');
    const raw = await sut.queryHistory({
      tag: 'TIA-101',
      fromMs: H0,
      toMs: H0 + 10 * 60_000 - 1,
      stepMs: 30_000,
      maxPoints: 2000,
      nowMs,
    });
    expect(raw.resolution).toBe('raw');
    expect(near(raw.buckets)).toEqual(round(expected(H0, H0 + 10 * 60_000, 30_000)));
    expect(near(r.buckets)).toEqual(round(expected(H0, H0 + 10 * 60_000, 60_000)));
  });

  it('answers 3 hours in 5-minute steps from the 1-minute rollup, and in hours from the 1-hour rollup', async () => {
    const fiveMin = await sut.queryHistory({
      tag: 'TIA-101',
      fromMs: H0,
      toMs: H0 + 3 * HOUR - 1,
      stepMs: 5 * 60_000,
      maxPoints: 2000,
      nowMs,
    });
    expect({ resolution: fiveMin.resolution, n: fiveMin.buckets.length }).toEqual({ resolution: '1m', n: 36 });
    expect(near(fiveMin.buckets)).toEqual(round(expected(H0, H0 + 3 * HOUR, 5 * 60_000)));
    const hourly = await sut.queryHistory({
      tag: 'TIA-101',
      fromMs: H0,
      toMs: H0 + 3 * HOUR - 1,
      stepMs: HOUR,
      maxPoints: 2000,
      nowMs,
    });
    expect(hourly.resolution).toBe('1h');
    expect(near(hourly.buckets)).toEqual(round(expected(H0, H0 + 3 * HOUR, HOUR)));
  });

  it('gives discrete tags their last state per bucket and no min/max/mean', async () => {
    const r = await sut.queryHistory({
      tag: 'XV-101',
      fromMs: H0,
      toMs: H0 + HOUR - 1,
      stepMs: 15 * 60_000,
      maxPoints: 2000,
      nowMs,
    });
    const want = [0, 1, 2, 3].map((k) => {
      const inBucket = valve.filter((x) => x.ts >= H0 + k * 15 * 60_000 && x.ts < H0 + (k + 1) * 15 * 60_000);
      return [k * 15 * 60_000, inBucket.at(-1)!.v, inBucket.length, null, null];
    });
    expect(want.map((w) => w[1])).toContain('closed');
    expect(r.buckets.map((b) => [b.tsMs - H0, b.last, b.count, b.min, b.mean])).toEqual(want);
  });

  it('widens the step to stay within maxPoints and says so', async () => {
    const r = await sut.queryHistory({
      tag: 'TIA-101',
      fromMs: H0,
      toMs: H0 + 3 * HOUR - 1,
      stepMs: 10_000,
      maxPoints: 20,
      nowMs,
    });
    expect(r.widened).toBe(true);
    expect(r.buckets.length).toBeLessThanOrEqual(20);
    expect(r.note).toMatch(/at most 20 buckets/);
    const total = r.buckets.reduce((n, b) => n + b.count, 0);
    expect(total).toBe(numeric.length);
  });
});

/** The alarm journal: the same events, the same answers, in the same order, whichever adapter. */
describe.each(adapters)('AlarmJournalStore contract: $name', (adapter) => {
  let sut: TelemetryStore & AlarmJournalStore;
  let dispose: () => Promise<void>;
  // Within the raw retention policy of InfluxDB (30 days), so the points are kept.
  const J0 = Math.floor((Date.now() - 3 * HOUR) / 1000) * 1000;

  const alarm = (key: string, over: Partial<Alarm> = {}): Alarm => {
    const [tag = '', group = ''] = key.split(':');
    return {
      id: `${key}@${J0}`,
      key,
      tag,
      enterpriseId: 'bjpc',
      sourceId: 'tf01',
      condition: group === 'hi' ? 'H' : group === 'lo' ? 'L' : 'VALVE_TRAVEL',
      priority: 3,
      state: 'unacked',
      active: true,
      latching: false,
      chattering: false,
      value: 13.7,
      limit: 13.6,
      unit: 'm',
      raisedAt: J0,
      updatedAt: J0,
      message: '1#甲醇储罐液位（LIA-101）高报警：13.7m，限值 13.6m',
      ...over,
    };
  };
  const ev = (
    seq: number,
    atMs: number,
    transition: AlarmEvent['transition'],
    key: string,
    over: Partial<Alarm> = {},
    extra: Partial<AlarmEvent> = {},
  ): AlarmEvent => ({
    seq,
    tsMs: J0 + atMs,
    transition,
    fromState: 'normal',
    alarm: alarm(key, { updatedAt: J0 + atMs, ...over }),
    ...extra,
  });

  const events: AlarmEvent[] = [
    ev(1, 0, 'raise', 'LIA-101:hi'),
    ev(2, 1000, 'escalate', 'LIA-101:hi', { condition: 'HH', priority: 2, value: 14.5, limit: 14.4 }),
    ev(
      3,
      2000,
      'ack',
      'LIA-101:hi',
      { condition: 'HH', priority: 2, state: 'acked' },
      {
        fromState: 'unacked',
        user: '张三',
        comment: '已通知外操, "现场确认"',
      },
    ),
    // Two events of one instant: seq orders them (InfluxDB's series order would put `raise` first).
    ev(5, 3000, 'suppress', 'FIA-101:lo', { state: 'normal', active: false, sourceId: 'tf02' }),
    ev(6, 3000, 'raise', 'FIA-101:lo', { sourceId: 'tf02' }),
    ev(4, 2500, 'raise', 'XV-101:VALVE_TRAVEL', { value: 'travel', limit: null, priority: 2, enterpriseId: 'hxcl' }),
    ev(
      7,
      4000,
      'return',
      'LIA-101:hi',
      { condition: 'HH', priority: 2, state: 'normal', active: false },
      {
        fromState: 'acked',
      },
    ),
    ev(
      8,
      5000,
      'shelve',
      'XV-101:VALVE_TRAVEL',
      { value: 'travel', limit: null, priority: 2, enterpriseId: 'hxcl' },
      {
        fromState: 'unacked',
        user: 'lisi',
        comment: '阀门检修',
      },
    ),
  ];
  const sorted = [...events].sort((a, b) => a.tsMs - b.tsMs || a.seq - b.seq);
  const all = { fromMs: J0, toMs: J0 + 10_000, limit: 100 };
  const seqs = (xs: AlarmEvent[]) => xs.map((e) => e.seq);

  beforeAll(async () => {
    const created = await adapter.create();
    sut = created.store as TelemetryStore & AlarmJournalStore;
    dispose = created.dispose;
    await sut.init();
    // Out of order across two batches, and the second batch written twice (a spool replay after a crash).
    await sut.writeBatch({ points: [], alarmEvents: events.slice(4) });
    await sut.writeBatch({ points: [], alarmEvents: events.slice(0, 4) });
    await sut.writeBatch({ points: [], alarmEvents: events.slice(0, 4) });
  }, 60_000);

  afterAll(() => dispose?.(), 30_000);

  it('reads every event back whole (discrete values, Chinese text, quotes), ordered by time then seq', async () => {
    const got = await sut.queryJournal(all);
    expect(seqs(got)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(got).toEqual(sorted);
  });

  it('keeps one copy of an event written twice', async () => {
    expect(await sut.queryJournal({ ...all, transition: 'ack' })).toHaveLength(1);
  });

  it('honours the time range at both ends (inclusive)', async () => {
    expect(seqs(await sut.queryJournal({ ...all, fromMs: J0 + 1000, toMs: J0 + 3000 }))).toEqual([2, 3, 4, 5, 6]);
    expect(await sut.queryJournal({ ...all, fromMs: J0 + 10_001, toMs: J0 + 20_000 })).toEqual([]);
  });

  it.each([
    ['sourceId', { sourceId: 'tf02' }, [5, 6]],
    ['enterpriseId', { enterpriseId: 'hxcl' }, [4, 8]],
    ['tag', { tag: 'LIA-101' }, [1, 2, 3, 7]],
    ['priority', { priority: 2 as const }, [2, 3, 4, 7, 8]],
    ['transition', { transition: 'raise' as const }, [1, 4, 6]],
    ['user', { user: '张三' }, [3]],
    ['several filters', { tag: 'LIA-101', priority: 2 as const, transition: 'return' as const }, [7]],
    ['a value nobody has', { user: "o'brien" }, []],
  ])('filters by %s', async (_name, filter, want) => {
    expect(seqs(await sut.queryJournal({ ...all, ...filter }))).toEqual(want);
  });

  it('cuts at the limit in time-then-seq order, also inside one instant', async () => {
    expect(seqs(await sut.queryJournal({ ...all, limit: 3 }))).toEqual([1, 2, 3]);
    expect(seqs(await sut.queryJournal({ ...all, limit: 5 }))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(await sut.queryJournal({ ...all, limit: 6 }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await sut.queryJournal({ ...all, limit: 0 })).toEqual([]);
  });

  it('gives the latest event of every alarm point in a range, ties broken by seq', async () => {
    const latest = (fromMs: number, untilMs: number) =>
      sut.latestAlarmEvents(J0 + fromMs, J0 + untilMs).then((xs) => seqs(xs.sort((a, b) => a.seq - b.seq)));
    await expect(latest(0, 10_000)).resolves.toEqual([6, 7, 8]);
    // Until is exclusive: the state as it was at that instant.
    await expect(latest(0, 3000)).resolves.toEqual([3, 4]);
    await expect(latest(2500, 4000)).resolves.toEqual([4, 6]);
    await expect(latest(20_000, 30_000)).resolves.toEqual([]);
  });
});
