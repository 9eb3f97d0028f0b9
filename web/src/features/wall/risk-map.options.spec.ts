import { describe, expect, it } from 'vitest';
import type { RiskOverview } from '@hazard/server/contracts';
import { bypass, mapSite, sourceRisk } from './risk-map.fixtures';
import {
  mapSources,
  parkGeoJson,
  placeLabels,
  pxPerMetre,
  riskMapOption,
  shortName,
  siteExtent,
  sourceTooltip,
  type RiskMapInput,
  type RiskMapLabels,
} from './risk-map.options';
import { RISK_COLORS } from './risk.view';

const labels: RiskMapLabels = {
  grade: (g) => (g === null ? '非重大危险源' : `${'一二三四'[g - 1]}级`),
  level: (l) => `level:${l}`,
  reason: (r) => r.text,
  score: '风险分',
  noRisk: '尚无风险评估',
  lastKnown: (level, time) => `最后已知 ${level} ${time}`,
  time: (ms) => `t${ms}`,
};

function overview(): RiskOverview {
  const red = sourceRisk('a', { level: 'red', score: 55, reasons: [bypass] });
  const quiet = { level: 'blue' as const, score: 97, counts: { blue: 1, yellow: 0, orange: 0, red: 1 }, reasons: [] };
  return {
    seq: 3,
    computedAt: 5000,
    modelVersion: 'risk-1',
    park: quiet,
    enterprises: [],
    sources: [red, sourceRisk('b', { grade: 3 })],
  };
}

interface Item {
  name: string;
  silent?: boolean;
  itemStyle: { areaColor: string };
  label: { show: boolean; formatter?: string; offset?: [number, number]; borderColor?: string };
}
interface Built {
  series: [{ type: string; map: string; aspectScale: number; data: Item[] }];
  tooltip: { formatter: (p: { name: string }) => string };
}

function build(over: Partial<RiskMapInput> = {}): Built {
  return riskMapOption({
    site: mapSite,
    sources: mapSources(mapSite, overview()),
    live: true,
    selectedId: null,
    labels,
    scale: 1,
    viewport: null,
    ...over,
  }) as unknown as Built;
}

const item = (b: Built, name: string): Item => b.series[0].data.find((d) => d.name === name)!;

describe('parkGeoJson', () => {
  it('draws the park, then enterprises, then sources as closed rings centred on their bounding boxes', () => {
    const geo = parkGeoJson(mapSite);
    expect(geo.features.map((f) => f.properties.name)).toEqual(['park:p', 'enterprise:e', 'source:a', 'source:b']);
    const a = geo.features[2]!;
    expect(a.geometry.coordinates[0]).toHaveLength(5);
    expect(a.geometry.coordinates[0]![0]).toEqual(a.geometry.coordinates[0]![4]);
    expect(a.properties.cp).toEqual([230, 230]);
  });
});

describe('mapSources', () => {
  it('joins each source with its live risk and leaves sources without one unrated', () => {
    const views = mapSources(mapSite, overview());
    expect(views.map((v) => [v.id, v.level, v.grade, v.hasPolygon])).toEqual([
      ['a', 'red', 2, true],
      ['b', 'blue', 3, true],
      ['c', null, null, false],
    ]);
    expect(views[0]!.shortName).toBe('一号罐区');
  });

  it('shortens names at their parenthesis, keeping names that are only a parenthesis', () => {
    expect(shortName('一号罐区（甲醇/汽油/苯）')).toBe('一号罐区');
    expect(shortName('Tank farm (methanol)')).toBe('Tank farm');
    expect(shortName('（甲醇）')).toBe('（甲醇）');
  });
});

