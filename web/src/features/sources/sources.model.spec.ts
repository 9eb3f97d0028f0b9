import { describe, expect, it } from 'vitest';
import type { GradeResult, HazardSource, TagDef } from '@hazard/server/contracts';
import { bypass, sourceRisk } from '../wall/risk-map.fixtures';
import { sample, site } from '../wall/wall.fixtures';
import { BAND_COLORS, barrierViews, betaSum, gaugeBands, gradeRows, trendTags } from './sources.model';

const level = (limits: TagDef['limits'], range: [number, number] = [0, 16]): TagDef => ({
  tag: 'LIA-1',
  name: '液位',
  kind: 'level',
  unit: 'm',
  range,
  ...(limits ? { limits } : {}),
});
const { alarm: red, warn: amber, normal: green } = BAND_COLORS;

describe(gaugeBands.name, () => {
  it('draws LL/L/normal/H/HH bands at the limits’ fractions of the range', () => {
    expect(gaugeBands(level({ ll: 1.6, l: 2.4, h: 13.6, hh: 14.4 }))).toEqual([
      [0.1, red],
      [0.15, amber],
      [0.85, green],
      [0.9, amber],
      [1, red],
    ]);
  });

  it('draws a gas detector’s first and second alarms only on the high side', () => {
    expect(gaugeBands(level({ h: 25, hh: 50 }, [0, 100]))).toEqual([
      [0.25, green],
      [0.5, amber],
      [1, red],
    ]);
  });

  it('is one normal band without limits, and clamps limits outside the range', () => {
    expect(gaugeBands(level(undefined))).toEqual([[1, green]]);
    // HH above the range: the red band is off the dial; LL below it: so is its band.
    expect(gaugeBands(level({ hh: 20 }))).toEqual([[1, green]]);
    expect(gaugeBands(level({ ll: -5, hh: 14.4 }))).toEqual([
      [0.9, green],
      [1, red],
    ]);
  });
});

describe(barrierViews.name, () => {
  const source = site.enterprises[0]!.sources[0]! as HazardSource;

  it('takes an SIS bypass’s since-when from the risk reasons, and no demand on its valve while not tripped', () => {
    const { sis, valves } = barrierViews(
      source,
      { 'SIS-1': sample('bypassed', 1), 'XV-1': sample('open', 1) },
      sourceRisk('s', { reasons: [bypass] }),
    );
    expect(sis[0]).toMatchObject({ id: 'SIS-1', reading: 'bypassed', sinceMs: 1000, closes: ['XV-1'] });
    expect(valves[0]).toMatchObject({
      id: 'XV-1',
      reading: 'open',
      demand: null,
      closedBy: ['SIS-1'],
      mismatch: false,
    });
  });

  it('demands closed from the valves of a tripped loop and flags one that stays open', () => {
    const { valves } = barrierViews(source, { 'SIS-1': sample('tripped', 1), 'XV-1': sample('open', 1) }, null);
    expect(valves[0]).toMatchObject({ demand: 'closed', mismatch: true });
    const closing = barrierViews(source, { 'SIS-1': sample('tripped', 1), 'XV-1': sample('travel', 1) }, null);
    expect(closing.valves[0]!.mismatch).toBe(false);
  });

  it('reads a source without samples as no data, with no since-when', () => {
    const { sis, valves } = barrierViews(source, {}, null);
    expect([sis[0]!.reading, sis[0]!.sinceMs, valves[0]!.reading]).toEqual(['none', null, 'none']);
  });
});

describe(gradeRows.name, () => {
  const grade: GradeResult = {
    terms: [
      {
        chemical: 'methanol',
        id: 'methanol',
        nameZh: '甲醇',
        source: 'table1',
        hazardClass: 'W5.3',
        quantityT: 7900,
        criticalQuantityT: 500,
        beta: 1,
        qOverQ: 15.8,
        betaQOverQ: 15.8,
        verified: true,
      },
      {
        chemical: 'gasoline',
        id: 'gasoline',
        nameZh: '汽油',
        source: 'table1',
        hazardClass: null,
        quantityT: 2200,
        criticalQuantityT: 200,
        beta: 1.5,
        qOverQ: 11,
        betaQOverQ: 16.5,
        verified: false,
      },
    ],
    S: 26.8,
    isMajorHazard: true,
    peopleWithin500m: 45,
    alpha: 1.2,
    alphaBand: '30–49人',
    R: 38.76,
    grade: 3,
    gradeZh: '三级',
    tablesVersion: 'v1',
    warnings: [],
    errors: [],
  };

  it('formats every term of the computation and sums β·q/Q', () => {
    expect(gradeRows(grade)[1]).toEqual({
      chemical: 'gasoline',
      nameZh: '汽油',
      hazardClass: '—',
      source: 'table1',
      q: '2200',
      Q: '200',
      qOverQ: '11',
      beta: '1.5',
      betaQOverQ: '16.5',
      verified: false,
    });
    expect(betaSum(grade)).toBeCloseTo(32.3);
  });
});

describe(trendTags.name, () => {
  it('offers the analog tags only', () => {
    const tags = trendTags(site.enterprises[0]!.sources[0]! as HazardSource).map((t) => t.tag);
    expect(tags).toEqual(['LIA-1', 'TIA-1', 'LIA-2', 'GIA-1']);
  });
});
