import type { HistoryResponse, LatestValue, LimitLevel, TagDef } from '@hazard/server/contracts';
import type { ChartOption, GaugeSeriesOption, LineSeriesOption } from '../../shared/charts/echarts';
import { formatWithUnit } from '../../shared/i18n/format';
import { sampleFreshness, type DisplayClock } from '../wall/data-age';
import { displayRange, valueView, type TankView } from '../wall/wall.model';
import { COLORS, niceStep } from '../wall/wall.options';
import { gaugeBands } from './sources.model';

/** Texts the gauges need, already translated. */
export interface GaugeLabels {
  noData: string;
  /** Marker after a value that is not live (delayed, offline). */
  notLive: string;
}

/**
 * The gauge of one tank level: the dial spans the instrument range with the HH/H/L/LL bands on its rim, the needle
 * and the value in the tag's unit; a value that is not live greys its needle and value and says so.
 */
export function tankGaugeOption(
  tank: TankView,
  level: TagDef,
  sample: LatestValue | undefined,
  clock: DisplayClock,
  labels: GaugeLabels,
  scale: number,
): ChartOption {
  const px = (n: number): number => Math.round(n * scale * 10) / 10;
  const v = typeof sample?.v === 'number' && Number.isFinite(sample.v) ? sample.v : undefined;
  const view = valueView(level, sample, sampleFreshness(sample, clock));
  const [min, max] = displayRange(level);
  const muted = view.tone === 'muted';
  const valueColor = muted ? COLORS.muted : view.level ? COLORS[view.level] : COLORS.text;
  const text = v === undefined ? labels.noData : formatWithUnit(v, level.unit);
  const series: GaugeSeriesOption = {
    id: `gauge-${tank.id}`,
    type: 'gauge',
    center: ['50%', '56%'],
    radius: '88%',
    min,
    max,
    startAngle: 215,
    endAngle: -35,
    splitNumber: 4,
    axisLine: { lineStyle: { width: px(12), color: gaugeBands(level) } },
    axisTick: { distance: px(-12), length: px(4), lineStyle: { color: '#0f1a27', width: px(1) } },
    splitLine: { distance: px(-12), length: px(12), lineStyle: { color: '#0f1a27', width: px(2) } },
    axisLabel: { distance: px(16), color: COLORS.text, fontSize: px(11) },
    pointer: {
      show: v !== undefined,
      width: px(5),
      length: '62%',
      itemStyle: { color: muted ? COLORS.muted : '#e6eef5' },
    },
    anchor: { show: v !== undefined, size: px(10), itemStyle: { color: muted ? COLORS.muted : '#e6eef5' } },
    title: { offsetCenter: [0, '86%'], color: COLORS.text, fontSize: px(13) },
    detail: {
      valueAnimation: false,
      offsetCenter: [0, '50%'],
      color: valueColor,
      fontSize: px(v === undefined ? 14 : 20),
      fontWeight: 'bold',
      formatter: () => (muted && v !== undefined ? `${text} ${labels.notLive}` : text),
    },
    data: [{ value: v ?? min, name: tank.medium ? `${tank.id} ${tank.medium}` : tank.id }],
  };
  return { animation: false, series: [series] };
}

/** Texts the trend needs, already translated; `time` formats a bucket's start in local time. */
export interface TrendLabels {
  mean: string;
  band: string;
  limits: Record<LimitLevel, string>;
  time(ms: number): string;
}

const LIMIT_KEYS = [
  ['hh', 'HH'],
  ['h', 'H'],
  ['l', 'L'],
  ['ll', 'LL'],
] as const;

type Pair = [number, number | null];

/** With this few buckets or fewer, each is marked with a dot (a lone bucket would otherwise not show at all). */
const SHOW_POINTS_BELOW = 60;

const tidy = (x: number): number => Number(x.toPrecision(6));

/**
 * The value axis spans the data and the tag's limits, 5 % padded, so every limit line is on the chart (a limit
 * off-scale would hide how close the value came to it). Undefined when there is neither data nor a limit.
 */
export function trendExtent(history: HistoryResponse, def: TagDef): [number | undefined, number | undefined] {
  const values: number[] = [];
  for (const b of history.buckets) {
    if (b.min !== null) values.push(b.min);
    if (b.max !== null) values.push(b.max);
  }
  for (const [key] of LIMIT_KEYS) {
    const v = def.limits?.[key];
    if (v !== undefined) values.push(v);
  }
  if (values.length === 0) return [undefined, undefined];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.05 : Math.max(1, Math.abs(hi) * 0.05);
  // Bounds on the tick grid, so the axis does not end in an odd label (0.96).
  const step = niceStep(hi - lo + 2 * pad);
  return [tidy(Math.floor((lo - pad) / step) * step), tidy(Math.ceil((hi + pad) / step) * step)];
}

