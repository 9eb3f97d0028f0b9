import { describe, expect, it } from 'vitest';
import type { LatestValue, TagDef } from '@hazard/server/contracts';
import type { DisplayClock } from './data-age';
import { sample, site } from './wall.fixtures';
import { buildLayout, type TankView } from './wall.model';
import { COLORS, levelScale, niceStep, renderLimitMark, tankLevelOption, type TankChartLabels } from './wall.options';

const labels: TankChartLabels = {
  limits: { HH: '高高限', H: '高限', L: '低限', LL: '低低限' },
  percentOfRange: '% 量程',
  noData: '无数据',
};
const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };
const tanks = buildLayout(site).tanks;

/** The parts of the option the tests read. */
interface Built {
  yAxis: { name: string; min: number; max: number; interval: number };
  series: [
    {
      data: { value: number | '-'; itemStyle: { color: string } }[];
      label: { formatter: (p: { dataIndex: number }) => string };
    },
    { data: { value: [number, number, number] }[]; tooltip: { formatter: (p: { dataIndex: number }) => string } },
  ];
}

function build(latest: Record<string, LatestValue>, c: DisplayClock = clock, t: readonly TankView[] = tanks): Built {
  return tankLevelOption(t, latest, c, labels) as unknown as Built;
}

describe('tankLevelOption', () => {
  it('draws each tank’s own limits at that tank’s position, with their names in the tooltip', () => {
    const option = build({});
    expect(option.series[1].data.map((d) => d.value.slice(0, 2))).toEqual([
      [0, 14],
      [0, 13],
      [0, 2],
      [0, 1],
    ]);
    expect(option.series[1].tooltip.formatter({ dataIndex: 0 })).toBe('1#罐<br/>高高限 14 m');
  });

  it('colours a bar by the limit its value is beyond', () => {
    const latest = { 'LIA-1': sample(14.5, 99_000), 'LIA-2': sample(6, 99_000) };
    expect(build(latest).series[0].data.map((d) => d.itemStyle.color)).toEqual([COLORS.HH, COLORS.normal]);
    const high = { 'LIA-1': sample(13.2, 99_000), 'LIA-2': sample(6, 99_000) };
    expect(build(high).series[0].data[0]!.itemStyle.color).toBe(COLORS.H);
  });

  it('greys every bar when offline, a delayed tag’s bar, and a bad-quality bar', () => {
    const latest = { 'LIA-1': sample(14.5, 99_000), 'LIA-2': sample(6, 99_000) };
    expect(build(latest, { ...clock, connected: false }).series[0].data.map((d) => d.itemStyle.color)).toEqual([
      COLORS.muted,
      COLORS.muted,
    ]);
    const mixed = { 'LIA-1': sample(14.5, 50_000), 'LIA-2': sample(6, 99_000, 'bad') };
    expect(build(mixed).series[0].data.map((d) => d.itemStyle.color)).toEqual([COLORS.muted, COLORS.muted]);
  });

  it('labels bars with value and unit, and draws no bar without data', () => {
    const option = build({ 'LIA-1': sample(8.25, 99_000) });
    expect(option.series[0].data.map((d) => d.value)).toEqual([8.25, '-']);
    expect(option.series[0].label.formatter({ dataIndex: 0 })).toBe('8.25 m');
  });

  it('gives the axis explicit bounds on its tick grid, from the tallest range or a higher value', () => {
    expect(build({}).yAxis).toMatchObject({ name: 'm', min: 0, max: 16, interval: 4 });
    expect(build({ 'LIA-2': sample(17, 99_000) }).yAxis).toMatchObject({ max: 20, interval: 4 });
  });

  it('plots in percent of range when the tanks’ units differ, keeping labels and limits in their own unit', () => {
    const pct: TagDef = {
      tag: 'LIA-3',
      name: '3#罐液位',
      kind: 'level',
      unit: '%',
      range: [0, 100],
      limits: { h: 85 },
    };
    const mixed: TankView[] = [...tanks, { id: 'T-3', name: '3#罐', level: pct }];
    const option = build({ 'LIA-1': sample(8, 99_000), 'LIA-3': sample(40, 99_000) }, clock, mixed);
    expect(option.yAxis).toMatchObject({ name: '% 量程', min: 0, max: 100 });
    expect(option.series[0].data.map((d) => d.value)).toEqual([50, '-', 40]);
    expect(option.series[0].label.formatter({ dataIndex: 0 })).toBe('8 m');
    expect(option.series[1].data[0]!.value.slice(0, 2)).toEqual([0, 87.5]);
  });
});

describe('levelScale', () => {
  it('keeps the common unit when all level tags share it', () => {
    const defs = tanks.map((t) => t.level!);
    expect(levelScale(defs, [undefined, undefined])).toEqual({ kind: 'unit', unit: 'm', min: 0, max: 16, step: 4 });
  });

  it('extends below zero for a range that starts below it, staying on the grid', () => {
    const def: TagDef = { tag: 'L', name: 'L', kind: 'level', unit: 'm', range: [-1, 9] };
    expect(levelScale([def], [undefined])).toEqual({ kind: 'unit', unit: 'm', min: -2, max: 10, step: 2 });
  });
});

describe('niceStep', () => {
  it('splits a span into at most six round intervals', () => {
    expect([16, 12, 14, 100, 3, 0.8, 25_000].map(niceStep)).toEqual([4, 2, 2.5, 20, 0.5, 0.2, 5000]);
    expect(levelScale([{ tag: 'x', name: 'x', kind: 'level', unit: 'm', range: [0, 2.9] }], [undefined])).toMatchObject(
      {
        max: 3,
        step: 0.5,
      },
    );
    expect(niceStep(0)).toBe(1);
  });
});

describe('renderLimitMark', () => {
  it('draws a line 70 % as wide as the tank’s category, centred on it, in the limit’s colour', () => {
    const values = [2, 13, 1];
    const api = {
      value: (dim: number) => values[dim]!,
      coord: ([x, y]: number[]) => [100 * x! + 50, 400 - 10 * y!],
      size: () => [100, 0],
    };
    const shape = (renderLimitMark as unknown as (p: unknown, a: typeof api) => unknown)({}, api);
    expect(shape).toEqual({
      type: 'line',
      shape: { x1: 215, y1: 270, x2: 285, y2: 270 },
      style: { stroke: COLORS.H, lineWidth: 3 },
    });
  });
});
