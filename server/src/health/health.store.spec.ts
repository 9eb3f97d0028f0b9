import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthStore } from './health.store';

describe(HealthStore.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hazard-health-store-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the latest row per period and tag across a reopen, and prunes old rows', () => {
    const file = join(dir, 'health.sqlite');
    const first = new HealthStore(file);
    first.write([{ period: 'hour', startMs: 1000, tag: 'LIA-101', online: 3, samples: 5 }]);
    first.write([
      { period: 'hour', startMs: 1000, tag: 'LIA-101', online: 4, samples: 6 },
      { period: 'day', startMs: 0, tag: 'LIA-101', online: 4, samples: 6 },
      { period: 'hour', startMs: 5000, tag: 'LIA-101', online: 1, samples: 1 },
    ]);
    first.close();
    const sut = new HealthStore(file);
    try {
      expect(sut.period('hour', 1000)).toEqual([
        { period: 'hour', startMs: 1000, tag: 'LIA-101', online: 4, samples: 6 },
      ]);
      expect(sut.range(1000, 5000).map((r) => [r.period, r.startMs])).toEqual([
        ['hour', 1000],
        ['hour', 5000],
      ]);
      sut.prune('hour', 5000);
      expect(sut.range(0, 10_000).map((r) => [r.period, r.startMs])).toEqual([
        ['day', 0],
        ['hour', 5000],
      ]);
    } finally {
      sut.close();
    }
  });
});