/**
 * Trend of one tag from history buckets: the mean as a line over a shaded min–max band (drawn as `min` plus a
 * stacked `max − min`), the tag's limits as lines. A missing bucket is a gap in the line, not a straight segment
 * across it: a gap in the trend is a gap in the data (docs/storage.md).
 */
export function trendOption(history: HistoryResponse, def: TagDef, labels: TrendLabels, scale: number): ChartOption {
  const px = (n: number): number => Math.round(n * scale * 10) / 10;
  const mean: Pair[] = [];
  const low: Pair[] = [];
  const spread: Pair[] = [];
  let prevTs: number | null = null;
  for (const b of history.buckets) {
    if (b.mean === null || b.min === null || b.max === null) continue;
    if (prevTs !== null && b.tsMs - prevTs > history.stepMs * 1.5) {
      const gapTs = prevTs + history.stepMs;
      mean.push([gapTs, null]);
      low.push([gapTs, null]);
      spread.push([gapTs, null]);
    }
    mean.push([b.tsMs, b.mean]);
    low.push([b.tsMs, b.min]);
    spread.push([b.tsMs, b.max - b.min]);
    prevTs = b.tsMs;
  }
  const unit = history.unit || def.unit;
  const limitLines = LIMIT_KEYS.flatMap(([key, level]) => {
    const v = def.limits?.[key];
    return v === undefined
      ? []
      : [
          {
            yAxis: v,
            name: labels.limits[level],
            lineStyle: { color: COLORS[level], type: 'dashed' as const, width: px(1.5) },
            label: { formatter: `${level} ${formatWithUnit(v, unit)}`, color: COLORS[level], fontSize: px(11) },
          },
        ];
  });
  const band: LineSeriesOption[] = [
    {
      id: 'min',
      name: labels.band,
      type: 'line',
      data: low,
      stack: 'band',
      symbol: 'none',
      lineStyle: { opacity: 0 },
      connectNulls: false,
      tooltip: { show: false },
    },
    {
      id: 'spread',
      name: labels.band,
      type: 'line',
      data: spread,
      stack: 'band',
      symbol: 'none',
      lineStyle: { opacity: 0 },
      areaStyle: { color: 'rgba(59, 167, 255, 0.22)' },
      connectNulls: false,
      tooltip: { show: false },
    },
  ];
  const byTs = new Map(history.buckets.map((b) => [b.tsMs, b]));
  const [yMin, yMax] = trendExtent(history, def);
  return {
    animation: false,
    grid: { left: px(56), right: px(72), top: px(24), bottom: px(56) },
    tooltip: {
      trigger: 'axis',
      confine: true,
      textStyle: { fontSize: px(13) },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const ts = Array.isArray(first?.value) ? Number(first.value[0]) : NaN;
        const b = byTs.get(ts);
        if (!b || b.mean === null) return '';
        return [
          labels.time(ts),
          `${labels.mean} ${formatWithUnit(b.mean, unit)}`,
          `${labels.band} ${formatWithUnit(b.min ?? undefined, unit)} – ${formatWithUnit(b.max ?? undefined, unit)}`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'time',
      min: history.fromMs,
      max: history.toMs,
      axisLabel: { color: COLORS.text, fontSize: px(12), hideOverlap: true },
      axisLine: { lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'value',
      name: unit,
      ...(yMin === undefined ? { scale: true } : { min: yMin, max: yMax }),
      nameTextStyle: { color: COLORS.text, fontSize: px(12) },
      axisLabel: { color: COLORS.text, fontSize: px(12) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    dataZoom: [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', filterMode: 'none', height: px(18), bottom: px(8), textStyle: { color: COLORS.text } },
    ],
    series: [
      ...band,
      {
        id: 'mean',
        name: labels.mean,
        type: 'line',
        data: mean,
        // A sparse trend (a tag that reports by exception, the first minutes of data) shows its points.
        symbol: 'circle',
        symbolSize: px(5),
        showSymbol: mean.length <= SHOW_POINTS_BELOW,
        itemStyle: { color: COLORS.normal },
        connectNulls: false,
        lineStyle: { color: COLORS.normal, width: px(2) },
        markLine: { symbol: 'none', silent: true, data: limitLines },
      },
    ],
  };
}
