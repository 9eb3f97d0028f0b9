import { describe, expect, it } from 'vitest';
import type { HistoryBucket, HistoryResponse, TagDef } from '@hazard/server/contracts';
import type { DisplayClock } from '../wall/data-age';
import { sample, site } from '../wall/wall.fixtures';
import { buildLayout } from '../wall/wall.model';
import { COLORS } from '../wall/wall.options';
import { gaugeBands } from './sources.model';
import { tankGaugeOption, trendExtent, trendOption, type TrendLabels } from './sources.options';

const def: TagDef = {
  tag: 'LIA-1',
  name: '液位',
  kind: 'level',
  unit: 'm',
  range: [0, 16],
  limits: { hh: 14, h: 13, l: 2, ll: 1 },
};
const labels: TrendLabels = {
  mean: '平均值',
  band: '最小–最大',
  limits: { HH: '高高限', H: '高限', L: '低限', LL: '低低限' },
  time: (ms) => `t${ms}`,
};
const bucket = (tsMs: number, min: number, max: number, mean: number): HistoryBucket => ({
  tsMs,
  min,
  max,
  mean,
  last: mean,
  count: 3,
});
function history(buckets: HistoryBucket[]): HistoryResponse {
  return { tag: 'LIA-1', unit: 'm', fromMs: 0, toMs: 10_000, resolution: 'raw', stepMs: 1000, widened: false, buckets };
}

interface Line {
  id: string;
  data: [number, number | null][];
  stack?: string;
  showSymbol?: boolean;
  markLine?: { data: { yAxis: number; lineStyle: { color: string } }[] };
}
interface BuiltTrend {
  series: Line[];
  yAxis: { min?: number; max?: number };
  tooltip: { formatter: (p: unknown) => string };
}

describe(trendOption.name, () => {
  const h = history([bucket(0, 7, 9, 8), bucket(1000, 8, 10, 9), bucket(4000, 6, 7, 6.5)]);
  const built = trendOption(h, def, labels, 1) as unknown as BuiltTrend;
  const series = (id: string) => built.series.find((s) => s.id === id)!;

  it('draws the mean over a stacked min + (max − min) band', () => {
    expect(series('mean').data.filter((p) => p[1] !== null)).toEqual([
      [0, 8],
      [1000, 9],
      [4000, 6.5],
    ]);
    expect(series('min').stack).toBe('band');
    expect(series('spread').stack).toBe('band');
    expect(
      series('spread')
        .data.filter((p) => p[1] !== null)
        .map((p) => p[1]),
    ).toEqual([2, 2, 1]);
  });

  it('breaks the line where buckets are missing instead of joining across the gap', () => {
    expect(series('mean').data).toContainEqual([2000, null]);
    expect(series('min').data).toContainEqual([2000, null]);
  });

  it('draws the tag’s limits as lines in their colours, and keeps them on the axis', () => {
    const lines = series('mean').markLine!.data;
    expect(lines.map((l) => l.yAxis)).toEqual([14, 13, 2, 1]);
    expect(lines[0]!.lineStyle.color).toBe(COLORS.HH);
    expect(built.yAxis.min).toBeLessThanOrEqual(1);
    expect(built.yAxis.max).toBeGreaterThanOrEqual(14);
  });

  it('marks each bucket with a dot when there are few, so a lone bucket shows', () => {
    expect(series('mean').showSymbol).toBe(true);
  });

  it('tells time, mean and range with the unit in its tooltip', () => {
    const text = built.tooltip.formatter([{ value: [1000, 9] }]);
    expect(text).toBe('t1000<br/>平均值 9 m<br/>最小–最大 8 m – 10 m');
  });
});

describe(trendExtent.name, () => {
  it('is undefined without data or limits, and on the tick grid otherwise', () => {
    const bare: TagDef = { ...def, limits: undefined } as unknown as TagDef;
    expect(trendExtent(history([]), bare)).toEqual([undefined, undefined]);
    // Limits 1…14 m with 5 % room, on a 2.5 m grid.
    expect(trendExtent(history([bucket(0, 7, 9, 8)]), def)).toEqual([0, 15]);
  });
});

describe(tankGaugeOption.name, () => {
  const tank = buildLayout(site).tanks[0]!;
  const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };
  interface Gauge {
    min: number;
    max: number;
    axisLine: { lineStyle: { color: unknown } };
    pointer: { show: boolean; itemStyle: { color: string } };
    detail: { color: string; formatter: () => string };
    data: [{ value: number }];
  }
  const gauge = (s: ReturnType<typeof sample> | undefined, c = clock) =>
    (
      tankGaugeOption(tank, tank.level!, s, c, { noData: '无数据', notLive: '延迟' }, 1) as unknown as {
        series: [Gauge];
      }
    ).series[0];

  it('spans the range with the limit bands and shows the value with its unit', () => {
    const g = gauge(sample(14.5, 99_000));
    expect([g.min, g.max]).toEqual([0, 16]);
    expect(g.axisLine.lineStyle.color).toEqual(gaugeBands(tank.level!));
    expect(g.data[0].value).toBe(14.5);
    expect(g.detail.formatter()).toBe('14.5 m');
    expect(g.detail.color).toBe(COLORS.HH);
  });

  it('greys a value that is not live and says so', () => {
    const g = gauge(sample(14.5, 50_000));
    expect(g.detail.color).toBe(COLORS.muted);
    expect(g.pointer.itemStyle.color).toBe(COLORS.muted);
    expect(g.detail.formatter()).toBe('14.5 m 延迟');
  });

  it('hides the needle without a sample', () => {
    const g = gauge(undefined);
    expect(g.pointer.show).toBe(false);
    expect(g.detail.formatter()).toBe('无数据');
  });
});
