import type { AlarmStatsResponse, PriorityClassShares } from '@hazard/server/contracts';
import type { BarSeriesOption, ChartOption } from '../../shared/charts/echarts';

// Pure builders of the statistics page: range presets, and the EEMUA 191 figures as ECharts options. Labels come
// in as parameters (already translated), so these functions hold no i18n state and are unit-tested as data.

export const RANGE_PRESETS = ['24h', '7d', '30d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const RANGE_MS: Record<RangePreset, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** The range of a preset ending now (the server's `to` is exclusive). */
export function rangeOf(preset: RangePreset, nowMs: number): { fromMs: number; toMs: number } {
  return { fromMs: nowMs - RANGE_MS[preset], toMs: nowMs };
}

/** 10 minutes: the EEMUA 191 rate bucket. */
export const BUCKET_MS = 600_000;

/** Bar colour per position, then reference and flood colours. */
const PALETTE = ['#3ba7ff', '#5fbf7f', '#c792ea', '#ffd166', '#4dd0e1', '#f78c6c'];
const ACCEPTABLE_COLOR = '#ffb020';
const MANAGEABLE_COLOR = '#ff3b30';
const AXIS = { axisLine: { lineStyle: { color: '#5b6b7b' } }, axisLabel: { color: '#b8c6d4', fontSize: 13 } };
const SPLIT = { splitLine: { lineStyle: { color: '#1c2a3a' } } };
const TEXT = { color: '#dce6f0', fontSize: 13 };
const TIME_LABELS = {
  year: '{yyyy}',
  month: '{yyyy}-{MM}',
  day: '{MM}-{dd}',
  hour: '{HH}:{mm}',
  minute: '{HH}:{mm}',
  second: '{HH}:{mm}:{ss}',
  millisecond: '{HH}:{mm}:{ss}',
  none: '{MM}-{dd} {HH}:{mm}',
};

export interface RateLabels {
  /** e.g. `可接受 1 次/10 min` */
  acceptable: string;
  manageable: string;
  flood: string;
  axis: string;
}

/**
 * Alarms per 10 minutes per operator position (enterprise), as bars on a time axis (local time), with the EEMUA 191
 * reference lines at 1 (acceptable) and 2 (manageable) per 10 min and each flood (> 10 in 10 min until < 5) shaded.
 * The y axis reaches at least 3 so that both reference lines are always in view.
 */
export function rateOption(
  s: AlarmStatsResponse,
  enterpriseName: (id: string) => string,
  labels: RateLabels,
): ChartOption {
  // Positions without a single alarm would only thin the other bars: left out (at least one stays, to carry the
  // reference lines). The summary tiles still count every position.
  const withAlarms = s.positions.filter((p) => p.alarms > 0);
  const shown = withAlarms.length > 0 ? withAlarms : s.positions.slice(0, 1);
  const series: BarSeriesOption[] = shown.map((p, i) => ({
    type: 'bar',
    name: enterpriseName(p.enterpriseId),
    // Each bar stands at its bucket's middle, so that it covers [start, start + 10 min).
    data: p.per10Min.map((b) => [b.startMs + BUCKET_MS / 2, b.count]),
    itemStyle: { color: PALETTE[s.positions.indexOf(p) % PALETTE.length]! },
    barMaxWidth: 14,
    barGap: '0%',
    markArea: {
      silent: true,
      itemStyle: { color: 'rgba(255, 59, 48, 0.16)' },
      label: { color: '#ff8a80', position: 'insideTop' },
      data: p.floods.map((f) => [{ name: labels.flood, xAxis: f.startMs }, { xAxis: f.endMs ?? s.toMs }]),
    },
    ...(i === 0
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            data: [
              {
                name: labels.acceptable,
                yAxis: s.reference.acceptablePer10Min,
                lineStyle: { color: ACCEPTABLE_COLOR, type: 'dashed', width: 1.5 },
                label: { formatter: labels.acceptable, color: ACCEPTABLE_COLOR, position: 'insideStartTop' },
              },
              {
                name: labels.manageable,
                yAxis: s.reference.manageablePer10Min,
                lineStyle: { color: MANAGEABLE_COLOR, type: 'dashed', width: 1.5 },
                label: { formatter: labels.manageable, color: MANAGEABLE_COLOR, position: 'insideStartTop' },
              },
            ],
          },
        }
      : {}),
  }));
  const maxCount = Math.max(0, ...s.positions.flatMap((p) => p.per10Min.map((b) => b.count)));
  // The axis ends with the last bucket, so that the newest (partial) 10 minutes are drawn whole.
  const lastEndMs = Math.max(s.toMs, ...s.positions.flatMap((p) => p.per10Min.map((b) => b.startMs + BUCKET_MS)));
  return {
    backgroundColor: 'transparent',
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { show: shown.length > 1, top: 0, textStyle: TEXT },
    grid: { left: 56, right: 24, top: 40, bottom: 40 },
    xAxis: {
      type: 'time',
      min: s.fromMs,
      max: lastEndMs,
      ...AXIS,
      // Numeric local-time labels, the same in both languages (ECharts' own names follow its locale, not ours).
      axisLabel: { ...AXIS.axisLabel, formatter: TIME_LABELS },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: labels.axis,
      nameTextStyle: { color: '#8aa0b6' },
      minInterval: 1,
      min: 0,
      max: Math.max(3, maxCount),
      ...AXIS,
      ...SPLIT,
    },
    series,
  };
}

