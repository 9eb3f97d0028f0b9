import type { LatestValue, LimitLevel } from '@hazard/server/contracts';
import type { EChartsOption } from '../../shared/charts/echarts';
import { limitLevelOf, type TankView } from './wall.model';

/** Colours of the dark wall theme, by state. */
export const COLORS = {
  normal: '#3ba7ff',
  H: '#ff9f1a',
  L: '#ff9f1a',
  HH: '#ff3b30',
  LL: '#ff3b30',
  stale: '#5c6b7a',
  text: '#c9d6e3',
  grid: '#233446',
} as const;

export function levelColor(level: LimitLevel | null): string {
  return level ? COLORS[level] : COLORS.normal;
}

const LIMIT_KEYS = [
  ['hh', 'HH'],
  ['h', 'H'],
  ['l', 'L'],
  ['ll', 'LL'],
] as const;

/**
 * Tank level chart: one bar per tank in its unit, coloured by the limit it is beyond, with each tank's own
 * H/HH/L/LL drawn as short marks across its bar (tanks differ in height, so one markLine per series would lie).
 */
export function tankLevelOption(
  tanks: TankView[],
  latest: Record<string, LatestValue>,
  live: boolean,
  limitNames: Record<LimitLevel, string>,
): EChartsOption {
  const withLevel = tanks.filter((t) => t.level);
  // Equipment number over medium: short enough for four to eight tanks side by side on a wall screen.
  const names = withLevel.map((t) => (t.medium ? `${t.id}\n${t.medium}` : t.id));
  const bars = withLevel.map((t) => {
    const sample = latest[t.level!.tag];
    const v = typeof sample?.v === 'number' ? sample.v : undefined;
    const level = limitLevelOf(t.level!.limits, v);
    return {
      value: v ?? null,
      itemStyle: { color: live && sample?.q !== 'bad' ? levelColor(level) : COLORS.stale },
    };
  });
  const marks: { value: [number, number]; name: string; itemStyle: { color: string } }[] = [];
  withLevel.forEach((t, i) => {
    const limits = t.level!.limits;
    if (!limits) return;
    for (const [key, level] of LIMIT_KEYS) {
      const value = limits[key];
      if (value !== undefined)
        marks.push({ value: [i, value], name: limitNames[level], itemStyle: { color: COLORS[level] } });
    }
  });
  const maxRange = Math.max(0, ...withLevel.map((t) => t.level!.range?.[1] ?? 0));
  const unit = withLevel[0]?.level?.unit ?? '';
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 24, bottom: 48 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: names,
      axisLabel: { color: COLORS.text, fontSize: 14, interval: 0 },
      axisLine: { lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'value',
      name: unit,
      min: 0,
      max: maxRange > 0 ? maxRange : undefined,
      nameTextStyle: { color: COLORS.text },
      axisLabel: { color: COLORS.text },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        type: 'bar',
        name: 'level',
        data: bars,
        barWidth: '45%',
        label: { show: true, position: 'top', color: COLORS.text, fontSize: 14 },
      },
      {
        type: 'scatter',
        name: 'limits',
        data: marks,
        symbol: 'rect',
        symbolSize: [56, 3],
        z: 5,
        tooltip: { formatter: (p: { name: string; value: [number, number] }) => `${p.name} ${p.value[1]} ${unit}` },
      },
    ],
  };
}
