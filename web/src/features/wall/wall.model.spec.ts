import { describe, expect, it } from 'vitest';
import type { SiteModel, TagDef } from '@hazard/server/contracts';
import { sample, site } from './wall.fixtures';
import {
  buildLayout,
  displayRange,
  gasBar,
  limitLevelOf,
  sisReading,
  sourceToShow,
  valueView,
  valveReading,
} from './wall.model';

describe('buildLayout', () => {
  it('groups tanks with their level, temperature and pressure tags, detectors, valves and SIS loops', () => {
    const layout = buildLayout(site);
    expect(layout.parkName).toBe('滨江化工园区');
    expect(layout.title).toBe('企业 · 罐区');
    expect(layout.tanks.map((t) => [t.id, t.level?.tag, t.temperature?.tag, t.pressure?.tag])).toEqual([
      ['T-1', 'LIA-1', 'TIA-1', undefined],
      ['T-2', 'LIA-2', undefined, undefined],
    ]);
    expect(layout.detectors.map((d) => d.tag.tag)).toEqual(['GIA-1']);
    expect(layout.valves.map((v) => v.tag.tag)).toEqual(['XV-1']);
    expect(layout.sisLoops.map((v) => v.tag.tag)).toEqual(['SIS-1']);
    expect(layout.tagNames['LIA-1']).toBe('1#罐液位');
  });

  describe('source selection', () => {
    const first = site.enterprises[0]!.sources[0]!;
    const two: SiteModel = {
      ...site,
      enterprises: [
        { ...site.enterprises[0]!, sources: [first, { ...first, id: 's2', name: '二号罐区', equipment: [] }] },
      ],
    };

    it('shows the requested hazard source, and the first one when the request is unknown', () => {
      expect(buildLayout(two, 's2')).toMatchObject({ sourceId: 's2', title: '企业 · 二号罐区', tanks: [] });
      expect(buildLayout(two, 'nope').sourceId).toBe('s');
      expect(buildLayout(two).sources.map((s) => s.id)).toEqual(['s', 's2']);
    });

    it('names every tag of the park for the alarm list, whichever source is shown', () => {
      expect(buildLayout(two, 's2').tagNames['LIA-1']).toBe('1#罐液位');
    });

    it('pins the requested source, rotates in kiosk mode, and otherwise leaves the choice to buildLayout', () => {
      expect(sourceToShow(['a', 'b'], 'b', true, 0)).toBe('b');
      expect([0, 1, 2].map((i) => sourceToShow(['a', 'b'], null, true, i))).toEqual(['a', 'b', 'a']);
      expect(sourceToShow(['a', 'b'], null, false, 1)).toBeNull();
      expect(sourceToShow([], null, true, 3)).toBeNull();
    });
  });
});

describe('limitLevelOf', () => {
  const limits = { hh: 14, h: 13, l: 2, ll: 1 };
  it('names the worst limit a value is at or beyond', () => {
    expect([14, 13.5, 13, 7, 2, 0.5].map((v) => limitLevelOf(limits, v))).toEqual(['HH', 'H', 'H', null, 'L', 'LL']);
    expect(limitLevelOf(undefined, 99)).toBeNull();
    expect(limitLevelOf({ h: 40 }, 39.9)).toBeNull();
  });
});

describe('valueView', () => {
  const def: TagDef = { tag: 'TIA-1', name: '温度', kind: 'temperature', unit: '°C', limits: { hh: 45, h: 40 } };

  it('shows a dash without a sample', () => {
    expect(valueView(def, undefined, 'none')).toMatchObject({ text: '—', tone: 'muted', quality: null });
  });

  it('colours a live value by the limit it is beyond', () => {
    expect(valueView(def, sample(30, 1), 'live').tone).toBe('normal');
    expect(valueView(def, sample(41, 1), 'live')).toMatchObject({ text: '41', level: 'H', tone: 'warn' });
    expect(valueView(def, sample(46, 1), 'live')).toMatchObject({ level: 'HH', tone: 'alarm' });
  });

  it('mutes a delayed, offline or bad value, and marks bad and uncertain quality', () => {
    expect(valueView(def, sample(46, 1), 'stale').tone).toBe('muted');
    expect(valueView(def, sample(46, 1), 'offline').tone).toBe('muted');
    expect(valueView(def, sample(46, 1, 'bad'), 'live')).toMatchObject({ tone: 'muted', quality: 'bad' });
    expect(valueView(def, sample(46, 1, 'uncertain'), 'live')).toMatchObject({ tone: 'alarm', quality: 'uncertain' });
  });
});

describe('gasBar', () => {
  const def: TagDef = {
    tag: 'GIA-1',
    name: '浓度',
    kind: 'gas',
    unit: '%LEL',
    range: [0, 100],
    limits: { hh: 50, h: 25 },
  };

  it('places the first and second alarm marks (GB/T 50493) on the range', () => {
    expect(gasBar(def, 10)).toEqual({ fillPct: 10, firstPct: 25, secondPct: 50, reached: null });
  });

  it('says which alarm threshold the value reached', () => {
    expect(gasBar(def, 25).reached).toBe('first');
    expect(gasBar(def, 60).reached).toBe('second');
    expect(gasBar(def, undefined)).toMatchObject({ fillPct: 0, reached: null });
  });

  it('clamps an over-range value and scales a tag without range to its limits', () => {
    expect(gasBar(def, 140).fillPct).toBe(100);
    const toxic: TagDef = { ...def, unit: 'mg/m³', range: undefined, limits: { hh: 12, h: 6 } };
    expect(displayRange(toxic)).toEqual([0, 15]);
    expect(gasBar(toxic, 6)).toMatchObject({ firstPct: 40, secondPct: 80, reached: 'first' });
  });
});

describe('discrete readings', () => {
  it('reads the contract states and tells no data from an unknown value', () => {
    expect(valveReading(sample('travel', 1))).toBe('travel');
    expect(valveReading(undefined)).toBe('none');
    expect(valveReading(sample('OPEN', 1))).toBe('unknown');
    expect(valveReading(sample(1, 1))).toBe('unknown');
    expect(valveReading(sample('toString', 1))).toBe('unknown');
    expect(sisReading(sample('bypassed', 1))).toBe('bypassed');
  });
});
