import { DataHealth, meanRate, periodStart, tagRate, type HealthTag } from './data-health';

const T0 = Date.UTC(2026, 0, 5, 2, 0, 0); // 10:00 China Standard Time
const CST_MS = 8 * 3_600_000;
const TAGS: HealthTag[] = [
  { tag: 'LIA-101', sourceId: 'tf01', enterpriseId: 'bjpc', maxAgeMs: 60_000 },
  { tag: 'TIA-101', sourceId: 'tf01', enterpriseId: 'bjpc', maxAgeMs: 10_000 },
  { tag: 'GIA-301', sourceId: 'cl01', enterpriseId: 'hxcl', maxAgeMs: 60_000 },
];

function make(nowMs = T0): DataHealth {
  return new DataHealth(TAGS, { defaultMaxAgeMs: 60_000, utcOffsetMs: CST_MS }, nowMs);
}

describe(DataHealth.name, () => {
  it('has no data for a tag never seen, fresh within its max age, stale after it', () => {
    const sut = make();
    expect(sut.freshness(0, T0)).toBe('no_data');
    sut.seen(0, T0);
    sut.seen(1, T0);
    expect(sut.freshness(0, T0 + 60_000)).toBe('fresh');
    expect(sut.freshness(0, T0 + 60_001)).toBe('stale');
    expect(sut.freshness(1, T0 + 10_001)).toBe('stale');
    expect(sut.staleReason(1, T0 + 10_001)).toBe('max_age');
    expect(sut.staleCount(T0 + 10_001)).toBe(1);
  });

  it('makes every tag of a source stale at once on the gateway last will, and fresh again as values arrive', () => {
    const sut = make();
    sut.seen(0, T0);
    sut.seen(1, T0);
    sut.seen(2, T0);
    sut.gatewayStatus('tf01', false, T0 + 1000);
    expect([0, 1, 2].map((i) => sut.freshness(i, T0 + 1000))).toEqual(['stale', 'stale', 'fresh']);
    expect(sut.staleReason(0, T0 + 1000)).toBe('gateway_offline');
    expect(sut.gateway('tf01')).toEqual({ online: false, sinceMs: T0 + 1000 });
    sut.gatewayStatus('tf01', true, T0 + 2000);
    expect(sut.freshness(0, T0 + 2000)).toBe('stale');
    sut.seen(0, T0 + 2500);
    expect(sut.freshness(0, T0 + 2500)).toBe('fresh');
    expect(sut.freshness(1, T0 + 2500)).toBe('stale');
    expect(sut.gateway('tf01')).toEqual({ online: true, sinceMs: T0 + 2000 });
  });

  it('marks tags stale for an external cause and lifts the mark with markFresh', () => {
    const sut = make();
    sut.seen(2, T0);
    sut.markStale([2], 'node_death');
    expect(sut.staleReason(2, T0)).toBe('node_death');
    sut.markFresh([2]);
    expect(sut.freshness(2, T0)).toBe('fresh');
  });

  it('counts a tag online in a sample when fresh at the tick or seen since the previous tick', () => {
    const sut = make();
    sut.seen(0, T0);
    sut.tick(T0 + 60_000); // LIA fresh; TIA never; GIA never
    sut.seen(1, T0 + 61_000); // TIA seen, stale again (10 s) by the next tick
    sut.tick(T0 + 120_000); // LIA stale (120 s) → offline; TIA seen during the minute → online
    sut.tick(T0 + 180_000); // nobody
    expect(sut.hour.samples).toBe(3);
    expect([...sut.hour.online]).toEqual([1, 1, 0]);
    const report = sut.report(T0 + 180_000);
    expect(report.sources.find((s) => s.sourceId === 'tf01')?.onlineRateHour).toEqual({
      startMs: T0,
      samples: 3,
      rate: (1 / 3 + 1 / 3) / 2,
    });
    expect(report.park.onlineRateHour.rate).toBeCloseTo((1 / 3 + 1 / 3 + 0) / 3);
    expect(report.enterprises.find((e) => e.enterpriseId === 'hxcl')?.onlineRateDay.rate).toBe(0);
  });

  it('closes the hour at the hour boundary and the day at local midnight', () => {
    const sut = make(Date.UTC(2026, 0, 5, 15, 30)); // 23:30 CST
    sut.seen(0, Date.UTC(2026, 0, 5, 15, 30));
    expect(sut.tick(Date.UTC(2026, 0, 5, 15, 31))).toEqual([]);
    const closed = sut.tick(Date.UTC(2026, 0, 5, 16, 0, 30)); // 00:00:30 CST next day
    expect(closed.map((c) => [c.period, c.startMs, c.samples, [...c.online]])).toEqual([
      ['hour', Date.UTC(2026, 0, 5, 15), 1, [1, 0, 0]],
      ['day', Date.UTC(2026, 0, 4, 16), 1, [1, 0, 0]],
    ]);
    expect(sut.hour).toMatchObject({ startMs: Date.UTC(2026, 0, 5, 16), samples: 1 });
    expect(sut.day).toMatchObject({ startMs: Date.UTC(2026, 0, 5, 16), samples: 1 });
  });

  it('restores the current period from stored rows after a restart', () => {
    const first = make();
    first.seen(0, T0);
    first.tick(T0 + 60_000);
    first.tick(T0 + 120_000);
    const rows = [...first.rows(first.hour), ...first.rows(first.day)];
    const sut = make(T0 + 150_000);
    sut.restore(rows);
    sut.tick(T0 + 180_000);
    expect(sut.hour.samples).toBe(3);
    expect([...sut.hour.online]).toEqual([1, 0, 0]);
  });

  it('lists stale tags oldest first with their reason, filtered by source', () => {
    const sut = make();
    sut.seen(0, T0);
    sut.seen(1, T0 + 5000);
    sut.seen(2, T0);
    sut.gatewayStatus('cl01', false, T0 + 1000);
    const report = sut.report(T0 + 70_000);
    expect(report.staleTags).toEqual([
      { tag: 'LIA-101', sourceId: 'tf01', enterpriseId: 'bjpc', ageS: 70, reason: 'max_age' },
      { tag: 'GIA-301', sourceId: 'cl01', enterpriseId: 'hxcl', ageS: 70, reason: 'gateway_offline' },
      { tag: 'TIA-101', sourceId: 'tf01', enterpriseId: 'bjpc', ageS: 65, reason: 'max_age' },
    ]);
    const filtered = sut.report(T0 + 70_000, 'cl01');
    expect(filtered.sources.map((s) => s.sourceId)).toEqual(['cl01']);
    expect(filtered.enterprises.map((e) => e.enterpriseId)).toEqual(['hxcl']);
    expect(filtered.staleTags.map((t) => t.tag)).toEqual(['GIA-301']);
    expect(filtered.park).toMatchObject({ tags: 3, stale: 3, fresh: 0, noData: 0 });
  });

  it('aggregates stored rows per period as the mean over tags', () => {
    const sut = make();
    const rows = [
      { period: 'hour' as const, startMs: T0, tag: 'LIA-101', online: 60, samples: 60 },
      { period: 'hour' as const, startMs: T0, tag: 'TIA-101', online: 30, samples: 60 },
      { period: 'hour' as const, startMs: T0, tag: 'GIA-301', online: 0, samples: 60 },
    ];
    expect(sut.aggregate(rows, 'tf01')).toEqual([
      {
        period: 'hour',
        startMs: T0,
        park: 0.5,
        enterprises: { bjpc: 0.75, hxcl: 0 },
        sources: { tf01: 0.75, cl01: 0 },
        tags: { 'LIA-101': 1, 'TIA-101': 0.5 },
      },
    ]);
  });
});

describe('online-rate arithmetic', () => {
  it('starts days at local midnight and hours on the hour', () => {
    const t = Date.UTC(2026, 0, 5, 17, 45); // 01:45 CST on the 6th
    expect(periodStart('hour', t, CST_MS)).toBe(Date.UTC(2026, 0, 5, 17));
    expect(periodStart('day', t, CST_MS)).toBe(Date.UTC(2026, 0, 5, 16));
    expect(periodStart('day', t, 0)).toBe(Date.UTC(2026, 0, 5));
  });

  it('has no rate before the first sample and averages only tags that have one', () => {
    expect(tagRate(0, 0)).toBeNull();
    expect(tagRate(45, 60)).toBe(0.75);
    expect(meanRate([1, null, 0.5])).toBe(0.75);
    expect(meanRate([])).toBeNull();
  });
});