describe('riskMapOption', () => {
  it('fills each source with its live colour and writes name and grade in its label, never the colour', () => {
    const b = build();
    expect(b.series[0].type).toBe('map');
    expect(b.series[0].aspectScale).toBe(1);
    expect(item(b, 'source:a').itemStyle.areaColor).toBe(RISK_COLORS.red);
    expect(item(b, 'source:b').itemStyle.areaColor).toBe(RISK_COLORS.blue);
    expect(item(b, 'source:a').label.formatter).toBe('一号罐区\n二级');
    expect(item(b, 'source:b').label.formatter).toBe('二号罐区\n三级');
    expect(item(b, 'source:a').label.formatter).not.toContain('level:');
  });

  it('greys every source when the risk is not live, and keeps the last level only in the tooltip', () => {
    const b = build({ live: false });
    expect(item(b, 'source:a').itemStyle.areaColor).toBe(RISK_COLORS.muted);
    expect(item(b, 'source:b').itemStyle.areaColor).toBe(RISK_COLORS.muted);
    const tip = b.tooltip.formatter({ name: 'source:a' });
    expect(tip).toContain('最后已知 level:red t5000');
    expect(tip).not.toContain('风险分');
  });

  it('makes the park and enterprise outlines silent and unlabelled', () => {
    const b = build();
    expect(item(b, 'park:p').silent).toBe(true);
    expect(item(b, 'enterprise:e').silent).toBe(true);
    expect(item(b, 'park:p').label.show).toBe(false);
  });

  it('explains a source in its tooltip: grade, level, score and reasons, HTML-escaped', () => {
    const b = build();
    const tip = b.tooltip.formatter({ name: 'source:a' });
    expect(tip).toContain('二级');
    expect(tip).toContain('level:red · 风险分 55');
    expect(tip).toContain('SIS-1 高液位联锁旁路已 3 小时 12 分');
    expect(b.tooltip.formatter({ name: 'park:p' })).toBe('');
    const [a] = mapSources(mapSite, overview());
    expect(sourceTooltip({ ...a!, name: '<b>x</b>' }, true, labels)).toContain('&#60;b&#62;x');
  });

  it('places labels beside their polygons once the chart size is known, on them before', () => {
    expect(item(build(), 'source:a').label.offset).toEqual([0, 0]);
    // 1016 × 616 px less the 8 px margins fits the 1000 × 600 m park at 1 px/m: polygons are 60 px tall.
    const b = build({ viewport: { widthPx: 1016, heightPx: 616 } });
    for (const name of ['source:a', 'source:b']) {
      const [dx, dy] = item(b, name).label.offset!;
      expect(Math.abs(dy) > 30 || Math.abs(dx) > 30).toBe(true);
    }
    expect(item(b, 'source:a').label.borderColor).toBe(RISK_COLORS.red);
  });
});

describe('placeLabels', () => {
  it('keeps every label off the other labels and off every polygon', () => {
    const items = [
      { id: 'a', bbox: [0, 0, 50, 50] as [number, number, number, number], widthPx: 80, heightPx: 30 },
      { id: 'b', bbox: [60, 0, 110, 50] as [number, number, number, number], widthPx: 80, heightPx: 30 },
      { id: 'c', bbox: [120, 0, 170, 50] as [number, number, number, number], widthPx: 80, heightPx: 30 },
    ];
    const ppm = 1;
    const out = placeLabels(items, ppm, 2);
    const rects = items.map((it) => {
      const [dx, dy] = out.get(it.id)!;
      const cx = ((it.bbox[0] + it.bbox[2]) / 2) * ppm + dx;
      const cy = (-(it.bbox[1] + it.bbox[3]) / 2) * ppm + dy;
      return [cx - 40, cy - 15, cx + 40, cy + 15];
    });
    const polys = items.map((it) => [it.bbox[0], -it.bbox[3], it.bbox[2], -it.bbox[1]]);
    const hit = (r: number[], s: number[]) => r[0]! < s[2]! && s[0]! < r[2]! && r[1]! < s[3]! && s[1]! < r[3]!;
    for (let i = 0; i < rects.length; i++) {
      for (let j = 0; j < rects.length; j++) if (i !== j) expect(hit(rects[i]!, rects[j]!)).toBe(false);
      for (const p of polys) expect(hit(rects[i]!, p)).toBe(false);
    }
  });
});

describe('pxPerMetre', () => {
  it('fits the extent into the box keeping its aspect', () => {
    const extent = siteExtent(mapSite)!;
    expect(extent).toEqual([0, 0, 1000, 600]);
    expect(pxPerMetre(extent, 500, 600)).toBe(0.5);
    expect(pxPerMetre(extent, 2000, 300)).toBe(0.5);
    expect(pxPerMetre(extent, 0, 300)).toBe(0);
  });
});