/** The ten most frequent alarm points (EEMUA 191 bad actors), most frequent on top, with their share of all. */
export function badActorsOption(
  s: AlarmStatsResponse,
  conditionLabel: (c: string) => string,
  axisLabel: string,
): ChartOption {
  // A horizontal bar chart draws its first category at the bottom: reversed, the worst actor is on top.
  const actors = [...s.topBadActors].reverse();
  return {
    backgroundColor: 'transparent',
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { show: false },
    grid: { left: 150, right: 70, top: 10, bottom: 36 },
    xAxis: { type: 'value', name: axisLabel, nameLocation: 'middle', nameGap: 24, minInterval: 1, ...AXIS, ...SPLIT },
    yAxis: {
      type: 'category',
      data: actors.map((a) => `${a.tag} ${conditionLabel(a.condition)}`),
      ...AXIS,
    },
    series: [
      {
        type: 'bar',
        name: axisLabel,
        data: actors.map((a) => ({
          value: a.alarms,
          itemStyle: { color: a.priority <= 2 ? '#ff3b30' : a.priority === 3 ? '#ff9f1a' : '#3ba7ff' },
        })),
        barMaxWidth: 22,
        label: {
          show: true,
          position: 'right',
          color: '#dce6f0',
          formatter: (p: { dataIndex: number }) => `${actors[p.dataIndex]?.sharePct.toFixed(1) ?? ''} %`,
        },
      },
    ],
  };
}

export interface MixLabels {
  high: string;
  medium: string;
  low: string;
  measured: string;
  guide: string;
}

const CLASSES: readonly (keyof PriorityClassShares)[] = ['high', 'medium', 'low'];

/** Priority mix by EEMUA 191 class (high = P1 + P2, medium = P3, low = P4) beside the ≈ 5 / 15 / 80 % guide. */
export function priorityMixOption(s: AlarmStatsResponse, labels: MixLabels): ChartOption {
  const pct = (v: number): number => Math.round(v * 10) / 10;
  return {
    backgroundColor: 'transparent',
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${String(v)} %` },
    legend: { show: true, top: 0, textStyle: TEXT },
    grid: { left: 48, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: CLASSES.map((c) => labels[c]), ...AXIS },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...AXIS.axisLabel, formatter: '{value} %' }, ...SPLIT },
    series: [
      {
        type: 'bar',
        name: labels.measured,
        data: CLASSES.map((c) => pct(s.priorityMix.sharesPct[c])),
        itemStyle: { color: '#3ba7ff' },
        barMaxWidth: 36,
        label: { show: true, position: 'top', color: '#dce6f0', formatter: '{c} %' },
      },
      {
        type: 'bar',
        name: labels.guide,
        data: CLASSES.map((c) => pct(s.reference.priorityPct[c])),
        itemStyle: { color: '#5b6b7b' },
        barMaxWidth: 36,
        label: { show: true, position: 'top', color: '#8aa0b6', formatter: '{c} %' },
      },
    ],
  };
}

/** Units of a duration, translated by the caller. */
export interface DurationUnits {
  h: string;
  min: string;
  s: string;
}

/** `1 h 05 min`, `3 min 20 s`, `42 s`; null (no acks) is a dash. */
export function formatDurationMs(ms: number | null, u: DurationUnits): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  if (h > 0) return `${h} ${u.h} ${String(m).padStart(2, '0')} ${u.min}`;
  if (m > 0) return `${m} ${u.min} ${String(sec).padStart(2, '0')} ${u.s}`;
  return `${sec} ${u.s}`;
}

/** The figures of the summary tiles, over all positions shown. */
export function summaryOf(s: AlarmStatsResponse): {
  alarms: number;
  meanPer10Min: number;
  maxPer10Min: number;
  floods: number;
  timeInFloodPct: number;
} {
  const ps = s.positions;
  return {
    alarms: s.alarms,
    // The busiest position is what an operator lives with: means and maxima per position, the worst shown.
    meanPer10Min: Math.max(0, ...ps.map((p) => p.meanPer10Min)),
    maxPer10Min: Math.max(0, ...ps.map((p) => p.maxPer10Min)),
    floods: ps.reduce((n, p) => n + p.floods.length, 0),
    timeInFloodPct: Math.max(0, ...ps.map((p) => p.timeInFloodPct)),
  };
}
